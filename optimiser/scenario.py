"""The neighbourhood model file (``wijk.yaml``): schema, catalogue defaults and loading.

A scenario says where the neighbourhood is, who uses how much heat and electricity,
which technologies may be built (with cost and performance parameters that default to
the catalogue in ``data/technologies.yaml``), the prices, the finance and the CO2
factors. Loading checks everything at once and reports every problem with its file,
line and field, so a user fixes a model file in one go.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
    model_validator,
)

from optimiser.components import TECHNOLOGIES
from optimiser.errors import InputError

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
"""Reference data shipped with the source tree (catalogue, default weather year)."""

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
"""Neighbourhood models shipped with the source tree; ``default`` is the embedded default."""


class StrictModel(BaseModel):
    """Base of every schema section: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _existing_file(path: Path, info: ValidationInfo) -> Path:
    """Resolve a path relative to the model file's folder and check that it exists."""
    base = (info.context or {}).get("base_dir", Path.cwd())
    resolved = path if path.is_absolute() else Path(base) / path
    if not resolved.is_file():
        raise ValueError(f"file not found: {resolved}")
    return resolved


InputFile = Annotated[Path, AfterValidator(_existing_file)]
"""A path in a model file: relative to the file's folder, must exist."""


# ------------------------------------------------------------------------ sections
class Site(StrictModel):
    """Location and model year. Time runs in local standard time (no daylight saving)."""

    name: str = "wijk"
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    utc_offset_hours: int = Field(default=1, ge=-12, le=14)
    year: int = Field(ge=1990, le=2100)


class Weather(StrictModel):
    """Where the hourly weather comes from: the embedded De Bilt year or a file."""

    source: Literal["default", "epw", "pvgis_tmy", "knmi", "csv"] = "default"
    file: InputFile | None = None

    @model_validator(mode="after")
    def _file_matches_source(self) -> Weather:
        if self.source == "default" and self.file is not None:
            raise ValueError("a file is given but source is 'default'; set source to its format")
        if self.source != "default" and self.file is None:
            raise ValueError(f"source {self.source!r} needs a file")
        return self


class SurfaceWater(StrictModel):
    """Surface-water temperature: a measured series, or derived from the air temperature.

    Without a file the temperature follows the air temperature, smoothed with a
    first-order time constant, lagged and floored (see
    :func:`optimiser.profiles.surface_water.surface_water_temperature`).
    """

    file: InputFile | None = None
    time_constant_days: float = Field(default=10.0, gt=0)
    lag_days: float = Field(default=5.0, ge=0)
    floor_c: float = 0.0
    slope: float = Field(default=1.05, gt=0)
    offset_c: float = 2.5


BDEW_HEAT_PROFILES = (
    "EFH", "MFH", "GMK", "GHA", "GKO", "GBD", "GGA", "GBH", "GGB", "GPD", "GMF", "GWA", "GHD",
)  # fmt: skip
"""BDEW/SigLinDe standard heat load profiles in demandlib (EFH single-, MFH multi-family)."""

BDEW_ELECTRICITY_PROFILES = ("h0", "g0", "g1", "g2", "g3", "g4", "g5", "g6", "l0", "l1", "l2")
"""BDEW standard electricity load profiles in demandlib (h0 households, g* trade, l* farms)."""


class ConsumerGroup(StrictModel):
    """``count`` identical connections (homes of one type, or a business) and their use.

    Heat is given per connection either as delivered heat (``annual_heat_kwh``) or as
    today's gas use (``annual_gas_m3``, converted with ACM's 32.68 m3 per GJ of heat).
    The hourly shape comes from a BDEW standard profile and the weather, or from a CSV.
    Drinking water (only with a ``water`` section): ``annual_water_m3`` per connection,
    or for households ``persons`` per home (default ``water.persons_per_home``) times
    ``water.litres_per_person_day``.
    """

    name: str = Field(min_length=1)
    count: int = Field(ge=0)
    annual_heat_kwh: float | None = Field(default=None, ge=0)
    annual_gas_m3: float | None = Field(default=None, ge=0)
    annual_electricity_kwh: float = Field(default=0.0, ge=0)
    heat_profile: Literal[BDEW_HEAT_PROFILES] = "EFH"  # type: ignore[valid-type]
    electricity_profile: Literal[BDEW_ELECTRICITY_PROFILES] = "h0"  # type: ignore[valid-type]
    heat_profile_file: InputFile | None = None
    electricity_profile_file: InputFile | None = None
    persons: float | None = Field(default=None, ge=0, le=100)
    annual_water_m3: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_heat_figure(self) -> ConsumerGroup:
        if (self.annual_heat_kwh is None) == (self.annual_gas_m3 is None):
            raise ValueError("give exactly one of annual_heat_kwh and annual_gas_m3")
        return self

    @property
    def heat_kwh_per_connection(self) -> float:
        """Delivered heat per connection and year (kWh)."""
        from optimiser.constants import GAS_M3_PER_GJ_HEAT, KWH_PER_GJ

        if self.annual_heat_kwh is not None:
            return self.annual_heat_kwh
        return self.annual_gas_m3 / GAS_M3_PER_GJ_HEAT * KWH_PER_GJ  # type: ignore[operator]


class Demand(StrictModel):
    """Households (by type) and businesses connected to the cooperative."""

    households: list[ConsumerGroup] = Field(default_factory=list)
    businesses: list[ConsumerGroup] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> Demand:
        names = [g.name for g in self.groups]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"consumer names must be unique; repeated: {', '.join(doubles)}")
        if not names:
            raise ValueError("no households or businesses: add at least one consumer group")
        return self

    @property
    def groups(self) -> list[ConsumerGroup]:
        """All consumer groups, households first."""
        return [*self.households, *self.businesses]

    @property
    def homes(self) -> int:
        """Number of household connections."""
        return sum(g.count for g in self.households)


class Shift(StrictModel):
    """When a factory runs: from ``start_hour`` to ``end_hour`` (local standard time) on
    ``weekdays`` (0 = Monday), outside public holidays not being modelled."""

    start_hour: int = Field(default=6, ge=0, le=23)
    end_hour: int = Field(default=22, ge=1, le=24)
    weekdays: list[int] = Field(default=[0, 1, 2, 3, 4], min_length=1)

    @model_validator(mode="after")
    def _hours_and_days(self) -> Shift:
        if self.end_hour <= self.start_hour:
            raise ValueError("end_hour must be after start_hour")
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        return self


class Factory(StrictModel):
    """A factory next to the neighbourhood: the process water it uses and its residual heat.

    Process water (``process_water_m3_per_year``) is spread evenly over the ``shift``
    hours, or shaped by ``process_water_profile_file`` (8760 rows, column ``m3_per_h``).
    Residual heat (``residual_heat_mwh_per_year`` at ``residual_heat_temperature_c``) is
    available in the same hours, or shaped by ``residual_heat_profile_file`` (column
    ``kw``).
    """

    name: str = Field(default="factory", min_length=1)
    process_water_m3_per_year: float = Field(ge=0)
    process_water_profile_file: InputFile | None = None
    shift: Shift = Shift()
    residual_heat_mwh_per_year: float = Field(default=0.0, ge=0)
    residual_heat_profile_file: InputFile | None = None
    residual_heat_temperature_c: float = Field(default=40.0, ge=0, le=200)


class Water(StrictModel):
    """Water in the neighbourhood: household use, wastewater, reuse and the factory.

    Defaults (Vewin/CBS 2021): 128.1 L per person and day, of which 30.2 L flushes
    toilets and 122.7 L reaches the sewer (a share of 0.958), 2.12 persons per home
    (CBS 2024). With ``toilet_reuse`` homes have a second pipe and flush with process
    water. ``drinking_water_for_process`` lets process water be bought as drinking water
    (the factory's way today); without it only local treatment can serve it.
    """

    litres_per_person_day: float = Field(default=128.1, gt=0, le=1000)
    persons_per_home: float = Field(default=2.12, gt=0, le=20)
    wastewater_share: float = Field(default=0.958, ge=0, le=1)
    wastewater_delay_hours: int = Field(default=1, ge=0, le=48)
    toilet_reuse: bool = False
    toilet_litres_per_person_day: float = Field(default=30.2, ge=0)
    drinking_water_for_process: bool = True
    factory: Factory | None = None

    @model_validator(mode="after")
    def _toilets_within_use(self) -> Water:
        if self.toilet_litres_per_person_day > self.litres_per_person_day:
            raise ValueError("toilet_litres_per_person_day exceeds litres_per_person_day")
        return self


class Network(StrictModel):
    """The district-heat network: temperatures, losses and fixed costs.

    The supply temperature feeds the heat-pump COP. With ``supply_temperature_mild_c``
    the supply follows the outdoor temperature (outdoor reset): the full
    ``supply_temperature_c`` at -10 °C and below, the mild value at 15 °C and above,
    linear in between. Supplying below ``reference_supply_temperature_c`` costs
    ``building_upgrade_eur_per_home_per_k`` per home and kelvin (insulation, radiators),
    written off over ``building_upgrade_lifetime_years``.
    """

    supply_temperature_c: float = Field(default=70.0, ge=25, le=120)
    supply_temperature_mild_c: float | None = Field(default=None, ge=25, le=120)
    source_temperature_c: float = Field(default=18.0, ge=-5, le=40)
    heat_loss_fraction: float = Field(default=0.1, ge=0, lt=0.6)
    capex_eur_per_connection: float = Field(default=0.0, ge=0)
    lifetime_years: float = Field(default=40.0, gt=0)
    fixed_om_fraction_per_year: float = Field(default=0.01, ge=0)
    reference_supply_temperature_c: float = Field(default=70.0, ge=25, le=120)
    building_upgrade_eur_per_home_per_k: float = Field(default=0.0, ge=0)
    building_upgrade_lifetime_years: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _temperatures(self) -> Network:
        mild = self.supply_temperature_mild_c
        if mild is not None and mild > self.supply_temperature_c:
            raise ValueError("supply_temperature_mild_c must not exceed supply_temperature_c")
        if self.source_temperature_c >= self.supply_temperature_c:
            raise ValueError("source_temperature_c must be below supply_temperature_c")
        return self


class ElectricityPrices(StrictModel):
    """Electricity prices in EUR/kWh: flat, or an hourly CSV (column ``price_eur_per_kwh``).

    The import price is supply + ``energy_tax_eur_per_kwh``; export earns the export
    price (no tax refund, as after the end of net metering in 2027).
    """

    supply_eur_per_kwh: float | None = Field(default=None, ge=-1, le=10)
    supply_file: InputFile | None = None
    energy_tax_eur_per_kwh: float = Field(default=0.0, ge=0)
    export_eur_per_kwh: float | None = Field(default=None, ge=-1, le=10)
    export_file: InputFile | None = None

    @model_validator(mode="after")
    def _one_source_each(self) -> ElectricityPrices:
        for kind in ("supply", "export"):
            flat = getattr(self, f"{kind}_eur_per_kwh")
            file = getattr(self, f"{kind}_file")
            if (flat is None) == (file is None):
                raise ValueError(f"give exactly one of {kind}_eur_per_kwh and {kind}_file")
        return self


class GasPrices(StrictModel):
    """Gas price in EUR/m3 (supply + energy tax), for gas boilers and the gas reference.

    ``fixed_heating_eur_per_year``: what heating with a gas boiler costs a home besides
    the gas (network and standing charges, boiler depreciation and maintenance). The
    default is ACM's fixed part of the NMDA reference for 2026, about EUR 828 incl. VAT
    (EUR 760.77 in 2025 plus just over EUR 67), i.e. EUR 684 excl. 21 % VAT.
    """

    supply_eur_per_m3: float = Field(ge=0, le=20)
    energy_tax_eur_per_m3: float = Field(default=0.0, ge=0)
    fixed_heating_eur_per_year: float = Field(default=684.0, ge=0)


class WaterPrices(StrictModel):
    """Water prices (needed with a ``water`` section).

    ``drinking_eur_per_m3``: drinking water bought from the utility (Waternet business
    2025: 1.22). ``sewer_eur_per_m3``: what one more m3 sent to the public sewer costs
    the system, i.e. the water board's central treatment (Unie van Waterschappen
    benchmark 2021: 0.57). The treatment levy (EUR per pollution unit, e.g. Delfland
    93.50; about 0.023 units per m3 for businesses) is a payment between parties, not a
    system cost: it is used in the accounting, not in the optimisation.
    """

    drinking_eur_per_m3: float = Field(ge=0, le=50)
    sewer_eur_per_m3: float = Field(default=0.57, ge=0, le=50)
    levy_eur_per_pollution_unit: float = Field(default=93.50, ge=0)
    pollution_units_per_m3: float = Field(default=0.023, ge=0, le=1)


class HeatTariffCap(StrictModel):
    """The regulated maximum heat tariff (ACM, Warmtewet), excl. VAT, for the tariff test.

    Defaults: ACM 2026, EUR 40.97/GJ and about EUR 828/year fixed incl. 21 % VAT, i.e.
    EUR 33.86/GJ and EUR 684/year excl. VAT.
    """

    eur_per_gj: float = Field(default=33.86, ge=0)
    fixed_eur_per_year: float = Field(default=684.0, ge=0)
    year: int = 2026


class Prices(StrictModel):
    """Energy and water prices, the CO2 price (EUR/tonne, 0 = not priced) and the
    regulated heat-tariff cap."""

    electricity: ElectricityPrices
    gas: GasPrices | None = None
    water: WaterPrices | None = None
    heat_cap: HeatTariffCap = HeatTariffCap()
    co2_eur_per_tonne: float = Field(default=0.0, ge=0)


class Loan(StrictModel):
    """A loan: amount (EUR), real interest rate per year, term (years), annuity payments."""

    amount_eur: float = Field(ge=0)
    rate: float = Field(ge=0, le=0.3)
    years: int = Field(ge=1, le=100)


class Party(StrictModel):
    """A shareholder of the cooperative: the demands it brings and the assets it owns.

    ``demands`` names consumer groups (households or businesses) and the factory
    (``water.factory.name``); ``assets`` names technologies under ``technologies`` that
    only coalitions with this party may use (the water board's TEO). Technologies no
    party owns belong to the cooperative and every coalition may build them.
    Subsidies, connection contributions, equity and loans finance the cooperative;
    ``share`` is the party's ownership share (all parties' shares sum to 1, or none
    are given). ``heat_fee_eur_per_gj`` is what the cooperative pays the owner per GJ
    its assets deliver (the water board's TEO fee), for the owner's business case.
    """

    name: str = Field(min_length=1)
    demands: list[str] = Field(default_factory=list)
    assets: list[str] = Field(default_factory=list)
    subsidy_eur: float = Field(default=0.0, ge=0)
    connection_contributions_eur: float = Field(default=0.0, ge=0)
    equity_eur: float = Field(default=0.0, ge=0)
    loans: list[Loan] = Field(default_factory=list)
    share: float | None = Field(default=None, ge=0, le=1)
    heat_fee_eur_per_gj: float | None = Field(default=None, ge=0)


class Finance(StrictModel):
    """Discount rate (real, per year) used for the capital annuities."""

    discount_rate: float = Field(default=0.04, ge=0, le=0.3)


class Emissions(StrictModel):
    """CO2 factors: electricity from the grid (kg/kWh) and natural gas (kg/m3)."""

    electricity_kg_per_kwh: float = Field(ge=0, le=2)
    gas_kg_per_m3: float = Field(default=1.785, ge=0, le=5)


# ------------------------------------------------------------------- technologies
@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """Default parameter values per technology from ``data/technologies.yaml``.

    The file keeps each number with unit, source and year; this returns the values.
    """
    path = DATA_DIR / "technologies.yaml"
    if not path.is_file():
        raise InputError(
            "technology catalogue not found",
            file=path,
            fix="install from the source tree with 'pip install -e .'",
        )
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        tech: {name: entry["value"] for name, entry in params.items()}
        for tech, params in raw.items()
    }


class _TechnologiesBase(StrictModel):
    """Technologies that may be built: a key per technology; omitted ones are not built."""

    @model_validator(mode="before")
    @classmethod
    def _catalogue_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        defaults = catalogue()
        merged = {}
        for key, overrides in data.items():
            if key in TECHNOLOGIES and (overrides is None or isinstance(overrides, dict)):
                merged[key] = {**defaults.get(key, {}), **(overrides or {})}
            else:
                merged[key] = overrides
        return merged


Technologies = create_model(
    "Technologies",
    __base__=_TechnologiesBase,
    **{key: (cls.Params | None, None) for key, cls in TECHNOLOGIES.items()},
)


class Scenario(StrictModel):
    """One neighbourhood model: everything a run needs besides the reference data."""

    name: str = Field(min_length=1)
    description: str = ""
    site: Site
    weather: Weather = Weather()
    surface_water: SurfaceWater = SurfaceWater()
    demand: Demand
    water: Water | None = None
    network: Network = Network()
    technologies: Technologies  # type: ignore[valid-type]
    prices: Prices
    finance: Finance = Finance()
    emissions: Emissions
    parties: list[Party] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fuel_has_price(self) -> Scenario:
        boiler = self.technologies.backup_boiler
        if boiler is not None and boiler.fuel == "gas" and self.prices.gas is None:
            raise ValueError("technologies.backup_boiler burns gas: set prices.gas")
        if self.water is not None and self.prices.water is None:
            raise ValueError("a water section needs prices.water (drinking_eur_per_m3, ...)")
        if self.water is None:
            for key in ("water_treatment", "process_water_tank", "wastewater_heat"):
                if getattr(self.technologies, key, None) is not None:
                    raise ValueError(f"technologies.{key} needs a water section")
        factory = self.water.factory if self.water is not None else None
        if self.technologies.factory_heat is not None and (
            factory is None or factory.residual_heat_mwh_per_year <= 0
        ):
            raise ValueError(
                "technologies.factory_heat needs water.factory.residual_heat_mwh_per_year > 0"
            )
        return self

    @model_validator(mode="after")
    def _parties_consistent(self) -> Scenario:
        if not self.parties:
            return self
        names = [p.name for p in self.parties]
        if len(set(names)) != len(names):
            raise ValueError("party names must be unique")
        demand_names = {g.name for g in self.demand.groups}
        if self.water is not None and self.water.factory is not None:
            demand_names.add(self.water.factory.name)
        built = set(self.technology_params())
        seen_demands: dict[str, str] = {}
        seen_assets: dict[str, str] = {}
        for party in self.parties:
            if not party.demands and not party.assets:
                raise ValueError(
                    f"party {party.name!r} has no demand and no asset: give it demands or assets"
                )
            for demand in party.demands:
                if demand not in demand_names:
                    raise ValueError(
                        f"party {party.name!r}: unknown demand {demand!r};"
                        f" known: {', '.join(sorted(demand_names))}"
                    )
                if demand in seen_demands:
                    raise ValueError(
                        f"demand {demand!r} belongs to both {seen_demands[demand]!r}"
                        f" and {party.name!r}"
                    )
                seen_demands[demand] = party.name
            for asset in party.assets:
                if asset not in built:
                    raise ValueError(
                        f"party {party.name!r}: asset {asset!r} is not under technologies"
                    )
                if asset in seen_assets:
                    raise ValueError(
                        f"asset {asset!r} belongs to both {seen_assets[asset]!r} and {party.name!r}"
                    )
                seen_assets[asset] = party.name
            life = self._financed_life_years(party)
            for loan in party.loans:
                if loan.years > life:
                    raise ValueError(
                        f"party {party.name!r}: a {loan.years}-year loan outlives the assets it"
                        f" finances ({life:g} years); shorten the loan"
                    )
        unassigned = sorted(demand_names - set(seen_demands))
        if unassigned:
            raise ValueError(f"demands without a party: {', '.join(unassigned)}")
        shares = [p.share for p in self.parties]
        if any(s is not None for s in shares):
            if any(s is None for s in shares):
                raise ValueError("give every party a share, or none")
            total = sum(s for s in shares if s is not None)
            if abs(total - 1.0) > 1e-6:
                raise ValueError(f"party shares sum to {total:g}; they must sum to 1")
        return self

    def _financed_life_years(self, party: Party) -> float:
        """The longest life among what a party's loans finance: its own assets, or (for a
        party without assets) the cooperative's, the heat network included."""
        params = self.technology_params()
        keys = party.assets or [k for k in params if k not in self._owned_assets()]
        lives = [getattr(params[k], "lifetime_years", 0.0) for k in keys]
        if not party.assets:
            lives.append(self.network.lifetime_years)
        return max(lives, default=self.network.lifetime_years)

    def _owned_assets(self) -> set[str]:
        return {a for p in self.parties for a in p.assets}

    def technology_params(self) -> dict[str, Any]:
        """The technologies present in the model, key -> validated parameters."""
        return {k: v for k, v in self.technologies if v is not None}


# ------------------------------------------------------------------------ loading
def resolve_model_path(model: str | Path | None) -> Path:
    """The YAML file of a model given as a file, a folder holding ``wijk.yaml``, or None."""
    if model is None:
        return MODELS_DIR / "default" / "wijk.yaml"
    path = Path(model)
    if path.is_dir():
        path = path / "wijk.yaml"
    if not path.is_file():
        raise InputError(
            "model file not found", file=path, fix="give a wijk.yaml file or a folder holding one"
        )
    return path


def load_scenario(model: str | Path | None = None) -> Scenario:
    """Load and validate a model file; raise :class:`ScenarioError` listing every problem."""
    path = resolve_model_path(model)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ScenarioError([f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from None
    if not isinstance(data, dict):
        raise ScenarioError([f"{path}: expected a mapping of sections (site, demand, ...)"])
    try:
        return Scenario.model_validate(data, context={"base_dir": path.parent})
    except ValidationError as exc:
        raise ScenarioError([_describe(err, path, root) for err in exc.errors()]) from None


class ScenarioError(InputError):
    """All problems found in a model file, one line each (the first is the message)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = (
            f" (and {len(problems) - 1} more problems: run 'wijk validate')"
            if len(problems) > 1
            else ""
        )
        super().__init__(problems[0] + more)


def _describe(err: dict, path: Path, root: yaml.Node | None) -> str:
    """One line for one pydantic error: ``file:line: field.path: problem (got value)``."""
    loc = [part for part in err["loc"] if not (isinstance(part, str) and "[" in part)]
    field = ".".join(str(p) for p in loc) or "(top level)"
    line = _yaml_line(root, loc)
    where = f"{path}:{line}" if line else str(path)
    kind = err["type"]
    if kind == "extra_forbidden":
        known = _allowed_keys(loc[:-1])
        hint = f"; allowed here: {', '.join(known)}" if known else ""
        what = (
            "unknown technology" if loc[:1] == ["technologies"] and len(loc) == 2 else "unknown key"
        )
        return f"{where}: {field}: {what}{hint}"
    if kind == "missing":
        return f"{where}: {field}: required field is missing"
    message = err["msg"].removeprefix("Value error, ")
    shown = err.get("input")
    got = "" if isinstance(shown, dict | list) or shown is None else f" (got {shown!r})"
    return f"{where}: {field}: {message}{got}"


def _yaml_line(root: yaml.Node | None, loc: list) -> int | None:
    """1-based line of the deepest node of ``loc`` found in the composed YAML tree."""
    node, line = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((kv for kv in node.value if kv[0].value == str(part)), None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _allowed_keys(loc: list) -> list[str]:
    """Field names allowed at ``loc`` in the schema (for 'unknown key' hints)."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = _model_of(field.annotation)
        if model is None:
            return []
    return sorted(getattr(model, "model_fields", {}))


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation like ``X | None`` or ``list[X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the validated scenario and the contents of every file it refers to.

    Two runs with the same hash had the same inputs; results record it.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps(scenario.model_dump(mode="json"), sort_keys=True).encode())
    for path in sorted(_referenced_files(scenario)):
        digest.update(path.read_bytes())
    digest.update((DATA_DIR / "technologies.yaml").read_bytes())
    return digest.hexdigest()


def _referenced_files(obj: Any) -> set[Path]:
    """Every file path anywhere in a (nested) scenario."""
    if isinstance(obj, Path):
        return {obj}
    if isinstance(obj, BaseModel):
        return set().union(*(_referenced_files(v) for _, v in obj))
    if isinstance(obj, list | tuple):
        return set().union(*(_referenced_files(v) for v in obj))
    return set()

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
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from optimiser.errors import InputError
from optimiser.inputs.base import StrictModel
from optimiser.inputs.catalogue import (
    DATA_DIR,
    MODELS_DIR,
    Technologies,
    catalogue,
    with_catalogue_defaults,
)
from optimiser.inputs.demand import ConsumerGroup, Demand
from optimiser.inputs.finance_checks import check_finance
from optimiser.inputs.network import Network
from optimiser.inputs.parties import Finance, Loan, Party
from optimiser.inputs.price_index import DEFAULT_PRICE_YEAR, price_index
from optimiser.inputs.prices import Emissions, Prices
from optimiser.inputs.site import Site, SurfaceWater, Weather
from optimiser.inputs.stakes import (
    check_boilers,
    check_public_share,
    check_stake,
    check_utilities,
)
from optimiser.inputs.textfiles import load_yaml, yaml_line
from optimiser.inputs.water import Factory, Shift, Water

__all__ = [
    "DATA_DIR",
    "MODELS_DIR",
    "ConsumerGroup",
    "Factory",
    "Loan",
    "Network",
    "Scenario",
    "ScenarioError",
    "Shift",
    "catalogue",
    "load_scenario",
    "resolve_model_path",
    "scenario_hash",
]


SANITATION_TECHNOLOGIES = (
    "anaerobic_digester",
    "struvite",
    "ammonium_recovery",
    "greywater_treatment",
    "greywater_heat",
)
"""Technologies that treat the separated streams of ``water.sanitation``."""


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
    min_public_share: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="before")
    @classmethod
    def _catalogue_in_price_year(cls, data: Any) -> Any:
        """Fill in the technologies' catalogue defaults in the scenario's price year (an
        invalid price year is reported by ``finance``; the defaults then use 2026's)."""
        if not isinstance(data, dict) or "technologies" not in data:
            return data
        finance = data.get("finance")
        year = finance.get("price_year") if isinstance(finance, dict) else None
        if not isinstance(year, int) or year not in price_index():
            year = DEFAULT_PRICE_YEAR
        return {**data, "technologies": with_catalogue_defaults(data["technologies"], year)}

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
        sanitation = self.water.sanitation if self.water is not None else None
        for key in SANITATION_TECHNOLOGIES:
            if sanitation is None and getattr(self.technologies, key, None) is not None:
                raise ValueError(f"technologies.{key} needs water.sanitation (separated sewers)")
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
            check_stake(party)
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
        check_boilers(self.parties, {g.name for g in self.demand.groups})
        check_public_share(self.parties, self.min_public_share)
        check_utilities(self.parties, self.water is not None)
        return self

    @model_validator(mode="after")
    def _aquifer_between_wells(self) -> Scenario:
        ates, net = self.technologies.ates, self.network
        if ates is not None and not (
            net.source_return_temperature_c < ates.natural_temperature_c < net.source_temperature_c
        ):
            raise ValueError(
                f"technologies.ates.natural_temperature_c ({ates.natural_temperature_c:g} °C)"
                " must lie between the cold well (network.source_return_temperature_c,"
                f" {net.source_return_temperature_c:g} °C) and the warm well"
                f" (network.source_temperature_c, {net.source_temperature_c:g} °C): give the"
                " undisturbed groundwater temperature, about 10-12 °C in the Netherlands"
            )
        return self

    @model_validator(mode="after")
    def _finance_within_horizon(self) -> Scenario:
        check_finance(self)
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
    try:
        data, root = load_yaml(path)
    except InputError as exc:
        raise ScenarioError([str(exc)]) from None
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
    line = yaml_line(root, loc)
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

    Two runs with the same hash had the same inputs; results record it. A file counts
    by its contents, not where it lies, so a model copied elsewhere (or the package
    installed in another folder) keeps its hash, and its cached outcomes.
    """
    contents = {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in _referenced_files(scenario)
    }
    plain = _replace_strings(scenario.model_dump(mode="json"), contents)
    digest = hashlib.sha256(json.dumps(plain, sort_keys=True).encode())
    for data in ("technologies.yaml", "heat_network_costs.yaml", "price_index.yaml"):
        digest.update((DATA_DIR / data).read_bytes())
    return digest.hexdigest()


def _replace_strings(data: Any, replacements: dict[str, str]) -> Any:
    """``data`` (plain JSON) with every string that is a key of ``replacements``
    replaced by its value."""
    if isinstance(data, str):
        return replacements.get(data, data)
    if isinstance(data, dict):
        return {k: _replace_strings(v, replacements) for k, v in data.items()}
    if isinstance(data, list):
        return [_replace_strings(v, replacements) for v in data]
    return data


def _referenced_files(obj: Any) -> set[Path]:
    """Every file path anywhere in a (nested) scenario."""
    if isinstance(obj, Path):
        return {obj}
    if isinstance(obj, BaseModel):
        return set().union(*(_referenced_files(v) for _, v in obj))
    if isinstance(obj, list | tuple):
        return set().union(*(_referenced_files(v) for v in obj))
    return set()

"""Prices of electricity, gas and water, the heat-tariff cap, and CO2 factors."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from optimiser.inputs.base import InputFile, StrictModel
from optimiser.inputs.electricity import DEFAULT_DSO_FILE, DEFAULT_TAX_FILE
from optimiser.inputs.private_grid import PrivateGrid
from optimiser.inputs.sanitation import Levies


class ElectricityPrices(StrictModel):
    """Electricity prices in EUR/kWh, in one of two forms.

    Flat (one bus, one meter): supply flat or an hourly CSV (column ``price_eur_per_kwh``);
    the import price is supply + ``energy_tax_eur_per_kwh``; export earns the export price.

    Dutch tariffs (``day_ahead`` given): the energy centre and the consumer groups have
    their own connections. ``day_ahead`` is ``synthetic`` (the embedded hourly NL shape,
    built by ``scripts/build_nl_price_shape.py``, flagged synthetic in the outputs) or a
    file: ENTSO-E transparency-platform export (``day_ahead_format: entsoe``, local time,
    EUR/MWh) or a plain CSV of 8760 rows with column ``price_eur_per_mwh``. Supply =
    day-ahead + ``supplier_margin_eur_per_kwh``; export = day-ahead -
    ``export_fee_eur_per_kwh``. The energy tax is degressive per connection
    (``energy_tax_file``), the DSO's periodic tariffs come from ``dso_file``; ``year``
    decides net metering (household PV nets against household use before 2027).
    ``energy_centre_tax_refund``: whether the energy centre's connection gets the tax
    refund (only objects with a verblijfsfunctie do; a plant room does not).
    ``private_grid``: the homes and the energy centre behind one boundary meter, with the
    cable's cost (:class:`~optimiser.inputs.private_grid.PrivateGrid`); absent, every home
    keeps its public connection.
    """

    day_ahead: Literal["synthetic"] | InputFile | None = None
    day_ahead_format: Literal["entsoe", "csv"] = "csv"
    supplier_margin_eur_per_kwh: float = Field(default=0.02, ge=-1, le=1)
    export_fee_eur_per_kwh: float = Field(default=0.015, ge=-1, le=1)
    year: int = Field(default=2027, ge=2000, le=2100)
    energy_tax_file: InputFile = DEFAULT_TAX_FILE
    dso_file: InputFile = DEFAULT_DSO_FILE
    energy_centre_tax_refund: bool = False
    private_grid: PrivateGrid | None = None

    supply_eur_per_kwh: float | None = Field(default=None, ge=-1, le=10)
    supply_file: InputFile | None = None
    energy_tax_eur_per_kwh: float = Field(default=0.0, ge=0)
    export_eur_per_kwh: float | None = Field(default=None, ge=-1, le=10)
    export_file: InputFile | None = None

    @model_validator(mode="after")
    def _one_source_each(self) -> ElectricityPrices:
        if self.day_ahead is not None:
            flat = ("supply_eur_per_kwh", "supply_file", "export_eur_per_kwh", "export_file")
            given = [k for k in flat if getattr(self, k) is not None]
            if given or self.energy_tax_eur_per_kwh:
                raise ValueError(
                    "with day_ahead the prices come from the day-ahead series and the tariff"
                    f" files: remove {', '.join(given) or 'energy_tax_eur_per_kwh'}"
                )
            return self
        if self.private_grid is not None:
            raise ValueError(
                "private_grid needs the homes' own connections: set day_ahead (Dutch tariffs)"
            )
        for kind in ("supply", "export"):
            flat = getattr(self, f"{kind}_eur_per_kwh")
            file = getattr(self, f"{kind}_file")
            if (flat is None) == (file is None):
                raise ValueError(f"give exactly one of {kind}_eur_per_kwh and {kind}_file")
        return self

    @property
    def tariffs(self) -> bool:
        """Whether the Dutch tariff form (connections, brackets, DSO) is used."""
        return self.day_ahead is not None

    @property
    def net_metering(self) -> bool:
        """Household PV nets against household use (salderen) before 2027; not behind a
        private grid, where the homes share the energy centre's large connection (netting
        is for small connections up to 3x80 A)."""
        return self.year < 2027 and self.private_grid is None


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
    benchmark 2021: 0.57). The treatment levy (EUR per pollution unit: Delfland 2024
    106.04, derbg.nl, the latest rate found, 2026 not found; about 0.023 units per m3
    for businesses) is a payment between parties, not a
    system cost: it is used in the accounting, not in the optimisation. ``levies``: the
    homes' levies and what the cooperative takes over
    (:class:`~optimiser.inputs.sanitation.Levies`).
    """

    drinking_eur_per_m3: float = Field(ge=0, le=50)
    sewer_eur_per_m3: float = Field(default=0.57, ge=0, le=50)
    levy_eur_per_pollution_unit: float = Field(default=106.04, ge=0)
    pollution_units_per_m3: float = Field(default=0.023, ge=0, le=1)
    levies: Levies = Levies()


class HeatTariffCap(StrictModel):
    """The regulated maximum heat tariff (ACM, Warmtewet), excl. VAT, for the tariff test.

    Defaults: ACM 2026, EUR 40.97/GJ and about EUR 828/year fixed incl. 21 % VAT, i.e.
    EUR 33.86/GJ and EUR 684/year excl. VAT, of which ``meter_eur_per_year`` is the
    meter rent (ACM 2025: EUR 32.80 incl. = EUR 27.11 excl. VAT; the 2026 split is not
    published, so 2025's meter rent is used) and ``fixed_eur_per_year`` the rest
    (standing charge and delivery-set rent).
    """

    eur_per_gj: float = Field(default=33.86, ge=0)
    fixed_eur_per_year: float = Field(default=656.89, ge=0)
    meter_eur_per_year: float = Field(default=27.11, ge=0)
    year: int = 2026


class Prices(StrictModel):
    """Energy and water prices, the CO2 price (EUR/tonne, 0 = not priced), the
    regulated heat-tariff cap, the price of cooling sold from the ATES cold well and the
    VAT rate on energy."""

    electricity: ElectricityPrices
    gas: GasPrices | None = None
    water: WaterPrices | None = None
    heat_cap: HeatTariffCap = HeatTariffCap()
    co2_eur_per_tonne: float = Field(default=0.0, ge=0)
    cooling_eur_per_kwh: float = Field(default=0.0, ge=0)
    vat_rate: float = Field(default=0.21, ge=0, le=1)
    """VAT households pay on gas, heat and their fixed charges: the general rate of 21 %
    (Wet op de omzetbelasting 1968, art. 9; energy is not in the 9 % table). Prices in
    this section exclude it; businesses deduct it."""


class Emissions(StrictModel):
    """CO2 factors: electricity from the grid (kg/kWh) and natural gas (kg/m3)."""

    electricity_kg_per_kwh: float = Field(ge=0, le=2)
    gas_kg_per_m3: float = Field(default=1.785, ge=0, le=5)

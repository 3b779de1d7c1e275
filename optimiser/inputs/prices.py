"""Prices of electricity, gas and water, the heat-tariff cap, and CO2 factors."""

from __future__ import annotations

from pydantic import Field, model_validator

from optimiser.inputs.base import InputFile, StrictModel
from optimiser.inputs.sanitation import Levies


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


class Emissions(StrictModel):
    """CO2 factors: electricity from the grid (kg/kWh) and natural gas (kg/m3)."""

    electricity_kg_per_kwh: float = Field(ge=0, le=2)
    gas_kg_per_m3: float = Field(default=1.785, ge=0, le=5)

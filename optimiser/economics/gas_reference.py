"""The gas reference of every run: what the same homes and businesses would pay and emit
without the cooperative, heating with gas boilers, and what the design saves.

Heating: each connection's gas bill today (:func:`~optimiser.economics.tariff.gas_bill_eur`:
gas at ACM's 32.68 m3 per GJ of heat at supply price plus energy tax, plus the fixed costs
of gas heating), CO2 at ``emissions.gas_kg_per_m3``. The whole reference adds what the
same users would pay alone for electricity and water (the stand-alone costs of
:mod:`optimiser.economics.allocation.stand_alone`) and the grid electricity's CO2, so it
compares with the design's total cost and CO2. All amounts excl. VAT, in euros of the
scenario's price year (EUR/year).
"""

from __future__ import annotations

import xarray as xr

from optimiser.constants import GAS_M3_PER_GJ_HEAT, KWH_PER_GJ
from optimiser.economics.allocation.stand_alone import consumer_alone_eur, factory_alone_eur
from optimiser.economics.tariff import gas_bill_eur
from optimiser.inputs.scenario import Scenario


def gas_reference(scenario: Scenario, inputs: xr.Dataset, summary: dict) -> dict | None:
    """The gas reference and the design's savings against it; None without a gas price.

    ``summary`` is the design's (:func:`~optimiser.outputs.results.summarise`): its total
    cost, CO2 and cost of heat are compared with the reference.
    """
    if scenario.prices.gas is None:
        return None
    groups = scenario.demand.groups
    heating = sum(g.count * gas_bill_eur(scenario, g) for g in groups)
    gas_m3 = sum(
        g.count * g.heat_kwh_per_connection / KWH_PER_GJ * GAS_M3_PER_GJ_HEAT for g in groups
    )
    heating_co2 = gas_m3 * scenario.emissions.gas_kg_per_m3 / 1e3
    total = sum(consumer_alone_eur(scenario, inputs, g) for g in groups)
    total += factory_alone_eur(scenario, inputs)
    electricity = inputs["electricity_demand_kw"].sum("consumer")
    grid_co2 = float((electricity * inputs["electricity_co2_kg_per_kwh"] * inputs["weight"]).sum())
    total_co2 = heating_co2 + grid_co2 / 1e3
    return {
        "gas_m3_per_year": gas_m3,
        "heating_eur_per_year": heating,
        "heating_co2_tonne_per_year": heating_co2,
        "total_eur_per_year": total,
        "total_co2_tonne_per_year": total_co2,
        "heat_savings_eur_per_year": heating - summary["heat_cost"]["annual_eur"],
        "total_savings_eur_per_year": total - summary["total_cost_eur_per_year"],
        "co2_savings_tonne_per_year": total_co2 - summary["co2_tonne_per_year"],
    }

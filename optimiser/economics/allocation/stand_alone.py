"""What each party pays without the cooperative: its stand-alone alternative (EUR/year).

Households and businesses heat with a gas boiler: gas at ACM's 32.68 m3 per GJ of heat
(the NMDA reference's boiler) at supply price plus energy tax, plus the fixed costs of
gas heating per connection (``prices.gas.fixed_heating_eur_per_year``). They buy their
electricity from the grid at the model's hourly import price and, with a ``water``
section, their drinking water (their toilets' too, even where the cooperative's second
pipe would flush them), and send their wastewater to the sewer. The factory buys
its process water as drinking water. A landlord (a party with ``boilers``) pays the
fixed costs of gas heating of the dwellings whose boilers it owns, its tenants the
rest. ACM's fixed part also holds the gas connection's network charges, which tenants
pay in practice; the split is not published, so the landlord's saving is an upper
bound. A party that only owns assets, only finances or holds a reserved stake pays
nothing alone (its money earns its market return either way: the reference). All
amounts exclude VAT, as the model's costs do.
"""

from __future__ import annotations

import xarray as xr

from optimiser.economics.tariff import gas_bill_eur
from optimiser.errors import InputError
from optimiser.inputs.profiles.sanitation import flush_litres, home_use_litres
from optimiser.inputs.scenario import ConsumerGroup, Scenario
from optimiser.model.connections import stand_alone_electricity_eur


def _weighted(inputs: xr.Dataset, series: xr.DataArray) -> float:
    return float((series * inputs["weight"]).sum())


def consumer_alone_eur(
    scenario: Scenario, inputs: xr.Dataset, group: ConsumerGroup, boiler_owned: bool = False
) -> float:
    """A consumer group's yearly cost without the cooperative (all its connections);
    without the fixed costs of gas heating when a landlord owns the boilers."""
    gas = scenario.prices.gas
    if gas is None:
        raise InputError(
            "stand-alone costs need the gas price of today's boilers",
            field="prices.gas",
            fix="set prices.gas (supply_eur_per_m3, energy_tax_eur_per_m3)",
        )
    cost = group.count * gas_bill_eur(scenario, group)
    if boiler_owned:
        cost -= group.count * gas.fixed_heating_eur_per_year
    if scenario.prices.electricity.tariffs:  # its own connections' bill (Dutch tariffs)
        cost += stand_alone_electricity_eur(scenario, inputs, group.name)
    else:
        electricity = inputs["electricity_demand_kw"].sel(consumer=group.name)
        cost += _weighted(inputs, electricity * inputs["electricity_import_eur_per_kwh"])
    if "drinking_water_demand_m3_per_h" in inputs:
        water = inputs["drinking_water_demand_m3_per_h"].sel(consumer=group.name)
        water = water + _flush_water(scenario, group, water)
        cost += _weighted(inputs, water * inputs["drinking_water_eur_per_m3"])
        share = scenario.water.wastewater_share if scenario.water else 0.0
        cost += share * _weighted(inputs, water * inputs["sewer_eur_per_m3"])
    return cost


def _flush_water(scenario: Scenario, group: ConsumerGroup, drinking: xr.DataArray):
    """A home's flush water (m3/h) that the inputs leave out of its drinking water when
    the cooperative's second pipe (``water.toilet_reuse``) serves the toilets: alone the
    home flushes with drinking water again. The inputs scale a home's use by (1 - s),
    s = flush / home use per person and day, so the flush water is drinking x s / (1 - s);
    0 for businesses and without toilet reuse."""
    water = scenario.water
    if water is None or not water.toilet_reuse or group not in scenario.demand.households:
        return 0.0
    share = flush_litres(scenario) / home_use_litres(scenario)
    return drinking * share / (1.0 - share)


def factory_alone_eur(scenario: Scenario, inputs: xr.Dataset) -> float:
    """The factory's yearly process water bought as drinking water (0 without a factory)."""
    if scenario.water is None or scenario.water.factory is None:
        return 0.0
    use = inputs["process_water_demand_m3_per_h"]
    return _weighted(inputs, use * inputs["drinking_water_eur_per_m3"])


def stand_alone_costs(scenario: Scenario, inputs: xr.Dataset) -> dict[str, float]:
    """Each party's yearly cost without the cooperative (EUR/year)."""
    groups = {g.name: g for g in scenario.demand.groups}
    factory = scenario.water.factory if scenario.water is not None else None
    landlords = {g for p in scenario.parties for g in p.boilers}
    costs = {}
    for party in scenario.parties:
        total = 0.0
        if party.boilers:
            fixed = scenario.prices.gas.fixed_heating_eur_per_year if scenario.prices.gas else 0.0
            total += sum(groups[g].count * fixed for g in party.boilers)
        for demand in party.demands:
            if demand in groups:
                total += consumer_alone_eur(scenario, inputs, groups[demand], demand in landlords)
            elif factory is not None and demand == factory.name:
                total += factory_alone_eur(scenario, inputs)
        costs[party.name] = total
    return costs

"""The heat network's cost lines: fixed investments and yearly costs of the cooperative.

Each item of :mod:`optimiser.inputs.network_costs` becomes one
:class:`~optimiser.model.components.FixedInvestment` named after it, so the objective
carries its annuity (over its own lifetime) and its yearly cost, and the results report
it like any component. Quantities:

- trench length: ``network.trench_length_m``, or the sum over groups of connections x
  metres per connection by building density;
- distribution mains: trench metres x factor x (fixed + capacity x mean(P^e)); the pipe
  capacity P falls linearly from the peak heat (demand plus losses, MW) at the energy
  centre to zero at the ends, so mean(P^e) = peak^e / (1 + e);
- house connections per connection; delivery sets, project development and building
  works per home equivalent (building works by building kind);
- energy centre per kW of peak heat; the grid connection fee by the class that holds
  ``technologies.grid.max_kw`` (kW taken as kVA);
- contingency on the sum of the lines above; insurance a share of it a year;
- staff per 1,000 home equivalents; metering and billing per meter (one per home, one
  per business connection).
"""

from __future__ import annotations

from dataclasses import dataclass

from optimiser.errors import InputError
from optimiser.inputs.network_costs import network_cost_catalogue
from optimiser.inputs.profiles.network import trench_length_m
from optimiser.inputs.scenario import Scenario
from optimiser.model.components.fixed_investment import FixedInvestment, FixedInvestmentParams

NETWORK_COST_LINES = (
    "distribution_mains", "house_connections", "delivery_sets", "building_works",
    "energy_centre", "grid_connection", "project_development", "contingency",
    "staff", "metering_billing", "insurance",
)  # fmt: skip
"""The names of the network cost lines, as components in the results."""


@dataclass(frozen=True)
class CostLine:
    """One cost line: investment (EUR), its lifetime, its yearly cost (EUR/year)."""

    name: str
    capex_eur: float
    lifetime_years: float
    fixed_om_fraction_per_year: float = 0.0
    fixed_eur_per_year: float = 0.0


def mains_eur_per_m(scenario: Scenario, peak_kw: float) -> float:
    """Mean cost of a trench metre of distribution mains (EUR/m) for the peak heat."""
    override = scenario.network.costs.mains_eur_per_m
    if override is not None:
        return override
    c = network_cost_catalogue(scenario.finance.price_year)
    exponent = c["mains_capacity_exponent"]
    mean_capacity = (peak_kw / 1e3) ** exponent / (1.0 + exponent)
    return c["mains_factor"] * (
        c["mains_fixed_eur_per_m"] + c["mains_capacity_eur_per_m"] * mean_capacity
    )


def grid_connection_eur(scenario: Scenario) -> float:
    """One-off fee of the grid connection: the smallest class holding ``grid.max_kw``."""
    override = scenario.network.costs.grid_connection_eur
    if override is not None:
        return override
    grid = scenario.technologies.grid
    if grid is None or grid.max_kw is None:
        return 0.0
    classes = network_cost_catalogue(scenario.finance.price_year)["grid_connection_eur_by_kva"]
    fitting = [kva for kva in sorted(classes) if kva >= grid.max_kw]
    if not fitting:
        raise InputError(
            f"no one-off connection fee known above {max(classes):,} kVA"
            f" (technologies.grid.max_kw = {grid.max_kw:,.0f})",
            field="network.costs.grid_connection_eur",
            fix="set the DSO's quoted fee there",
        )
    return classes[fitting[0]]


def network_cost_lines(scenario: Scenario, peak_kw: float) -> list[CostLine]:
    """The network's cost lines for a peak heat of ``peak_kw`` (demand plus losses)."""
    c = network_cost_catalogue(scenario.finance.price_year)
    costs = scenario.network.costs
    demand = scenario.demand
    life = scenario.network.lifetime_years
    lives = line_lifetimes(scenario)

    def price(override: float | None, default: float) -> float:
        return default if override is None else override

    works_per_he = c["building_works_eur_per_home_equivalent"]
    works = sum(
        g.n_home_equivalents
        * price(costs.building_works_eur_per_home_equivalent, works_per_he[g.building_kind])
        for g in demand.groups
    )
    per_connection = price(costs.house_connection_eur, c["house_connection_eur"])
    per_set = price(
        costs.delivery_set_eur_per_home_equivalent, c["delivery_set_eur_per_home_equivalent"]
    )
    development = price(
        costs.project_development_eur_per_home_equivalent,
        c["project_development_eur_per_home_equivalent"],
    )
    mains = trench_length_m(scenario) * mains_eur_per_m(scenario, peak_kw)
    centre = price(costs.energy_centre_eur, peak_kw * c["energy_centre_eur_per_kw"])
    lines = [
        CostLine("distribution_mains", mains, life, c["mains_fixed_om_fraction_per_year"]),
        CostLine(
            "house_connections",
            demand.connections * per_connection,
            life,
            c["house_connection_fixed_om_fraction_per_year"],
        ),
        CostLine(
            "delivery_sets",
            demand.home_equivalents * per_set,
            lives["delivery_sets"],
            c["delivery_set_fixed_om_fraction_per_year"],
        ),
        CostLine(
            "building_works",
            works,
            lives["building_works"],
            c["building_works_fixed_om_fraction_per_year"],
        ),
        CostLine(
            "energy_centre",
            centre,
            lives["energy_centre"],
            c["energy_centre_fixed_om_fraction_per_year"],
        ),
        CostLine("grid_connection", grid_connection_eur(scenario), life),
        CostLine("project_development", demand.home_equivalents * development, life),
    ]
    subtotal = sum(line.capex_eur for line in lines)
    contingency = price(costs.contingency_fraction, c["contingency_fraction"]) * subtotal
    lines.append(CostLine("contingency", contingency, life))
    fte = demand.home_equivalents / 1e3 * c["staff_fte_per_1000_home_equivalents"]
    staff = price(costs.staff_eur_per_year, fte * c["staff_eur_per_fte_year"])
    meters = sum(g.count for g in demand.households) + sum(
        g.n_connections for g in demand.businesses
    )
    per_meter = price(
        costs.metering_billing_eur_per_meter_year, c["metering_billing_eur_per_meter_year"]
    )
    insurance = price(costs.insurance_fraction_per_year, c["insurance_fraction_per_year"])
    return [
        *lines,
        CostLine("staff", 0.0, life, fixed_eur_per_year=staff),
        CostLine("metering_billing", 0.0, life, fixed_eur_per_year=meters * per_meter),
        CostLine("insurance", 0.0, life, fixed_eur_per_year=insurance * (subtotal + contingency)),
    ]


def line_lifetimes(scenario: Scenario) -> dict[str, float]:
    """Lifetime (years) of each network cost line: its own, else the network's."""
    c = network_cost_catalogue(scenario.finance.price_year)
    own = {
        "delivery_sets": c["delivery_set_lifetime_years"],
        "building_works": c["building_works_lifetime_years"],
        "energy_centre": c["energy_centre_lifetime_years"],
    }
    return {name: own.get(name, scenario.network.lifetime_years) for name in NETWORK_COST_LINES}


def network_cost_components(scenario: Scenario, peak_kw: float) -> list[FixedInvestment]:
    """The cost lines as fixed-investment components (lines of zero cost left out)."""
    return [
        FixedInvestment(
            line.name,
            FixedInvestmentParams(
                capex_eur=line.capex_eur,
                lifetime_years=line.lifetime_years,
                fixed_om_fraction_per_year=line.fixed_om_fraction_per_year,
                fixed_eur_per_year=line.fixed_eur_per_year,
            ),
        )
        for line in network_cost_lines(scenario, peak_kw)
        if line.capex_eur > 0 or line.fixed_eur_per_year > 0
    ]

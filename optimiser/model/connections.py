"""Which electricity connections a scenario has under Dutch tariffs, as components.

With ``prices.electricity.day_ahead`` the electricity of the neighbourhood is no longer one
bus behind one meter: the energy centre's large connection is the ``grid`` (carrier
``electricity``: heat pumps, pumps, battery, PV placed there), the homes keep their own
connections (``homes_grid``, carrier ``electricity_homes``: their use and roof PV), and the
businesses theirs (``business_connections``, a constant bill). Flows between connections
pass the public grid as export at one and import at the other, unless the scenario
declares a private grid (``prices.electricity.private_grid``): then the homes sit behind the
energy centre's meter, joined to it by ``private_grid`` instead of ``homes_grid``.
"""

from __future__ import annotations

import numpy as np

from optimiser.errors import InputError
from optimiser.inputs.electricity import bracket_kwh, bracket_tax, load_dso_tariff, load_energy_tax
from optimiser.inputs.profiles.network import trench_length_m
from optimiser.inputs.scenario import Scenario
from optimiser.model.components.base import Component
from optimiser.model.components.consumer_connections import (
    BusinessConnections,
    BusinessConnectionsParams,
    HomesGrid,
    HomesGridParams,
)
from optimiser.model.components.demand import Demand, DemandParams
from optimiser.model.components.grid import GridParams
from optimiser.model.components.private_grid import PrivateGrid, PrivateGridParams


def energy_centre_grid(scenario: Scenario, params: GridParams) -> GridParams:
    """The energy centre's grid parameters with the tax table and the DSO tariffs."""
    el = scenario.prices.electricity
    tax = load_energy_tax(el.energy_tax_file)
    return params.model_copy(
        update={
            "energy_tax": tax,
            "dso": load_dso_tariff(el.dso_file),
            "tax_refund_eur": tax.refund_eur if el.energy_centre_tax_refund else 0.0,
        }
    )


def consumer_connections(scenario: Scenario) -> list[Component]:
    """The homes' demand and connection and the businesses' connections (Dutch tariffs)."""
    el = scenario.prices.electricity
    tax = load_energy_tax(el.energy_tax_file)
    dso = load_dso_tariff(el.dso_file)
    standing = dso.small_connection.total_eur_per_year
    pv = scenario.technologies.pv
    roofs = pv is not None and pv.site == "roofs"
    homes = [g for g in scenario.demand.households if g.count > 0]
    _check_homes(scenario, roofs, private=el.private_grid is not None)
    parts: list[Component] = []
    if homes:
        count = sum(g.count for g in homes)
        parts.append(
            Demand(
                "electricity_demand",
                DemandParams(
                    carrier="electricity_homes", input_variable="household_electricity_kw"
                ),
            )
        )
    if homes and el.private_grid is not None:
        parts.append(private_grid(scenario, count, tax.refund_eur))
    elif homes:
        parts.append(
            HomesGrid(
                "homes_grid",
                HomesGridParams(
                    connections=count,
                    tax_eur_per_kwh=tax.rates()[0],
                    net_metering=el.net_metering,
                    refund_eur_per_year=count * tax.refund_eur,
                    standing_eur_per_year=count * standing,
                    max_export_kw=pv.max_kwp if roofs and pv is not None else 0.0,
                ),
            )
        )
    businesses = {g.name: g.count for g in scenario.demand.businesses if g.count > 0}
    if businesses:
        parts.append(
            BusinessConnections(
                "business_connections",
                BusinessConnectionsParams(
                    groups=businesses,
                    energy_tax=tax,
                    refund_eur_per_connection=tax.refund_eur,
                    standing_eur_per_connection=standing,
                ),
            )
        )
    return parts


def private_grid(scenario: Scenario, homes: int, refund_eur: float) -> PrivateGrid:
    """The private grid of ``homes`` homes: cable along the heat network's trench
    (:func:`trench_length_m`, or the private grid's own length) and a connection and meter
    per home, priced from ``data/electricity/private_grid.yaml`` unless the model file
    gives its own; the homes' tax refund (EUR per home) where they keep it."""
    spec = scenario.prices.electricity.private_grid
    assert spec is not None
    v = spec.resolved(scenario.finance.price_year)
    length = v.get("trench_length_m", trench_length_m(scenario))
    capex = v["cable_eur_per_m"] * length + v["connection_eur_per_home"] * homes
    return PrivateGrid(
        "private_grid",
        PrivateGridParams(
            capex_eur=capex,
            lifetime_years=v["lifetime_years"],
            fixed_om_eur_per_year=v["fixed_om_fraction_per_year"] * capex
            + v["metering_eur_per_home_year"] * homes,
            loss_fraction=v["loss_fraction"],
            refund_eur_per_year=homes * refund_eur if spec.refund_per_home else 0.0,
        ),
    )


def _check_homes(scenario: Scenario, roofs: bool, private: bool) -> None:
    """The homes are one aggregate connection: exact only if every home stays in the
    first tax bracket and (with roof PV) all homes share one load profile. Behind a
    private grid's one meter neither matters, but roof PV still needs homes."""
    el = scenario.prices.electricity
    tax = load_energy_tax(el.energy_tax_file)
    first = tax.widths_kwh()[0]
    for g in scenario.demand.households:
        if (
            not private
            and first is not None
            and bracket_kwh(tax, g.annual_electricity_kwh)[0] < g.annual_electricity_kwh
        ):
            raise InputError(
                f"household group {g.name!r} uses {g.annual_electricity_kwh:g} kWh per"
                f" connection, above the first tax bracket ({first:g} kWh)",
                field="demand.households",
                fix="model such connections as a business group",
            )
    if not roofs:
        return
    if not scenario.demand.households:
        raise InputError(
            "pv.site is roofs but there are no households",
            field="technologies.pv.site",
            fix="use site: energy_centre",
        )
    if private:
        return
    shapes = {
        (g.electricity_profile, g.electricity_profile_file) for g in scenario.demand.households
    }
    if len(shapes) > 1:
        raise InputError(
            "roof PV is spread over the homes, which needs one electricity profile for all"
            " household groups",
            field="demand.households",
            fix="give the household groups the same electricity_profile",
        )


def stand_alone_electricity_eur(scenario: Scenario, inputs, group_name: str) -> float:
    """A consumer group's electricity bill on its own connections without any PV (EUR/year):
    supply at the hourly price, energy tax by bracket per connection less the refund, and
    the small connections' fixed DSO charges."""
    el = scenario.prices.electricity
    tax = load_energy_tax(el.energy_tax_file)
    standing = load_dso_tariff(el.dso_file).small_connection.total_eur_per_year
    count = next(g.count for g in scenario.demand.groups if g.name == group_name)
    weight = np.asarray(inputs["weight"].values, dtype=float)
    use = np.asarray(inputs["electricity_demand_kw"].sel(consumer=group_name).values, dtype=float)
    price = np.asarray(inputs["electricity_import_eur_per_kwh"].values, dtype=float)
    kwh = float(np.sum(weight * use))
    per_connection = kwh / count if count else 0.0
    tax_eur = count * (sum(bracket_tax(tax, per_connection)) - tax.refund_eur)
    return float(np.sum(weight * use * price)) + tax_eur + count * standing

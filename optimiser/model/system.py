"""Which components a scenario has, a static check that demand can be served, the model.

The check runs before any solver: a carrier that is demanded (or drawn by a
technology) but that no technology can produce is an input error with a fix, not an
infeasible model.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr

from optimiser.errors import InputError
from optimiser.inputs.scenario import Scenario
from optimiser.model.builder import ModelBuilder
from optimiser.model.components import (
    TECHNOLOGIES,
    Component,
    Demand,
    FixedInvestment,
    SeparatedStreams,
)
from optimiser.model.components.ates import ATES, SourceCop
from optimiser.model.components.cooling import Cooling, CoolingParams
from optimiser.model.components.demand import DemandParams
from optimiser.model.components.fixed_investment import FixedInvestmentParams
from optimiser.model.components.grid import Grid, GridParams
from optimiser.model.components.heat_pump import loop_cop
from optimiser.model.components.public_water import (
    DrinkingWater,
    DrinkingWaterParams,
    Sewer,
    SewerParams,
)
from optimiser.model.connections import consumer_connections, energy_centre_grid
from optimiser.model.network_costs import network_cost_components
from optimiser.model.security import add_n_minus_1

SUPPLIERS_OF = {
    "network_heat": "heat_pump or backup_boiler",
    "electricity": "grid or pv",
    "electricity_homes": "prices.electricity.day_ahead (the homes' connections)",
    "source_heat": "teo (to charge an ates), or set heat_pump.source: air",
    "gas": "a gas price under prices.gas",
    "process_water": "water_treatment, or set water.drinking_water_for_process: true",
    "drinking_water": "prices.water (drinking water from the utility)",
    "nitrogen": "anaerobic_digester (it releases the nitrogen that ammonium_recovery takes)",
    "phosphorus": "anaerobic_digester (it releases the phosphorus that struvite takes)",
    "black_water": "water.sanitation (separated sewers)",
    "grey_water": "water.sanitation (separated sewers)",
}
"""What a user can add to supply a carrier, for the error message."""


def components_of(scenario: Scenario, inputs: xr.Dataset) -> list[Component]:
    """The demands, fixed investments and technologies of a scenario, in model order
    (the network's cost lines need the year's peak heat from ``inputs``)."""
    network = scenario.network
    tariffs = scenario.prices.electricity.tariffs
    components: list[Component] = [
        Demand(
            "heat_demand", DemandParams(carrier="network_heat", input_variable="heat_demand_kw")
        ),
        *(
            consumer_connections(scenario)
            if tariffs
            else [
                Demand(
                    "electricity_demand",
                    DemandParams(carrier="electricity", input_variable="electricity_demand_kw"),
                )
            ]
        ),
        Demand(
            "network_loss",
            DemandParams(carrier="network_heat", input_variable="network_heat_loss_kw"),
        ),
        Demand(
            "network_pumping",
            DemandParams(carrier="electricity", input_variable="network_pumping_kw"),
        ),
    ]
    components += network_cost_components(scenario, float(inputs["peak_heat_kw"]))
    below = max(0.0, network.reference_supply_temperature_c - network.supply_temperature_c)
    upgrade = network.building_upgrade_eur_per_home_per_k * below * scenario.demand.homes
    if upgrade > 0:
        components.append(
            FixedInvestment(
                "building_upgrade",
                FixedInvestmentParams(
                    capex_eur=upgrade, lifetime_years=network.building_upgrade_lifetime_years
                ),
            )
        )
    if scenario.demand.buys_cooling:
        if scenario.technologies.ates is None:
            raise InputError(
                "cooling is bought but there is no ATES cold well to serve it",
                field="demand.annual_cooling_kwh",
                fix="add technologies.ates, or set the cooling to 0",
            )
        components.append(
            Cooling("cooling", CoolingParams(price_eur_per_kwh=scenario.prices.cooling_eur_per_kwh))
        )
    if scenario.water is not None:
        components += _water_utilities(scenario)
    for key, params in scenario.technology_params().items():
        if key == "grid" and tariffs:
            params = energy_centre_grid(scenario, params)
        elif key == "pv" and params.site == "roofs" and not tariffs:
            raise InputError(
                "PV on the roofs needs the homes' own connections",
                field="technologies.pv.site",
                fix="set prices.electricity.day_ahead (Dutch tariffs) or site: energy_centre",
            )
        if key == "ates":
            components.append(ATES(key, params, source_cop=_loop_heat_pump_cop(scenario)))
        else:
            components.append(TECHNOLOGIES[key](key, params))
    if any("gas" in c.draws() for c in components) and scenario.prices.gas is not None:
        components.append(
            Grid("gas_grid", GridParams(carrier="gas", max_kw=None, allow_export=False))
        )
    return components


def _loop_heat_pump_cop(scenario: Scenario) -> SourceCop | None:
    """The COP function of the heat pumps that draw the source loop (what the ATES's
    own aquifer heat is worth), or None without them."""
    heat_pump = scenario.technology_params().get("heat_pump")
    if heat_pump is None or heat_pump.source != "loop":
        return None
    return partial(loop_cop, heat_pump)


def _water_utilities(scenario: Scenario) -> list[Component]:
    """Water demands, the homes' wastewater, drinking water and the public sewer."""
    water = scenario.water
    assert water is not None
    parts: list[Component] = [
        Demand(
            "drinking_water_demand",
            DemandParams(carrier="drinking_water", input_variable="drinking_water_demand_m3_per_h"),
        ),
        Demand(
            "wastewater",
            DemandParams(carrier="wastewater", input_variable="wastewater_m3_per_h", produces=True),
        ),
    ]
    if water.toilet_reuse:
        parts.append(
            Demand(
                "toilet_flushing",
                DemandParams(carrier="process_water", input_variable="toilet_water_m3_per_h"),
            )
        )
    if water.factory is not None:
        parts.append(
            Demand(
                f"{water.factory.name}_process_water",
                DemandParams(
                    carrier="process_water", input_variable="process_water_demand_m3_per_h"
                ),
            )
        )
    polishing = water.factory.polishing_eur_per_m3 if water.factory is not None else 0.0
    parts.append(
        DrinkingWater(
            "drinking_water",
            DrinkingWaterParams(
                for_process=water.drinking_water_for_process,
                process_polishing_eur_per_m3=polishing,
            ),
        )
    )
    san = water.sanitation
    if san is not None:
        parts.append(SeparatedStreams("separated_streams", SeparatedStreams.Params()))
    if san is None or san.sewer_connected:
        # vacuum toilets discharge into a vacuum main that ends at the local plant
        separated = SewerParams(
            separated=san is not None,
            black_water=san is not None and not san.vacuum_toilets,
            nutrients=san is not None
            and "anaerobic_digester" in scenario.technology_params()
            and not san.recover_nutrients,
        )
        parts.append(Sewer("sewer", separated))
    return parts


OUTLETS_OF = {
    "black_water": (
        "water.sanitation",
        "add technologies.anaerobic_digester (vacuum black water cannot enter the gravity"
        " sewer), or set vacuum_toilets: false and sewer_connected: true",
    ),
    "grey_water": (
        "water.sanitation.sewer_connected",
        "add technologies.greywater_treatment or set sewer_connected: true",
    ),
    "wastewater": (
        "water.sanitation.sewer_connected",
        "set sewer_connected: true (the digester's effluent and the reject go to the sewer)",
    ),
    "nitrogen": (
        "water.sanitation.recover_nutrients",
        "add technologies.ammonium_recovery, or set recover_nutrients: false",
    ),
    "phosphorus": (
        "water.sanitation.recover_nutrients",
        "add technologies.struvite, or set recover_nutrients: false",
    ),
}
"""Streams that must leave somewhere: the field to look at and the fix, for the error."""


def check_outlets(components: list[Component]) -> None:
    """Raise :class:`InputError` if a wastewater stream or nutrient is produced but
    nothing takes it (a stream with no outlet makes the balance infeasible)."""
    supplied = set().union(*(c.supplies() - c.stores() for c in components))
    drawn = set().union(*(c.draws() for c in components))
    for carrier in sorted((supplied - drawn) & set(OUTLETS_OF)):
        field, fix = OUTLETS_OF[carrier]
        raise InputError(f"{carrier} has no outlet", field=field, fix=fix)


def check_servable(components: list[Component], inputs: xr.Dataset) -> None:
    """Raise :class:`InputError` if a demanded or drawn carrier has no source at all."""
    sources = set().union(*(c.supplies() - c.stores() for c in components))
    for component in components:
        if isinstance(component, Demand):
            demanded = float(inputs[component.params.input_variable].sum()) > 0
            needed = component.draws() if demanded else set()
        else:
            needed = component.draws() - component.stores()
        for carrier in sorted(needed - sources):
            raise InputError(
                f"{component.name} needs {carrier} but no technology supplies it",
                field="technologies",
                fix=f"add {SUPPLIERS_OF.get(carrier, 'a supplier')}",
            )


def loop_sources(scenario: Scenario) -> set[str]:
    """The technologies that feed the heat pump's source loop (TEO, residual or
    wastewater heat; an ATES only gives back what was put in), or none when the heat
    pump takes air. Their owners decide whether a coalition's heat pump has a loop."""
    technologies = scenario.technology_params()
    heat_pump = technologies.get("heat_pump")
    if heat_pump is None or heat_pump.source != "loop":
        return set()
    sources = set()
    for key, params in technologies.items():
        component = TECHNOLOGIES[key](key, params)
        if "source_heat" in component.supplies() - component.stores():
            sources.add(key)
    return sources


def loop_without_source(scenario: Scenario) -> bool:
    """Whether the scenario's heat pump draws the source loop while nothing feeds it:
    no :func:`loop_sources` and no cooling that warms an ATES.
    :func:`check_servable` would reject such a system."""
    technologies = scenario.technology_params()
    heat_pump = technologies.get("heat_pump")
    if heat_pump is None or heat_pump.source != "loop" or loop_sources(scenario):
        return False
    return not ("ates" in technologies and scenario.demand.buys_cooling)


def check_system(components: list[Component], inputs: xr.Dataset) -> None:
    """Every check of the system before it is built: each demand and draw has a source
    (:func:`check_servable`) and each stream an outlet (:func:`check_outlets`)."""
    check_servable(components, inputs)
    check_outlets(components)


def clustering_features(scenario: Scenario, inputs: xr.Dataset) -> dict[str, np.ndarray]:
    """The hourly switches of the scenario's components that typical days must keep.

    See :meth:`optimiser.model.components.Component.clustering_features`.
    """
    features: dict = {}
    for component in components_of(scenario, inputs):
        features.update(component.clustering_features(inputs))
    return features


def build_model(
    scenario: Scenario,
    inputs: xr.Dataset,
    slack: bool = False,
    fixed_sizes: dict[str, float] | None = None,
    co2_cap_kg: float | None = None,
    objective: str = "cost",
    design_rules: bool = True,
    tax_line_kwh: float | None = None,
) -> ModelBuilder:
    """Assemble the optimisation model of ``scenario`` over the time steps of ``inputs``.

    With ``slack`` every carrier balance gets penalised shortfall and surplus variables,
    so the model is always feasible: used to diagnose infeasible inputs and to report
    unmet demand when a design is checked on the full year. ``fixed_sizes`` fixes
    investment decisions (label ``component.name`` -> value); ``co2_cap_kg`` and
    ``objective`` see :class:`~optimiser.model.builder.ModelBuilder`. ``design_rules``
    adds the rules on sizes (N-1 security of supply, :mod:`optimiser.model.security`)
    when the scenario asks for them; a check of a fixed design on other weather leaves
    them out, it reports unmet heat instead. ``tax_line_kwh`` models a degressive energy
    tax by one bracket's line (see :class:`~optimiser.model.builder.ModelBuilder`).
    """
    components = components_of(scenario, inputs)
    check_system(components, inputs)
    builder = ModelBuilder(
        inputs,
        discount_rate=scenario.finance.discount_rate,
        co2_price_eur_per_kg=scenario.prices.co2_eur_per_tonne / 1000.0,
        slack=slack,
        fixed_sizes=fixed_sizes or {},
        co2_cap_kg=co2_cap_kg,
        objective=objective,
        tax_line_kwh=tax_line_kwh,
    )
    for component in components:
        component.add(builder)
    if design_rules and scenario.network.n_minus_1:
        add_n_minus_1(builder, components, float(inputs["design_heat_peak_kw"]))
    builder.finish()
    return builder

"""Security of supply (N-1): heat that is there on the coldest day with a unit out.

The rule, as Dutch heat networks are designed: with the largest heat-producing unit
out of service, the remaining units plus the backup boilers cover the design peak,
the heat demand at the design outdoor temperature plus the network loss at that hour
(``design_heat_peak_kw`` of the inputs, see
:func:`optimiser.inputs.profiles.inputs.build_inputs`). For each candidate unit ``u``
one linear constraint on the sizes:

    sum of firm capacities - capacity of u + backup capacity >= design peak

Firm units are the heat-pump modules (each module a unit: modules run independently);
backup boilers count in full and are not taken out. Storage (the heat buffer, the
ATES) and weather-dependent sources (TEO, waste heat) are not firm: a multi-day cold
spell empties a tank, and surface water is coldest then. The heat pumps' own source
(ATES wells) is not checked here.

An electric backup is only there if the connection can carry it. So when backup boilers
burn electricity, the electricity grid's capacity (its contracted kW where the tariff
sizes one, else its physical ``max_kw``) must also cover, in each outage case, the
electric backups at full output plus the remaining heat pumps at their lowest COP of
the year:

    grid capacity >= sum of electric backup capacity / efficiency
                     + (firm capacities - capacity of u) / lowest COP

(the energy centre's other loads, well and network pumps, are small and left out).
Without it a design meets the rule on paper with a boiler its connection cannot feed.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from optimiser.model.builder import ModelBuilder
from optimiser.model.components import Component
from optimiser.model.components.backup_boiler import BackupBoiler
from optimiser.model.components.grid import Grid
from optimiser.model.components.heat_pump import HeatPump

COMPONENT = "security"
"""Name under which the rule's figures are reported (sizes ``security.*``)."""


def _size(mb: ModelBuilder, component: str, name: str):
    """The recorded size expression of ``component.name`` (None if it records none)."""
    sizes = (s.expression for s in mb.sizes if s.component == component and s.name == name)
    return next(sizes, None)


def _lowest_cop(mb: ModelBuilder, pump: HeatPump) -> float:
    """The heat pump's lowest COP of the steps, from the series its ``add`` reported."""
    cop = next(s.values for s in mb.series if s.component == pump.name and s.name == "cop")
    return float(np.min(cop))


def _grid_capacity(mb: ModelBuilder, components: list[Component]):
    """The electricity connection's capacity (kW): the contracted kW the tariff sizes, or
    the physical ``max_kw``; None when a connection has neither (no limit to check)."""
    total = 0.0
    for grid in (c for c in components if isinstance(c, Grid)):
        if grid.params.carrier != "electricity":
            continue
        contracted = _size(mb, grid.name, "contracted_kw")
        if contracted is not None:
            total = total + contracted
        elif grid.params.max_kw is not None:
            total = total + grid.params.max_kw
        else:
            return None
    return total


def add_n_minus_1(mb: ModelBuilder, components: list[Component], design_peak_kw: float) -> None:
    """Add the N-1 constraints and report the design peak and the margin (kW)."""
    blk = mb.block(COMPONENT)
    backup = sum(
        (_size(mb, c.name, "capacity_kw") for c in components if isinstance(c, BackupBoiler)),
        start=0.0,
    )
    pumps = [c for c in components if isinstance(c, HeatPump)]
    firm = sum((c.params.module_kw * _size(mb, c.name, "modules") for c in pumps), start=0.0)
    outages = []
    for pump in pumps:
        modules = _size(mb, pump.name, "modules")
        if modules.fixed:  # a fixed design: no decision, keep the check a pure LP
            any_built = 1.0 if pyo.value(modules) >= 1 else 0.0
        else:
            any_built = pyo.Var(domain=pyo.Binary)
            blk.add_component(f"{pump.name}_built", any_built)
            mb.constrain(
                blk, f"{pump.name}_built_if_modules", modules <= pump.params.max_modules * any_built
            )
            mb.constrain(blk, f"{pump.name}_modules_if_built", any_built <= modules)
        outages.append((pump.name, pump.params.module_kw * any_built))
    if not outages:
        outages.append(("none", 0.0))
    mb.record_size(COMPONENT, "design_peak_kw", design_peak_kw, "kW")
    electric = [c for c in components if isinstance(c, BackupBoiler)
                and c.params.fuel == "electricity"]  # fmt: skip
    capacity = _grid_capacity(mb, components) if electric else None
    backup_kw_electric = sum(
        (_size(mb, c.name, "capacity_kw") / c.params.efficiency for c in electric), start=0.0
    )
    lowest_cop = {pump.name: _lowest_cop(mb, pump) for pump in pumps}
    for unit, lost in outages:
        remaining = firm - lost + backup
        mb.constrain(blk, f"n_minus_1_without_{unit}", remaining >= design_peak_kw)
        if capacity is not None:
            pumps_kw_electric = sum(
                (p.params.module_kw * _size(mb, p.name, "modules") / lowest_cop[p.name]
                 for p in pumps), start=0.0,
            ) - (lost / lowest_cop[unit] if unit in lowest_cop else 0.0)  # fmt: skip
            mb.constrain(
                blk,
                f"n_minus_1_connection_without_{unit}",
                capacity >= backup_kw_electric + pumps_kw_electric,
            )
        mb.record_size(
            COMPONENT, f"margin_without_{unit}_module_kw", remaining - design_peak_kw, "kW"
        )

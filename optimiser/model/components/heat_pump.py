"""Heat-pump modules lifting source heat (or outdoor air) to the network temperature."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params

KELVIN = 273.15


def cop(
    sink_c: np.ndarray | float,
    source_c: np.ndarray | float,
    carnot_fraction: float,
    max_cop: float,
) -> np.ndarray:
    """Coefficient of performance from sink and source temperature (°C).

    ``COP = carnot_fraction * T_sink / (T_sink - T_source)`` with temperatures in
    kelvin: a fixed share of the ideal (Carnot) heating COP. Capped at ``max_cop``,
    which also covers a source as warm as the sink, where the ideal COP is unbounded.
    """
    sink_k = np.asarray(sink_c, dtype=float) + KELVIN
    lift = sink_k - (np.asarray(source_c, dtype=float) + KELVIN)
    with np.errstate(divide="ignore", invalid="ignore"):
        ideal = np.where(lift > 0, carnot_fraction * sink_k / np.where(lift > 0, lift, 1.0), np.inf)
    return np.minimum(ideal, max_cop)


class HeatPumpParams(Params):
    """Module size, cost and the COP model of neighbourhood heat pumps.

    ``source`` is ``loop`` (the source-heat carrier: ATES warm well or TEO water at the
    network's ``source_temperature_c``) or ``air`` (outdoor air, no source carrier).
    With ``min_part_load`` > 0 each running module delivers at least that share of
    its size; the number of running modules per hour is then an integer variable.
    """

    source: Literal["loop", "air"] = "loop"
    module_kw: float = Field(gt=0)
    max_modules: int = Field(ge=0)
    min_modules: int = Field(default=0, ge=0)
    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_eur_per_kw_year: float = Field(ge=0)
    variable_om_eur_per_kwh: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    carnot_fraction: float = Field(gt=0, le=1)
    max_cop: float = Field(gt=1)
    min_part_load: float = Field(ge=0, lt=1)


class HeatPump(Component):
    """Integer modules; heat to the network, electricity and source heat drawn per COP."""

    key: ClassVar[str] = "heat_pump"
    Params: ClassVar[type[Params]] = HeatPumpParams

    def supplies(self) -> set[str]:
        return {"network_heat"}

    def draws(self) -> set[str]:
        return {"electricity", "source_heat"} if self.params.source == "loop" else {"electricity"}

    def cop_series(self, mb: ModelBuilder) -> np.ndarray:
        """Hourly COP from the network supply and the source temperature."""
        inputs = mb.inputs
        sink = inputs["network_supply_c"].values
        source = (
            inputs["source_loop_c"].values
            if self.params.source == "loop"
            else inputs["temp_air"].values
        )
        return cop(sink, source, self.params.carnot_fraction, self.params.max_cop)

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        modules = mb.size_var(blk, self.name, "modules", "modules", p.max_modules, "integer")
        modules.setlb(p.min_modules)
        mb.record_size(self.name, "capacity_kw", p.module_kw * modules, "kW")
        heat = mb.hourly_var(blk, "heat_kw", upper=p.module_kw * p.max_modules)
        mb.modular_output(
            blk, self.name, heat, modules, p.module_kw, p.max_modules, p.min_part_load
        )

        cop_t = self.cop_series(mb)
        mb.report_series(self.name, "cop", cop_t, "-")
        mb.flow(self.name, "network_heat", heat, +1.0)
        mb.flow(self.name, "electricity", heat, -1.0 / cop_t)
        if p.source == "loop":
            mb.flow(self.name, "source_heat", heat, -(1.0 - 1.0 / cop_t))
        capacity = p.module_kw * modules
        mb.invest(self.name, p.capex_eur_per_kw * capacity, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_eur_per_kw_year * capacity)
        mb.cost(self.name, "variable", mb.weighted_sum(heat, p.variable_om_eur_per_kwh))

"""Heat-pump modules lifting source heat (or outdoor air) to the network temperature."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator
from scipy.interpolate import RegularGridInterpolator

from optimiser.errors import InputError
from optimiser.inputs.base import StrictModel
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


def mean_source_c(inlet_c: np.ndarray | float, outlet_c: np.ndarray | float) -> np.ndarray:
    """Thermodynamic mean temperature (°C) of a source stream cooled from inlet to outlet.

    The log-mean of the absolute temperatures, ``(T_in - T_out) / ln(T_in / T_out)`` in
    kelvin: the constant temperature at which the same heat would carry the same entropy,
    so it is the right source temperature for a Carnot-based COP. For 18 -> 8 °C it is
    12.97 °C (the arithmetic mean, 13 °C, differs by 0.03 K). Equal temperatures give
    that temperature.
    """
    t_in = np.asarray(inlet_c, dtype=float) + KELVIN
    t_out = np.asarray(outlet_c, dtype=float) + KELVIN
    ratio = np.log(t_in / t_out)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(
            np.abs(ratio) > 1e-12, (t_in - t_out) / np.where(ratio == 0, 1, ratio), t_in
        )
    return mean - KELVIN


def cop_from_table(sink_c: np.ndarray, source_c: np.ndarray, table: CopTable) -> np.ndarray:
    """COP by bilinear interpolation in a catalogue table (sink x source, °C).

    Raises InputError when a temperature the model uses lies outside the table.
    """
    sink = np.asarray(sink_c, dtype=float)
    source = np.broadcast_to(np.asarray(source_c, dtype=float), sink.shape)
    for name, used, axis in (("sink_c", sink, table.sink_c), ("source_c", source, table.source_c)):
        low, high = float(np.min(used)), float(np.max(used))
        if low < axis[0] - 1e-9 or high > axis[-1] + 1e-9:
            raise InputError(
                f"the COP table covers {axis[0]:g}-{axis[-1]:g} °C but the model uses "
                f"{low:.1f}-{high:.1f} °C",
                field=f"technologies.heat_pump.cop_table.{name}",
                fix="extend the table to the temperatures used, or remove it (Carnot share)",
            )
    interpolator = RegularGridInterpolator((table.sink_c, table.source_c), np.array(table.cop))
    return interpolator(np.column_stack([sink, source]))


def loop_cop(
    params: HeatPumpParams,
    sink_c: np.ndarray,
    inlet_c: np.ndarray | float,
    outlet_c: np.ndarray | float,
) -> np.ndarray:
    """Hourly COP of a heat pump cooling its source stream from ``inlet_c`` to
    ``outlet_c`` (°C) while delivering at ``sink_c``: the log-mean source temperature
    (:func:`mean_source_c`) in the catalogue table or the Carnot share."""
    return _cop(params, sink_c, mean_source_c(inlet_c, outlet_c))


def _cop(params: HeatPumpParams, sink_c: np.ndarray, source_c: np.ndarray) -> np.ndarray:
    if params.cop_table is not None:
        return cop_from_table(sink_c, source_c, params.cop_table)
    return cop(sink_c, source_c, params.carnot_fraction, params.max_cop)


class CopTable(StrictModel):
    """Catalogue COP of a heat pump: ``cop[i][j]`` at sink ``sink_c[i]`` (network supply)
    and mean source temperature ``source_c[j]`` (°C), both ascending."""

    sink_c: list[float] = Field(min_length=2)
    source_c: list[float] = Field(min_length=2)
    cop: list[list[float]]

    @model_validator(mode="after")
    def _shape(self) -> CopTable:
        if sorted(set(self.sink_c)) != self.sink_c or sorted(set(self.source_c)) != self.source_c:
            raise ValueError("sink_c and source_c must be strictly ascending")
        if len(self.cop) != len(self.sink_c) or any(len(r) != len(self.source_c) for r in self.cop):
            raise ValueError("cop must have one row per sink_c and one column per source_c")
        if any(v <= 1 for r in self.cop for v in r):
            raise ValueError("every COP must be above 1")
        return self


class HeatPumpParams(Params):
    """Module size, cost and the COP model of neighbourhood heat pumps.

    ``source`` is ``loop`` (the source-heat carrier: ATES warm well or TEO water at the
    network's ``source_temperature_c``) or ``air`` (outdoor air, no source carrier).
    With ``min_part_load`` > 0 each running module delivers at least that share of
    its size; the number of running modules per hour is then an integer variable.

    ``capex_eur_per_kw`` is this heat pump's; ``air_source_capex_eur_per_kw`` what an
    air-source one of the same size costs: the catalogue's default capex for
    ``source: air``, and what a coalition without the owner of the loop's source builds
    instead (:func:`optimiser.workflows.coalitions.coalition_scenario`).
    """

    source: Literal["loop", "air"] = "loop"
    module_kw: float = Field(gt=0)
    max_modules: int = Field(ge=0)
    min_modules: int = Field(default=0, ge=0)
    capex_eur_per_kw: float = Field(ge=0)
    air_source_capex_eur_per_kw: float = Field(ge=0)
    fixed_om_eur_per_kw_year: float = Field(ge=0)
    variable_om_eur_per_kwh: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    carnot_fraction: float = Field(gt=0, le=1)
    max_cop: float = Field(gt=1)
    min_part_load: float = Field(ge=0, lt=1)
    cop_table: CopTable | None = None


class HeatPump(Component):
    """Integer modules; heat to the network, electricity and source heat drawn per COP."""

    key: ClassVar[str] = "heat_pump"
    Params: ClassVar[type[Params]] = HeatPumpParams

    def supplies(self) -> set[str]:
        return {"network_heat"}

    def draws(self) -> set[str]:
        return {"electricity", "source_heat"} if self.params.source == "loop" else {"electricity"}

    def cop_series(self, mb: ModelBuilder) -> np.ndarray:
        """Hourly COP from the network supply and the mean source temperature.

        A loop heat pump cools its source stream from the warm well (``source_loop_c``)
        to the cold well (``source_return_c``): both count, through their log-mean
        (:func:`mean_source_c`). With a ``cop_table`` the COP is read from it instead of
        the Carnot share.
        """
        inputs = mb.inputs
        sink = np.asarray(inputs["network_supply_c"].values, dtype=float)
        if self.params.source == "loop":
            warm = inputs["source_loop_c"].values
            return loop_cop(self.params, sink, warm, inputs["source_return_c"].values)
        return _cop(self.params, sink, inputs["temp_air"].values)

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

"""ATES (WKO): seasonal heat storage in an aquifer with integer well doublets."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np
import pyomo.environ as pyo
from pydantic import Field

from optimiser.errors import InputError
from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params
from optimiser.model.hourly import HourlyVar
from optimiser.model.storage import add_level

WATER_HEAT_CAPACITY_KWH_PER_M3K = 1.16
"""Volumetric heat capacity of groundwater, kWh/(m3 K) (4.18 MJ/(m3 K) / 3.6)."""

SourceCop = Callable[[np.ndarray, np.ndarray, float], np.ndarray]
"""Hourly COP of the loop heat pumps from sink, source inlet and source outlet (°C):
how the ATES prices the colder water it pumps when it draws the aquifer's own heat."""


class ATESParams(Params):
    """Well doublets, their flow limit, losses and the yearly heat-cold balance rule.

    One doublet moves at most ``flow_m3_per_h_per_doublet`` between its warm and cold
    well; water from the warm well carries ``1.16 kWh/(m3 K) x delta_t_k`` per m3 down to
    the cold well, so a doublet charges or discharges at most ``kw_per_doublet`` kW.

    Dutch permits count the balance at the wells: heat injected (charging) minus heat
    extracted (discharging). Stored heat lost to the surrounding aquifer stays in the
    ground, so with losses a store that only gives back what it was given adds heat.
    The rule (SIKB / meldingbodemenergie: no net heat over any 5 years; a cold surplus is
    allowed within the permit's band) is therefore met the way a heating-dominated WKO
    meets it: the heat pumps also cool undisturbed groundwater at
    ``natural_temperature_c`` down to the cold well (``natural_kw``), heat the aquifer
    gives without having been charged. That water carries only
    ``(natural - cold) / (warm - cold)`` of the heat per m3 (the wells' temperatures are
    the network's ``source_temperature_c`` and ``source_return_temperature_c``), so it
    takes more well flow and pump energy, and the heat pumps' COP on it is lower
    (``source_cop``). Per year the heat added, injected - extracted, lies within
    ``[-balance_tolerance, heat_surplus_tolerance] x injected``. Both default to 0: the
    balance is held exactly, stricter than the rule (which allows a cold surplus). A band
    above 0 needs a binary per hour that stops the wells injecting and extracting in the
    same hour (else that would inflate the injected heat and so the band); it made the
    default model's run 3-4 times slower (207 s against 50-70 s).
    """

    flow_m3_per_h_per_doublet: float = Field(gt=0)
    delta_t_k: float = Field(gt=0)
    capex_eur_per_doublet: float = Field(ge=0)
    fixed_om_eur_per_doublet_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_doublets: int = Field(ge=0)
    pump_kwh_per_m3: float = Field(ge=0)
    loss_per_day: float = Field(ge=0, lt=1)
    balance_tolerance: float = Field(ge=0, le=1)
    heat_surplus_tolerance: float = Field(default=0.0, ge=0, le=1)
    natural_temperature_c: float = Field(ge=0, le=30)
    max_kwh_per_doublet: float | None = Field(default=None, gt=0)

    @property
    def kw_per_doublet(self) -> float:
        """Thermal power one doublet can move (kW)."""
        return self.flow_m3_per_h_per_doublet * WATER_HEAT_CAPACITY_KWH_PER_M3K * self.delta_t_k


class ATES(Component):
    """Seasonal store on the source-heat loop: charged by TEO, drained by heat pumps.

    ``source_cop`` (set by the system from the loop heat pumps) prices the aquifer's own
    heat; without loop heat pumps nothing can use it and it stays off.
    """

    key: ClassVar[str] = "ates"
    Params: ClassVar[type[Params]] = ATESParams

    def __init__(self, name: str, params: Params, source_cop: SourceCop | None = None) -> None:
        super().__init__(name, params)
        self.source_cop = source_cop

    def supplies(self) -> set[str]:
        return {"source_heat"}

    def draws(self) -> set[str]:
        return {"source_heat", "electricity"}

    def stores(self) -> set[str]:
        return {"source_heat"}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        doublets = mb.size_var(blk, self.name, "doublets", "doublets", p.max_doublets, "integer")
        mb.record_size(self.name, "capacity_kw", p.kw_per_doublet * doublets, "kW")
        max_kw = p.kw_per_doublet * p.max_doublets
        charge = mb.hourly_var(blk, "charge_kw", upper=max_kw)
        discharge = mb.hourly_var(blk, "discharge_kw", upper=max_kw)
        share = natural_heat_share(mb, p.natural_temperature_c)
        natural_max = 0.0 if self.source_cop is None else max_kw * share
        natural = mb.hourly_var(blk, "natural_kw", upper=natural_max)
        mb.each_step(
            blk,
            "well_flow",
            [
                (charge, 1.0),
                (discharge, 1.0),
                (natural, 1.0 / share),
                (doublets, -p.kw_per_doublet),
            ],
        )
        if p.balance_tolerance > 0 or p.heat_surplus_tolerance > 0:
            self._one_direction_per_hour(mb, blk, (charge,), (discharge, natural), max_kw)
        volume = None if p.max_kwh_per_doublet is None else p.max_kwh_per_doublet * doublets
        retention = (1.0 - p.loss_per_day) ** (1.0 / 24.0)
        add_level(mb, blk, self.name, [(charge, 1.0), (discharge, -1.0)], retention, volume)

        injected = mb.weighted_sum(charge)
        extracted = mb.weighted_sum(discharge) + mb.weighted_sum(natural)
        heat_surplus = injected - extracted <= p.heat_surplus_tolerance * injected
        mb.constrain(blk, "heat_surplus", heat_surplus, over_year=True)
        cold_surplus = extracted - injected <= p.balance_tolerance * injected
        mb.constrain(blk, "cold_surplus", cold_surplus, over_year=True)

        mb.flow(self.name, "source_heat", charge, -1.0)
        mb.flow(self.name, "source_heat", discharge, +1.0)
        mb.flow(self.name, "source_heat", natural, +1.0)
        for series, variable in (("charge_kw", charge), ("discharge_kw", discharge)):
            mb.report_variable(self.name, series, variable, "kW")
        mb.report_variable(self.name, "natural_heat_kw", natural, "kW")
        pump_kwh_per_kwh = p.pump_kwh_per_m3 / (WATER_HEAT_CAPACITY_KWH_PER_M3K * p.delta_t_k)
        if self.source_cop is not None:
            extra = aquifer_heat_extra_kwh(
                p,
                self.source_cop,
                np.asarray(mb.inputs["network_supply_c"].values, dtype=float),
                np.asarray(mb.inputs["source_loop_c"].values, dtype=float),
                float(mb.inputs["source_return_c"]),
                share,
            )
            mb.flow(self.name, "electricity", natural, -extra)
        if pump_kwh_per_kwh > 0:
            mb.flow(self.name, "electricity", charge, -pump_kwh_per_kwh)
            mb.flow(self.name, "electricity", discharge, -pump_kwh_per_kwh)
        mb.invest(self.name, p.capex_eur_per_doublet * doublets, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_eur_per_doublet_year * doublets)

    @staticmethod
    def _one_direction_per_hour(
        mb: ModelBuilder,
        blk: pyo.Block,
        injecting: tuple[HourlyVar, ...],
        extracting: tuple[HourlyVar, ...],
        max_kw: float,
    ) -> None:
        """The wells inject or extract in an hour, not both (a binary per hour). The
        permit's band is a share of the heat injected: without this, pumping heat into
        the warm well and out again in the same hour would inflate the injected heat and
        widen the band at the cost of a little pumping."""
        charging = mb.hourly_var(blk, "charging", upper=1, integer=True)
        for var in injecting:  # v <= max_kw x charging
            mb.each_step(blk, f"{var.local_name}_direction", [(var, 1.0), (charging, -max_kw)])
        for var in extracting:  # v <= max_kw x (1 - charging)
            mb.each_step(
                blk, f"{var.local_name}_direction", [(var, 1.0), (charging, max_kw)], rhs=max_kw
            )


def natural_heat_share(mb: ModelBuilder, natural_c: float) -> float:
    """Heat per m3 of undisturbed groundwater relative to warm-well water (-):
    ``(natural - cold) / (warm - cold)``; InputError unless the aquifer's own temperature
    lies between the cold and the warm well."""
    warm = float(np.max(mb.inputs["source_loop_c"].values))
    cold = float(mb.inputs["source_return_c"])
    if not cold < natural_c < warm:
        raise InputError(
            f"the aquifer's natural temperature {natural_c:g} °C is not between the cold "
            f"well ({cold:g} °C) and the warm well ({warm:g} °C)",
            field="technologies.ates.natural_temperature_c",
            fix="give the undisturbed groundwater temperature (about 10-12 °C in the "
            "Netherlands), or move the wells' temperatures in network:",
        )
    return (natural_c - cold) / (warm - cold)


def aquifer_heat_extra_kwh(
    params: ATESParams,
    source_cop: SourceCop,
    sink_c: np.ndarray,
    warm_c: np.ndarray,
    cold_c: float,
    share: float,
) -> np.ndarray:
    """Electricity (kWh per kWh of the aquifer's own heat, hourly) beyond what warm-well
    heat costs: the heat pumps' extra work on the colder source,
    ``1/(COP_natural - 1) - 1/(COP_warm - 1)`` (a heat pump drawing source heat ``s`` at
    COP ``c`` uses ``s/(c - 1)`` of electricity), plus the well pumping, ``1/share`` times
    the flow per kWh of warm-well heat."""
    cop_warm = source_cop(sink_c, warm_c, cold_c)
    cop_natural = source_cop(sink_c, np.full_like(sink_c, params.natural_temperature_c), cold_c)
    work = 1.0 / (cop_natural - 1.0) - 1.0 / (cop_warm - 1.0)
    pumping = params.pump_kwh_per_m3 / (WATER_HEAT_CAPACITY_KWH_PER_M3K * params.delta_t_k * share)
    return np.maximum(work, 0.0) + pumping

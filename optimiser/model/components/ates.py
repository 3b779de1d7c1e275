"""ATES (WKO): seasonal heat storage in an aquifer with integer well doublets."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params

WATER_HEAT_CAPACITY_KWH_PER_M3K = 1.16
"""Volumetric heat capacity of groundwater, kWh/(m3 K) (4.18 MJ/(m3 K) / 3.6)."""


class ATESParams(Params):
    """Well doublets, their flow limit, losses and the yearly thermal-balance rule.

    One doublet moves at most ``flow_m3_per_h_per_doublet`` between its warm and cold
    well, so it charges or discharges at most ``flow x 1.16 kWh/(m3 K) x delta_t_k`` kW,
    in one direction at a time. Dutch permits require that no net heat is added to the
    ground over the years: heat injected minus heat extracted (losses stay in the ground
    and count as injected) must lie within ``balance_tolerance`` of the heat injected.
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
    max_kwh_per_doublet: float | None = Field(default=None, gt=0)

    @property
    def kw_per_doublet(self) -> float:
        """Thermal power one doublet can move (kW)."""
        return self.flow_m3_per_h_per_doublet * WATER_HEAT_CAPACITY_KWH_PER_M3K * self.delta_t_k


class ATES(Component):
    """Seasonal store on the source-heat loop: charged by TEO, drained by heat pumps."""

    key: ClassVar[str] = "ates"
    Params: ClassVar[type[Params]] = ATESParams

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
        mb.each_step(
            blk, "well_flow", lambda t: charge[t] + discharge[t] <= p.kw_per_doublet * doublets
        )
        volume = None if p.max_kwh_per_doublet is None else p.max_kwh_per_doublet * doublets
        retention = (1.0 - p.loss_per_day) ** (1.0 / 24.0)
        mb.storage(blk, self.name, lambda t: charge[t] - discharge[t], retention, volume)

        injected = mb.weighted_sum(charge)
        extracted = mb.weighted_sum(discharge)
        tolerance = p.balance_tolerance * injected
        mb.constrain(blk, "yearly_balance_upper", injected - extracted <= tolerance)
        mb.constrain(blk, "yearly_balance_lower", extracted - injected <= tolerance)

        mb.flow(self.name, "source_heat", charge, -1.0)
        mb.flow(self.name, "source_heat", discharge, +1.0)
        if p.pump_kwh_per_m3 > 0:
            pump_kwh_per_kwh = p.pump_kwh_per_m3 / (WATER_HEAT_CAPACITY_KWH_PER_M3K * p.delta_t_k)
            mb.flow(self.name, "electricity", charge, -pump_kwh_per_kwh)
            mb.flow(self.name, "electricity", discharge, -pump_kwh_per_kwh)
        mb.invest(self.name, p.capex_eur_per_doublet * doublets, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_eur_per_doublet_year * doublets)

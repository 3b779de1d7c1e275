"""Heat buffer tank at network temperature: short-term storage of network heat."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class HeatBufferParams(Params):
    """Tank cost per kWh of capacity, standing losses and the power it can move."""

    capex_eur_per_kwh: float = Field(ge=0)
    fixed_om_eur_per_kwh_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    loss_per_day: float = Field(ge=0, lt=1)
    max_kwh: float = Field(ge=0)
    power_per_kwh: float = Field(gt=0)


class HeatBuffer(Component):
    """``level[t] = r level[t-1] + charge[t] - discharge[t]``; power <= power_per_kwh x size."""

    key: ClassVar[str] = "heat_buffer"
    Params: ClassVar[type[Params]] = HeatBufferParams

    def supplies(self) -> set[str]:
        return {"network_heat"}

    def draws(self) -> set[str]:
        return {"network_heat"}

    def stores(self) -> set[str]:
        return {"network_heat"}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        size = mb.size_var(blk, self.name, "capacity_kwh", "kWh", p.max_kwh)
        max_kw = p.power_per_kwh * p.max_kwh
        charge = mb.hourly_var(blk, "charge_kw", upper=max_kw)
        discharge = mb.hourly_var(blk, "discharge_kw", upper=max_kw)
        mb.each_step(
            blk, "power_limit", lambda t: charge[t] + discharge[t] <= p.power_per_kwh * size
        )
        retention = (1.0 - p.loss_per_day) ** (1.0 / 24.0)
        mb.storage(blk, self.name, lambda t: charge[t] - discharge[t], retention, capacity=size)
        mb.flow(self.name, "network_heat", charge, -1.0)
        mb.flow(self.name, "network_heat", discharge, +1.0)
        mb.invest(self.name, p.capex_eur_per_kwh * size, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_eur_per_kwh_year * size)

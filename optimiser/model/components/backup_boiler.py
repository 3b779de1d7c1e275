"""Backup boiler for peaks and outages: gas-fired or electric."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class BackupBoilerParams(Params):
    """Boiler fuel, efficiency (heat out per kWh of fuel, lower heating value) and cost."""

    fuel: Literal["gas", "electricity"]
    efficiency: float = Field(gt=0, le=1.1)
    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_eur_per_kw_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_kw: float = Field(ge=0)


class BackupBoiler(Component):
    """``heat[t] <= capacity``; draws ``heat / efficiency`` of its fuel carrier."""

    key: ClassVar[str] = "backup_boiler"
    Params: ClassVar[type[Params]] = BackupBoilerParams

    def supplies(self) -> set[str]:
        return {"network_heat"}

    def draws(self) -> set[str]:
        return {self.params.fuel}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        capacity = mb.size_var(blk, self.name, "capacity_kw", "kW", p.max_kw, sized_by_peak=True)
        heat = mb.hourly_var(blk, "heat_kw", upper=p.max_kw)
        mb.each_step(blk, "max_load", [(heat, 1.0), (capacity, -1.0)])
        mb.flow(self.name, "network_heat", heat, +1.0)
        mb.flow(self.name, p.fuel, heat, -1.0 / p.efficiency)
        mb.invest(self.name, p.capex_eur_per_kw * capacity, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_eur_per_kw_year * capacity)

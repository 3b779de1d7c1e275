"""Battery: energy (kWh) and power (kW) sized separately, cyclic state of charge."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params
from optimiser.model.storage import add_level


class BatteryParams(Params):
    """Battery costs (energy and inverter power priced apart), size bounds (``max_kwh``
    of storage, ``max_kw`` of inverter power, each its own) and efficiencies."""

    capex_eur_per_kwh: float = Field(ge=0)
    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_kwh: float = Field(ge=0)
    max_kw: float = Field(ge=0)
    charge_efficiency: float = Field(gt=0, le=1)
    discharge_efficiency: float = Field(gt=0, le=1)
    self_discharge_per_day: float = Field(ge=0, lt=1)


class Battery(Component):
    """``level[t] = r level[t-1] + eta_c charge[t] - discharge[t] / eta_d`` (kWh, 1 h steps)."""

    key: ClassVar[str] = "battery"
    Params: ClassVar[type[Params]] = BatteryParams

    def supplies(self) -> set[str]:
        return {"electricity"}

    def draws(self) -> set[str]:
        return {"electricity"}

    def stores(self) -> set[str]:
        return {"electricity"}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        energy = mb.size_var(blk, self.name, "energy_kwh", "kWh", p.max_kwh)
        power = mb.size_var(blk, self.name, "power_kw", "kW", p.max_kw)
        charge = mb.hourly_var(blk, "charge_kw", upper=p.max_kw)
        discharge = mb.hourly_var(blk, "discharge_kw", upper=p.max_kw)
        mb.each_step(blk, "charge_limit", [(charge, 1.0), (power, -1.0)])
        mb.each_step(blk, "discharge_limit", [(discharge, 1.0), (power, -1.0)])
        retention = (1.0 - p.self_discharge_per_day) ** (1.0 / 24.0)
        add_level(
            mb,
            blk,
            self.name,
            [(charge, p.charge_efficiency), (discharge, -1.0 / p.discharge_efficiency)],
            retention,
            capacity=energy,
        )
        mb.flow(self.name, "electricity", charge, -1.0)
        mb.flow(self.name, "electricity", discharge, +1.0)
        capex = p.capex_eur_per_kwh * energy + p.capex_eur_per_kw * power
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

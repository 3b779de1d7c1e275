"""Heat buffer tank at network temperature: short-term storage of network heat."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.ates import WATER_HEAT_CAPACITY_KWH_PER_M3K
from optimiser.model.components.base import Component, Params
from optimiser.model.storage import add_level


def kwh_per_m3(spread_k: float) -> float:
    """Heat a cubic metre of water stores between supply and return (kWh/m3)."""
    return WATER_HEAT_CAPACITY_KWH_PER_M3K * spread_k


class HeatBufferParams(Params):
    """Tank cost per m3 of water, standing losses and the power it can move.

    The tank stores water between the network's design supply and its return
    temperature, so a m3 holds ``1.16 kWh/(m3 K) x (supply - return)``; costs per m3
    (DEA, converted from their 55 K reference) become costs per kWh with that spread.
    """

    capex_eur_per_m3: float = Field(ge=0)
    fixed_om_eur_per_m3_year: float = Field(ge=0)
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
        spread_k = float(mb.inputs["network_design_supply_c"] - mb.inputs["network_return_c"])
        per_m3 = kwh_per_m3(spread_k)
        size = mb.size_var(blk, self.name, "capacity_kwh", "kWh", p.max_kwh)
        mb.record_size(self.name, "volume_m3", size / per_m3, "m3")
        max_kw = p.power_per_kwh * p.max_kwh
        charge = mb.hourly_var(blk, "charge_kw", upper=max_kw)
        discharge = mb.hourly_var(blk, "discharge_kw", upper=max_kw)
        mb.each_step(
            blk, "power_limit", [(charge, 1.0), (discharge, 1.0), (size, -p.power_per_kwh)]
        )
        retention = (1.0 - p.loss_per_day) ** (1.0 / 24.0)
        add_level(mb, blk, self.name, [(charge, 1.0), (discharge, -1.0)], retention, capacity=size)
        mb.flow(self.name, "network_heat", charge, -1.0)
        mb.flow(self.name, "network_heat", discharge, +1.0)
        mb.invest(self.name, p.capex_eur_per_m3 / per_m3 * size, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_eur_per_m3_year / per_m3 * size)

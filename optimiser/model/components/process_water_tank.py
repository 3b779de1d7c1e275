"""A tank of treated (process) water: shifts reuse from night to the factory's shifts."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params
from optimiser.model.storage import add_level


class ProcessWaterTankParams(Params):
    """Tank volume cost per m3; water is not lost, pumps are neglected."""

    capex_eur_per_m3: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_m3: float = Field(ge=0)


class ProcessWaterTank(Component):
    """``volume[t] = volume[t-1] + fill[t] - draw[t]`` (m3), within ``[0, size]``."""

    key: ClassVar[str] = "process_water_tank"
    Params: ClassVar[type[Params]] = ProcessWaterTankParams

    def supplies(self) -> set[str]:
        return {"process_water"}

    def draws(self) -> set[str]:
        return {"process_water"}

    def stores(self) -> set[str]:
        return {"process_water"}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        size = mb.size_var(blk, self.name, "volume_m3", "m3", p.max_m3)
        fill = mb.hourly_var(blk, "fill_m3_per_h", upper=p.max_m3)
        draw = mb.hourly_var(blk, "draw_m3_per_h", upper=p.max_m3)
        add_level(mb, blk, self.name, [(fill, 1.0), (draw, -1.0)], 1.0, capacity=size)
        mb.flow(self.name, "process_water", fill, -1.0)
        mb.flow(self.name, "process_water", draw, +1.0)
        capex = p.capex_eur_per_m3 * size
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

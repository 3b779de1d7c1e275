"""Heat recovered from the neighbourhood's wastewater into the source-heat loop."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.ates import WATER_HEAT_CAPACITY_KWH_PER_M3K
from optimiser.model.components.base import Component, Params


class WastewaterHeatParams(Params):
    """A heat exchanger in the sewer main or at the treatment inlet.

    It can take at most ``flow x 1.16 kWh/(m3 K) x usable_delta_t_k`` from the
    wastewater flowing each hour (the usable drop is limited by what the treatment
    plant tolerates, typically 3-5 K), and at most its size in kW.
    """

    usable_delta_t_k: float = Field(gt=0, le=30)
    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_kw: float = Field(ge=0)
    pump_kwh_per_kwh: float = Field(default=0.0, ge=0)


class WastewaterHeat(Component):
    """``heat[t] <= min(size, wastewater[t] x 1.16 x delta_t)`` kW into source heat."""

    key: ClassVar[str] = "wastewater_heat"
    Params: ClassVar[type[Params]] = WastewaterHeatParams

    def supplies(self) -> set[str]:
        return {"source_heat"}

    def draws(self) -> set[str]:
        return {"electricity"} if self.params.pump_kwh_per_kwh > 0 else set()

    def available_kw(self, mb: ModelBuilder) -> np.ndarray:
        """Heat the wastewater carries above the usable drop, per hour (kW)."""
        flow = np.asarray(mb.inputs["wastewater_m3_per_h"].values, dtype=float)
        return flow * WATER_HEAT_CAPACITY_KWH_PER_M3K * self.params.usable_delta_t_k

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        size = mb.size_var(blk, self.name, "capacity_kw", "kW", p.max_kw)
        available = self.available_kw(mb)
        mb.report_series(self.name, "available_kw", available, "kW")
        heat = mb.hourly_var(blk, "heat_kw", upper=np.minimum(available, p.max_kw))
        mb.each_step(blk, "max_load", [(heat, 1.0), (size, -1.0)])
        mb.flow(self.name, "source_heat", heat, +1.0)
        if p.pump_kwh_per_kwh > 0:
            mb.flow(self.name, "electricity", heat, -p.pump_kwh_per_kwh)
        capex = p.capex_eur_per_kw * size
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

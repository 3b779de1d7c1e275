"""Heat recovered from the homes' grey water, at its real temperature, into source heat.

Grey water leaves showers and washing machines at about 25-30 °C, much warmer than the
mixed sewage a sewer heat exchanger sees (and it need not be kept warm for a biological
plant downstream), so it can be cooled from ``temperature_c`` to ``outlet_c``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field, model_validator

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.ates import WATER_HEAT_CAPACITY_KWH_PER_M3K
from optimiser.model.components.base import Params
from optimiser.model.components.wastewater_heat import WastewaterHeat


class GreywaterHeatParams(Params):
    """A heat exchanger on the grey-water main feeding the source loop (heat pumps)."""

    temperature_c: float = Field(ge=5, le=60)
    outlet_c: float = Field(ge=0, le=40)
    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_kw: float = Field(ge=0)
    pump_kwh_per_kwh: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _cooled(self) -> GreywaterHeatParams:
        if self.outlet_c >= self.temperature_c:
            raise ValueError("outlet_c must be below temperature_c")
        return self


class GreywaterHeat(WastewaterHeat):
    """``heat[t] <= min(size, grey water[t] x 1.16 x (temperature - outlet))`` kW."""

    key: ClassVar[str] = "greywater_heat"
    Params: ClassVar[type[Params]] = GreywaterHeatParams

    def available_kw(self, mb: ModelBuilder) -> np.ndarray:
        """Heat the grey water carries between its temperature and the outlet (kW)."""
        flow = np.asarray(mb.inputs["grey_water_m3_per_h"].values, dtype=float)
        drop = self.params.temperature_c - self.params.outlet_c
        return flow * WATER_HEAT_CAPACITY_KWH_PER_M3K * drop

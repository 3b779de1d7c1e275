"""TEO: heat from surface water (aquathermy) into the source loop, when the water is warm."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import xarray as xr
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class TEOParams(Params):
    """Surface-water intake: fixed cost if built, cost per kW, and the temperature rule.

    The intake delivers heat only in hours when the surface water is at least
    ``min_water_temperature_c``: the water must be warmer than the ATES warm well it
    charges. Pumps draw ``pump_kwh_per_kwh`` of electricity per kWh of heat.
    """

    fixed_capex_eur: float = Field(ge=0)
    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_kw: float = Field(ge=0)
    min_water_temperature_c: float
    pump_kwh_per_kwh: float = Field(ge=0)


class TEO(Component):
    """``heat[t] <= capacity`` in warm-water hours, 0 otherwise; binary build decision."""

    key: ClassVar[str] = "teo"
    Params: ClassVar[type[Params]] = TEOParams

    def supplies(self) -> set[str]:
        return {"source_heat"}

    def draws(self) -> set[str]:
        return {"electricity"}

    def available(self, inputs: xr.Dataset) -> np.ndarray:
        """1 in hours when the surface water is warm enough to harvest, else 0."""
        water = np.asarray(inputs["surface_water_c"].values, dtype=float)
        return (water >= self.params.min_water_temperature_c).astype(float)

    def clustering_features(self, inputs: xr.Dataset) -> dict[str, np.ndarray]:
        return {f"{self.name}_available": self.available(inputs)}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        built = mb.size_var(blk, self.name, "built", "yes/no", 1, "binary")
        capacity = mb.size_var(blk, self.name, "capacity_kw", "kW", p.max_kw)
        mb.constrain(blk, "build_first", capacity <= p.max_kw * built)
        available = self.available(mb.inputs)
        mb.report_series(self.name, "available", available, "-")
        heat = mb.hourly_var(blk, "heat_kw", upper=p.max_kw * available)
        mb.each_step(blk, "max_load", lambda t: heat[t] <= capacity)
        mb.flow(self.name, "source_heat", heat, +1.0)
        if p.pump_kwh_per_kwh > 0:
            mb.flow(self.name, "electricity", heat, -p.pump_kwh_per_kwh)
        capex = p.fixed_capex_eur * built + p.capex_eur_per_kw * capacity
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

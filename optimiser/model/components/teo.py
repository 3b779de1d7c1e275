"""TEO: heat from surface water (aquathermy) into the source loop, when the water is warm."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import xarray as xr
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class TEOParams(Params):
    """Surface-water intake: fixed cost if built, cost per kW, and the heat exchanger.

    The heat exchanger warms loop water returning from the ATES cold well
    (``source_return_c``) towards the warm well (``source_loop_c``); at a fixed loop
    flow its output is ``capacity x (T_water - approach - T_cold) / (T_warm - T_cold)``,
    between 0 and 1: full only when the water is ``approach_k`` above the warm well,
    nothing below ``T_cold + approach``, linear in between (the loop water leaves at most
    ``approach_k`` below the surface water). Heat delivered below the warm-well
    temperature is counted as stored heat relative to the cold well (the ATES keeps no
    temperature). Pumps draw ``pump_kwh_per_kwh`` of electricity per kWh of heat.
    """

    fixed_capex_eur: float = Field(ge=0)
    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_kw: float = Field(ge=0)
    approach_k: float = Field(ge=0, le=10)
    pump_kwh_per_kwh: float = Field(ge=0)


class TEO(Component):
    """``heat[t] <= available[t] x capacity`` (water-temperature share); binary build."""

    key: ClassVar[str] = "teo"
    Params: ClassVar[type[Params]] = TEOParams

    def supplies(self) -> set[str]:
        return {"source_heat"}

    def draws(self) -> set[str]:
        return {"electricity"}

    def available(self, inputs: xr.Dataset) -> np.ndarray:
        """Share (0-1) of the capacity the water temperature allows in each hour."""
        water = np.asarray(inputs["surface_water_c"].values, dtype=float)
        warm = np.asarray(inputs["source_loop_c"].values, dtype=float)
        cold = float(inputs["source_return_c"])
        rise = np.maximum(warm - cold, 1e-9)
        return np.clip((water - self.params.approach_k - cold) / rise, 0.0, 1.0)

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
        mb.each_step(
            blk, "max_load", [(heat, 1.0), (capacity, -np.asarray(available, dtype=float))]
        )
        mb.flow(self.name, "source_heat", heat, +1.0)
        if p.pump_kwh_per_kwh > 0:
            mb.flow(self.name, "electricity", heat, -p.pump_kwh_per_kwh)
        capex = p.fixed_capex_eur * built + p.capex_eur_per_kw * capacity
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

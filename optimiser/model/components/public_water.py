"""The public water utilities: drinking water from the water company, the public sewer.

Both come with every model that has a ``water`` section, as the gas grid comes with a
gas boiler: they are today's way of doing things, against which local treatment and
reuse compete. Their prices are hourly inputs (``drinking_water_eur_per_m3``,
``sewer_eur_per_m3``), like the electricity prices of the grid.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class DrinkingWaterParams(Params):
    """``for_process``: drinking water may also serve process-water demand (as the
    factory is served today); ``max_m3_per_h``: connection limit (None: unlimited)."""

    for_process: bool = True
    max_m3_per_h: float | None = Field(default=None, ge=0)


class DrinkingWater(Component):
    """Drinking water bought at ``drinking_water_eur_per_m3``, for homes and, if allowed,
    as process water."""

    key: ClassVar[str] = "drinking_water"
    Params: ClassVar[type[Params]] = DrinkingWaterParams

    def supplies(self) -> set[str]:
        return (
            {"drinking_water", "process_water"} if self.params.for_process else {"drinking_water"}
        )

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        price = np.asarray(mb.inputs["drinking_water_eur_per_m3"].values, dtype=float)
        to_homes = mb.hourly_var(blk, "drinking_m3_per_h", upper=p.max_m3_per_h)
        mb.flow(self.name, "drinking_water", to_homes, +1.0)
        cost = mb.weighted_sum(to_homes, price)
        if p.for_process:
            to_process = mb.hourly_var(blk, "process_m3_per_h", upper=p.max_m3_per_h)
            mb.flow(self.name, "process_water", to_process, +1.0)
            cost = cost + mb.weighted_sum(to_process, price)
            if p.max_m3_per_h is not None:
                mb.each_step(
                    blk, "connection", lambda t: to_homes[t] + to_process[t] <= p.max_m3_per_h
                )
        mb.cost(self.name, "variable", cost)


class SewerParams(Params):
    """The public sewer takes any wastewater; it has no parameters of its own."""


class Sewer(Component):
    """Wastewater discharged to the public sewer at ``sewer_eur_per_m3`` (the water
    board's cost of treating it centrally)."""

    key: ClassVar[str] = "sewer"
    Params: ClassVar[type[Params]] = SewerParams

    def draws(self) -> set[str]:
        return {"wastewater"}

    def add(self, mb: ModelBuilder) -> None:
        blk = mb.block(self.name)
        discharge = mb.hourly_var(blk, "discharge_m3_per_h")
        mb.flow(self.name, "wastewater", discharge, -1.0)
        price = np.asarray(mb.inputs["sewer_eur_per_m3"].values, dtype=float)
        mb.cost(self.name, "variable", mb.weighted_sum(discharge, price))

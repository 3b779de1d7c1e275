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
from optimiser.model.components.base import Component, Params, report_loads


class DrinkingWaterParams(Params):
    """``for_process``: drinking water may also serve process-water demand (as the
    factory is served today), polished to process quality at
    ``process_polishing_eur_per_m3``; ``max_m3_per_h``: connection limit (None: unlimited)."""

    for_process: bool = True
    max_m3_per_h: float | None = Field(default=None, ge=0)
    process_polishing_eur_per_m3: float = Field(default=0.0, ge=0)


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
            cost = cost + mb.weighted_sum(to_process, price + p.process_polishing_eur_per_m3)
            if p.max_m3_per_h is not None:
                mb.each_step(
                    blk, "connection", [(to_homes, 1.0), (to_process, 1.0)], rhs=p.max_m3_per_h
                )
        mb.cost(self.name, "variable", cost)


class SewerParams(Params):
    """``separated``: the homes' grey water (and, from conventional toilets,
    ``black_water``) arrive in their own pipes; ``nutrients``: the nitrogen and
    phosphorus a digester releases leave with its effluent."""

    separated: bool = False
    black_water: bool = False
    nutrients: bool = False


class Sewer(Component):
    """Wastewater discharged to the public sewer at ``sewer_eur_per_m3`` (the water
    board's cost of treating it centrally); with separated sewers also raw black and
    grey water, whose COD, N and P are reported as sent to the sewer."""

    key: ClassVar[str] = "sewer"
    Params: ClassVar[type[Params]] = SewerParams

    def streams(self) -> tuple[str, ...]:
        """The water carriers the sewer takes."""
        p = self.params
        black = ("black_water",) if p.separated and p.black_water else ()
        grey = ("grey_water",) if p.separated else ()
        return ("wastewater", *black, *grey)

    def draws(self) -> set[str]:
        nutrients = {"nitrogen", "phosphorus"} if self.params.nutrients else set()
        return set(self.streams()) | nutrients

    def add(self, mb: ModelBuilder) -> None:
        blk = mb.block(self.name)
        price = np.asarray(mb.inputs["sewer_eur_per_m3"].values, dtype=float)
        cost = 0.0
        for stream in self.streams():
            name = "discharge_m3_per_h" if stream == "wastewater" else f"{stream}_m3_per_h"
            discharge = mb.hourly_var(blk, name)
            mb.flow(self.name, stream, discharge, -1.0)
            cost = cost + mb.weighted_sum(discharge, price)
            if stream != "wastewater":
                report_loads(mb, self.name, discharge, stream, "sewer")
        if self.params.nutrients:
            for carrier, substance in (("nitrogen", "n"), ("phosphorus", "p")):
                taken = mb.hourly_var(blk, f"{carrier}_kg_per_h")
                mb.flow(self.name, carrier, taken, -1.0)
                mb.report_variable(self.name, f"{substance}_sewer_digested_kg_per_h", taken, "kg/h")
        mb.cost(self.name, "variable", cost)

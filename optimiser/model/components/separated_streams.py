"""The homes' separated wastewater: black and grey water leave in their own pipes."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params, stream_concentration

STREAMS = ("black_water", "grey_water")


class SeparatedStreamsParams(Params):
    """No parameters: volumes and loads are inputs (see
    :mod:`optimiser.inputs.profiles.sanitation`)."""


class SeparatedStreams(Component):
    """Puts ``black_water_m3_per_h`` and ``grey_water_m3_per_h`` into their carriers and
    reports the COD, N and P they carry as the ``load`` the nutrient balance starts from."""

    key: ClassVar[str] = "separated_streams"
    Params: ClassVar[type[Params]] = SeparatedStreamsParams

    def supplies(self) -> set[str]:
        return set(STREAMS)

    def add(self, mb: ModelBuilder) -> None:
        for stream in STREAMS:
            volume = np.asarray(mb.inputs[f"{stream}_m3_per_h"].values, dtype=float)
            mb.fixed_flow(self.name, stream, volume)
            for substance in ("cod", "n", "p"):
                conc = stream_concentration(mb, stream, substance)
                name = f"{substance}_load_{stream}_kg_per_h"
                mb.report_series(self.name, name, volume * conc, "kg/h")

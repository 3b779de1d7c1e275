"""Fixed demands taken from the inputs (heat at the network, electricity, network losses,
drinking and process water) and fixed productions (the homes' wastewater)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class DemandParams(Params):
    """Which input series (per time step in the carrier's unit, summed over consumers) a
    demand draws, or with ``produces`` puts into its carrier."""

    carrier: str
    input_variable: str
    produces: bool = False


class Demand(Component):
    """A fixed demand (or production) of one carrier: the sum over consumers of an input
    series."""

    key: ClassVar[str] = "demand"
    Params: ClassVar[type[Params]] = DemandParams

    def supplies(self) -> set[str]:
        return {self.params.carrier} if self.params.produces else set()

    def draws(self) -> set[str]:
        return set() if self.params.produces else {self.params.carrier}

    def add(self, mb: ModelBuilder) -> None:
        series = mb.inputs[self.params.input_variable]
        if "consumer" in series.dims:
            series = series.sum("consumer")
        sign = 1.0 if self.params.produces else -1.0
        mb.fixed_flow(self.name, self.params.carrier, sign * np.asarray(series.values, dtype=float))

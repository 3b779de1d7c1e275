"""Fixed demands taken from the inputs: heat at the network, electricity, network losses."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from optimiser.components.base import Component, Params
from optimiser.model import ModelBuilder


class DemandParams(Params):
    """Which input series (kW per time step, summed over consumers) a demand draws."""

    carrier: str
    input_variable: str


class Demand(Component):
    """A fixed demand of one carrier: the sum over consumers of an input series (kW)."""

    key: ClassVar[str] = "demand"
    Params: ClassVar[type[Params]] = DemandParams

    def draws(self) -> set[str]:
        return {self.params.carrier}

    def add(self, mb: ModelBuilder) -> None:
        series = mb.inputs[self.params.input_variable]
        if "consumer" in series.dims:
            series = series.sum("consumer")
        mb.fixed_flow(self.name, self.params.carrier, -np.asarray(series.values, dtype=float))

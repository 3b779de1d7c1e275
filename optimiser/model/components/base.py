"""What every component is: parameters, carriers it touches, and how it adds itself."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np
import xarray as xr

from optimiser.inputs.base import StrictModel
from optimiser.model.builder import ModelBuilder
from optimiser.model.hourly import HourlyVar


class Params(StrictModel):
    """Base of all technology parameters: unknown keys are errors, values are checked
    like every model-file section (strict kinds, finite, sane ranges)."""


class Component(ABC):
    """One technology (or demand) in the model: one Pyomo block, flows, sizes and costs.

    Subclasses set ``key`` (the name under ``technologies:`` in a model file),
    ``Params`` (their pydantic parameter model) and the carriers they can supply or
    draw, which the scenario check uses to find demands nothing can serve before any
    solver runs.
    """

    key: ClassVar[str]
    Params: ClassVar[type[Params]]

    def __init__(self, name: str, params: Params) -> None:
        self.name = name
        self.params = params

    def supplies(self) -> set[str]:
        """Carriers this component can put energy into."""
        return set()

    def draws(self) -> set[str]:
        """Carriers this component takes energy from."""
        return set()

    def stores(self) -> set[str]:
        """Carriers this component only shifts in time (a store is no source)."""
        return set()

    def clustering_features(self, inputs: xr.Dataset) -> dict[str, np.ndarray]:
        """Hourly series derived from ``inputs`` that typical days must keep apart.

        A component whose behaviour switches on a threshold of an input (the TEO runs
        only above a water temperature) returns the switch here, so that days on which
        it can run are not clustered with days on which it cannot.
        """
        return {}

    @abstractmethod
    def add(self, mb: ModelBuilder) -> None:
        """Add variables, constraints, flows and costs of this component to ``mb``."""


def stream_concentration(mb: ModelBuilder, stream: str, substance: str) -> float:
    """kg of ``substance`` (cod, n, p) per m3 of a separated ``stream`` (an input scalar)."""
    return float(mb.inputs[f"{stream}_{substance}_kg_per_m3"])


def report_loads(
    mb: ModelBuilder, component: str, volume: HourlyVar, stream: str, fate: str
) -> None:
    """Report the COD, N and P that ``volume`` (m3/h of a separated ``stream``) carries
    to ``fate`` (kg/h), as series ``{substance}_{fate}_{stream}_kg_per_h`` of ``component``.

    Fates are what :mod:`optimiser.outputs.nutrients` balances: load, recovered,
    sludge, converted, effluent, sewer.
    """
    for substance in ("cod", "n", "p"):
        conc = stream_concentration(mb, stream, substance)
        name = f"{substance}_{fate}_{stream}_kg_per_h"
        mb.report_variable(component, name, volume, "kg/h", scale=conc)

"""Cooling sold to buildings, served from the ATES cold well.

Buildings that buy cooling take water from the cold well (~8 °C), warm it with the
heat they remove and return it to the warm well: every kWh of cooling is a kWh of
source heat in the loop, which charges the ATES (or feeds the heat pumps directly).
That is how cooling helps the Dutch permit's heat-cold balance. The cooling demand is
fixed (``cooling_demand_kw`` of the inputs); it earns ``price_eur_per_kwh``, booked as
a negative variable cost of this component.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class CoolingParams(Params):
    """Price of the cooling sold (EUR/kWh of cooling delivered)."""

    price_eur_per_kwh: float = Field(ge=0)


class Cooling(Component):
    """Fixed cooling demand: its heat enters the source loop; its sale is revenue."""

    key: ClassVar[str] = "cooling"
    Params: ClassVar[type[Params]] = CoolingParams

    def supplies(self) -> set[str]:
        return {"source_heat"}

    def add(self, mb: ModelBuilder) -> None:
        cooling = np.asarray(mb.inputs["cooling_demand_kw"].sum("consumer").values, dtype=float)
        mb.fixed_flow(self.name, "source_heat", cooling)
        weight = np.asarray(mb.inputs["weight"].values, dtype=float)
        revenue = float(np.sum(cooling * weight)) * self.params.price_eur_per_kwh
        mb.cost(self.name, "variable", -revenue)

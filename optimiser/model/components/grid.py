"""Connection to a public grid (electricity or gas): purchases, sales and capacity."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class GridParams(Params):
    """A grid connection.

    Prices come from the inputs (``{carrier}_import_eur_per_kwh``,
    ``{carrier}_export_eur_per_kwh`` and ``{carrier}_co2_kg_per_kwh`` per time step),
    so hourly prices and flat prices are handled alike. ``max_kw`` is the physical
    limit of the connection; ``capacity_eur_per_kw_year`` prices the contracted
    capacity (the peak of import and export), which the optimiser sizes.
    """

    carrier: Literal["electricity", "gas"] = "electricity"
    max_kw: float | None = Field(default=None, ge=0)
    capacity_eur_per_kw_year: float = Field(default=0.0, ge=0)
    fixed_eur_per_year: float = Field(default=0.0, ge=0)
    allow_export: bool = True


class Grid(Component):
    """Buys (and sells) one carrier at the hourly prices of the inputs."""

    key: ClassVar[str] = "grid"
    Params: ClassVar[type[Params]] = GridParams

    def supplies(self) -> set[str]:
        return {self.params.carrier}

    def draws(self) -> set[str]:
        return {self.params.carrier} if self.params.allow_export else set()

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        c = p.carrier
        blk = mb.block(self.name)
        inputs = mb.inputs
        buy = mb.hourly_var(blk, "import_kw", upper=p.max_kw)
        mb.flow(self.name, c, buy, +1.0)
        price_in = np.asarray(inputs[f"{c}_import_eur_per_kwh"].values, dtype=float)
        variable = mb.weighted_sum(buy, price_in)
        co2 = np.asarray(inputs[f"{c}_co2_kg_per_kwh"].values, dtype=float)
        mb.cost(self.name, "co2", mb.weighted_sum(buy, co2))

        sell = None
        if p.allow_export:
            sell = mb.hourly_var(blk, "export_kw", upper=p.max_kw)
            mb.flow(self.name, c, sell, -1.0)
            price_out = np.asarray(inputs[f"{c}_export_eur_per_kwh"].values, dtype=float)
            variable = variable - mb.weighted_sum(sell, price_out)
        mb.cost(self.name, "variable", variable)

        fixed = p.fixed_eur_per_year
        if p.capacity_eur_per_kw_year > 0:
            contracted = mb.size_var(
                blk, self.name, "contracted_kw", "kW", p.max_kw, sized_by_peak=True
            )
            mb.each_step(blk, "import_limit", lambda t: buy[t] <= contracted)
            if sell is not None:
                mb.each_step(blk, "export_limit", lambda t: sell[t] <= contracted)
            fixed = fixed + p.capacity_eur_per_kw_year * contracted
        mb.cost(self.name, "fixed_om", fixed)

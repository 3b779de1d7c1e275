"""Residual heat from the factory: into the network when hot enough, else the source loop."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class FactoryHeatParams(Params):
    """A heat exchanger on the factory's residual heat, and the price paid for the heat.

    The heat (input ``factory_heat_kw`` at ``factory_heat_c``) feeds the network
    directly in hours when it is at least the network supply temperature, else the
    source loop of the heat pumps if it is at least the loop temperature, else nothing.
    """

    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_kw: float = Field(ge=0)
    price_eur_per_kwh: float = Field(default=0.0, ge=0)


class FactoryHeat(Component):
    """``direct[t] + loop[t] <= size``, each only in the hours its temperature allows."""

    key: ClassVar[str] = "factory_heat"
    Params: ClassVar[type[Params]] = FactoryHeatParams

    def supplies(self) -> set[str]:
        return {"network_heat", "source_heat"}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        inputs = mb.inputs
        blk = mb.block(self.name)
        size = mb.size_var(blk, self.name, "capacity_kw", "kW", p.max_kw)
        available = np.minimum(np.asarray(inputs["factory_heat_kw"].values, dtype=float), p.max_kw)
        temperature = float(inputs["factory_heat_c"])
        hot = temperature >= np.asarray(inputs["network_supply_c"].values, dtype=float)
        warm = ~hot & (temperature >= np.asarray(inputs["source_loop_c"].values, dtype=float))
        direct = mb.hourly_var(blk, "to_network_kw", upper=available * hot)
        loop = mb.hourly_var(blk, "to_source_kw", upper=available * warm)
        mb.each_step(blk, "max_load", [(direct, 1.0), (loop, 1.0), (size, -1.0)])
        mb.flow(self.name, "network_heat", direct, +1.0)
        mb.flow(self.name, "source_heat", loop, +1.0)
        if p.price_eur_per_kwh > 0:
            paid = mb.weighted_sum(direct, p.price_eur_per_kwh) + mb.weighted_sum(
                loop, p.price_eur_per_kwh
            )
            mb.cost(self.name, "variable", paid)
        capex = p.capex_eur_per_kw * size
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

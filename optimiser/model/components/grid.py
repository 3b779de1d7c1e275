"""Connection to a public grid (electricity or gas): purchases, sales and capacity."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from optimiser.inputs.electricity import DSOTariff, EnergyTax
from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params
from optimiser.model.components.tariffs import add_bracket_tax, add_transport, exclude_arbitrage

UNBOUNDED_KW = 1.0e6
"""Bound (kW) used where a connection has no physical limit but a formulation needs one."""


class GridParams(Params):
    """A grid connection.

    Prices come from the inputs (``{carrier}_import_eur_per_kwh``,
    ``{carrier}_export_eur_per_kwh`` and ``{carrier}_co2_kg_per_kwh`` per time step),
    so hourly prices and flat prices are handled alike. ``max_kw`` is the physical
    limit of the connection; ``capacity_eur_per_kw_year`` prices the contracted
    capacity (the peak of import and export), which the optimiser sizes.

    With Dutch tariffs (the scenario's ``prices.electricity.day_ahead``) the electricity
    grid is the energy centre's large connection: ``energy_tax`` (degressive brackets on
    its yearly import, exact with bracket binaries), ``dso`` (contracted kW by capacity
    class, 12 monthly kW-max, EUR/kWh; these replace ``capacity_eur_per_kw_year`` and
    ``fixed_eur_per_year``) and ``tax_refund_eur`` (EUR/year, if it has a verblijfsfunctie)
    are set by the scenario, not in the model file.
    """

    carrier: Literal["electricity", "gas"] = "electricity"
    max_kw: float | None = Field(default=None, ge=0)
    capacity_eur_per_kw_year: float = Field(default=0.0, ge=0)
    fixed_eur_per_year: float = Field(default=0.0, ge=0)
    allow_export: bool = True
    energy_tax: EnergyTax | None = None
    dso: DSOTariff | None = None
    tax_refund_eur: float = Field(default=0.0, ge=0)


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
        mb.report_variable(self.name, "import_kw", buy, "kW")
        price_in = np.asarray(inputs[f"{c}_import_eur_per_kwh"].values, dtype=float)
        variable = mb.weighted_sum(buy, price_in)
        co2 = np.asarray(inputs[f"{c}_co2_kg_per_kwh"].values, dtype=float)
        mb.cost(self.name, "co2", mb.weighted_sum(buy, co2))

        fixed = p.fixed_eur_per_year
        marginal_in = price_in
        if p.dso is not None:
            transport_fixed, per_kwh = add_transport(mb, blk, self.name, buy, p.dso, p.max_kw)
            fixed = transport_fixed
            variable = variable + mb.weighted_sum(buy, per_kwh)
            marginal_in = marginal_in + per_kwh
        elif p.capacity_eur_per_kw_year > 0:
            contracted = mb.size_var(
                blk, self.name, "contracted_kw", "kW", p.max_kw, sized_by_peak=True
            )
            mb.each_step(blk, "import_limit", [(buy, 1.0), (contracted, -1.0)])
            fixed = fixed + p.capacity_eur_per_kw_year * contracted
        if p.energy_tax is not None:
            bound = UNBOUNDED_KW if p.max_kw is None else p.max_kw
            max_kwh = float(np.sum(mb.weight)) * bound
            annual = mb.weighted_sum(buy)
            variable = variable + add_bracket_tax(
                mb, blk, self.name, annual, p.energy_tax, 1, max_kwh
            )
            variable = variable - p.tax_refund_eur
            marginal_in = marginal_in + min(p.energy_tax.rates())

        if p.allow_export:
            sell = mb.hourly_var(blk, "export_kw", upper=p.max_kw)
            mb.flow(self.name, c, sell, -1.0)
            mb.report_variable(self.name, "export_kw", sell, "kW")
            price_out = np.asarray(inputs[f"{c}_export_eur_per_kwh"].values, dtype=float)
            variable = variable - mb.weighted_sum(sell, price_out)
            if p.capacity_eur_per_kw_year > 0 and p.dso is None:
                mb.each_step(blk, "export_limit", [(sell, 1.0), (contracted, -1.0)])
            bound = UNBOUNDED_KW if p.max_kw is None else p.max_kw
            exclude_arbitrage(mb, blk, buy, sell, marginal_in, price_out, bound)
        mb.cost(self.name, "variable", variable)
        mb.cost(self.name, "fixed_om", fixed)

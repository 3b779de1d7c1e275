"""What struvite precipitation and ammonium recovery share: a unit that takes a nutrient
the digester released (kg/h), recovers a share of it as a product and lets the rest
leave with the effluent."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class NutrientRecoveryParams(Params):
    """A unit sized in kg/h of nutrient inflow (``capacity_kg_per_h``).

    ``recovery``: share of the inflowing nutrient recovered in the product;
    ``chemicals_eur_per_kg`` and ``electricity_kwh_per_kg`` per kg recovered;
    ``product_eur_per_tonne``: what the product sells for (negative: a disposal cost).
    """

    max_kg_per_h: float = Field(ge=0)
    recovery: float = Field(gt=0, le=1)
    capex_eur_per_kg_per_h: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    chemicals_eur_per_kg: float = Field(ge=0)
    electricity_kwh_per_kg: float = Field(ge=0)
    product_eur_per_tonne: float = Field(ge=-1000, le=10_000)


class NutrientRecovery(Component):
    """``recovered[t] = recovery x inflow[t]``, ``inflow[t] <= capacity``; the product is
    ``product_kg_per_kg`` kg per kg of nutrient recovered, sold for ``{product}_revenue
    _eur_per_h`` (reported for the break-even price). Subclasses set the nutrient
    ``carrier`` and ``substance`` and the ``product``; ``binds_n_per_kg`` is the nitrogen
    the product takes along per kg of the nutrient (struvite binds N with P)."""

    carrier: ClassVar[str]
    substance: ClassVar[str]
    product: ClassVar[str]
    product_kg_per_kg: ClassVar[float]
    binds_n_per_kg: ClassVar[float] = 0.0

    def draws(self) -> set[str]:
        also = {"nitrogen"} if self.binds_n_per_kg > 0 else set()
        power = {"electricity"} if self.params.electricity_kwh_per_kg > 0 else set()
        return {self.carrier} | also | power

    def revenue_eur_per_kg(self) -> float:
        """Product sales per kg of nutrient recovered (EUR/kg)."""
        return self.params.product_eur_per_tonne / 1e3 * self.product_kg_per_kg

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        size = mb.size_var(blk, self.name, "capacity_kg_per_h", "kg/h", p.max_kg_per_h)
        inflow = mb.hourly_var(blk, "inflow_kg_per_h", upper=p.max_kg_per_h)
        mb.each_step(blk, "max_load", [(inflow, 1.0), (size, -1.0)])
        r = p.recovery
        mb.flow(self.name, self.carrier, inflow, -1.0)
        if self.binds_n_per_kg > 0:
            mb.flow(self.name, "nitrogen", inflow, -self.binds_n_per_kg * r)
            mb.report_variable(
                self.name, f"n_recovered_{self.product}_kg_per_h", inflow, "kg/h",
                self.binds_n_per_kg * r,
            )  # fmt: skip
        if p.electricity_kwh_per_kg > 0:
            mb.flow(self.name, "electricity", inflow, -p.electricity_kwh_per_kg * r)
        s = self.substance
        mb.report_variable(self.name, f"{s}_recovered_{self.product}_kg_per_h", inflow, "kg/h", r)
        mb.report_variable(
            self.name, f"{s}_effluent_{self.product}_kg_per_h", inflow, "kg/h", 1 - r
        )
        mb.report_variable(
            self.name, f"{self.product}_kg_per_h", inflow, "kg/h", r * self.product_kg_per_kg
        )
        mb.report_variable(
            self.name, f"{self.product}_revenue_eur_per_h", inflow, "EUR/h",
            r * self.revenue_eur_per_kg(),
        )  # fmt: skip
        per_kg_in = r * (p.chemicals_eur_per_kg - self.revenue_eur_per_kg())
        mb.cost(self.name, "variable", mb.weighted_sum(inflow, per_kg_in))
        capex = p.capex_eur_per_kg_per_h * size
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

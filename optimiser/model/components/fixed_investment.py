"""A fixed investment that comes with the system: the heat network's cost lines, building
upgrades; or a fixed yearly cost (staff, metering)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class FixedInvestmentParams(Params):
    """An investment that is not a decision of the model but part of its annual cost:
    ``capex_eur`` written off over ``lifetime_years``, a yearly O&M share of it, and a
    yearly cost of its own (EUR/year)."""

    capex_eur: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    fixed_om_fraction_per_year: float = Field(default=0.0, ge=0)
    fixed_eur_per_year: float = Field(default=0.0, ge=0)


class FixedInvestment(Component):
    """Adds the annuity and fixed O&M of a given investment (EUR) and a fixed yearly cost
    to the annual cost."""

    key: ClassVar[str] = "fixed_investment"
    Params: ClassVar[type[Params]] = FixedInvestmentParams

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        mb.invest(self.name, p.capex_eur, p.lifetime_years)
        mb.cost(
            self.name, "fixed_om", p.fixed_om_fraction_per_year * p.capex_eur + p.fixed_eur_per_year
        )

"""A private low-voltage grid joining the homes' carrier to the energy centre's.

With ``prices.electricity.private_grid`` the homes (carrier ``electricity_homes``: their use
and roof PV) sit behind the energy centre's boundary meter (carrier ``electricity``, the
``grid`` component) instead of behind their own public connections. The cable carries
energy both ways, losing ``loss_fraction`` of what it carries::

    electricity_homes:  - to_centre_kw + (1 - loss) to_homes_kw
    electricity:        + (1 - loss) to_centre_kw - to_homes_kw

Those kWh pay no supply price, energy tax or DSO kWh charge; what the homes draw from the
public grid passes the boundary meter and is taxed there. The component's costs: the cable
and connections' annuity, their O&M and the homes' billing meters (``fixed_om``), less the
homes' tax refund where they keep it (``variable``, a constant credit). Inputs and the
Dutch rules modelled: :mod:`optimiser.inputs.private_grid`.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params

HOMES = "electricity_homes"
CENTRE = "electricity"


class PrivateGridParams(Params):
    """The cable's investment (EUR) and life (years), its yearly O&M and metering
    (EUR/year), the loss per kWh carried, and the homes' tax refund (EUR/year) the
    cooperative's boundary connection passes on."""

    capex_eur: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    fixed_om_eur_per_year: float = Field(ge=0)
    loss_fraction: float = Field(ge=0, lt=0.5)
    refund_eur_per_year: float = Field(ge=0)


class PrivateGrid(Component):
    """Carries electricity between the homes and the energy centre behind one meter."""

    key: ClassVar[str] = "private_grid"
    Params: ClassVar[type[Params]] = PrivateGridParams

    def supplies(self) -> set[str]:
        return {HOMES, CENTRE}

    def draws(self) -> set[str]:
        return {HOMES, CENTRE}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        kept = 1.0 - p.loss_fraction
        to_centre = mb.hourly_var(blk, "to_centre_kw")
        to_homes = mb.hourly_var(blk, "to_homes_kw")
        mb.flow(self.name, HOMES, to_centre, -1.0)
        mb.flow(self.name, CENTRE, to_centre, kept)
        mb.flow(self.name, CENTRE, to_homes, -1.0)
        mb.flow(self.name, HOMES, to_homes, kept)
        mb.report_variable(self.name, "to_centre_kw", to_centre, "kW")
        mb.report_variable(self.name, "to_homes_kw", to_homes, "kW")
        mb.invest(self.name, p.capex_eur, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_eur_per_year)
        mb.cost(self.name, "variable", -p.refund_eur_per_year)

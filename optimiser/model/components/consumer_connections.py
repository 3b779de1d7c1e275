"""The consumers' own electricity connections (with Dutch tariffs).

Each home keeps its meter: the households' connections are one carrier,
``electricity_homes``, holding their use and any roof PV (``pv: {site: roofs}``), linked to
the public grid by import and export. Energy that roof PV sends to the heat pumps leaves
the homes' meters as export and enters the energy centre's as import: there is no private
grid. Businesses' connections only draw their fixed use, so their bill is a constant.

The homes are modelled as one aggregate connection: exact because the scenario check
requires every household connection to stay in the first tax bracket (the marginal tax is
then one rate) and roof PV is spread over the homes in proportion to their use, with one
load profile, so every home imports and exports in the same hours in proportion.

Net metering (``net_metering``, before 2027): exported kWh up to the year's imported kWh
are netted (``netted_kw``), i.e. credited at the supply price of their hour and free of
energy tax; the rest is paid the export price. From 2027 all export is paid the export price
and all import is taxed.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pyomo.environ as pyo
from pydantic import Field

from optimiser.inputs.electricity import EnergyTax, bracket_tax
from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params
from optimiser.model.components.tariffs import exclude_arbitrage

CARRIER = "electricity_homes"


class HomesGridParams(Params):
    """The households' connections: their count, the marginal energy tax (EUR/kWh, the
    first bracket), net metering, the yearly constants in EUR/year for all of them (tax
    refund, standing charges) and the most roof PV can export (kW)."""

    connections: int = Field(ge=0)
    tax_eur_per_kwh: float = Field(ge=0)
    net_metering: bool
    refund_eur_per_year: float = Field(ge=0)
    standing_eur_per_year: float = Field(ge=0)
    max_export_kw: float = Field(ge=0)


class HomesGrid(Component):
    """Import and export of the homes' connections at their hourly prices and tax."""

    key: ClassVar[str] = "homes_grid"
    Params: ClassVar[type[Params]] = HomesGridParams

    def supplies(self) -> set[str]:
        return {CARRIER}

    def draws(self) -> set[str]:
        return {CARRIER} if self.params.max_export_kw > 0 else set()

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        inputs = mb.inputs
        use = np.asarray(inputs["household_electricity_kw"].values, dtype=float)
        price_in = np.asarray(inputs["electricity_import_eur_per_kwh"].values, dtype=float)
        price_out = np.asarray(inputs["electricity_export_eur_per_kwh"].values, dtype=float)
        co2 = np.asarray(inputs["electricity_co2_kg_per_kwh"].values, dtype=float)
        buy = mb.hourly_var(blk, "import_kw", upper=use)
        mb.flow(self.name, CARRIER, buy, +1.0)
        mb.report_variable(self.name, "import_kw", buy, "kW")
        variable = mb.weighted_sum(buy, price_in + p.tax_eur_per_kwh) - p.refund_eur_per_year
        mb.cost(self.name, "co2", mb.weighted_sum(buy, co2))
        if p.max_export_kw > 0:
            sell = mb.hourly_var(blk, "export_kw", upper=p.max_export_kw)
            mb.flow(self.name, CARRIER, sell, -1.0)
            mb.report_variable(self.name, "export_kw", sell, "kW")
            variable = variable - mb.weighted_sum(sell, price_out)
            if p.net_metering:
                netted = mb.hourly_var(blk, "netted_kw", upper=p.max_export_kw)
                mb.report_variable(self.name, "netted_kw", netted, "kW")
                mb.each_step(blk, "netted_of_export", [(netted, 1.0), (sell, -1.0)])
                blk.netting_limit = pyo.Constraint(
                    expr=mb.weighted_sum(netted) <= mb.weighted_sum(buy)
                )
                # a netted kWh earns the import cost instead of the export price
                credit = price_in + p.tax_eur_per_kwh - price_out
                variable = variable - mb.weighted_sum(netted, credit)
            bound = max(float(use.max()), p.max_export_kw)
            exclude_arbitrage(mb, blk, buy, sell, price_in + p.tax_eur_per_kwh, price_out, bound)
        mb.cost(self.name, "variable", variable)
        mb.cost(self.name, "fixed_om", p.standing_eur_per_year)


class BusinessConnectionsParams(Params):
    """The businesses' connections: consumer group -> number of connections, the tax
    table, the refund and the standing charges per connection (EUR/year)."""

    groups: dict[str, int]
    energy_tax: EnergyTax
    refund_eur_per_connection: float = Field(ge=0)
    standing_eur_per_connection: float = Field(ge=0)


class BusinessConnections(Component):
    """The businesses' bills: their use is fixed, so energy (hourly supply price x use),
    tax (brackets per connection, exact arithmetic) and standing charges are constants."""

    key: ClassVar[str] = "business_connections"
    Params: ClassVar[type[Params]] = BusinessConnectionsParams

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        price_in = np.asarray(mb.inputs["electricity_import_eur_per_kwh"].values, dtype=float)
        co2 = np.asarray(mb.inputs["electricity_co2_kg_per_kwh"].values, dtype=float)
        variable = emitted = fixed = 0.0
        for name, count in p.groups.items():
            use = np.asarray(mb.inputs["electricity_demand_kw"].sel(consumer=name), dtype=float)
            kwh = float(np.sum(mb.weight * use))
            per_connection = kwh / count if count else 0.0
            tax = count * sum(bracket_tax(p.energy_tax, per_connection))
            variable += float(np.sum(mb.weight * use * price_in)) + tax
            variable -= count * p.refund_eur_per_connection
            emitted += float(np.sum(mb.weight * use * co2))
            fixed += count * p.standing_eur_per_connection
        mb.cost(self.name, "variable", variable)
        mb.cost(self.name, "co2", emitted)
        mb.cost(self.name, "fixed_om", fixed)

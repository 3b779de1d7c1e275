"""The cooperative's cash flows over the network's life, and the revenue that carries them.

Year 0: the cooperative invests in the heat assets it owns (the design's investments
less those a party owns) and receives subsidies, connection contributions, equity and
loans. Years 1..life: tariff revenue, minus operating costs (the cost of heat without
its capital annuities and without the fixed O&M of assets a party owns, which the
owner pays from its fee), fees to asset owners, debt service and replacements (assets
bought again at the end of their life; residual value returned in the last year).
Debt service coverage (DSCR) is the cash from operations over the debt service each
year. The revenue the tariff must bring is the constant yearly amount that makes the
net present value of these cash flows zero at the discount rate: it pays the costs, the
fees and the loans, with the grants counted. All EUR, excl. VAT, real terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimiser.constants import GJ_PER_MWH
from optimiser.economics.finance import (
    Asset,
    investment_flows,
    irr,
    loan_schedule,
    npv,
    payback_years,
)
from optimiser.inputs.scenario import Scenario


@dataclass(frozen=True)
class CooperativeCase:
    """Yearly cash flows (a table by year) and their key figures."""

    table: pd.DataFrame
    npv_eur: float
    irr: float | None
    payback_years: float | None
    min_dscr: float

    def summary(self) -> dict:
        """Key figures as plain numbers (for JSON)."""
        return {
            "npv_eur": self.npv_eur,
            "irr": self.irr,
            "payback_years": self.payback_years,
            "min_debt_service_coverage": None if np.isinf(self.min_dscr) else self.min_dscr,
            "debt_eur": float(self.table["loans"].sum()),
        }


def _lifetime(scenario: Scenario, component: str) -> int:
    params = scenario.technology_params()
    if component in params:
        return round(params[component].lifetime_years)
    if component == "building_upgrade":
        return round(scenario.network.building_upgrade_lifetime_years)
    return round(scenario.network.lifetime_years)


def heat_supplied_mwh(summary: dict) -> dict[str, float]:
    """Heat each component feeds into the network or the source loop (MWh/year)."""
    supplied: dict[str, float] = {}
    for label, flows in summary["annual_energy"].items():
        component, carrier = label.split(".", 1)
        if carrier in ("network_heat", "source_heat"):
            supplied[component] = supplied.get(component, 0.0) + flows["in_mwh"]
    return supplied


def _table(scenario: Scenario, heat_cost: dict, supplied_mwh: dict, revenue: float) -> pd.DataFrame:
    horizon = round(scenario.network.lifetime_years)
    owned = {a: p for p in scenario.parties for a in p.assets}
    assets = [
        Asset(c, capex, _lifetime(scenario, c))
        for c, capex in heat_cost["investment_eur"].items()
        if c not in owned
    ]
    fees = sum(
        (p.heat_fee_eur_per_gj or 0.0) * supplied_mwh.get(a, 0.0) * GJ_PER_MWH
        for a, p in owned.items()
    )
    years = np.arange(horizon + 1)
    table = pd.DataFrame(0.0, index=pd.Index(years, name="year"), columns=[
        "investment", "grants", "equity", "loans", "revenue", "opex", "fees", "debt_service",
    ])  # fmt: skip
    table["investment"] = investment_flows(assets, horizon)
    table.loc[0, "grants"] = sum(
        p.subsidy_eur + p.connection_contributions_eur for p in scenario.parties
    )
    table.loc[0, "equity"] = sum(p.equity_eur for p in scenario.parties)
    for party in scenario.parties:
        for loan in party.loans:
            table.loc[0, "loans"] += loan.amount_eur
            schedule = loan_schedule(loan.amount_eur, loan.rate, loan.years)
            table.loc[schedule.index, "debt_service"] += schedule["payment"].to_numpy()
    operating = years > 0
    table.loc[operating, "revenue"] = revenue
    # an owned asset's fixed O&M is its owner's, paid from the fee: not the cooperative's
    owners_om = sum(heat_cost.get("fixed_om_eur", {}).get(a, 0.0) for a in owned)
    table.loc[operating, "opex"] = (
        heat_cost["annual_eur"] - heat_cost["capex_annuity_eur"] - owners_om
    )
    table.loc[operating, "fees"] = fees
    table["cash_from_operations"] = table["revenue"] - table["opex"] - table["fees"]
    table["net_cash"] = (
        table["cash_from_operations"]
        - table["investment"]
        + table["grants"]
        + table["loans"]
        - table["debt_service"]
    )
    with np.errstate(divide="ignore"):
        table["dscr"] = np.where(
            table["debt_service"] > 0, table["cash_from_operations"] / table["debt_service"], np.inf
        )
    return table


def required_revenue(scenario: Scenario, heat_cost: dict, supplied_mwh: dict) -> float:
    """The constant yearly revenue (EUR/year) at which the cooperative's cash flows have
    zero net present value at the discount rate (the cash flows are linear in it)."""
    rate = scenario.finance.discount_rate
    without = npv(rate, _table(scenario, heat_cost, supplied_mwh, 0.0)["net_cash"].to_numpy())
    per_euro = npv(rate, _table(scenario, heat_cost, supplied_mwh, 1.0)["net_cash"].to_numpy())
    return max(-without / (per_euro - without), 0.0)


def cooperative_case(
    scenario: Scenario, heat_cost: dict, supplied_mwh: dict, revenue: float
) -> CooperativeCase:
    """The cash flows of the cooperative of all parties at a yearly ``revenue``."""
    table = _table(scenario, heat_cost, supplied_mwh, revenue)
    flows = table["net_cash"].to_numpy()
    operating = table.index > 0
    return CooperativeCase(
        table=table,
        npv_eur=npv(scenario.finance.discount_rate, flows),
        irr=irr(flows),
        payback_years=payback_years(flows),
        min_dscr=float(table.loc[operating, "dscr"].min()),
    )

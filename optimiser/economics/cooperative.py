"""The cooperative's cash flows over the project years, and the revenue that carries them.

Before operation (development and construction years) the cooperative spends its first
investment in the heat assets it owns (the design's investments less those a party
owns), phased as :func:`optimiser.economics.funding.capex_weights` says, and receives
grants, contributions, equity and loans (:mod:`optimiser.economics.funding`). In the
operating years: tariff revenue and variable operating costs in proportion to the
connections online, fixed O&M in full, fees to asset owners, debt service (interest,
principal and the repayment of pre-financing), dividends on equity, replacements
(assets bought again at the end of their life; residual value back in the last year).
Debt service coverage (DSCR) is the cash from operations over the debt service each
year. All EUR, excl. VAT, real terms. The revenue tests (NPV zero, lender tests) are in
:mod:`optimiser.economics.lender`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimiser.constants import GJ_PER_MWH
from optimiser.economics.finance import Asset, investment_flows, irr, npv, payback_years
from optimiser.economics.funding import capex_weights, connected_share, funding_table
from optimiser.inputs.scenario import Scenario
from optimiser.model.network_costs import line_lifetimes


@dataclass(frozen=True)
class CooperativeCase:
    """Yearly cash flows (a table by project year) and their key figures at one revenue."""

    table: pd.DataFrame
    revenue_eur_per_year: float
    npv_eur: float
    irr: float | None
    payback_years: float | None
    min_dscr: float
    min_cash_after_debt_service_eur: float
    cash_low_point_eur: float
    cash_low_point_year: int
    covenant: float

    @property
    def covenant_holds(self) -> bool:
        """Cash after debt service is never negative in an operating year and the DSCR
        is at least the covenant in every operating year with debt service."""
        return self.min_cash_after_debt_service_eur >= -1e-6 and self.min_dscr >= (
            self.covenant - 1e-9
        )

    def summary(self) -> dict:
        """Key figures as plain numbers (for JSON)."""
        return {
            "revenue_eur_per_year": self.revenue_eur_per_year,
            "npv_eur": self.npv_eur,
            "irr": self.irr,
            "payback_years": self.payback_years,
            "min_debt_service_coverage": None if np.isinf(self.min_dscr) else self.min_dscr,
            "min_cash_after_debt_service_eur": self.min_cash_after_debt_service_eur,
            "cash_low_point_eur": self.cash_low_point_eur,
            "cash_low_point_year": self.cash_low_point_year,
            "covenant_min_dscr": self.covenant,
            "covenant_holds": self.covenant_holds,
            "debt_eur": float(self.table["loans"].sum()),
        }


def _lifetime(scenario: Scenario, component: str) -> int:
    params = scenario.technology_params()
    if component in params:
        return round(params[component].lifetime_years)
    if component == "building_upgrade":
        return round(scenario.network.building_upgrade_lifetime_years)
    return round(line_lifetimes(scenario).get(component, scenario.network.lifetime_years))


def heat_supplied_mwh(summary: dict) -> dict[str, float]:
    """Heat each component feeds into the network or the source loop (MWh/year)."""
    supplied: dict[str, float] = {}
    for label, flows in summary["annual_energy"].items():
        component, carrier = label.split(".", 1)
        if carrier in ("network_heat", "source_heat"):
            supplied[component] = supplied.get(component, 0.0) + flows["in_mwh"]
    return supplied


def cooperative_investment_eur(scenario: Scenario, heat_cost: dict) -> float:
    """The cooperative's first investment (EUR): the heat assets no party owns."""
    owned = {a for p in scenario.parties for a in p.assets}
    return sum(v for c, v in heat_cost["investment_eur"].items() if c not in owned)


def _investment(scenario: Scenario, heat_cost: dict, years: int) -> np.ndarray:
    """Investment per project year: the first one phased before operation, replacements
    and the residual value counted from the commissioning year."""
    owned = {a for p in scenario.parties for a in p.assets}
    assets = [
        Asset(c, capex, _lifetime(scenario, c))
        for c, capex in heat_cost["investment_eur"].items()
        if c not in owned
    ]
    life = round(scenario.network.lifetime_years)
    flows = investment_flows(assets, life)
    first = scenario.finance.first_operating_year
    spent = np.zeros(years)
    spent[:first] = flows[0] * capex_weights(scenario)
    spent[first : first + life] += flows[1:]
    return spent


def cash_flow_table(
    scenario: Scenario,
    heat_cost: dict,
    supplied_mwh: dict,
    revenue: float,
    fixed_om_eur_per_year: dict | None = None,
) -> pd.DataFrame:
    """The cooperative's cash flows per project year at a full-year ``revenue`` (EUR).

    ``fixed_om_eur_per_year`` (per component) tells which operating costs do not scale
    with the connections online; owners' fixed O&M is theirs, paid from their fee.
    """
    table = funding_table(scenario)
    share = connected_share(scenario)
    operating = share > 0
    owned = {a: p for p in scenario.parties for a in p.assets}
    fixed_om = fixed_om_eur_per_year or {}
    owners_om = sum(fixed_om.get(a, 0.0) for a in owned)
    coop_fixed = sum(fixed_om.get(c, 0.0) for c in heat_cost["investment_eur"] if c not in owned)
    opex = heat_cost["annual_eur"] - heat_cost["capex_annuity_eur"] - owners_om
    fees = sum(
        (p.heat_fee_eur_per_gj or 0.0) * supplied_mwh.get(a, 0.0) * GJ_PER_MWH
        for a, p in owned.items()
    )
    table.insert(0, "connected_share", share)
    table.insert(1, "investment", _investment(scenario, heat_cost, len(table)))
    table["revenue"] = share * revenue
    table["opex"] = np.where(operating, coop_fixed + (opex - coop_fixed) * share, 0.0)
    table["fees"] = share * fees
    table["debt_service"] = table["interest"] + table["principal"] + table["grant_repayment"]
    table["cash_from_operations"] = table["revenue"] - table["opex"] - table["fees"]
    table["cash_after_debt_service"] = table["cash_from_operations"] - table["debt_service"]
    table["net_cash"] = (
        table["cash_after_debt_service"]
        - table["investment"]
        + table["grants"]
        + table["contributions"]
        + table["equity"]
        + table["loans"]
        - table["dividends"]
        - table["equity_redemption"]
    )
    table["cumulative_cash"] = table["net_cash"].cumsum()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["dscr"] = np.where(
            table["debt_service"] > 0, table["cash_from_operations"] / table["debt_service"], np.inf
        )
    return table


def required_revenue(
    scenario: Scenario,
    heat_cost: dict,
    supplied_mwh: dict,
    fixed_om_eur_per_year: dict | None = None,
) -> float:
    """The constant yearly revenue (EUR/year, all connections online) at which the
    cooperative's cash flows have zero net present value at the discount rate (the cash
    flows are linear in it)."""
    rate = scenario.finance.discount_rate

    def value(revenue: float) -> float:
        table = cash_flow_table(scenario, heat_cost, supplied_mwh, revenue, fixed_om_eur_per_year)
        return npv(rate, table["net_cash"].to_numpy())

    without = value(0.0)
    return max(-without / (value(1.0) - without), 0.0)


def cooperative_case(
    scenario: Scenario,
    heat_cost: dict,
    supplied_mwh: dict,
    revenue: float,
    fixed_om_eur_per_year: dict | None = None,
) -> CooperativeCase:
    """The cash flows of the cooperative of all parties at a yearly ``revenue``."""
    table = cash_flow_table(scenario, heat_cost, supplied_mwh, revenue, fixed_om_eur_per_year)
    flows = table["net_cash"].to_numpy()
    operating = table["connected_share"] > 0
    low_year = int(table["cumulative_cash"].idxmin())
    return CooperativeCase(
        table=table,
        revenue_eur_per_year=revenue,
        npv_eur=npv(scenario.finance.discount_rate, flows),
        irr=irr(flows),
        payback_years=payback_years(flows),
        min_dscr=float(table.loc[operating, "dscr"].min()),
        min_cash_after_debt_service_eur=float(
            table.loc[operating, "cash_after_debt_service"].min()
        ),
        cash_low_point_eur=float(table.loc[low_year, "cumulative_cash"]),
        cash_low_point_year=low_year,
        covenant=scenario.finance.min_dscr,
    )

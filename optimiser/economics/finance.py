"""Money over the years: annuities, loans, cash flows with replacements, NPV, IRR.

Plain functions on yearly numbers (EUR, end of year, year 0 = the investment year), so
the cooperative's tariff, a water board's TEO business case and a loan's debt service
are all computed the same way. Rates are real rates per year as fractions (0.03 = 3 %).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from optimiser.annuity import annuity_factor


def loan_schedule(
    amount: float, rate: float, years: int, kind: str = "annuity", grace_years: int = 0
) -> pd.DataFrame:
    """Yearly schedule of a loan: opening balance, interest, principal, payment, closing.

    The first ``grace_years`` pay interest only; the remaining ``years - grace_years``
    repay it, ``kind`` ``annuity`` (equal payments) or ``linear`` (equal principal).
    Index: years 1..``years`` after drawing (EUR).
    """
    if amount < 0 or years < 1:
        raise ValueError("a loan needs amount >= 0 and at least one year")
    if not 0 <= grace_years < years:
        raise ValueError("grace_years must be at least 0 and shorter than the term")
    if kind not in ("annuity", "linear"):
        raise ValueError(f"unknown loan kind {kind!r}; use annuity or linear")
    repaying = years - grace_years
    payment = amount * annuity_factor(rate, repaying)
    rows = []
    balance = float(amount)
    for year in range(1, years + 1):
        interest = balance * rate
        if year <= grace_years:
            principal = 0.0
        else:
            principal = payment - interest if kind == "annuity" else amount / repaying
        rows.append((year, balance, interest, principal, interest + principal, balance - principal))
        balance -= principal
    frame = pd.DataFrame(
        rows, columns=["year", "opening", "interest", "principal", "payment", "closing"]
    ).set_index("year")
    frame.loc[frame.index[-1], "closing"] = 0.0  # rounding of the last annuity payment
    return frame


@dataclass(frozen=True)
class Asset:
    """An investment (EUR) with a technical lifetime, replaced at its end within the horizon."""

    name: str
    capex_eur: float
    lifetime_years: int


def investment_flows(assets: list[Asset], horizon_years: int) -> np.ndarray:
    """Investments per year 0..horizon (EUR, positive = spent), replacements included.

    An asset bought in year 0 is bought again in years L, 2L, ... before the horizon; the
    share of its last purchase not yet used at the horizon comes back as residual value
    (linear depreciation) in the final year.
    """
    flows = np.zeros(horizon_years + 1)
    for asset in assets:
        if asset.lifetime_years < 1:
            raise ValueError(f"{asset.name}: lifetime must be at least one year")
        purchases = range(0, horizon_years, asset.lifetime_years)
        for year in purchases:
            flows[year] += asset.capex_eur
        last = max(purchases)
        unused = (last + asset.lifetime_years - horizon_years) / asset.lifetime_years
        flows[horizon_years] -= asset.capex_eur * max(unused, 0.0)
    return flows


def npv(rate: float, flows: np.ndarray) -> float:
    """Net present value of yearly flows, ``flows[0]`` in year 0 (not discounted)."""
    years = np.arange(len(flows))
    return float(np.sum(np.asarray(flows, dtype=float) / (1.0 + rate) ** years))


def irr(flows: np.ndarray) -> float | None:
    """Internal rate of return: the rate where the NPV is zero, or None if there is none
    in (-99 %, 1000 %) (e.g. flows that never turn positive) or it is not unique (the
    flows change sign more than once, as with grants arriving before the spending)."""
    values = np.asarray(flows, dtype=float)
    signs = np.sign(values[np.abs(values) > 1e-9])
    if np.count_nonzero(np.diff(signs)) > 1:
        return None
    low, high = -0.99, 10.0
    if np.sign(npv(low, values)) == np.sign(npv(high, values)):
        return None
    return float(brentq(lambda r: npv(r, values), low, high, xtol=1e-12))


def payback_years(flows: np.ndarray) -> float | None:
    """Payback time (years, interpolated within the year): when the cumulative cash turns
    non-negative for good; 0 if it never is negative, None if it ends negative."""
    cumulative = np.cumsum(np.asarray(flows, dtype=float))
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return 0.0
    year = int(negative[-1]) + 1
    if year >= len(cumulative):
        return None
    before = cumulative[year - 1]
    return year - 1 + (-before) / (cumulative[year] - before)


def levelised_cost(costs: np.ndarray, quantities: np.ndarray, rate: float) -> float:
    """Discounted costs over discounted quantities, e.g. EUR/GJ of heat over the years."""
    quantity = npv(rate, quantities)
    if quantity <= 0:
        raise ValueError("levelised cost needs a positive discounted quantity")
    return npv(rate, costs) / quantity


def debt_service_coverage(cash_available: np.ndarray, debt_service: np.ndarray) -> np.ndarray:
    """Cash available for debt service over debt service, per year (inf without debt)."""
    service = np.asarray(debt_service, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(service > 0, np.asarray(cash_available, dtype=float) / service, np.inf)


@dataclass(frozen=True)
class FeeCase:
    """An investment that earns a fee per unit delivered (e.g. EUR/GJ of TEO heat).

    Year 0: ``capex_eur`` spent; years 1..lifetime: ``fee x quantity_per_year -
    fixed_om_eur_per_year``.
    """

    capex_eur: float
    fixed_om_eur_per_year: float
    quantity_per_year: float
    lifetime_years: int
    rate: float

    def flows(self, fee: float) -> np.ndarray:
        yearly = fee * self.quantity_per_year - self.fixed_om_eur_per_year
        return np.r_[-self.capex_eur, np.full(self.lifetime_years, yearly)]

    def npv(self, fee: float) -> float:
        """NPV (EUR) at the given fee."""
        return npv(self.rate, self.flows(fee))

    def irr(self, fee: float) -> float | None:
        """IRR at the given fee."""
        return irr(self.flows(fee))

    def break_even_fee(self) -> float:
        """The fee at which the NPV is zero (NPV is linear in the fee)."""
        per_fee = npv(self.rate, np.r_[0.0, np.full(self.lifetime_years, self.quantity_per_year)])
        if per_fee <= 0:
            raise ValueError("nothing delivered: no fee can pay the investment back")
        return -self.npv(0.0) / per_fee

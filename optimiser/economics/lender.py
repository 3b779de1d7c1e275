"""The revenue the cooperative needs: to break even (NPV zero) and to pass the lender's
tests (cash after debt service never negative, DSCR at least the covenant).

Every cash flow of :func:`optimiser.economics.cooperative.cash_flow_table` is linear in
the full-year revenue R: a year's cash after debt service is ``a + b R`` with ``b`` the
share of connections online. So each operating year needs ``R >= -a / b`` for the cash
test and ``R >= -(a_ops - covenant x debt service) / b`` for the DSCR test, and the
lender's revenue is the largest over the years. The cooperative's revenue is the largest
of the three tests; the result names the binding one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimiser.economics.cooperative import cash_flow_table, required_revenue
from optimiser.inputs.scenario import Scenario

TESTS = {
    "npv": "the cash flows break even (NPV zero at the discount rate)",
    "cash": "cash after debt service is never negative",
    "dscr": "debt service coverage at least the covenant",
}
"""The revenue tests by name, in words."""


@dataclass(frozen=True)
class RevenueTests:
    """The yearly revenue (EUR, all connections online) each test needs."""

    npv_eur: float
    cash_eur: float
    dscr_eur: float
    covenant: float

    @property
    def by_test(self) -> dict[str, float]:
        """Each test's revenue by name (see :data:`TESTS`)."""
        return {"npv": self.npv_eur, "cash": self.cash_eur, "dscr": self.dscr_eur}

    @property
    def required_eur(self) -> float:
        """The revenue that passes every test."""
        return max(self.by_test.values())

    @property
    def binding(self) -> str:
        """The test that sets the revenue (the first of equals, in the order of TESTS)."""
        tests = self.by_test
        return max(tests, key=lambda name: tests[name])


def _needed(intercept: np.ndarray, slope: np.ndarray) -> float:
    """The smallest R >= 0 with ``intercept + slope R >= 0`` in every year (inf if a
    year with a shortfall earns nothing)."""
    short = intercept < -1e-9
    if np.any(short & (slope <= 0)):
        return float("inf")
    with np.errstate(divide="ignore", invalid="ignore"):
        needed = np.where(short, -intercept / np.where(slope > 0, slope, 1.0), 0.0)
    return float(max(needed.max(initial=0.0), 0.0))


def revenue_tests(
    scenario: Scenario,
    heat_cost: dict,
    supplied_mwh: dict,
    fixed_om_eur_per_year: dict | None = None,
) -> RevenueTests:
    """The revenue by each test (see the module docstring), over the operating years."""
    zero = cash_flow_table(scenario, heat_cost, supplied_mwh, 0.0, fixed_om_eur_per_year)
    one = cash_flow_table(scenario, heat_cost, supplied_mwh, 1.0, fixed_om_eur_per_year)
    operating = (zero["connected_share"] > 0).to_numpy()
    slope = (one["cash_from_operations"] - zero["cash_from_operations"]).to_numpy()[operating]
    cash = zero["cash_after_debt_service"].to_numpy()[operating]
    covenant = scenario.finance.min_dscr
    service = zero["debt_service"].to_numpy()[operating]
    with_debt = service > 0
    coverage = (zero["cash_from_operations"].to_numpy()[operating] - covenant * service)[with_debt]
    return RevenueTests(
        npv_eur=required_revenue(scenario, heat_cost, supplied_mwh, fixed_om_eur_per_year),
        cash_eur=_needed(cash, slope),
        dscr_eur=_needed(coverage, slope[with_debt]),
        covenant=covenant,
    )

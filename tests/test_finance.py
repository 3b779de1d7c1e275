"""Finance functions against figures computable by hand."""

from __future__ import annotations

import numpy as np
import pytest

from optimiser.annuity import annuity_factor
from optimiser.economics.finance import (
    Asset,
    FeeCase,
    debt_service_coverage,
    investment_flows,
    irr,
    levelised_cost,
    loan_schedule,
    npv,
    payback_years,
)


def test_annuity_factor():
    assert annuity_factor(0.03, 30) == pytest.approx(0.0510193, rel=1e-6)
    assert annuity_factor(0.0, 20) == pytest.approx(0.05)


def test_ketelhuis_loan_schedule():
    # EUR 7.8 M at 3 % over 30 years: 7.8 M x 0.0510193 = 397,950 EUR per year
    schedule = loan_schedule(7.8e6, 0.03, 30)
    np.testing.assert_allclose(schedule["payment"], 7.8e6 * annuity_factor(0.03, 30))
    assert schedule["principal"].sum() == pytest.approx(7.8e6)
    assert schedule.loc[1, "interest"] == pytest.approx(234_000)
    assert schedule.loc[30, "closing"] == 0.0
    linear = loan_schedule(1000, 0.05, 4, kind="linear")
    np.testing.assert_allclose(linear["principal"], 250)
    np.testing.assert_allclose(linear["interest"], [50, 37.5, 25, 12.5])


def test_npv_irr_payback():
    assert npv(0.10, np.array([-100.0, 110.0])) == pytest.approx(0.0)
    assert irr(np.array([-100.0, 110.0])) == pytest.approx(0.10)
    assert irr(np.array([-100.0, -10.0])) is None
    assert payback_years(np.array([-100.0, 40.0, 40.0, 40.0])) == pytest.approx(2.5)
    assert payback_years(np.array([-100.0, 10.0])) is None


def test_replacements_and_residual_value():
    # a 10-year asset over 25 years: bought in 0, 10, 20; half of the last is left
    flows = investment_flows([Asset("pump", 1000.0, 10)], 25)
    assert flows[0] == flows[10] == flows[20] == 1000.0
    assert flows[25] == pytest.approx(-500.0)
    assert flows.sum() == pytest.approx(2500.0)


def test_levelised_cost_and_dscr():
    assert levelised_cost(np.array([0, 100.0, 100.0]), np.array([0, 10.0, 10.0]), 0.05) == (
        pytest.approx(10.0)
    )
    np.testing.assert_allclose(
        debt_service_coverage(np.array([130.0, 50.0]), np.array([100.0, 0.0])), [1.3, np.inf]
    )


def test_teo_break_even_fee():
    # EUR 2.5 M, 25,000 EUR/year O&M, 40,000 GJ/year, 30 years at 3 %
    case = FeeCase(2.5e6, 25_000, 40_000, 30, 0.03)
    fee = case.break_even_fee()
    assert case.npv(fee) == pytest.approx(0.0, abs=1e-6)
    assert fee == pytest.approx((2.5e6 * annuity_factor(0.03, 30) + 25_000) / 40_000)
    assert case.irr(fee) == pytest.approx(0.03, abs=1e-9)
    assert case.npv(fee + 1) > 0


def test_irr_and_payback_with_grants_before_spending():
    """Grants before the spending: -10, +100, -200, +60 x 4 changes sign three times, so
    its IRR is not unique (None). The cumulative cash -10, 90, -110, -50, 10, ... turns
    non-negative for good in year 4: 3 + 50 / 60 = 3.83 years, not the 0.1 of year 1."""
    flows = np.array([-10.0, 100.0, -200.0, 60.0, 60.0, 60.0, 60.0])
    assert irr(flows) is None
    assert payback_years(flows) == pytest.approx(3 + 50 / 60)

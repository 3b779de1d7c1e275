"""The capital recovery factor: how the model annualises an investment and how the
economics spread a sum over years. One function at the bottom of the package, so that
the model (objective) and the economics (tariffs, cases) use the same one."""

from __future__ import annotations


def annuity_factor(rate: float, lifetime_years: float) -> float:
    """Capital recovery factor (1/year): the share of an investment paid each year.

    ``rate / (1 - (1 + rate) ** -n)``; ``1 / n`` when the rate is zero.
    """
    if lifetime_years <= 0:
        raise ValueError("lifetime_years must be positive")
    if rate == 0:
        return 1.0 / lifetime_years
    return rate / (1.0 - (1.0 + rate) ** -lifetime_years)

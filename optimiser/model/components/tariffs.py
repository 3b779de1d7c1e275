"""Formulations of Dutch electricity tariffs that the connection components share.

- :func:`add_bracket_tax`: the degressive energy tax of ``count`` identical connections as
  an exact concave cost: the yearly kWh is split over ordered brackets, and a binary per
  bracket boundary makes a bracket fill only once the one before it is full (the rates fall
  from bracket to bracket, so without the binaries the cheaper upper brackets would fill
  first).
  :class:`TaxLine` is the faster stand-in for a design: the line of one bracket.
- :func:`add_transport`: a large connection's DSO charges: a contracted capacity (kW) in
  one capacity class (binary per class) with its EUR/kW/year and fixed EUR/year, the
  maximum kW of each calendar month with its EUR/kW/month, and EUR/kWh.
- :func:`exclude_arbitrage`: in hours where export pays more than import costs, a binary
  per hour allows either import or export, never both.
- :func:`month_steps`: which time steps belong to each calendar month, on a full year, a
  shorter horizon or typical days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from optimiser.inputs.electricity import DSOTariff, EnergyTax
from optimiser.model.builder import ModelBuilder
from optimiser.model.hourly import HourlyVar

DAYS_IN_MONTHS = pd.date_range("2001-01-01", periods=365, freq="D").month.to_numpy() - 1
"""Month (0-11) of each day of a non-leap year."""


def month_steps(inputs) -> tuple[dict[int, np.ndarray], float]:
    """Steps of each calendar month (0-11) and the factor that makes monthly charges annual.

    On typical days a step belongs to every month with a calendar day represented by its
    typical day (``period_of_day``), so a month's peak is the highest of its days; on a
    full year or a shorter horizon the steps' own dates decide, and the charges of the
    months present are scaled to 12 months.
    """
    if "period_of_day" in inputs:
        of_day = np.asarray(inputs["period_of_day"].values, dtype=int)
        period = np.asarray(inputs["period"].values, dtype=int)
        steps = {}
        for m in range(12):
            periods = np.unique(of_day[m == DAYS_IN_MONTHS])
            steps[m] = np.flatnonzero(np.isin(period, periods))
        return steps, 1.0
    months = pd.DatetimeIndex(inputs["time"].values).month.to_numpy() - 1
    steps = {int(m): np.flatnonzero(months == m) for m in np.unique(months)}
    return steps, 12.0 / len(steps)


def month_layers(steps: dict[int, np.ndarray], n_steps: int) -> list[tuple[list[int], np.ndarray]]:
    """The months of each step as layers, so that a row per (month, step) pair becomes a
    row per step and layer (hourly arrays, :meth:`ModelBuilder.each_step`):
    ``(months, active)`` where ``months[t]`` is the j-th month of step ``t`` and
    ``active[t]`` is 1.0, or 0.0 where step ``t`` has no j-th month (its row is then
    ``0 <= 0``). On a full year every step is in one month: one layer. On typical days
    a step is in every month its typical day stands for."""
    months_of: list[list[int]] = [[] for _ in range(n_steps)]
    for month, in_month in sorted(steps.items()):
        for t in in_month:
            months_of[int(t)].append(month)
    depth = max((len(months) for months in months_of), default=0)
    first = min(steps, default=0)
    return [
        (
            [months[j] if j < len(months) else first for months in months_of],
            np.array([1.0 if j < len(months) else 0.0 for months in months_of]),
        )
        for j in range(depth)
    ]


@dataclass(frozen=True)
class TaxLine:
    """An energy tax modelled by the line of one bracket (``bracket``, 0-based) instead of
    its bracket binaries: ``base_eur + rate * (kWh - lower_kwh)``, the affine extension of
    that bracket. The tax is concave and piecewise linear, so the line is on or above it
    everywhere and equal to it within the bracket (``lower_kwh`` to ``upper_kwh``, all
    connections together), one of the ``brackets`` the model can reach. ``kwh`` is the
    yearly use (a Pyomo expression); ``max_over_eur`` the most the line can exceed the tax
    over the uses the model allows (EUR/year), which a lower bound must give back."""

    component: str
    bracket: int
    lower_kwh: float
    upper_kwh: float
    kwh: object
    max_over_eur: float
    brackets: int

    def landed(self) -> bool:
        """Whether the solved yearly use lies in the line's bracket (where it is exact)."""
        kwh = pyo.value(self.kwh)
        return self.lower_kwh * (1 - 1e-9) - 1e-6 <= kwh <= self.upper_kwh * (1 + 1e-9) + 1e-6

    def reached(self) -> dict[str, float]:
        """The bracket decisions of the exact model for a use in this bracket (label ->
        0/1): every bracket up to this one reached, none above; for a fixed design."""
        return {
            f"{self.component}.tax_bracket_{k + 1}_reached": float(k <= self.bracket)
            for k in range(1, self.brackets)
        }


def add_bracket_tax(
    mb: ModelBuilder,
    blk: pyo.Block,
    component: str,
    annual_kwh,
    tax: EnergyTax,
    count: int,
    max_kwh: float,
):
    """Energy tax (EUR/year) of ``count`` identical connections using ``annual_kwh`` in all.

    Returns the cost expression; ``blk.bracket_kwh[k]`` holds the kWh in bracket ``k``
    (all connections together). ``max_kwh`` bounds the yearly kWh (for the last bracket).
    Whether each bracket above the first is reached (``tax_bracket_<k>_reached``) is
    recorded as a binary design decision: the full-year check keeps the design's brackets,
    which keeps it a linear program (within them the tax is linear and exact); the bill in
    the outputs recomputes the tax from the year's kWh and reports any difference.

    With ``mb.tax_line_kwh`` set, the tax is instead the line of the bracket that use falls
    in (:class:`TaxLine`, recorded in ``mb.tax_lines``): no binaries, exact for a design
    that lands in that bracket, above the tax otherwise.
    """
    # brackets that ``max_kwh`` cannot reach are left out: fewer binaries, and a small
    # top bracket keeps the LP relaxation (the chord of the concave tax) tight
    upper: list[float] = []
    lower = 0.0
    for width in tax.widths_kwh():
        if lower >= max_kwh:
            break
        span = max_kwh - lower if width is None else min(width * count, max_kwh - lower)
        upper.append(span)
        lower += span
    n = len(upper)
    rates = tax.rates()[:n]
    if mb.tax_line_kwh is not None:
        return _tax_line(mb, component, annual_kwh, upper, rates)
    blk.bracket_kwh = pyo.Var(range(n), bounds=lambda _b, k: (0.0, upper[k]))
    x = blk.bracket_kwh
    blk.bracket_total = pyo.Constraint(expr=sum(x[k] for k in range(n)) == annual_kwh)
    if n > 1:
        z = {
            k: mb.size_var(
                blk,
                component,
                f"tax_bracket_{k + 1}_reached",
                "yes/no",
                1,
                domain="binary",
                tariff_choice=True,
            )
            for k in range(1, n)
        }
        blk.bracket_fill = pyo.Constraint(
            range(1, n), rule=lambda _b, k: x[k - 1] >= upper[k - 1] * z[k]
        )
        blk.bracket_open = pyo.Constraint(range(1, n), rule=lambda _b, k: x[k] <= upper[k] * z[k])
    return sum(rate * x[k] for k, rate in enumerate(rates))


def _tax_line(mb: ModelBuilder, component: str, annual_kwh, upper: list[float], rates: list[float]):
    """The tax as the line of the bracket ``mb.tax_line_kwh`` falls in (see
    :class:`TaxLine`); ``upper`` are the kWh each bracket holds up to the model's maximum."""
    edges = np.concatenate([[0.0], np.cumsum(upper)])
    k = int(min(np.searchsorted(edges, mb.tax_line_kwh, side="right") - 1, len(upper) - 1))
    base = float(np.dot(rates[:k], upper[:k]))

    def over(kwh: float) -> float:  # line minus the bracketed tax at a yearly use
        filled = np.clip(kwh - edges[:-1], 0.0, upper)
        return base + rates[k] * (kwh - edges[k]) - float(np.dot(rates, filled))

    # line minus tax is convex, zero on the bracket: largest at one of the ends
    line = TaxLine(
        component,
        k,
        float(edges[k]),
        float(edges[k + 1]),
        annual_kwh,
        max(over(0.0), over(float(edges[-1]))),
        len(upper),
    )
    mb.tax_lines.append(line)
    return base + rates[k] * (annual_kwh - edges[k])


def add_transport(
    mb: ModelBuilder, blk: pyo.Block, component: str, buy: HourlyVar, dso: DSOTariff, max_kw
):
    """DSO charges of a large connection drawing ``buy`` (kW per step); returns
    ``(fixed EUR/year, EUR per kWh)``. Sizes the contracted capacity as ``contracted_kw``
    and records the capacity class as binary design decisions ``class_<k>`` (k = 1, 2, ...
    in the order of the tariff sheet); the full-year check keeps the class and sizes the
    contracted kW again within it."""
    classes = dso.large_connection.classes
    if max_kw is not None:  # classes the connection cannot reach are left out
        classes = [c for c in classes if c.from_kw < max_kw] or classes[:1]
    top = classes[-1].up_to_kw if max_kw is None else min(max_kw, classes[-1].up_to_kw)
    contracted = mb.size_var(blk, component, "contracted_kw", "kW", top, sized_by_peak=True)
    k_range = range(len(classes))
    y = {
        k: mb.size_var(
            blk, component, f"class_{k + 1}", "yes/no", 1, domain="binary", tariff_choice=True
        )
        for k in k_range
    }
    blk.class_kw = pyo.Var(k_range, domain=pyo.NonNegativeReals)
    c = blk.class_kw
    blk.one_class = pyo.Constraint(expr=sum(y[k] for k in k_range) == 1)
    blk.class_low = pyo.Constraint(k_range, rule=lambda _b, k: c[k] >= classes[k].from_kw * y[k])
    blk.class_high = pyo.Constraint(k_range, rule=lambda _b, k: c[k] <= classes[k].up_to_kw * y[k])
    blk.class_sum = pyo.Constraint(expr=contracted == sum(c[k] for k in k_range))
    mb.each_step(blk, "import_limit", [(buy, 1.0), (contracted, -1.0)])

    steps, scale = month_steps(mb.inputs)
    months = sorted(steps)
    layers = month_layers(steps, mb.n_steps)
    contract = sum(
        cls.contract_eur_per_kw_year * c[k] + cls.fixed_eur_per_year * y[k]
        for k, cls in enumerate(classes)
    )
    rates = {cls.kwmax_eur_per_kw_month for cls in classes}
    if len(rates) == 1:  # one kW-max rate: one peak per month, no split by class
        blk.month_peak_kw = pyo.Var(months, domain=pyo.NonNegativeReals)
        peak = blk.month_peak_kw
        for j, (layer, active) in enumerate(layers):  # buy[t] <= the peak of its months
            terms = [(buy, active), ([peak[m] for m in layer], -active)]
            mb.each_step(blk, f"month_peak_{j}", terms)
        kwmax = scale * rates.pop() * sum(peak[m] for m in months)
        return contract + kwmax, classes[0].transport_eur_per_kwh
    blk.month_peak_kw = pyo.Var(months, k_range, domain=pyo.NonNegativeReals)
    peak = blk.month_peak_kw
    blk.peak_class = pyo.Constraint(
        months, k_range, rule=lambda _b, m, k: peak[m, k] <= classes[k].up_to_kw * y[k]
    )
    for j, (layer, active) in enumerate(layers):
        terms = [([peak[m, k] for m in layer], -active) for k in k_range]
        mb.each_step(blk, f"month_peak_{j}", [(buy, active), *terms])
    fixed = contract + scale * sum(
        cls.kwmax_eur_per_kw_month * peak[m, k] for m in months for k, cls in enumerate(classes)
    )
    return fixed, classes[0].transport_eur_per_kwh


def exclude_arbitrage(
    mb: ModelBuilder,
    blk: pyo.Block,
    buy: HourlyVar,
    sell: HourlyVar,
    import_cost: np.ndarray,
    export_pay: np.ndarray,
    bound_kw: float | np.ndarray,
) -> int:
    """Forbid importing and exporting in the same step where ``export_pay > import_cost``
    (EUR/kWh; the import cost at its lowest marginal tax). Returns the number of such steps.

    Elsewhere simultaneous import and export loses money (or, at equal prices, gains
    nothing), so the optimum has no reason to do it; where export pays more, a yes/no per
    step chooses the direction: ``buy <= bound x b``, ``sell <= bound x (1 - b)``
    (``importing``, an hourly integer in [0, 1] in those steps and 0 in the others).
    """
    hours = np.flatnonzero(export_pay > import_cost + 1e-9)
    if not hours.size:
        return 0
    bound = np.broadcast_to(np.asarray(bound_kw, dtype=float), (mb.n_steps,))
    may_choose = np.zeros(mb.n_steps)
    may_choose[hours] = 1.0
    importing = mb.hourly_var(blk, "importing", upper=may_choose, integer=True)
    mb.each_step(blk, "only_import", [(buy, 1.0), (importing, -bound)], steps=hours)
    mb.each_step(blk, "only_export", [(sell, 1.0), (importing, bound)], rhs=bound, steps=hours)
    return int(hours.size)

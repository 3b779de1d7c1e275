"""Rows that sum over the whole year, priced first and added last in the full-year LP.

The ATES's yearly heat balance (heat injected = heat extracted, within the permit's
band) is one row with three columns in every hour. In the dual simplex that row sits in
every basis factorisation: on ketelhuis-wg's full-year check each iteration cost about
three times as much with the balance as without it, at the same iteration count (49 s
against 18 s on one thread).

Lagrangian relaxation moves the balance into the objective at a multiplier ``lambda``
(EUR per unit of the row: EUR/kWh for the balance) and solves without the row; the
hours then decouple except through the storage levels. The rows are then added back
(dual simplex from that basis: a few iterations when ``lambda`` is near the row's true
dual) and the true costs restored (primal simplex: the rows' duals absorb ``lambda``).
The optimum is the LP's own; the multiplier changes only the path to it.

Measured on the full-year checks (HiGHS 1.15.1, one thread, same optimum; the
multiplier estimated on 24 typical days, see :mod:`optimiser.workflows.year_prices`):
ketelhuis-wg, whose balance is dear (0.174 EUR/kWh), 0.9 s to estimate + 13.2 + 2.6 +
0.02 s against 49.1 s in one solve. On models whose balance is cheap (default,
ten-parties, new-sanitation, factory-reuse: at most 0.03 EUR/kWh) the relaxed LP was
as hard as the whole one and the three steps took 1.3-2.3 times as long, so the
workflow prices the rows only when the estimate is at least
:data:`WORTH_PRICING_EUR_PER_UNIT`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import highspy
import numpy as np
import pyomo.environ as pyo

WORTH_PRICING_EUR_PER_UNIT = 0.05
"""Smallest estimated multiplier (EUR per unit of the row, EUR/kWh for the ATES
balance) at which pricing the rows first pays; the measured cases lie either side of it
by a factor of three or more (0.174 paid, 0.005 and 0.03 did not)."""


def row_indices(form_rows: Sequence, year_rows: Sequence[pyo.Constraint]) -> np.ndarray:
    """Positions of ``year_rows`` among the compiled rows (``form_rows``, whose
    ``constraint`` is the Pyomo constraint each row came from)."""
    wanted = {id(c) for c in year_rows}
    return np.array([i for i, r in enumerate(form_rows) if id(r.constraint) in wanted], dtype=int)


def worth_pricing(prices: Sequence[float]) -> bool:
    """Whether multipliers this large make pricing the rows first pay (see above)."""
    return len(prices) > 0 and float(np.max(np.abs(prices))) >= WORTH_PRICING_EUR_PER_UNIT


def run_priced(
    highs: highspy.Highs,
    lp: highspy.HighsLp,
    rows: np.ndarray,
    prices: Sequence[float],
    run: Callable[[highspy.Highs], None],
    time_limit_s: float,
) -> float:
    """Solve the LP in ``highs`` in three steps: ``rows`` priced into the costs at
    ``prices`` (HiGHS's row-dual sign: negative for a binding upper bound in a
    minimisation) and freed; the rows restored; the costs restored. Whatever the first
    two steps end in, the last solves the LP as given, from their basis. The steps
    share ``time_limit_s``; returns their seconds in HiGHS. HiGHS's clock (and the time
    limit it checks) runs on over all runs of one object, so each step is given the
    clock's reading plus what is left, and counted as the clock's difference."""
    matrix = _row_matrix(lp, rows)
    cost = np.asarray(lp.col_cost_, dtype=float)
    every = np.arange(lp.num_col_, dtype=np.int32)
    lower, upper = np.asarray(lp.row_lower_)[rows], np.asarray(lp.row_upper_)[rows]
    free = np.full(rows.size, highspy.kHighsInf)
    seconds = 0.0

    def step() -> None:
        nonlocal seconds
        before = highs.getRunTime()
        highs.setOptionValue("time_limit", before + max(time_limit_s - seconds, 0.0))
        run(highs)
        seconds += highs.getRunTime() - before

    highs.changeColsCost(lp.num_col_, every, cost - matrix.T @ np.asarray(prices, dtype=float))
    highs.changeRowsBounds(rows.size, rows.astype(np.int32), -free, free)
    step()
    highs.changeRowsBounds(rows.size, rows.astype(np.int32), lower, upper)
    step()
    highs.changeColsCost(lp.num_col_, every, cost)
    step()
    return seconds


def _row_matrix(lp: highspy.HighsLp, rows: np.ndarray) -> np.ndarray:
    """The ``rows`` of the LP's column-wise matrix, dense (a few rows x all columns)."""
    start = np.asarray(lp.a_matrix_.start_)
    index = np.asarray(lp.a_matrix_.index_)
    value = np.asarray(lp.a_matrix_.value_)
    dense = np.zeros((rows.size, lp.num_col_))
    column = np.repeat(np.arange(lp.num_col_), np.diff(start))
    for k, row in enumerate(rows):
        hit = index == row
        dense[k, column[hit]] = value[hit]
    return dense

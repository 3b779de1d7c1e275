"""Rows of one column, written as that column's bounds, for LPs solved without presolve.

A full-year check's hourly limits against a fixed size (``x_t <= size``, the size moved
to the right-hand side) leave rows with a single column: 26,281 of ketelhuis-wg's
113,884. HiGHS's presolve turns them into bounds, but a simplex warm-started from
another LP's basis runs without presolve, and every such row then stays in each basis
factorisation. As bounds, a coalition's warm check of ketelhuis-wg took 6.6 s against
11.0 s, at about the same iterations (6,448 against 5,978), to the same optimum
(HiGHS 1.15.1, one thread). The columns, hence the solution, are unchanged.
"""

from __future__ import annotations

import highspy
import numpy as np
import scipy.sparse as sp


def as_bounds(lp: highspy.HighsLp, kept: np.ndarray) -> tuple[highspy.HighsLp, np.ndarray]:
    """``lp`` with its rows of a single nonzero removed and folded into that column's
    bounds (the rows ``kept``, by index, stay whatever they hold), and the new indices
    of the ``kept`` rows. A row ``rl <= a x <= ru`` bounds ``x`` by ``rl / a`` and
    ``ru / a`` (swapped when ``a < 0``); conflicting bounds leave an infeasible LP,
    as the rows did."""
    matrix = sp.csc_matrix(
        (np.asarray(lp.a_matrix_.value_), np.asarray(lp.a_matrix_.index_),
         np.asarray(lp.a_matrix_.start_)),
        shape=(lp.num_row_, lp.num_col_),
    ).tocsr()  # fmt: skip
    single = np.diff(matrix.indptr) == 1
    single[kept] = False
    first = matrix.indptr[:-1][single]
    column, a = matrix.indices[first], matrix.data[first]
    row_lower, row_upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    low, high = row_lower[single] / a, row_upper[single] / a
    col_lower = np.array(lp.col_lower_, dtype=float)
    col_upper = np.array(lp.col_upper_, dtype=float)
    np.maximum.at(col_lower, column, np.where(a > 0, low, high))
    np.minimum.at(col_upper, column, np.where(a > 0, high, low))
    rows = ~single
    reduced = matrix[rows].tocsc()
    out = highspy.HighsLp()
    out.num_col_, out.num_row_ = lp.num_col_, int(rows.sum())
    out.col_cost_, out.offset_, out.sense_ = lp.col_cost_, lp.offset_, lp.sense_
    out.col_lower_, out.col_upper_ = col_lower, col_upper
    out.row_lower_, out.row_upper_ = row_lower[rows], row_upper[rows]
    out.integrality_ = lp.integrality_
    out.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    out.a_matrix_.start_ = reduced.indptr
    out.a_matrix_.index_ = reduced.indices
    out.a_matrix_.value_ = reduced.data
    return out, (np.cumsum(rows) - 1)[kept]

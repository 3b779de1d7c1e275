"""Rows of one column folded into bounds, on an LP small enough to check by hand."""

from __future__ import annotations

import highspy
import numpy as np

from optimiser.model.singleton_rows import as_bounds


def _lp() -> highspy.HighsLp:
    """max x0 + x1 with x in [0, 10]^2 and three rows: 2 x0 <= 6, -x1 >= -4 (a negative
    coefficient: x1 <= 4) and x0 + x1 <= 100, a row to keep."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2, 3
    lp.col_cost_ = np.array([-1.0, -1.0])
    lp.col_lower_, lp.col_upper_ = np.zeros(2), np.full(2, 10.0)
    lp.row_lower_ = np.array([-np.inf, -4.0, -np.inf])
    lp.row_upper_ = np.array([6.0, np.inf, 100.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array([0, 2, 4])
    lp.a_matrix_.index_ = np.array([0, 2, 1, 2])
    lp.a_matrix_.value_ = np.array([2.0, 1.0, -1.0, 1.0])
    return lp


def test_single_column_rows_become_bounds_and_kept_rows_are_renumbered():
    smaller, kept = as_bounds(_lp(), np.array([2]))
    assert smaller.num_row_ == 1 and kept.tolist() == [0]
    assert list(smaller.col_lower_) == [0.0, 0.0]
    assert list(smaller.col_upper_) == [3.0, 4.0]  # 6 / 2, and -4 / -1 swapped
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(smaller)
    highs.run()
    assert highs.getInfo().objective_function_value == -7.0


def test_a_row_asked_to_be_kept_stays_even_with_one_column():
    smaller, kept = as_bounds(_lp(), np.array([0, 2]))
    assert smaller.num_row_ == 2 and kept.tolist() == [0, 1]
    assert list(smaller.col_upper_) == [10.0, 4.0]


def test_conflicting_single_column_rows_leave_an_infeasible_lp():
    lp = _lp()
    lp.row_upper_ = np.array([-2.0, np.inf, 100.0])  # 2 x0 <= -2 with x0 >= 0
    smaller, _ = as_bounds(lp, np.array([2]))
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(smaller)
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible

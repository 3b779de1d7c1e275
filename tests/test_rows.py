"""Hourly rows kept as arrays (optimiser.model.rows): the matrix they add, by hand."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
import scipy.sparse as sp

from optimiser.model.rows import append_rows, column_data, step_rows


def three_steps():
    """x[t] hourly over 3 steps, a size s and a fixed size f (value 4)."""
    m = pyo.ConcreteModel()
    m.T = pyo.RangeSet(0, 2)
    m.x = pyo.Var(m.T, bounds=(0, 10))
    m.s = pyo.Var(bounds=(0, None))
    m.f = pyo.Var()
    m.f.fix(4.0)
    return m


def test_rows_write_each_step_with_sizes_and_fixed_variables_as_constants():
    # x[t] <= 2 s + 0.5 f + [1, 2, 3]: with f fixed at 4, the row is
    # x[t] - 2 s <= [1, 2, 3] + 2 = [3, 4, 5]; and x[t] - x[t-1] == 0 (cyclic)
    m = three_steps()
    limit = step_rows("limit", [(m.x, 1.0), (2 * m.s + 0.5 * m.f, -1.0)], "<=", [1, 2, 3], 3)
    before = [m.x[2], m.x[0], m.x[1]]
    ramp = step_rows("ramp", [(m.x, 1.0), (before, -1.0)], "==", 0.0, 3)
    existing = sp.csr_matrix(np.array([[1.0]]))  # one compiled row over column s
    matrix, lower, upper, columns = append_rows(
        existing, np.array([-np.inf]), np.array([7.0]), [m.s], [limit, ramp]
    )
    assert columns == [m.s, m.x[0], m.x[1], m.x[2]]  # x only in the rows: new columns
    expected = np.array(
        [
            [1, 0, 0, 0],  # the compiled row
            [-2, 1, 0, 0],  # limit, step 0
            [-2, 0, 1, 0],
            [-2, 0, 0, 1],
            [0, 1, 0, -1],  # ramp, step 0: x0 - x2
            [0, -1, 1, 0],
            [0, 0, -1, 1],
        ],
        dtype=float,
    )
    np.testing.assert_array_equal(matrix.toarray(), expected)
    np.testing.assert_array_equal(lower, [-np.inf, -np.inf, -np.inf, -np.inf, 0, 0, 0])
    np.testing.assert_array_equal(upper, [7, 3, 4, 5, 0, 0, 0])


def test_a_greater_equal_row_and_a_per_step_coefficient():
    # x[t] >= [0, 1, 2] x s: rows x[t] - c[t] s >= 0, the zero coefficient left out;
    # new columns in the order the terms meet them
    m = three_steps()
    rows = step_rows("floor", [(m.x, 1.0), (m.s, -np.array([0.0, 1.0, 2.0]))], ">=", 0.0, 3)
    matrix, lower, upper, columns = append_rows(
        sp.csr_matrix((0, 0)), np.array([]), np.array([]), [], [rows]
    )
    assert columns == [m.x[0], m.x[1], m.x[2], m.s]
    np.testing.assert_array_equal(matrix.toarray(), [[1, 0, 0, 0], [0, 1, 0, -1], [0, 0, 1, -2]])
    np.testing.assert_array_equal(lower, [0, 0, 0])
    np.testing.assert_array_equal(upper, [np.inf] * 3)


def test_bad_rows_are_refused():
    m = three_steps()
    with pytest.raises(ValueError, match="unknown sense"):
        step_rows("bad", [(m.x, 1.0)], "<", 0.0, 3)
    with pytest.raises(ValueError, match="lists 2 variables, not 3"):
        step_rows("bad", [([m.x[0], m.x[1]], 1.0)], "<=", 0.0, 3)
    with pytest.raises(ValueError, match="not linear"):
        step_rows("bad", [(m.s * m.s, 1.0)], "<=", 0.0, 3)


def _bounds_by_property(columns):
    lower = [-np.inf if v.lb is None else v.lb for v in columns]
    upper = [np.inf if v.ub is None else v.ub for v in columns]
    return np.array(lower, dtype=float), np.array(upper, dtype=float)


@pytest.mark.parametrize("with_parameter", [False, True])
def test_column_data_read_in_bulk_equal_pyomos_own(with_parameter):
    """The tighter of a variable's own bound and its domain's, as Pyomo's lb/ub give
    them: domains with bounds (non-negative, binary), none, a numpy bound, an own
    bound looser than its domain's; a bound that is a mutable parameter is read
    through the properties."""
    m = pyo.ConcreteModel()
    m.T = pyo.RangeSet(0, 2)
    m.x = pyo.Var(m.T, bounds=(0, 10))
    m.n = pyo.Var(m.T, domain=pyo.NonNegativeReals, bounds=(-5, np.float64(7.5)))
    m.free = pyo.Var()
    m.b = pyo.Var(domain=pyo.Binary)
    m.k = pyo.Var(domain=pyo.NonNegativeIntegers, bounds=(None, 3))
    m.p = pyo.Param(initialize=2.0, mutable=True)
    m.y = pyo.Var(bounds=(m.p if with_parameter else 2.0, None))
    columns = [*m.x.values(), *m.n.values(), m.free, m.b, m.k, m.y]
    lower, upper, integer = column_data(columns)
    expected = _bounds_by_property(columns)
    np.testing.assert_array_equal(lower, expected[0])
    np.testing.assert_array_equal(upper, expected[1])
    np.testing.assert_array_equal(lower[3:], [0, 0, 0, -np.inf, 0, 0, 2])
    np.testing.assert_array_equal(upper[3:], [7.5, 7.5, 7.5, np.inf, 1, 3, np.inf])
    continuous = [v.is_continuous() for v in columns]
    np.testing.assert_array_equal(integer, np.logical_not(continuous))
    assert continuous.count(False) == 2  # the binary and the integer

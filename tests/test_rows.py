"""Rows kept as arrays (optimiser.model.rows) and the matrix they make
(optimiser.model.matrix): the blocks they add and the yearly totals, by hand."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
import xarray as xr

from optimiser.model.builder import ModelBuilder
from optimiser.model.hourly import HourlyVar
from optimiser.model.matrix import model_matrix
from optimiser.model.rows import Columns, column_data, step_matrix, step_rows
from optimiser.model.solve import SolveOptions, solve


def three_steps():
    """x hourly over 3 steps in [0, 10], a size s and a fixed size f (value 4)."""
    m = pyo.ConcreteModel()
    m.s = pyo.Var(bounds=(0, None))
    m.f = pyo.Var()
    m.f.fix(4.0)
    m.blk = pyo.Block()
    x = HourlyVar(m.blk, "x", np.zeros(3), np.full(3, 10.0))
    return m, x


def test_rows_write_each_step_with_sizes_and_fixed_variables_as_constants():
    # x[t] <= 2 s + 0.5 f + [1, 2, 3]: with f fixed at 4, the row is
    # x[t] - 2 s <= [1, 2, 3] + 2 = [3, 4, 5]; and x[t] - x[t-1] == 0 (cyclic)
    m, x = three_steps()
    limit = step_rows("limit", [(x, 1.0), (2 * m.s + 0.5 * m.f, -1.0)], "<=", [1, 2, 3], 3)
    ramp = step_rows("ramp", [(x, 1.0), (x.at([2, 0, 1]), -1.0)], "==", 0.0, 3)
    columns = Columns([m.s])  # one compiled column
    columns.add_hourly(x)
    matrix, lower, upper = step_matrix([limit, ramp], columns)
    assert columns.variables == [m.s]
    np.testing.assert_array_equal(columns.of_hourly(x), [1, 2, 3])
    expected = np.array(
        [
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
    np.testing.assert_array_equal(lower, [-np.inf, -np.inf, -np.inf, 0, 0, 0])
    np.testing.assert_array_equal(upper, [3, 4, 5, 0, 0, 0])


def test_a_greater_equal_row_a_per_step_coefficient_and_chosen_steps():
    # x[t] >= [0, 1, 2] x s only at steps 1 and 2: rows x[t] - c[t] s >= 0; a Pyomo
    # variable met first in the rows takes the next column, after the hourly ones
    m, x = three_steps()
    rows = step_rows(
        "floor", [(x, 1.0), (m.s, -np.array([0.0, 1.0, 2.0]))], ">=", 0.0, 3, steps=[1, 2]
    )
    columns = Columns([])
    columns.add_hourly(x)
    matrix, lower, upper = step_matrix([rows], columns)
    assert columns.variables == [m.s]
    np.testing.assert_array_equal(columns.index(), [3])
    np.testing.assert_array_equal(matrix.toarray(), [[0, 1, 0, -1], [0, 0, 1, -2]])
    np.testing.assert_array_equal(lower, [0, 0])
    np.testing.assert_array_equal(upper, [np.inf] * 2)
    lower, upper, integer = columns.bounds()
    np.testing.assert_array_equal(lower, [0, 0, 0, 0])
    np.testing.assert_array_equal(upper, [10, 10, 10, np.inf])
    assert not integer.any()


def test_a_step_taken_by_a_pyomo_constraint_keeps_its_column():
    # x[1] <= 4 written in Pyomo: the step's Pyomo variable is the step's column
    m, x = three_steps()
    m.cap = pyo.Constraint(expr=x[1] <= 4)
    columns = Columns([x[1], m.s])  # as Pyomo's compiler would list them
    columns.add_hourly(x)
    np.testing.assert_array_equal(columns.of_hourly(x), [2, 0, 3])
    assert x[1].ub == 10 and x[1].lb == 0


def test_bad_rows_are_refused():
    m, x = three_steps()
    with pytest.raises(ValueError, match="unknown sense"):
        step_rows("bad", [(x, 1.0)], "<", 0.0, 3)
    with pytest.raises(ValueError, match="has 2 steps, not 3"):
        step_rows("bad", [([m.s, m.s], 1.0)], "<=", 0.0, 3)
    with pytest.raises(ValueError, match="not linear"):
        step_rows("bad", [(m.s * m.s, 1.0)], "<=", 0.0, 3)


def test_a_yearly_total_is_replaced_by_its_sum_in_the_matrix():
    # 3 steps standing for 100 h each; x[t] >= demand [1, 2, 3] at price [0.1, 0.2, 0.3]:
    # cost = weighted_sum(x, price) = 100 x (0.1 + 0.4 + 0.9) = 140 EUR/year. The LP has
    # only x's three columns, costed 100 x price, and the total is set from them.
    inputs = xr.Dataset({"weight": ("time", np.full(3, 100.0))}, coords={"time": np.arange(3)})
    mb = ModelBuilder(inputs, discount_rate=0.0)
    blk = mb.block("buyer")
    x = mb.hourly_var(blk, "buy_kw", upper=5.0)
    mb.each_step(blk, "demand", [(x, 1.0)], ">=", [1.0, 2.0, 3.0])
    total = mb.weighted_sum(x, [0.1, 0.2, 0.3])
    mb.cost("buyer", "variable", total)
    mb.finish()
    form = model_matrix(mb)
    assert form.lp.num_col_ == 3
    np.testing.assert_allclose(form.lp.col_cost_, [10.0, 20.0, 30.0])
    result = solve(mb, SolveOptions(threads=1))
    assert result.objective == pytest.approx(140.0)
    assert pyo.value(total) == pytest.approx(140.0)
    np.testing.assert_allclose(mb.model.buyer.buy_kw.value, [1.0, 2.0, 3.0])
    assert pyo.value(x[2]) == pytest.approx(3.0)  # a step taken after the solve has its value


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


def test_hourly_steps_out_of_range_or_fixed_are_refused():
    _, x = three_steps()
    with pytest.raises(ValueError, match=r"steps outside 0\.\.2"):
        x.at([-1, 0, 1])
    with pytest.raises(ValueError, match=r"steps outside 0\.\.2"):
        step_rows("bad", [(x, 1.0)], "<=", 0.0, 3, steps=[3])
    with pytest.raises(IndexError, match="step 3 outside"):
        x[3]
    with pytest.raises(TypeError, match="use its value array"):
        list(x)
    x[2].fix(5.0)
    with pytest.raises(ValueError, match=r"is fixed; bound blk\.x instead"):
        Columns([]).add_hourly(x)

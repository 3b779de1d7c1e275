"""A builder's model as the matrices HiGHS takes, and HiGHS's solution back in it.

Pyomo's standard-form compiler writes the model's single constraints and its objective
(sizes, tariffs, costs: a few thousand columns); the builder's hourly rows and hourly
variables are already arrays (:mod:`optimiser.model.rows`,
:mod:`optimiser.model.hourly`) and go into the matrix as blocks. The yearly totals the
costs are written with are replaced by their definitions, so HiGHS sees the sums over
the hours themselves. ``highspy`` takes the arrays whole: Pyomo's own HiGHS interface
adds rows one by one and took 10 s for the default model, twice as long as HiGHS then
needed to solve it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from optimiser.errors import InfeasibleError
from optimiser.model.builder import ModelBuilder
from optimiser.model.rows import Columns, step_matrix, totals_matrix
from optimiser.model.year_rows import row_indices


@dataclass
class ModelMatrix:
    """The model in matrix form: ``lp`` without its constant cost, where each variable
    sits (``columns``), the ``constant`` cost (EUR/year) and the positions of the
    builder's ``year_rows``. Pyomo's constraints are the first rows, the builder's
    hourly rows follow."""

    lp: highspy.HighsLp
    columns: Columns
    constant: float
    year_rows: np.ndarray
    totals: sp.csr_matrix
    """Row k: the definition of the builder's k-th yearly total over the columns."""

    def load(self, builder: ModelBuilder, x: np.ndarray) -> None:
        """Set every variable of ``builder`` to the column values ``x`` (HiGHS's
        ``col_value``): Pyomo variables, hourly variables and yearly totals."""
        x = np.asarray(x, dtype=float)
        for variable, value in zip(self.columns.variables, x[self.columns.index()], strict=True):
            variable.set_value(float(value), skip_validation=True)
        for variable, columns in self.columns.hourly:
            variable.value = x[columns]
            for step, var in variable.pinned().items():
                var.set_value(float(variable.value[step]), skip_validation=True)
        for total, value in zip(builder.totals, self.totals @ x, strict=True):
            total.total.set_value(float(value), skip_validation=True)

    def start_vector(self, start: Mapping[str, float | np.ndarray]) -> np.ndarray:
        """A value for each column from ``start`` (a Pyomo variable's name -> value, an
        hourly variable's name -> its values); NaN where ``start`` has none."""
        values = np.full(self.lp.num_col_, np.nan)
        index = self.columns.index()
        values[index] = [start.get(v.name, np.nan) for v in self.columns.variables]
        for variable, columns in self.columns.hourly:
            given = start.get(variable.name)
            if given is not None and np.shape(given) == (len(variable),):
                values[columns] = given
        return values


def model_matrix(builder: ModelBuilder) -> ModelMatrix:
    """The builder's model as a HiGHS LP/MIP (see :class:`ModelMatrix`).

    Raises :class:`InfeasibleError` when Pyomo's compiler finds a constraint that no
    value can meet (e.g. a fixed design below a fixed demand).
    """
    try:
        form = LinearStandardFormCompiler().write(builder.model, mixed_form=True)
    except InfeasibleConstraintException as error:
        raise InfeasibleError(f"the model is infeasible ({error})") from None
    total_ids = {id(t.total): k for k, t in enumerate(builder.totals)}
    is_total = np.array([id(v) in total_ids for v in form.columns], dtype=bool)
    columns = Columns([v for v, t in zip(form.columns, is_total, strict=True) if not t])
    for variable in builder.hourly:
        columns.add_hourly(variable)
    hourly, hourly_lower, hourly_upper = step_matrix(builder.rows, columns)
    if any(id(v) in total_ids for v in columns.variables):
        raise ValueError("a yearly total is used in an hourly row; use the hourly variable")
    n_cols = columns.count
    definitions = totals_matrix(builder.totals, columns)
    compiled_totals = definitions[[total_ids[id(v)] for v in form.columns if id(v) in total_ids]]

    compiled = form.A.tocsc()
    kept = _widened(compiled[:, ~is_total], n_cols) + compiled[:, is_total] @ compiled_totals
    kept.eliminate_zeros()  # two totals of one variable may cancel in a row
    matrix = sp.vstack([kept.tocsr(), _widened(hourly, n_cols)], format="csc")
    cost_row = np.asarray(form.c.toarray()[0], dtype=float)
    cost = np.zeros(n_cols)
    cost[: int((~is_total).sum())] = cost_row[~is_total]
    cost += compiled_totals.T @ cost_row[is_total]

    sense = np.array([row.bound_type for row in form.rows], dtype=int)
    rhs = np.asarray(form.rhs, dtype=float)
    row_lower = np.concatenate([np.where(sense == 1, -np.inf, rhs), hourly_lower])
    row_upper = np.concatenate([np.where(sense == -1, np.inf, rhs), hourly_upper])
    lower, upper, integer = columns.bounds()

    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = matrix.shape[0]
    lp.col_cost_ = cost
    # the constant part of the cost stays out of HiGHS, so that its gap is measured on
    # what the decisions change (solve() adds it back)
    lp.offset_ = 0.0
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    if integer.any():
        kinds = np.array([highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger])
        lp.integrality_ = list(kinds[integer.astype(int)])
    year_rows = row_indices(form.rows, builder.year_rows)
    return ModelMatrix(lp, columns, float(form.c_offset[0]), year_rows, definitions)


def _widened(matrix: sp.spmatrix, n_cols: int) -> sp.csr_matrix:
    """``matrix`` with empty columns added on the right up to ``n_cols``."""
    matrix = matrix.tocsr()
    return sp.csr_matrix(
        (matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], n_cols)
    )

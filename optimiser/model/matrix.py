"""A builder's model as the matrices HiGHS takes.

The model is handed to HiGHS as matrices: Pyomo's standard-form compiler turns it into
a sparse constraint matrix in one pass (1.4 s for the default model's full year) and
``highspy`` takes the arrays whole. Pyomo's own HiGHS interface adds rows one by one
and took 10 s for the same model, twice as long as HiGHS then needed to solve it.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from optimiser.errors import InfeasibleError
from optimiser.model.builder import ModelBuilder
from optimiser.model.rows import append_rows, column_data
from optimiser.model.year_rows import row_indices


@dataclass
class ModelMatrix:
    """The model in matrix form: ``lp`` without its constant cost, the Pyomo variable
    of each column, the ``constant`` cost (EUR/year) and the positions of the builder's
    ``year_rows``. Pyomo's constraints are the first rows, the builder's hourly rows
    (:mod:`optimiser.model.rows`) follow."""

    lp: highspy.HighsLp
    columns: list
    constant: float
    year_rows: np.ndarray


def model_matrix(builder: ModelBuilder) -> ModelMatrix:
    """The builder's model as a HiGHS LP/MIP (see :class:`ModelMatrix`).

    Raises :class:`InfeasibleError` when Pyomo's compiler finds a constraint that no
    value can meet (e.g. a fixed design below a fixed demand).
    """
    try:
        form = LinearStandardFormCompiler().write(builder.model, mixed_form=True)
    except InfeasibleConstraintException as error:
        raise InfeasibleError(f"the model is infeasible ({error})") from None
    sense = np.array([row.bound_type for row in form.rows], dtype=int)
    rhs = np.asarray(form.rhs, dtype=float)
    matrix, row_lower, row_upper, columns = append_rows(
        form.A.tocsr(),
        np.where(sense == 1, -np.inf, rhs),
        np.where(sense == -1, np.inf, rhs),
        form.columns,
        builder.rows,
    )
    matrix = matrix.tocsc()
    n_rows, n_cols = matrix.shape
    lower, upper, integer = column_data(columns)
    cost = np.zeros(n_cols)
    cost[: form.c.shape[1]] = np.asarray(form.c.toarray()[0], dtype=float)

    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
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
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in integer
        ]
    year_rows = row_indices(form.rows, builder.year_rows)
    return ModelMatrix(lp, columns, float(form.c_offset[0]), year_rows)

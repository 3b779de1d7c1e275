"""Solving with HiGHS, and explaining infeasible inputs in plain words.

The model is handed to HiGHS as matrices: Pyomo's standard-form compiler turns it into
a sparse constraint matrix in one pass (1.4 s for the default model's full year) and
``highspy`` takes the arrays whole. Pyomo's own HiGHS interface adds rows one by one
and took 10 s for the same model, twice as long as HiGHS then needed to solve it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from optimiser.errors import InfeasibleError, SolverError
from optimiser.model.builder import ModelBuilder

SHORTFALL_TOLERANCE_KW = 1e-4
"""Slack below this (kW) in the diagnostic run counts as served."""

_INFEASIBLE = {
    highspy.HighsModelStatus.kInfeasible: "the model is infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "the model is infeasible or unbounded",
    highspy.HighsModelStatus.kUnbounded: "the model is unbounded",
}


@dataclass(frozen=True)
class SolveOptions:
    """Limits for HiGHS: wall time (s), relative MIP gap, threads, and any other HiGHS
    option by name (``highs_options``, e.g. ``{"solver": "ipm"}``)."""

    time_limit_s: float = 600.0
    mip_gap: float = 0.005
    threads: int = 2
    highs_options: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SolveResult:
    """What the solver reached: status, objective and bound (EUR/year), gap, and time (s):
    ``seconds`` in all, of which ``highs_seconds`` inside HiGHS (the rest is handing the
    model over and reading the solution back)."""

    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    highs_seconds: float = float("nan")

    @property
    def optimal(self) -> bool:
        """True when the solution is optimal within the requested gap."""
        return self.status == "optimal"


def _highs_model(model: pyo.ConcreteModel) -> tuple[highspy.HighsLp, list]:
    """The model as a HiGHS LP/MIP in matrix form, and the Pyomo variable of each column."""
    try:
        form = LinearStandardFormCompiler().write(model, mixed_form=True)
    except InfeasibleConstraintException as error:
        raise InfeasibleError(f"the model is infeasible ({error})") from None
    columns = form.columns
    n_rows, n_cols = form.A.shape
    lower = np.array([-np.inf if v.lb is None else v.lb for v in columns], dtype=float)
    upper = np.array([np.inf if v.ub is None else v.ub for v in columns], dtype=float)
    sense = np.array([row.bound_type for row in form.rows], dtype=int)
    rhs = np.asarray(form.rhs, dtype=float)
    matrix = form.A.tocsc()

    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = np.asarray(form.c.toarray()[0], dtype=float)
    lp.offset_ = float(form.c_offset[0])
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.where(sense == 1, -np.inf, rhs)
    lp.row_upper_ = np.where(sense == -1, np.inf, rhs)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    integer = np.array([not v.is_continuous() for v in columns])
    if integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in integer
        ]
    return lp, columns


def solve(builder: ModelBuilder, options: SolveOptions = SolveOptions()) -> SolveResult:
    """Solve the model of ``builder`` and load the solution into its variables.

    Raises :class:`InfeasibleError` when HiGHS proves the model infeasible and
    :class:`SolverError` when it stops without any feasible solution.
    """
    start = time.perf_counter()
    lp, columns = _highs_model(builder.model)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(options.time_limit_s))
    highs.setOptionValue("mip_rel_gap", float(options.mip_gap))
    highs.setOptionValue("threads", int(options.threads))
    for name, value in options.highs_options.items():
        if highs.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise SolverError(f"HiGHS rejects option {name}={value!r}")
    highs.passModel(lp)
    # HiGHS keeps one thread pool per process, sized by the first solve; a solve asking
    # for another thread count fails unless the pool is rebuilt (solves here run one
    # at a time, so rebuilding is safe).
    highspy.Highs.resetGlobalScheduler(True)
    if highs.run() == highspy.HighsStatus.kError:
        raise SolverError("HiGHS could not run the model (HighsStatus kError)")
    highs_seconds = highs.getRunTime()
    status = highs.getModelStatus()
    info = highs.getInfo()
    if status in _INFEASIBLE:
        raise InfeasibleError(_INFEASIBLE[status])
    if info.primal_solution_status != 2:  # 2: a feasible solution exists
        raise SolverError(
            f"HiGHS stopped ({highs.modelStatusToString(status)}) after"
            f" {time.perf_counter() - start:.0f} s without a feasible solution;"
            " raise --time-limit or simplify the model"
        )
    for variable, value in zip(columns, highs.getSolution().col_value, strict=True):
        variable.set_value(value, skip_validation=True)
    objective = float(info.objective_function_value)
    is_mip = len(lp.integrality_) > 0
    bound = float(info.mip_dual_bound) if is_mip else objective
    if not np.isfinite(bound):
        bound = objective
    gap = abs(objective - bound) / max(abs(objective), 1e-9)
    label = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time_limit",
    }.get(status, highs.modelStatusToString(status))
    return SolveResult(label, objective, bound, gap, time.perf_counter() - start, highs_seconds)


def describe_shortfall(builder: ModelBuilder) -> str:
    """Which carriers and hours a solved slack model could not serve (one line).

    ``builder`` must have been built with ``slack=True`` and solved.
    """
    m = builder.model
    times = pd.DatetimeIndex(builder.inputs["time"].values)
    parts = []
    for carrier in m.carriers:
        short = np.array([pyo.value(m.shortfall[carrier, t]) for t in m.T])
        surplus = np.array([pyo.value(m.surplus[carrier, t]) for t in m.T])
        for label, values in (("cannot be served", short), ("cannot be absorbed", surplus)):
            hours = np.flatnonzero(values > SHORTFALL_TOLERANCE_KW)
            if hours.size:
                peak = int(hours[np.argmax(values[hours])])
                parts.append(
                    f"{carrier} {label} in {hours.size} hours"
                    f" (first {times[hours[0]]:%Y-%m-%d %H:%M},"
                    f" largest {values[peak]:,.0f} kW at {times[peak]:%Y-%m-%d %H:%M})"
                )
    if not parts:
        return (
            "the model is infeasible although every balance can be met; check the technology bounds"
        )
    return "; ".join(parts) + "; raise the limits (max_modules, max_kw, ...) or add a backup"

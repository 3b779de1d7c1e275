"""Solving with HiGHS, and explaining infeasible inputs in plain words.

The model reaches HiGHS as matrices (:mod:`optimiser.model.matrix`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import pyomo.environ as pyo

from optimiser.errors import (
    InfeasibleError,
    NumericalError,
    SolverError,
    TimeLimitError,
    UnboundedError,
)
from optimiser.model.builder import ModelBuilder
from optimiser.model.carriers import CARRIER_UNITS
from optimiser.model.matrix import model_matrix
from optimiser.model.singleton_rows import as_bounds
from optimiser.model.warm_basis import WarmBasis, encode_basis, set_basis
from optimiser.model.year_rows import run_priced

SHORTFALL_TOLERANCE_KW = 1e-4
"""Slack below this (kW) in the diagnostic run counts as served."""

_STATUS = highspy.HighsModelStatus
_NO_SOLUTION = {
    _STATUS.kInfeasible: (InfeasibleError, "the model is infeasible"),
    # HiGHS's presolve says this of infeasible models too; the diagnosis tells which
    _STATUS.kUnboundedOrInfeasible: (InfeasibleError, "the model is infeasible or unbounded"),
    _STATUS.kUnbounded: (
        UnboundedError,
        "the model is unbounded: a cost can fall without limit; bound the sales or sizes",
    ),
}
_LIMITS = {
    _STATUS.kTimeLimit,
    _STATUS.kIterationLimit,
    _STATUS.kSolutionLimit,
    _STATUS.kInterrupt,
    _STATUS.kObjectiveBound,
    _STATUS.kObjectiveTarget,
}
"""Statuses of a solve stopped early: a solution found by then is usable but not proven."""


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
    """What the solver reached: ``status`` ("optimal": proven within ``requested_gap``;
    "feasible": stopped early with a usable solution whose gap is not proven), objective
    and bound (EUR/year), and time (s): ``seconds`` in all, of which ``highs_seconds``
    inside HiGHS (the rest is handing the model over and reading the solution back).

    ``gap`` is relative to the decision-dependent cost, ``objective - constant``:
    ``constant`` (EUR/year) is the part of the objective no decision changes (e.g. the
    heat network's annuity, standing charges, the cost of a fixed design), which would
    otherwise make a gap look smaller than what the decisions may still gain.
    """

    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    highs_seconds: float = float("nan")
    constant: float = 0.0
    requested_gap: float = 0.0
    started_from: float | None = None
    """Objective of the MIP start given to HiGHS (EUR/year), if any."""
    year_duals: tuple[float, ...] = ()
    """An LP's duals on the builder's ``year_rows`` (EUR per unit of the row, HiGHS's
    sign), in their order: what :func:`solve`'s ``prices`` asks for."""

    @property
    def optimal(self) -> bool:
        """True when the solution is optimal within the requested gap."""
        return self.status == "optimal"

    @property
    def verdict(self) -> str:
        """One phrase: "optimal (gap 0.31 %)" or "not proven, gap 12.40 % (asked 0.50 %)"."""
        if self.optimal:
            return f"optimal (gap {self.gap:.2%})"
        return f"not proven, gap {self.gap:.2%} (asked {self.requested_gap:.2%})"


def solve(
    builder: ModelBuilder,
    options: SolveOptions = SolveOptions(),
    start: Mapping[str, float | np.ndarray] | None = None,
    basis: WarmBasis | None = None,
    prices: Sequence[float] | None = None,
) -> SolveResult:
    """Solve the model of ``builder`` and load the solution into its variables.

    ``basis`` (LPs only) starts the simplex from ``basis.given`` if it fits and
    receives the optimal basis in ``basis.found``. Such an LP is handed over with its
    rows of one column as bounds (:mod:`optimiser.model.singleton_rows`), as a warm
    start runs without presolve; the basis is one of that LP.

    ``prices`` (LPs only, one per ``builder.year_rows``, e.g. a similar LP's
    ``year_duals``) solves the LP with those rows priced first and added last
    (:mod:`optimiser.model.year_rows`); the optimum is the same. Not with a warm basis
    that HiGHS took, which is already near the optimum.

    ``start`` (variable name -> value, an hourly variable's values as an array, e.g.
    from :func:`variable_values` of a solved model over the same steps) is handed to
    HiGHS as a MIP start: the solve then never returns anything worse than that
    solution. Raises :class:`InfeasibleError`, :class:`UnboundedError`,
    :class:`TimeLimitError` (stopped without any feasible solution) or
    :class:`NumericalError`; a solve stopped early with a usable solution returns status
    "feasible" and its (unproven) gap.
    """
    begin = time.perf_counter()
    form = model_matrix(builder)
    lp, constant, year_rows = form.lp, form.constant, form.year_rows
    if basis is not None and not len(lp.integrality_):  # a basis for LPs without presolve
        lp, year_rows = as_bounds(lp, year_rows)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(options.time_limit_s))
    highs.setOptionValue("mip_rel_gap", float(options.mip_gap))
    highs.setOptionValue("threads", int(options.threads))
    for name, value in options.highs_options.items():
        if highs.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise SolverError(f"HiGHS rejects option {name}={value!r}")
    highs.passModel(lp)
    started_from = _set_start(highs, lp, form.start_vector(start)) + constant if start else None
    if basis is not None and basis.given:
        basis.used = set_basis(highs, lp, basis.given)
    # HiGHS keeps one thread pool per process, sized by the first solve; a solve asking
    # for another thread count fails unless the pool is rebuilt (solves here run one
    # at a time, so rebuilding is safe).
    highspy.Highs.resetGlobalScheduler(True)
    is_mip = len(lp.integrality_) > 0
    priced_seconds = None
    if prices is not None and not is_mip and not (basis and basis.used):
        if len(prices) != year_rows.size:
            raise ValueError(f"{len(prices)} prices for {year_rows.size} year rows")
        priced_seconds = run_priced(highs, lp, year_rows, prices, _run, options.time_limit_s)
    else:
        _run(highs)
    if basis is not None and basis.used and highs.getInfo().primal_solution_status != 2:
        # a warm start may change the iterations, never the outcome: from a coalition's
        # basis HiGHS ended "optimal" on ten-parties' checks with one row 3e-7 to 1e-6 out
        # of tolerance after unscaling, which counted as no solution; from scratch it solves
        highs.clearSolver()
        basis.used = False
        _run(highs)
    highs_seconds = highs.getRunTime() if priced_seconds is None else priced_seconds
    status = highs.getModelStatus()
    info = highs.getInfo()
    if status in _NO_SOLUTION:
        kind, message = _NO_SOLUTION[status]
        raise kind(message)
    has_solution = info.primal_solution_status == 2  # 2: a feasible solution exists
    if status in _LIMITS and not has_solution:
        raise TimeLimitError(
            f"HiGHS stopped ({highs.modelStatusToString(status)}) after"
            f" {time.perf_counter() - begin:.0f} s without any feasible solution;"
            " raise --time-limit or use fewer --typical-days"
        )
    if not has_solution or (status != _STATUS.kOptimal and status not in _LIMITS):
        raise NumericalError(
            f"HiGHS ended with {highs.modelStatusToString(status)!r} and no usable solution;"
            " check the model for extreme values (costs, sizes) or try another --gap"
        )
    form.load(builder, highs.getSolution().col_value)
    year_duals = () if is_mip else tuple(np.asarray(highs.getSolution().row_dual)[year_rows])
    if basis is not None and highs.getBasis().valid:
        basis.found = encode_basis(highs.getBasis())
        basis.duals = year_duals
    variable_cost = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if is_mip else variable_cost
    if not np.isfinite(bound):
        bound = -np.inf if status != _STATUS.kOptimal else variable_cost
    gap = abs(variable_cost - bound) / max(abs(variable_cost), 1e-9)
    # kOptimal: HiGHS proved the relative (or its tiny absolute) gap criterion
    return SolveResult(
        "optimal" if status == _STATUS.kOptimal else "feasible",
        variable_cost + constant,
        bound + constant,
        float(gap),
        time.perf_counter() - begin,
        highs_seconds,
        constant=constant,
        requested_gap=float(options.mip_gap),
        started_from=started_from,
        year_duals=year_duals,
    )


def _run(highs: highspy.Highs) -> None:
    """Run HiGHS; raise :class:`NumericalError` if it cannot."""
    if highs.run() == highspy.HighsStatus.kError:
        raise NumericalError("HiGHS could not run the model (HighsStatus kError)")


def variable_values(builder: ModelBuilder) -> dict[str, float | np.ndarray]:
    """Every variable of a solved model by name (fixed ones included; an hourly
    variable's values as an array): a MIP start."""
    values: dict[str, float | np.ndarray] = {
        v.name: float(v.value)
        for v in builder.model.component_data_objects(pyo.Var)
        if v.value is not None
    }
    values.update({v.name: v.value for v in builder.hourly if v.value is not None})
    return values


def _set_start(highs: highspy.Highs, lp: highspy.HighsLp, values: np.ndarray) -> float:
    """Hand ``values`` (one per column, NaN where the start has none) to HiGHS as a MIP
    start; return its cost without the constant.

    Integers are rounded so that HiGHS accepts the point as it is. Columns the start
    does not name (a variable the solved model did not have, e.g. whether a heat pump is
    built when its modules were fixed) are completed by :func:`_complete`; without that,
    a start missing a binary is infeasible and HiGHS ignores it.
    """
    missing = np.isnan(values)
    values[missing] = np.where(np.isfinite(lp.col_lower_), lp.col_lower_, 0.0)[missing]
    values = np.clip(values, lp.col_lower_, lp.col_upper_)
    if len(lp.integrality_):
        integer = np.array([t == highspy.HighsVarType.kInteger for t in lp.integrality_])
        values[integer] = np.round(values[integer])
    if missing.any():
        values = _complete(lp, values, missing)
    solution = highspy.HighsSolution()
    solution.col_value = values.tolist()
    if highs.setSolution(solution) == highspy.HighsStatus.kError:
        raise NumericalError("HiGHS rejected the MIP start (the two-stage design)")
    return float(np.dot(lp.col_cost_, values))


def _complete(lp: highspy.HighsLp, values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``values`` with its ``missing`` columns solved for, every other column fixed at
    its value: a tiny MIP that presolve settles in seconds (HiGHS's own completion of a
    partial start fixes only the integers and re-solves every flow, which on a full year
    takes minutes and ignores the time limit). Unchanged if no completion exists."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.passModel(lp)
    known = np.flatnonzero(~missing).astype(np.int32)
    highs.changeColsBounds(len(known), known, values[known], values[known])
    highspy.Highs.resetGlobalScheduler(True)  # see solve()
    highs.run()
    if highs.getModelStatus() != _STATUS.kOptimal:
        return values
    completed = values.copy()
    completed[missing] = np.asarray(highs.getSolution().col_value)[missing]
    return completed


def describe_shortfall(builder: ModelBuilder) -> str:
    """Which carriers and hours a solved slack model could not serve (one line).

    ``builder`` must have been built with ``slack=True`` and solved. On typical days a
    step is an hour of a typical day that stands for several real days: it is named as
    such ("typical day like 2025-04-16, 23:00, standing for 31 days"), never as an hour of
    the year, and the yearly amount weighs each step by the days it stands for.
    """
    times = pd.DatetimeIndex(builder.inputs["time"].values)
    typical = "period" in builder.inputs.coords
    parts = []
    for carrier in builder.shortfall:
        unit = CARRIER_UNITS[carrier]
        short, surplus = builder.shortfall[carrier].value, builder.surplus[carrier].value
        for label, values in (("cannot be served", short), ("cannot be absorbed", surplus)):
            steps = np.flatnonzero(values > SHORTFALL_TOLERANCE_KW)
            if not steps.size:
                continue
            peak = int(steps[np.argmax(values[steps])])
            yearly = float(np.dot(builder.weight[steps], values[steps]))
            where = _step_name(times[peak], builder.weight[peak], typical)
            count = (
                f"in {steps.size} hours of {len(np.unique(builder.period[steps]))} typical days"
                if typical
                else f"in {steps.size} hours"
            )
            parts.append(
                f"{carrier} {label} {count} ({_amount(yearly / 1e3)} {_annual(unit)} a year;"
                f" largest {_amount(values[peak])} {unit} at {where})"
            )
    if not parts:
        return (
            "the model is infeasible although every balance can be met; check the technology bounds"
        )
    return "; ".join(parts) + "; raise the limits (max_modules, max_kw, ...) or add a backup"


def _step_name(time: pd.Timestamp, weight: float, typical: bool) -> str:
    """An hour of the year, or an hour of a typical day and the days it stands for."""
    if not typical:
        return f"{time:%Y-%m-%d %H:%M}"
    return f"{time:%H:%M} of the typical day like {time:%Y-%m-%d} (standing for {weight:.0f} days)"


def _annual(unit: str) -> str:
    """The unit of a yearly amount of a carrier whose flows are in ``unit`` (per 1000)."""
    return {"kW": "MWh", "m3/h": "thousand m3"}.get(unit, f"thousand {unit}-hours")


def _amount(value: float) -> str:
    """A figure rounded to what it is worth: three significant digits, thousands grouped."""
    if not np.isfinite(value):
        return str(value)
    if abs(value) >= 1e12:
        return f"{value:.2e}"
    digits = max(0, 2 - int(np.floor(np.log10(abs(value))))) if value else 0
    return f"{round(value, digits - 0):,.{digits}f}"

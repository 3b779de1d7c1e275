"""Solving with HiGHS through Pyomo, and explaining infeasible inputs in plain words."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from optimiser.errors import InfeasibleError, SolverError
from optimiser.model import ModelBuilder

SHORTFALL_TOLERANCE_KW = 1e-4
"""Slack below this (kW) in the diagnostic run counts as served."""


@dataclass(frozen=True)
class SolveOptions:
    """Limits for HiGHS: wall time (s), relative MIP gap, threads."""

    time_limit_s: float = 600.0
    mip_gap: float = 0.005
    threads: int = 2


@dataclass(frozen=True)
class SolveResult:
    """What the solver reached: status, objective and bound (EUR/year), gap, time (s)."""

    status: str
    objective: float
    bound: float
    gap: float
    seconds: float

    @property
    def optimal(self) -> bool:
        """True when the solution is optimal within the requested gap."""
        return self.status == "optimal"


def solve(builder: ModelBuilder, options: SolveOptions = SolveOptions()) -> SolveResult:
    """Solve the model of ``builder`` and load the solution into its variables.

    Raises :class:`InfeasibleError` when HiGHS proves the model infeasible and
    :class:`SolverError` when it stops without any feasible solution.
    """
    solver = Highs()
    start = time.perf_counter()
    result = solver.solve(
        builder.model,
        time_limit=options.time_limit_s,
        rel_gap=options.mip_gap,
        threads=options.threads,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
    )
    seconds = time.perf_counter() - start
    condition = result.termination_condition
    if condition in (
        TerminationCondition.provenInfeasible,
        TerminationCondition.locallyInfeasible,
        TerminationCondition.infeasibleOrUnbounded,
    ):
        raise InfeasibleError("the model is infeasible")
    if result.solution_status not in (SolutionStatus.optimal, SolutionStatus.feasible):
        raise SolverError(
            f"HiGHS stopped ({condition.name}) after {seconds:.0f} s without a feasible solution;"
            " raise --time-limit or simplify the model"
        )
    result.solution_loader.load_vars()
    objective = float(result.incumbent_objective)
    bound = result.objective_bound
    bound = objective if bound is None or not np.isfinite(bound) else float(bound)
    gap = abs(objective - bound) / max(abs(objective), 1e-9)
    status = {
        TerminationCondition.convergenceCriteriaSatisfied: "optimal",
        TerminationCondition.maxTimeLimit: "time_limit",
    }.get(condition, condition.name)
    return SolveResult(status, objective, bound, gap, seconds)


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

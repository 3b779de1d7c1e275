"""A lower bound on the full-year design MILP that keeps the design's integers (Benders).

The LP relaxation of the full-year MILP builds a fraction of each indivisible asset (a
TEO plant, a heat-pump module, an ATES doublet, a tax bracket) and pays that fraction
of its fixed cost; on the default model that is a 5.2 % gap that no solve on the hours
can close. This bound keeps the design integral and every hour of the year:

- the *subproblem* F(d) is the full-year LP with the design fixed
  (:class:`optimiser.model.relaxed_year.RelaxedYear`); each solve adds a cut that no
  design's F falls below (or that excludes designs the year cannot serve);
- the *master* is min theta over the design columns, their integers kept, the rows that
  involve only them (e.g. one grid class) and every cut so far: a MILP of
  a dozen columns. Every integer design d has F(d) >= its theta, so the master's dual
  bound is a valid lower bound on the full-year MILP (hourly integers and the N-1
  binary are relaxed in F, which only lowers it);
- the next design to check is the master's optimum inside a *trust region* around the
  best design checked so far (integers +-1, sizes +-25 % of their range, tariff choices
  such as the grid class and the tax brackets kept). The region only steers the
  search: the bound always comes from the master without it. A region whose optimum was
  checked already doubles until it gives a new design; a design the year cannot serve
  halves it.

On the default model (one thread of a 2-core EPYC) the bound passed the LP relaxation's
after 11 solves (9 min) and was 1.0 % below the design after 26 (29 min), where the LP
relaxation proves 5.2 % (``benchmarks/results/design_bound_20261203T1910.csv``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from optimiser.model.relaxed_year import Cut, RelaxedYear, Solved

_INTEGER = highspy.HighsVarType.kInteger
_CONTINUOUS = highspy.HighsVarType.kContinuous
REGION_SHARE = 0.25
"""Trust region half-width of a continuous size, as a share of its range."""


@dataclass(frozen=True)
class DesignBound:
    """The Benders bound (EUR/year without the constant; -inf when none was proven),
    the best F found and its design, designs checked, how it stopped, and what the last
    check found."""

    bound: float
    best_value: float
    best_design: np.ndarray
    checks: int
    stopped: str
    last_check: str = ""


@dataclass(frozen=True)
class MasterStep:
    """A master's outcome: HiGHS's status and its phrase, the optimal design (None
    unless optimal) and the master's dual bound (EUR/year without the constant; -inf
    unless optimal)."""

    status: highspy.HighsModelStatus
    phrase: str
    design: np.ndarray | None
    bound: float


@dataclass(frozen=True)
class DesignSpace:
    """The master's columns: bounds, integrality and the rows over the design alone."""

    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    rows: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray

    @classmethod
    def of(cls, relaxed: RelaxedYear) -> DesignSpace:
        """The design space of ``relaxed``: the rows of its matrix with no other column."""
        lp, columns, matrix = relaxed.lp, relaxed.columns, relaxed.matrix
        is_design = np.zeros(lp.num_col_, dtype=bool)
        is_design[columns] = True
        per_row = np.diff(matrix.indptr)
        outside = np.bincount(
            np.repeat(np.arange(matrix.shape[0]), per_row),
            weights=~is_design[matrix.indices],
            minlength=matrix.shape[0],
        )
        own = np.flatnonzero((outside == 0) & (per_row > 0))
        return cls(
            relaxed.lower,
            relaxed.upper,
            relaxed.integer,
            matrix[own][:, columns].tocsr(),
            np.asarray(lp.row_lower_, dtype=float)[own],
            np.asarray(lp.row_upper_, dtype=float)[own],
        )

    def master(
        self, cuts: list[Cut], lower: np.ndarray, upper: np.ndarray, seconds: float
    ) -> MasterStep:
        """min theta over designs in [lower, upper] with the design rows and ``cuts``,
        within ``seconds``: the optimal design and the master's dual bound (EUR/year)."""
        n = len(self.lower)
        slopes = sp.csr_matrix(np.array([c.slope for c in cuts]).reshape(len(cuts), n))
        theta = sp.csr_matrix(np.array([[-1.0 if c.theta else 0.0] for c in cuts]).reshape(-1, 1))
        a = sp.vstack(
            [
                sp.hstack([self.rows, sp.csr_matrix((self.rows.shape[0], 1))]),
                sp.hstack([slopes, theta]),
            ]
        ).tocsc()
        problem = highspy.HighsLp()
        problem.num_col_, problem.num_row_ = n + 1, a.shape[0]
        problem.col_cost_ = np.r_[np.zeros(n), 1.0]
        problem.col_lower_ = np.r_[lower, -1e12]
        problem.col_upper_ = np.r_[upper, 1e12]
        # optimality cut: theta - slope.d >= rhs, written slope.d - theta <= -rhs
        problem.row_lower_ = np.r_[self.row_lower, [-np.inf if c.theta else c.rhs for c in cuts]]
        problem.row_upper_ = np.r_[self.row_upper, [-c.rhs if c.theta else np.inf for c in cuts]]
        problem.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        problem.a_matrix_.start_, problem.a_matrix_.index_ = a.indptr, a.indices
        problem.a_matrix_.value_ = a.data
        kinds = [_INTEGER if i else _CONTINUOUS for i in self.integer]
        problem.integrality_ = [*kinds, _CONTINUOUS]
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", 1)
        highs.setOptionValue("mip_rel_gap", 1e-7)
        highs.setOptionValue("time_limit", max(float(seconds), 0.0))
        highs.passModel(problem)
        highspy.Highs.resetGlobalScheduler(True)  # the checks may run on more threads
        highs.run()
        status = highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return MasterStep(status, highs.modelStatusToString(status), None, -np.inf)
        x = np.asarray(highs.getSolution().col_value)
        design = np.clip(np.where(self.integer, np.round(x[:n]), x[:n]), self.lower, self.upper)
        info = highs.getInfo()
        bound = info.mip_dual_bound if self.integer.any() else info.objective_function_value
        return MasterStep(status, "optimal", design, float(bound))


@dataclass
class _Search:
    """The state of a Benders search: the best F checked and its design (EUR/year
    without the constant), the designs checked (the incumbent's first), the bound."""

    best: float
    best_design: np.ndarray
    checked: list[np.ndarray]
    bound: float = -np.inf
    last: str = ""

    def outcome(self, stopped: str) -> DesignBound:
        """The search as it stands, ``stopped`` saying why it ended ("running" if not)."""
        return DesignBound(
            self.bound,
            self.best,
            self.best_design,
            len(self.checked) - 1,
            stopped,
            self.last,
        )

    def seen(self, design: np.ndarray) -> bool:
        """Whether ``design`` was checked already (within 1e-6 of its scale)."""
        return any(np.allclose(design, d, rtol=1e-6, atol=1e-6) for d in self.checked)


def design_bound(
    relaxed: RelaxedYear,
    cuts: list[Cut],
    incumbent: tuple[float, np.ndarray],
    enough: float,
    deadline: float,
    progress: Callable[[DesignBound], None] | None = None,
) -> DesignBound:
    """Refine the Benders bound from ``cuts`` (at least one optimality cut) until it
    reaches ``enough`` (EUR/year without the constant), meets the best F checked (then
    the best checked design is the optimum of F), or ``time.perf_counter()`` passes
    ``deadline``; ``incumbent`` is (F, design) of the best design checked so far.
    ``progress`` is given the state (stopped "running") after each master.

    A master without a design means a cut excluded every design, the checked one too:
    a numerical failure, so no Benders bound is kept (-inf)."""
    space = DesignSpace.of(relaxed)
    cuts = list(cuts)
    search = _Search(incumbent[0], incumbent[1], [incumbent[1]])
    keep = relaxed.tariff_choice
    span = np.where(np.isfinite(space.upper - space.lower), space.upper - space.lower, 1.0)
    width = np.where(keep, 0.0, np.where(space.integer, 1.0, REGION_SHARE * span))
    shrink = 1.0
    while True:
        whole = space.master(cuts, space.lower, space.upper, _master_seconds(deadline))
        if whole.design is None:
            if whole.status == highspy.HighsModelStatus.kTimeLimit:
                return search.outcome("time limit")
            search.bound = -np.inf
            return search.outcome(f"the master ended {whole.phrase!r}: no Benders bound")
        search.bound = max(search.bound, whole.bound)
        if progress is not None:
            progress(search.outcome("running"))
        if search.bound >= enough:
            return search.outcome("reached the asked gap")
        if search.bound >= search.best - 1e-7 * max(abs(search.best), 1.0):
            return search.outcome("converged")
        if time.perf_counter() >= deadline:
            return search.outcome("time limit")
        candidate = _next_design(space, cuts, search, width * shrink, deadline)
        if candidate is None and not search.seen(whole.design):
            candidate = whole.design
        if candidate is None:
            return search.outcome("no new design to check")
        solved = relaxed.solve(candidate, deadline - time.perf_counter())
        search.checked.append(candidate)
        if solved.cut is not None:
            cuts.append(solved.cut)
        search.last = _phrase(solved)
        if solved.value is not None:
            if solved.value < search.best:
                search.best, search.best_design = solved.value, candidate
        elif solved.status == highspy.HighsModelStatus.kInfeasible:  # look closer in
            shrink *= 0.5
        elif solved.status == highspy.HighsModelStatus.kTimeLimit:
            return search.outcome("time limit")
        else:
            return search.outcome(f"a check ended {solved.phrase!r}")


def _next_design(
    space: DesignSpace, cuts: list[Cut], search: _Search, reach: np.ndarray, deadline: float
) -> np.ndarray | None:
    """The master's optimum in the trust region of half-widths ``reach`` around the best
    design, widened (doubled) while that optimum was checked already; None when no
    region up to the whole box (choices kept) gives a new design."""
    span = space.upper - space.lower  # an unbounded size stops widening at 2**20 x reach
    span = np.where(np.isfinite(span), span, reach * 2**20)
    while True:
        lower = np.maximum(space.lower, search.best_design - reach)
        upper = np.minimum(space.upper, search.best_design + reach)
        region = space.master(cuts, lower, upper, _master_seconds(deadline))
        if region.design is not None and not search.seen(region.design):
            return region.design
        if np.all((reach >= span) | (reach == 0)) or time.perf_counter() >= deadline:
            return None
        reach = reach * 2


def _phrase(solved: Solved) -> str:
    """What a check found, for the progress line."""
    if solved.value is not None:
        return f"F {solved.value:,.0f} EUR/year without the constant"
    cut = "a cut excludes it" if solved.cut is not None else "no cut"
    return f"{solved.phrase} ({cut})"


def _master_seconds(deadline: float) -> float:
    """A master's time limit: what is left until ``deadline``, but at least 1 s (a
    master takes well under a second), so that every step ends with a bound."""
    return max(deadline - time.perf_counter(), 1.0)

"""A lower bound on the full-year design MILP that keeps the design's integers (Benders).

The LP relaxation of the full-year MILP builds a fraction of each indivisible asset (a
TEO plant, a heat-pump module, an ATES doublet, a tax bracket) and pays that fraction
of its fixed cost; on the default model that is a 5.2 % gap that no solve on the hours
can close. This bound keeps the design integral and the hours exact:

- the *subproblem* F(d) is the full-year LP with the design fixed
  (:class:`optimiser.model.relaxed_year.RelaxedYear`); each solve adds a cut that no
  design's F falls below (or that excludes designs the year cannot serve);
- the *master* is min theta over the design columns, their integers kept, the rows that
  involve only them (one grid class, brackets in order) and every cut so far: a MILP of
  a dozen columns. Every integer design d has F(d) >= its theta, so the master's dual
  bound is a valid lower bound on the full-year MILP (hourly integers and the N-1
  binary are relaxed in F, which only lowers it);
- the next design to check is the master's optimum inside a *trust region* around the
  best design checked so far (integers +-1, sizes +-25 % of their range, a one-of-many
  choice such as the grid class kept). The region only steers the search: the bound
  always comes from the master without it. A region whose optimum was checked already
  gives way to the master's own optimum; a design the year cannot serve halves it.

On the default model (2-core EPYC) this proved 1.1 % in 26 min where the LP relaxation
proves 5.2 % (``benchmarks/results/certificate_lower_bounds_20261203.txt``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from optimiser.model.relaxed_year import Cut, RelaxedYear

_INTEGER = highspy.HighsVarType.kInteger
_CONTINUOUS = highspy.HighsVarType.kContinuous
REGION_SHARE = 0.25
"""Trust region half-width of a continuous size, as a share of its range."""


@dataclass(frozen=True)
class DesignBound:
    """The Benders bound (EUR/year without the constant; -inf when none was proven),
    the best F found and its design, designs checked, how it stopped, seconds."""

    bound: float
    best_value: float
    best_design: np.ndarray
    checks: int
    stopped: str
    seconds: float


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
        lp, columns = relaxed.lp, relaxed.columns
        a = lp.a_matrix_
        matrix = sp.csc_matrix(
            (a.value_, a.index_, a.start_), shape=(lp.num_row_, lp.num_col_)
        ).tocsr()
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

    def choices(self) -> np.ndarray:
        """Columns in a one-of-many choice (binaries in a design row ``sum = 1``, e.g.
        the grid class): the trust region keeps them as the incumbent has them."""
        chosen = np.zeros(len(self.lower), dtype=bool)
        binary = self.integer & (self.lower == 0) & (self.upper == 1)
        for i in np.flatnonzero((self.row_lower == 1) & (self.row_upper == 1)):
            row = self.rows.getrow(i)
            if np.all(row.data == 1) and np.all(binary[row.indices]) and row.nnz > 1:
                chosen[row.indices] = True
        return chosen

    def master(
        self, cuts: list[Cut], lower: np.ndarray, upper: np.ndarray
    ) -> tuple[np.ndarray, float] | None:
        """min theta over designs in [lower, upper] with the design rows and ``cuts``:
        (the optimal design, the master's dual bound in EUR/year), None if infeasible."""
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
        problem.integrality_ = [_INTEGER if i else _CONTINUOUS for i in self.integer] + [
            _CONTINUOUS
        ]
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", 1)
        highs.setOptionValue("mip_rel_gap", 1e-7)
        highs.passModel(problem)
        highspy.Highs.resetGlobalScheduler(True)  # the checks may run on more threads
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"design master ended {highs.modelStatusToString(status)!r}")
        x = np.asarray(highs.getSolution().col_value)
        design = np.clip(np.where(self.integer, np.round(x[:n]), x[:n]), self.lower, self.upper)
        info = highs.getInfo()
        bound = info.mip_dual_bound if self.integer.any() else info.objective_function_value
        return design, float(bound)


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
    ``progress`` is given the state (stopped "running") after each master."""
    begin = time.perf_counter()
    space = DesignSpace.of(relaxed)
    cuts = list(cuts)
    best, best_design = incumbent
    keep = space.choices()
    width = np.where(
        keep, 0.0, np.where(space.integer, 1.0, REGION_SHARE * (space.upper - space.lower))
    )
    shrink, bound, checked = 1.0, -np.inf, [best_design]
    while True:
        whole = space.master(cuts, space.lower, space.upper)
        if whole is None:
            return _done(-np.inf, best, best_design, checked, "no design can serve the year", begin)
        bound = max(bound, whole[1])
        if progress is not None:
            progress(_done(bound, best, best_design, checked, "running", begin))
        if bound >= enough:
            return _done(bound, best, best_design, checked, "reached the asked gap", begin)
        if bound >= best - 1e-7 * max(abs(best), 1.0):
            return _done(bound, best, best_design, checked, "converged", begin)
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return _done(bound, best, best_design, checked, "time limit", begin)
        reach = width * shrink
        region = space.master(
            cuts,
            np.maximum(space.lower, best_design - reach),
            np.minimum(space.upper, best_design + reach),
        )
        candidate = whole[0] if region is None or _seen(region[0], checked) else region[0]
        if _seen(candidate, checked):
            return _done(bound, best, best_design, checked, "no new design to check", begin)
        solved = relaxed.solve(candidate, remaining)
        checked.append(candidate)
        if solved.cut is not None:
            cuts.append(solved.cut)
        if solved.value is not None:
            if solved.value < best:
                best, best_design = solved.value, candidate
        elif time.perf_counter() >= deadline:
            return _done(bound, best, best_design, checked, "time limit", begin)
        else:  # the year cannot be served with it: look closer to the incumbent
            shrink *= 0.5


def _seen(design: np.ndarray, checked: list[np.ndarray]) -> bool:
    """Whether ``design`` was checked already (within 1e-6 of its scale)."""
    return any(np.allclose(design, d, rtol=1e-6, atol=1e-6) for d in checked)


def _done(bound, best, best_design, checked, stopped, begin) -> DesignBound:
    """The outcome, with the designs checked after the first (the incumbent's)."""
    return DesignBound(
        bound, best, best_design, len(checked) - 1, stopped, time.perf_counter() - begin
    )

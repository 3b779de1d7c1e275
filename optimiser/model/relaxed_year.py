"""The full-year model with every integer made continuous, as a function of its design.

F(d) is the optimum of the full-year model's LP relaxation (modules, built/not built,
tax brackets, grid class and hourly on/off all continuous) with the design columns
``d`` fixed by bounds, in EUR/year without the constant cost. It is convex in ``d`` and
below the full-year MILP's cost of every integer design ``d``, which is what makes it
the subproblem of the certificate's Benders bound (:mod:`optimiser.model.design_bound`).

Each solve gives a *cut*, a linear function of ``d`` that no design's F falls below:

- **optimality cut** from a solved F(d_k): ``F(d) >= F(d_k) + r_k . (d - d_k)`` with
  ``r_k`` the reduced costs of the fixed columns (their bounds' duals, a subgradient);
  the same holds at the LP relaxation's optimum, where the design is free.
- **feasibility cut** from a design the year cannot serve: HiGHS's dual ray ``y`` gives
  ``(A_d' y) . d >= R(y) - M(y)`` for every design that can, with R(y) the rows' bounds
  weighted by ``y`` and M(y) the most the other columns can contribute within their
  bounds. It is computed here from the matrix for any ``y``, so its validity does not
  rest on the ray's accuracy; a cut that does not exclude the design is dropped.

The designs are the free investment columns except those sized by the peak hours
(contracted kW, backup boiler), which stay in F like the hourly dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp

from optimiser.model.builder import ModelBuilder
from optimiser.model.matrix import model_matrix
from optimiser.model.rows import Columns

_OPTIMAL = highspy.HighsModelStatus.kOptimal
_INFEASIBLE = highspy.HighsModelStatus.kInfeasible
_INTEGER = highspy.HighsVarType.kInteger


@dataclass(frozen=True)
class Cut:
    """``slope . d >= rhs`` for every design the full year can serve (a feasibility cut,
    ``theta`` False), or ``theta >= rhs + slope . d`` below F (an optimality cut).
    Values in EUR/year (optimality) without the constant cost."""

    slope: np.ndarray
    rhs: float
    theta: bool


@dataclass(frozen=True)
class Solved:
    """One solve of F: HiGHS's status and a phrase for it; F (EUR/year without the
    constant; None unless optimal within tolerances); the design solved at (when free,
    the relaxation's optimal design, or the bounds if not optimal); its cut (None when
    it gave none)."""

    status: highspy.HighsModelStatus
    phrase: str
    value: float | None
    design: np.ndarray
    cut: Cut | None


def design_columns(builder: ModelBuilder, columns: Columns) -> dict[str, int]:
    """Column of each free investment decision (label ``component.name``) in the matrix."""
    return {
        f"{s.component}.{s.name}": column
        for s in builder.sizes
        if isinstance(s.expression, pyo.Var) and (column := columns.find(s.expression)) is not None
    }


class RelaxedYear:
    """F(d) for ``builder``'s full-year model, held in one HiGHS (a new design changes
    column bounds only)."""

    def __init__(self, builder: ModelBuilder, threads: int) -> None:
        form = model_matrix(builder)
        self.lp, self.constant = form.lp, form.constant
        peak = {f"{s.component}.{s.name}" for s in builder.sizes if s.sized_by_peak}
        design = {k: j for k, j in design_columns(builder, form.columns).items() if k not in peak}
        self.labels = list(design)
        """Labels (``component.name``) of the design columns, in the order of ``d``."""
        self.columns = np.array(list(design.values()), dtype=np.int32)
        self.lower = np.asarray(self.lp.col_lower_, dtype=float)[self.columns]
        self.upper = np.asarray(self.lp.col_upper_, dtype=float)[self.columns]
        choices = {f"{s.component}.{s.name}" for s in builder.sizes if s.tariff_choice}
        self.tariff_choice = np.array([k in choices for k in self.labels], dtype=bool)
        """Which design columns pick a tariff (see ``Size.tariff_choice``)."""
        integrality = list(self.lp.integrality_)
        self.integer = np.array(
            [bool(integrality) and integrality[j] == _INTEGER for j in self.columns]
        )
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", int(threads))
        self.highs.passModel(self.lp)
        n = self.lp.num_col_
        self.highs.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kContinuous)
        )
        self._matrix: sp.csr_matrix | None = None

    @property
    def matrix(self) -> sp.csr_matrix:
        """The constraint matrix by rows (built on first use, then kept)."""
        if self._matrix is None:
            a = self.lp.a_matrix_
            self._matrix = sp.csc_matrix(
                (a.value_, a.index_, a.start_), shape=(self.lp.num_row_, self.lp.num_col_)
            ).tocsr()
        return self._matrix

    def design_of(self, sizes: dict[str, float]) -> np.ndarray:
        """The design vector of solved ``sizes`` by label, within the columns' bounds."""
        values = np.array([sizes[k] for k in self.labels], dtype=float)
        values = np.where(self.integer, np.round(values), values)
        return np.clip(values, self.lower, self.upper)

    def solve(self, design: np.ndarray | None, seconds: float) -> Solved:
        """F(design) within ``seconds``; ``design`` None solves with the design free (the
        LP relaxation of the full-year MILP). Peak-sized columns are always free.

        Each solve starts afresh, with presolve: on the default model a check warm from
        the last basis ran over 8 minutes where cold ones took 3-144 s."""
        lower, upper = (self.lower, self.upper) if design is None else (design, design)
        self.highs.clearSolver()
        self.highs.changeColsBounds(len(self.columns), self.columns, lower, upper)
        # HiGHS's time limit counts the object's run time over all its solves so far
        limit = self.highs.getRunTime() + max(float(seconds), 0.0)
        self.highs.setOptionValue("time_limit", limit)
        highspy.Highs.resetGlobalScheduler(True)  # see optimiser.model.solve.solve
        self.highs.run()
        status = self.highs.getModelStatus()
        phrase = self.highs.modelStatusToString(status)
        if status == _OPTIMAL and self._within_tolerances():
            solution = self.highs.getSolution()
            at = np.asarray(solution.col_value)[self.columns]
            slope = np.asarray(solution.col_dual)[self.columns]
            value = float(self.highs.getInfo().objective_function_value)
            cut = Cut(slope, value - slope @ at, theta=True)
            return Solved(status, phrase, value, at, cut)
        if status == _OPTIMAL:
            phrase = "optimal, but out of HiGHS's tolerances after unscaling"
        cut = None
        if status == _INFEASIBLE and design is not None:
            cut = self._feasibility_cut(design)
        return Solved(status, phrase, None, lower, cut)

    def _within_tolerances(self) -> bool:
        """Whether the last optimum has no primal or dual infeasibility left (HiGHS may
        say optimal when unscaling leaves some; its duals then make no valid cut)."""
        info = self.highs.getInfo()
        return info.num_primal_infeasibilities == 0 and info.num_dual_infeasibilities == 0

    def _feasibility_cut(self, design: np.ndarray) -> Cut | None:
        """The Farkas cut of HiGHS's dual ray (see the module's docstring), or None when
        there is no ray or neither of its signs excludes ``design``."""
        _, has_ray, ray = self.highs.getDualRay()
        if not has_ray:
            return None
        for sign in (1.0, -1.0):
            cut = self._farkas(sign * np.asarray(ray, dtype=float))
            if cut is not None and cut.slope @ design < cut.rhs - 1e-6 * (1 + abs(cut.rhs)):
                return cut
        return None

    def _farkas(self, y: np.ndarray) -> Cut | None:
        """``(A_d' y) . d >= R(y) - M(y)``, valid for every design the year can serve,
        for any row weights ``y``: every row gives ``y_i a_i x >= y_i * (its lower bound
        if y_i > 0, else its upper)``; the columns other than the design contribute at
        most M(y) within their bounds. None when a weight meets an infinite bound."""
        row_lower = np.asarray(self.lp.row_lower_, dtype=float)
        row_upper = np.asarray(self.lp.row_upper_, dtype=float)
        row_bound = np.where(y > 0, row_lower, row_upper)
        y = np.where(np.isfinite(row_bound), y, 0.0)
        row_terms = y * np.where(y != 0, row_bound, 0.0)
        weights = self.matrix.T @ y
        others = np.ones(self.lp.num_col_, dtype=bool)
        others[self.columns] = False
        w = weights[others]
        col_bound = np.where(
            w > 0, np.asarray(self.lp.col_upper_)[others], np.asarray(self.lp.col_lower_)[others]
        )
        active = w != 0
        if not np.all(np.isfinite(col_bound[active])):
            return None
        col_terms = w[active] * col_bound[active]
        # a margin for round-off in the sums, so that no design the year can serve is cut
        margin = 1e-9 * (np.abs(row_terms).sum() + np.abs(col_terms).sum() + 1.0)
        rhs = float(row_terms.sum() - col_terms.sum() - margin)
        return Cut(weights[self.columns], rhs, theta=False)

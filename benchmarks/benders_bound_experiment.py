"""Experiment for issue 17, part 1: a Benders lower bound on the full-year design MILP.

This is not part of ``wijk``. It measures a candidate for the certificate's lower bound,
which today is the full-year LP relaxation; that relaxation buys each indivisible asset
(TEO, heat-pump modules, ATES doublets, tax brackets) by the fraction
(see ``results/certificate_lower_bounds_20261203.txt``).

F(d) is the full-year LP (hourly integers relaxed) with the design columns ``d`` fixed by
bounds. It is convex in ``d``, and the reduced costs of those columns at its optimum are a
subgradient, so every solved F(d_k) gives a cut ``theta >= F(d_k) + r_k (d - d_k)`` that
holds for every design. The master problem, min theta over the design columns with their
integers kept integer and the rows that involve only them, is a tiny MILP whose optimum
is a valid lower bound that respects integrality.

The next design to check is the master's optimum inside a trust region around the best
checked design: integers +-1, continuous sizes +-25 % of their range, grid classes and
tax brackets as the incumbent has them. The trust region only steers where to look. The
bound always comes from the master without it. A design the year cannot serve halves
the region and adds no cut. The sizes set by the peaks (contracted kW, backup boiler)
stay in F.

    python benchmarks/benders_bound_experiment.py --model default --seconds 1500
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import highspy
import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).parent))
from design_benchmark import write_rows
from linopy_comparison import check_inputs, quiet_highs

from optimiser.model.matrix import model_matrix
from optimiser.model.system import build_model
from optimiser.workflows.certify import design_columns

_INTEGER = highspy.HighsVarType.kInteger
_CONTINUOUS = highspy.HighsVarType.kContinuous


def design_value(lp, columns: np.ndarray, d: np.ndarray, threads: int):
    """F(d) and its subgradient (EUR/year without the constant), or None if the year
    cannot be served with ``d``. A fresh HiGHS each time, so that presolve runs."""
    highs = quiet_highs()
    highs.setOptionValue("threads", threads)
    highs.passModel(lp)
    n = lp.num_col_
    highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, _CONTINUOUS))
    highs.changeColsBounds(len(columns), columns, d, d)
    highspy.Highs.resetGlobalScheduler(True)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    reduced = np.asarray(highs.getSolution().col_dual)[columns]
    return highs.getInfo().objective_function_value, reduced


def design_rows(lp, columns: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """The rows of ``lp`` that involve only the design ``columns`` (e.g. one grid class),
    as a matrix over those columns, with their lower and upper bounds."""
    matrix = sp.csc_matrix(
        (lp.a_matrix_.value_, lp.a_matrix_.index_, lp.a_matrix_.start_),
        shape=(lp.num_row_, lp.num_col_),
    ).tocsr()
    is_design = np.zeros(lp.num_col_, dtype=bool)
    is_design[columns] = True
    outside = np.bincount(
        np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr)),
        weights=~is_design[matrix.indices],
        minlength=matrix.shape[0],
    )
    own = np.flatnonzero((outside == 0) & (np.diff(matrix.indptr) > 0))
    return (
        matrix[own][:, columns],
        np.asarray(lp.row_lower_)[own],
        np.asarray(lp.row_upper_)[own],
    )


def master(design, lower, upper, integer, cuts) -> tuple[np.ndarray, float]:
    """min theta over the design box [lower, upper] with every cut and the ``design``
    rows (:func:`design_rows`); returns (d, theta)."""
    rows, row_lower, row_upper = design
    nd = rows.shape[1]
    slopes = np.array([-r for _, r, _ in cuts]) if cuts else np.zeros((0, nd))
    cut_rows = sp.hstack([sp.csr_matrix(slopes), sp.csr_matrix(np.ones((len(cuts), 1)))])
    a = sp.vstack([sp.hstack([rows, sp.csr_matrix((rows.shape[0], 1))]), cut_rows]).tocsc()
    problem = highspy.HighsLp()
    problem.num_col_, problem.num_row_ = nd + 1, a.shape[0]
    problem.col_cost_ = np.r_[np.zeros(nd), 1.0]
    problem.col_lower_ = np.r_[lower, -1e12]
    problem.col_upper_ = np.r_[upper, 1e12]
    problem.row_lower_ = np.r_[row_lower, [f - r @ d for f, r, d in cuts]]
    problem.row_upper_ = np.r_[row_upper, np.full(len(cuts), np.inf)]
    problem.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    problem.a_matrix_.start_, problem.a_matrix_.index_ = a.indptr, a.indices
    problem.a_matrix_.value_ = a.data
    problem.integrality_ = [_INTEGER if i else _CONTINUOUS for i in integer] + [_CONTINUOUS]
    highs = quiet_highs()
    highs.setOptionValue("mip_rel_gap", 1e-6)
    highs.passModel(problem)
    highspy.Highs.resetGlobalScheduler(True)  # the checks ran on another thread count
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"master: {highs.modelStatusToString(highs.getModelStatus())}")
    x = np.asarray(highs.getSolution().col_value)
    return x[:nd], highs.getInfo().objective_function_value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--seconds", type=float, default=1500.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    scenario, inputs, sizes = check_inputs(args.model)
    builder = build_model(scenario, inputs)
    form = model_matrix(builder)
    lp, constant = form.lp, form.constant
    peak = {f"{s.component}.{s.name}" for s in builder.sizes if s.sized_by_peak}
    labelled = {k: j for k, j in design_columns(builder, form.columns).items() if k not in peak}
    labels, columns = list(labelled), np.array(list(labelled.values()), dtype=np.int32)
    lower = np.asarray(lp.col_lower_)[columns]
    upper = np.asarray(lp.col_upper_)[columns]
    integer = np.array([lp.integrality_[j] == _INTEGER for j in columns])
    design = design_rows(lp, columns)
    fixed_choice = np.array(["class_" in k or "bracket" in k for k in labels])
    width = np.where(fixed_choice, 0.0, np.where(integer, 1.0, 0.25 * (upper - lower)))
    d = np.clip([sizes[k] for k in labels], lower, upper)
    cuts, rows, best, incumbent, shrink = [], [], np.inf, d, 1.0
    while time.perf_counter() - start < args.seconds:
        begin = time.perf_counter()
        value = design_value(lp, columns, d, args.threads)
        seconds = time.perf_counter() - begin
        if value is None:
            shrink *= 0.5
        else:
            cuts.append((value[0], value[1], d.copy()))
            if value[0] < best:
                best, incumbent = value[0], d.copy()
        _, bound = master(design, lower, upper, integer, cuts)
        reach = width * shrink
        box = (np.maximum(lower, incumbent - reach), np.minimum(upper, incumbent + reach))
        d, _ = master(design, *box, integer, cuts)
        rows.append(
            {
                "model": args.model,
                "iteration": len(rows),
                "checked_eur": None if value is None else round(value[0] + constant),
                "check_s": round(seconds, 1),
                "best_design_eur": round(best + constant),
                "lower_bound_eur": round(bound + constant),
                "gap_to_best_checked": (best - bound) / best,
                "elapsed_s": round(time.perf_counter() - start, 1),
            }
        )
        print(rows[-1], flush=True)
    print(write_rows("benders", rows))


if __name__ == "__main__":
    main()

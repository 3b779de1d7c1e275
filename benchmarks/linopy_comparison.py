"""Build and hand-off of the same full-year LP here and in linopy, in one process run.

    pip install -e ".[bench]"
    python benchmarks/linopy_comparison.py [--models default ketelhuis-wg] [--repeat 3]

The LP is each model's full-year check, as ``wijk run`` builds it: the typical-day design's
sizes fixed, every hour dispatched. Here it is built by :func:`build_model` (Pyomo for the
sizes, costs and scalar rules; arrays for the hourly variables and rows,
:mod:`optimiser.model.hourly` and :mod:`optimiser.model.rows`) and handed over by
:func:`optimiser.model.matrix.model_matrix` and ``Highs.passModel``.

The linopy model holds the same variables (with their bounds; fixed sizes are constants
in both) and the same rows: the hourly rows written as a linopy user writes them, a sum
of coefficient arrays times variables over a ``step`` dimension; the few other rows and
the objective as our matrix has them (yearly totals written out over the hours), handed
to linopy as ready label and coefficient arrays. What it takes to read our
model into those arrays is done before linopy's clock starts, so linopy's time is only
its own work: a lower bound on what a linopy formulation of this LP costs. Its hand-off is
``Model.to_highspy``. Both LPs are then solved and their optima compared: they must agree.

Prints the seconds of each side and the ratio, and appends them to
``benchmarks/results/linopy_<date>.csv``.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import highspy
import linopy
import numpy as np
import scipy.sparse as sp
import xarray as xr
from pyomo.core.base.var import VarData

from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.scenario import load_scenario
from optimiser.model.hourly import HourlyVar, Shifted
from optimiser.model.matrix import model_matrix
from optimiser.model.rows import StepRows
from optimiser.model.solve import SolveOptions
from optimiser.model.system import build_model
from optimiser.model.timeseries import Aggregation
from optimiser.workflows.design_stage import typical_design

sys.path.insert(0, str(Path(__file__).parent))
from design_benchmark import write_rows

REPO = Path(__file__).resolve().parents[1]

# A storage balance takes the level at two sets of positions (t and t-1); linopy warns
# that their index coordinates differ and drops them, which is what the rows mean.
warnings.filterwarnings("ignore", category=linopy.LinopySemanticsWarning)


def check_inputs(model: str):
    """The scenario, its hourly inputs and the design sizes its full-year check fixes."""
    scenario = load_scenario(REPO / "models" / model)
    inputs = build_inputs(scenario)
    design = typical_design(scenario, inputs, Aggregation(), SolveOptions(threads=1))
    return scenario, inputs, design.sizes


def ours(scenario, inputs, sizes) -> tuple[float, float, highspy.Highs, float]:
    """Build and hand-off seconds of this package; the Highs holding the LP; its constant."""
    start = time.perf_counter()
    builder = build_model(scenario, inputs, fixed_sizes=sizes)
    built = time.perf_counter()
    form = model_matrix(builder)
    lp, constant = form.lp, form.constant
    highs = quiet_highs()
    highs.passModel(lp)
    return built - start, time.perf_counter() - built, highs, constant


def quiet_highs() -> highspy.Highs:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    return highs


class Translation:
    """Our built model read into arrays (before linopy's clock starts): a linopy
    variable per hourly variable and per Pyomo variable component (the columns of our
    LP: fixed sizes are constants in both), every hourly row's terms as (variable,
    positions, coefficients), the other rows and the objective as our matrix has them
    (yearly totals written out as sums over the hours)."""

    def __init__(self, scenario, inputs, sizes) -> None:
        builder = build_model(scenario, inputs, fixed_sizes=sizes)
        form = model_matrix(builder)
        lp = form.lp
        lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
        integer = np.zeros(lp.num_col_, dtype=bool)
        if len(lp.integrality_):
            integer = np.array([t == highspy.HighsVarType.kInteger for t in lp.integrality_])
        groups: dict[str, list[int]] = {}  # linopy variable -> our columns, in order
        place: dict[int, tuple[str, int]] = {}  # id of a Pyomo variable -> (name, position)
        pinned = set()
        for variable, cols in form.columns.hourly:
            groups[linopy_name(variable.name)] = list(cols)
            pinned.update(id(v) for v in variable.pinned().values())
        for var, col in zip(form.columns.variables, form.columns.index(), strict=True):
            if id(var) in pinned:
                continue
            name = linopy_name(var.parent_component().name)
            place[id(var)] = (name, len(groups.setdefault(name, [])))
            groups[name].append(int(col))
        self.variables = {
            name: (lower[cols], upper[cols], bool(integer[cols].any()))
            for name, cols in groups.items()
        }
        offset = np.cumsum([0] + [len(cols) for cols in groups.values()])
        self.labels = np.empty(lp.num_col_, dtype=int)  # linopy label of each column
        for first, cols in zip(offset, groups.values(), strict=False):
            self.labels[cols] = first + np.arange(len(cols))
        self.rows = [hourly_row(block, place) for block in builder.rows]
        n_hourly = sum(len(rhs) for _, _, rhs in self.rows)
        matrix = sp.csc_matrix(
            (lp.a_matrix_.value_, lp.a_matrix_.index_, lp.a_matrix_.start_),
            shape=(lp.num_row_, lp.num_col_),
        ).tocsr()
        n_other = lp.num_row_ - n_hourly
        self.cost = np.asarray(lp.col_cost_, dtype=float)
        self.constant = form.constant
        self.other = other_rows(
            matrix[:n_other],
            np.asarray(lp.row_lower_)[:n_other],
            np.asarray(lp.row_upper_)[:n_other],
            self.labels,
        )


def linopy_name(name: str) -> str:
    return name.replace(".", "__").replace("[", "_").replace("]", "")


def hourly_row(block: StepRows, place: dict) -> tuple[str, list, np.ndarray]:
    """One block of hourly rows as (sense, [(variable, positions, coefficients)], rhs),
    at the block's steps; a fixed size is a constant in the rhs, as in our matrix."""
    steps = np.arange(len(block.rhs)) if block.steps is None else block.steps
    rhs = block.rhs[steps].copy()
    terms = []
    for term, coef in block.terms:
        coef = coef[steps]
        if isinstance(term, HourlyVar):
            terms.append((linopy_name(term.name), steps, coef))
        elif isinstance(term, Shifted):
            terms.append((linopy_name(term.variable.name), term.steps[steps], coef))
        elif isinstance(term, VarData) and term.fixed:
            rhs -= coef * float(term.value)
        else:
            variables = (
                [term] * steps.size if isinstance(term, VarData) else [term[t] for t in steps]
            )
            (name,) = {place[id(v)][0] for v in variables}
            terms.append((name, np.array([place[id(v)][1] for v in variables]), coef))
    return block.sense, terms, rhs


def other_rows(csr, lower, upper, labels: np.ndarray, short: int = 16) -> list:
    """The non-hourly rows as (sign, variable labels, coefficients, rhs) blocks for
    linopy: rows of one sense with at most ``short`` terms padded into one block (label
    -1 is no term), each longer row (a yearly sum over 8,760 hours) a block of its own,
    as a linopy user would write them."""
    sense = np.where(lower == upper, 0, np.where(np.isinf(lower), 1, -1))
    rhs = np.where(sense == 1, upper, lower)
    length = np.diff(csr.indptr)
    blocks = []
    for code, sign in ((1, "<="), (-1, ">="), (0, "=")):
        of_sense = np.flatnonzero(sense == code)
        groups = [of_sense[length[of_sense] <= short]] + [
            np.array([r]) for r in of_sense[length[of_sense] > short]
        ]
        for rows in (g for g in groups if g.size):
            width = max(1, int(length[rows].max()))
            vars_ = np.full((rows.size, width), -1)
            coeffs = np.zeros((rows.size, width))
            for i, r in enumerate(rows):
                lo, hi = csr.indptr[r], csr.indptr[r + 1]
                vars_[i, : hi - lo] = labels[csr.indices[lo:hi]]
                coeffs[i, : hi - lo] = csr.data[lo:hi]
            blocks.append((sign, vars_, coeffs, rhs[rows]))
    return blocks


def linopy_model(tr: Translation) -> tuple[float, float, highspy.Highs]:
    """Build and hand-off seconds of linopy on the translated LP, and its Highs."""
    start = time.perf_counter()
    m = linopy.Model()
    variables = {}
    for name, (lower, upper, integer) in tr.variables.items():
        coords = [np.arange(len(lower))]
        variables[name] = m.add_variables(
            lower=xr.DataArray(lower, coords=coords, dims=[f"{name}_i"]),
            upper=xr.DataArray(upper, coords=coords, dims=[f"{name}_i"]),
            name=name,
            integer=integer,
        )
    signs = {"<=": "<=", ">=": ">=", "==": "="}
    for k, (sense, terms, rhs) in enumerate(tr.rows):
        lhs = 0
        for name, positions, coef in terms:
            picked = variables[name].isel(
                {f"{name}_i": xr.DataArray(positions, dims="step")}, drop=True
            )
            lhs = lhs + xr.DataArray(coef, dims="step") * picked
        m.add_constraints(lhs, signs[sense], xr.DataArray(rhs, dims="step"), name=f"hourly{k}")
    labels = np.concatenate([v.labels.values.ravel() for v in variables.values()])
    assert np.array_equal(labels, np.arange(len(labels))), "linopy labels are not sequential"
    for k, (sign, vars_, coeffs, rhs) in enumerate(tr.other):
        dims = ("row", "_term")
        lhs = linopy.LinearExpression(
            xr.Dataset({"coeffs": (dims, coeffs), "vars": (dims, vars_)}), m
        )
        m.add_constraints(lhs, sign, xr.DataArray(rhs, dims="row"), name=f"other{k}")
    used = np.flatnonzero(tr.cost)
    m.add_objective(
        linopy.LinearExpression(
            xr.Dataset(
                {"coeffs": (("_term",), tr.cost[used]), "vars": (("_term",), tr.labels[used])}
            ),
            m,
        )
    )
    built = time.perf_counter()
    highs = m.to_highspy()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    return built - start, time.perf_counter() - built, highs


def optimum(highs: highspy.Highs) -> float:
    """Solve and return the objective (EUR/year without the constant)."""
    highspy.Highs.resetGlobalScheduler(True)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"not solved: {highs.modelStatusToString(highs.getModelStatus())}")
    return float(highs.getInfo().objective_function_value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["default", "ketelhuis-wg"])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many builds")
    args = parser.parse_args()
    rows = []
    for model in args.models:
        scenario, inputs, sizes = check_inputs(model)
        translation = Translation(scenario, inputs, sizes)
        best_ours, best_linopy = (np.inf, np.inf, None, 0.0), (np.inf, np.inf, None)
        for _ in range(args.repeat):  # alternated, best of each
            run = ours(scenario, inputs, sizes)
            best_ours = min(best_ours, run, key=lambda r: r[0] + r[1])
            run = linopy_model(translation)
            best_linopy = min(best_linopy, run, key=lambda r: r[0] + r[1])
        ours_eur = optimum(best_ours[2]) + best_ours[3]
        linopy_eur = optimum(best_linopy[2]) + translation.constant
        row = {
            "model": model,
            "ours_build_s": round(best_ours[0], 3),
            "ours_handoff_s": round(best_ours[1], 3),
            "linopy_build_s": round(best_linopy[0], 3),
            "linopy_handoff_s": round(best_linopy[1], 3),
            "ratio": round((best_ours[0] + best_ours[1]) / (best_linopy[0] + best_linopy[1]), 3),
            "ours_objective_eur": round(ours_eur, 2),
            "linopy_objective_eur": round(linopy_eur, 2),
            "linopy_version": linopy.__version__,
        }
        print(", ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        if abs(ours_eur - linopy_eur) > 1e-6 * max(1.0, abs(ours_eur)):
            raise SystemExit(f"{model}: the two LPs differ ({ours_eur} against {linopy_eur})")
        rows.append(row)
    print(f"written: {write_rows('linopy', rows)}")


if __name__ == "__main__":
    main()

"""Build and hand-off of the same full-year LP here and in linopy, in one process run.

    pip install -e ".[bench]"
    python benchmarks/linopy_comparison.py [--models default ketelhuis-wg] [--repeat 3]

The LP is each model's full-year check, as ``wijk run`` builds it: the typical-day design's
sizes fixed, every hour dispatched. Here it is built by :func:`build_model` (Pyomo for the
sizes, costs and scalar rules; arrays for the hourly rows, :mod:`optimiser.model.rows`)
and handed over by :func:`optimiser.model.matrix.model_matrix` and ``Highs.passModel``.

The linopy model holds the same variables (with their bounds; fixed sizes as variables
with equal bounds, which presolve removes) and the same rows: the hourly rows written as a
linopy user writes them, a sum of coefficient arrays times variables over a ``step``
dimension; the few other rows and the objective from the arrays Pyomo's compiler made of
them, handed to linopy as ready label and coefficient arrays. What it takes to read our
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
import pyomo.environ as pyo
import xarray as xr
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.scenario import load_scenario
from optimiser.model.matrix import model_matrix
from optimiser.model.rows import term_variables
from optimiser.model.solve import SolveOptions
from optimiser.model.system import build_model, clustering_features
from optimiser.model.timeseries import Aggregation, aggregate
from optimiser.workflows.run import _sizes, _typical_design

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
    typical = aggregate(inputs, Aggregation(), clustering_features(scenario, inputs))
    design, _, _, brackets = _typical_design(
        scenario, typical, SolveOptions(threads=1), lambda _s: None, None
    )
    return scenario, inputs, {**_sizes(design), **brackets}


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


def bound(var, value: float | None, missing: float) -> float:
    """A variable's bound for linopy: its value if fixed, ``missing`` if unbounded."""
    if var.fixed:
        return float(var.value)
    return missing if value is None else float(value)


class Translation:
    """Our built model read into arrays (before linopy's clock starts): every Pyomo
    variable component with its bounds, every hourly row's terms as (component, positions,
    coefficients), the other rows and the objective as compiled arrays."""

    def __init__(self, scenario, inputs, sizes) -> None:
        builder = build_model(scenario, inputs, fixed_sizes=sizes)
        self.variables: dict[str, tuple[np.ndarray, np.ndarray, bool]] = {}
        position: dict[int, tuple[str, int]] = {}
        for var in builder.model.component_objects(pyo.Var, descend_into=True):
            name = var.name.replace(".", "__").replace("[", "_").replace("]", "")
            datas = list(var.values())
            lower = np.array([bound(d, d.lb, -np.inf) for d in datas], dtype=float)
            upper = np.array([bound(d, d.ub, np.inf) for d in datas], dtype=float)
            self.variables[name] = (lower, upper, not datas[0].is_continuous())
            for i, d in enumerate(datas):
                position[id(d)] = (name, i)
        self.rows = []
        for block in builder.rows:
            terms = []
            for term, coef in block.terms:
                variables = term_variables(term)
                names = {position[id(v)][0] for v in variables}
                (name,) = names
                terms.append((name, np.array([position[id(v)][1] for v in variables]), coef))
            self.rows.append((block.sense, terms, block.rhs))
        form = LinearStandardFormCompiler().write(builder.model, mixed_form=True)
        offset = np.cumsum([0] + [len(lower) for lower, _, _ in self.variables.values()])
        first = dict(zip(self.variables, offset, strict=False))  # linopy labels in order
        self.labels = np.array(
            [first[name] + i for name, i in (position[id(v)] for v in form.columns)]
        )
        self.cost = np.asarray(form.c.toarray()[0], dtype=float)
        self.constant = float(form.c_offset[0])
        self.other = other_rows(form, self.labels)


def other_rows(form, labels: np.ndarray, short: int = 16) -> list:
    """The compiled rows as (sign, variable labels, coefficients, rhs) blocks for linopy:
    rows of one sense with at most ``short`` terms padded into one block (label -1 is
    no term), each longer row (a yearly sum over 8,760 hours) a block of its own, as a
    linopy user would write them."""
    csr = form.A.tocsr()
    sense = np.array([row.bound_type for row in form.rows], dtype=int)
    rhs = np.asarray(form.rhs, dtype=float)
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

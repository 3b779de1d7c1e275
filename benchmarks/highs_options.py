"""Which HiGHS settings solve our two model kinds fastest, measured in one run.

The typical-day design (a MILP of ~13 days) and the full-year check (an LP over 8760 h
with the design fixed) of the default model, each solved with several HiGHS settings;
prints the HiGHS seconds and objective per setting.

    python benchmarks/highs_options.py
"""

from __future__ import annotations

import time

from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.scenario import load_scenario
from optimiser.model.solve import SolveOptions, solve
from optimiser.model.system import build_model, clustering_features
from optimiser.model.timeseries import Aggregation, aggregate
from optimiser.workflows.design_stage import sizes_of

DESIGN_SETTINGS = {
    "default, 2 threads": SolveOptions(),
    "default, 1 thread": SolveOptions(threads=1),
    "ipm at the root": SolveOptions(highs_options={"solver": "ipm"}),
}
CHECK_SETTINGS = {
    "default (dual simplex), 2 threads": SolveOptions(),
    "default, 1 thread": SolveOptions(threads=1),
    "ipm + crossover": SolveOptions(highs_options={"solver": "ipm"}),
    "primal simplex": SolveOptions(highs_options={"simplex_strategy": 4}),
    "no presolve": SolveOptions(highs_options={"presolve": "off"}),
}


def main() -> None:
    scenario = load_scenario()
    inputs = build_inputs(scenario)
    typical = aggregate(inputs, Aggregation(), clustering_features(scenario, inputs))
    sizes = None
    print(f"{'model':8} {'setting':36} {'highs s':>8} {'total s':>8} {'objective':>14}")
    for label, options in DESIGN_SETTINGS.items():
        builder = build_model(scenario, typical)
        result = solve(builder, options)
        sizes = sizes or sizes_of(builder)
        print(
            f"{'design':8} {label:36} {result.highs_seconds:8.2f} {result.seconds:8.2f}"
            f" {result.objective:14,.0f}",
            flush=True,
        )
    for label, options in CHECK_SETTINGS.items():
        start = time.perf_counter()
        builder = build_model(scenario, inputs, fixed_sizes=sizes)
        result = solve(builder, options)
        total = time.perf_counter() - start
        print(
            f"{'check':8} {label:36} {result.highs_seconds:8.2f} {total:8.2f}"
            f" {result.objective:14,.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()

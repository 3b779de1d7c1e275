"""Benchmark the certificate: stage times of a two-stage run and the time to a proven gap.

Runs ``wijk run``'s workflow (:func:`optimiser.workflows.run.optimise`) on each model
with ``certify_gap`` (default 1 %), timing every stage as the progress callback reports
it, and prints one row per model: total wall time, the stages, the design cost, the
lower bound, the proven gap (decision-dependent cost and total) and whether the asked
gap was reached within ``--time-limit``. Writes the rows, with the machine, to
``benchmarks/results/certificate_<date>.csv``.

    python benchmarks/certificate_benchmark.py --threads 1 --time-limit 600
    python benchmarks/certificate_benchmark.py --models ketelhuis-wg --gap 1.0  # LP bound only
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from design_benchmark import MODELS, write_rows


def run_model(model: str, gap: float, time_limit: float, threads: int) -> dict:
    """One certified two-stage run; seconds per stage and the certificate's figures."""
    from optimiser.inputs.scenario import load_scenario
    from optimiser.model.solve import SolveOptions
    from optimiser.workflows.run import optimise

    stages: dict[str, float] = {}
    clock = {"stage": "load", "since": time.perf_counter()}

    def progress(stage: str) -> None:
        now = time.perf_counter()
        stages[clock["stage"]] = stages.get(clock["stage"], 0.0) + now - clock["since"]
        clock.update(stage=stage, since=now)

    start = clock["since"]
    scenario = load_scenario(Path(__file__).parents[1] / "models" / model)
    options = SolveOptions(time_limit_s=time_limit, threads=threads)
    _, summary = optimise(scenario, options, progress=progress, certify_gap=gap)
    progress("done")
    certificate = summary["certificate"]
    proven = certificate["proven_gap"]
    return {
        "model": model,
        "total_s": round(time.perf_counter() - start, 1),
        **{f"{name}_s": round(seconds, 1) for name, seconds in stages.items()},
        "design_cost_eur": round(certificate["design_cost_eur_per_year"]),
        "lower_bound_eur": certificate["lower_bound_eur_per_year"],
        "proven_gap": proven,
        "proven_gap_of_total": certificate["proven_gap_of_total"],
        "asked_gap": gap,
        "reached": proven is not None and proven <= gap,
        "certificate_s": round(certificate["seconds"], 1),
        "design": certificate["design"],
        "method": certificate["method"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    rows = [run_model(m, args.gap, args.time_limit, args.threads) for m in args.models]
    for row in rows:
        print(", ".join(f"{k}={v}" for k, v in row.items()))
    print(f"written: {write_rows('certificate', rows)}")


if __name__ == "__main__":
    main()

"""Benchmark the certificate's Benders bound (:mod:`optimiser.model.design_bound`).

Designs the model on typical days as ``wijk run`` does, then, on the full-year model
with every integer relaxed (:class:`optimiser.model.relaxed_year.RelaxedYear`), solves
F at that design and refines the Benders bound from its cut for ``--seconds``, as
``wijk run --certify`` does. Prints one row per master step: solves after the first,
elapsed seconds, the bound and the best F checked (EUR/year with the constant), the
gap between them on the decision-dependent cost and what the last solve found; writes
the rows, with the machine, to ``benchmarks/results/design_bound_<date>.csv``.
(``results/design_bound_after_relaxation_20261203.txt`` compares a start after the LP
relaxation, measured with the code of commit 2188c9a.)

    python benchmarks/design_bound_benchmark.py --model default --seconds 2700 --threads 1
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from design_benchmark import write_rows
from linopy_comparison import check_inputs

from optimiser.model.design_bound import DesignBound, design_bound
from optimiser.model.relaxed_year import RelaxedYear
from optimiser.model.system import build_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--seconds", type=float, default=2700.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    scenario, inputs, sizes = check_inputs(args.model)
    start = time.perf_counter()
    relaxed = RelaxedYear(build_model(scenario, inputs), args.threads)
    constant = relaxed.constant
    rows: list[dict] = []

    def record(stage: str, bound: float, best: float, checks: int, last: str = "") -> None:
        rows.append(
            {
                "model": args.model,
                "stage": stage,
                "checks": checks,
                "elapsed_s": round(time.perf_counter() - start, 1),
                "lower_bound_eur": round(bound + constant) if np.isfinite(bound) else None,
                "best_checked_eur": round(best + constant),
                "gap": (best - bound) / max(best, 1e-9) if np.isfinite(bound) else None,
                "last_check": last,
            }
        )
        print(rows[-1], flush=True)

    deadline = start + args.seconds
    first = relaxed.design_of(sizes)
    at_design = relaxed.solve(first, deadline - time.perf_counter())
    if at_design.value is None:
        sys.exit(f"F at the two-stage design ended {at_design.phrase!r}")
    cuts = [at_design.cut]
    record("design", -np.inf, at_design.value, 0)

    def progress(state: DesignBound) -> None:
        record("benders", state.bound, state.best_value, state.checks, state.last_check)

    outcome = design_bound(relaxed, cuts, (at_design.value, first), np.inf, deadline, progress)
    record(outcome.stopped, outcome.bound, outcome.best_value, outcome.checks)
    print(write_rows("design_bound", rows))


if __name__ == "__main__":
    main()

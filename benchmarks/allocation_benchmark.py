"""Wall time of ``wijk allocate`` on a model: every rule, or least core and nucleolus
by constraint generation alone, on local workers or a dask LocalCluster.

    python benchmarks/allocation_benchmark.py models/ketelhuis-wg [--workers 2]
        [--nucleolus-only] [--dask] [--typical-days 12] [--cache DIR]

Without ``--cache`` a fresh cache is used, so every design problem is solved; the run
then repeats on the same cache to measure a second run (it must solve nothing). The
machine's load averages before and after are recorded, as the machine may be shared.
Appends a row to benchmarks/results/allocation_<date>.csv.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from optimiser.inputs.scenario import load_scenario
from optimiser.model.timeseries import Aggregation
from optimiser.workflows.allocation import allocate_model
from optimiser.workflows.runner import executor

RESULTS = Path(__file__).parent / "results"


@contextmanager
def dask_pool(workers: int):
    """The executor of a dask LocalCluster of ``workers`` single-threaded processes."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1) as cluster, Client(cluster) as c:
        yield c.get_executor(pure=False)


def run(model: Path, workers: int, generated: bool, use_dask: bool, days: int, cache: Path):
    scenario = load_scenario(model)
    pool = dask_pool(workers) if use_dask else executor(None, workers)
    load_before = os.getloadavg()
    start = time.perf_counter()

    def report(done: int, total: int) -> None:
        if done % 25 == 0 or done == total:
            print(f"  {time.perf_counter() - start:7.0f} s: {done} of {total or '?'}", flush=True)

    with pool as ex:
        result, coalitions, solver = allocate_model(
            scenario, Aggregation(typical_days=days), executor=ex, cache_dir=cache,
            progress=report, generated=generated, batch=workers,
        )  # fmt: skip
    seconds = time.perf_counter() - start
    return {
        "model": str(model),
        "parties": len(scenario.parties),
        "rules": ",".join(result["rules"]),
        "executor": "dask LocalCluster" if use_dask else "local processes",
        "workers": workers,
        "typical_days": days,
        "coalitions_evaluated": len(coalitions),
        "design_problems_solved": solver.solved,
        "wall_seconds": round(seconds, 1),
        "worker_seconds_per_solve": round(seconds * workers / solver.solved, 1)
        if solver.solved
        else None,
        "load_before": " ".join(f"{v:.2f}" for v in load_before),
        "load_after": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "checks_warm_started": solver.warm,
        "cpu_seconds_per_solve": round(solver.cpu_seconds / solver.solved, 1)
        if solver.solved
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--nucleolus-only", action="store_true")
    parser.add_argument("--dask", action="store_true")
    parser.add_argument("--typical-days", type=int, default=12)
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="wijk-bench-"))
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, shared"
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"allocation_{datetime.now(UTC):%Y%m%d}.csv"
    for attempt in ("first run", "second run"):
        row = run(
            args.model, args.workers, args.nucleolus_only, args.dask, args.typical_days, cache
        )
        row = {"run": attempt, "machine": machine, "utc": f"{datetime.now(UTC):%H:%M}", **row}
        print(row, flush=True)
        new = not path.exists()
        with open(path, "a", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(row))
            if new:
                writer.writeheader()
            writer.writerow(row)


if __name__ == "__main__":
    main()

"""A 50-scenario Monte Carlo sweep of the default model (12 typical days + full-year
check each), run with 1 and then 2 local workers: wall time and the speed-up.

    python benchmarks/sweep_scaling.py [--scenarios 50]

Writes benchmarks/results/sweep_scaling_<date>.csv. No cache is used, so both runs
solve every scenario.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from optimiser.inputs.scenario import load_scenario
from optimiser.model.timeseries import Aggregation
from optimiser.workflows.runner import executor
from optimiser.workflows.sweep import run_sweep, sample

RESULTS = Path(__file__).parent / "results"
RANDOM = {
    "prices.gas.supply_eur_per_m3": {"uniform": [0.3, 1.2]},
    "prices.electricity.supplier_margin_eur_per_kwh": {"uniform": [0.0, 0.08]},
    "finance.discount_rate": {"uniform": [0.02, 0.06]},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=50)
    args = parser.parse_args()
    base = load_scenario()
    overrides = sample(RANDOM, args.scenarios, seed=1)
    rows = []
    for workers in (1, 2):
        start = time.perf_counter()
        with executor(workers=workers) as pool:
            results = run_sweep(base, overrides, pool, None, Aggregation())
        seconds = time.perf_counter() - start
        rows.append(
            {
                "workers": workers,
                "scenarios": args.scenarios,
                "solved": int(results["ok"].sum()),
                "seconds": round(seconds, 1),
                "seconds_per_scenario": round(seconds / args.scenarios, 2),
                "nmdn_holds_share": float(results["nmdn"].mean()),
                "cores": os.cpu_count(),
                "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        print(rows[-1], flush=True)
    speedup = rows[0]["seconds"] / rows[1]["seconds"]
    print(f"speed-up 1 -> 2 workers: {speedup:.2f}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"sweep_scaling_{datetime.now(UTC):%Y%m%dT%H%M}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, [*rows[0], "speedup"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "speedup": round(speedup, 3)})
    print(f"written {path}")


if __name__ == "__main__":
    main()

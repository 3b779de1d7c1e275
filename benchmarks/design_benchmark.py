"""Benchmark the design methods: monolithic full year vs typical days + full-year check.

Runs each model (a) as one full-year MILP with a time limit and (b) on k typical days
for each k, each followed by the full-year check, every case in a fresh Python process
so that its peak memory is its own. Prints a table and writes it, with the machine's
description, to ``benchmarks/results/design_<date>.csv``.

    python benchmarks/design_benchmark.py                      # all models, k = 6 12 24 48
    python benchmarks/design_benchmark.py --models default --typical-days 12 \\
        --monolithic-time-limit 0                               # skip the monolithic run

Times are wall-clock seconds: ``build`` is Python building the Pyomo models (design and
check), ``handoff`` Pyomo compiling them to matrices for HiGHS and reading solutions
back, ``highs`` HiGHS itself, ``total`` everything from loading the model file.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
MODELS = ("default", "ketelhuis-wg")
TYPICAL_DAYS = (6, 12, 24, 48)


def run_case(model: str, typical_days: int, time_limit: float, threads: int) -> dict:
    """Run one case in this process; ``typical_days`` 0 means the monolithic full year."""
    from optimiser.inputs.scenario import load_scenario
    from optimiser.model.solve import SolveOptions
    from optimiser.model.timeseries import Aggregation
    from optimiser.workflows.run import optimise

    start = time.perf_counter()
    scenario = load_scenario(Path(__file__).parents[1] / "models" / model)
    aggregation = Aggregation(typical_days=typical_days) if typical_days else None
    options = SolveOptions(time_limit_s=time_limit, threads=threads)
    ds, summary = optimise(scenario, options, aggregation=aggregation)
    total = time.perf_counter() - start
    a = ds.attrs
    build = a["build_seconds"] + a.get("design_build_seconds", 0.0)
    solve = a["solve_seconds"] + a.get("design_solve_seconds", 0.0)
    highs = a["highs_seconds"] + a.get("design_highs_seconds", 0.0)
    design = summary.get("design", {})
    return {
        "model": model,
        "method": "full year" if not typical_days else f"k={typical_days}",
        "typical_days": design.get("typical_days", 365),
        "build_s": round(build, 2),
        "handoff_s": round(solve - highs, 2),
        "highs_s": round(highs, 2),
        "total_s": round(total, 2),
        "status": a["solver_status"] if not typical_days else a.get("design_status", ""),
        "design_objective_eur": round(
            design.get("objective_eur_per_year", a["objective_eur_per_year"]), 0
        ),
        "design_bound_eur": round(design.get("bound_eur_per_year", a["bound_eur_per_year"]), 0),
        "full_year_cost_eur": round(summary["total_cost_eur_per_year"], 0),
        "unmet_mwh": round(
            sum(u["amount"] for u in summary["unmet_energy"].values() if u["unit"] == "MWh"), 3
        ),
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    }


def write_rows(prefix: str, rows: list[dict]) -> Path:
    """Write ``rows`` to ``results/<prefix>_<UTC time>.csv`` under ``# key: value`` lines
    saying what they were measured on (:func:`machine`); returns the path."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{prefix}_{datetime.now(UTC):%Y%m%dT%H%M}.csv"
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write("".join(f"# {k}: {v}\n" for k, v in machine().items()))
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def machine() -> dict:
    """What the figures were measured on."""
    import highspy
    import pyomo

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(),
        "pyomo": pyomo.version.version,
        "highs": highspy.Highs().version(),
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def in_subprocess(model: str, typical_days: int, time_limit: float, threads: int) -> dict:
    """Run one case in a fresh interpreter; a failure becomes a row with its error."""
    command = [sys.executable, __file__, "--case", model, str(typical_days)]
    command += ["--time-limit", str(time_limit), "--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        error = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {
            "model": model,
            "method": f"k={typical_days}" if typical_days else "full year",
            "status": f"error: {error}",
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def with_gaps(rows: list[dict]) -> list[dict]:
    """Add each row's full-year cost relative to the monolithic run of its model."""
    best = {
        r["model"]: r["full_year_cost_eur"]
        for r in rows
        if r.get("method") == "full year" and "full_year_cost_eur" in r
    }
    for r in rows:
        if r["model"] in best and "full_year_cost_eur" in r:
            r["vs_monolithic"] = round(r["full_year_cost_eur"] / best[r["model"]] - 1.0, 5)
    return rows


def print_table(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    columns = list(dict.fromkeys(k for r in rows for k in r))
    table = Table(*columns, title="Design benchmark")
    for r in rows:
        table.add_row(*(str(r.get(c, "")) for c in columns))
    Console(width=250).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--typical-days", nargs="+", type=int, default=list(TYPICAL_DAYS))
    parser.add_argument(
        "--time-limit",
        type=float,
        default=600.0,
        help="solver time limit (s) for the typical-day designs and checks",
    )
    parser.add_argument(
        "--monolithic-time-limit",
        type=float,
        default=1200.0,
        help="time limit (s) of the full-year MILP; 0 skips it",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--case", nargs=2, metavar=("MODEL", "K"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        model, k = args.case[0], int(args.case[1])
        print(json.dumps(run_case(model, k, args.time_limit, args.threads)))
        return

    info = machine()
    rows = []
    cases = [(model, k, args.time_limit) for model in args.models for k in args.typical_days]
    if args.monolithic_time_limit > 0:
        cases += [(model, 0, args.monolithic_time_limit) for model in args.models]
    for model, k, limit in cases:
        rows.append(in_subprocess(model, k, limit, args.threads))
        print(json.dumps(rows[-1]), flush=True)
    rows = with_gaps(rows)
    print_table(rows)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"design_{datetime.now(UTC):%Y%m%dT%H%M}.csv"
    columns = list(dict.fromkeys(k for r in rows for k in r)) + list(info)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, **info})
    print(f"written {path}")


if __name__ == "__main__":
    main()

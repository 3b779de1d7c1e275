"""Benchmark ``wijk run``: wall time from process start to files written, by stage.

Each model runs in a fresh Python process (imports count, as they do for the CLI) doing
what ``wijk run MODEL --threads N -o TMP`` does: load, :func:`~optimiser.workflows.run.optimise`
(the progress callback times each stage; the hourly inputs come from the cache as in
``wijk run``, so the first run of a model builds them), then write the results. Prints one row per
model: the subprocess's wall time, the stages in seconds (``import`` is loading the
package and the scenario; ``solve`` the typical-day design in HiGHS; ``check`` the
full-year dispatch, build and solve; ``write`` the result files), the full-year cost
and the load average, and appends them, with the machine, to
``benchmarks/results/run_<date>.csv``.

    python benchmarks/run_benchmark.py --threads 1             # default and ketelhuis-wg
    python benchmarks/run_benchmark.py --models default --repeat 3
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from design_benchmark import MODELS, write_rows  # noqa: E402


def run_model(model: str, threads: int) -> dict:
    """One two-stage run as ``wijk run`` does it, in this process; seconds per stage."""
    stages: dict[str, float] = {}
    clock = {"stage": "import", "since": STARTED}

    def progress(stage: str) -> None:
        now = time.perf_counter()
        stages[clock["stage"]] = stages.get(clock["stage"], 0.0) + now - clock["since"]
        clock.update(stage=stage, since=now)

    from optimiser.inputs.profiles.cache import default_cache_dir
    from optimiser.inputs.scenario import load_scenario
    from optimiser.model.solve import SolveOptions
    from optimiser.outputs.result_files import write_results
    from optimiser.workflows.run import optimise

    scenario = load_scenario(
        None if model == "default" else Path(__file__).parents[1] / "models" / model
    )
    ds, summary = optimise(
        scenario, SolveOptions(threads=threads), progress=progress, inputs_cache=default_cache_dir()
    )
    progress("write")
    with tempfile.TemporaryDirectory() as folder:
        write_results(ds, summary, Path(folder) / "out")
    progress("done")
    return {
        "model": model,
        **{f"{name}_s": round(seconds, 2) for name, seconds in stages.items()},
        "in_process_s": round(time.perf_counter() - STARTED, 2),
        "full_year_cost_eur": round(summary["total_cost_eur_per_year"]),
        "design_cost_eur": round(ds.attrs["design_objective_eur_per_year"]),
        "design_highs_s": round(ds.attrs["design_highs_seconds"], 2),
        "check_highs_s": round(ds.attrs["highs_seconds"], 2),
        "sizes": ds.attrs["sizes_json"],
    }


def in_subprocess(model: str, threads: int) -> dict:
    """Run one model in a fresh interpreter; its wall time from start to exit."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    command = [sys.executable, __file__, "--case", model, "--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"model": model, "error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    row = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "model": model,
        "wall_s": round(wall, 2),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        **row,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_model(args.case, args.threads)))
        return
    rows = []
    for _ in range(args.repeat):
        for model in args.models:
            rows.append(in_subprocess(model, args.threads))
            print(", ".join(f"{k}={v}" for k, v in rows[-1].items() if k != "sizes"), flush=True)
    print(f"written: {write_rows('run', rows)}")


if __name__ == "__main__":
    main()

"""Running many optimisations: on a local process pool or a dask cluster, cached, resumable.

Sweeps and coalition games are the same job: a list of scenarios to optimise, each
independent. :func:`executor` gives a :class:`concurrent.futures.Executor` (a process
pool on this machine by default, or a dask.distributed cluster given its scheduler
address); :func:`run_all` submits the scenarios that are not cached yet, writes each
outcome to the cache as soon as it arrives (a stopped run resumes where it stopped)
and reports every failure with its message instead of losing the others. Each solve
uses one HiGHS thread, so the executor's workers are the parallelism; results are
identical whichever executor runs them.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from optimiser.errors import InfeasibleError, InputError, SolverError
from optimiser.inputs.scenario import Scenario, scenario_hash
from optimiser.model.solve import SolveOptions
from optimiser.model.timeseries import Aggregation

if TYPE_CHECKING:
    from optimiser.workflows.design_stage import TypicalDesign

CACHE_FORMAT = 5
"""Version of what a cached outcome holds; raise it when :func:`solve_scenario` changes."""

SINGLE_THREAD = SolveOptions(threads=1)
"""One HiGHS thread per solve: the executor runs one solve per worker."""


def scenario_data(scenario: Scenario) -> dict:
    """A scenario as plain data that validates back to the same scenario.

    Technologies not in the model are left out: in a model file a technology key with
    no value means "build it with catalogue defaults", not "absent".
    """
    data = scenario.model_dump(mode="json")
    data["technologies"] = {k: v for k, v in data["technologies"].items() if v is not None}
    return data


def solve_scenario(
    scenario_json: str,
    aggregation: Aggregation | None,
    options: SolveOptions,
    horizon: tuple[int, int] | None = None,
    basis: str | None = None,
    keep_basis: bool = False,
    prices: tuple[float, ...] | None = None,
    design: TypicalDesign | None = None,
) -> dict:
    """Optimise one scenario (JSON, so it travels to any worker) and return its key figures.

    ``basis`` starts the full-year check from a similar scenario's optimal basis and
    ``prices`` are that scenario's duals on the check's year rows (the cost: only
    iterations, never the optimum; see :class:`WarmBasis`); ``keep_basis`` returns this
    scenario's own under ``check_basis`` and ``check_year_duals``. ``cpu_seconds`` is the solve's
    CPU time in its process (the benchmarks' per-solve figure on a shared machine).
    ``design`` is the scenario's typical-day design, made before by
    :func:`design_scenario`: only its full-year check runs.

    ``horizon`` (first day, days) optimises only those days of the year (quick looks
    and tests, see :func:`optimiser.model.timeseries.select_days`), designing on all
    their hours. A failure that another run would repeat (wrong inputs, no design, a
    design that cannot serve the year) is ``final`` and may be cached.

    ``{"ok": True, "total_cost_eur", "lcoh_eur_per_gj", "co2_tonne", "sizes", "heat_cost",
    "heat_supplied_mwh", "investment_eur", "fixed_om_eur_per_year", "water_accounting"}``
    (the per-role water accounts the cost game reads), or ``{"ok": False,
    "error": message}`` when the inputs are wrong, no design exists or the design cannot
    serve every hour of the year.
    """
    begin = time.process_time()
    outcome = _solve_scenario(
        scenario_json, aggregation, options, horizon, basis, keep_basis, prices, design
    )
    return {**outcome, "cpu_seconds": time.process_time() - begin}


def design_scenario(scenario_json: str, aggregation: Aggregation, options: SolveOptions) -> dict:
    """Design one scenario on ``aggregation``'s typical days, without its full-year check
    (:func:`solve_scenario` checks it later, given the design): the cost game designs a
    coalition while the check whose basis its own check starts from is being solved.

    ``{"ok": True, "design": TypicalDesign, "cpu_seconds"}``, or the failure
    :func:`solve_scenario` would return (``ok`` False, ``error``, ``final`` if another
    run would repeat it).
    """
    from optimiser.inputs.profiles.cache import cached_inputs
    from optimiser.workflows.design_stage import typical_design

    begin = time.process_time()
    try:
        scenario = Scenario.model_validate_json(scenario_json)
        outcome = {
            "ok": True,
            "design": typical_design(scenario, cached_inputs(scenario, None), aggregation, options),
        }
    except (InputError, InfeasibleError, SolverError) as error:
        outcome = _failure(error)
    return {**outcome, "cpu_seconds": time.process_time() - begin}


def _failure(error: InputError | InfeasibleError | SolverError) -> dict:
    """The outcome of a solve that failed: ``final`` (cached, not tried again) unless
    the solver itself failed."""
    final = {"final": True} if isinstance(error, InputError | InfeasibleError) else {}
    return {"ok": False, "error": str(error), **final}


def _solve_scenario(
    scenario_json: str,
    aggregation: Aggregation | None,
    options: SolveOptions,
    horizon: tuple[int, int] | None,
    basis: str | None,
    keep_basis: bool,
    prices: tuple[float, ...] | None,
    design: TypicalDesign | None,
) -> dict:
    """:func:`solve_scenario` without its CPU time."""
    from optimiser.inputs.profiles.inputs import build_inputs
    from optimiser.model.timeseries import select_days
    from optimiser.model.warm_basis import WarmBasis
    from optimiser.workflows.run import optimise

    warm = WarmBasis(given=basis, prices=None if prices is None else tuple(prices))
    try:
        scenario = Scenario.model_validate_json(scenario_json)
        if horizon is None:
            _, summary = optimise(
                scenario, options, aggregation=aggregation, check_basis=warm, design=design
            )
        else:
            inputs = select_days(build_inputs(scenario), *horizon)
            _, summary = optimise(scenario, options, inputs=inputs, aggregation=None)
    except (InputError, InfeasibleError, SolverError) as error:
        return _failure(error)
    if summary["unmet_energy"]:
        unmet = ", ".join(
            f"{k} {v['amount']:,.1f} {v['unit']}" for k, v in summary["unmet_energy"].items()
        )
        return {
            "ok": False,
            "error": f"the design cannot serve the full year: {unmet}",
            "final": True,
        }
    kept = (
        {"check_basis": warm.found, "check_year_duals": list(warm.duals)}
        if keep_basis and warm.found
        else {}
    )
    check = {"check_warm_started": warm.used, "check_seconds": summary["solver"]["solve_seconds"]}
    return {**outcome_of(summary), **check, **kept}


def outcome_of(summary: dict) -> dict:
    """A run's key figures as :func:`solve_scenario` returns them (``ok`` True)."""
    from optimiser.economics.cooperative import heat_supplied_mwh
    from optimiser.outputs.electricity_bills import household_changes

    return {
        "ok": True,
        "total_cost_eur": float(summary["total_cost_eur_per_year"]),
        "lcoh_eur_per_gj": float(summary["levelised_cost_of_heat_eur_per_gj"]),
        "co2_tonne": float(summary["co2_tonne_per_year"]),
        "sizes": {label: size["value"] for label, size in summary["sizes"].items()},
        "heat_cost": summary["heat_cost"],
        "heat_supplied_mwh": heat_supplied_mwh(summary),
        "investment_eur": summary["investment_eur"],
        "fixed_om_eur_per_year": {
            c: kinds["fixed_om"] for c, kinds in summary["cost_eur_per_year"].items()
        },
        "electricity_change_eur_per_connection": household_changes(
            summary.get("electricity_bills")
        ),
        "water_accounting": summary.get("water_accounting", {}),
    }


def read_cached(path: Path | None) -> dict | None:
    """A cached outcome, or None when there is none (or no cache: ``path`` None) or it
    is unusable.

    A file cut short (a kill while an older version wrote it, a full disk) or holding
    anything but a solved outcome or a failure that would repeat (``final``) is deleted,
    so that the scenario is solved again instead of every resume failing on it.
    """
    if path is None or not path.is_file():
        return None
    try:
        outcome = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(outcome, dict) and (outcome.get("ok") is True or outcome.get("final")):
            return outcome
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        pass
    path.unlink(missing_ok=True)
    return None


def cache_key(
    scenario: Scenario,
    aggregation: Aggregation | None,
    options: SolveOptions,
    horizon: tuple[int, int] | None = None,
) -> str:
    """What identifies an outcome: the scenario's input hash, the method and the version."""
    from optimiser import __version__

    text = json.dumps(
        {
            "scenario": scenario_hash(scenario),
            "aggregation": None if aggregation is None else asdict(aggregation),
            "gap": options.mip_gap,
            "horizon": None if horizon is None else list(horizon),
            "version": __version__,
            "format": CACHE_FORMAT,
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def cache_path(
    cache_dir: Path | None,
    scenario: Scenario,
    aggregation: Aggregation | None,
    options: SolveOptions,
    horizon: tuple[int, int] | None = None,
) -> Path | None:
    """Where a scenario's outcome is cached (None without a cache folder)."""
    if cache_dir is None:
        return None
    return Path(cache_dir) / f"{cache_key(scenario, aggregation, options, horizon)}.json"


def store(path: Path | None, outcome: dict) -> None:
    """Cache an outcome, whole or not at all, if another run would repeat it: solved,
    or a ``final`` failure (a solver or worker that failed is tried again)."""
    if path is None or not (outcome["ok"] or outcome.get("final")):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(f".{os.getpid()}.tmp")
    with open(staging, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(outcome))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(staging, path)


@contextmanager
def executor(scheduler: str | None = None, workers: int | None = None) -> Iterator[Executor]:
    """A local process pool (``workers``, default: the machine's cores) or, with a
    scheduler address (``tcp://host:port``), the workers of a dask.distributed cluster."""
    if scheduler is None:
        # "spawn", not "fork": a forked worker inherits HiGHS's thread pool from a parent
        # that has solved before, and can hang on a lock one of those threads held
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=workers or os.cpu_count() or 1,
            mp_context=context,
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )
        try:
            yield pool
        except BaseException:
            _stop(pool)  # Ctrl-C, SIGTERM or an error: no worker may keep solving
            raise
        pool.shutdown(wait=True)
        return
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "a dask scheduler was given but dask.distributed is not installed",
            field="--scheduler",
            fix="pip install -e '.[cluster]'",
        ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as error:
        raise InputError(
            f"cannot reach the dask scheduler ({error})",
            field="--scheduler",
            fix="check the address",
        ) from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a process pool now: cancel what waits, terminate the workers that solve."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()


def warm_up(pool: Executor, workers: int, scenario_json: str) -> None:
    """Have ``workers`` of the pool start, import the solver and build the hourly
    inputs of ``scenario_json`` now, without waiting.

    A spawned worker takes about 3 s to start and import what a solve needs, and 2 s
    more to read the weather and build the profiles (kept per process, see the caches of
    :mod:`optimiser.inputs.profiles`); asked at the start of a job, that happens while
    this process builds the inputs and clusters the typical days, instead of before the
    first solve. A scenario that fails here fails again, with its message, in this
    process.
    """
    for _ in range(workers):
        pool.submit(_prepare_worker, scenario_json)


def _prepare_worker(scenario_json: str) -> None:
    """In a worker: import what :func:`solve_scenario` needs, and build the inputs."""
    import optimiser.workflows.run  # noqa: F401
    from optimiser.inputs.profiles.inputs import build_inputs

    build_inputs(Scenario.model_validate_json(scenario_json))


def _exit_with_parent(parent_pid: int) -> None:
    """In each worker: exit as soon as the parent is gone (killed with SIGKILL, which
    no handler sees), instead of finishing a solve nobody will read."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def run_all(
    scenarios: dict[str, Scenario],
    pool: Executor | None,
    aggregation: Aggregation | None,
    options: SolveOptions = SINGLE_THREAD,
    cache_dir: Path | None = None,
    progress: Callable[[str, dict, bool], None] = lambda _name, _outcome, _cached: None,
    horizon: tuple[int, int] | None = None,
) -> dict[str, dict]:
    """Outcomes of :func:`solve_scenario` by name; cached ones are read, the rest solved
    on ``pool`` (in this process if None). ``progress(name, outcome, cached)`` is
    called as each one is known. Failures are outcomes too (``ok`` False); those another
    run would repeat (``final``: infeasible, wrong inputs) are cached, the others (a
    solver or worker that failed) are not, so a rerun tries them again."""
    outcomes: dict[str, dict] = {}
    todo: dict[str, tuple[str, Path | None]] = {}
    for name, scenario in scenarios.items():
        path = cache_path(cache_dir, scenario, aggregation, options, horizon)
        cached = read_cached(path)
        if cached is not None:
            outcomes[name] = {**cached, "cached": True}
            progress(name, outcomes[name], True)
            continue
        todo[name] = (json.dumps(scenario_data(scenario)), path)

    def finish(name: str, outcome: dict) -> None:
        outcomes[name] = outcome
        store(todo[name][1], outcome)
        progress(name, outcome, False)

    if pool is None:
        for name, (text, _) in todo.items():
            finish(name, solve_scenario(text, aggregation, options, horizon))
        return outcomes
    futures = {
        pool.submit(solve_scenario, text, aggregation, options, horizon): name
        for name, (text, _) in todo.items()
    }
    try:
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as error:  # a worker died: report it, keep the others
                outcome = {"ok": False, "error": f"worker failed: {error!r}"}
            finish(futures[future], outcome)
    finally:
        for future in futures:
            future.cancel()
    return outcomes

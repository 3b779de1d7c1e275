"""One optimisation run: scenario -> inputs -> model -> HiGHS -> results Dataset."""

from __future__ import annotations

import time
from collections.abc import Callable

import xarray as xr

from optimiser.errors import InfeasibleError
from optimiser.profiles.inputs import build_inputs
from optimiser.results import extract, summarise
from optimiser.scenario import Scenario, scenario_hash
from optimiser.solve import SolveOptions, describe_shortfall, solve
from optimiser.system import build_model


def optimise(
    scenario: Scenario,
    options: SolveOptions | None = None,
    inputs: xr.Dataset | None = None,
    progress: Callable[[str], None] = lambda _stage: None,
) -> tuple[xr.Dataset, dict]:
    """Size and dispatch the scenario's assets; return the results Dataset and summary.

    ``inputs`` replaces the scenario's own hourly inputs (e.g. a shortened horizon in
    tests); ``progress`` is called with the name of each stage as it starts.
    Raises :class:`~optimiser.errors.InfeasibleError` naming the carriers and hours
    that cannot be served when the inputs admit no solution.
    """
    options = options or SolveOptions()
    progress("profiles")
    if inputs is None:
        inputs = build_inputs(scenario)
    progress("build")
    start = time.perf_counter()
    builder = build_model(scenario, inputs)
    build_seconds = time.perf_counter() - start
    progress("solve")
    try:
        solution = solve(builder, options)
    except InfeasibleError:
        progress("diagnose")
        diagnostic = build_model(scenario, inputs, slack=True)
        solve(diagnostic, options)
        raise InfeasibleError(describe_shortfall(diagnostic)) from None
    progress("results")
    metadata = {
        "scenario": scenario.name,
        "input_hash": scenario_hash(scenario),
        "build_seconds": build_seconds,
        "scenario_json": scenario.model_dump_json(),
    }
    ds = extract(builder, solution, metadata)
    return ds, summarise(ds)

"""One optimisation run: scenario -> inputs -> model -> HiGHS -> results Dataset.

By default the design (all sizes) is chosen on typical days with the seasonal ATES
state carried through the year, then checked by a full-year hourly dispatch with the
sizes fixed: fast, and its cost is the cost of the real year. ``aggregation=None``
optimises design and dispatch on all 8760 hours at once (slow, see DESIGN.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import xarray as xr

from optimiser.constants import HOURS_PER_YEAR
from optimiser.economics.gas_reference import gas_reference
from optimiser.errors import InfeasibleError, SolverError
from optimiser.inputs.profiles.cache import cached_inputs
from optimiser.inputs.profiles.network import trench_length_m
from optimiser.inputs.scenario import Scenario, scenario_hash
from optimiser.model.builder import ModelBuilder
from optimiser.model.solve import (
    SolveOptions,
    SolveResult,
    solve,
    variable_values,
)
from optimiser.model.system import build_model
from optimiser.model.timeseries import Aggregation
from optimiser.model.warm_basis import WarmBasis
from optimiser.model.year_rows import worth_pricing
from optimiser.outputs.results import extract, summarise
from optimiser.workflows.certify import Certificate, certify, not_certified
from optimiser.workflows.design_stage import (
    TypicalDesign,
    design_model,
    sizes_of,
    typical_design,
    with_highs_defaults,
)
from optimiser.workflows.year_prices import year_prices

DEFAULT_AGGREGATION = Aggregation()

PARALLEL_CHECK_HIGHS_OPTIONS = {"simplex_strategy": 3}
"""HiGHS options of the full-year check LP on two or more threads (a run's own
``highs_options`` win): the dual simplex in its parallel PAMI variant (Huangfu & Hall
2018, "Parallelizing the dual revised simplex method", Math. Prog. Comp. 10, 119-142).
In ``wijk run`` on two threads (HiGHS 1.15.1, quiet 2-core machine, same optimum) the
check took 14.3 s in HiGHS against 17.7 s with HiGHS's default serial dual simplex on the
default model, and 26.0 s against 32.3 s on ketelhuis-wg. On one thread PAMI was slower
on ketelhuis-wg's check (43.9 s against 32.9 s), so one-thread solves (the cost game's
and the sweeps' workers) keep the default
(benchmarks/results/check_lp_and_design_options_20261124.txt)."""


def optimise(
    scenario: Scenario,
    options: SolveOptions | None = None,
    inputs: xr.Dataset | None = None,
    aggregation: Aggregation | None = DEFAULT_AGGREGATION,
    progress: Callable[[str], None] = lambda _stage: None,
    co2_cap_tonne: float | None = None,
    certify_gap: float | None = None,
    inputs_cache: Path | None = None,
    check_basis: WarmBasis | None = None,
    design: TypicalDesign | None = None,
) -> tuple[xr.Dataset, dict]:
    """Size and dispatch the scenario's assets; return the results Dataset and summary.

    ``inputs`` replaces the scenario's own hourly inputs (e.g. a shortened horizon in
    tests). With ``aggregation`` (the default: 12 typical days and the peak day) the
    design is made on typical days and checked on every hour of ``inputs``; the results
    are those of the check, with the design stage's cost, bound and gap in the attrs.
    ``aggregation=None`` designs on all hours at once. ``progress`` is called with the
    name of each stage as it starts. ``co2_cap_tonne`` bounds the design's annual CO2
    (on the typical days; the full-year check reports the CO2 of the real year). Raises
    :class:`~optimiser.errors.InfeasibleError` naming the carriers and hours that cannot
    be served when no design exists.

    A two-stage run's summary holds a ``certificate`` (see
    :mod:`optimiser.workflows.certify`): the design's full-year cost and, with
    ``certify_gap``, a proven lower bound on the full-year optimum, refined until the
    gap is at most ``certify_gap`` or the time limit passes.

    ``inputs_cache`` is a folder in which the scenario's hourly inputs are kept by the
    hash of all they are built from (:mod:`optimiser.inputs.profiles.cache`).

    ``check_basis`` starts the full-year check from a similar LP's basis and receives
    its own (see :class:`~optimiser.model.warm_basis.WarmBasis`); the cost game starts each
    coalition's check from the grand coalition's.

    ``design`` is the typical-day design of this scenario and ``aggregation``, made
    before (:func:`~optimiser.workflows.design_stage.typical_design`, e.g. in another
    process while the basis its check starts from was found): only its check is run.
    """
    options = options or SolveOptions()
    progress("profiles")
    if inputs is None:
        inputs = cached_inputs(scenario, inputs_cache)
    metadata: dict[str, str | float] = {
        "scenario": scenario.name,
        "input_hash": scenario_hash(scenario),
        "scenario_json": scenario.model_dump_json(),
        "price_year": scenario.finance.price_year,
        **ates_permit_metadata(scenario),
    }
    if aggregation is None:
        start = _two_stage_start(scenario, inputs, options, progress, co2_cap_tonne)
        builder, solution, seconds = design_model(
            scenario, inputs, options, progress, co2_cap_tonne, mip_start=start
        )
        metadata["build_seconds"] = seconds
        metadata["design_method"] = "full year"
        if start is not None:
            metadata["design_method"] = "full year, started from the two-stage design"
            metadata["mip_start_eur_per_year"] = solution.started_from
    else:
        design = design or typical_design(
            scenario, inputs, aggregation, options, progress, co2_cap_tonne
        )
        progress("check")
        prices, metadata["check_price_seconds"] = _check_prices(
            scenario, inputs, design.sizes, options, check_basis
        )
        metadata["check_year_prices_json"] = json.dumps(prices)
        builder, solution, metadata["build_seconds"] = _check(
            scenario, inputs, design.sizes, options, basis=check_basis, prices=prices
        )
        certificate, better = _certificate(
            scenario, inputs, builder, solution, options, progress, co2_cap_tonne, certify_gap
        )
        if better is not None:
            builder, solution = better
        metadata.update(design.attrs)
        if better is not None:
            metadata["design_method"] += f"; reported instead: {certificate.design}"
    metadata["sizes_json"] = json.dumps(sizes_of(builder, keep_peak=True))
    progress("results")
    ds = extract(builder, solution, metadata)
    summary = summarise(ds)
    if aggregation is not None:
        summary["certificate"] = certificate.as_dict()
    summary["gas_reference"] = gas_reference(scenario, inputs, summary)
    summary["network_quantities"] = {
        "trench_length_m": trench_length_m(scenario),
        "connections": scenario.demand.connections,
        "home_equivalents": scenario.demand.home_equivalents,
        "peak_heat_kw": float(inputs["peak_heat_kw"]),
    }
    return ds, summary


def _check_prices(
    scenario: Scenario,
    inputs: xr.Dataset,
    sizes: dict[str, float],
    options: SolveOptions,
    basis: WarmBasis | None,
) -> tuple[tuple[float, ...] | None, float]:
    """The prices of the check's year rows (see :func:`~optimiser.model.solve.solve`)
    and the seconds it took to find them: a similar LP's duals if ``basis`` carries
    them (used if :func:`~optimiser.model.year_rows.worth_pricing`), none for a check
    started from a basis, else estimated (:func:`year_prices`)."""
    if basis is not None and basis.prices is not None:
        return (basis.prices if worth_pricing(basis.prices) else None), 0.0
    if basis is not None and basis.given:
        return None, 0.0
    return year_prices(scenario, inputs, sizes, options)


def ates_permit_metadata(scenario: Scenario) -> dict[str, float]:
    """The ATES's yearly heat-balance band (shares of the heat injected) the model holds,
    for the results' attrs, so that ``summary["ates_balance"]`` judges the balance by the
    rule it was held to ({} without an ATES)."""
    ates = scenario.technologies.ates
    if ates is None:
        return {}
    return {
        "ates_heat_surplus_tolerance": ates.heat_surplus_tolerance,
        "ates_cold_surplus_tolerance": ates.balance_tolerance,
    }


def _certificate(
    scenario: Scenario,
    inputs: xr.Dataset,
    check: ModelBuilder,
    solution: SolveResult,
    options: SolveOptions,
    progress: Callable[[str], None],
    co2_cap_tonne: float | None,
    certify_gap: float | None,
) -> tuple[Certificate, tuple[ModelBuilder, SolveResult] | None]:
    """The certificate of a checked design (see :mod:`optimiser.workflows.certify`),
    and the full-year MILP's cheaper design if it found one."""
    if check.slack:
        return not_certified(solution, "the design cannot serve every hour of the year"), None
    if co2_cap_tonne is not None:
        reason = "not computed under a CO2 cap (the full-year check does not hold the cap)"
        return not_certified(solution, reason), None
    if certify_gap is None:
        reason = "not computed; pass --certify GAP (the full-year bound takes minutes)"
        return not_certified(solution, reason), None
    progress("certify")
    full_year = build_model(scenario, inputs)
    return certify(
        full_year, check, solution, sizes_of(check, keep_peak=True), options, certify_gap
    )


def _two_stage_start(
    scenario: Scenario,
    inputs: xr.Dataset,
    options: SolveOptions,
    progress: Callable[[str], None],
    co2_cap_tonne: float | None,
) -> dict[str, float | np.ndarray] | None:
    """The two-stage run's full-year solution (typical-day design, dispatched on every
    hour) as a MIP start for the full-year design, so that it never ends worse than the
    default run; None when ``inputs`` is not a full year or that run has no design that
    serves every hour (the full-year solve then starts from nothing)."""
    if inputs.sizes["time"] != HOURS_PER_YEAR:
        return None
    try:
        design = typical_design(
            scenario, inputs, DEFAULT_AGGREGATION, options, progress, co2_cap_tonne
        )
        progress("check")
        check, _, _ = _check(scenario, inputs, design.sizes, options)
    except SolverError:
        return None
    return None if check.slack else variable_values(check)


def _check(
    scenario: Scenario,
    inputs: xr.Dataset,
    sizes: dict[str, float],
    options: SolveOptions,
    design_rules: bool = True,
    basis: WarmBasis | None = None,
    prices: tuple[float, ...] | None = None,
) -> tuple[ModelBuilder, SolveResult, float]:
    """Dispatch a fixed design on every hour (from ``basis``, if given, or with its
    year rows priced first at ``prices``, see :func:`~optimiser.model.solve.solve`); if
    it cannot serve some hours, dispatch it again with penalised unmet demand so the
    results show what was not served.

    The penalised model solves about three times slower, so it runs only when needed.
    ``design_rules=False`` leaves out the rules on sizes (N-1), for a design whose
    every size is fixed (the check on other weather years).
    """
    if options.threads >= 2:
        options = with_highs_defaults(PARALLEL_CHECK_HIGHS_OPTIONS, options)
    start = time.perf_counter()
    builder = build_model(scenario, inputs, fixed_sizes=sizes, design_rules=design_rules)
    seconds = time.perf_counter() - start
    try:
        return builder, solve(builder, options, basis=basis, prices=prices), seconds
    except InfeasibleError:
        start = time.perf_counter()
        builder = build_model(
            scenario, inputs, slack=True, fixed_sizes=sizes, design_rules=design_rules
        )
        seconds += time.perf_counter() - start
        return builder, solve(builder, options), seconds

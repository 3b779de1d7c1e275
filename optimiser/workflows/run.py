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
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
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
    describe_shortfall,
    solve,
    variable_values,
)
from optimiser.model.system import build_model, clustering_features
from optimiser.model.timeseries import Aggregation, aggregate
from optimiser.model.warm_basis import WarmBasis
from optimiser.model.year_rows import worth_pricing
from optimiser.outputs.results import extract, summarise
from optimiser.workflows.certify import Certificate, certify, not_certified
from optimiser.workflows.tax_line import describe, expected_kwh, landed, max_over_eur, used_kwh
from optimiser.workflows.year_prices import year_prices

DEFAULT_AGGREGATION = Aggregation()

TYPICAL_DAY_HIGHS_OPTIONS = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
}
"""HiGHS options of the typical-day design MILP (a run's own ``highs_options`` win).

Its few integers (module counts, built or not, tax brackets, DSO class) leave HiGHS's
sub-MIP heuristics (RINS, RENS) little to find: on the default model they took 17.5 s
of a 42 s solve and ketelhuis-wg 7 of 11 s, for the incumbent that branching then finds
in under a second (HiGHS 1.15.1, one thread; benchmarks/highs_options.py). With those
off, the root reduced-cost sub-MIP still took 13.5 of 25 s on the default design (tax
on its bracket's line), for the same incumbent that branching found at the root node
without it (12 s in all, gap proven 0.00 % instead of 0.47 %). The gap is proven as
before, so only the time changes."""

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
        builder, solution, seconds = _design(
            scenario, inputs, options, progress, co2_cap_tonne, mip_start=start
        )
        metadata["build_seconds"] = seconds
        metadata["design_method"] = "full year"
        if start is not None:
            metadata["design_method"] = "full year, started from the two-stage design"
            metadata["mip_start_eur_per_year"] = solution.started_from
    else:
        progress("aggregate")
        typical = aggregate(inputs, aggregation, clustering_features(scenario, inputs))
        design, design_solution, design_seconds, brackets = _typical_design(
            scenario, typical, options, progress, co2_cap_tonne
        )
        progress("check")
        kept = {**_sizes(design), **brackets}
        prices, metadata["check_price_seconds"] = _check_prices(
            scenario, inputs, kept, options, check_basis
        )
        metadata["check_year_prices_json"] = json.dumps(prices)
        builder, solution, metadata["build_seconds"] = _check(
            scenario, inputs, kept, options, basis=check_basis, prices=prices
        )
        certificate, better = _certificate(
            scenario, inputs, builder, solution, options, progress, co2_cap_tonne, certify_gap
        )
        if better is not None:
            builder, solution = better
        metadata.update(
            {
                "design_method": f"{typical.attrs['typical_days']} typical days + full-year check",
                "design_typical_days": typical.attrs["typical_days"],
                "design_sizes_json": json.dumps({**_sizes(design, keep_peak=True), **brackets}),
                "design_objective_eur_per_year": design_solution.objective,
                "design_typical_day_bound_eur_per_year": design_solution.bound,
                "design_mip_gap": design_solution.gap,
                "design_requested_gap": design_solution.requested_gap,
                "design_constant_eur_per_year": design_solution.constant,
                "design_status": design_solution.status,
                "design_build_seconds": design_seconds,
                "design_solve_seconds": design_solution.seconds,
                "design_highs_seconds": design_solution.highs_seconds,
                "design_energy_tax": describe(design),
            }
        )
        if better is not None:
            metadata["design_method"] += f"; reported instead: {certificate.design}"
    metadata["sizes_json"] = json.dumps(_sizes(builder, keep_peak=True))
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
    return certify(full_year, check, solution, _sizes(check, keep_peak=True), options, certify_gap)


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
    progress("aggregate")
    typical = aggregate(inputs, DEFAULT_AGGREGATION, clustering_features(scenario, inputs))
    try:
        design, _, _, brackets = _typical_design(
            scenario, typical, options, progress, co2_cap_tonne
        )
        progress("check")
        check, _, _ = _check(scenario, inputs, {**_sizes(design), **brackets}, options)
    except SolverError:
        return None
    return None if check.slack else variable_values(check)


def _under(defaults: dict, options: SolveOptions) -> SolveOptions:
    """``options`` with the HiGHS options ``defaults`` under its own."""
    return replace(options, highs_options={**defaults, **options.highs_options})


def _typical_design(
    scenario: Scenario,
    typical: xr.Dataset,
    options: SolveOptions,
    progress: Callable[[str], None],
    co2_cap_tonne: float | None,
) -> tuple[ModelBuilder, SolveResult, float, dict[str, float]]:
    """The design on typical days, its energy tax on the line of the bracket its use is
    expected in (:mod:`optimiser.workflows.tax_line`); made again on the line of the
    bracket it landed in if it missed, and with the exact brackets if that missed too.
    Returns the design, its solution (the bound lowered by what the line may overcharge),
    build seconds and the bracket decisions the full-year check must keep ({} when the
    design has the exact brackets as sizes)."""
    typical_options = _under(TYPICAL_DAY_HIGHS_OPTIONS, options)
    guess, seconds = expected_kwh(typical), 0.0
    for _ in range(2):  # the guessed bracket, then the one the design landed in
        design, solution, more = _design(
            scenario, typical, typical_options, progress, co2_cap_tonne, tax_line_kwh=guess
        )
        seconds += more
        brackets = landed(design)
        if brackets is not None:
            return design, _lower_bound(solution, max_over_eur(design)), seconds, brackets
        guess = used_kwh(design)
    design, solution, more = _design(scenario, typical, typical_options, progress, co2_cap_tonne)
    return design, solution, seconds + more, {}


def _lower_bound(solution: SolveResult, by_eur: float) -> SolveResult:
    """``solution`` with its bound lowered by ``by_eur`` (EUR/year) and its gap measured
    again; no longer "optimal" if that gap exceeds the one asked for."""
    if by_eur <= 0:
        return solution
    bound = solution.bound - by_eur
    gap = (solution.objective - bound) / max(abs(solution.objective - solution.constant), 1e-9)
    status = solution.status if gap <= solution.requested_gap else "feasible"
    return replace(solution, bound=bound, gap=gap, status=status)


def _design(
    scenario: Scenario,
    inputs: xr.Dataset,
    options: SolveOptions,
    progress: Callable[[str], None],
    co2_cap_tonne: float | None = None,
    mip_start: dict[str, float | np.ndarray] | None = None,
    tax_line_kwh: float | None = None,
) -> tuple[ModelBuilder, SolveResult, float]:
    """Build and solve the design model (from ``mip_start`` if given, see
    :func:`~optimiser.model.solve.solve`; ``tax_line_kwh`` see
    :func:`~optimiser.model.system.build_model`); explain infeasibility in terms of
    carriers."""
    progress("build")
    start = time.perf_counter()
    cap_kg = None if co2_cap_tonne is None else co2_cap_tonne * 1e3
    builder = build_model(scenario, inputs, co2_cap_kg=cap_kg, tax_line_kwh=tax_line_kwh)
    seconds = time.perf_counter() - start
    progress("solve")
    try:
        return builder, solve(builder, options, start=mip_start), seconds
    except InfeasibleError:
        progress("diagnose")
        if cap_kg is not None:
            raise InfeasibleError(
                f"no design emits at most {co2_cap_tonne:,.1f} t of CO2 a year; raise the cap"
            ) from None
        diagnostic = build_model(scenario, inputs, slack=True, design_rules=False)
        solve(diagnostic, options)
        if scenario.network.n_minus_1 and not _has_shortfall(diagnostic):
            raise InfeasibleError(
                "the N-1 security rule cannot be met: with a heat-pump module out, the "
                f"design peak of {float(inputs['design_heat_peak_kw']):,.0f} kW exceeds what "
                "the technologies may reach; raise heat_pump.max_modules or "
                "backup_boiler.max_kw, or set network.n_minus_1: false"
            ) from None
        raise InfeasibleError(describe_shortfall(diagnostic)) from None


def _has_shortfall(builder: ModelBuilder) -> bool:
    """Whether a solved slack model left any carrier short or in surplus."""
    slacks = (*builder.shortfall.values(), *builder.surplus.values())
    return any(float(v.values_or_zero().max(initial=0.0)) > 1e-6 for v in slacks)


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
        options = _under(PARALLEL_CHECK_HIGHS_OPTIONS, options)
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


def _sizes(builder: ModelBuilder, keep_peak: bool = False) -> dict[str, float]:
    """The solved investment decisions of a design, by label ``component.name``.

    Without ``keep_peak`` only those the full-year check keeps: all but the capacities
    sized by the peak (see :class:`~optimiser.model.builder.Size`), which the full year sizes
    again.
    """
    return {
        f"{s.component}.{s.name}": float(pyo.value(s.expression))
        for s in builder.sizes
        if isinstance(s.expression, pyo.Var) and (keep_peak or not s.sized_by_peak)
    }

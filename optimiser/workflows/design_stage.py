"""The design stage of a two-stage run: the sizes chosen on typical days, as plain data.

:func:`typical_design` clusters the year into typical days, designs on them (the
energy tax on the line of the bracket the design's use is expected in, see
:mod:`optimiser.workflows.tax_line`) and returns a :class:`TypicalDesign`: the sizes
the full-year check keeps and the design stage's figures for the results. As plain
data it travels to another process, so that the cost game can design a coalition
while the check it will start from is still being solved
(:mod:`optimiser.workflows.problem_queue`); :func:`~optimiser.workflows.run.optimise`
then only checks it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from optimiser.errors import InfeasibleError
from optimiser.inputs.scenario import Scenario
from optimiser.model.builder import ModelBuilder
from optimiser.model.solve import SolveOptions, SolveResult, describe_shortfall, solve
from optimiser.model.system import build_model, clustering_features
from optimiser.model.timeseries import Aggregation, aggregate
from optimiser.workflows.tax_line import describe, expected_kwh, landed, max_over_eur, used_kwh

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


def with_highs_defaults(defaults: dict, options: SolveOptions) -> SolveOptions:
    """``options`` with the HiGHS options ``defaults`` under its own."""
    return replace(options, highs_options={**defaults, **options.highs_options})


def bracketed_design(
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
    typical_options = with_highs_defaults(TYPICAL_DAY_HIGHS_OPTIONS, options)
    guess, seconds = expected_kwh(typical), 0.0
    for _ in range(2):  # the guessed bracket, then the one the design landed in
        design, solution, more = design_model(
            scenario, typical, typical_options, progress, co2_cap_tonne, tax_line_kwh=guess
        )
        seconds += more
        brackets = landed(design)
        if brackets is not None:
            return design, _lower_bound(solution, max_over_eur(design)), seconds, brackets
        guess = used_kwh(design)
    design, solution, more = design_model(
        scenario, typical, typical_options, progress, co2_cap_tonne
    )
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


def design_model(
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


def sizes_of(builder: ModelBuilder, keep_peak: bool = False) -> dict[str, float]:
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


@dataclass(frozen=True)
class TypicalDesign:
    """A design made on typical days: ``sizes``, what the full-year check keeps (the
    investment decisions but the peak-sized capacities, and the energy-tax brackets,
    by label ``component.name``), and ``attrs``, the design stage's figures for the
    results' attrs (``design_*``: method, sizes, cost, bound, gap, status, seconds)."""

    sizes: dict[str, float]
    attrs: dict[str, str | float | int]


def typical_design(
    scenario: Scenario,
    inputs: xr.Dataset,
    aggregation: Aggregation,
    options: SolveOptions,
    progress: Callable[[str], None] = lambda _stage: None,
    co2_cap_tonne: float | None = None,
) -> TypicalDesign:
    """Cluster ``inputs`` (hourly, a year) into ``aggregation``'s typical days and
    design on them (:func:`bracketed_design`). Raises
    :class:`~optimiser.errors.InfeasibleError` when no design exists."""
    progress("aggregate")
    typical = aggregate(inputs, aggregation, clustering_features(scenario, inputs))
    design, solution, seconds, brackets = bracketed_design(
        scenario, typical, options, progress, co2_cap_tonne
    )
    return TypicalDesign(
        sizes={**sizes_of(design), **brackets},
        attrs={
            "design_method": f"{typical.attrs['typical_days']} typical days + full-year check",
            "design_typical_days": typical.attrs["typical_days"],
            "design_sizes_json": json.dumps({**sizes_of(design, keep_peak=True), **brackets}),
            "design_objective_eur_per_year": solution.objective,
            "design_typical_day_bound_eur_per_year": solution.bound,
            "design_mip_gap": solution.gap,
            "design_requested_gap": solution.requested_gap,
            "design_constant_eur_per_year": solution.constant,
            "design_status": solution.status,
            "design_build_seconds": seconds,
            "design_solve_seconds": solution.seconds,
            "design_highs_seconds": solution.highs_seconds,
            "design_energy_tax": describe(design),
        },
    )

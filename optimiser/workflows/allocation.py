"""Allocating a model's cost: the cost game of its parties and every rule, or only the
least core and nucleolus by constraint generation (much fewer coalitions solved)."""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

import numpy as np

from optimiser.economics.allocation.allocate import allocate
from optimiser.economics.allocation.game import CoalitionCost
from optimiser.economics.allocation.members import stakes
from optimiser.economics.allocation.per_party import party_table
from optimiser.economics.allocation.utilities import utility_entries
from optimiser.inputs.scenario import Scenario
from optimiser.model.solve import SolveOptions
from optimiser.model.timeseries import Aggregation
from optimiser.workflows.coalitions import (
    CoalitionSolver,
    Progress,
    full_game,
    generated_allocation,
)
from optimiser.workflows.run import DEFAULT_AGGREGATION
from optimiser.workflows.runner import SINGLE_THREAD


def allocate_model(
    scenario: Scenario,
    aggregation: Aggregation | None = DEFAULT_AGGREGATION,
    options: SolveOptions = SINGLE_THREAD,
    executor: Executor | None = None,
    cache_dir: Path | None = None,
    progress: Progress = lambda _done, _total: None,
    horizon: tuple[int, int] | None = None,
    generated: bool = False,
    batch: int | None = None,
) -> tuple[dict, list[CoalitionCost], CoalitionSolver]:
    """The ``allocation.json`` object of a model, its coalitions' costs and the solver
    (which counts the design problems solved).

    With ``generated`` only the least core and the nucleolus are computed, solving the
    coalitions their LPs need; otherwise every coalition is solved and every rule
    applied. ``batch`` is how many solves the executor runs at once (default: this
    machine's cores); the grand coalition's, solved first, gets that many HiGHS
    threads when no problem with other technologies can run beside it.
    """
    solver = CoalitionSolver(
        scenario, aggregation, options, executor, cache_dir, horizon, progress, batch
    )
    held = stakes(scenario)
    if not generated:
        game = full_game(solver)
        result = allocate(game, stakes=held)
    else:
        allocations, epsilon, notes = generated_allocation(solver, solver.slots)
        n = len(solver.players)
        alone = {p: solver.costs[1 << i].cost_eur for i, p in enumerate(solver.players)}
        grand = solver.costs[(1 << n) - 1].cost_eur
        scale = max(1.0, abs(grand))
        result = {
            "players": list(solver.players),
            "stand_alone": alone,
            "grand_coalition_cost": grand,
            "residual_eur_per_year": sum(alone.values()) - grand,
            "rules": {
                rule: dict(zip(solver.players, x.tolist(), strict=True))
                for rule, x in allocations.items()
            },
            # both lie in the least core: their largest excess is its epsilon
            "core": {
                rule: {
                    "in_core": bool(epsilon <= 1e-6 * scale),
                    "worst_excess": epsilon,
                    "objecting_coalition": _worst(solver, x),
                }
                for rule, x in allocations.items()
            },
            "least_core_epsilon": epsilon,
            "notes": notes,
        }
        result["parties"] = party_table(result, held)
    grand = solver.costs[(1 << len(solver.players)) - 1]
    # no cooperative, no water tasks: nothing gained and nothing transferred
    accounts = grand.outcome.get("water_accounting", {}) if grand.formed else {}
    if solver.utilities and not grand.formed:
        result["notes"].append(
            "the grand coalition keeps its alternatives: its utilities gain and transfer nothing"
        )
    for party, entry in utility_entries(solver.utilities, accounts, result["rules"]).items():
        result["parties"][party].update(entry)
    coalitions = solver.coalitions()
    result["notes"] += _without_design(coalitions)
    against_air = source_against_air(solver)
    if against_air is not None:
        result["source_against_air"] = against_air
        result["notes"].append(source_note(against_air))
    cached = sum(c.cached for c in coalitions)
    result["notes"].append(
        f"{len(coalitions)} coalitions evaluated, {solver.solved} design problems solved,"
        f" {cached} coalitions read from the cache"
    )
    return result, coalitions, solver


def _worst(solver: CoalitionSolver, x: np.ndarray) -> list[str]:
    """The evaluated proper coalition with the largest excess x(S) - c(S)."""
    grand = (1 << len(solver.players)) - 1
    excess = {
        mask: sum(x[i] for i in range(len(x)) if mask >> i & 1) - c.cost_eur
        for mask, c in solver.costs.items()
        if mask != grand
    }
    return list(solver.costs[max(excess, key=excess.__getitem__)].members) if excess else []


def _without_design(coalitions: list[CoalitionCost]) -> list[str]:
    """One note per reason some coalitions' cooperatives have no design: those keep
    their members' alternatives, c(S) = A(S), which a reader of the allocation must
    know (e.g. coalitions without the owner of the only heat source)."""
    reasons: dict[str, list[CoalitionCost]] = {}
    for coalition in coalitions:
        if coalition.no_design:
            reasons.setdefault(coalition.no_design, []).append(coalition)
    return [
        f"{len(found)} of {len(coalitions)} coalitions have no design and keep their"
        f" members' alternatives ({reason}), e.g. {' + '.join(found[0].members)}"
        for reason, found in reasons.items()
    ]


def source_against_air(solver: CoalitionSolver) -> dict | None:
    """What the grand coalition's heat-pump source is worth against outdoor air: its
    cooperative's system cost against that of the same demands without the parties
    that own assets and have no demand (e.g. the water board with the TEO), whose heat
    pump takes air (:func:`~optimiser.workflows.coalitions.coalition_scenario`). None
    unless both are known; a loop that costs more is charged, in the game, to its
    owners. ``{"owners", "loop_eur_per_year", "air_eur_per_year"}`` (system costs)."""
    grand = (1 << len(solver.players)) - 1
    owners = sum(
        1 << i for i, p in enumerate(solver.scenario.parties) if p.assets and not p.demands
    )
    rest = grand & ~owners
    with_source, without = solver.problem(grand), solver.problem(rest)
    if not owners or with_source is None or without is None or rest not in solver.costs:
        return None
    problems = [problem for _, problem in (with_source, without)]
    pumps = [problem.technologies.heat_pump for problem in problems]
    demands = [{g.name for g in problem.demand.groups} for problem in problems]
    if None in pumps or [p.source for p in pumps] != ["loop", "air"] or demands[0] != demands[1]:
        return None
    loop, air = solver.costs[grand].cooperative_eur, solver.costs[rest].cooperative_eur
    if not np.isfinite(loop) or not np.isfinite(air):
        return None
    return {"owners": list(solver.members(owners)), "loop_eur_per_year": loop,
            "air_eur_per_year": air}  # fmt: skip


def source_note(entry: dict) -> str:
    """:func:`source_against_air` in words."""
    loop, air = entry["loop_eur_per_year"], entry["air_eur_per_year"]
    names = " + ".join(entry["owners"])
    if loop <= air:
        return (
            f"the heat pumps on the source loop save EUR {air - loop:,.0f}/year of system cost"
            f" against air-source heat pumps (the same demands without {names})"
        )
    return (
        f"the heat pumps on the source loop cost EUR {loop - air:,.0f}/year more than"
        f" air-source heat pumps (the same demands without {names}): the source does not"
        f" pay for itself here, and the game charges that to {names}"
    )

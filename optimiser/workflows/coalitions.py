"""The cost game of a model: one optimisation per coalition of parties, in parallel, cached.

For a coalition S the cooperative serves only S's demands (its consumer groups, and the
factory if it is in S) and may build only the technologies no party owns plus those S's
members own. c(S) is the cheaper of that cooperative's optimal annual cost and the sum
of S's members' stand-alone costs (:mod:`optimiser.economics.allocation.stand_alone`): a
coalition either forms the cooperative or its members keep their alternatives. A
coalition the cooperative cannot serve (e.g. no heat source without the TEO's owner)
keeps its alternatives.

Solves run on any :class:`concurrent.futures.Executor` (default: a process pool on the
machine's cores, one HiGHS thread each) and are cached by the coalition scenario's hash,
so a second run reads them back.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

import numpy as np

from optimiser.economics.allocation.game import CoalitionCost, Game
from optimiser.economics.allocation.stand_alone import stand_alone_costs
from optimiser.errors import InputError
from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.scenario import Scenario
from optimiser.model.solve import SolveOptions
from optimiser.model.timeseries import Aggregation
from optimiser.workflows.run import DEFAULT_AGGREGATION
from optimiser.workflows.runner import SINGLE_THREAD, run_all, scenario_data
from optimiser.workflows.runner import executor as runner_executor


def coalition_scenario(scenario: Scenario, members: set[str]) -> Scenario | None:
    """The scenario restricted to a coalition, or None if it has no consumer group."""
    parties = [p for p in scenario.parties if p.name in members]
    demands = {d for p in parties for d in p.demands}
    owned_elsewhere = {a for p in scenario.parties if p.name not in members for a in p.assets}
    data = scenario_data(scenario)
    data["demand"]["households"] = [g for g in data["demand"]["households"] if g["name"] in demands]
    data["demand"]["businesses"] = [g for g in data["demand"]["businesses"] if g["name"] in demands]
    if not data["demand"]["households"] and not data["demand"]["businesses"]:
        return None
    factory = data["water"]["factory"] if data.get("water") else None
    if factory is not None and factory["name"] not in demands:
        data["water"]["factory"] = None
        owned_elsewhere.add("factory_heat")
    for key in owned_elsewhere:
        data["technologies"].pop(key, None)
    data["parties"] = [p.model_dump() for p in parties]
    data["finance"]["social_tariff"] = None  # a tariff rule; it may name absent types
    data["name"] = f"{scenario.name}[{'+'.join(sorted(members))}]"
    return Scenario.model_validate(data)


def cost_game(
    scenario: Scenario,
    aggregation: Aggregation | None = DEFAULT_AGGREGATION,
    options: SolveOptions = SINGLE_THREAD,
    executor: Executor | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
) -> tuple[Game, list[CoalitionCost]]:
    """The cost game over the scenario's parties, and each coalition's costs.

    ``progress(done, total)`` is called as coalitions finish. Raises
    :class:`InputError` when the scenario names no parties.
    """
    if not scenario.parties:
        raise InputError(
            "no parties to allocate over",
            field="parties",
            fix="list the shareholders under parties",
        )
    players = [p.name for p in scenario.parties]
    alone = stand_alone_costs(scenario, build_inputs(scenario))
    n = len(players)
    members_of = {
        mask: tuple(sorted(players[i] for i in range(n) if mask >> i & 1))
        for mask in range(1, 2**n)
    }
    restricted = {mask: coalition_scenario(scenario, set(m)) for mask, m in members_of.items()}
    solvable = {"+".join(members_of[m]): s for m, s in restricted.items() if s is not None}
    total = 2**n - 1
    done = [total - len(solvable)]

    def tick(_name: str, _outcome: dict, _cached: bool) -> None:
        done[0] += 1
        progress(done[0], total)

    progress(done[0], total)
    if executor is None and len(solvable) > 1:
        with runner_executor() as pool:
            outcomes = run_all(solvable, pool, aggregation, options, cache_dir, tick)
    else:
        outcomes = run_all(solvable, executor, aggregation, options, cache_dir, tick)
    costs = np.zeros(2**n)
    results = []
    for mask, members in members_of.items():
        outcome = outcomes.get("+".join(members), {"ok": False, "error": "no consumer group"})
        cooperative = outcome["total_cost_eur"] if outcome["ok"] else float("inf")
        result = CoalitionCost(
            members,
            cooperative,
            sum(alone[m] for m in members),
            bool(outcome.get("cached", False)),
            outcome.get("lcoh_eur_per_gj", float("nan")),
            outcome,
        )
        costs[mask] = result.cost_eur
        results.append(result)
    return Game(tuple(players), costs), results

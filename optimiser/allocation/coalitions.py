"""The cost game of a model: one optimisation per coalition of parties, in parallel, cached.

For a coalition S the cooperative serves only S's demands (its consumer groups, and the
factory if it is in S) and may build only the technologies no party owns plus those S's
members own. c(S) is the cheaper of that cooperative's optimal annual cost and the sum
of S's members' stand-alone costs (:mod:`optimiser.allocation.stand_alone`): a
coalition either forms the cooperative or its members keep their alternatives. A
coalition the cooperative cannot serve (e.g. no heat source without the TEO's owner)
keeps its alternatives.

Solves run on any :class:`concurrent.futures.Executor` (default: a process pool on the
machine's cores, one HiGHS thread each) and are cached by the coalition scenario's hash,
so a second run reads them back.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from optimiser.allocation.game import Game
from optimiser.allocation.stand_alone import stand_alone_costs
from optimiser.cooperative import heat_supplied_mwh
from optimiser.errors import InfeasibleError, InputError
from optimiser.profiles.inputs import build_inputs
from optimiser.run import DEFAULT_AGGREGATION, optimise
from optimiser.scenario import Scenario, scenario_hash
from optimiser.solve import SolveOptions
from optimiser.timeseries import Aggregation

UNSERVED = {"cooperative_eur": float("inf"), "lcoh_eur_per_gj": float("nan")}
"""The outcome of a coalition the cooperative cannot serve."""

CACHE_FORMAT = 2
"""Version of what a cached coalition outcome holds; raise it when the outcome changes."""

COALITION_OPTIONS = SolveOptions(threads=1)
"""One HiGHS thread per coalition solve: the pool runs one solve per core."""


@dataclass(frozen=True)
class CoalitionCost:
    """The cooperative's cost for a coalition (inf if it cannot serve it), the members'
    stand-alone total (EUR/year), whether the solve came from the cache, and the
    cooperative's levelised cost of heat (EUR/GJ)."""

    members: tuple[str, ...]
    cooperative_eur: float
    stand_alone_eur: float
    cached: bool
    lcoh_eur_per_gj: float = float("nan")
    outcome: dict = field(default_factory=dict)

    @property
    def cost_eur(self) -> float:
        """c(S): the cheaper of forming the cooperative and staying alone."""
        return min(self.cooperative_eur, self.stand_alone_eur)


def scenario_data(scenario: Scenario) -> dict:
    """A scenario as plain data that validates back to the same scenario.

    Technologies not in the model are left out: in a model file a technology key with
    no value means "build it with catalogue defaults", not "absent".
    """
    data = scenario.model_dump(mode="json")
    data["technologies"] = {k: v for k, v in data["technologies"].items() if v is not None}
    return data


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
    data["name"] = f"{scenario.name}[{'+'.join(sorted(members))}]"
    return Scenario.model_validate(data)


def _solve(scenario_json: str, aggregation: Aggregation | None, options: SolveOptions) -> dict:
    """The cooperative's optimal annual cost (inf if it cannot serve the coalition) and
    its levelised cost of heat, for one coalition scenario."""
    scenario = Scenario.model_validate_json(scenario_json)
    try:
        _, summary = optimise(scenario, options, aggregation=aggregation)
    except (InputError, InfeasibleError):
        return dict(UNSERVED)
    if summary["unmet_energy"]:  # the design cannot serve the real year
        return dict(UNSERVED)
    return {
        "cooperative_eur": float(summary["total_cost_eur_per_year"]),
        "lcoh_eur_per_gj": float(summary["levelised_cost_of_heat_eur_per_gj"]),
        "investment_eur": summary["investment_eur"],
        "fixed_om_eur_per_year": {
            c: kinds["fixed_om"] for c, kinds in summary["cost_eur_per_year"].items()
        },
        "heat_supplied_mwh": heat_supplied_mwh(summary),
        "heat_cost": summary["heat_cost"],
    }


def _cache_key(scenario: Scenario, aggregation: Aggregation | None, options: SolveOptions) -> str:
    from optimiser import __version__

    text = json.dumps(
        {
            "scenario": scenario_hash(scenario),
            "aggregation": None if aggregation is None else asdict(aggregation),
            "gap": options.mip_gap,
            "version": __version__,
            "format": CACHE_FORMAT,
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def cost_game(
    scenario: Scenario,
    aggregation: Aggregation | None = DEFAULT_AGGREGATION,
    options: SolveOptions = COALITION_OPTIONS,
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
    jobs: dict[int, tuple[Scenario, Path | None]] = {}
    results: dict[int, CoalitionCost] = {}
    for mask in range(1, 2**n):
        members = {players[i] for i in range(n) if mask >> i & 1}
        alone_sum = sum(alone[m] for m in members)
        restricted = coalition_scenario(scenario, members)
        key = tuple(sorted(members))
        if restricted is None:
            results[mask] = CoalitionCost(key, float("inf"), alone_sum, False)
            continue
        path = None
        if cache_dir is not None:
            path = Path(cache_dir) / f"{_cache_key(restricted, aggregation, options)}.json"
            if path.is_file():
                saved = json.loads(path.read_text())
                results[mask] = CoalitionCost(
                    key, saved["cooperative_eur"], alone_sum, True, saved["lcoh_eur_per_gj"], saved
                )
                continue
        jobs[mask] = (restricted, path)

    total = 2**n - 1
    progress(len(results), total)

    def finish(mask: int, outcome: dict) -> None:
        """Keep a coalition's outcome and cache it at once (a stopped run resumes)."""
        restricted, path = jobs[mask]
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({**outcome, "scenario": restricted.name}))
        members = tuple(sorted(players[i] for i in range(n) if mask >> i & 1))
        results[mask] = CoalitionCost(
            members,
            outcome["cooperative_eur"],
            sum(alone[m] for m in members),
            False,
            outcome["lcoh_eur_per_gj"],
            outcome,
        )
        progress(len(results), total)

    if executor is None and len(jobs) <= 1:
        for mask, (restricted, _) in jobs.items():
            finish(mask, _solve(json.dumps(scenario_data(restricted)), aggregation, options))
    else:
        pool = executor or ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, len(jobs)))
        try:
            futures = {
                pool.submit(
                    _solve, json.dumps(scenario_data(restricted)), aggregation, options
                ): mask
                for mask, (restricted, _) in jobs.items()
            }
            for future in as_completed(futures):
                finish(futures[future], future.result())
        finally:
            if executor is None:
                pool.shutdown(cancel_futures=True)
    progress(total, total)
    costs = np.zeros(2**n)
    for mask, result in results.items():
        costs[mask] = result.cost_eur
    return Game(tuple(players), costs), [results[m] for m in range(1, 2**n)]

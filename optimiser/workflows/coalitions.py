"""The cost game of a model: one optimisation per distinct coalition design problem,
in parallel, cached, all priced on the same typical days.

c(S) is defined in :mod:`optimiser.economics.allocation.cost`. For a coalition S the
cooperative serves only S's demands and may build only the technologies no party owns
plus those S's members own; parties that bring only money or a reserved stake do not
change that problem, so coalitions that differ only by them share one solve (their
c(S) is derived from it), and a coalition with no consumer group keeps its members'
alternatives without a solve. The typical days are clustered once, on the grand
coalition's inputs, and every coalition is designed on those days
(:func:`optimiser.model.timeseries.shared_days`).

:class:`CoalitionSolver` evaluates coalitions on demand: :func:`cost_game` asks for all
of them; :func:`generated_allocation` only for those the least-core and nucleolus LPs
need (:mod:`optimiser.economics.allocation.generation`). Solves run on any
:class:`concurrent.futures.Executor` and are cached by the problem's hash (failures
that would repeat included), so a second run reads them back and solves nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path

import numpy as np

from optimiser.economics.allocation.cost import support
from optimiser.economics.allocation.game import NO_CONSUMER_GROUP, CoalitionCost, Game
from optimiser.economics.allocation.generation import BoundViolated, nucleolus_by_generation
from optimiser.economics.allocation.members import party_roles
from optimiser.economics.allocation.stand_alone import stand_alone_costs
from optimiser.economics.allocation.utilities import members_gain_eur, utility_roles
from optimiser.errors import InputError
from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.scenario import Scenario
from optimiser.model.solve import SolveOptions
from optimiser.model.system import clustering_features
from optimiser.model.timeseries import Aggregation, shared_days
from optimiser.workflows.run import DEFAULT_AGGREGATION
from optimiser.workflows.runner import SINGLE_THREAD, run_all, scenario_data, warm_up
from optimiser.workflows.runner import executor as runner_executor

Progress = Callable[[int, int], None]
"""``progress(done, total)``: coalitions known so far, of ``total`` (0 if not known)."""


def coalition_scenario(scenario: Scenario, members: set[str]) -> Scenario | None:
    """The design problem of a coalition, or None if it has no consumer group.

    The parties are left out (the optimisation does not use them) and the name says
    which demands it serves, so that coalitions with the same demands and the same
    assets are the same problem with the same cache key.
    """
    parties = [p for p in scenario.parties if p.name in members]
    gated = {g for p in scenario.parties if p.name not in members for g in p.boilers}
    demands = {d for p in parties for d in p.demands} - gated
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
    data["parties"] = []
    data["min_public_share"] = None
    data["finance"]["social_tariff"] = None  # a tariff rule; it may name absent types
    data["name"] = f"{scenario.name}[{'+'.join(sorted(demands))}]"
    return Scenario.model_validate(data)


def _served(scenario: Scenario) -> int:
    """How many demand groups a design problem serves: its size, for ordering solves."""
    return len(scenario.demand.households) + len(scenario.demand.businesses)


def _technologies(scenario: Scenario) -> tuple[str, ...]:
    """The technologies of a design problem: problems with the same ones have full-year
    checks of the same shape, so one's optimal basis can start the others'."""
    return tuple(sorted(scenario_data(scenario)["technologies"]))


class CoalitionSolver:
    """Evaluates coalitions of a scenario's parties: solves each distinct design problem
    once (on ``executor``, cached in ``cache_dir``) and keeps every coalition's costs.

    ``horizon`` (first day, days) prices every coalition on those days only (tests);
    otherwise every coalition is designed on the grand coalition's typical days
    (``aggregation``), or on all hours with ``aggregation=None``.

    ``slots`` is how many solves the executor runs at once (default: this machine's
    cores). The grand coalition's problem, whose check basis starts the others', is
    solved first and alone, on that many HiGHS threads (see :meth:`evaluate`).
    """

    def __init__(
        self,
        scenario: Scenario,
        aggregation: Aggregation | None = DEFAULT_AGGREGATION,
        options: SolveOptions = SINGLE_THREAD,
        executor: Executor | None = None,
        cache_dir: Path | None = None,
        horizon: tuple[int, int] | None = None,
        progress: Progress = lambda _done, _total: None,
        slots: int | None = None,
    ) -> None:
        if not scenario.parties:
            raise InputError(
                "no parties to allocate over",
                field="parties",
                fix="list the shareholders under parties",
            )
        self.scenario = scenario
        self.players = tuple(p.name for p in scenario.parties)
        self.slots = slots or os.cpu_count() or 1
        fresh = cache_dir is None or not any(Path(cache_dir).glob("*.json"))
        if executor is not None and fresh:  # a first run: workers import while we cluster
            warm_up(executor, self.slots)
        inputs = build_inputs(scenario)
        self.alone = stand_alone_costs(scenario, inputs)
        self.support = {p.name: support(scenario, p) for p in scenario.parties}
        self.utilities = utility_roles(scenario)
        if aggregation is not None and aggregation.days is None and horizon is None:
            aggregation = shared_days(inputs, aggregation, clustering_features(scenario, inputs))
        self.aggregation, self.options, self.horizon = aggregation, options, horizon
        self.executor, self.cache_dir, self.progress = executor, cache_dir, progress
        self.costs: dict[int, CoalitionCost] = {}
        self.outcomes: dict[str, dict] = {}  # by problem key
        self.solved = 0  # problems solved (not read from the cache)
        self.warm = 0  # of those, checks started from the grand coalition's basis
        self.cpu_seconds = 0.0  # CPU time of those solves, in their workers
        self.bases: dict[tuple[str, ...], str] = {}  # check bases by _technologies
        self._problems: dict[int, tuple[str, Scenario] | None] = {}
        self._grand = self.problem((1 << len(self.players)) - 1)
        self.total = 0  # coalitions the caller will ask for, if known

    def members(self, mask: int) -> tuple[str, ...]:
        """The players of a coalition mask, sorted by name."""
        return tuple(sorted(p for i, p in enumerate(self.players) if mask >> i & 1))

    def problem(self, mask: int) -> tuple[str, Scenario] | None:
        """A coalition's design problem (its key and scenario), or None when it has no
        consumer group. Coalitions with the same key are priced by one solve."""
        if mask not in self._problems:
            restricted = coalition_scenario(self.scenario, set(self.members(mask)))
            self._problems[mask] = (
                None if restricted is None else (json.dumps(scenario_data(restricted)), restricted)
            )
        return self._problems[mask]

    def evaluate(self, masks: list[int]) -> dict[int, float]:
        """c(S) of the given coalitions, solving the design problems not known yet.

        Problems with the same technologies have full-year checks with the same rows and
        columns. The first of each such group (the grand coalition's, which every
        allocation needs, or else the largest) is solved cold; the others' checks start
        from its optimal basis, which cut ketelhuis-wg's from 68,809 dual-simplex
        iterations (the grand coalition's, cold) to 1,100-8,400 (the optimum, hence
        c(S), is the same). Largest first, so that the workers finish together.

        A cold check costs as much for a small coalition as for the grand one (41.6 s
        against 11.4 s warm for ketelhuis-wg's businesses with the water board), so
        nothing is gained by starting others cold beside the grand coalition: it runs
        first, alone, on ``slots`` HiGHS threads (the check's parallel dual simplex), at most
        this machine's cores.
        """
        problems = {m: self.problem(m) for m in masks if m not in self.costs}
        todo = {k: s for k, s in (p for p in problems.values() if p) if k not in self.outcomes}
        waiting = {k: [m for m, p in problems.items() if p and p[0] == k] for k in todo}
        for mask, problem in problems.items():
            if problem is None or problem[0] not in todo:
                self._known(mask, problem)
        grand = self._grand
        if todo and grand is not None and grand[0] not in self.outcomes:
            todo[grand[0]] = grand[1]
        order = sorted(todo, key=lambda k: (grand is None or k != grand[0], -_served(todo[k])))
        if grand is not None and grand[0] in todo:
            threads = min(self.slots, os.cpu_count() or 1)  # more would spin on the same cores
            alone = replace(self.options, threads=max(self.options.threads, threads))
            self._solve({grand[0]: todo[grand[0]]}, problems, waiting, True, alone)
            order.remove(grand[0])
        leaders: dict[tuple[str, ...], str] = {}
        for key in order:
            if _technologies(todo[key]) not in self.bases:
                leaders.setdefault(_technologies(todo[key]), key)
        self._solve({k: todo[k] for k in leaders.values()}, problems, waiting, keep_basis=True)
        rest = [k for k in order if k not in leaders.values()]
        self._solve({k: todo[k] for k in rest}, problems, waiting)
        return {mask: self.costs[mask].cost_eur for mask in masks}

    def _solve(
        self,
        todo: dict[str, Scenario],
        problems: dict[int, tuple[str, Scenario] | None],
        waiting: dict[str, list[int]],
        keep_basis: bool = False,
        options: SolveOptions | None = None,
    ) -> None:
        """Solve (or read from the cache) the problems ``todo`` by key, in that order,
        each check from the basis of its technologies if known (keeping its own with
        ``keep_basis``), and record the coalitions ``waiting`` for each. ``options``
        replace the solver's own (the cache key does not depend on threads)."""
        if not todo:
            return
        names = {f"problem {i}": k for i, k in enumerate(todo)}
        groups = {name: _technologies(todo[k]) for name, k in names.items()}

        def tick(name: str, outcome: dict, cached: bool) -> None:
            self.solved += not cached
            self.warm += bool(outcome.get("check_warm_started")) and not cached
            self.cpu_seconds += 0.0 if cached else outcome.get("cpu_seconds", 0.0)
            basis = outcome.pop("check_basis", None)
            if keep_basis and basis:
                self.bases[groups[name]] = basis
            self.outcomes[names[name]] = outcome
            for mask in waiting.get(names[name], []):
                self._known(mask, problems[mask])

        bases = {n: self.bases[g] for n, g in groups.items() if g in self.bases}
        run_all(
            {name: todo[k] for name, k in names.items()}, self.executor, self.aggregation,
            options or self.options, self.cache_dir, tick, self.horizon, bases, keep_basis,
        )  # fmt: skip

    def _known(self, mask: int, problem: tuple[str, Scenario] | None) -> None:
        """Record a coalition whose problem's outcome is known, and report progress."""
        self.costs[mask] = self._coalition(mask, problem)
        self.progress(len(self.costs), self.total)

    def _coalition(self, mask: int, problem: tuple[str, Scenario] | None) -> CoalitionCost:
        members = self.members(mask)
        outcome = (
            {"ok": False, "error": NO_CONSUMER_GROUP}
            if problem is None
            else self.outcomes[problem[0]]
        )
        accounts = outcome.get("water_accounting", {}) if outcome["ok"] else {}
        return CoalitionCost(
            members,
            outcome["total_cost_eur"] if outcome["ok"] else float("inf"),
            sum(self.alone[m] for m in members),
            bool(outcome.get("cached", False)),
            outcome.get("lcoh_eur_per_gj", float("nan")),
            outcome,
            support_eur=sum(self.support[m].total_eur_per_year for m in members),
            utility_eur=members_gain_eur(members, self.utilities, accounts),
        )

    def coalitions(self) -> list[CoalitionCost]:
        """Every coalition evaluated so far, in mask order."""
        return [self.costs[m] for m in sorted(self.costs)]


def cost_game(
    scenario: Scenario,
    aggregation: Aggregation | None = DEFAULT_AGGREGATION,
    options: SolveOptions = SINGLE_THREAD,
    executor: Executor | None = None,
    cache_dir: Path | None = None,
    progress: Progress = lambda _done, _total: None,
    horizon: tuple[int, int] | None = None,
) -> tuple[Game, list[CoalitionCost]]:
    """The cost game over all coalitions of the scenario's parties, and their costs,
    solved on ``executor`` (default: a process pool on this machine's cores).

    Raises :class:`InputError` when the scenario names no parties.
    """
    if executor is None:
        with runner_executor() as pool:
            return cost_game(scenario, aggregation, options, pool, cache_dir, progress, horizon)
    solver = CoalitionSolver(scenario, aggregation, options, executor, cache_dir, horizon, progress)
    return full_game(solver), solver.coalitions()


def full_game(solver: CoalitionSolver) -> Game:
    """Evaluate every coalition not known yet; the dense game."""
    n = len(solver.players)
    solver.total = 2**n - 1
    masks = [m for m in range(1, 2**n) if m not in solver.costs]
    solver.evaluate(masks)
    costs = np.zeros(2**n)
    for mask, coalition in solver.costs.items():
        costs[mask] = coalition.cost_eur
    return Game(solver.players, costs)


def generated_allocation(
    solver: CoalitionSolver, batch: int = 2
) -> tuple[dict[str, np.ndarray], float, list[str]]:
    """Least core and nucleolus solving only the coalitions their LPs need, ``batch``
    distinct design problems at a time (the executor's parallel solves).

    Returns the allocations by rule (``nucleolus``, or ``prenucleolus`` when no
    imputation exists, and ``least_core``), the least-core epsilon and notes. If a
    solved coalition contradicts the monotone bound, every coalition is solved instead
    and the rules run on the full game (said in the notes).
    """
    n = len(solver.players)
    roles = party_roles(solver.scenario)
    notes: list[str] = []

    problems = {m: solver.problem(m) for m in range(1, 2**n)}
    key = {m: None if p is None else p[0] for m, p in problems.items()}

    def unformed(mask: int) -> bool:
        return not np.isfinite(solver.costs[mask].cooperative_eur)

    def evaluate(masks: list[int]) -> dict[int, float]:
        """The coalitions asked for and every other that shares a problem with one:
        once a problem is solved they cost nothing, and they bound more coalitions."""
        solver.evaluate(masks)
        solved = {key[m] for m in masks}
        return solver.evaluate([m for m in key if key[m] in solved])

    def generate(**kwargs) -> tuple[np.ndarray, list[float], np.ndarray]:
        return nucleolus_by_generation(
            n, evaluate, roles, batch=batch, unformed=unformed, group=key.__getitem__, **kwargs
        )

    try:
        least, levels, _ = generate(imputations=False, stop_after_first=True)
        try:
            nucleus, _, _ = generate()
            rules = {"nucleolus": nucleus}
        except ValueError as error:
            notes.append(f"nucleolus: {error}")
            prenucleus, _, _ = generate(imputations=False)
            rules = {"prenucleolus": prenucleus}
    except BoundViolated as error:
        from optimiser.economics.allocation.rules import least_core, nucleolus

        notes.append(f"constraint generation stopped ({error}): every coalition solved")
        game = full_game(solver)
        least, epsilon = least_core(game)
        try:
            return {"nucleolus": nucleolus(game), "least_core": least}, epsilon, notes
        except ValueError as empty:
            notes.append(f"nucleolus: {empty}")
            return {"least_core": least}, epsilon, notes
    distinct = {k for k in key.values() if k is not None}
    notes.append(
        f"least core and nucleolus by constraint generation: {len(solver.outcomes)} of the"
        f" game's {len(distinct)} design problems needed ({len(solver.costs)} of"
        f" {2**n - 1} coalitions priced), {solver.solved} solved"
    )
    return {**rules, "least_core": least}, levels[0], notes

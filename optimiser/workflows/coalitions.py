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
from optimiser.model.system import clustering_features, loop_without_source
from optimiser.model.timeseries import Aggregation, shared_days
from optimiser.workflows.problem_queue import ProblemQueue
from optimiser.workflows.run import DEFAULT_AGGREGATION
from optimiser.workflows.runner import SINGLE_THREAD, scenario_data, warm_up
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
    restricted = Scenario.model_validate(data)
    if not loop_without_source(restricted):
        return restricted
    return Scenario.model_validate(_air_source(data))


def _air_source(data: dict) -> dict:
    """A design problem whose heat pump lost its source (its owner, e.g. the water
    board with the TEO, is not in the coalition): the heat pump takes outdoor air at the
    catalogue's air-source capex (a water-source COP table does not hold for air), and
    the ATES, which nothing charges now, is left out. An air-source heat pump needs no
    party's asset, so every coalition may build one; without it such a coalition would
    have no design and keep its members' boilers, overstating c(S)."""
    technologies = dict(data["technologies"])
    heat_pump = technologies["heat_pump"]
    technologies["heat_pump"] = {
        **heat_pump,
        "source": "air",
        "capex_eur_per_kw": heat_pump["air_source_capex_eur_per_kw"],
        "cop_table": None,
    }
    technologies.pop("ates", None)
    return {**data, "technologies": technologies, "name": f"{data['name']}(air)"}


def _served(scenario: Scenario) -> int:
    """How many demand groups a design problem serves: its size, for ordering solves."""
    return len(scenario.demand.households) + len(scenario.demand.businesses)


class CoalitionSolver:
    """Evaluates coalitions of a scenario's parties: solves each distinct design problem
    once (on ``executor``, cached in ``cache_dir``) and keeps every coalition's costs.

    ``horizon`` (first day, days) prices every coalition on those days only (tests);
    otherwise every coalition is designed on the grand coalition's typical days
    (``aggregation``), or on all hours with ``aggregation=None``.

    ``slots`` is how many solves the executor runs at once (default: this machine's
    cores). The grand coalition's problem, whose check basis starts the others' with
    its technologies, is solved first, beside those with other technologies or alone
    on that many HiGHS threads (see :class:`ProblemQueue`).

    :meth:`evaluate` returns costs when all are known; :meth:`submit`, :meth:`collect`
    and :meth:`in_flight` let a caller go on as each problem is solved.
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
            warm_up(executor, self.slots, scenario.model_dump_json())
        inputs = build_inputs(scenario)
        self.alone = stand_alone_costs(scenario, inputs)
        self.support = {p.name: support(scenario, p) for p in scenario.parties}
        self.utilities = utility_roles(scenario)
        if aggregation is not None and aggregation.days is None and horizon is None:
            aggregation = shared_days(inputs, aggregation, clustering_features(scenario, inputs))
        self.progress = progress
        self.costs: dict[int, CoalitionCost] = {}
        self._problems: dict[int, tuple[str, Scenario] | None] = {}
        self._grand = self.problem((1 << len(self.players)) - 1)
        self.queue = ProblemQueue(
            executor, aggregation, options, cache_dir, horizon, self.slots,
            None if self._grand is None else self._grand[0],
        )  # fmt: skip
        self._waiting: dict[str, list[int]] = {}  # submitted coalitions by problem key
        self._collected: list[int] = []  # coalitions known, not collected yet
        self.total = 0  # coalitions the caller will ask for, if known

    @property
    def solved(self) -> int:
        """Design problems solved (not read from the cache)."""
        return self.queue.solved

    @property
    def warm(self) -> int:
        """Of those, checks started from another problem's optimal basis."""
        return self.queue.warm

    @property
    def cpu_seconds(self) -> float:
        """CPU time of those solves, in their workers."""
        return self.queue.cpu_seconds

    @property
    def outcomes(self) -> dict[str, dict]:
        """The outcomes of the design problems known, by key."""
        return self.queue.outcomes

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
        """c(S) of the given coalitions, solving the design problems not known yet (see
        :class:`ProblemQueue` for the order: the grand coalition's first, then the
        largest first, each check warm from its technologies' first when it can)."""
        self.submit(masks)
        while any(m not in self.costs for m in masks):
            self.collect()
        self._collected.clear()
        return {mask: self.costs[mask].cost_eur for mask in masks}

    def submit(self, masks: list[int]) -> None:
        """Start evaluating the given coalitions; :meth:`collect` returns their costs."""
        self._collected += [m for m in masks if m in self.costs]
        problems = {m: self.problem(m) for m in masks if m not in self.costs}
        for mask, problem in problems.items():
            if problem is None or problem[0] in self.outcomes:
                self._known(mask, problem)
                self._collected.append(mask)
            else:
                self._waiting.setdefault(problem[0], []).append(mask)
        todo = {p[0]: p[1] for p in problems.values() if p and p[0] in self._waiting}
        first = [self._grand] if todo and self._grand is not None else []
        self.queue.ask_all(first + sorted(todo.items(), key=lambda p: -_served(p[1])))

    def collect(self) -> dict[int, float]:
        """Costs of the submitted coalitions known since the last call, waiting for one
        problem if none is."""
        if not self._collected:
            for key in self.queue.collect():
                for mask in self._waiting.pop(key, []):
                    self._known(mask, self.problem(mask))
                    self._collected.append(mask)
        known, self._collected = self._collected, []
        return {mask: self.costs[mask].cost_eur for mask in known}

    def known(self, masks: list[int]) -> dict[int, float]:
        """c(S) of those of the given coalitions whose design problems are known (without
        solving anything)."""
        for mask in masks:
            problem = self.problem(mask)
            if mask not in self.costs and (problem is None or problem[0] in self.outcomes):
                self._known(mask, problem)
        return {m: self.costs[m].cost_eur for m in masks if m in self.costs}

    def close(self) -> None:
        """Stop: problems not started are dropped, those running are waited for and
        their coalitions recorded (and cached for the next run)."""
        self.queue.close()
        for key in list(self._waiting):
            masks = self._waiting.pop(key)
            if key in self.outcomes:
                for mask in masks:
                    self._known(mask, self.problem(mask))

    def in_flight(self) -> list[int]:
        """Submitted coalitions whose costs are not known yet."""
        return [m for masks in self._waiting.values() for m in masks]

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
        share = self._served_share(problem)
        return CoalitionCost(
            members,
            outcome["total_cost_eur"] if outcome["ok"] else float("inf"),
            sum(self.alone[m] for m in members),
            bool(outcome.get("cached", False)),
            outcome.get("lcoh_eur_per_gj", float("nan")),
            outcome,
            support_eur=sum(self.support[m].serving(share) for m in members),
            utility_eur=members_gain_eur(members, self.utilities, accounts),
        )

    def _served_share(self, problem: tuple[str, Scenario] | None) -> float:
        """The share of the model's connections a design problem serves (0 without a
        consumer group): what a coalition gets of grants sized per connection."""
        if problem is None:
            return 0.0
        return problem[1].demand.connections / self.scenario.demand.connections

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


class _Known:
    """A coalition solver as an evaluator that also returns every coalition whose
    design problem is known, once: a problem solved, or cached by an earlier run,
    prices all its coalitions at no cost, and they bound more coalitions (with the
    cache of a first run, a second one asks for nothing it did not need).
    ``key[mask]`` is each coalition's problem key."""

    def __init__(self, solver: CoalitionSolver, key: dict[int, str | None]) -> None:
        self.solver, self.key = solver, key
        self.submit, self.in_flight = solver.submit, solver.in_flight
        self.returned: set[int] = set()

    def collect(self) -> dict[int, float]:
        known = self.solver.collect()
        rest = [m for m, k in self.key.items() if m not in self.returned and m not in known]
        known.update(self.solver.known(rest))
        self.returned.update(known)
        return known


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
    for problem in {p[0]: p for p in problems.values() if p is not None}.values():
        solver.queue.recall(*problem)

    def unformed(mask: int) -> bool:
        return not np.isfinite(solver.costs[mask].cooperative_eur)

    def generate(**kwargs) -> tuple[np.ndarray, list[float], np.ndarray]:
        return nucleolus_by_generation(
            n, _Known(solver, key), roles, batch=batch, unformed=unformed,
            group=key.__getitem__, **kwargs,
        )  # fmt: skip

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
    solver.close()  # what the last LPs did not need: dropped, or cached if running
    distinct = {k for k in key.values() if k is not None}
    notes.append(
        f"least core and nucleolus by constraint generation: {len(solver.outcomes)} of the"
        f" game's {len(distinct)} design problems needed ({len(solver.costs)} of"
        f" {2**n - 1} coalitions priced), {solver.solved} solved"
    )
    return {**rules, "least_core": least}, levels[0], notes

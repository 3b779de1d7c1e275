"""The design problems of a cost game, solved as they are asked for, on any executor.

A cost game asks for its coalitions' design problems in waves (all at once for the
full game, a few at a time for constraint generation, which decides what to ask next
from what it has learnt). :class:`ProblemQueue` starts each problem as soon as it may,
and hands back each outcome as soon as it is known, so that no worker idles while
another problem could run:

- the grand coalition's problem, whose check basis starts most others', runs first;
  the problems with its technologies wait for it. Problems with other technologies
  (e.g. an air-source heat pump where the source's owner is missing) do not need it and
  run beside it, on the other slots; only when there are none does it get as many HiGHS
  threads as the executor has slots (at most the machine's cores), as a second thread
  shortens a check by less than a tenth (ketelhuis-wg: 22.8 against 24.7 s);
- the first problem of each set of technologies (a check of another shape) runs cold
  and keeps its optimal basis; the others with those technologies wait for it, then
  start warm from it (same optimum, a fraction of the iterations);
- a warm start skips HiGHS's presolve, so it pays only when the basis is close: on
  ketelhuis-wg a coalition's check took 5-16 s warm against 24-53 s cold, on ten-parties
  warm checks were slower than cold ones (one thread each). So each set of technologies
  starts warm while its warm checks have been no slower on average than its cold ones
  (the leader's included; the grand coalition's, on more threads, counts as cold); a set
  not seen both ways yet follows the others' average ratio (warm when none has been).
  That is decided as each problem starts, so no more problems are handed to the
  executor than it has slots;
- a problem that waits for a basis is designed meanwhile, on a slot nothing else may
  take (its typical-day design does not need the basis, only its check does): when
  the basis comes, only its check is left to solve. On ketelhuis-wg the six
  coalitions that wait for the grand coalition's basis are designed while it is
  checked (3-4.5 s each), on the slot the air-source problems leave idle;
- the leader's duals on its check's year rows (the ATES balance) go with its basis: a
  check started cold prices those rows first when they are dear
  (:mod:`optimiser.model.year_rows`), without estimating them again;
- every outcome is cached (failures that would repeat included), so a second run
  solves nothing.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import replace
from pathlib import Path

import numpy as np

from optimiser.inputs.scenario import Scenario
from optimiser.model.solve import SolveOptions
from optimiser.model.timeseries import Aggregation
from optimiser.workflows.design_stage import TypicalDesign
from optimiser.workflows.runner import (
    cache_path,
    design_scenario,
    read_cached,
    scenario_data,
    solve_scenario,
    store,
)

Technologies = tuple[str, ...]


def technologies(scenario: Scenario) -> Technologies:
    """The technologies of a design problem: problems with the same ones have full-year
    checks of the same shape, so one's optimal basis can start the others'."""
    return tuple(sorted(scenario_data(scenario)["technologies"]))


class ProblemQueue:
    """Solves design problems (by key) on ``executor`` (in this process if None), cached
    in ``cache_dir``; ``grand`` is the key of the problem that runs first.

    :meth:`ask` schedules a problem; :meth:`collect` returns the keys whose outcomes
    became known (in :attr:`outcomes`), waiting for one if none did; :meth:`close`
    drops what has not started and waits for what runs.
    """

    def __init__(
        self,
        executor: Executor | None,
        aggregation: Aggregation | None,
        options: SolveOptions,
        cache_dir: Path | None,
        horizon: tuple[int, int] | None,
        slots: int,
        grand: str | None,
    ) -> None:
        self.executor, self.aggregation, self.options = executor, aggregation, options
        self.cache_dir, self.horizon, self.slots, self.grand = cache_dir, horizon, slots, grand
        self.outcomes: dict[str, dict] = {}
        self.solved = 0  # problems solved (not read from the cache)
        self.warm = 0  # of those, checks started from another problem's basis
        self.cpu_seconds = 0.0  # CPU time of those solves, in their workers
        # optimal check bases and year-row duals by technologies (None: its first solve
        # left none)
        self.bases: dict[Technologies, tuple[str | None, tuple[float, ...] | None]] = {}
        # seconds of each check solved here, by technologies, warm (True) or cold (False)
        self._check_times: dict[Technologies, dict[bool, list[float]]] = {}
        self._asked: dict[str, Scenario] = {}
        self._paths: dict[str, Path | None] = {}  # where each outcome is cached
        self._leading: dict[Technologies, str] = {}  # the cold solve of each, running
        self._held: list[str] = []  # waiting for the grand coalition or their leader
        self._running: dict[Future, str] = {}
        self._designing: dict[Future, str] = {}  # designs made ahead, running
        # designs made ahead, by key (None: tried, the solve designs itself)
        self._designs: dict[str, TypicalDesign | None] = {}
        self._known: list[str] = []  # outcomes not collected yet

    def ask(self, key: str, scenario: Scenario) -> None:
        """Schedule a problem (once; from the cache if it is there)."""
        self.ask_all([(key, scenario)])

    def ask_all(self, problems: list[tuple[str, Scenario]]) -> None:
        """Schedule problems (each once; from the cache if it is there), in this order,
        deciding how each starts once all are known."""
        for key, scenario in problems:
            if key not in self._asked and not self.recall(key, scenario):
                self._asked[key] = scenario
                self._held.append(key)
        self._release()

    def recall(self, key: str, scenario: Scenario) -> bool:
        """Whether a problem's outcome is known, reading it from the cache if it is
        there (nothing is solved)."""
        if key not in self._asked:
            if key not in self._paths:
                self._paths[key] = cache_path(
                    self.cache_dir, scenario, self.aggregation, self.options, self.horizon
                )
            cached = read_cached(self._paths[key])
            if cached is not None:
                self._asked[key] = scenario
                self._finish(key, {**cached, "cached": True})
        return key in self.outcomes

    def pending(self) -> set[str]:
        """Problems asked for whose outcomes are not known yet."""
        return set(self._asked) - set(self.outcomes)

    def collect(self) -> list[str]:
        """The problems known since the last call; waits for one if there are none and
        some are pending."""
        if not self._known and not self._running and not self._designing and self._held:
            raise RuntimeError(f"{len(self._held)} problems held with nothing running")
        while not self._known and (self._running or self._designing):
            futures = [*self._running, *self._designing]
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                if future in self._designing:
                    self._designed(self._designing.pop(future), future)
                    continue
                key = self._running.pop(future)
                try:
                    outcome = future.result()
                except Exception as error:  # a worker died: report it, keep the others
                    outcome = {"ok": False, "error": f"worker failed: {error!r}"}
                self._finish(key, outcome)
            self._release()
        known, self._known = self._known, []
        return known

    def close(self) -> None:
        """Drop the problems that have not started; wait for those that run (their
        outcomes are cached for the next run)."""
        dropped = self._held + [self._running.pop(f) for f in list(self._running) if f.cancel()]
        for key in dropped:  # asked again later, it is scheduled again
            del self._asked[key]
        self._leading = {g: k for g, k in self._leading.items() if k not in dropped}
        self._held.clear()
        for future in self._designing:  # not needed now; one that runs is left to finish
            future.cancel()
        self._designing.clear()
        while self._running:
            self.collect()

    def _release(self) -> None:
        """Start every held problem that may start now, in the order asked; on the slots
        left, design ahead those that wait for a basis."""
        for key in list(self._held):
            if self._full():
                return  # the rest waits, so that how each starts is decided when it does
            scenario = self._asked[key]
            group = technologies(scenario)
            grand_first = self.grand in self._asked and self.grand not in self.outcomes
            if key in self._designing.values():
                continue  # its design comes first
            if key == self.grand:
                beside = any(
                    technologies(self._asked[k]) != group or self._designs_ahead(k)
                    for k in self._held
                    if k != key
                )
                threads = 1 if beside else min(self.slots, os.cpu_count() or 1)
                options = replace(self.options, threads=max(self.options.threads, threads))
                self._start(key, None, True, options)
            elif grand_first and group == technologies(self._asked[self.grand]):
                continue
            elif group in self.bases:
                basis, prices = self.bases[group]
                self._start(key, basis if self._warm_pays(group) else None, False, prices=prices)
            elif group in self._leading:
                continue
            else:
                self._leading[group] = key
                self._start(key, None, True)
        for key in self._held:
            if self._full():
                return
            if self._designs_ahead(key) and key not in self._designing.values():
                future = self.executor.submit(
                    design_scenario, self._scenario_json(key), self.aggregation, self.options
                )
                self._designing[future] = key

    def _full(self) -> bool:
        """Whether the executor runs as many solves as it has slots."""
        return self.executor is not None and len(self._running) + len(self._designing) >= self.slots

    def _designs_ahead(self, key: str) -> bool:
        """Whether a held problem may be designed before it starts: on an executor, on
        typical days, once, and not the grand coalition's (which waits for nothing)."""
        return (
            self.executor is not None
            and self.aggregation is not None
            and self.horizon is None
            and key != self.grand
            and key not in self._designs
        )

    def _designed(self, key: str, future: Future) -> None:
        """Keep a design made ahead; a design that failed is the problem's outcome (its
        solve would fail the same way). A worker that died leaves the design to the
        problem's own solve."""
        try:
            outcome = future.result()
        except Exception:  # a worker died: the solve designs again, and reports a failure
            outcome = {"ok": True, "design": None, "cpu_seconds": 0.0}
        if outcome["ok"]:
            self._designs[key] = outcome["design"]
            self.cpu_seconds += outcome["cpu_seconds"]
            return
        self._held.remove(key)
        self._finish(key, outcome)  # counts its CPU time

    def _warm_pays(self, group: Technologies) -> bool:
        """Whether to start a check of ``group`` from its leader's basis: while its warm
        checks have been no slower on average than its cold ones (the leader's
        included). Until ``group`` has both, the other groups' evidence decides: warm
        while their warm checks took on average no longer than their cold ones (as a
        ratio per group, as groups differ in size), and warm when no group has both yet.
        Without that, each group would start its first followers warm (two slots: two
        at once) before learning what it could have learnt from the others: on
        ten-parties, 29 of 93 checks started warm, each slower than cold."""
        ratios = {
            g: np.mean(times[True]) / np.mean(times[False])
            for g, times in self._check_times.items()
            if times[True] and times[False] and np.mean(times[False]) > 0
        }
        if group in ratios:
            return bool(ratios[group] <= 1.0)
        return not ratios or bool(np.mean(list(ratios.values())) <= 1.0)

    def _start(
        self,
        key: str,
        basis: str | None,
        keep_basis: bool,
        options: SolveOptions | None = None,
        prices: tuple[float, ...] | None = None,
    ) -> None:
        self._held.remove(key)
        arguments = (
            self._scenario_json(key), self.aggregation,
            options or self.options, self.horizon, basis, keep_basis, prices,
            self._designs.pop(key, None),
        )  # fmt: skip
        if self.executor is None:
            self._finish(key, solve_scenario(*arguments))
        else:
            self._running[self.executor.submit(solve_scenario, *arguments)] = key

    def _scenario_json(self, key: str) -> str:
        """A problem's scenario as the JSON a worker's solve or design takes."""
        return json.dumps(scenario_data(self._asked[key]))

    def _finish(self, key: str, outcome: dict) -> None:
        """Record an outcome: cache it, keep its basis if it leads its technologies."""
        group = technologies(self._asked[key])
        if not outcome.get("cached"):
            store(self._paths[key], outcome)
            warm = bool(outcome.get("check_warm_started"))
            self.solved += 1
            self.warm += warm
            self.cpu_seconds += outcome.get("cpu_seconds", 0.0)
            if "check_seconds" in outcome:  # a failed solve has no check to time
                times = self._check_times.setdefault(group, {True: [], False: []})
                times[warm].append(outcome["check_seconds"])
        basis = outcome.pop("check_basis", None)
        duals = outcome.pop("check_year_duals", None)
        led = key == self.grand
        if self._leading.get(group) == key:
            del self._leading[group]
            led = True
        if led and group not in self.bases:  # without a basis the others start cold
            self.bases[group] = (basis, None if duals is None else tuple(duals))
        self.outcomes[key] = outcome
        self._known.append(key)

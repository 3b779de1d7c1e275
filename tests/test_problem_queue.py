"""The order in which a cost game's design problems start: the grand coalition's first
and alone, each technology set's first cold, the others warm from its basis, and each
outcome handed back as soon as it is known."""

from __future__ import annotations

import json
from concurrent.futures import Future

import pytest
from test_game_business import five_parties
from test_parties import three_party_model

from optimiser.inputs.scenario import load_scenario
from optimiser.model.solve import SolveOptions
from optimiser.model.timeseries import Aggregation
from optimiser.workflows.coalitions import coalition_scenario
from optimiser.workflows.design_stage import TypicalDesign
from optimiser.workflows.problem_queue import ProblemQueue
from optimiser.workflows.runner import design_scenario, scenario_data, solve_scenario


class ManualPool:
    """An executor whose solves (and designs made ahead) wait until the test finishes
    them with an outcome."""

    def __init__(self) -> None:
        self.started: list[tuple[Future, tuple]] = []
        self.designs: list[str] = []  # problem names of the designs made ahead, in order

    def submit(self, function, *arguments) -> Future:
        future: Future = Future()
        if function is design_scenario:
            self.designs.append(json.loads(arguments[0])["name"])
        else:
            assert function is solve_scenario
        self.started.append((future, arguments))
        return future

    def calls(self) -> list[tuple[str, str | None, bool, int]]:
        """(problem name, basis, keep_basis, threads) of each solve started."""
        return [
            (json.loads(a[0])["name"], a[4], a[5], a[2].threads)
            for _, a in self.started
            if len(a) > 3
        ]

    def finish(self, name: str, outcome: dict) -> None:
        for future, arguments in self.started:
            if json.loads(arguments[0])["name"] == name and not future.done():
                future.set_result(outcome)
                return
        raise AssertionError(f"{name} was not started")


@pytest.fixture
def problems(tmp_path):
    """Four problems of the five-party game by label: the grand coalition's and one
    more with the energy company's PV, two without it."""
    scenario = load_scenario(three_party_model(tmp_path, five_parties))
    members = {
        "grand": {"residents", "school", "shops", "energy_company", "municipality"},
        "with_pv": {"school", "shops", "energy_company"},
        "without_pv_large": {"residents", "school"},
        "without_pv_small": {"school", "shops"},
    }
    out = {}
    for label, group in members.items():
        restricted = coalition_scenario(scenario, group)
        out[label] = (json.dumps(scenario_data(restricted)), restricted)
    return out


def solved(
    basis: str | None = None, check_seconds: float | None = None, warm=False, duals=None
) -> dict:
    timed = {} if check_seconds is None else {"check_seconds": check_seconds}
    return {
        "ok": True, "total_cost_eur": 1.0, "check_warm_started": warm, **timed,
        **({"check_basis": basis} if basis else {}),
        **({"check_year_duals": duals} if duals else {}),
    }  # fmt: skip


@pytest.mark.parametrize("leader_outcome", ["with_basis", "failed"])
def test_grand_first_then_warm_from_its_basis_and_other_technologies_beside_it(
    problems, leader_outcome
):
    pool = ManualPool()
    queue = ProblemQueue(pool, None, SolveOptions(threads=1), None, None, 2, problems["grand"][0])
    queue.ask_all(
        [problems[k] for k in ["grand", "with_pv", "without_pv_large", "without_pv_small"]]
    )
    name = {label: p[1].name for label, p in problems.items()}
    # the grand coalition first, on one thread: the first without the PV, which does not
    # need its basis, leads its technologies on the other slot, cold
    assert pool.calls() == [
        (name["grand"], None, True, 1),
        (name["without_pv_large"], None, True, 1),
    ]
    pool.finish(name["grand"], solved("grand-basis"))
    assert queue.collect() == [problems["grand"][0]]
    # its technologies start warm from its basis
    assert pool.calls()[2:] == [(name["with_pv"], "grand-basis", False, 1)]
    assert queue.pending() == {problems[k][0] for k in problems if k != "grand"}
    # each outcome comes back as soon as it is known, the others still running
    pool.finish(name["with_pv"], solved())
    assert queue.collect() == [problems["with_pv"][0]]
    if leader_outcome == "with_basis":
        pool.finish(name["without_pv_large"], solved("no-pv-basis"))
    else:  # a leader that fails leaves no basis: the others start cold, not held forever
        pool.finish(name["without_pv_large"], {"ok": False, "error": "no design", "final": True})
    queue.collect()
    basis = "no-pv-basis" if leader_outcome == "with_basis" else None
    assert pool.calls()[3:] == [(name["without_pv_small"], basis, False, 1)]
    pool.finish(name["without_pv_small"], solved())
    queue.close()
    assert queue.pending() == set()
    assert queue.solved == 4
    assert "check_basis" not in queue.outcomes[problems["grand"][0]]


def test_grand_alone_gets_every_slot_as_threads(problems):
    """With nothing else that could run beside it, the grand coalition's problem gets
    the executor's slots as HiGHS threads (at most the cores); its technologies wait."""
    pool = ManualPool()
    queue = ProblemQueue(pool, None, SolveOptions(threads=1), None, None, 2, problems["grand"][0])
    queue.ask_all([problems["grand"], problems["with_pv"]])
    assert pool.calls() == [(problems["grand"][1].name, None, True, min(2, _cores()))]


def test_close_drops_what_has_not_started_and_waits_for_what_runs(problems):
    pool = ManualPool()
    queue = ProblemQueue(pool, None, SolveOptions(threads=1), None, None, 2, problems["grand"][0])
    queue.ask(*problems["grand"])
    queue.ask(*problems["with_pv"])  # held until the grand coalition's basis is known
    pool.finish(problems["grand"][1].name, solved("basis"))
    queue.close()  # the grand coalition's outcome is collected; with_pv never starts
    assert len(pool.started) == 1
    assert set(queue.outcomes) == {problems["grand"][0]}


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def test_recall_reads_the_cache_and_never_solves(problems, tmp_path):
    from optimiser.workflows.runner import cache_path, store

    pool = ManualPool()
    options = SolveOptions(threads=1)
    queue = ProblemQueue(pool, None, options, tmp_path / "cache", None, 2, problems["grand"][0])
    key, scenario = problems["with_pv"]
    assert not queue.recall(key, scenario)
    store(cache_path(tmp_path / "cache", scenario, None, options), solved())
    assert queue.recall(key, scenario)
    queue.ask(key, scenario)
    assert pool.started == []
    assert queue.outcomes[key]["cached"] and queue.solved == 0
    assert queue.collect() == [key]


def test_a_problem_dropped_by_close_is_scheduled_again_when_asked_again(problems):
    """close() cancels what has not started; asking again starts it, and a cancelled
    leader does not hold the others of its technologies."""
    pool = ManualPool()
    queue = ProblemQueue(pool, None, SolveOptions(threads=1), None, None, 2, None)
    queue.ask(*problems["without_pv_large"])  # leads its technologies, not started yet
    queue.close()
    assert queue.pending() == set()
    queue.ask(*problems["without_pv_small"])  # same technologies: leads now
    queue.ask(*problems["without_pv_large"])
    name = problems["without_pv_small"][1].name
    assert [c[:3] for c in pool.calls()[1:]] == [(name, None, True)]
    pool.finish(name, solved("basis"))
    assert queue.collect() == [problems["without_pv_small"][0]]
    assert pool.calls()[2][1:3] == ("basis", False)


@pytest.mark.parametrize(("warm_seconds", "next_start"), [(3.0, "grand-basis"), (30.0, None)])
def test_warm_starts_stop_once_they_are_seen_slower_than_cold_ones(
    tmp_path, warm_seconds, next_start
):
    """A warm start skips presolve: where a coalition's check took longer from the grand
    coalition's basis (30 s) than the grand coalition's took cold (10 s), the next
    problem with those technologies starts cold; where it was faster, warm again. The
    executor gets no more problems than its slots, so that choice is made as each starts.
    Warm or cold, each gets the grand coalition's duals on the ATES balance as prices."""
    scenario = load_scenario(three_party_model(tmp_path, five_parties))
    everyone = {"residents", "school", "shops", "energy_company", "municipality"}
    groups = [everyone, {"residents", "energy_company"}, {"school", "energy_company"}]
    grand, first, second = (
        (json.dumps(scenario_data(s)), s) for s in (coalition_scenario(scenario, g) for g in groups)
    )
    pool = ManualPool()
    queue = ProblemQueue(pool, None, SolveOptions(threads=1), None, None, 1, grand[0])
    for problem in (grand, first, second):
        queue.ask(*problem)
    pool.finish(grand[1].name, solved("grand-basis", check_seconds=10.0, duals=[0.0, -0.17]))
    queue.collect()
    # nothing seen warm yet: warm; the second waits for the one slot
    assert [c[:2] for c in pool.calls()[1:]] == [(first[1].name, "grand-basis")]
    pool.finish(first[1].name, solved(check_seconds=warm_seconds, warm=True))
    queue.collect()
    assert pool.calls()[2][:3] == (second[1].name, next_start, False)
    assert [arguments[6] for _, arguments in pool.started[1:]] == [(0.0, -0.17)] * 2
    pool.finish(second[1].name, solved(check_seconds=5.0, warm=next_start is not None))
    queue.close()
    assert queue.warm == 1 + (next_start is not None)


@pytest.mark.parametrize(("warm_seconds", "next_start"), [(3.0, "no-pv-basis"), (30.0, None)])
def test_a_group_without_its_own_evidence_follows_the_others(problems, warm_seconds, next_start):
    """Technologies whose checks have not been seen both warm and cold yet follow what
    the others' have shown: on ten-parties each group started its first followers warm
    before its own warm check came back (29 of 93 warm, each slower than cold)."""
    pool = ManualPool()
    queue = ProblemQueue(pool, None, SolveOptions(threads=1), None, None, 1, problems["grand"][0])
    for label in ["grand", "with_pv", "without_pv_large", "without_pv_small"]:
        queue.ask(*problems[label])
    name = {label: p[1].name for label, p in problems.items()}
    pool.finish(name["grand"], solved("grand-basis", check_seconds=10.0))
    queue.collect()
    assert pool.calls()[1][:2] == (name["with_pv"], "grand-basis")  # nothing known: warm
    pool.finish(name["with_pv"], solved(check_seconds=warm_seconds, warm=True))
    queue.collect()
    assert pool.calls()[2][:3] == (name["without_pv_large"], None, True)  # leads, cold
    pool.finish(name["without_pv_large"], solved("no-pv-basis", check_seconds=1.0))
    queue.collect()
    # its group has no warm check yet: the PV group's ratio (0.3 or 3) decides
    assert pool.calls()[3][:2] == (name["without_pv_small"], next_start)
    pool.finish(name["without_pv_small"], solved())
    queue.close()


def test_problems_waiting_for_a_basis_are_designed_meanwhile(problems):
    """On typical days, a problem that waits for the grand coalition's basis is designed
    on the slot beside it (the grand coalition then gets one thread); its solve, once the
    basis is known, gets that design and only checks it. A design that fails is the
    problem's outcome, without a solve; a worker that dies leaves the design to the
    solve."""
    pool = ManualPool()
    days = Aggregation(typical_days=2)
    options = SolveOptions(threads=1)
    queue = ProblemQueue(pool, days, options, None, None, 2, problems["grand"][0])
    grand, with_pv = problems["grand"], problems["with_pv"]
    queue.ask_all([grand, with_pv])
    assert pool.calls() == [(grand[1].name, None, True, 1)]
    assert pool.designs == [with_pv[1].name]
    design = TypicalDesign(sizes={"pv.kwp": 10.0}, attrs={"design_method": "ahead"})
    pool.finish(with_pv[1].name, {"ok": True, "design": design, "cpu_seconds": 2.0})
    pool.finish(grand[1].name, solved("grand-basis"))
    assert queue.collect() == [grand[0]]
    assert pool.calls()[1] == (with_pv[1].name, "grand-basis", False, 1)
    assert pool.started[-1][1][7] == design  # only the check is left to solve
    pool.finish(with_pv[1].name, solved(check_seconds=1.0, warm=True))
    queue.close()
    assert queue.cpu_seconds == pytest.approx(2.0)

    failed = ProblemQueue(ManualPool(), days, options, None, None, 2, grand[0])
    failed.ask_all([grand, with_pv])
    no_design = {"ok": False, "error": "no design", "final": True, "cpu_seconds": 1.0}
    failed.executor.finish(with_pv[1].name, no_design)
    assert failed.collect() == [with_pv[0]]
    assert failed.outcomes[with_pv[0]]["error"] == "no design"
    assert len(failed.executor.calls()) == 1  # the grand coalition's only
    assert failed.solved == 1 and failed.cpu_seconds == pytest.approx(1.0)

    died = ProblemQueue(ManualPool(), days, options, None, None, 2, grand[0])
    died.ask_all([grand, with_pv])
    died.executor.started[1][0].set_exception(RuntimeError("worker died"))
    died.executor.finish(grand[1].name, solved("grand-basis"))
    died.collect()
    assert died.executor.started[-1][1][7] is None  # the solve designs itself
    assert died.executor.designs == [with_pv[1].name]  # and no design is asked again

"""Parties in the model: validation, the cost game from coalition solves, tariff test."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from cases import NO_NETWORK_COSTS
from typer.testing import CliRunner

from optimiser.cli import app
from optimiser.economics.allocation.game import core_check
from optimiser.economics.allocation.rules import nucleolus
from optimiser.economics.tariff import gas_bill_eur
from optimiser.inputs.scenario import ScenarioError, load_scenario
from optimiser.outputs.report.figures import fig_allocation, fig_cash_flows, fig_nmdn
from optimiser.workflows.coalitions import cost_game
from optimiser.workflows.runner import scenario_data

REPO = Path(__file__).resolve().parents[1]
HOMES = ["apartment", "mid_terrace", "corner", "semi_detached", "detached"]


def three_party_model(tmp_path: Path, change=None) -> Path:
    """The default neighbourhood with air heat pumps (fast to solve) and three parties:
    the residents, the municipality (school, owns the PV) and the shops.

    The network's cost lines are switched off: with them (EUR 13 M for 540 homes) the
    cooperative costs more than the gas boilers, and these tests are about the game, the
    cache and the files on a case where cooperating pays."""
    data = yaml.safe_load((REPO / "models/default/wijk.yaml").read_text())
    data["network"]["costs"] = dict(NO_NETWORK_COSTS)
    data["technologies"] = {
        "grid": {"max_kw": 4000},
        "pv": {"max_kwp": 1500},
        "heat_pump": {"module_kw": 500, "max_modules": 8, "source": "air"},
        "backup_boiler": {"fuel": "gas"},
    }
    data["parties"] = [
        {"name": "residents", "demands": HOMES},
        {"name": "municipality", "demands": ["school"], "assets": ["pv"]},
        {"name": "shops", "demands": ["shops"]},
    ]
    if change is not None:
        change(data)
    path = tmp_path / "wijk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def game_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parties")
    scenario = load_scenario(three_party_model(folder))
    cache = folder / "cache"
    first = cost_game(scenario, cache_dir=cache)
    second = cost_game(scenario, cache_dir=cache)
    return scenario, first, second


def test_cost_game_from_coalition_solves(game_run):
    _, (game, coalitions), _ = game_run
    assert len(coalitions) == 7
    for c in coalitions:
        assert c.cost_eur == pytest.approx(min(c.cooperative_eur, c.stand_alone_eur))
        assert game.cost[game.mask(list(c.members))] == pytest.approx(c.cost_eur)
    grand = coalitions[-1]
    assert set(grand.members) == {"residents", "municipality", "shops"}
    # the cooperative of everyone beats everyone staying with gas boilers
    assert grand.cooperative_eur < grand.stand_alone_eur
    x = nucleolus(game)
    assert x.sum() == pytest.approx(game.cost[game.grand])
    assert core_check(game, x).in_core


def test_second_run_reads_the_cache(game_run):
    _, (game, first), (again, second) = game_run
    assert not any(c.cached for c in first)
    assert all(c.cached for c in second if np.isfinite(c.cooperative_eur))
    np.testing.assert_allclose(again.cost, game.cost)


def test_stand_alone_gas_bill_by_hand():
    scenario = load_scenario()
    apartment = scenario.demand.households[0]
    # 930 m3 x (0.45 + 0.6007) EUR/m3 + 684 EUR fixed (ACM 2026 excl. VAT)
    assert gas_bill_eur(scenario, apartment) == pytest.approx(930 * 1.0507 + 684)


def test_stand_alone_homes_flush_with_drinking_water_whatever_the_second_pipe():
    # The alternative does not depend on the cooperative's design: a home that flushes
    # with the cooperative's process water (toilet_reuse) flushes with drinking water
    # alone, so its stand-alone bill is the same with or without toilet_reuse. By hand:
    # the inputs scale a home's water by (1 - s), s = 30.2 / 128.1 L per person and day;
    # the flush water restored is drinking x s / (1 - s).
    from optimiser.economics.allocation.stand_alone import consumer_alone_eur
    from optimiser.inputs.profiles.inputs import build_inputs
    from optimiser.inputs.scenario import Scenario
    from optimiser.workflows.runner import scenario_data

    data = scenario_data(load_scenario(REPO / "models" / "factory-reuse"))
    costs, drinking = {}, {}
    for reuse in (False, True):
        data["water"]["toilet_reuse"] = reuse
        scenario = Scenario.model_validate(data)
        inputs = build_inputs(scenario)
        homes = scenario.demand.households
        costs[reuse] = [consumer_alone_eur(scenario, inputs, g) for g in homes]
        first = inputs["drinking_water_demand_m3_per_h"].sel(consumer=homes[0].name)
        drinking[reuse] = float(first.sum())
    # the inputs do leave the flush water out of the homes' drinking water ...
    assert drinking[True] == pytest.approx(drinking[False] * (1 - 30.2 / 128.1), rel=1e-9)
    # ... and the stand-alone bill puts it back
    assert costs[True] == pytest.approx(costs[False], rel=1e-12)


def test_allocate_model_writes_tariff_and_coalitions(tmp_path):
    model = three_party_model(tmp_path)
    out = tmp_path / "out"
    cache = tmp_path / "cache"
    result = CliRunner().invoke(
        app, ["allocate", str(model), "--out", str(out), "--cache", str(cache)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".wijk-set.json",
        "allocation.csv",
        "allocation.json",
        "cash_flows.csv",
        "coalitions.csv",
        "tariff.csv",
    ]  # fmt: skip  (the marker names the set, see optimiser.files)
    allocation = json.loads((out / "allocation.json").read_text())
    tariff = allocation["tariff"]
    assert tariff["niet_meer_dan_nu"] == (tariff["factor_of_cap"] <= tariff["largest_nmdn_factor"])
    rows = (out / "tariff.csv").read_text().splitlines()
    assert len(rows) == 1 + 7  # header and seven consumer types
    # the tariff's revenue makes the cooperative's cash flows break even
    assert allocation["cooperative"]["npv_eur"] == pytest.approx(0.0, abs=1.0)
    assert "municipality" in allocation["asset_owners"]
    # the report's allocation figures draw from these files
    nmdn = fig_nmdn(pd.read_csv(out / "tariff.csv"))
    assert [len(trace.x) for trace in nmdn.data] == [5, 5, 5]  # five household types
    assert "EUR/year" in nmdn.layout.yaxis.title.text
    cash = fig_cash_flows(pd.read_csv(out / "cash_flows.csv"))
    assert len(cash.data[0].x) == 41  # years 0..40 of the network's life
    bars = fig_allocation(allocation)
    assert len(bars.data) == 1 + len(allocation["rules"])


BAD_PARTIES = {
    "party without demand or asset": (
        lambda d: d["parties"].append({"name": "idle"}),
        "party 'idle' has no stake",
    ),
    "shares not summing to one": (
        lambda d: [p.update(share=0.3) for p in d["parties"]],
        "party shares sum to 0.9; they must sum to 1",
    ),
    "loan longer than the asset life": (
        lambda d: d["parties"][1].update(loans=[{"amount_eur": 1e6, "rate": 0.03, "years": 40}]),
        "a 40-year loan outlives the assets it finances (25 years)",
    ),
    "unknown demand": (
        lambda d: d["parties"][2]["demands"].append("bakery"),
        "unknown demand 'bakery'",
    ),
}


@pytest.mark.parametrize("case", BAD_PARTIES, ids=list(BAD_PARTIES))
def test_bad_parties_are_named(tmp_path, case):
    change, message = BAD_PARTIES[case]
    path = three_party_model(tmp_path, change)
    with pytest.raises(ScenarioError, match=r"part(y|ies)|demand"):
        load_scenario(path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_any_executor_runs_the_coalitions(tmp_path):
    """A user's executor (here a counting thread pool) runs every coalition solve (the
    pool's warm-up, one import per worker, is not a solve)."""
    from concurrent.futures import ThreadPoolExecutor

    from optimiser.workflows.runner import solve_scenario

    class Counting(ThreadPoolExecutor):
        submitted = 0

        def submit(self, fn, *args, **kwargs):
            Counting.submitted += fn is solve_scenario
            return super().submit(fn, *args, **kwargs)

    def two_parties(data):
        data["parties"] = [
            {"name": "residents", "demands": HOMES},
            {"name": "others", "demands": ["school", "shops"], "assets": ["pv"]},
        ]

    scenario = load_scenario(three_party_model(tmp_path, two_parties))
    with Counting(max_workers=1) as pool:
        _, coalitions = cost_game(scenario, executor=pool)
    assert Counting.submitted == 3
    assert all(np.isfinite(c.cost_eur) for c in coalitions)


def test_a_coalitions_check_from_the_grand_basis_costs_the_same(tmp_path):
    """A coalition's full-year check is an LP with the grand coalition's rows and columns
    (the same technologies; other demands and sizes), so the cost game starts it from the
    grand coalition's optimal basis. The start changes only the simplex iterations: the
    LP's optimum, hence the coalition's cost, is the one a cold start reaches (to 1e-7)."""
    from optimiser.model.timeseries import Aggregation
    from optimiser.model.warm_basis import WarmBasis
    from optimiser.workflows.coalitions import coalition_scenario
    from optimiser.workflows.run import optimise
    from optimiser.workflows.runner import SINGLE_THREAD

    grand = load_scenario(three_party_model(tmp_path))
    coalition = coalition_scenario(grand, {"residents", "municipality"})

    def run(scenario, basis):
        _, summary = optimise(
            scenario, SINGLE_THREAD, aggregation=Aggregation(4), check_basis=basis
        )
        return summary["total_cost_eur_per_year"]

    found = WarmBasis()
    run(grand, found)
    assert found.found and not found.used
    cold = run(coalition, None)
    warm = WarmBasis(given=found.found)
    assert run(coalition, warm) == pytest.approx(cold, rel=1e-7)
    assert warm.used


def test_a_design_made_ahead_is_checked_to_the_same_outcome(tmp_path):
    """The cost game designs a coalition in one task (while the basis its check starts
    from is solved) and checks it in another: the outcome is the one solve of both gives,
    with the same design figures in the results."""
    from optimiser.model.timeseries import Aggregation
    from optimiser.workflows.runner import SINGLE_THREAD, design_scenario, solve_scenario

    scenario = load_scenario(three_party_model(tmp_path))
    text, days = json.dumps(scenario_data(scenario)), Aggregation(4)
    ahead = design_scenario(text, days, SINGLE_THREAD)
    assert ahead["ok"] and ahead["cpu_seconds"] > 0
    assert ahead["design"].attrs["design_typical_days"] == 5  # and the peak day
    both = solve_scenario(text, days, SINGLE_THREAD)
    checked = solve_scenario(text, days, SINGLE_THREAD, design=ahead["design"])
    assert checked["total_cost_eur"] == pytest.approx(both["total_cost_eur"], rel=1e-9)
    assert checked["sizes"] == pytest.approx(both["sizes"], rel=1e-9)
    assert checked["cpu_seconds"] < both["cpu_seconds"]


def test_a_design_that_cannot_be_made_ahead_fails_as_its_solve_would(tmp_path):
    """A design problem without a design (here heat pumps and boiler too small for the
    peak) fails ahead with the message and the ``final`` mark its solve gives."""
    from optimiser.model.timeseries import Aggregation
    from optimiser.workflows.runner import SINGLE_THREAD, design_scenario, solve_scenario

    def too_small(data):
        data["technologies"]["heat_pump"]["max_modules"] = 1
        data["technologies"]["backup_boiler"]["max_kw"] = 100

    scenario = load_scenario(three_party_model(tmp_path, too_small))
    text, days = json.dumps(scenario_data(scenario)), Aggregation(4)
    ahead = design_scenario(text, days, SINGLE_THREAD)
    solved = solve_scenario(text, days, SINGLE_THREAD)
    assert not ahead["ok"] and ahead["final"] and ahead["error"] == solved["error"]

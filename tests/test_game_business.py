"""The game over the whole business: support in c(S) by hand, stakes in the schema,
constraint generation on a real 5-party solve, and a second run that solves nothing."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_parties import HOMES, REPO, three_party_model
from typer.testing import CliRunner

from optimiser.annuity import annuity_factor
from optimiser.cli import app
from optimiser.economics.allocation.cost import support
from optimiser.economics.allocation.game import NO_CONSUMER_GROUP, CoalitionCost, Game
from optimiser.economics.allocation.rules import nucleolus, shapley
from optimiser.inputs.parties import Party
from optimiser.inputs.scenario import ScenarioError, load_scenario
from optimiser.workflows.allocation import allocate_model

PLAYERS = ("homes", "shops", "municipality")


def hand_game(subsidy_per_year: float) -> Game:
    """The worked example of optimiser.economics.allocation.cost: homes alone 100,
    shops 50, municipality 0 (k EUR/year); the cooperative of the homes costs 90, of
    the shops 55, of both 130; the municipality brings ``subsidy_per_year``."""
    cooperative = {("homes",): 90.0, ("shops",): 55.0, ("homes", "shops"): 130.0}
    alone = {"homes": 100.0, "shops": 50.0, "municipality": 0.0}
    costs = {}
    for mask in range(1, 8):
        members = tuple(p for i, p in enumerate(PLAYERS) if mask >> i & 1)
        demand = tuple(p for p in members if p != "municipality")
        given = subsidy_per_year if "municipality" in members else 0.0
        c = CoalitionCost(
            members, cooperative.get(demand, float("inf")), sum(alone[m] for m in members),
            cached=False, support_eur=given,
        )  # fmt: skip
        costs[frozenset(members)] = c.cost_eur
    return Game.from_costs(PLAYERS, costs)


def test_a_subsidy_changes_the_allocation_as_by_hand():
    """Without support c = (h 90, s 50, m 0, hs 130, hm 90, sm 50, hsm 130): the
    municipality adds nothing and gets 0; Shapley: homes 1/3 90 + 1/6 (130-50) + 1/6 90
    + 1/3 (130-50) = 85, shops 45. With 50.5 k/year: c(hm) = 39.5, c(sm) = 4.5,
    c(hsm) = 79.5. Homes: 1/3 90 + 1/6 80 + 1/6 39.5 + 1/3 75 = 74.92; shops:
    1/3 50 + 1/6 40 + 1/6 4.5 + 1/3 40 = 37.42; municipality: 1/3 0 + 1/6 (39.5-90)
    + 1/6 (4.5-50) + 1/3 (79.5-130) = -32.83."""
    np.testing.assert_allclose(shapley(hand_game(0.0)), [85.0, 45.0, 0.0])
    x = shapley(hand_game(50.5))
    np.testing.assert_allclose(
        x,
        [90 / 3 + 80 / 6 + 39.5 / 6 + 75 / 3, 50 / 3 + 40 / 6 + 4.5 / 6 + 40 / 3,
         -50.5 / 6 - 45.5 / 6 - 50.5 / 3],
    )  # fmt: skip
    assert x.sum() == pytest.approx(79.5)
    assert x[2] == pytest.approx(-32.8333, abs=1e-3)


def test_support_by_hand():
    """EUR 1 M subsidy at 4 % over a 40-year network: 1e6 x 0.050523 = 50,523/year.
    A EUR 1 M 30-year loan at 3 % against a 5 % market: payments 65,051 vs 51,019 a
    year, 14,032 saved for 30 years; present value at 4 % is 14,032 / 0.057830 =
    242,647, over 40 years 242,647 x 0.050523 = 12,259/year."""
    scenario = load_scenario()
    scenario = scenario.model_copy(
        update={"finance": scenario.finance.model_copy(update={"discount_rate": 0.04})}
    )
    party = Party(
        name="municipality",
        subsidy_eur=1e6,
        market_rate=0.05,
        loans=[{"amount_eur": 1e6, "rate": 0.03, "years": 30}],
    )
    given = support(scenario, party)
    life = scenario.network.lifetime_years
    assert given.subsidy_eur_per_year == pytest.approx(1e6 * annuity_factor(0.04, life))
    saved = 1e6 * (annuity_factor(0.05, 30) - annuity_factor(0.03, 30))
    assert saved == pytest.approx(14_032, abs=1)
    assert given.loan_advantage_eur_per_year == pytest.approx(
        saved / annuity_factor(0.04, 30) * annuity_factor(0.04, life)
    )


BAD_STAKES = {
    "share without a stake": (
        lambda d: d["parties"].append({"name": "friends", "share": 0.0}),
        "has no stake",
    ),
    "share but no stake": (
        lambda d: (
            [p.update(share=0.25) for p in d["parties"]]
            + [d["parties"].append({"name": "friends", "share": 0.25})]
        ),
        "party 'friends' has a share but no stake",
    ),
    "negative member weight": (
        lambda d: d["parties"][0].update(members=-3),
        "parties.0.members",
    ),
    "reserved stake owning a demand": (
        lambda d: d["parties"][2].update(reserved_stake=True, share=0.1),
        "party 'shops' is a reserved stake and owns 'shops'",
    ),
    "public share below the minimum": (
        lambda d: (
            [p.update(share=s) for p, s in zip(d["parties"], [0.6, 0.3, 0.1], strict=True)],
            d["parties"][1].update(public=True),
            d.update(min_public_share=0.5),
        ),
        "public parties hold 30.0% of the shares, below min_public_share 50.0%",
    ),
}


def test_a_partys_grants_count_at_their_present_value():
    """A grant of 2 x 1,040,000 in years 1 and 2 at 4 % is worth 1,000,000 + 961,538 =
    1,961,538 in year 0; a pre-financing grant of 1,081,600 in year 2, repaid in one
    instalment in year 3, is worth 1,000,000 - 961,538 = 38,462 (the interest saved).
    Both count as subsidy over the network's 40 years, like ``subsidy_eur``."""
    scenario = load_scenario()
    scenario = scenario.model_copy(
        update={"finance": scenario.finance.model_copy(update={"discount_rate": 0.04})}
    )
    tranches = [{"year": 1, "amount_eur": 1_040_000}, {"year": 2, "amount_eur": 1_040_000}]
    advance = {
        "name": "advance",
        "tranches": [{"year": 2, "amount_eur": 1_081_600}],
        "repay": {"start_year": 3, "years": 1},
    }
    party = Party(name="municipality", grants=[{"name": "fund", "tranches": tranches}, advance])
    life = scenario.network.lifetime_years
    worth = 1_961_538.46 + 38_461.54
    assert support(scenario, party).subsidy_eur_per_year == pytest.approx(
        worth * annuity_factor(0.04, life), rel=1e-6
    )


@pytest.mark.parametrize("case", BAD_STAKES, ids=list(BAD_STAKES))
def test_bad_stakes_are_one_line(tmp_path, case):
    change, message = BAD_STAKES[case]
    path = three_party_model(tmp_path, change)
    with pytest.raises(ScenarioError):
        load_scenario(path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not any("Traceback" in line for line in result.stderr.splitlines())


def test_members_and_stakes_are_expressible(tmp_path):
    """Tenants, owner-occupiers, a housing corporation owning the tenants' boilers, a
    public body and future generations with a share and no demand."""

    def members(data):
        data["parties"] = [
            {"name": "tenants", "kind": "tenants", "demands": HOMES[:2], "members": 120,
             "share": 0.2},
            {"name": "owners", "kind": "owner_occupiers", "demands": HOMES[2:], "members": 80,
             "share": 0.2},
            {"name": "corporation", "kind": "landlord", "boilers": HOMES[:2], "share": 0.05},
            {"name": "municipality", "kind": "public", "public": True, "demands": ["school"],
             "assets": ["pv"], "share": 0.5},
            {"name": "shops", "kind": "businesses", "demands": ["shops"], "share": 0.0},
            {"name": "future", "kind": "reserved", "reserved_stake": True, "share": 0.05},
        ]  # fmt: skip
        data["min_public_share"] = 0.5

    scenario = load_scenario(three_party_model(tmp_path, members))
    assert [p.reserved_stake for p in scenario.parties][-1]


def five_parties(data):
    """Residents, the school and a corner shop bring demand; an energy company owns the
    PV; the municipality subsidises and lends (support only). One shop, not the
    model's ten: a member much smaller than the others, as in most neighbourhoods."""
    for business in data["demand"]["businesses"]:
        if business["name"] == "shops":
            business.update(count=1, connections=1, home_equivalents=2)
    data["parties"] = [
        {"name": "residents", "demands": HOMES},
        {"name": "school", "demands": ["school"]},
        {"name": "shops", "demands": ["shops"]},
        {"name": "energy_company", "assets": ["pv"]},
        {"name": "municipality", "subsidy_eur": 500000,
         "loans": [{"amount_eur": 1000000, "rate": 0.01, "years": 20}]},
    ]  # fmt: skip


HORIZON = (100, 7)  # a week in April: a quick game (the cooperative saves), not a design


@pytest.fixture(scope="module")
def five_party_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("five")
    scenario = load_scenario(three_party_model(folder, five_parties))
    cache = folder / "cache"
    full = allocate_model(scenario, cache_dir=cache, horizon=HORIZON)
    again = allocate_model(scenario, cache_dir=cache, horizon=HORIZON)
    generated = allocate_model(  # its own cache: what it solves is what the LPs ask for
        scenario, cache_dir=folder / "generated", horizon=HORIZON, generated=True, batch=1
    )
    return full, again, generated


def test_generated_nucleolus_equals_full_on_a_real_game(five_party_runs):
    (full, coalitions, solver), _, (generated, _, generating) = five_party_runs
    assert len(coalitions) == 31
    # 7 demand subsets x with or without the PV; the municipality's support and
    # coalitions without demand need no solve
    assert solver.solved == 14
    game = Game(
        tuple(full["players"]),
        np.r_[0.0, [c.cost_eur for c in coalitions]],
    )
    np.testing.assert_allclose(
        list(generated["rules"]["nucleolus"].values()), nucleolus(game), rtol=1e-6, atol=1e-3
    )
    assert generated["least_core_epsilon"] == pytest.approx(full["least_core_epsilon"], abs=1e-3)
    # what the LPs need on this game: 12 of its 14 problems. Among the level LPs' many
    # optima one lies clear of what the monotone bound allows two problems: the
    # residents with the shop without the PV (c >= c(residents, shop, PV)), and the
    # school with the shop and the PV (c >= c(school, PV)), each in two coalitions
    # (with or without the municipality). Taking the LP's first vertex instead needed
    # 13 or 14, depending on which vertex HiGHS returned. Coalitions that share a needed
    # problem are priced with it, without a solve.
    assert len(generating.outcomes) == generating.solved == 12
    left_out = map(json.loads, set(solver.outcomes) - set(generating.outcomes))
    pruned = {problem["name"]: problem["technologies"] for problem in left_out}
    residents_and_shop = "default[apartment+corner+detached+mid_terrace+semi_detached+shops]"
    assert set(pruned) == {"default[school+shops]", residents_and_shop}
    assert "pv" in pruned["default[school+shops]"]
    assert "pv" not in pruned[residents_and_shop]
    assert len(generating.costs) == 27  # their four coalitions are never priced


def test_second_run_solves_nothing(five_party_runs):
    (full, _, _), (again, coalitions, solver), _ = five_party_runs
    assert solver.solved == 0
    assert all(c.cached for c in coalitions if c.outcome.get("ok") is not None and
               c.outcome.get("error") != NO_CONSUMER_GROUP)  # fmt: skip
    assert again["rules"] == full["rules"]


def test_per_party_figures(five_party_runs):
    (full, _, _), _, _ = five_party_runs
    municipality = full["parties"]["municipality"]
    assert municipality["stand_alone"] == 0.0
    assert municipality["subsidy_eur_per_year"] > 0
    assert municipality["loan_advantage_eur_per_year"] > 0
    for rule, x in municipality["allocated"].items():
        assert municipality["net_of_support"][rule] == pytest.approx(
            x + municipality["subsidy_eur_per_year"] + municipality["loan_advantage_eur_per_year"]
        )


def test_coalitions_without_a_design_are_named_in_the_notes_and_the_csv(tmp_path):
    """A coalition whose cooperative has no design keeps its members' alternatives;
    the allocation says how many, why, and which (a coalition that serves no demand
    has nothing to design and is not counted)."""
    from optimiser.economics.allocation.allocate import coalition_writer
    from optimiser.workflows.allocation import _without_design

    reason = "technologies: heat_pump needs source_heat"
    failed = {"ok": False, "error": reason, "final": True}
    coalitions = [
        CoalitionCost(("a",), float("inf"), 10.0, False, outcome=failed),
        CoalitionCost(("a", "b"), float("inf"), 25.0, False, outcome=failed),
        CoalitionCost(("c",), float("inf"), 0.0, False, outcome={"ok": False,
                      "error": NO_CONSUMER_GROUP}),
        CoalitionCost(("a", "b", "c"), 20.0, 25.0, False, outcome={"ok": True}),
    ]  # fmt: skip
    assert _without_design(coalitions) == [
        f"2 of 4 coalitions have no design and keep their members' alternatives ({reason}), e.g. a"
    ]
    assert [c.cost_eur for c in coalitions[:2]] == [10.0, 25.0]
    coalition_writer(coalitions)(tmp_path / "coalitions.csv")
    rows = (tmp_path / "coalitions.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].endswith(",no_design")
    assert rows[1].endswith(reason) and rows[3].endswith(",") and rows[4].endswith(",")


def test_the_game_on_a_dask_cluster_streams_to_the_same_allocation(five_party_runs, tmp_path):
    """Design problems stream to dask's futures as to a local pool's: every problem
    solved once, the same costs and rules, by constraint generation too."""
    from distributed import LocalCluster

    from optimiser.workflows.runner import executor

    (full, coalitions, _), _, _ = five_party_runs
    scenario = load_scenario(three_party_model(tmp_path, five_parties))
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        executor(cluster.scheduler_address) as pool,
    ):
        remote, remote_coalitions, solver = allocate_model(
            scenario, executor=pool, cache_dir=tmp_path / "cache", horizon=HORIZON
        )
        generated, _, generating = allocate_model(
            scenario, executor=pool, cache_dir=tmp_path / "cache2", horizon=HORIZON,
            generated=True, batch=2,
        )  # fmt: skip
    # on two workers the order of the outcomes may decide what the bound prunes (12 of 14
    # in one slot, see above; a problem submitted while another is in flight may be one
    # the other's cost would have pruned)
    assert solver.solved == 14 and 12 <= generating.solved < 14
    np.testing.assert_allclose(
        [c.cost_eur for c in remote_coalitions], [c.cost_eur for c in coalitions], rtol=1e-9
    )
    for rule, shares in full["rules"].items():
        assert remote["rules"][rule] == pytest.approx(shares, rel=1e-9, abs=1e-6)
    assert generated["rules"]["nucleolus"] == pytest.approx(
        full["rules"]["nucleolus"], rel=1e-6, abs=1e-3
    )


def test_a_coalition_without_the_sources_owner_builds_an_air_source_heat_pump():
    """Without the water board (TEO) nothing feeds the loop: the coalition's heat pump
    takes outdoor air at the air-source capex, and the ATES, which nothing charges, is
    left out. With the water board the model's loop design stands. On ten-parties the
    municipality owns the ATES: without the water board it changes nothing."""
    from optimiser.economics.allocation.members import party_roles
    from optimiser.model.system import loop_without_source
    from optimiser.workflows.coalitions import coalition_scenario

    kwg = load_scenario(REPO / "models/ketelhuis-wg")
    grand_pump = kwg.technologies.heat_pump
    alone = coalition_scenario(kwg, {"owners"})
    pump = alone.technologies.heat_pump
    assert (pump.source, pump.cop_table) == ("air", None)
    assert pump.capex_eur_per_kw == grand_pump.air_source_capex_eur_per_kw
    assert pump.capex_eur_per_kw > grand_pump.capex_eur_per_kw  # DEA: 1,046 against 942
    assert alone.technologies.ates is None and alone.technologies.teo is None
    assert not loop_without_source(alone) and loop_without_source(
        kwg.model_copy(update={"technologies": kwg.technologies.model_copy(update={"teo": None})})
    )
    # so the water board's joining may raise c(S): no monotone bound for it
    roles = dict(zip([p.name for p in kwg.parties], party_roles(kwg), strict=True))
    assert roles["water_board"] == "mixed"
    with_board = coalition_scenario(kwg, {"owners", "water_board"})
    assert with_board.technologies.heat_pump == grand_pump
    assert with_board.technologies.teo is not None and with_board.technologies.ates is not None

    ten = load_scenario(REPO / "models/ten-parties")
    terraced = coalition_scenario(ten, {"owners_terraced"})
    assert terraced.technologies.heat_pump.source == "air"
    assert coalition_scenario(ten, {"owners_terraced", "municipality"}) == terraced
    assert coalition_scenario(ten, {"owners_terraced", "water_board"}).technologies.ates is None
    assert coalition_scenario(
        ten, {"owners_terraced", "water_board"}
    ).technologies.heat_pump.source == ("loop")


@pytest.mark.parametrize(("loop", "air", "says"), [
    (3_222_299.0, 3_059_617.0, "cost EUR 162,682/year more than air-source heat pumps"),
    (3_000_000.0, 3_059_617.0, "save EUR 59,617/year of system cost against air-source"),
])  # fmt: skip
def test_the_allocation_says_what_the_loops_source_is_worth_against_air(loop, air, says):
    """ketelhuis-wg's grand coalition (heat pumps on the TEO's loop) against the same
    demands without the water board (air-source heat pumps); the costs are given."""
    from optimiser.workflows.allocation import source_against_air, source_note
    from optimiser.workflows.coalitions import coalition_scenario

    kwg = load_scenario(REPO / "models/ketelhuis-wg")
    players = tuple(p.name for p in kwg.parties)

    class Solver:
        scenario = kwg

        def members(self, mask: int) -> tuple[str, ...]:
            return tuple(sorted(p for i, p in enumerate(players) if mask >> i & 1))

        def problem(self, mask: int):
            return "key", coalition_scenario(kwg, set(self.members(mask)))

    board = 1 << players.index("water_board")
    grand = (1 << len(players)) - 1
    solver = Solver()
    solver.players = players
    solver.costs = {
        m: CoalitionCost((), c, 0.0, False) for m, c in ((grand, loop), (grand - board, air))
    }
    entry = source_against_air(solver)
    assert entry == {"owners": ["water_board"], "loop_eur_per_year": loop, "air_eur_per_year": air}
    note = source_note(entry)
    assert says in note and note.endswith("water_board" if loop > air else "without water_board)")
    solver.costs.pop(grand - board)
    assert source_against_air(solver) is None  # not known: nothing said


def test_a_grant_per_connection_counts_by_the_connections_served(five_party_runs, tmp_path):
    """The five-party game again with a EUR 1 M WIS-like grant per connection from the
    municipality (year 0): every coalition with the municipality gets 1 M x the share
    of the model's connections its cooperative serves, as a 40-year annuity at the
    discount rate; the design problems are the same, so nothing is solved again. The
    parties that bring demand bring a share of the grant too: their role is mixed."""
    from optimiser.economics.allocation.members import party_roles
    from optimiser.workflows.coalitions import coalition_scenario

    (_, before, solver), _, _ = five_party_runs

    def wis(data: dict) -> None:
        five_parties(data)
        grant = {"name": "WIS", "per_connection": True,
                 "tranches": [{"year": 0, "amount_eur": 1_000_000}]}  # fmt: skip
        data["parties"][-1]["grants"] = [grant]

    scenario = load_scenario(three_party_model(tmp_path, wis))
    assert party_roles(scenario) == ["mixed", "mixed", "mixed", "resource", "resource"]
    _, after, again = allocate_model(scenario, cache_dir=solver.queue.cache_dir, horizon=HORIZON)
    assert again.solved == 0
    per_year = 1e6 * annuity_factor(scenario.finance.discount_rate, scenario.network.lifetime_years)
    for old, new in zip(before, after, strict=True):
        served = coalition_scenario(scenario, set(new.members))
        share = 0.0 if served is None else served.demand.connections / scenario.demand.connections
        grant = per_year * share if "municipality" in new.members else 0.0
        assert new.support_eur == pytest.approx(old.support_eur + grant)
        assert new.cost_eur == pytest.approx(
            min(new.cooperative_eur - new.support_eur, new.stand_alone_eur)
        )
    assert 0 < share < 1 or share == 1.0  # the last one is the grand coalition

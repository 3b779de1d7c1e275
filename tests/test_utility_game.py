"""The public water utilities in the cost game: a 3-party hand game from given per-role
accounts, one real short solve whose outcome carries the accounts c(S) uses, and bad
input (see optimiser.economics.allocation.cost for the definition of c(S))."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from cases import NO_NETWORK_COSTS
from typer.testing import CliRunner

from optimiser.cli import app
from optimiser.economics.allocation.game import CoalitionCost, Game
from optimiser.economics.allocation.members import party_roles
from optimiser.economics.allocation.rules import shapley
from optimiser.economics.allocation.utilities import members_gain_eur, utility_entries
from optimiser.inputs.scenario import load_scenario
from optimiser.workflows.allocation import allocate_model

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "models" / "new-sanitation" / "wijk.yaml"
PLAYERS = ("residents", "water_board", "municipality")
ROLES = {"water_board": "water_board", "municipality": "municipality"}


def accounts(transferred_share: float) -> dict:
    """The residents' cooperative's per-role accounts (k EUR/year): the water board's
    plant keeps units worth 23.5 of avoided treatment, 3.5 of them in reused grey water
    (already credited in C at the sewer price); ``transferred_share`` of a 300 treatment
    levy and of a 240 sewer levy go to the cooperative; the drinking-water company loses
    a margin of 5 on the water local treatment supplies."""
    return {
        "water_board": {
            "avoided_treatment_eur": 23.5,
            "avoided_treatment_grey_water_eur": 3.5,
            "treatment_levy_transferred_eur": -300.0 * transferred_share,
        },
        "municipality": {"sewer_levy_transferred_eur": -240.0 * transferred_share},
        "drinking_water_company": {"net_change_treated_water_eur": -5.0},
    }


def hand_game(roles: dict[str, str], transferred_share: float = 0.5) -> Game:
    """Residents alone 100, the utilities 0; the residents' cooperative costs 90 in every
    coalition with them (the utilities own nothing); no cooperative without them."""
    alone = {"residents": 100.0, "water_board": 0.0, "municipality": 0.0}
    costs = {}
    for mask in range(1, 8):
        members = tuple(p for i, p in enumerate(PLAYERS) if mask >> i & 1)
        served = "residents" in members
        gain = members_gain_eur(members, roles, accounts(transferred_share)) if served else 0.0
        c = CoalitionCost(
            members, 90.0 if served else float("inf"), sum(alone[m] for m in members),
            cached=False, utility_eur=gain,
        )  # fmt: skip
        costs[frozenset(members)] = c.cost_eur
    return Game.from_costs(PLAYERS, costs)


def test_utility_gains_count_only_with_the_utility_in_the_coalition():
    """The water board's gain is 23.5 - 3.5 = 20: c(r) = 90, c(r, wb) = 70, c(r, m) = 90
    (the municipality has no avoided cost; its transfer is inside S), c(all) = 70,
    c(wb) = c(m) = c(wb, m) = 0 (no demand). Without the roles every coalition with the
    residents costs 90."""
    game = hand_game(ROLES)
    expected = {("residents",): 90, ("water_board",): 0, ("municipality",): 0,
                ("residents", "water_board"): 70, ("residents", "municipality"): 90,
                ("water_board", "municipality"): 0, PLAYERS: 70}  # fmt: skip
    for members, cost in expected.items():
        assert game.cost[game.mask(members)] == pytest.approx(cost), members
    no_roles = hand_game({})
    assert no_roles.cost[no_roles.mask(PLAYERS)] == pytest.approx(90)
    # a member drinking-water company's lost margin on reused water is a loss of S
    gain = members_gain_eur(("residents", "dwc"), {"dwc": "drinking_water_company"}, accounts(0))
    assert gain == pytest.approx(-5.0)


def test_levy_transfers_cancel_inside_the_coalition():
    """Transferring nothing, half or all of both levies leaves every c(S) as it is."""
    for share in (0.0, 1.0):
        np.testing.assert_allclose(hand_game(ROLES, share).cost, hand_game(ROLES, 0.5).cost)


def test_shapley_moves_the_avoided_cost_to_the_water_board_as_by_hand():
    """Six join orders. Residents: first (2 orders) 90, after the water board 70 - 0,
    after the municipality 90 - 0, last (2) 70 - 0: (180 + 70 + 90 + 140) / 6 = 80.
    Water board: first (2) 0, after the residents 70 - 90 = -20, after the municipality
    0, last (2) 70 - 90: (-20 - 40) / 6 = -10. Municipality: a null player, 0. Without
    the roles the residents bear 90 and both utilities 0. Per party: the water board
    gains 20, transfers 150 and settles -10 + 20 = 10 with the cooperative (its transfer
    counts towards that); the municipality transfers 120 and settles 0."""
    np.testing.assert_allclose(shapley(hand_game({})), [90.0, 0.0, 0.0], atol=1e-9)
    x = shapley(hand_game(ROLES))
    np.testing.assert_allclose(x, [80.0, -10.0, 0.0], atol=1e-9)
    entries = utility_entries(ROLES, accounts(0.5), {"shapley": dict(zip(PLAYERS, x, strict=True))})
    board, municipality = entries["water_board"], entries["municipality"]
    assert board["utility_gain_eur_per_year"] == pytest.approx(20.0)
    assert board["levy_transferred_eur_per_year"] == pytest.approx(150.0)
    assert board["settled_with_cooperative"]["shapley"] == pytest.approx(10.0)
    assert municipality["utility_gain_eur_per_year"] == 0.0
    assert municipality["levy_transferred_eur_per_year"] == pytest.approx(120.0)
    assert municipality["settled_with_cooperative"]["shapley"] == pytest.approx(0.0)


def sanitation_model(folder: Path, change=None) -> Path:
    """models/new-sanitation with the network's cost lines off (so that cooperating can
    pay, as in tests/test_parties.py) and a municipality that transfers its sewer levy."""
    data = yaml.safe_load(MODEL.read_text())
    data["network"]["costs"] = dict(NO_NETWORK_COSTS)
    data["parties"] = [
        {"name": "residents", "demands": ["apartment", "terraced"]},
        {"name": "water_board", "assets": ["teo"], "heat_fee_eur_per_gj": 6.0,
         "utility": "water_board"},
        {"name": "municipality", "utility": "municipality"},
    ]  # fmt: skip
    if change is not None:
        change(data)
    path = folder / "wijk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


DISCOUNT = 0.04  # models/new-sanitation's discount rate


def test_roles_follow_the_value_of_what_a_party_brings(tmp_path):
    """Constraint generation's bound needs each party's sign: a funder with grants only
    lowers every c(S) it joins (resource), one whose "soft" loan is dearer than the
    market (8 % against the 4 % discount rate: a negative advantage) raises it (demand),
    and a loan at the market rate changes nothing (resource: never raises c)."""

    def funders(data: dict) -> None:
        grant = {"name": "PAW", "tranches": [{"year": 0, "amount_eur": 1e6}]}
        data["parties"] += [
            {"name": "province", "grants": [grant]},
            {"name": "dear_bank", "loans": [{"amount_eur": 1e6, "rate": 0.08, "years": 20}]},
            {"name": "fair_bank", "loans": [{"amount_eur": 1e6, "rate": DISCOUNT, "years": 20}]},
        ]  # fmt: skip

    scenario = load_scenario(sanitation_model(tmp_path, funders))
    assert scenario.finance.discount_rate == DISCOUNT
    roles = dict(zip((p.name for p in scenario.parties), party_roles(scenario), strict=True))
    assert roles["province"] == "resource"
    assert roles["dear_bank"] == "demand"
    assert roles["fair_bank"] == "resource"


def test_a_real_solve_carries_the_accounts_and_c_uses_them(tmp_path):
    """A week in April (horizon). The grand coalition's outcome carries the per-role
    accounts; the water board's gain is its avoided treatment (units kept local x EUR
    23.5) less the grey water's part; c(S) = min(C - U, A) with U that gain in every
    coalition with the water board and the residents, 0 without it; the levy transfers
    are reported per party, not counted."""
    scenario = load_scenario(sanitation_model(tmp_path))
    # the water board owns the TEO, the loop's only source: without it the heat pump
    # takes air, which may cost less, so its joining may raise c (mixed)
    assert party_roles(scenario) == ["demand", "mixed", "resource"]
    result, coalitions, solver = allocate_model(
        scenario, cache_dir=tmp_path / "c", horizon=(100, 7)
    )
    assert solver.solved == 2  # residents with and without the TEO; the rest share them
    by_members = {c.members: c for c in coalitions}
    grand = by_members[("municipality", "residents", "water_board")]
    board = grand.outcome["water_accounting"]["water_board"]
    assert board["avoided_treatment_eur"] == pytest.approx(
        23.5 * board["pollution_units_avoided"], rel=1e-9
    )
    gain = board["avoided_treatment_eur"] - board["avoided_treatment_grey_water_eur"]
    assert gain > 10_000  # ~1,700 units kept local by the digester and recovery
    for members, c in by_members.items():
        # the coalitions with the residents and the water board share the grand
        # coalition's solve (the municipality changes no design); without the water
        # board its avoided treatment is not the coalition's
        expected = gain if {"residents", "water_board"} <= set(members) else 0.0
        assert c.utility_eur == pytest.approx(expected)
        assert c.cost_eur == pytest.approx(
            min(c.cooperative_eur - c.support_eur - c.utility_eur, c.stand_alone_eur)
        )
    assert grand.cost_eur == pytest.approx(grand.cooperative_eur - gain)  # it pays to join
    row = result["parties"]["water_board"]
    assert row["utility"] == "water_board"
    assert row["utility_gain_eur_per_year"] == pytest.approx(gain)
    assert row["levy_transferred_eur_per_year"] == pytest.approx(
        -board["treatment_levy_transferred_eur"]
    )
    levy = 1_200 * 201.0 * 0.5  # homes x sewer levy x share transferred
    assert result["parties"]["municipality"]["levy_transferred_eur_per_year"] == pytest.approx(levy)
    for rule, x in result["rules"].items():
        assert row["settled_with_cooperative"][rule] == pytest.approx(x["water_board"] + gain)
    # Shapley: the municipality is a null player; the water board's marginal cost is
    # -gain in the 3 of 6 join orders that come after the residents', 0 before
    shapley_x = result["rules"]["shapley"]
    assert shapley_x["municipality"] == pytest.approx(0.0, abs=1e-6)
    c_r = by_members[("residents",)].cost_eur
    c_rw = by_members[("residents", "water_board")].cost_eur
    assert shapley_x["water_board"] == pytest.approx((c_rw - c_r) / 2, rel=1e-9)


def one_line_error(tmp_path: Path, change, pattern: str) -> None:
    """``wijk validate`` on the changed model: exit 2, one line naming the problem."""
    path = sanitation_model(tmp_path, change)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and pattern in lines[0], lines[0]


def test_two_parties_with_one_utility_role_is_an_error(tmp_path):
    def change(data):
        data["parties"][2]["utility"] = "water_board"

    one_line_error(tmp_path, change, "'water_board' and 'municipality' are both the water_board")


def test_a_reserved_stake_that_is_a_utility_is_an_error(tmp_path):
    def change(data):
        data["parties"][2].update({"reserved_stake": True, "share": 0.1})
        data["parties"][0]["share"] = 0.8
        data["parties"][1]["share"] = 0.1

    one_line_error(tmp_path, change, "is a reserved stake and the municipality")


def test_an_unknown_utility_role_is_an_error(tmp_path):
    def change(data):
        data["parties"][2]["utility"] = "gas_company"

    one_line_error(tmp_path, change, "parties.2.utility")

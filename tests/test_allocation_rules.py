"""Allocation rules against published values of textbook games; efficiency; the core."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from optimiser.economics.allocation.game import Game, core_check, load_game
from optimiser.economics.allocation.rules import (
    EmptyImputationSet,
    ensc,
    equal_savings,
    least_core,
    nucleolus,
    prenucleolus,
    proportional,
    sampled_shapley,
    scrb,
    shapley,
)
from optimiser.errors import InputError


def game_of(costs: dict[str, float]) -> Game:
    """A game from costs keyed by coalition strings such as '13' (players '1'..'n')."""
    players = sorted({p for key in costs for p in key})
    return Game.from_costs(players, {frozenset(k): v for k, v in costs.items()})


THREE = game_of({"1": 300, "2": 270, "3": 280, "12": 410, "13": 410, "23": 410, "123": 550})

# Lemaire (1984), insurance savings game v; as a cost game c = -v.
LEMAIRE_SAVINGS = {
    "1": 46125, "2": 17437.5, "3": 5812.5, "12": 69187.5, "13": 53812.5, "23": 30750,
    "123": 90000,
}  # fmt: skip
LEMAIRE = game_of({k: -v for k, v in LEMAIRE_SAVINGS.items()})

HASAN = game_of(
    {
        "1": 8, "2": 1, "3": 10, "4": 11, "12": 8, "13": 10, "14": 19, "23": 10, "24": 12,
        "34": 12, "123": 10, "124": 19, "134": 20, "234": 13, "1234": 20,
    }
)  # fmt: skip

RULES = [shapley, nucleolus, prenucleolus, ensc, scrb, equal_savings, proportional]


def test_three_player_game_shapley_and_nucleolus():
    # Shapley by hand: phi_1 = 300/3 + (410-270)/6 + (410-280)/6 + (550-410)/3 = 191.67
    np.testing.assert_allclose(shapley(THREE), [191.6666667, 176.6666667, 181.6666667])
    # nucleolus: the three pair excesses equalise at -43.33 savings: 183.33 each
    np.testing.assert_allclose(nucleolus(THREE), [550 / 3] * 3, atol=1e-6)


def test_lemaire_insurance_game_nucleolus():
    savings = -nucleolus(LEMAIRE)
    np.testing.assert_allclose(savings, [52687.5, 24468.75, 12843.75], atol=1e-6)


def test_hasan_2011_cost_game_nucleolus():
    np.testing.assert_allclose(nucleolus(HASAN), [7.5, 0.5, 1.5, 10.5], atol=1e-6)


# (proportional to stand-alone costs needs non-negative costs: not for Lemaire's savings)
EFFICIENCY_CASES = [
    pytest.param(game, rule, id=f"{name}-{rule.__name__}")
    for name, game in (("three", THREE), ("lemaire", LEMAIRE), ("hasan", HASAN))
    for rule in RULES
    if not (rule is proportional and game is LEMAIRE)
]


@pytest.mark.parametrize(("game", "rule"), EFFICIENCY_CASES)
def test_every_rule_is_efficient(game, rule):
    assert rule(game).sum() == pytest.approx(game.cost[game.grand], rel=1e-9, abs=1e-9)


def test_core_check_names_the_objecting_coalition():
    assert core_check(THREE, nucleolus(THREE)).in_core
    # charging player 1 everything: it would rather stand alone
    check = core_check(THREE, np.array([550.0, 0.0, 0.0]))
    assert not check.in_core
    assert check.objecting_coalition == ["1"]
    assert check.worst_excess == pytest.approx(250.0)


def test_least_core_epsilon():
    x, eps = least_core(THREE)
    assert eps == pytest.approx(-130 / 3)
    assert core_check(THREE, x).in_core


def test_empty_imputation_set_is_said_not_hidden():
    # alone 10 + 10 = 20 < 30 together: nobody can be at or below its stand-alone cost
    game = game_of({"1": 10, "2": 10, "12": 30})
    with pytest.raises(EmptyImputationSet, match="stand-alone"):
        nucleolus(game)
    assert prenucleolus(game).sum() == pytest.approx(30)


def test_sampled_shapley_covers_the_exact_value():
    rng = np.random.default_rng(7)
    players = [f"p{i}" for i in range(6)]
    alone = rng.uniform(50, 100, 6)
    costs = {}
    for size in range(1, 7):
        for coalition in itertools.combinations(range(6), size):
            # a subadditive game: a shared fixed cost plus 80 % of the members' costs
            members = frozenset(players[i] for i in coalition)
            costs[members] = 40 + 0.8 * alone[list(coalition)].sum()
    game = Game.from_costs(players, costs)
    exact = shapley(game)
    sampled = sampled_shapley(game, samples=4000, seed=1)
    assert np.all(np.abs(sampled.value - exact) <= 3 * sampled.half_width_95 + 1e-9)


def test_game_json_missing_coalition_is_named(tmp_path):
    path = tmp_path / "game.json"
    costs = [{"coalition": ["a"], "cost": 1}, {"coalition": ["b"], "cost": 2}]
    path.write_text(json.dumps({"players": ["a", "b"], "costs": costs}))
    with pytest.raises(InputError, match=r"coalition \['a', 'b'\] has no cost"):
        load_game(path)

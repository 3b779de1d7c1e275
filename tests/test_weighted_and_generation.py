"""Weighted Shapley and equal vote per group against published and hand values; least
core and nucleolus by constraint generation against full enumeration."""

from __future__ import annotations

import numpy as np
import pytest
from test_allocation_rules import HASAN, LEMAIRE, THREE, game_of

from optimiser.economics.allocation.game import Game
from optimiser.economics.allocation.generation import (
    BoundViolated,
    nucleolus_by_generation,
)
from optimiser.economics.allocation.rules import least_core, nucleolus, prenucleolus, shapley
from optimiser.economics.allocation.weighted import (
    dividends,
    equal_vote_per_group,
    weighted_shapley,
)


def test_kalai_samet_two_player_unit_game():
    """Kalai and Samet (1987, Int. J. Game Theory 16, p. 205-206): two players who alone
    earn nothing and together a unit; with weights w the unit is split w_1 : w_2. As a
    cost game (c = -v) with weights 1 and 3: -1/4 and -3/4."""
    game = game_of({"1": 0.0, "2": 0.0, "12": -1.0})
    np.testing.assert_allclose(weighted_shapley(game, [1, 3]), [-0.25, -0.75])


def test_weighted_value_of_blocks_is_sum_of_members_shapley():
    """Kalai and Samet (1987, section 6): a player standing for w_i identical members who
    act as a block gets the sum of its members' symmetric Shapley values. Hasan's game
    with blocks of 1, 2, 1 and 3 members: expand it to 7 member-players whose coalition
    costs what its complete blocks cost, and add up the members' Shapley values."""
    sizes = [1, 2, 1, 3]
    owner = [b for b, size in enumerate(sizes) for _ in range(size)]
    members = len(owner)
    cost = np.zeros(2**members)
    for mask in range(2**members):
        blocks = 0
        for b in range(4):
            block_members = [m for m in range(members) if owner[m] == b]
            if all(mask >> m & 1 for m in block_members):
                blocks |= 1 << b
        cost[mask] = HASAN.cost[blocks]
    expanded = Game(tuple(str(m) for m in range(members)), cost)
    per_member = shapley(expanded)
    by_block = [per_member[[m for m in range(members) if owner[m] == b]].sum() for b in range(4)]
    np.testing.assert_allclose(weighted_shapley(HASAN, sizes), by_block, atol=1e-9)


def test_weighted_shapley_by_hand_and_by_dividends():
    """THREE: c(i) = 300, 270, 280, pairs 410, all 550. Dividends: d(12) = 410-300-270 =
    -160, d(13) = -170, d(23) = -140, d(123) = 550 - 3*410 + 850 = 170. With weights
    1, 1, 2: x_1 = 300 - 160/2 - 170/3 + 170/4 = 205.83."""
    np.testing.assert_allclose(dividends(THREE)[[3, 5, 6, 7]], [-160, -170, -140, 170])
    x = weighted_shapley(THREE, [1, 1, 2])
    assert x[0] == pytest.approx(300 - 80 - 170 / 3 + 42.5)
    assert x.sum() == pytest.approx(550)
    np.testing.assert_allclose(weighted_shapley(THREE, [5, 5, 5]), shapley(THREE))


def test_equal_vote_per_group_gives_each_group_one_vote():
    """Players 1 and 2 are one group, 3 another: weights 1/2, 1/2, 1 (as weights 1, 1, 2)."""
    np.testing.assert_allclose(
        equal_vote_per_group(THREE, ["tenants", "tenants", "public"]),
        weighted_shapley(THREE, [1, 1, 2]),
    )


@pytest.mark.parametrize("weights", [[1, -1, 1], [1, 0, 1]])
def test_weights_must_be_positive(weights):
    with pytest.raises(ValueError, match="weights must be positive; '2'"):
        weighted_shapley(THREE, weights)


def counting(game: Game):
    """An evaluator of the game's costs that counts the coalitions it is asked for."""
    asked: list[int] = []

    def evaluate(masks):
        asked.extend(masks)
        return {m: float(game.cost[m]) for m in masks}

    return evaluate, asked


# Hasan's and the three-player games grow with every player (demand); Lemaire's
# savings game shrinks (as a cost game) with every player (each brings a resource).
GAMES = [("three", THREE, "demand"), ("hasan", HASAN, "demand"), ("lemaire", LEMAIRE, "resource")]


@pytest.mark.parametrize(("name", "game", "role"), GAMES, ids=[g[0] for g in GAMES])
def test_generated_nucleolus_equals_full_enumeration(name, game, role):
    evaluate, asked = counting(game)
    x, _, cost = nucleolus_by_generation(game.n, evaluate, [role] * game.n, batch=1)
    np.testing.assert_allclose(x, nucleolus(game), atol=1e-6)
    assert len(asked) == len(set(asked)) == int((~np.isnan(cost[1:])).sum())
    # Hasan's game needs 13 of its 15 coalitions: c(13) and c(23) are bounded below by
    # c(3) = 10, which keeps their excess under every level; 3-player games need all 7
    assert len(asked) == {"three": 7, "hasan": 13, "lemaire": 7}[name]


def test_generated_least_core_equals_full_enumeration():
    evaluate, asked = counting(HASAN)
    _, levels, _ = nucleolus_by_generation(4, evaluate, ["demand"] * 4, stop_after_first=True)
    _, epsilon = least_core(HASAN, imputations=True)
    assert levels[0] == pytest.approx(epsilon, abs=1e-9)
    assert len(asked) < 15


def test_without_a_bound_every_coalition_is_evaluated():
    evaluate, asked = counting(HASAN)
    cost = np.full(16, np.nan)
    cost[0] = 0
    from optimiser.economics.allocation.generation import sequential_lp

    x, _ = sequential_lp(4, cost, imputations=False, evaluate=evaluate, batch=3)
    np.testing.assert_allclose(x, prenucleolus(HASAN), atol=1e-6)
    assert sorted(asked) == list(range(1, 16))


def test_a_batch_holds_distinct_groups_and_learns_their_other_members():
    """Coalitions of one group (one design problem) are evaluated together: a batch
    asks for one of each, and the others of its group come back with it."""
    grouped = {m: m & 0b0111 for m in range(16)}  # player 4 brings nothing to solve
    asked: list[list[int]] = []

    def evaluate(masks):
        asked.append(list(masks))
        solved = {grouped[m] for m in masks}
        return {m: float(HASAN.cost[m]) for m in range(1, 16) if grouped[m] in solved}

    cost = np.full(16, np.nan)
    cost[0] = 0
    from optimiser.economics.allocation.generation import sequential_lp

    x, _ = sequential_lp(
        4, cost, imputations=False, evaluate=evaluate, batch=2, group=grouped.__getitem__
    )
    np.testing.assert_allclose(x, prenucleolus(HASAN), atol=1e-6)
    for batch in asked[1:]:  # the first asks for the grand coalition and the singletons
        assert len(batch) <= 2
        assert len({grouped[m] for m in batch}) == len(batch)
    # without a bound all 8 groups are needed; 5 come with the first call
    assert sum(len(b) for b in asked[1:]) == 3


def test_a_game_that_breaks_the_bound_is_caught():
    """Declared demand-only, but player 3 lowers every cost it joins: the bound from
    c(1) = 8 says c(13) >= 8; c(13) = 2 contradicts it."""
    game = game_of({"1": 8, "2": 6, "3": 1, "12": 12, "13": 2, "23": 2, "123": 3})
    evaluate, _ = counting(game)
    with pytest.raises(BoundViolated):
        nucleolus_by_generation(3, evaluate, ["demand"] * 3, batch=1)

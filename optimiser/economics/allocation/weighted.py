"""Weighted Shapley values: the synergy of every coalition shared by the players' weights.

The Harsanyi (1959) dividend of a coalition T is what T's cost adds beyond all its
sub-coalitions: ``d(T) = sum over S in T of (-1)^(|T|-|S|) c(S)``, so that
``c(S) = sum over T in S of d(T)``. The Shapley value gives each member of T an equal
part of d(T); the weighted Shapley value of Shapley (1953, "Additive and non-additive
set functions", PhD thesis) and Kalai and Samet (1987, "On weighted Shapley values",
Int. J. Game Theory 16, 205-222) gives member i the part ``w_i / w(T)``. A party standing
for more members (or holding more shares) so takes a larger part of every joint saving
(and of every joint extra cost). Kalai and Samet show that when each player is a
constituency of ``w_i`` identical members who act as a block, the weighted value is
the sum of the members' symmetric Shapley values. It is applied here to the cost game c
directly: each player keeps its own stand-alone cost (the dividend of {i}) and shares
the dividends of larger coalitions by weight.

The equal-vote-per-group rule gives every group of parties (parties of the same
``kind``: tenants, owner-occupiers, businesses, public bodies, ...) the same total
weight, split equally among the group's parties: each group has one vote in sharing
the synergy, however many parties or members it has.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from optimiser.economics.allocation.game import Game


def dividends(game: Game) -> np.ndarray:
    """Harsanyi dividends d(T) of every coalition (Moebius transform of c, n 2^n steps)."""
    d = np.array(game.cost, dtype=float)
    masks = np.arange(2**game.n)
    for i in range(game.n):
        has = (masks >> i & 1).astype(bool)
        d[has] -= d[masks[has] & ~(1 << i)]
    return d


def weighted_shapley(game: Game, weights: Sequence[float]) -> np.ndarray:
    """Kalai-Samet weighted Shapley value with positive ``weights`` (one per player).

    ``x_i = sum over T containing i of w_i / w(T) x d(T)``. Equal weights give the
    Shapley value. Raises :class:`ValueError` for a weight that is not positive.
    """
    w = np.asarray(weights, dtype=float)
    if w.shape != (game.n,) or not np.all(np.isfinite(w)):
        raise ValueError(f"need one finite weight per player ({game.n})")
    if (w <= 0).any():
        bad = game.players[int(np.argmin(w))]
        raise ValueError(f"weights must be positive; {bad!r} has {w.min():g}")
    member = game.membership()
    total = member @ w
    total[0] = 1.0  # the empty coalition has no dividend
    return (dividends(game) / total) @ member * w


def group_weights(groups: Sequence[str]) -> np.ndarray:
    """Weights giving each group (one label per player) the same total: 1 / group size."""
    sizes = {g: list(groups).count(g) for g in groups}
    return np.array([1.0 / sizes[g] for g in groups])


def equal_vote_per_group(game: Game, groups: Sequence[str]) -> np.ndarray:
    """Weighted Shapley value in which every group of players has the same total weight."""
    if len(groups) != game.n:
        raise ValueError(f"need one group per player ({game.n})")
    return weighted_shapley(game, group_weights(groups))

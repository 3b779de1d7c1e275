"""Allocation rules: each a plain function from a cost game to what each player pays.

Every rule returns an array in the order of ``game.players`` that sums to c(N)
(efficiency). The nucleolus family solves a sequence of LPs with HiGHS (through
``scipy.optimize.linprog``); the others are closed formulas.

References: Shapley (1953); Schmeidler (1969) for the nucleolus, computed by the
sequential LPs of Maschler, Peleg and Shapley (1979) with tight sets found from the LP
duals; Young, Okada and Hashimoto (1982) for SCRB and ENSC in cost allocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial

import numpy as np

from optimiser.economics.allocation.game import Game
from optimiser.economics.allocation.generation import EmptyImputationSet as EmptyImputationSet
from optimiser.economics.allocation.generation import sequential_lp

EXACT_SHAPLEY_MAX_PLAYERS = 12
"""Above this many players the Shapley value is sampled (2^n coalitions, n! orders)."""


def shapley(game: Game) -> np.ndarray:
    """Exact Shapley value: each player's marginal cost averaged over all join orders.

    phi_i = sum over S not containing i of |S|! (n-|S|-1)! / n! x (c(S+i) - c(S)).
    """
    n = game.n
    if n > EXACT_SHAPLEY_MAX_PLAYERS:
        raise ValueError(
            f"exact Shapley needs n <= {EXACT_SHAPLEY_MAX_PLAYERS}; use sampled_shapley"
        )
    masks = np.arange(2**n)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight = np.array(
        [factorial(s) * factorial(n - s - 1) / factorial(n) if s < n else 0.0 for s in sizes]
    )
    value = np.zeros(n)
    for i in range(n):
        without = masks[(masks >> i & 1) == 0]
        value[i] = np.sum(weight[without] * (game.cost[without | (1 << i)] - game.cost[without]))
    return value


@dataclass(frozen=True)
class SampledShapley:
    """Shapley value estimated from random join orders, with a 95 % confidence half-width."""

    value: np.ndarray
    half_width_95: np.ndarray
    samples: int


def sampled_shapley(game: Game, samples: int = 2000, seed: int = 0) -> SampledShapley:
    """Shapley value by Monte Carlo over join orders (Castro et al. 2009), seeded.

    Each order gives every player one marginal cost; the mean over orders is unbiased.
    The result is rescaled to stay efficient (each order's marginals sum to c(N), so
    the mean already does up to rounding).
    """
    rng = np.random.default_rng(seed)
    marginals = np.empty((samples, game.n))
    for k in range(samples):
        mask = 0
        previous = 0.0
        for i in rng.permutation(game.n):
            mask |= 1 << int(i)
            marginals[k, i] = game.cost[mask] - previous
            previous = game.cost[mask]
    mean = marginals.mean(axis=0)
    half = 1.96 * marginals.std(axis=0, ddof=1) / np.sqrt(samples)
    return SampledShapley(mean, half, samples)


def separable_costs(game: Game) -> np.ndarray:
    """m_i = c(N) - c(N without i): what player i adds to the grand coalition."""
    return np.array(
        [game.cost[game.grand] - game.cost[game.grand & ~(1 << i)] for i in range(game.n)]
    )


def ensc(game: Game) -> np.ndarray:
    """Equal non-separable costs: separable cost plus an equal share of the rest."""
    m = separable_costs(game)
    return m + (game.cost[game.grand] - m.sum()) / game.n


def scrb(game: Game) -> np.ndarray:
    """Separable costs - remaining benefits: the rest shared in proportion to
    r_i = c({i}) - m_i (what i would save on top of its separable cost by joining).
    Falls back to ENSC shares when no player has a remaining benefit."""
    m = separable_costs(game)
    remaining = np.maximum(game.stand_alone() - m, 0.0)
    rest = game.cost[game.grand] - m.sum()
    if remaining.sum() <= 0:
        return m + rest / game.n
    return m + rest * remaining / remaining.sum()


def equal_savings(game: Game) -> np.ndarray:
    """Stand-alone cost minus an equal share of the total savings."""
    alone = game.stand_alone()
    return alone - (alone.sum() - game.cost[game.grand]) / game.n


def proportional(game: Game, key: np.ndarray | None = None) -> np.ndarray:
    """c(N) shared in proportion to ``key`` (default: the stand-alone costs)."""
    key = game.stand_alone() if key is None else np.asarray(key, dtype=float)
    if key.shape != (game.n,) or (key < 0).any() or key.sum() <= 0:
        raise ValueError("the key needs one non-negative value per player, not all zero")
    return game.cost[game.grand] * key / key.sum()


def least_core(game: Game, imputations: bool = False) -> tuple[np.ndarray, float]:
    """An allocation in the least core and its epsilon: the smallest eps such that no
    coalition pays more than c(S) + eps. Returns one point of the least core (the
    nucleolus picks a unique one)."""
    x, levels = sequential_lp(game.n, game.cost.copy(), imputations, stop_after_first=True)
    return x, levels[0]


def nucleolus(game: Game) -> np.ndarray:
    """The nucleolus over the imputations (no player pays more than alone): the
    allocation that makes the largest excess x(S) - c(S) as small as possible, then the
    next largest, and so on. Raises :class:`EmptyImputationSet` if there are none."""
    return sequential_lp(game.n, game.cost.copy(), imputations=True)[0]


def prenucleolus(game: Game) -> np.ndarray:
    """As :func:`nucleolus` but over all efficient allocations (no stand-alone bound)."""
    return sequential_lp(game.n, game.cost.copy(), imputations=False)[0]

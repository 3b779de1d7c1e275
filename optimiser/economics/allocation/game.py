"""A cost game: the cost c(S) of every coalition S of players, read from JSON or built.

Coalitions are bitmasks internally (player i is bit i), so a game of n players is an
array of 2^n costs with c(empty) = 0. The JSON form users bring from their own studies
is ``{"players": [names], "costs": [{"coalition": [names], "cost": number}, ...]}``
with every non-empty coalition present.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from optimiser.economics.allocation.cost import coalition_cost
from optimiser.errors import InputError

MAX_PLAYERS = 20
"""Beyond this, 2^n coalitions do not fit a dense game (and no study solves them)."""


@dataclass(frozen=True)
class Game:
    """Players and the cost of each coalition (``cost[mask]``, EUR/year or any unit)."""

    players: tuple[str, ...]
    cost: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.players)
        if not 1 <= n <= MAX_PLAYERS:
            raise ValueError(f"a game needs 1..{MAX_PLAYERS} players, got {n}")
        if len(set(self.players)) != n:
            raise ValueError("player names must be unique")
        if self.cost.shape != (2**n,):
            raise ValueError(f"need 2^{n} coalition costs")

    @property
    def n(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def grand(self) -> int:
        """Bitmask of the grand coalition."""
        return (1 << self.n) - 1

    def members(self, mask: int) -> list[str]:
        """Names of the players in a coalition."""
        return [p for i, p in enumerate(self.players) if mask >> i & 1]

    def mask(self, names: Sequence[str]) -> int:
        """Bitmask of a coalition given by player names."""
        index = {p: i for i, p in enumerate(self.players)}
        return sum(1 << index[name] for name in names)

    def stand_alone(self) -> np.ndarray:
        """c({i}) of every player."""
        return np.array([self.cost[1 << i] for i in range(self.n)])

    def membership(self) -> np.ndarray:
        """Matrix (coalition mask x player) of 0/1: who is in which coalition."""
        masks = np.arange(2**self.n)[:, None]
        return ((masks >> np.arange(self.n)[None, :]) & 1).astype(float)

    @classmethod
    def from_costs(cls, players: Sequence[str], costs: Mapping[frozenset[str], float]) -> Game:
        """A game from a mapping coalition (set of names) -> cost; all must be given."""
        players = tuple(players)
        game_cost = np.zeros(2 ** len(players))
        index = {p: i for i, p in enumerate(players)}
        for coalition, value in costs.items():
            game_cost[sum(1 << index[p] for p in coalition)] = float(value)
        game = cls(players, game_cost)
        given = {sum(1 << index[p] for p in c) for c in costs}
        missing = [m for m in range(1, 2 ** len(players)) if m not in given]
        if missing:
            raise ValueError(f"coalition {game.members(missing[0])} has no cost")
        return game


def load_game(path: Path) -> Game:
    """Read a game from JSON; every problem is one :class:`InputError` naming the field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            "game file not found", file=path, fix="give the path of a GAME.json"
        ) from None
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error.msg}, line {error.lineno})", file=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("players"), list):
        raise InputError("expected an object with a list of players", file=path, field="players")
    players = [str(p) for p in data["players"]]
    if not 1 <= len(players) <= MAX_PLAYERS or len(set(players)) != len(players):
        raise InputError(f"need 1..{MAX_PLAYERS} unique player names", file=path, field="players")
    costs: dict[frozenset[str], float] = {}
    for k, entry in enumerate(data.get("costs") or []):
        field = f"costs[{k}]"
        if not isinstance(entry, dict) or "coalition" not in entry or "cost" not in entry:
            raise InputError("each entry needs 'coalition' and 'cost'", file=path, field=field)
        coalition = frozenset(str(p) for p in entry["coalition"])
        unknown = sorted(coalition - set(players))
        if unknown:
            raise InputError(f"unknown player {unknown[0]!r}", file=path, field=field)
        if not coalition:
            raise InputError("the empty coalition costs 0 by definition", file=path, field=field)
        cost = entry["cost"]
        if not isinstance(cost, int | float) or not np.isfinite(cost):
            raise InputError(f"cost must be a finite number, got {cost!r}", file=path, field=field)
        if coalition in costs:
            raise InputError(f"coalition {sorted(coalition)} given twice", file=path, field=field)
        costs[coalition] = float(cost)
    try:
        return Game.from_costs(players, costs)
    except ValueError as error:
        raise InputError(
            str(error), file=path, field="costs", fix="give every non-empty coalition"
        ) from None


@dataclass(frozen=True)
class CoreCheck:
    """Whether an allocation lies in the core, and the coalition that objects most.

    ``worst_excess`` is max over coalitions S of x(S) - c(S): positive means S pays more
    than it would alone and objects (EUR/year, or the game's unit).
    """

    in_core: bool
    worst_excess: float
    objecting_coalition: list[str]


def core_check(game: Game, allocation: np.ndarray, tolerance: float = 1e-6) -> CoreCheck:
    """Check ``x(S) <= c(S)`` for every coalition (efficiency is the rule's duty)."""
    excess = game.membership() @ np.asarray(allocation, dtype=float) - game.cost
    excess[0] = -np.inf
    excess[game.grand] = -np.inf if game.n > 1 else excess[game.grand]
    worst = int(np.argmax(excess))
    scale = max(1.0, float(np.abs(game.cost).max()))
    return CoreCheck(
        in_core=bool(excess[worst] <= tolerance * scale),
        worst_excess=float(excess[worst]),
        objecting_coalition=game.members(worst),
    )


@dataclass(frozen=True)
class CoalitionCost:
    """The cooperative's cost for a coalition (inf if it cannot serve it), the members'
    stand-alone total (EUR/year), whether the solve came from the cache, the
    cooperative's levelised cost of heat (EUR/GJ) and the support the members bring
    (EUR/year; see :mod:`optimiser.economics.allocation.cost`)."""

    members: tuple[str, ...]
    cooperative_eur: float
    stand_alone_eur: float
    cached: bool
    lcoh_eur_per_gj: float = float("nan")
    outcome: dict = field(default_factory=dict)
    support_eur: float = 0.0

    @property
    def cost_eur(self) -> float:
        """c(S): the cheaper of forming the cooperative (less its support) and staying
        alone."""
        return coalition_cost(self.cooperative_eur, self.support_eur, self.stand_alone_eur)

"""A cost game: the cost c(S) of every coalition S of players, read from JSON or built.

Coalitions are bitmasks internally (player i is bit i), so a game of n players is an
array of 2^n costs with c(empty) = 0. The JSON form users bring from their own studies
is ``{"players": [names], "costs": [{"coalition": [names], "cost": number}, ...]}``
with every non-empty coalition present.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from optimiser.economics.allocation.cost import coalition_cost
from optimiser.errors import InputError
from optimiser.inputs.ranges import ANY_NUMBER
from optimiser.inputs.textfiles import load_json

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
    """Read a game from JSON; every problem is one :class:`InputError` naming the field.

    Checked before anything is computed: names are strings, each coalition a list of
    known names, each cost a finite number (not true/false) within ``±ANY_NUMBER``, every
    non-empty coalition given once, and the game small enough to allocate in the time
    and memory :func:`allocation_budget` allows.
    """
    path = Path(path)
    data = load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("players"), list):
        raise InputError("expected an object with a list of players", file=path, field="players")
    players = data["players"]
    if not all(isinstance(p, str) and p.strip() for p in players):
        raise InputError("player names must be non-empty strings", file=path, field="players")
    if not 1 <= len(players) <= MAX_PLAYERS or len(set(players)) != len(players):
        raise InputError(f"need 1..{MAX_PLAYERS} unique player names", file=path, field="players")
    allocation_budget(len(players), path)
    entries = data.get("costs")
    if not isinstance(entries, list):
        raise InputError("expected a list of costs", file=path, field="costs")
    costs: dict[frozenset[str], float] = {}
    for k, entry in enumerate(entries):
        field = f"costs[{k}]"
        if not isinstance(entry, dict) or "coalition" not in entry or "cost" not in entry:
            raise InputError("each entry needs 'coalition' and 'cost'", file=path, field=field)
        members = entry["coalition"]
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise InputError(
                f"coalition must be a list of player names, got {members!r}",
                file=path,
                field=f"{field}.coalition",
            )
        coalition = frozenset(members)
        unknown = sorted(coalition - set(players))
        if unknown:
            raise InputError(f"unknown player {unknown[0]!r}", file=path, field=field)
        if not coalition:
            raise InputError("the empty coalition costs 0 by definition", file=path, field=field)
        cost = entry["cost"]
        if (
            isinstance(cost, bool)
            or not isinstance(cost, int | float)
            or not np.isfinite(cost)
            or abs(cost) > ANY_NUMBER
        ):
            raise InputError(
                f"cost must be a finite number within ±{ANY_NUMBER:g}, got {cost!r}",
                file=path,
                field=f"{field}.cost",
            )
        if coalition in costs:
            raise InputError(f"coalition {sorted(coalition)} given twice", file=path, field=field)
        costs[coalition] = float(cost)
    try:
        return Game.from_costs(players, costs)
    except ValueError as error:
        raise InputError(
            str(error), file=path, field="costs", fix="give every non-empty coalition"
        ) from None


ALLOCATION_SECONDS_PER_ROW = 1.2e-5
"""Time to allocate per coalition and player (s): 3e-6 measured for 12-14 players, and
1.1e-5 for 20 players (4 min; the nucleolus and least core solve LPs with one row per
coalition, and take more rounds on larger games)."""

ALLOCATION_BYTES_PER_ROW = 200.0
"""Memory per coalition and player (bytes): 140 measured from 12 to 14 players, 190 for
20 players (4 GB): the membership matrix, the LP rows and HiGHS's copies of them."""

ALLOCATION_LIMITS = (600.0, 2e9)
"""Most time (s) and memory (bytes) an allocation may be estimated to need."""


def allocation_budget(n_players: int, path: Path | None = None) -> tuple[float, float]:
    """Estimated time (s) and memory (bytes) to allocate a game of ``n_players``; an
    :class:`InputError` up front when either exceeds :data:`ALLOCATION_LIMITS`."""
    rows = 2.0**n_players * n_players
    seconds, memory = rows * ALLOCATION_SECONDS_PER_ROW, rows * ALLOCATION_BYTES_PER_ROW
    if seconds > ALLOCATION_LIMITS[0] or memory > ALLOCATION_LIMITS[1]:
        raise InputError(
            f"{n_players} players make {2**n_players:,} coalitions: allocating them would take"
            f" about {seconds / 60:,.0f} min and {memory / 1e9:,.1f} GB",
            file=path,
            field="players",
            fix="merge players into groups (e.g. one per household type); the Shapley value"
            " alone can be sampled (see optimiser.economics.allocation.rules.sampled_shapley)",
        )
    return seconds, memory


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


NO_CONSUMER_GROUP = "no consumer group"
"""The outcome of a coalition that serves no demand: it has nothing to design."""


@dataclass(frozen=True)
class CoalitionCost:
    """The cooperative's cost for a coalition (inf if it cannot serve it), the members'
    stand-alone total (EUR/year), whether the solve came from the cache, the
    cooperative's levelised cost of heat (EUR/GJ), the support the members bring and
    what the coalition's water tasks gain its member utilities (EUR/year; see
    :mod:`optimiser.economics.allocation.cost`)."""

    members: tuple[str, ...]
    cooperative_eur: float
    stand_alone_eur: float
    cached: bool
    lcoh_eur_per_gj: float = float("nan")
    outcome: dict = field(default_factory=dict)
    support_eur: float = 0.0
    utility_eur: float = 0.0

    @property
    def no_design(self) -> str:
        """Why the cooperative has no design for this coalition ("" if it has one, or
        if the coalition has no consumer group and so nothing to design)."""
        error = self.outcome.get("error", "")
        return "" if self.outcome.get("ok", True) or error == NO_CONSUMER_GROUP else error

    @property
    def formed(self) -> bool:
        """Whether the coalition forms its cooperative: cheaper, less its support and
        its member utilities' gains, than its members' alternatives."""
        return self.cost_eur < self.stand_alone_eur

    @property
    def cost_eur(self) -> float:
        """c(S): the cheaper of forming the cooperative (less its support and its member
        utilities' gains) and staying alone."""
        return coalition_cost(
            self.cooperative_eur, self.support_eur, self.stand_alone_eur, self.utility_eur
        )

"""Least core and nucleolus by constraint generation: only the coalitions the LPs need.

The nucleolus is found by the sequential LPs of Maschler, Peleg and Shapley (1979): minimise
the largest excess ``x(S) - c(S)`` over the coalitions not yet fixed, fix the coalitions
tight at every optimum, repeat. Each LP is solved over the coalitions whose cost is known;
a coalition whose cost is not known yet enters only if its excess could reach the
current level, judged from a lower bound on its cost: ``x(S) - lower(S) >= t``. As the
level LP has many optima, it is first solved again with those bounds as rows: if the
level stays, that optimum is the whole game's and nothing is evaluated. Else the
coalitions are evaluated (solved), those whose bound rows bind first, in batches, and the
LP is solved again, until no unknown coalition could matter. With a bound of minus
infinity every coalition is evaluated and the result is the full-enumeration one; a
tight bound saves most solves.

:class:`MonotoneBound` gives the bound of a cost game in which some players only bring
demand (adding one never lowers the cost) and others only bring assets or support
(adding one never raises it): c(S) >= c(T) for every known T that has no demand S lacks
and every resource S has. Of the coalitions that could bind, those with the most
resources are evaluated first, as they bound the most others. The bound is an
assumption about the game (more demand never costs less, more assets never cost more),
so it is checked against every coalition evaluated: a known cost below the bound the
other known costs give it raises :class:`BoundViolated`, and the caller falls back to
full enumeration rather than return a wrong nucleolus. (Subadditivity would bound much
more, but c(S) is not subadditive: a coalition forms one cooperative for all its
demands or keeps all alternatives, and a real 5-party game breaks it.)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Protocol

import numpy as np
from scipy.optimize import linprog


class EmptyImputationSet(ValueError):
    """No allocation is efficient and individually rational: sum of c({i}) < c(N)."""


class BoundViolated(RuntimeError):
    """An evaluated coalition cost less than the lower bound said it could."""


Evaluate = Callable[[list[int]], dict[int, float]]
"""Costs of the given coalition masks (and of any others it learnt on the way)."""


class Evaluator(Protocol):
    """Evaluates coalitions while the caller goes on: costs come back as they are known."""

    def submit(self, masks: list[int]) -> None:
        """Start evaluating these coalitions."""

    def collect(self) -> dict[int, float]:
        """Costs known since the last call (of submitted coalitions, and of any others
        learnt on the way), waiting for one if none is."""

    def in_flight(self) -> list[int]:
        """Submitted coalitions whose costs are not known yet."""


class AtOnce:
    """An :data:`Evaluate` function as an :class:`Evaluator`: what was submitted is
    evaluated, all together, at the next :meth:`collect`."""

    def __init__(self, evaluate: Evaluate | None) -> None:
        self.evaluate, self.queued = evaluate, []

    def submit(self, masks: list[int]) -> None:
        self.queued += masks

    def collect(self) -> dict[int, float]:
        masks, self.queued = self.queued, []
        if not masks:
            return {}
        if self.evaluate is None:
            raise ValueError(f"coalition {masks[0]} has no cost and nothing evaluates it")
        return self.evaluate(masks)

    def in_flight(self) -> list[int]:
        return list(self.queued)


Group = Callable[[int], Hashable]
"""What evaluating a coalition costs: coalitions of one group are evaluated together
(in a cost game, those that share one design problem)."""


class MonotoneBound:
    """Lower bound on c(S) from known costs, for players of three roles.

    ``roles[i]`` is ``"demand"`` (brings demand only: c grows when it joins),
    ``"resource"`` (brings assets or support only: c shrinks when it joins) or
    ``"mixed"`` (neither holds: only coalitions with the same membership bound S).
    ``unformed(mask)`` says a coalition formed no cooperative (nothing to serve, or no
    design): such a coalition bounds nothing, as a coalition with more demand may form
    one and use the support its members bring (c can then fall below c(T)).
    """

    def __init__(
        self, roles: Sequence[str], unformed: Callable[[int], bool] = lambda _mask: False
    ) -> None:
        def mask(role: str) -> int:
            return sum(1 << i for i, r in enumerate(roles) if r == role)

        self.demand, self.resource, self.mixed = mask("demand"), mask("resource"), mask("mixed")
        self.unformed = unformed

    def __call__(self, masks: np.ndarray, cost: np.ndarray) -> np.ndarray:
        """Bounds for ``masks`` from the known (non-NaN) entries of ``cost``."""
        known = np.flatnonzero(~np.isnan(cost))
        known = np.array([k for k in known if k > 0 and not self.unformed(int(k))], dtype=int)
        s = np.asarray(masks)[:, None]
        t = known[None, :]
        below = (
            ((t & self.mixed) == (s & self.mixed))
            & ((t & self.demand & ~s) == 0)
            & ((s & self.resource & ~t) == 0)
        )
        return np.where(below, cost[known][None, :], -np.inf).max(axis=1, initial=-np.inf)

    def priority(self, masks: np.ndarray) -> np.ndarray:
        """Resources in each coalition: a coalition with more bounds more others."""
        return np.array([bin(int(m) & self.resource).count("1") for m in masks])


def _row_space(rows: np.ndarray) -> np.ndarray:
    """Orthonormal basis (columns) of the space spanned by ``rows``."""
    _, singular, vt = np.linalg.svd(rows, full_matrices=False)
    rank = int(np.sum(singular > 1e-9 * max(1.0, singular.max())))
    return vt[:rank].T


def _membership(n: int) -> np.ndarray:
    masks = np.arange(2**n)[:, None]
    return ((masks >> np.arange(n)[None, :]) & 1).astype(float)


def sequential_lp(
    n: int,
    cost: np.ndarray,
    imputations: bool,
    stop_after_first: bool = False,
    evaluate: Evaluate | Evaluator | None = None,
    lower_bound: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    batch: int = 1,
    tolerance: float = 1e-9,
    group: Group = lambda mask: mask,
) -> tuple[np.ndarray, list[float]]:
    """The (pre)nucleolus, or with ``stop_after_first`` a least-core point, of a game of
    ``n`` players whose coalition costs ``cost[mask]`` may be NaN (not known yet).

    Unknown costs are fetched with ``evaluate`` when ``lower_bound(masks, cost)`` says
    they could bind, the most promising first and one per ``group`` (in a cost game,
    one per design problem), with at most ``batch`` groups in flight. An
    :class:`Evaluator` returns costs as they are known: the LP is solved again on each,
    and the freed slot gets the next most promising coalition, so parallel workers
    never wait for a whole batch. ``cost`` is filled in place with whatever comes back,
    so the caller sees which coalitions were evaluated. The grand coalition and the
    singletons are evaluated first. Returns the allocation and the excess of
    each level. Raises :class:`EmptyImputationSet` (``imputations``) when no allocation
    leaves every player at or below its stand-alone cost.
    """
    grand = (1 << n) - 1
    evaluator = evaluate if hasattr(evaluate, "collect") else AtOnce(evaluate)
    first = [m for m in [grand, *(1 << i for i in range(n))] if np.isnan(cost[m])]
    evaluator.submit(first)
    while np.isnan(cost[first]).any():
        _collect(cost, evaluator)
    if imputations:
        alone = cost[[1 << i for i in range(n)]]
        if alone.sum() < cost[grand] - 1e-9 * max(1.0, abs(cost[grand])):
            raise EmptyImputationSet(
                f"the players' stand-alone costs ({alone.sum():,.6g}) are below the grand"
                f" coalition's cost ({cost[grand]:,.6g}): no allocation leaves every"
                " player at or below its stand-alone cost"
            )
    if n == 1:
        return np.array([cost[grand]]), [0.0]
    member = _membership(n)
    bounds = [(None, cost[1 << i] if imputations else None) for i in range(n)] + [(None, None)]
    free = list(range(1, grand))
    fixed: list[tuple[int, float]] = []
    levels: list[float] = []
    x = np.full(n, cost[grand] / n)
    while free:
        while True:
            known = [m for m in free if not np.isnan(cost[m])]
            x, t, duals = _level_lp(n, member, cost, known, fixed, grand, bounds)
            unknown = np.array([m for m in free if np.isnan(cost[m])], dtype=int)
            if unknown.size == 0:
                break
            bound = lower_bound(unknown, cost) if lower_bound else np.full(unknown.size, -np.inf)
            scale = max(1.0, float(np.nanmax(np.abs(cost))))
            optimistic = member[unknown] @ x - bound
            could = optimistic >= t - tolerance * scale
            if not could.any():
                break
            binds = np.zeros(unknown.size, dtype=bool)
            if np.isfinite(bound[could]).all():
                # the level LP has many optima, and a vertex may lie where a bound says a
                # coalition could bind while another optimum lies clear of every bound:
                # that one is optimal for the whole game (lower <= c), and the known
                # rows' duals stay optimal for it. Else the bounds that bind go first.
                x_clear, t_clear, bound_duals = _level_lp(
                    n, member, cost, known, fixed, grand, bounds,
                    extra=(unknown[could], bound[could]),
                )  # fmt: skip
                if t_clear <= t + tolerance * scale:
                    x = x_clear
                    break
                binds[could] = bound_duals[len(known) :] > tolerance
            rank = getattr(lower_bound, "priority", lambda m: np.zeros(m.size))(unknown[could])
            order = np.lexsort((-rank, -optimistic[could], ~binds[could]))
            busy = {group(m) for m in evaluator.in_flight()}
            fresh = [m for m in unknown[could][order] if group(int(m)) not in busy]
            evaluator.submit(_one_per_group(fresh, group, batch - len(busy)))
            _collect(cost, evaluator)
            if lower_bound is not None:
                _check_bound(cost, lower_bound, tolerance)
        levels.append(t)
        if stop_after_first:
            break
        tight = [m for m, d in zip(known, duals, strict=True) if d > tolerance]
        if not tight:  # degenerate dual: fix the coalitions at the level instead
            scale = max(1.0, float(np.nanmax(np.abs(cost))))
            tight = [m for m in known if member[m] @ x - cost[m] >= t - tolerance * scale]
        fixed += [(m, t) for m in tight]
        # the row space of the fixed coalitions (and N): sums x(S) it already determines
        basis = _row_space(np.array([np.ones(n)] + [member[m] for m, _ in fixed]))
        if basis.shape[1] >= n:
            break
        candidates = np.array([m for m in free if m not in set(tight)])
        if candidates.size == 0:
            break
        rows = member[candidates]
        outside = np.linalg.norm(rows - rows @ basis @ basis.T, axis=1) > 1e-9
        free = [int(m) for m in candidates[outside]]
    return x, levels


def _one_per_group(masks: list[int], group: Group, batch: int) -> list[int]:
    """The first mask of each group, in order, until ``batch`` groups are picked."""
    picked: dict[Hashable, int] = {}
    for mask in masks if batch > 0 else []:
        picked.setdefault(group(int(mask)), int(mask))
        if len(picked) == batch:
            break
    return list(picked.values())


def _check_bound(
    cost: np.ndarray,
    lower_bound: Callable[[np.ndarray, np.ndarray], np.ndarray],
    tolerance: float,
) -> None:
    """Every known cost respects the bound the other known costs give it."""
    known = np.flatnonzero(~np.isnan(cost))
    known = known[known > 0]
    scale = max(1.0, float(np.abs(cost[known]).max()))
    low = lower_bound(known, cost)
    if (cost[known] < low - tolerance * scale).any():
        worst = int(known[np.argmax(low - cost[known])])
        raise BoundViolated(f"coalition {worst} costs less than its monotone bound")


def _collect(cost: np.ndarray, evaluator: Evaluator) -> None:
    """Fill in the costs the evaluator knows now (it waits for one if it has none)."""
    known = evaluator.collect()
    if not known and not evaluator.in_flight():
        raise RuntimeError("the evaluator returned no cost and has nothing in flight")
    for mask, value in known.items():
        cost[mask] = value


def _level_lp(
    n: int,
    member: np.ndarray,
    cost: np.ndarray,
    rows: list[int],
    fixed: list[tuple[int, float]],
    grand: int,
    bounds: list,
    extra: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, float, np.ndarray]:
    """min t s.t. x(S) - t <= c(S) over ``rows``, x(N) = c(N), fixed excesses kept;
    ``extra`` (masks, costs) adds rows whose cost is given instead of known (e.g. the
    lower bounds of coalitions not evaluated).

    Variables are (x_1..x_n, t). Returns x, t and the duals of the rows (>= 0), those
    of ``extra`` last.
    """
    rows_cost = cost[rows]
    if extra is not None:
        rows, rows_cost = [*rows, *extra[0]], np.r_[rows_cost, extra[1]]
    a_ub = np.hstack([member[rows], -np.ones((len(rows), 1))])
    eq_rows = [np.r_[np.ones(n), 0.0]] + [np.r_[member[m], 0.0] for m, _ in fixed]
    b_eq = [cost[grand]] + [cost[m] + e for m, e in fixed]
    result = linprog(
        np.r_[np.zeros(n), 1.0], A_ub=a_ub, b_ub=rows_cost, A_eq=np.array(eq_rows),
        b_eq=b_eq, bounds=bounds, method="highs",
    )  # fmt: skip
    if result.status != 0:
        raise RuntimeError(f"nucleolus LP failed: {result.message}")
    return result.x[:n], float(result.x[n]), -result.ineqlin.marginals


def nucleolus_by_generation(
    n: int,
    evaluate: Evaluate | Evaluator,
    roles: Sequence[str],
    imputations: bool = True,
    stop_after_first: bool = False,
    batch: int = 1,
    unformed: Callable[[int], bool] = lambda _mask: False,
    group: Group = lambda mask: mask,
) -> tuple[np.ndarray, list[float], np.ndarray]:
    """Nucleolus (or least core) of a lazily evaluated game with a :class:`MonotoneBound`.

    Returns the allocation, the level excesses and the cost array (NaN where a coalition
    was never evaluated). Raises :class:`BoundViolated` if the game is not monotone.
    """
    cost = np.full(2**n, np.nan)
    cost[0] = 0.0
    x, levels = sequential_lp(
        n, cost, imputations, stop_after_first, evaluate, MonotoneBound(roles, unformed),
        batch, group=group,
    )  # fmt: skip
    return x, levels, cost

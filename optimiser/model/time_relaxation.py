"""A time-series relaxation of a full-year model: fewer steps, and a valid lower bound.

The RiSES3 idea (Baumgärtner, Bahl, Hennen, Bardow 2019, "RiSES3: Rigorous Synthesis of
Energy Supply and Storage Systems via time-series relaxation and aggregation", Computers
& Chemical Engineering 127, 127-139): merge consecutive hours into *segments* and give
every merged step the data that favours the system most. Every full-year solution then
maps to a solution of the merged model that costs no more, so the merged model's optimum
(or any MILP dual bound of it) is a lower bound on the full-year optimum, with the
integer design decisions kept integer, which the LP relaxation of the full year cannot.

Here the merge works on the full-year model's matrix, for any component, using only
where each row and column sits in time (:class:`HourlyLayout`):

- an hourly column ``x[t] >= 0`` becomes its segment's sum ``X[s] = sum_{t in s} x[t]``
  (bounds and integrality of a sum); a column without an hour stays as it is;
- an hourly row family is summed over each segment; a yearly row stays one row;
- a coefficient that varies over a segment's hours is replaced by its smallest value on
  the ``<=`` side of the row and by its largest on the ``>=`` side, because for
  ``x >= 0``: ``min(a) X <= sum a[t] x[t] <= max(a) X``; an equality whose coefficients
  vary becomes these two inequalities. Hours of a segment a row does not reach count as a
  coefficient of 0. A column without an hour keeps the summed coefficient (exact);
- a cost per hour becomes its smallest value in the segment (a lower cost, never higher);
- a store's level one hour earlier (``level[t-1]`` in ``level[t]``'s row) sums to the
  segment's sum minus its last hour plus the previous segment's last hour, so a store's
  level at each segment's end is kept as a column of its own ``E[s]``, with
  ``0 <= X[s] - E[s]`` and the rows of that hour that involve only such levels (the
  level within the capacity) copied for it.

The merged model forgets only what happens inside a segment (when a price is lowest,
which hour is the peak), never energy, water, a yearly sum or a store's state at the
segment ends; with one-hour segments it is the full-year model itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from optimiser.model.builder import ModelBuilder
from optimiser.model.matrix import ModelMatrix

_INTEGER = highspy.HighsVarType.kInteger
_CONTINUOUS = highspy.HighsVarType.kContinuous
_SAME = 1e-9
"""Relative spread below which a coefficient counts as constant over a segment."""


@dataclass(frozen=True)
class HourlyLayout:
    """Where each column and row of a :class:`ModelMatrix` sits in time.

    ``column_hour``/``row_hour``: the step (0 ... n_steps-1) or -1 for none (a size, a
    yearly row); ``column_family``/``row_family``: which hourly variable or hourly row
    block it belongs to (-1 for none); ``previous``: the step before each step.
    """

    column_hour: np.ndarray
    column_family: np.ndarray
    row_hour: np.ndarray
    row_family: np.ndarray
    previous: np.ndarray


def hourly_layout(builder: ModelBuilder, form: ModelMatrix) -> HourlyLayout:
    """The :class:`HourlyLayout` of ``builder``'s model written as ``form``.

    A column is hourly if its variable is indexed by the builder's steps or by a subset
    of them (``builder.hourly_subsets``). A row of the builder's hourly blocks is at its
    step; a Pyomo constraint indexed by a step whose hourly columns lie at that step or
    the one before is at that step; every other row counts as yearly (always valid:
    a row kept whole is never relaxed, only its hourly columns are merged).
    """
    steps = builder.model.T
    hourly_parents = {id(v) for v in builder.hourly_subsets}
    families: dict[int, int] = {}
    n = len(form.columns)
    column_hour = np.full(n, -1, dtype=np.int64)
    column_family = np.full(n, -1, dtype=np.int64)
    for j, var in enumerate(form.columns):
        parent = var.parent_component()
        if parent is var:
            continue
        key = id(parent)
        if key not in families:
            if parent.index_set() is not steps and key not in hourly_parents:
                families[key] = -1
            else:
                families[key] = sum(f >= 0 for f in families.values())
        if families[key] >= 0:
            column_family[j] = families[key]
            column_hour[j] = var.index()

    previous = np.asarray(builder.previous_step, dtype=np.int64)
    n_compiled = len(form.compiled_rows)
    row_hour = np.full(form.lp.num_row_, -1, dtype=np.int64)
    row_family = np.full(form.lp.num_row_, -1, dtype=np.int64)
    row_families: dict[int, int] = {}
    for i, row in enumerate(form.compiled_rows):
        constraint = row.constraint
        parent = constraint.parent_component()
        index = constraint.index() if parent is not constraint else None
        if isinstance(index, int) and 0 <= index < builder.n_steps:
            row_families.setdefault(id(parent), len(row_families))
            row_hour[i] = index
            row_family[i] = row_families[id(parent)]
    n_steps = builder.n_steps
    for block in range(form.step_blocks):
        rows = slice(n_compiled + block * n_steps, n_compiled + (block + 1) * n_steps)
        row_hour[rows] = np.arange(n_steps)
        row_family[rows] = len(row_families) + block

    # a compiled row counts as hourly only if its hourly columns are at its step or the one before
    matrix = _csr(form.lp)
    entry_row = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    hour = column_hour[matrix.indices]
    at = row_hour[entry_row]
    stray = (hour >= 0) & (at >= 0) & (hour != at) & (hour != previous[np.maximum(at, 0)])
    untimed = np.unique(entry_row[stray])
    row_hour[untimed] = -1
    row_family[untimed] = -1
    return HourlyLayout(column_hour, column_family, row_hour, row_family, previous)


def uniform_segments(n_steps: int, hours: int) -> np.ndarray:
    """First step of each segment when every segment is ``hours`` long (the last shorter)."""
    if hours < 1:
        raise ValueError(f"a segment must be at least 1 hour, not {hours}")
    return np.arange(0, n_steps, hours, dtype=np.int64)


def _csr(lp: highspy.HighsLp) -> sp.csr_matrix:
    matrix = sp.csc_matrix(
        (
            np.asarray(lp.a_matrix_.value_),
            np.asarray(lp.a_matrix_.index_),
            np.asarray(lp.a_matrix_.start_),
        ),
        shape=(lp.num_row_, lp.num_col_),
    )
    return matrix.tocsr()


@dataclass(frozen=True)
class MergedModel:
    """The merged model as a HiGHS LP/MIP (same constant cost as the full year's)
    and its size: ``segments`` merged steps."""

    lp: highspy.HighsLp
    segments: int
    kept: np.ndarray
    """Full-year columns without an hour, in the merged model's first columns."""
    sum_key: np.ndarray
    """Per full-year column, which (family, segment) sum it is in (-1: none)."""
    sums: np.ndarray
    """The (family, segment) of each merged sum column, after the kept ones."""
    ends: np.ndarray
    """Full-year column of each merged store level at a segment's end (the last columns)."""

    def project(self, x: np.ndarray) -> np.ndarray:
        """The merged model's columns for the full-year point ``x``: the columns without
        an hour as they are, each segment's sums, each store's level at the segment ends
        (the map under which the merged model relaxes the full year; tests check it)."""
        timed = self.sum_key >= 0
        totals = np.zeros(int(self.sum_key.max()) + 1 if timed.any() else 0)
        np.add.at(totals, self.sum_key[timed], x[timed])
        return np.concatenate([x[self.kept], totals[self.sums], x[self.ends]])


def merged_model(
    form: ModelMatrix,
    layout: HourlyLayout,
    starts: np.ndarray,
    hourly_integers: bool = False,
) -> MergedModel:
    """The full-year model ``form`` merged into segments that begin at the steps
    ``starts`` (ascending, the first 0): see the module text. Its optimum is at most the
    full-year optimum, with the same constant cost left out.

    ``hourly_integers=False`` also makes the merged hourly integers (modules running,
    import or export) continuous, which keeps the bound valid and the model small; the
    integers without an hour (the design) stay integer. Raises ValueError if an hourly
    column can be negative (the bounds by the smallest and largest coefficient need
    ``x >= 0``) or a store's level is missing in a segment's last step.
    """
    lp = form.lp
    n, m = lp.num_col_, lp.num_row_
    n_steps = len(layout.previous)
    starts = np.asarray(starts, dtype=np.int64)
    if starts[0] != 0 or np.any(np.diff(starts) <= 0) or starts[-1] >= n_steps:
        raise ValueError("segments must start at 0 and ascend within the year")
    n_seg = len(starts)
    segment = np.searchsorted(starts, np.arange(n_steps), side="right") - 1
    ends = np.r_[starts[1:], n_steps] - 1
    lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    cost = np.asarray(lp.col_cost_)
    integer = np.zeros(n, dtype=bool)
    if len(lp.integrality_):
        integer = np.array([v == _INTEGER for v in lp.integrality_])

    hour, family = layout.column_hour, layout.column_family
    hourly = hour >= 0
    if np.any(lower[hourly] < 0):
        raise ValueError("an hourly column may be negative; merging needs x >= 0")
    n_fam = int(family.max()) + 1 if hourly.any() else 0
    x_key = np.where(hourly, family * n_seg + segment[np.maximum(hour, 0)], -1)
    members = np.bincount(x_key[hourly], minlength=n_fam * n_seg)

    matrix = _csr(lp).tocoo()
    row, col, value = matrix.row, matrix.col, matrix.data
    h, f, t = hour[col], family[col], layout.row_hour[row]
    timed = h >= 0
    lag = timed & (t >= 0) & (h != t)
    interior = lag & (segment[h] == segment[np.maximum(t, 0)])
    boundary = lag & ~interior
    seg_h = segment[np.maximum(h, 0)]
    if np.any(h[boundary] != ends[seg_h[boundary]]):
        raise ValueError("a row reaches back more than one step across a segment's start")
    span = n_fam * n_seg
    quantity = np.where(timed, n + f * n_seg + seg_h, col)  # X, or the column itself
    quantity[interior] = n + span + f[interior] * n_seg + seg_h[interior]
    quantity[boundary] = n + 2 * span + f[boundary] * n_seg + seg_h[boundary]
    summed = timed & ~boundary  # a sum of hours: bounded by the extreme coefficients
    lagged = np.unique(f[lag])

    # columns of the merged model: those without an hour, each (family, segment)'s sum,
    # each lagged family's level at every segment's end
    kept = np.flatnonzero(~hourly)
    new_column = np.full(n + 3 * span, -1, dtype=np.int64)
    new_column[kept] = np.arange(len(kept))
    x_keys = np.flatnonzero(members > 0)
    new_column[n + x_keys] = len(kept) + np.arange(len(x_keys))
    e_keys = (lagged[:, None] * n_seg + np.arange(n_seg)[None, :]).ravel()
    first_e = len(kept) + len(x_keys)
    new_column[n + 2 * span + e_keys] = first_e + np.arange(len(e_keys))
    at = np.full(n_fam * n_steps, -1, dtype=np.int64)
    at[family[hourly] * n_steps + hour[hourly]] = np.flatnonzero(hourly)
    end_column = at[(lagged[:, None] * n_steps + ends[None, :]).ravel()]
    if np.any(end_column < 0):
        raise ValueError("a store's level is missing in a segment's last step")

    # rows: an hourly row family summed per segment, a yearly row alone
    target = np.where(
        layout.row_hour >= 0,
        m + layout.row_family * n_seg + segment[np.maximum(layout.row_hour, 0)],
        np.arange(m),
    )
    targets, target_of_row = np.unique(target, return_inverse=True)
    n_target = len(targets)
    row_lower = np.zeros(n_target)
    row_upper = np.zeros(n_target)
    np.add.at(row_lower, target_of_row, np.asarray(lp.row_lower_))
    np.add.at(row_upper, target_of_row, np.asarray(lp.row_upper_))

    n_quantity = n + 3 * span
    group_key = target_of_row[row] * n_quantity + quantity
    groups, group_of = np.unique(group_key, return_inverse=True)
    low = np.full(len(groups), np.inf)
    high = np.full(len(groups), -np.inf)
    total = np.zeros(len(groups))
    np.minimum.at(low, group_of, value)
    np.maximum.at(high, group_of, value)
    np.add.at(total, group_of, value)
    count = np.bincount(group_of, minlength=len(groups))
    group_target = groups // n_quantity
    group_quantity = groups % n_quantity
    group_summed = np.zeros(len(groups), dtype=bool)
    group_summed[group_of[summed]] = True
    needed = np.zeros(len(groups), dtype=np.int64)  # hours a summed group stands for
    is_sum = (group_quantity >= n) & (group_quantity < n + span)
    needed[is_sum] = members[group_quantity[is_sum] - n]
    is_interior = (group_quantity >= n + span) & (group_quantity < n + 2 * span)
    needed[is_interior] = members[group_quantity[is_interior] - n - span] - 1
    partial = group_summed & (count < needed)
    low = np.where(partial, np.minimum(low, 0.0), low)
    high = np.where(partial, np.maximum(high, 0.0), high)
    spread = high - low > _SAME * np.maximum(np.maximum(np.abs(low), np.abs(high)), 1e-12)
    inexact = np.zeros(n_target, dtype=bool)
    inexact[group_target[group_summed & spread]] = True

    rows, cols, values, lo_bounds, up_bounds = [], [], [], [], []

    def emit(chosen_targets: np.ndarray, coefficient: np.ndarray, lo: np.ndarray, up: np.ndarray):
        """One merged row per chosen target: its groups with ``coefficient``."""
        position = np.full(n_target, -1, dtype=np.int64)
        position[chosen_targets] = sum(len(b) for b in lo_bounds) + np.arange(len(chosen_targets))
        take = position[group_target] >= 0
        row_of = position[group_target[take]]
        q = group_quantity[take]
        c = coefficient[take]
        is_interior = (q >= n + span) & (q < n + 2 * span)
        first = np.where(is_interior, n + (q - n - span), q)  # an interior sum is X - E
        rows.extend([row_of, row_of[is_interior]])
        cols.extend([new_column[first], new_column[q[is_interior] + span]])
        values.extend([c, -c[is_interior]])
        lo_bounds.append(lo[chosen_targets])
        up_bounds.append(up[chosen_targets])

    upper_side = np.where(group_summed, low, total)
    lower_side = np.where(group_summed, high, total)
    exact = np.flatnonzero(~inexact)
    emit(exact, upper_side, row_lower, row_upper)
    infinite = np.full(n_target, np.inf)
    with_upper = np.flatnonzero(inexact & np.isfinite(row_upper))
    emit(with_upper, upper_side, -infinite, row_upper)
    with_lower = np.flatnonzero(inexact & np.isfinite(row_lower))
    emit(with_lower, lower_side, row_lower, infinite)
    n_rows = sum(len(b) for b in lo_bounds)

    # a level's segment sum holds its end: 0 <= X - E <= the other hours' bounds
    e_family, e_segment = e_keys // n_seg, e_keys % n_seg
    x_of_e = new_column[n + e_family * n_seg + e_segment]
    sum_lower = np.zeros(span)
    sum_upper = np.zeros(span)
    np.add.at(sum_lower, x_key[hourly], lower[hourly])
    np.add.at(sum_upper, x_key[hourly], upper[hourly])
    link = n_rows + np.arange(len(e_keys))
    rows.extend([link, link])
    cols.extend([x_of_e, first_e + np.arange(len(e_keys))])
    values.extend([np.ones(len(e_keys)), -np.ones(len(e_keys))])
    lo_bounds.append(sum_lower[e_keys] - lower[end_column])
    with np.errstate(invalid="ignore"):  # inf - inf: no upper bound
        up_bounds.append(
            np.where(np.isfinite(sum_upper[e_keys]), sum_upper[e_keys] - upper[end_column], np.inf)
        )
    n_rows += len(e_keys)

    # the rows of a segment's last step that hold only levels there (the capacity)
    e_of_column = np.full(n, -1, dtype=np.int64)
    e_of_column[end_column] = first_e + np.arange(len(e_keys))
    t_all = layout.row_hour
    at_end = (t_all >= 0) & (t_all == ends[segment[np.maximum(t_all, 0)]])
    foreign = timed & (e_of_column[col] < 0)
    ok = at_end.copy()
    ok[row[foreign]] = False
    has_level = np.zeros(m, dtype=bool)
    has_level[row[e_of_column[col] >= 0]] = True
    copied = np.flatnonzero(ok & has_level)
    position = np.full(m, -1, dtype=np.int64)
    position[copied] = n_rows + np.arange(len(copied))
    take = position[row] >= 0
    rows.append(position[row[take]])
    cols.append(np.where(timed[take], e_of_column[col[take]], new_column[col[take]]))
    values.append(value[take])
    lo_bounds.append(np.asarray(lp.row_lower_)[copied])
    up_bounds.append(np.asarray(lp.row_upper_)[copied])
    n_rows += len(copied)

    # costs (the lowest of a segment's hours), bounds and integrality of the columns
    n_new = first_e + len(e_keys)
    new_cost = np.zeros(n_new)
    new_cost[: len(kept)] = cost[kept]
    x_cost = np.full(span, np.inf)
    np.minimum.at(x_cost, x_key[hourly], cost[hourly])
    new_cost[len(kept) : first_e] = x_cost[x_keys]
    col_lower = np.concatenate([lower[kept], sum_lower[x_keys], lower[end_column]])
    col_upper = np.concatenate([upper[kept], sum_upper[x_keys], upper[end_column]])
    all_integer = np.ones(span, dtype=bool)
    np.logical_and.at(all_integer, x_key[hourly], integer[hourly])
    merged_integer = np.concatenate(
        [
            integer[kept],
            all_integer[x_keys] & hourly_integers,
            integer[end_column] & hourly_integers,
        ]
    )
    a = sp.csc_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, n_new),
    )
    a.sum_duplicates()  # a level's sum appears twice in its balance: X and X - E
    a.eliminate_zeros()
    merged = highspy.HighsLp()
    merged.num_col_, merged.num_row_ = n_new, n_rows
    merged.col_cost_ = new_cost
    merged.offset_ = 0.0
    merged.col_lower_, merged.col_upper_ = col_lower, col_upper
    merged.row_lower_ = np.concatenate(lo_bounds)
    merged.row_upper_ = np.concatenate(up_bounds)
    merged.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    merged.a_matrix_.start_ = a.indptr
    merged.a_matrix_.index_ = a.indices
    merged.a_matrix_.value_ = a.data
    if merged_integer.any():
        merged.integrality_ = [_INTEGER if i else _CONTINUOUS for i in merged_integer]
    return MergedModel(merged, n_seg, kept, x_key, x_keys, end_column)

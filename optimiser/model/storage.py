"""Storage levels: a store's level per step and its balance, on a full year or on
typical days linked through the 365 days of the year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyomo.environ as pyo

from optimiser.model.hourly import HourlyVar

if TYPE_CHECKING:
    from optimiser.model.builder import ModelBuilder


@dataclass
class Level:
    """A storage level over time (kWh at the end of each step).

    For a seasonal store on typical days, ``variable`` is the change since the start of
    the typical day and ``day_start`` the level at the start of each calendar day.
    """

    component: str
    name: str
    variable: HourlyVar
    day_start: pyo.Var | None = None


def add_level(
    mb: ModelBuilder,
    blk: pyo.Block,
    component: str,
    net_inflow: list[tuple[HourlyVar, float]],
    retention_per_step: float,
    capacity=None,
) -> HourlyVar:
    """Create a store's level (kWh at the end of each step) and its balance.

    ``net_inflow`` are (hourly variable, coefficient) terms of the kW into the store.
    ``level[t] = retention * level[t-1] + net_inflow[t] * 1 h``, within
    ``[0, capacity]``. On a full year (one period) the step before the first is the
    last: the store ends the year where it began. On typical days every store
    follows the whole year by superposition (Kotzur et al. 2018, "Time series
    aggregation for energy system design: modeling seasonal storage", Applied
    Energy 213, 123-135): ``level`` is then the change since the start of the typical
    day, and a level per calendar day carries the state, ``S[d+1] = r^24 S[d] +
    level[end of day d's typical day]``, cyclic over the 365 days. Bounds hold for
    every hour of the year through the lowest and highest intra-day level of each
    typical day, conservatively: ``r^24 S[d] + min >= 0`` and ``S[d] + max <= cap``.
    Not only the ATES needs this: a heat tank of a day's demand shifts heat from
    mild to cold days, which a tank cyclic within each typical day cannot show (the
    default model's tank came out 8 times smaller that way).
    Returns the level variable.
    """
    linked = mb.period_of_day is not None
    level = mb.hourly_var(blk, "level_kwh", lower=-np.inf if linked else 0.0)
    r = retention_per_step
    if linked:  # the step before the first of a typical day is the day's start, 0 here
        earlier = np.where(mb.first_of_period, 0, np.arange(mb.n_steps) - 1)
        before, before_coef = level.at(earlier), np.where(mb.first_of_period, 0.0, r)
    else:
        before, before_coef = level.at(mb.previous_step), np.full(mb.n_steps, r)
    inflow = [(variable, -np.asarray(coef, dtype=float)) for variable, coef in net_inflow]
    mb.each_step(blk, "level_balance", [(level, 1.0), (before, -before_coef), *inflow], "==")
    if not linked:
        if capacity is not None:
            mb.each_step(blk, "level_limit", [(level, 1.0), (capacity, -1.0)])
        mb.levels.append(Level(component, "level_kwh", level))
        return level

    periods = range(mb.n_periods)
    days = range(len(mb.period_of_day))
    of_day = mb.period_of_day
    last = mb.last_of_period
    blk.day_start_kwh = pyo.Var(days, domain=pyo.NonNegativeReals)
    blk.lowest_kwh = pyo.Var(periods, bounds=(None, 0.0))
    blk.highest_kwh = pyo.Var(periods, bounds=(0.0, None))
    start = blk.day_start_kwh
    lowest = [blk.lowest_kwh[p] for p in mb.period]
    highest = [blk.highest_kwh[p] for p in mb.period]
    mb.each_step(blk, "lowest", [(lowest, 1.0), (level, -1.0)])
    mb.each_step(blk, "highest", [(highest, 1.0), (level, -1.0)], ">=")
    hours = int(np.sum(mb.period == 0))
    r_day = r**hours
    n_days = len(days)
    blk.day_link = pyo.Constraint(
        days,
        rule=lambda _b, d: start[(d + 1) % n_days] == r_day * start[d] + level[last[of_day[d]]],
    )
    blk.day_lower = pyo.Constraint(
        days, rule=lambda _b, d: r_day * start[d] + blk.lowest_kwh[of_day[d]] >= 0
    )
    if capacity is not None:
        blk.day_upper = pyo.Constraint(
            days, rule=lambda _b, d: start[d] + blk.highest_kwh[of_day[d]] <= capacity
        )
    mb.levels.append(Level(component, "level_kwh", level, start))
    return level

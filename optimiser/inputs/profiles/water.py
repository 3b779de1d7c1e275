"""Hourly water series: household drinking water, wastewater, factory process water and heat.

All flows are m3/h (one value per hour of the model year); the factory's residual heat
is kW. Household use is persons x litres per person and day, spread over the day by
the diurnal pattern in ``data/water/household_diurnal_pattern.yaml``; wastewater is a
share of the use, reaching the treatment point a few hours later (shifted cyclically
over the year so that the year's volume is kept).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import yaml

from optimiser.errors import InputError
from optimiser.inputs.profiles.hourly_csv import read_hourly_csv
from optimiser.inputs.profiles.sanitation import (
    flush_litres,
    home_use_litres,
    levy_variables,
    sanitation_variables,
)
from optimiser.inputs.scenario import DATA_DIR, Factory, Scenario, Shift

PATTERN_FILE = DATA_DIR / "water" / "household_diurnal_pattern.yaml"


@cache
def household_diurnal_pattern() -> np.ndarray:
    """Share of a day's household water use in each hour 0..23 (sums to 1)."""
    factors = np.asarray(yaml.safe_load(PATTERN_FILE.read_text())["hourly_factor"], dtype=float)
    if factors.shape != (24,) or (factors < 0).any() or factors.sum() <= 0:
        raise InputError("need 24 non-negative factors", file=PATTERN_FILE, field="hourly_factor")
    return factors / factors.sum()


def daily_pattern_series(index: pd.DatetimeIndex, m3_per_day: float) -> np.ndarray:
    """``m3_per_day`` spread over each day of ``index`` by the household pattern (m3/h)."""
    return m3_per_day * household_diurnal_pattern()[index.hour]


def shift_hours(index: pd.DatetimeIndex, shift: Shift) -> np.ndarray:
    """1.0 in the hours the shift runs, else 0.0."""
    on_day = np.isin(index.dayofweek, shift.weekdays)
    in_hours = (index.hour >= shift.start_hour) & (index.hour < shift.end_hour)
    return (on_day & in_hours).astype(float)


def _factory_series(total: float, file, column: str, field: str, shift: np.ndarray) -> np.ndarray:
    """``total`` per year over the shift hours, or shaped by an hourly CSV ``file``."""
    shape = shift if file is None else read_hourly_csv(file, column, field)
    if total > 0 and shape.sum() <= 0:
        raise InputError("profile has no hour with use", file=file, field=field)
    return total * shape / shape.sum() if total > 0 else np.zeros(len(shape))


def factory_process_water(index: pd.DatetimeIndex, factory: Factory) -> np.ndarray:
    """The factory's process-water demand per hour (m3/h)."""
    return _factory_series(
        factory.process_water_m3_per_year,
        factory.process_water_profile_file,
        "m3_per_h",
        "water.factory.process_water_profile_file",
        shift_hours(index, factory.shift),
    )


def factory_residual_heat(index: pd.DatetimeIndex, factory: Factory) -> np.ndarray:
    """The factory's residual heat available per hour (kW)."""
    return _factory_series(
        factory.residual_heat_mwh_per_year * 1e3,
        factory.residual_heat_profile_file,
        "kw",
        "water.factory.residual_heat_profile_file",
        shift_hours(index, factory.shift),
    )


def water_variables(scenario: Scenario, index: pd.DatetimeIndex) -> dict:
    """The water inputs of a scenario with a ``water`` section, as Dataset variables.

    ``drinking_water_demand_m3_per_h`` (consumer, time), ``wastewater_m3_per_h``,
    ``toilet_water_m3_per_h`` (with toilet reuse), ``process_water_demand_m3_per_h``,
    the separated streams and the levy scalars (see
    :mod:`optimiser.inputs.profiles.sanitation`),
    ``factory_heat_kw`` and the prices ``drinking_water_eur_per_m3``,
    ``sewer_eur_per_m3`` (time); scalars ``treatment_levy_eur_per_m3`` and
    ``factory_heat_c``.
    """
    water = scenario.water
    prices = scenario.prices.water
    assert water is not None and prices is not None  # checked by the scenario
    n = len(index)
    home_litres = home_use_litres(scenario)  # vacuum toilets flush with less
    toilet_share = flush_litres(scenario) / home_litres
    use = []  # m3/h per consumer group, all uses
    for group in scenario.demand.groups:
        is_home = group in scenario.demand.households
        if group.annual_water_m3 is not None:
            per_day = group.count * group.annual_water_m3 / 365.0
        elif is_home:
            persons = group.persons if group.persons is not None else water.persons_per_home
            per_day = group.count * persons * home_litres / 1e3
        else:
            per_day = 0.0
        use.append(daily_pattern_series(index, per_day))
    use_m3 = np.vstack(use)
    homes = np.array([g in scenario.demand.households for g in scenario.demand.groups])
    toilets = (use_m3[homes].sum(axis=0) * toilet_share) if water.toilet_reuse else np.zeros(n)
    drinking = use_m3.copy()
    if water.toilet_reuse:
        drinking[homes] *= 1.0 - toilet_share
    # with separated sewers the homes' wastewater leaves as black and grey water instead
    combined = use_m3[~homes] if water.sanitation is not None else use_m3
    wastewater = np.roll(
        combined.sum(axis=0) * water.wastewater_share, water.wastewater_delay_hours
    )
    factory = water.factory
    t = ("time",)
    flow = {"units": "m3/h"}
    variables = {
        "drinking_water_demand_m3_per_h": (("consumer", "time"), drinking, flow),
        "wastewater_m3_per_h": (t, wastewater, flow),
        "toilet_water_m3_per_h": (t, toilets, flow),
        "process_water_demand_m3_per_h": (
            t,
            factory_process_water(index, factory) if factory else np.zeros(n),
            flow,
        ),
        "factory_heat_kw": (
            t,
            factory_residual_heat(index, factory) if factory else np.zeros(n),
            {"units": "kW"},
        ),
        "factory_heat_c": ((), factory.residual_heat_temperature_c if factory else 0.0),
        "drinking_water_eur_per_m3": (
            t,
            np.full(n, prices.drinking_eur_per_m3),
            {"units": "EUR/m3"},
        ),
        "sewer_eur_per_m3": (t, np.full(n, prices.sewer_eur_per_m3), {"units": "EUR/m3"}),
        "treatment_levy_eur_per_m3": (
            (),
            prices.levy_eur_per_pollution_unit * prices.pollution_units_per_m3,
            {"units": "EUR/m3"},
        ),
        **sanitation_variables(scenario, index, daily_pattern_series),
        **levy_variables(scenario),
    }
    return variables

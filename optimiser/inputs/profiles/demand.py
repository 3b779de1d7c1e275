"""Hourly heat and electricity demand from annual totals (BDEW profiles via demandlib).

Heat: the BDEW/SigLinDe standard load profiles (space heat and hot water) driven by
the hourly air temperature, scaled to the annual total. Electricity: the BDEW
standard load profiles (H0 dynamised for households, G* for trade), hourly means of
the 15-minute values. Both treat Dutch public holidays as Sundays. A user CSV gives
the shape instead of the standard profile; the annual total still sets the level.
"""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import pandas as pd
from demandlib import bdew

from optimiser.inputs.profiles.holidays import dutch_public_holidays

BDEW_RESIDENTIAL_BUILDING_CLASS = 5
"""BDEW building class (1 old ... 11 new) for EFH/MFH: mid-age stock, as most Dutch homes
(built 1945-1990). Non-residential profiles use class 0."""


def _naive_local(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Local standard time without time zone (what demandlib expects)."""
    return index.tz_localize(None) if index.tz is not None else index


def _bdew_heat(temp_air: pd.Series, profile: str) -> np.ndarray:
    """BDEW hourly heat demand ``h(T) x F(weekday) x SF(hour, T)`` before demandlib's
    scaling to the annual total, so different temperature series compare directly.

    demandlib scales by ``kw = 24 / sum(h x F)``; that factor is undone here. Cached
    by temperatures and profile: the hourly profile and the design peak of a group use
    the same year.
    """
    index = _naive_local(temp_air.index)
    key = (temp_air.to_numpy(dtype=float).tobytes(), index[0], len(index), profile)
    return _bdew_heat_cached(key, temp_air, profile).copy()


_BDEW_CACHE: dict[tuple, np.ndarray] = {}
"""Last few BDEW profiles by (temperatures, start, length, profile)."""


def _bdew_heat_cached(key: tuple, temp_air: pd.Series, profile: str) -> np.ndarray:
    """:func:`_bdew_heat` through a small cache (kept to the 32 most recent profiles)."""
    if key not in _BDEW_CACHE:
        if len(_BDEW_CACHE) >= 32:
            _BDEW_CACHE.pop(next(iter(_BDEW_CACHE)))
        _BDEW_CACHE[key] = _bdew_heat_uncached(temp_air, profile)
    return _BDEW_CACHE[key]


def _bdew_heat_uncached(temp_air: pd.Series, profile: str) -> np.ndarray:
    """The demandlib computation behind :func:`_bdew_heat`."""
    index = _naive_local(temp_air.index)
    year = int(index[0].year)
    residential = profile in ("EFH", "MFH")
    building = bdew.HeatBuilding(
        index,
        holidays=dutch_public_holidays(year),
        temperature=pd.Series(temp_air.to_numpy(), index=index),
        shlp_type=profile,
        building_class=BDEW_RESIDENTIAL_BUILDING_CLASS if residential else 0,
        wind_class=0,
        annual_heat_demand=1.0,
        name=profile,
        ww_incl=True,
    )
    values = np.asarray(building.get_normalized_bdew_profile(), dtype=float)
    a, b, c, d = building.get_sigmoid_parameters()
    h = a / (1 + (b / (building.df["temperature_geo"].to_numpy() - 40)) ** c) + d
    f = building.get_weekday_parameters()
    return values * float(np.sum(h * f)) / 24.0


def heat_demand_shape(temp_air: pd.Series, profile: str) -> np.ndarray:
    """Hourly heat demand shape (sums to 1 over the series) for a BDEW profile type.

    ``temp_air`` is the hourly air temperature (°C) on the model time index.
    """
    values = _bdew_heat(temp_air, profile)
    return values / values.sum()


DESIGN_SPELL_DAYS = 7
"""Length (days) of the design cold spell at the design temperature: longer than the
four days over which BDEW weights the daily mean temperature, so the allocation
temperature reaches the design value and every weekday occurs."""


def design_peak_share(temp_air: pd.Series, profile: str, design_c: float) -> float:
    """Hourly peak heat demand at the design outdoor temperature, as a share of the
    year's heat demand (1/h; multiply by the annual kWh for kW).

    The same BDEW relation as :func:`heat_demand_shape`: the year's temperatures with
    the first :data:`DESIGN_SPELL_DAYS` days of January (from day 8) held at
    ``design_c`` all day; the highest hour of that spell, divided by the year's own
    (unchanged) total. So the annual heat stays the user's and the peak follows the
    profile's temperature dependence, including hot water and the hourly factors.
    """
    start, stop = 7 * 24, (7 + DESIGN_SPELL_DAYS) * 24
    cold = temp_air.copy()
    cold.iloc[start:stop] = design_c
    spell = _bdew_heat(cold, profile)[start + 72 : stop]
    return float(spell.max() / _bdew_heat(temp_air, profile).sum())


COOLING_BASE_C = 21.0
"""Air temperature above which buildings need cooling (°C): the base of Eurostat's
cooling degree days (21 °C, counted on days above 24 °C); here hour by hour."""


def cooling_demand_shape(temp_air: pd.Series) -> np.ndarray:
    """Hourly cooling demand shape (sums to 1): proportional to the air temperature above
    :data:`COOLING_BASE_C`; all zeros when the year never exceeds it."""
    excess = np.clip(temp_air.to_numpy(dtype=float) - COOLING_BASE_C, 0.0, None)
    total = excess.sum()
    return excess / total if total > 0 else excess


@cache
def _electricity_profiles(year: int) -> pd.DataFrame:
    """All BDEW electricity profiles of a year, hourly means, each summing to 1 kWh."""
    # demandlib 0.2.2 calls warnings.simplefilter("error") in get_scaled_power_profiles,
    # which would turn every later warning of the process into an exception (a tsam
    # rounding notice then aborted coalition solves); keep its filter inside this block.
    with warnings.catch_warnings():
        slp = bdew.ElecSlp(year, holidays=dutch_public_holidays(year))
        quarter_hourly = slp.get_scaled_power_profiles(
            {
                name: 1.0
                for name in (
                    "h0", "h0_dyn", "g0", "g1", "g2", "g3", "g4", "g5", "g6", "l0", "l1", "l2"
                )
            }
        )  # fmt: skip
    hourly = quarter_hourly.resample("h").mean()
    return hourly[~((hourly.index.month == 2) & (hourly.index.day == 29))]


def electricity_demand_shape(index: pd.DatetimeIndex, profile: str) -> np.ndarray:
    """Hourly electricity demand shape (sums to 1) of a BDEW profile on the model index.

    Households (``h0``) use the dynamised H0 profile, which BDEW recommends for a
    yearly series (it adds the seasonal trend within the profile days).
    """
    year = int(index[0].year)
    column = "h0_dyn" if profile == "h0" else profile
    values = _electricity_profiles(year)[column].to_numpy(dtype=float)
    if len(values) != len(index):
        raise ValueError(f"BDEW profile has {len(values)} hours, model has {len(index)}")
    return values / values.sum()

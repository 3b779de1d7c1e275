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


def heat_demand_shape(temp_air: pd.Series, profile: str) -> np.ndarray:
    """Hourly heat demand shape (sums to 1 over the series) for a BDEW profile type.

    ``temp_air`` is the hourly air temperature (°C) on the model time index.
    """
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
    values = np.asarray(building.get_bdew_profile(), dtype=float)
    return values / values.sum()


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

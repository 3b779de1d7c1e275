"""Sanity checks on the units of weather read from a file, before it drives a design.

A weather file in the wrong unit reads without complaint and gives a plausible-looking
but wrong design: air temperature in kelvin makes every hour a heat wave, irradiance in
J/cm2 per hour (KNMI's ``Q``) or kWh/m2 makes PV worthless, wind in km/h triples the
wind. The checks here name the column, what its values look like and the conversion.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from optimiser.errors import InputError

TEMPERATURE_RANGE_C = (-60.0, 60.0)
"""Hourly air temperature measured anywhere people live (°C)."""

MAX_IRRADIANCE_W_PER_M2 = 1500.0
"""Above the solar constant (1361 W/m2) plus margin: no hourly mean exceeds it."""

MIN_MEAN_GHI_W_PER_M2 = 50.0
"""Yearly mean global horizontal irradiance is about 110 W/m2 in the Netherlands and
above 70 W/m2 wherever people live; a yearly mean below this is a unit slip."""

MAX_WIND_M_PER_S = 75.0
"""Above the strongest hourly mean wind ever measured: likely km/h or knots."""


def check_weather_units(data: pd.DataFrame, path: str | Path | None) -> None:
    """Raise :class:`InputError` when a weather column is in an implausible unit.

    ``data`` has the weather columns in °C, W/m2 and m/s (see
    :mod:`optimiser.inputs.profiles.weather`); missing values are ignored here.
    ``attrs["source_columns"]`` names the file's own columns in the message.
    """
    names = data.attrs.get("source_columns", {})
    temp = data["temp_air"].to_numpy(dtype=float)
    temp = temp[np.isfinite(temp)]
    if temp.size and np.median(temp) > 150.0:
        raise InputError(
            f"air temperature has median {np.median(temp):.1f}: looks like kelvin",
            file=path,
            field=names.get("temp_air", "temp_air"),
            fix="give °C (kelvin - 273.15)",
        )
    low, high = TEMPERATURE_RANGE_C
    if temp.size and (temp.min() < low or temp.max() > high):
        raise InputError(
            f"air temperature from {temp.min():.1f} to {temp.max():.1f} is outside"
            f" {low:.0f}..{high:.0f} °C",
            file=path,
            field=names.get("temp_air", "temp_air"),
            fix="give hourly air temperature in °C (KNMI's T is in 0.1 °C: divide by 10)",
        )
    for column in ("ghi", "dni", "dhi"):
        values = data[column].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        if values.size and (values.max() > MAX_IRRADIANCE_W_PER_M2 or values.min() < -10.0):
            raise InputError(
                f"irradiance from {values.min():,.0f} to {values.max():,.0f} is outside"
                f" 0..{MAX_IRRADIANCE_W_PER_M2:.0f} W/m2",
                file=path,
                field=names.get(column, column),
                fix="give hourly mean irradiance in W/m2 (J/m2 per hour / 3600)",
            )
    ghi = data["ghi"].dropna()
    days = (ghi.index.max() - ghi.index.min()) / pd.Timedelta(days=1) if len(ghi) else 0.0
    if days >= 300 and ghi.mean() < MIN_MEAN_GHI_W_PER_M2:
        raise InputError(
            f"yearly mean irradiance {ghi.mean():.1f} is far below any place on earth"
            " (about 110 W/m2 in the Netherlands): looks like J/cm2 or kWh/m2 per hour",
            file=path,
            field=names.get("ghi", "ghi"),
            fix="give W/m2 (J/cm2 per hour x 2.778; kWh/m2 per hour x 1000)",
        )
    wind = data["wind_speed"].to_numpy(dtype=float)
    wind = wind[np.isfinite(wind)]
    if wind.size and (wind.max() > MAX_WIND_M_PER_S or wind.min() < 0):
        raise InputError(
            f"wind speed from {wind.min():.1f} to {wind.max():.1f} is outside"
            f" 0..{MAX_WIND_M_PER_S:.0f} m/s",
            file=path,
            field=names.get("wind_speed", "wind_speed"),
            fix="give m/s (km/h / 3.6; KNMI's FH is in 0.1 m/s: divide by 10)",
        )

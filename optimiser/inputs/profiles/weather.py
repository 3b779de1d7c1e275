"""Hourly weather for the model year: which source, and alignment to the model's hours.

Readers (:mod:`optimiser.inputs.profiles.weather_files` for EPW, PVGIS TMY and CSV,
:mod:`optimiser.inputs.profiles.knmi` for KNMI's hourly format) return frames with a
tz-aware UTC index of hour-BEGINNING stamps and the columns of
:data:`~optimiser.inputs.profiles.weather_files.WEATHER_COLUMNS`.
:func:`align_to_year` (used by :func:`load_weather`) then maps such a frame onto the
model's 8760 hourly steps, :func:`model_time_index`, by the (month, day, hour) of the
local-standard-time stamp. A typical meteorological year assembled from several years,
or a measured year other than the model year, therefore serves any model year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from optimiser.errors import InputError
from optimiser.inputs.profiles.knmi import (
    DEFAULT_WEATHER_YEAR,
    decade_file,
    knmi_year,
    read_knmi_hourly,
    select_year,
)
from optimiser.inputs.profiles.weather_files import (
    DEFAULT_WEATHER_DIR,
    HOURS_PER_YEAR,
    IRRADIANCE_COLUMNS,
    WEATHER_COLUMNS,
    read_epw,
    read_pvgis_tmy,
    read_weather_csv,
)

SYNTHETIC_YEAR_FILE = DEFAULT_WEATHER_DIR / "default_year_de_bilt.csv"
"""Synthetic typical year for De Bilt built by ``scripts/build_default_year.py``."""

WEATHER_SOURCES: tuple[str, ...] = ("default", "synthetic", "epw", "pvgis_tmy", "knmi", "csv")
"""Values accepted for ``source`` by :func:`load_weather`."""

# Day of a non-leap year (0-based) on which each month starts.
_MONTH_START_DAY = np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30])


def model_time_index(year: int, utc_offset_hours: int = 1) -> pd.DatetimeIndex:
    """Hour-beginning time stamps of the model year, always 8760 of them.

    Parameters
    ----------
    year : int
        Calendar year of the model.
    utc_offset_hours : int, default 1
        Offset of local standard time from UTC in hours (1 for the Netherlands).
        Daylight saving time is not used: the clock is fixed all year.

    Returns
    -------
    pandas.DatetimeIndex
        Named ``time``, in the fixed-offset zone ``UTC+utc_offset_hours``, from Jan 1
        00:00 to Dec 31 23:00, with Feb 29 removed in leap years.
    """
    tz = timezone(timedelta(hours=utc_offset_hours))
    index = pd.date_range(
        pd.Timestamp(year, 1, 1, tz=tz),
        pd.Timestamp(year + 1, 1, 1, tz=tz),
        freq="h",
        inclusive="left",
        name="time",
    )
    return index[~((index.month == 2) & (index.day == 29))]


def synthetic_year() -> pd.DataFrame:
    """The shipped synthetic typical year for De Bilt (KNMI normals 1991-2020).

    Kept as a reference "normal" year: its months match the 1991-2020 normals and its
    coldest hour is the -10 °C design temperature, which no single measured year gives.

    Reads ``data/weather/default_year_de_bilt.csv`` (see ``data/weather/README.md``
    for sources and method; it is built by ``scripts/build_default_year.py``).

    Returns
    -------
    pandas.DataFrame
        UTC hour-beginning index, :data:`WEATHER_COLUMNS` (°C, W/m2, m/s), 8760 rows
        of the non-leap reference year 2023.
    """
    if not SYNTHETIC_YEAR_FILE.is_file():
        raise InputError(
            "the shipped default weather year is missing",
            file=SYNTHETIC_YEAR_FILE,
            fix="install the package from the source tree with `pip install -e .`",
        )
    return read_weather_csv(SYNTHETIC_YEAR_FILE)


def align_to_year(
    data: pd.DataFrame,
    year: int,
    utc_offset_hours: int = 1,
    *,
    file: str | Path | None = None,
    columns: Sequence[str] = WEATHER_COLUMNS,
) -> pd.DataFrame:
    """Map hourly data of any year onto the model year by (month, day, hour).

    Each model hour takes the value whose local-standard-time stamp
    (``UTC+utc_offset_hours``) has the same month, day and hour. To keep that exact for
    files from leap years, each stamp is placed by its UTC month, day and hour in a
    non-leap year and then shifted by the offset; UTC Feb 29 data is not used. So a
    8760-hour TMY whose February comes from a leap year (PVGIS leaves out Feb 29) and a
    measured leap year both cover every model hour. When an hour occurs more than once
    (a file of several years), its first occurrence is used.

    Parameters
    ----------
    data : pandas.DataFrame
        Tz-aware hour-beginning index, e.g. from one of the readers.
    year : int
        Model year.
    utc_offset_hours : int, default 1
        Offset of local standard time from UTC.
    file : str or Path, optional
        Source file, named in error messages.
    columns : sequence of str, default :data:`WEATHER_COLUMNS`
        Columns to keep; all must be present and without NaN.

    Returns
    -------
    pandas.DataFrame
        Index :func:`model_time_index` (8760 hours), ``columns`` as floats, irradiance
        columns clipped to >= 0.

    Raises
    ------
    InputError
        A column is missing, a stamp is not on the whole hour, hours of the year are
        not covered, or a value is NaN.
    """
    target = model_time_index(year, utc_offset_hours)
    names = data.attrs.get("source_columns", {})
    for column in columns:
        if column not in data.columns:
            raise InputError("column missing", file=file, field=names.get(column, column))
    stamps = pd.DatetimeIndex(data.index)
    if stamps.tz is None:
        raise InputError(
            "time stamps have no time zone", file=file, fix="give stamps with a UTC offset"
        )
    utc = stamps.tz_convert("UTC")
    off_hour = (utc.minute != 0) | (utc.second != 0)
    if off_hour.any():
        raise InputError(
            f"time stamp {stamps[off_hour][0]} is not on a whole hour",
            file=file,
            fix="supply hourly data with hour-beginning stamps",
        )
    hour_of_year = (_MONTH_START_DAY[utc.month - 1] + utc.day - 1) * 24 + utc.hour
    keys = pd.Index((hour_of_year + utc_offset_hours) % HOURS_PER_YEAR)
    not_leap_day = ~((utc.month == 2) & (utc.day == 29))
    keys, utc = keys[not_leap_day], utc[not_leap_day]
    first = ~keys.duplicated(keep="first")
    values = data.loc[not_leap_day, list(columns)].set_axis(keys)[first]
    origin = pd.Series(utc, index=keys)[first]

    wanted = pd.RangeIndex(HOURS_PER_YEAR)
    covered = wanted.isin(values.index)
    if not covered.all():
        gap = target[~covered][0]
        raise InputError(
            f"covers {covered.sum()} of the {HOURS_PER_YEAR} hours of a year; first missing "
            f"hour {gap:%b %d %H:00} (UTC{utc_offset_hours:+d}, hour beginning)",
            file=file,
            fix="supply a full year of hourly data (any year: it is mapped by month, day, hour)",
        )
    aligned = values.reindex(wanted)
    origin = origin.reindex(wanted)
    for column in columns:
        missing = aligned[column].isna().to_numpy()
        if missing.any():
            when = origin.iloc[missing.nonzero()[0][0]]
            raise InputError(
                f"no value for {when:%Y-%m-%d %H:00} UTC (hour beginning)",
                file=file,
                field=names.get(column, column),
                fix="fill the gap in the file or use a complete file",
            )
    aligned = aligned.set_axis(target).astype(float)
    for column in IRRADIANCE_COLUMNS:
        if column in aligned.columns:
            aligned[column] = aligned[column].clip(lower=0.0)
    return aligned


def load_weather(
    source: str,
    path: str | Path | None,
    year: int,
    latitude: float,
    longitude: float,
    utc_offset_hours: int = 1,
    weather_year: int | None = None,
) -> pd.DataFrame:
    """Weather of the model year from a named source.

    Parameters
    ----------
    source : {"default", "synthetic", "epw", "pvgis_tmy", "knmi", "csv"}
        ``default`` is a measured KNMI De Bilt year shipped with the package
        (``weather_year``, see :mod:`optimiser.inputs.profiles.knmi`), ``synthetic`` the
        shipped synthetic De Bilt year (``path`` is ignored for both); the others read
        ``path`` with :func:`read_epw`, :func:`read_pvgis_tmy`, :func:`read_knmi_hourly`
        (``weather_year`` then picks one year of a multi-year file) or
        :func:`read_weather_csv`.
    path : str or Path or None
        Weather file, required unless ``source`` is ``default``.
    year : int
        Model year.
    latitude, longitude : float
        Site in degrees north/east; used to derive DNI/DHI where a file lacks them
        (a KNMI station table takes precedence).
    utc_offset_hours : int, default 1
        Offset of local standard time from UTC.

    Returns
    -------
    pandas.DataFrame
        Index :func:`model_time_index` (8760 hours), :data:`WEATHER_COLUMNS`
        (°C, W/m2, m/s).
    """
    if source == "default":
        measured = weather_year or DEFAULT_WEATHER_YEAR
        data = knmi_year(measured)
        return align_to_year(data, year, utc_offset_hours, file=decade_file(measured))
    if source == "synthetic":
        return align_to_year(synthetic_year(), year, utc_offset_hours, file=SYNTHETIC_YEAR_FILE)
    if source not in WEATHER_SOURCES:
        raise InputError(
            f"unknown weather source '{source}'",
            field="source",
            fix=f"use one of {', '.join(WEATHER_SOURCES)}",
        )
    if path is None:
        raise InputError(
            f"weather source '{source}' needs a file",
            field="path",
            fix="give the path of the weather file, or use source 'default'",
        )
    if source == "epw":
        data = read_epw(path)
    elif source == "pvgis_tmy":
        data = read_pvgis_tmy(path)
    elif source == "knmi":
        data = read_knmi_hourly(path, latitude, longitude)
        if weather_year is not None:
            data = select_year(data, weather_year, path)
    else:
        data = read_weather_csv(path, latitude, longitude)
    return align_to_year(data, year, utc_offset_hours, file=path)

"""Measured weather years of KNMI station 260 De Bilt, shipped in ``data/weather/knmi/``.

KNMI's decade downloads ``uurgeg_260_2011-2020.zip`` and ``uurgeg_260_2021-2030.zip``
are kept unchanged (Source: KNMI, hourly data station 260 De Bilt, CC BY 4.0; see
``data/weather/README.md``) and read with
:func:`~optimiser.inputs.profiles.weather.read_knmi_hourly`. A weather year is the
8760 (or 8784) UTC hours of one calendar year; :func:`knmi_year` returns it and
refuses a year the files do not hold completely.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from optimiser.errors import InputError
from optimiser.inputs.profiles.weather import DEFAULT_WEATHER_DIR, read_knmi_hourly

KNMI_DIR = DEFAULT_WEATHER_DIR / "knmi"
"""Folder of the shipped KNMI decade zips."""

DE_BILT_LATITUDE, DE_BILT_LONGITUDE = 52.100, 5.180
"""Station 260 De Bilt, degrees north/east (KNMI station table); the decade zips carry
no station table, so the coordinates for the DNI/DHI decomposition are given here."""

SHIPPED_YEARS = range(2011, 2025)
"""Complete calendar years in the shipped files (2025 is partial and not offered)."""

DEFAULT_WEATHER_YEAR = 2011
"""Weather year of the default model: of the 14 shipped years, 2011's heating degree
days (2,623 Kd, base 18 °C on daily means) are closest to the 2011-2024 median
(2,621 Kd; range 2,385 in 2014 to 3,079 in 2013). Its coldest hour is -6.3 °C, so the
design peak comes from the security rule at the design outdoor temperature, not from
a freak winter."""


def decade_file(year: int) -> Path:
    """The shipped zip that holds ``year`` (``uurgeg_260_<decade>.zip``)."""
    start = year - (year - 1) % 10
    return KNMI_DIR / f"uurgeg_260_{start}-{start + 9}.zip"


@cache
def _decade(path: Path) -> pd.DataFrame:
    """All hours of one shipped decade file (parsed once per process)."""
    return read_knmi_hourly(path, DE_BILT_LATITUDE, DE_BILT_LONGITUDE)


def select_year(data: pd.DataFrame, year: int, file: str | Path) -> pd.DataFrame:
    """The rows of calendar year ``year`` (UTC); InputError unless all its hours are there."""
    stamps = pd.DatetimeIndex(data.index)
    rows = data[stamps.year == year]
    expected = 8784 if pd.Timestamp(year, 12, 31).dayofyear == 366 else 8760
    if len(rows) != expected:
        years = sorted(set(stamps.year))
        held = "no rows" if not years else str(years[0])
        if len(years) > 1:
            held += f"-{years[-1]}"
        raise InputError(
            f"weather year {year} has {len(rows)} of its {expected} hours in the file "
            f"(it holds {held})",
            file=file,
            field="weather.year",
            fix="choose a year the file covers completely",
        )
    return rows.copy()


def knmi_year(year: int) -> pd.DataFrame:
    """Measured hourly weather of De Bilt in calendar ``year`` (2011-2024).

    Returns
    -------
    pandas.DataFrame
        UTC hour-beginning index, the weather columns (°C, W/m2, m/s) of
        :func:`~optimiser.inputs.profiles.weather.read_knmi_hourly`.
    """
    if year not in SHIPPED_YEARS:
        raise InputError(
            f"weather year {year} is not among the shipped KNMI De Bilt years "
            f"({SHIPPED_YEARS[0]}-{SHIPPED_YEARS[-1]})",
            field="weather.year",
            fix=f"choose {SHIPPED_YEARS[0]}-{SHIPPED_YEARS[-1]}, or give a KNMI file "
            "(weather.source: knmi, weather.file)",
        )
    path = decade_file(year)
    return select_year(_decade(path), year, path)


def parse_years(text: str) -> list[int]:
    """Years from ``"2011-2024"``, ``"2012,2018"`` or ``"2013"`` (inclusive ranges)."""
    years: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            years += range(int(first), int(last or first) + 1)
    except ValueError:
        raise InputError(
            f"cannot read years '{text}'",
            field="--check-years",
            fix="write a range or list, e.g. 2011-2024 or 2012,2018",
        ) from None
    if not years:
        raise InputError(f"no years in '{text}'", field="--check-years", fix="e.g. 2011-2024")
    return years

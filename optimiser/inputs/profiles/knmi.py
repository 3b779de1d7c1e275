"""Measured weather years of KNMI station 260 De Bilt, shipped in ``data/weather/knmi/``.

KNMI's decade downloads ``uurgeg_260_2011-2020.zip`` and ``uurgeg_260_2021-2030.zip``
are kept unchanged (Source: KNMI, hourly data station 260 De Bilt, CC BY 4.0; see
``data/weather/README.md``) and read with
:func:`read_knmi_hourly`. A weather year is the
8760 (or 8784) UTC hours of one calendar year; :func:`knmi_year` returns it and
refuses a year the files do not hold completely.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from optimiser.errors import InputError
from optimiser.inputs.profiles.weather_files import (
    DEFAULT_WEATHER_DIR,
    decompose_ghi,
    finish_frame,
    require_file,
    unreadable,
)

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
        :func:`read_knmi_hourly`.
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


# KNMI uurgegevens column -> (weather column, factor to SI units). T and FH are in 0.1 °C
# and 0.1 m/s; Q is J/cm2 per hour: 1 J/cm2/h = 10000 J/m2 / 3600 s = 10000/3600 W/m2.
_KNMI_COLUMNS = {"T": ("temp_air", 0.1), "FH": ("wind_speed", 0.1), "Q": ("ghi", 10000.0 / 3600.0)}

# "# 260:         5.180       52.100       1.90  DE BILT" in the KNMI station table.
_KNMI_STATION = re.compile(
    r"^#?\s*(?P<stn>\d+):\s+(?P<lon>-?\d+(?:\.\d+)?)\s+(?P<lat>-?\d+(?:\.\d+)?)\s+"
    r"(?P<alt>-?\d+(?:\.\d+)?)\s+(?P<name>.*?)\s*$"
)


def _knmi_station_table(lines: Sequence[str]) -> dict[int, tuple[float, float]]:
    """Station number -> (latitude, longitude) from the header of a KNMI file."""
    stations = {}
    for line in lines:
        match = _KNMI_STATION.match(line)
        if match:
            stations[int(match["stn"])] = (float(match["lat"]), float(match["lon"]))
    return stations


def _knmi_text(path: Path) -> str:
    """The text of a KNMI file, or of the one ``.txt`` member of a KNMI ``.zip``."""
    if path.suffix.lower() != ".zip":
        return path.read_text(encoding="latin-1")
    with zipfile.ZipFile(path) as archive:
        members = [n for n in archive.namelist() if n.lower().endswith(".txt")]
        if len(members) != 1:
            raise zipfile.BadZipFile(f"expected one .txt member, found {len(members)}")
        return archive.read(members[0]).decode("latin-1")


def _check_consecutive(index: pd.DatetimeIndex, path: Path) -> None:
    """InputError naming the first missing hour unless ``index`` steps by exactly 1 h."""
    steps = np.diff(index.asi8) if len(index) > 1 else np.array([], dtype=np.int64)
    wrong = np.flatnonzero(steps != pd.Timedelta(hours=1).value)
    if wrong.size:
        before = index[wrong[0]]
        raise InputError(
            f"has a gap or disorder after {before:%Y-%m-%d %H:00} UTC (next row "
            f"{index[wrong[0] + 1]:%Y-%m-%d %H:00}); KNMI files have every hour",
            file=path,
            field="YYYYMMDD, HH",
            fix="download the file again from KNMI without editing it",
        )


def read_knmi_hourly(
    path: str | Path, latitude: float | None = None, longitude: float | None = None
) -> pd.DataFrame:
    """Read a KNMI hourly data file ("uurgegevens") of one station.

    ``path`` is the text file or KNMI's decade ``.zip`` holding it (read directly).
    Rows must follow each other hour by hour (a gap is an error, never filled).
    The file as downloaded from KNMI (daggegevens.knmi.nl / uurgeg_*.zip) has header
    lines, a station table ``STN  LON(east)  LAT(north)  ALT(m)  NAME``, a column line
    ``# STN,YYYYMMDD,   HH,   DD,   FH, ...`` and comma-separated data rows. Used:

    * ``HH`` hour 1-24 in UT; the row describes the hour ENDING at ``HH``, so the
      hour-beginning stamp is ``YYYYMMDD + (HH - 1) h`` UTC.
    * ``T`` air temperature at 1.5 m in 0.1 °C (at the end of the hour).
    * ``FH`` hourly mean wind speed in 0.1 m/s.
    * ``Q`` global radiation in J/cm2 per hour; ``W/m2 = Q * 10000 / 3600``.

    KNMI does not publish DNI and DHI per hour; they are derived from GHI with the Erbs
    et al. (1982) decomposition (:func:`pvlib.irradiance.erbs`), with the solar zenith
    at the middle of the hour.

    Parameters
    ----------
    path : str or Path
        KNMI ``uurgeg`` text file with a single station.
    latitude, longitude : float, optional
        Site in degrees north/east, used only when the file has no station table.

    Returns
    -------
    pandas.DataFrame
        UTC hour-beginning index, :data:`WEATHER_COLUMNS` (°C, W/m2, m/s).
    """
    path = require_file(path)
    what = "KNMI hourly data (uurgegevens)"
    try:
        lines = _knmi_text(path).splitlines()
    except (OSError, zipfile.BadZipFile) as exc:
        raise unreadable(path, what, exc) from exc

    header_row = None
    for number, line in enumerate(lines):
        fields = [f.strip() for f in line.lstrip("#").split(",")]
        if fields[0] == "STN" and "YYYYMMDD" in fields:
            header_row, columns = number, fields
            break
    if header_row is None:
        raise InputError(
            "no column line '# STN,YYYYMMDD,   HH, ...' found",
            file=path,
            fix="download the hourly data from KNMI as text, without editing the header",
        )
    for required in ("HH", *_KNMI_COLUMNS):
        if required not in columns:
            raise InputError(
                "column missing",
                file=path,
                field=required,
                fix="select the variables T, FH and Q (or ALL) when downloading from KNMI",
            )

    rows = [
        line
        for line in lines[header_row + 1 :]
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not rows:
        raise InputError("no data rows", file=path, fix="download at least one full year")
    fields = np.fromiter((line.count(",") + 1 for line in rows), dtype=int, count=len(rows))
    bad = np.flatnonzero(fields != len(columns))
    if bad.size:
        raise InputError(
            f"data row {bad[0] + 1} has {fields[bad[0]]} fields, the column line has "
            f"{len(columns)}",
            file=path,
            fix="use the file as downloaded from KNMI",
        )
    used = ["STN", "YYYYMMDD", "HH", *_KNMI_COLUMNS]
    raw = pd.read_csv(  # a decade's rows in 0.2 s, against 0.9 s split line by line
        io.StringIO("\n".join(rows)), header=None, names=columns, usecols=used, dtype=str,
        keep_default_na=False, skipinitialspace=True,
    )  # fmt: skip

    stations = raw["STN"].unique()
    if len(stations) != 1:
        raise InputError(
            f"contains {len(stations)} stations ({', '.join(map(str, stations))})",
            file=path,
            field="STN",
            fix="download the data of one station only",
        )
    try:
        date = pd.to_datetime(raw["YYYYMMDD"], format="%Y%m%d", utc=True)
        hour = pd.to_numeric(raw["HH"]).astype(int)
        values = {
            name: pd.to_numeric(raw[code].where(raw[code] != "")) * factor
            for code, (name, factor) in _KNMI_COLUMNS.items()
        }
    except (ValueError, TypeError) as exc:
        raise unreadable(path, what, exc) from exc
    if not hour.between(1, 24).all():
        raise InputError(
            "hour outside 1-24", file=path, field="HH", fix="use the file as downloaded from KNMI"
        )
    index = pd.DatetimeIndex(date + pd.to_timedelta(hour - 1, unit="h"))
    _check_consecutive(index, path)
    data = pd.DataFrame({name: series.to_numpy() for name, series in values.items()}, index)

    station = _knmi_station_table(lines[:header_row]).get(int(stations[0]))
    if station is not None:
        latitude, longitude = station
    elif latitude is None or longitude is None:
        raise InputError(
            f"no station table with the coordinates of station {stations[0]}",
            file=path,
            field="STN",
            fix="give the site latitude and longitude, or use the file with its KNMI header",
        )
    data[["dni", "dhi"]] = decompose_ghi(data["ghi"], latitude, longitude)
    names = {"temp_air": "T", "ghi": "Q", "dni": "Q", "dhi": "Q", "wind_speed": "FH"}
    return finish_frame(data, names)

"""Hourly weather for the model year: readers for common file formats and alignment.

Every reader returns a :class:`pandas.DataFrame` with a tz-aware UTC
:class:`~pandas.DatetimeIndex` of hour-BEGINNING time stamps (the value labelled
``10:00`` describes ``10:00-11:00``) and the float columns of :data:`WEATHER_COLUMNS`:

===============  ======  ===================================================
column           unit    meaning
===============  ======  ===================================================
``temp_air``     °C      air temperature at 1.5-2 m
``ghi``          W/m2    global horizontal irradiance, mean over the hour
``dni``          W/m2    direct normal irradiance, mean over the hour
``dhi``          W/m2    diffuse horizontal irradiance, mean over the hour
``wind_speed``   m/s     wind speed at 10 m, mean over the hour
===============  ======  ===================================================

:func:`align_to_year` (used by :func:`load_weather`) then maps such a frame onto the
model's 8760 hourly steps, :func:`model_time_index`, by the (month, day, hour) of the
local-standard-time stamp. A typical meteorological year assembled from several years,
or a measured year other than the model year, therefore serves any model year.

Every problem with a user's file raises :class:`optimiser.errors.InputError` naming the
file, the column and the fix.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from optimiser.errors import InputError

WEATHER_COLUMNS: tuple[str, ...] = ("temp_air", "ghi", "dni", "dhi", "wind_speed")
"""Columns of every weather frame, in this order (units in the module docstring)."""

IRRADIANCE_COLUMNS: tuple[str, ...] = ("ghi", "dni", "dhi")
"""Irradiance columns, clipped to >= 0 W/m2 by :func:`align_to_year`."""

HOURS_PER_YEAR = 8760
"""Number of hourly steps in a model year (Feb 29 is dropped in leap years)."""

DEFAULT_WEATHER_DIR = Path(__file__).resolve().parents[3] / "data" / "weather"
"""Directory of the weather data shipped in the source tree."""

SYNTHETIC_YEAR_FILE = DEFAULT_WEATHER_DIR / "default_year_de_bilt.csv"
"""Synthetic typical year for De Bilt built by ``scripts/build_default_year.py``."""

WEATHER_SOURCES: tuple[str, ...] = ("default", "synthetic", "epw", "pvgis_tmy", "knmi", "csv")
"""Values accepted for ``source`` by :func:`load_weather`."""

# Missing-value codes of the EPW format (EnergyPlus Auxiliary Programs, ch. 2).
_EPW_MISSING = {"temp_air": 99.9, "ghi": 9999.0, "dni": 9999.0, "dhi": 9999.0, "wind_speed": 999.0}

# KNMI uurgegevens column -> (weather column, factor to SI units). T and FH are in 0.1 °C
# and 0.1 m/s; Q is J/cm2 per hour: 1 J/cm2/h = 10000 J/m2 / 3600 s = 10000/3600 W/m2.
_KNMI_COLUMNS = {"T": ("temp_air", 0.1), "FH": ("wind_speed", 0.1), "Q": ("ghi", 10000.0 / 3600.0)}

# "# 260:         5.180       52.100       1.90  DE BILT" in the KNMI station table.
_KNMI_STATION = re.compile(
    r"^#?\s*(?P<stn>\d+):\s+(?P<lon>-?\d+(?:\.\d+)?)\s+(?P<lat>-?\d+(?:\.\d+)?)\s+"
    r"(?P<alt>-?\d+(?:\.\d+)?)\s+(?P<name>.*?)\s*$"
)

# Day of a non-leap year (0-based) on which each month starts.
_MONTH_START_DAY = np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30])

_ISO_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


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


def _require_file(path: str | Path) -> Path:
    """``path`` as a Path, or InputError if it is not an existing file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "file not found",
            file=path,
            fix="check the path (relative paths are taken from the working directory)",
        )
    return path


def _unreadable(path: Path, what: str, exc: Exception) -> InputError:
    """InputError for a file that the parser for format ``what`` could not read."""
    detail = " ".join(str(exc).split())[:160]
    return InputError(
        f"cannot read as {what} ({type(exc).__name__}: {detail})",
        file=path,
        fix=f"supply an unmodified {what} file",
    )


def _finish(data: pd.DataFrame, source_names: dict[str, str]) -> pd.DataFrame:
    """Weather columns as floats on a UTC index named ``time``.

    ``source_names`` maps each weather column to the column name used in the file; it
    is kept in ``attrs["source_columns"]`` so that later messages name the file's column.
    """
    out = data.loc[:, list(WEATHER_COLUMNS)].astype(float)
    out.index = pd.DatetimeIndex(out.index).tz_convert("UTC").rename("time")
    out.attrs["source_columns"] = dict(source_names)
    return out


def _decompose(ghi: pd.Series, latitude: float, longitude: float) -> pd.DataFrame:
    """DNI and DHI (W/m2) from hourly GHI with the Erbs et al. (1982) model.

    ``ghi`` has hour-beginning time stamps; the solar zenith is taken at the middle of
    each hour, which represents the hourly mean best.
    """
    middle = ghi.index + pd.Timedelta(minutes=30)
    zenith = pvlib.solarposition.get_solarposition(middle, latitude, longitude)["zenith"]
    parts = pvlib.irradiance.erbs(ghi.to_numpy(), zenith.to_numpy(), middle)
    return pd.DataFrame({"dni": parts["dni"].to_numpy(), "dhi": parts["dhi"].to_numpy()}, ghi.index)


def read_epw(path: str | Path) -> pd.DataFrame:
    """Read an EnergyPlus weather (EPW) file.

    Uses :func:`pvlib.iotools.read_epw`. An EPW row with ``hour = h`` describes the
    hour ending at ``h`` in local standard time; pvlib already labels it with the hour
    beginning (``h - 1``) in the file's fixed UTC offset, which is converted to UTC
    here. EPW missing-value codes (99.9 °C, 9999 W/m2, 999 m/s) become NaN so that
    :func:`align_to_year` reports them.

    Parameters
    ----------
    path : str or Path
        EPW file.

    Returns
    -------
    pandas.DataFrame
        UTC hour-beginning index, :data:`WEATHER_COLUMNS` (°C, W/m2, m/s).
    """
    path = _require_file(path)
    try:
        data, _meta = pvlib.iotools.read_epw(path)
        data = data.loc[:, list(WEATHER_COLUMNS)].astype(float)
    except Exception as exc:  # any parser failure means the file is not in this format
        raise _unreadable(path, "EPW", exc) from exc
    for column, code in _EPW_MISSING.items():
        data[column] = data[column].mask(data[column] >= code)
    return _finish(data, {c: c for c in WEATHER_COLUMNS})


def _check_pvgis_csv_rows(path: Path) -> None:
    """InputError unless the PVGIS CSV has a ``time(UTC),...`` line and 8760 rows.

    pvlib's CSV parser reads exactly 8760 rows after that line; checking first gives a
    clear message for a truncated or edited file.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, "PVGIS TMY CSV", exc) from exc
    start = next((i for i, line in enumerate(lines) if line.startswith("time(UTC)")), None)
    if start is None:
        raise InputError(
            "no header line 'time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP'",
            file=path,
            fix="supply an unmodified PVGIS TMY CSV file",
        )
    rows = 0
    for line in lines[start + 1 :]:
        if not line[:1].isdigit():
            break
        rows += 1
    if rows != HOURS_PER_YEAR:
        raise InputError(
            f"has {rows} hourly rows, a PVGIS TMY CSV has {HOURS_PER_YEAR}",
            file=path,
            fix="download the complete TMY from PVGIS (CSV or JSON)",
        )


def read_pvgis_tmy(path: str | Path) -> pd.DataFrame:
    """Read a typical meteorological year downloaded from PVGIS (CSV, JSON or EPW).

    Uses :func:`pvlib.iotools.read_pvgis_tmy`, which renames the PVGIS columns
    ``T2m, G(h), Gb(n), Gd(h), WS10m`` to ``temp_air, ghi, dni, dhi, wind_speed``. The
    format follows the file extension. PVGIS time stamps (``time(UTC)``) are UTC and
    mark the start of the hour, so they are used as they are. Each month may come from
    a different year; :func:`align_to_year` maps them onto the model year.

    Parameters
    ----------
    path : str or Path
        ``.csv``, ``.json`` or ``.epw`` file from the PVGIS TMY tool.

    Returns
    -------
    pandas.DataFrame
        UTC hour-beginning index, :data:`WEATHER_COLUMNS` (°C, W/m2, m/s).
    """
    path = _require_file(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "epw":
        return read_epw(path)
    if suffix not in ("csv", "json"):
        raise InputError(
            f"unknown PVGIS TMY format '.{suffix}'",
            file=path,
            fix="download the TMY from PVGIS as .csv or .json and keep the extension",
        )
    names = {
        "temp_air": "T2m",
        "ghi": "G(h)",
        "dni": "Gb(n)",
        "dhi": "Gd(h)",
        "wind_speed": "WS10m",
    }
    if suffix == "csv":
        _check_pvgis_csv_rows(path)
    try:
        data, _meta = pvlib.iotools.read_pvgis_tmy(path, pvgis_format=suffix)
    except Exception as exc:  # any parser failure means the file is not in this format
        raise _unreadable(path, f"PVGIS TMY {suffix.upper()}", exc) from exc
    for column in WEATHER_COLUMNS:
        if column not in data.columns:
            raise InputError(
                "column missing",
                file=path,
                field=names[column],
                fix="download the full TMY output of PVGIS",
            )
    return _finish(data, names)


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
    path = _require_file(path)
    what = "KNMI hourly data (uurgegevens)"
    try:
        lines = _knmi_text(path).splitlines()
    except (OSError, zipfile.BadZipFile) as exc:
        raise _unreadable(path, what, exc) from exc

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
        [f.strip() for f in line.split(",")]
        for line in lines[header_row + 1 :]
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not rows:
        raise InputError("no data rows", file=path, fix="download at least one full year")
    bad = next((i for i, r in enumerate(rows) if len(r) != len(columns)), None)
    if bad is not None:
        raise InputError(
            f"data row {bad + 1} has {len(rows[bad])} fields, the column line has {len(columns)}",
            file=path,
            fix="use the file as downloaded from KNMI",
        )
    raw = pd.DataFrame(rows, columns=columns)

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
        raise _unreadable(path, what, exc) from exc
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
    data[["dni", "dhi"]] = _decompose(data["ghi"], latitude, longitude)
    return _finish(data, {"temp_air": "T", "ghi": "Q", "dni": "Q", "dhi": "Q", "wind_speed": "FH"})


def read_timestamped_csv(
    path: str | Path, required: Sequence[str], optional: Sequence[str] = ()
) -> pd.DataFrame:
    """Read a CSV with a ``time`` column of ISO 8601 time stamps with UTC offset.

    Parameters
    ----------
    path : str or Path
        CSV file, comma separated, one header line. Lines starting with ``#`` are
        comments.
    required : sequence of str
        Columns that must be present; converted to float.
    optional : sequence of str, default ()
        Columns converted to float when present.

    Returns
    -------
    pandas.DataFrame
        UTC index named ``time`` (the stamps as given, e.g. hour-beginning), the
        required and present optional columns as floats.
    """
    path = _require_file(path)
    try:
        raw = pd.read_csv(path, comment="#", dtype=str, skipinitialspace=True)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _unreadable(path, "CSV", exc) from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    for column in ("time", *required):
        if column not in raw.columns:
            raise InputError(
                "column missing",
                file=path,
                field=column,
                fix=f"the header must contain time,{','.join(required)}",
            )
    stamps = raw["time"].fillna("").str.strip()
    no_offset = ~stamps.str.contains(_ISO_OFFSET)
    if no_offset.any():
        first = no_offset.to_numpy().nonzero()[0][0]
        raise InputError(
            f"time stamp '{stamps.iloc[first]}' (data row {first + 1}) has no UTC offset",
            file=path,
            field="time",
            fix="write ISO 8601 stamps with offset, e.g. 2023-01-01T00:00+01:00",
        )
    try:
        index = pd.DatetimeIndex(pd.to_datetime(stamps, utc=True, format="ISO8601"), name="time")
    except ValueError as exc:
        raise InputError(
            f"unreadable time stamp ({' '.join(str(exc).split())[:120]})",
            file=path,
            field="time",
            fix="write ISO 8601 stamps with offset, e.g. 2023-01-01T00:00+01:00",
        ) from exc
    columns = [*required, *(c for c in optional if c in raw.columns)]
    data = pd.DataFrame(index=index)
    for column in columns:
        values = pd.to_numeric(raw[column].str.strip(), errors="coerce")
        text = raw[column].fillna("").str.strip()
        bad = values.isna() & (text != "")
        if bad.any():
            first = bad.to_numpy().nonzero()[0][0]
            raise InputError(
                f"'{text.iloc[first]}' at {stamps.iloc[first]} is not a number",
                file=path,
                field=column,
                fix="use a dot as decimal separator and no units in the cells",
            )
        data[column] = values.to_numpy(dtype=float)
    return data


def read_weather_csv(
    path: str | Path, latitude: float | None = None, longitude: float | None = None
) -> pd.DataFrame:
    """Read a plain weather CSV.

    Header ``time,temp_air,ghi,dni,dhi,wind_speed``; ``time`` holds ISO 8601
    hour-BEGINNING stamps with UTC offset (``2023-01-01T00:00+01:00``); units °C, W/m2
    (mean over the hour), m/s. ``dni`` and ``dhi`` may both be left out: they are then
    derived from ``ghi`` with the Erbs et al. (1982) decomposition, which needs the site.

    Parameters
    ----------
    path : str or Path
        CSV file.
    latitude, longitude : float, optional
        Site in degrees north/east; required when ``dni``/``dhi`` are absent.

    Returns
    -------
    pandas.DataFrame
        UTC hour-beginning index, :data:`WEATHER_COLUMNS` (°C, W/m2, m/s).
    """
    path = Path(path)
    data = read_timestamped_csv(path, ("temp_air", "ghi", "wind_speed"), ("dni", "dhi"))
    present = [c for c in ("dni", "dhi") if c in data.columns]
    if len(present) == 1:
        raise InputError(
            f"has {present[0]} but not {'dhi' if present[0] == 'dni' else 'dni'}",
            file=path,
            field=present[0],
            fix="give both dni and dhi, or neither (they are then derived from ghi)",
        )
    if not present:
        if latitude is None or longitude is None:
            raise InputError(
                "no dni/dhi columns and no site coordinates to derive them",
                file=path,
                field="dni, dhi",
                fix="add dni and dhi columns, or give the site latitude and longitude",
            )
        data[["dni", "dhi"]] = _decompose(data["ghi"].fillna(0.0), latitude, longitude)
        data.loc[data["ghi"].isna(), ["dni", "dhi"]] = np.nan
    return _finish(data, {c: c for c in WEATHER_COLUMNS})


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
        from optimiser.inputs.profiles.knmi import DEFAULT_WEATHER_YEAR, decade_file, knmi_year

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
            from optimiser.inputs.profiles.knmi import select_year

            data = select_year(data, weather_year, path)
    else:
        data = read_weather_csv(path, latitude, longitude)
    return align_to_year(data, year, utc_offset_hours, file=path)

"""Readers for weather files: EPW, PVGIS TMY and plain timestamped CSV.

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

:mod:`optimiser.inputs.profiles.weather` maps such a frame onto the model year; KNMI's
hourly format is read by :mod:`optimiser.inputs.profiles.knmi`. Every problem with a
user's file raises :class:`optimiser.errors.InputError` naming the file, the column and
the fix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from optimiser.errors import InputError

HOURS_PER_YEAR = 8760
"""Number of hourly steps in a model year (Feb 29 is dropped in leap years)."""

WEATHER_COLUMNS: tuple[str, ...] = ("temp_air", "ghi", "dni", "dhi", "wind_speed")
"""Columns of every weather frame, in this order (units in the module docstring)."""

IRRADIANCE_COLUMNS: tuple[str, ...] = ("ghi", "dni", "dhi")
"""Irradiance columns, clipped to >= 0 W/m2 when a frame is aligned to the model year."""

DEFAULT_WEATHER_DIR = Path(__file__).resolve().parents[3] / "data" / "weather"
"""Directory of the weather data shipped in the source tree."""

# Missing-value codes of the EPW format (EnergyPlus Auxiliary Programs, ch. 2).
_EPW_MISSING = {"temp_air": 99.9, "ghi": 9999.0, "dni": 9999.0, "dhi": 9999.0, "wind_speed": 999.0}

_ISO_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def require_file(path: str | Path) -> Path:
    """``path`` as a Path, or InputError if it is not an existing file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "file not found",
            file=path,
            fix="check the path (relative paths are taken from the working directory)",
        )
    return path


def unreadable(path: Path, what: str, exc: Exception) -> InputError:
    """InputError for a file that the parser for format ``what`` could not read."""
    detail = " ".join(str(exc).split())[:160]
    return InputError(
        f"cannot read as {what} ({type(exc).__name__}: {detail})",
        file=path,
        fix=f"supply an unmodified {what} file",
    )


def finish_frame(data: pd.DataFrame, source_names: dict[str, str]) -> pd.DataFrame:
    """Weather columns as floats on a UTC index named ``time``.

    ``source_names`` maps each weather column to the column name used in the file; it
    is kept in ``attrs["source_columns"]`` so that later messages name the file's column.
    """
    out = data.loc[:, list(WEATHER_COLUMNS)].astype(float)
    out.index = pd.DatetimeIndex(out.index).tz_convert("UTC").rename("time")
    out.attrs["source_columns"] = dict(source_names)
    return out


def decompose_ghi(ghi: pd.Series, latitude: float, longitude: float) -> pd.DataFrame:
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
    path = require_file(path)
    try:
        data, _meta = pvlib.iotools.read_epw(path)
        data = data.loc[:, list(WEATHER_COLUMNS)].astype(float)
    except Exception as exc:  # any parser failure means the file is not in this format
        raise unreadable(path, "EPW", exc) from exc
    for column, code in _EPW_MISSING.items():
        data[column] = data[column].mask(data[column] >= code)
    return finish_frame(data, {c: c for c in WEATHER_COLUMNS})


def _check_pvgis_csv_rows(path: Path) -> None:
    """InputError unless the PVGIS CSV has a ``time(UTC),...`` line and 8760 rows.

    pvlib's CSV parser reads exactly 8760 rows after that line; checking first gives a
    clear message for a truncated or edited file.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise unreadable(path, "PVGIS TMY CSV", exc) from exc
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
    path = require_file(path)
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
        raise unreadable(path, f"PVGIS TMY {suffix.upper()}", exc) from exc
    for column in WEATHER_COLUMNS:
        if column not in data.columns:
            raise InputError(
                "column missing",
                file=path,
                field=names[column],
                fix="download the full TMY output of PVGIS",
            )
    return finish_frame(data, names)


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
    path = require_file(path)
    try:
        raw = pd.read_csv(path, comment="#", dtype=str, skipinitialspace=True)
    except (ValueError, UnicodeDecodeError) as exc:
        raise unreadable(path, "CSV", exc) from exc
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
        data[["dni", "dhi"]] = decompose_ghi(data["ghi"].fillna(0.0), latitude, longitude)
        data.loc[data["ghi"].isna(), ["dni", "dhi"]] = np.nan
    return finish_frame(data, {c: c for c in WEATHER_COLUMNS})

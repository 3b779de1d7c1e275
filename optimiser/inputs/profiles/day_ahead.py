"""Hourly day-ahead electricity prices (EUR/MWh in, EUR/kWh out) on the model's 8760 hours.

Three sources: the embedded synthetic NL shape (``data/electricity/``, built by
``scripts/build_nl_price_shape.py`` from published statistics, no exchange data), a plain
CSV (8760 rows, column ``price_eur_per_mwh``, the model's hours in order) and the CSV that
the ENTSO-E transparency platform exports for a bidding zone's day-ahead prices.

The ENTSO-E export is in local time (``MTU (CET/CEST)``): "01.01.2025 00:00 - 01.01.2025
01:00", with "(CET)"/"(CEST)" after the repeated hour of the autumn clock change (older
exports leave it out: the first of the two is then summer time). The reader turns the local
times into UTC, checks that every hour is there exactly once and that each day has the
23, 24 or 25 hours its clock change gives it, averages quarter-hour prices to hours, and
returns the calendar year in the model's fixed UTC offset (standard time), 29 February
dropped. Every problem is a one-line :class:`InputError` naming file, row and field.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from optimiser.constants import HOURS_PER_YEAR
from optimiser.errors import InputError
from optimiser.inputs.profiles.hourly_csv import read_hourly_csv

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
FIELD = "prices.electricity.day_ahead"
_STAMP = re.compile(
    r"^\s*(\d{2})[./](\d{2})[./](\d{4}) (\d{2}):(\d{2})(?::\d{2})?"
    r"\s*(?:\((CET|CEST)\))?\s*-"
)


def read_plain_prices(path: Path) -> np.ndarray:
    """Day-ahead EUR/kWh from a CSV of 8760 rows with column ``price_eur_per_mwh``."""
    return read_hourly_csv(path, "price_eur_per_mwh", FIELD, allow_negative=True) / 1000.0


def _columns(header: list[str], path: Path) -> tuple[int, int]:
    """Indexes of the MTU column and the day-ahead price column (EUR/MWh)."""
    mtu = next((i for i, h in enumerate(header) if h.strip().startswith("MTU")), None)
    price = next(
        (i for i, h in enumerate(header) if "price" in h.lower() and "eur/mwh" in h.lower()),
        None,
    )
    if mtu is None or price is None:
        raise InputError(
            f"not an ENTSO-E day-ahead export (columns: {', '.join(header)})",
            file=path,
            field=FIELD,
            fix="export 'Day-ahead Prices' as CSV, or use day_ahead_format: csv",
        )
    return mtu, price


def _to_utc(text: str, row: int, path: Path, column: str) -> datetime:
    """UTC start of an MTU like ``26.10.2025 02:00 (CET) - ...``."""
    match = _STAMP.match(text)
    if match is None:
        raise InputError(
            f"row {row}: {column}: not a time period like '01.01.2025 00:00 - 01.01.2025 01:00'"
            f" (got {text!r})",
            file=path,
            field=FIELD,
        )
    day, month, year, hour, minute, zone = match.groups()
    local = datetime(int(year), int(month), int(day), int(hour), int(minute))
    # the readings of the local time that exist: two in the repeated autumn hour (summer
    # time first), none in the skipped spring hour
    valid = []
    for fold in (0, 1):
        aware = local.replace(tzinfo=AMSTERDAM, fold=fold)
        utc = aware.astimezone(UTC)
        if utc.astimezone(AMSTERDAM).replace(tzinfo=None) == local and utc not in valid:
            valid.append(utc)
    if not valid:
        raise InputError(
            f"row {row}: {column}: {local:%d.%m.%Y %H:%M} does not exist in local time"
            " (the clock jumps from 02:00 to 03:00 that night)",
            file=path,
            field=FIELD,
            fix="a spring clock-change day has 23 hours",
        )
    chosen = valid[-1] if zone == "CET" and len(valid) == 2 else valid[0]
    return chosen.replace(tzinfo=None)


def read_entsoe_prices(path: Path, utc_offset_hours: float) -> np.ndarray:
    """Day-ahead EUR/kWh on the model's hours from an ENTSO-E transparency CSV export."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise InputError("file not found", file=path, field=FIELD) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not a readable CSV ({exc})", file=path, field=FIELD) from None
    if not rows:
        raise InputError("the file is empty", file=path, field=FIELD)
    mtu, price = _columns(rows[0], path)
    mtu_name, price_name = rows[0][mtu].strip(), rows[0][price].strip()
    starts: list[datetime] = []
    values: list[float] = []
    for row_no, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        starts.append(_to_utc(row[mtu], row_no, path, mtu_name))
        text = row[price].strip() if price < len(row) else ""
        try:
            values.append(float(text))
        except ValueError:
            raise InputError(
                f"row {row_no}: {price_name}: not a number (got {text!r})",
                file=path,
                field=FIELD,
                fix="fill the gap (e.g. interpolate) before running",
            ) from None
    return _hourly_year(starts, values, path, utc_offset_hours)


def _hourly_year(
    starts: list[datetime], values: list[float], path: Path, utc_offset_hours: float
) -> np.ndarray:
    """Check the UTC periods are complete and unique; hourly means of one calendar year."""
    if len(starts) < 2:
        raise InputError("fewer than two prices", file=path, field=FIELD)
    step = min(b - a for a, b in pairwise(starts) if b > a)
    if step not in (timedelta(hours=1), timedelta(minutes=15)):
        step = timedelta(hours=1)
    seen: dict[datetime, int] = {}
    for i, start in enumerate(starts):
        row = i + 2
        if start in seen:
            raise InputError(
                f"row {row}: duplicate period: the same hour as row {seen[start]}"
                " (a day has 25 hours only at the autumn clock change)",
                file=path,
                field=FIELD,
            )
        seen[start] = row
        if i and start - starts[i - 1] != step:
            if start < starts[i - 1]:
                raise InputError(f"row {row}: periods out of order", file=path, field=FIELD)
            missing = int((start - starts[i - 1]) / step) - 1
            local = (starts[i - 1] + step).replace(tzinfo=UTC).astimezone(AMSTERDAM)
            raise InputError(
                f"row {row}: {missing} period(s) missing before this row, from"
                f" {local:%d.%m.%Y %H:%M} local time (a day has 23 hours only at the"
                " spring clock change)",
                file=path,
                field=FIELD,
            )
    series = pd.Series(values, index=pd.DatetimeIndex(starts))
    hourly = series.resample("1h").mean()
    local = hourly.index + pd.Timedelta(hours=utc_offset_hours)
    hourly.index = local
    year = int(pd.Timestamp(starts[len(starts) // 2]).year)
    wanted = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h")
    wanted = wanted[~((wanted.month == 2) & (wanted.day == 29))]
    missing = wanted.difference(hourly.index)
    if len(missing):
        raise InputError(
            f"the prices do not cover the calendar year {year} (first hour missing:"
            f" {missing[0]:%d.%m.%Y %H:%M} at UTC{utc_offset_hours:+g})",
            file=path,
            field=FIELD,
            fix="export the whole calendar year",
        )
    out = hourly.reindex(wanted).to_numpy(dtype=float)
    if len(out) != HOURS_PER_YEAR or not np.isfinite(out).all():
        raise InputError("the prices do not cover 8760 hours", file=path, field=FIELD)
    return out / 1000.0

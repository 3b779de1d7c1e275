"""Reading a user's hourly series from CSV (demand shapes, prices) with strict checks.

The file is read as UTF-8 text (see :mod:`optimiser.inputs.textfiles`) and its dialect
is detected, not guessed silently: the separator is one of ``,``, ``;`` or tab, and a
decimal comma (``1,5``) is accepted with ``;`` or tab as separator. A file where the
two cannot be told apart (decimal commas in a comma-separated file) is refused.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from optimiser.constants import HOURS_PER_YEAR
from optimiser.errors import InputError
from optimiser.inputs.textfiles import read_text

MAX_ABS_VALUE = 1e9
"""No hourly value (kW, EUR/kWh, m3/h) is larger in magnitude than this: a unit slip."""

SEPARATORS = (",", ";", "\t")
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


def detect_dialect(text: str, path: Path, field: str) -> tuple[str, str]:
    """(separator, decimal mark) of CSV ``text``, from its header and first data rows."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if len(lines) < 2:
        raise InputError("no data rows", file=path, field=field, fix="give a header and values")
    header, rows = lines[0], lines[1:50]
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    separator = max(SEPARATORS, key=lambda sep: counts[sep])
    if counts[separator] == 0:  # one column: the data rows decide (a decimal comma?)
        separator = ","
    decimal = "."
    cells = [cell for row in rows for cell in row.split(separator)]
    if separator != "," and any(_DECIMAL_COMMA.match(cell) for cell in cells):
        decimal = ","
    fields = {len(row.split(separator)) for row in rows}
    if fields != {counts[separator] + 1}:
        comma_hint = "; decimal commas need ';' as separator" if any("," in r for r in rows) else ""
        raise InputError(
            f"rows have {sorted(fields)} fields but the header has {counts[separator] + 1}"
            f" (separator {separator!r}){comma_hint}",
            file=path,
            field=field,
            fix="use one separator (',' or ';') throughout, and '.' for decimals with ','",
        )
    return separator, decimal


def read_hourly_csv(
    path: Path, column: str, field: str, allow_negative: bool = False
) -> np.ndarray:
    """The ``column`` of a CSV as exactly 8760 hourly floats, one non-leap year.

    Other columns (e.g. a ``time`` column) are ignored. Raises :class:`InputError`
    naming the file and the model-file ``field`` that points to it when the file is
    missing, unreadable or not UTF-8, its dialect is ambiguous, the column is absent,
    the row count is not 8760, or a value is missing, not a number, larger in
    magnitude than :data:`MAX_ABS_VALUE` or (unless ``allow_negative``) negative.
    """
    text = read_text(path, field)
    separator, decimal = detect_dialect(text, path, field)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            decimal=decimal,
            comment="#",
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"not a readable CSV ({exc})", file=path, field=field) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if column not in frame.columns:
        raise InputError(
            f"column {column!r} missing (columns: {', '.join(map(str, frame.columns))})",
            file=path,
            field=field,
            fix=f"name the column with the values {column!r}",
        )
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    if len(values) != HOURS_PER_YEAR:
        raise InputError(
            f"column {column!r} has {len(values)} rows",
            file=path,
            field=field,
            fix=f"give exactly {HOURS_PER_YEAR} hourly values (one year without Feb 29)",
        )
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise InputError(
            f"column {column!r} has {bad.size} missing or non-numeric values,"
            f" first in data row {bad[0] + 1}",
            file=path,
            field=field,
            fix="fill the gaps (e.g. interpolate) before running",
        )
    huge = np.flatnonzero(np.abs(values) > MAX_ABS_VALUE)
    if huge.size:
        raise InputError(
            f"column {column!r} has {huge.size} values beyond {MAX_ABS_VALUE:g},"
            f" first in data row {huge[0] + 1} ({values[huge[0]]:g})",
            file=path,
            field=field,
            fix="check the unit (kW, EUR/kWh) and the number of digits",
        )
    if not allow_negative and (values < 0).any():
        first = int(np.flatnonzero(values < 0)[0])
        raise InputError(
            f"column {column!r} has negative values,"
            f" first in data row {first + 1} ({values[first]})",
            file=path,
            field=field,
        )
    return values

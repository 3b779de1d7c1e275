"""Reading a user's hourly series from CSV (demand shapes, prices) with strict checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from optimiser.constants import HOURS_PER_YEAR
from optimiser.errors import InputError


def read_hourly_csv(
    path: Path, column: str, field: str, allow_negative: bool = False
) -> np.ndarray:
    """The ``column`` of a CSV as exactly 8760 hourly floats, one non-leap year.

    Other columns (e.g. a ``time`` column) are ignored. Raises :class:`InputError`
    naming the file and the model-file ``field`` that points to it when the file is
    missing or unreadable, the column is absent, the row count is not 8760, or a value
    is missing, not a number or (unless ``allow_negative``) negative.
    """
    try:
        frame = pd.read_csv(path, comment="#", skip_blank_lines=False)
    except FileNotFoundError:
        raise InputError("file not found", file=path, field=field) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV ({exc})", file=path, field=field) from None
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
    if not allow_negative and (values < 0).any():
        first = int(np.flatnonzero(values < 0)[0])
        raise InputError(
            f"column {column!r} has negative values,"
            f" first in data row {first + 1} ({values[first]})",
            file=path,
            field=field,
        )
    return values

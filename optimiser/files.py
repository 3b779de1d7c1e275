"""Writing a set of result files all-or-nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path


def write_files(out_dir: Path, writers: Mapping[str, Callable[[Path], None]]) -> list[Path]:
    """Write each file ``name`` with ``writers[name](path)`` into ``out_dir``.

    Files are written to a temporary folder next to ``out_dir`` first and moved into
    place only when all are complete, so a failure never leaves half-written results.
    Returns the paths written.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".wijk-", dir=out_dir.parent))
    try:
        for name, write in writers.items():
            write(staging / name)
        out_dir.mkdir(exist_ok=True)
        written = []
        for name in sorted(writers):
            target = out_dir / name
            os.replace(staging / name, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)

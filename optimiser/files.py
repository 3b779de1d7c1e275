"""Writing a set of result files all-or-nothing, and claiming an output folder.

Every command that writes results writes them as one set into a folder (``--out``):

* before any solve, :func:`check_output` refuses a path that is an existing file, lies
  in a place that cannot be written, or is a folder holding files that are not results;
* :func:`claim_output` takes a lock beside the folder for the whole command, so a second
  run into the same folder refuses at once instead of overwriting the first;
* :func:`write_files` writes every file into a staging folder in the same parent and
  swaps it with the old folder in one ``renameat2(RENAME_EXCHANGE)`` call: killed at any
  moment, the folder holds the complete old set or the complete new one, never a mix.

Staging and lock names start with ``.wijk-`` and are removed on every normal exit or
error; a kill leaves at most a staging folder, which the next write to that folder
removes.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from optimiser.errors import InputError

MARKER = ".wijk-set.json"
"""File in every result folder naming what wrote it; a folder without it that holds
other files is not overwritten."""

KNOWN_OUTPUTS = frozenset(
    [
        "results.nc",
        "summary.json",
        "summary.csv",
        "report.html",
        "sweep.nc",
        "sweep.csv",
        "pareto.csv",
        "pareto.html",
        "allocation.json",
        "allocation.csv",
        "tariff.csv",
        "coalitions.csv",
        "cash_flows.csv",
    ]
)
"""Files wijk writes: a folder of only these (results from before the marker) may be
replaced."""

PREFIX = ".wijk-"
RENAME_EXCHANGE = 2

written_sets: list[Path] = []
"""Folders whose new set this process has put in place (for a truthful Ctrl-C message)."""


def _staging_prefix(out_dir: Path) -> str:
    return f"{PREFIX}{out_dir.name}-"


def check_output(out_dir: Path, option: str = "--out") -> Path:
    """Refuse an output folder that cannot take a result set, before anything is solved.

    Raises :class:`InputError` (exit 2) when ``out_dir`` is an existing file, its
    nearest existing parent is not a writable folder, or it is a folder holding files
    that no wijk command wrote (a set is swapped in whole, so those would be lost).
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(
            "is an existing file, not a folder",
            file=out_dir,
            field=option,
            fix="give a new or empty folder, or a folder of earlier results",
        )
    parent = out_dir.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not _writable(parent):
        raise InputError(
            f"cannot write in {parent} (read-only or no permission)",
            file=out_dir,
            field=option,
            fix="choose a folder you can write to",
        )
    if out_dir.is_dir() and not _results_folder(out_dir):
        raise InputError(
            "folder holds files that wijk did not write; writing results would replace them",
            file=out_dir,
            field=option,
            fix="give a new or empty folder",
        )
    return out_dir


def check_output_file(path: Path, option: str = "--out") -> Path:
    """Refuse an output file path that is a folder or lies where nothing can be written."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder", file=path, field=option, fix="give a file name")
    parent = path.absolute().parent
    if not parent.is_dir() or not _writable(parent):
        raise InputError(
            f"cannot write in {parent} (missing, read-only or no permission)",
            file=path,
            field=option,
            fix="choose a folder that exists and that you can write to",
        )
    return path


def _results_folder(folder: Path) -> bool:
    """Whether ``folder`` is empty or holds a result set (only files wijk writes)."""
    if (folder / MARKER).is_file():
        return True
    return all(entry.is_file() and entry.name in KNOWN_OUTPUTS for entry in folder.iterdir())


def _writable(folder: Path) -> bool:
    """Whether a file can really be created in ``folder`` (root ignores mode bits, a
    read-only mount does not: so try)."""
    try:
        handle, name = tempfile.mkstemp(prefix=PREFIX, dir=folder)
    except OSError:
        return False
    os.close(handle)
    os.unlink(name)
    return True


@contextmanager
def claim_output(out_dir: Path, option: str = "--out") -> Iterator[Path]:
    """Check ``out_dir`` (see :func:`check_output`) and hold a lock on it until the end.

    A second command claiming the same folder meanwhile is refused with a clear error
    (exit 2) instead of silently overwriting the first one's results.
    """
    out_dir = check_output(out_dir, option)
    parent = out_dir.absolute().parent
    created = parent
    while not created.parent.exists():
        created = created.parent
    made = not created.exists()
    parent.mkdir(parents=True, exist_ok=True)
    lock = parent / f"{PREFIX}{out_dir.name}.lock"
    handle = open(lock, "a+")  # noqa: SIM115 (held open for the lock's life)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise InputError(
            "another wijk command is writing to this folder",
            file=out_dir,
            field=option,
            fix=f"wait for it to finish or choose another folder (lock: {lock})",
        ) from None
    try:
        yield out_dir
    finally:
        lock.unlink(missing_ok=True)
        handle.close()
        if made and not out_dir.exists():  # nothing written: leave no empty folders
            shutil.rmtree(created, ignore_errors=True)


def write_files(out_dir: Path, writers: Mapping[str, Callable[[Path], None]]) -> list[Path]:
    """Write each file ``name`` with ``writers[name](path)`` as one set into ``out_dir``.

    Files are written into a staging folder beside ``out_dir`` first; only when all are
    complete does it take the old folder's place, in one atomic exchange, so a failure
    or a kill never leaves half-written results or a folder mixing two runs. Returns the
    paths written.
    """
    out_dir = check_output(Path(out_dir))
    parent = out_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    for leftover in parent.glob(_staging_prefix(out_dir) + "*"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a killed earlier write
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir), dir=parent))
    try:
        for name, write in writers.items():
            write(staging / name)
        (staging / MARKER).write_text(
            json.dumps(
                {"files": sorted(writers), "written_utc": datetime.now(UTC).isoformat()},
                indent=1,
            )
        )
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
        written_sets.append(out_dir)
        return [out_dir / name for name in sorted(writers)]
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after the swap: the old set


def write_file(path: Path, write: Callable[[Path], None]) -> Path:
    """Write one file atomically: into a temporary name beside it, then renamed."""
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=PREFIX, dir=path.absolute().parent)
    os.close(handle)
    try:
        write(Path(name))
        os.chmod(name, 0o644)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)
    return path


def _swap(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` in the place of ``out_dir``; the old folder ends up at ``staging``."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        staging.mkdir()  # so the caller's cleanup finds what it expects
        return
    if _exchange(staging, out_dir):
        return
    # no atomic exchange on this system: two renames, the old set kept until the new
    # one is in place
    old = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir), dir=staging.parent))
    os.rename(out_dir, old / "old")
    os.rename(staging, out_dir)
    os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where it is unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def read_dataset(path: Path, fix: str):
    """Load a NetCDF file whole; a missing, truncated or foreign file is an
    :class:`InputError` saying ``fix`` rather than a traceback from the HDF5 library."""
    import xarray as xr

    try:
        with xr.open_dataset(path) as opened:
            return opened.load()
    except FileNotFoundError:
        raise InputError("file not found", file=path, fix=fix) from None
    except Exception as error:  # netCDF4/h5py/scipy raise many kinds for a corrupt file
        raise InputError(
            f"not a readable NetCDF file ({type(error).__name__})", file=path, fix=fix
        ) from None


def read_json(path: Path, fix: str):
    """Load a JSON file; a missing or corrupt file is an :class:`InputError`."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", file=path, fix=fix) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"not readable JSON ({error})", file=path, fix=fix) from None

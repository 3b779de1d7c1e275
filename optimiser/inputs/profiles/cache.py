"""A scenario's hourly inputs cached on disk, keyed by the hash of all they are built from.

Building the inputs (KNMI weather, pvlib, demand shapes, prices) takes about 1.5 s of a
default ``wijk run``; loading them from NetCDF takes 0.03 s. The key is the SHA-256 of
the scenario with every file it refers to (:func:`~optimiser.inputs.scenario.scenario_hash`),
every file under ``data/``, the source of the package and the versions of the libraries
that compute profiles, so that a changed model, data file, code or library builds the
inputs afresh: a cached file is never used for inputs it was not built from. A cache
file that cannot be read is built again; a folder that cannot be written only costs time.
"""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import xarray as xr

from optimiser.inputs.catalogue import DATA_DIR
from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.scenario import Scenario, scenario_hash

CACHE_ENV = "WIJK_CACHE_DIR"
"""Environment variable naming the cache folder; set to an empty string to switch off."""

PACKAGE_DIR = Path(__file__).resolve().parents[2]
LIBRARIES = ("pvlib", "numpy", "pandas", "xarray", "scipy")
"""Libraries whose version changes the profiles or their file format."""


def default_cache_dir() -> Path | None:
    """``$WIJK_CACHE_DIR/inputs``, else ``$XDG_CACHE_HOME/wijk/inputs`` or
    ``~/.cache/wijk/inputs``; None when ``WIJK_CACHE_DIR`` is set but empty."""
    folder = os.environ.get(CACHE_ENV)
    if folder is not None:
        return Path(folder) / "inputs" if folder else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wijk" / "inputs"


def inputs_key(scenario: Scenario) -> str:
    """SHA-256 of everything :func:`build_inputs` reads for ``scenario`` (see above)."""
    digest = hashlib.sha256(scenario_hash(scenario).encode())
    for root, pattern in ((DATA_DIR, "*"), (PACKAGE_DIR, "*.py")):
        for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=absent".encode())
    return digest.hexdigest()


def cached_inputs(scenario: Scenario, folder: Path | None) -> xr.Dataset:
    """The hourly inputs of ``scenario``, from ``folder`` when built there before
    (``folder`` None: always built)."""
    if folder is None:
        return build_inputs(scenario)
    path = folder / f"{inputs_key(scenario)}.nc"
    if path.is_file():
        try:
            return xr.load_dataset(path)
        except (OSError, ValueError, KeyError, RuntimeError):
            pass  # unreadable (e.g. cut short by a full disk): build it again
    inputs = build_inputs(scenario)
    staging = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        inputs.to_netcdf(staging)
        staging.replace(path)  # atomic: a reader sees the whole file or none
    except OSError:
        staging.unlink(missing_ok=True)
    return inputs

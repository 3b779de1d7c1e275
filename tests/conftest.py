"""Shared fixtures."""

from __future__ import annotations

import os

import pytest
import xarray as xr


@pytest.fixture(autouse=True, scope="session")
def _inputs_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """CLI runs in tests cache their hourly inputs in a temporary folder, not the user's."""
    os.environ["WIJK_CACHE_DIR"] = str(tmp_path_factory.mktemp("wijk-cache"))


@pytest.fixture(scope="session")
def default_inputs() -> xr.Dataset:
    """Hourly inputs of the default model (built once per test session)."""
    from optimiser.inputs.profiles.inputs import build_inputs
    from optimiser.inputs.scenario import load_scenario

    return build_inputs(load_scenario())

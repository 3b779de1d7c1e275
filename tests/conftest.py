"""Shared fixtures."""

from __future__ import annotations

import pytest
import xarray as xr


@pytest.fixture(scope="session")
def default_inputs() -> xr.Dataset:
    """Hourly inputs of the default model (built once per test session)."""
    from optimiser.inputs.profiles.inputs import build_inputs
    from optimiser.inputs.scenario import load_scenario

    return build_inputs(load_scenario())

"""The hourly inputs cache: a second run loads what the first built, exactly; any change
to what the inputs are built from builds them again."""

from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr

from optimiser.inputs.profiles import cache
from optimiser.inputs.scenario import load_scenario


def _no_build(_scenario: object) -> xr.Dataset:
    raise AssertionError("built although cached")


def test_second_call_loads_the_same_inputs(
    tmp_path: Path, default_inputs: xr.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_scenario()
    built = cache.cached_inputs(scenario, tmp_path)
    xr.testing.assert_identical(built, default_inputs)
    assert [p.name for p in tmp_path.iterdir()] == [f"{cache.inputs_key(scenario)}.nc"]
    monkeypatch.setattr(cache, "build_inputs", _no_build)
    xr.testing.assert_identical(cache.cached_inputs(scenario, tmp_path), default_inputs)


def test_a_changed_scenario_is_built_again() -> None:
    scenario = load_scenario()
    other = scenario.model_copy(
        update={"site": scenario.site.model_copy(update={"latitude": scenario.site.latitude + 1})}
    )
    assert cache.inputs_key(other) != cache.inputs_key(scenario)
    assert cache.inputs_key(load_scenario()) == cache.inputs_key(scenario)


def test_an_unreadable_file_is_built_again(tmp_path: Path, default_inputs: xr.Dataset) -> None:
    scenario = load_scenario()
    (tmp_path / f"{cache.inputs_key(scenario)}.nc").write_bytes(b"cut short")
    xr.testing.assert_identical(cache.cached_inputs(scenario, tmp_path), default_inputs)
    xr.testing.assert_identical(cache.cached_inputs(scenario, tmp_path), default_inputs)


def test_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "")
    assert cache.default_cache_dir() is None
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    assert cache.default_cache_dir() == tmp_path / "inputs"
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.default_cache_dir() == tmp_path / "wijk" / "inputs"

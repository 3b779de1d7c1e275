"""Tests of optimiser.inputs.profiles.surface_water."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from optimiser.errors import InputError
from optimiser.inputs.profiles.surface_water import (
    read_surface_water_csv,
    surface_water_temperature,
)
from optimiser.inputs.profiles.weather import load_weather, model_time_index
from optimiser.inputs.profiles.weather_files import HOURS_PER_YEAR

INDEX = model_time_index(2023)


def sine_air(peak_day: float = 200.0) -> pd.Series:
    """Air temperature 10 +- 8 °C with its maximum at ``peak_day`` (days after Jan 1)."""
    days = np.arange(HOURS_PER_YEAR) / 24.0
    return pd.Series(10.0 + 8.0 * np.cos(2 * np.pi * (days - peak_day) / 365.0), index=INDEX)


@pytest.fixture(scope="module")
def default_air() -> pd.Series:
    return load_weather("synthetic", None, 2023, 52.10, 5.18)["temp_air"]


def write_csv(path, index, values) -> None:
    pd.DataFrame({"time": [t.isoformat() for t in index], "temperature_c": values}).to_csv(
        path, index=False
    )


def test_floor_respected():
    air = pd.Series(-5.0, index=INDEX)
    water = surface_water_temperature(air, floor_c=0.5)
    assert (water == 0.5).all()
    assert water.name == "surface_water_temp"
    assert water.index.equals(INDEX)


def test_peak_later_than_air_and_lag_adds_delay():
    air = sine_air()
    no_lag = surface_water_temperature(air, lag_days=0.0)
    lagged = surface_water_temperature(air, lag_days=5.0)

    def peak_day(series: pd.Series) -> float:
        return series.to_numpy().argmax() / 24.0

    # First-order response lags a yearly sine by atan(w tau) / w = 9.9 days for tau = 10 d.
    assert peak_day(no_lag) - peak_day(air) == pytest.approx(9.9, abs=0.2)
    assert peak_day(lagged) - peak_day(no_lag) == pytest.approx(5.0, abs=0.05)


def test_periodic_year(default_air):
    water = surface_water_temperature(default_air)
    first_day = water.iloc[:24].mean()
    last_day = water.iloc[-24:].mean()
    assert abs(first_day - last_day) < 0.5
    # Independent of the start: two identical years give the one-year response twice.
    twice = surface_water_temperature(
        pd.concat([default_air, default_air]).set_axis(range(2 * HOURS_PER_YEAR))
    )
    np.testing.assert_allclose(twice.iloc[HOURS_PER_YEAR:], water, atol=1e-9)


def test_default_year_range_like_dutch_canal(default_air):
    water = surface_water_temperature(default_air)
    assert 2.5 <= water.min() <= 4.0
    assert 21.5 <= water.max() <= 24.0
    monthly = water.groupby(water.index.month).mean()
    assert monthly.idxmax() in (7, 8)
    assert monthly.idxmin() in (1, 2)


def test_invalid_parameters():
    with pytest.raises(ValueError, match="time_constant_days"):
        surface_water_temperature(sine_air(), time_constant_days=0.0)
    with pytest.raises(ValueError, match="lag_days"):
        surface_water_temperature(sine_air(), lag_days=-1.0)


def test_read_surface_water_csv_full_year_other_year(tmp_path):
    source = model_time_index(2021)
    path = tmp_path / "canal.csv"
    write_csv(path, source, source.dayofyear.to_numpy() / 10.0)
    index = model_time_index(2024)
    water = read_surface_water_csv(path, index)
    assert water.index.equals(index)
    assert water.name == "surface_water_temp"
    assert water[pd.Timestamp("2024-03-01 00:00+01:00")] == pytest.approx(6.0)  # day 60 of 2021


def test_read_surface_water_csv_missing_column(tmp_path):
    path = tmp_path / "canal.csv"
    pd.DataFrame({"time": [t.isoformat() for t in INDEX], "temp": 10.0}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"canal\.csv: temperature_c: column missing"):
        read_surface_water_csv(path, INDEX)


def test_read_surface_water_csv_48_hours(tmp_path):
    path = tmp_path / "short.csv"
    write_csv(path, INDEX[:48], 8.0)
    with pytest.raises(InputError, match=r"short\.csv: covers 48 of the 8760 hours"):
        read_surface_water_csv(path, INDEX)


def test_read_surface_water_csv_nan(tmp_path):
    values = np.full(HOURS_PER_YEAR, 8.0)
    values[100] = np.nan
    path = tmp_path / "gap.csv"
    write_csv(path, INDEX, values)
    with pytest.raises(InputError, match=r"gap\.csv: temperature_c: no value for 2023-01-05 03:00"):
        read_surface_water_csv(path, INDEX)


def test_read_surface_water_csv_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"absent\.csv: file not found"):
        read_surface_water_csv(tmp_path / "absent.csv", INDEX)

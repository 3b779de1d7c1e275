"""Measured KNMI De Bilt years: the shipped zips, year selection, gaps, --check-years."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from test_weather import KNMI_48H
from typer.testing import CliRunner

from optimiser.cli import app
from optimiser.errors import InputError
from optimiser.inputs.profiles.knmi import (
    DEFAULT_WEATHER_YEAR,
    knmi_year,
    parse_years,
    read_knmi_hourly,
)
from optimiser.inputs.profiles.weather import load_weather
from optimiser.inputs.scenario import load_scenario
from optimiser.workflows.check_years import ates_windows, check_years, worst_year, year_scenarios

runner = CliRunner()


def test_shipped_year_is_complete_and_in_knmi_units():
    # 2011: 8760 h; KNMI's first row, 20110101 HH 1 (00-01 UTC), has T = 36 (3.6 °C).
    data = knmi_year(2011)
    assert len(data) == 8760
    assert data.index[0] == pd.Timestamp("2011-01-01 00:00", tz="UTC")
    assert data["temp_air"].iloc[0] == pytest.approx(3.6)
    assert data["temp_air"].min() == pytest.approx(-6.3)
    assert len(knmi_year(2012)) == 8784  # leap year, all hours
    # Annual global radiation 989-1,195 kWh/m2 in 2011-2024 (data README).
    assert 989 <= data["ghi"].sum() / 1000 <= 1195


def test_default_weather_is_the_median_winter_year():
    aligned = load_weather("default", None, 2025, 52.1, 5.18)
    assert DEFAULT_WEATHER_YEAR == 2011
    pd.testing.assert_series_equal(
        aligned["temp_air"], load_weather("default", None, 2025, 52.1, 5.18, 1, 2011)["temp_air"]
    )
    daily = aligned["temp_air"].to_numpy().reshape(365, 24).mean(axis=1)
    # 2,623 Kd of the data README (base 18 °C; Dec 31 UTC+1 shift moves it by < 1 Kd).
    assert np.clip(18 - daily, 0, None).sum() == pytest.approx(2623, abs=3)


def test_a_year_missing_from_the_shipped_range_is_one_line():
    with pytest.raises(InputError) as err:
        knmi_year(2009)
    assert "\n" not in str(err.value)
    assert "weather.year: weather year 2009 is not among the shipped KNMI De Bilt years" in str(
        err.value
    )
    with pytest.raises(
        InputError, match=r"weather year 2024 has 0 of its 8784 hours in the file \(it holds 2023\)"
    ):
        load_weather("knmi", KNMI_48H, 2025, 52.1, 5.18, 1, 2024)


def test_a_knmi_file_with_a_gap_is_one_line(tmp_path):
    # Drop the row 20230101 HH 6 (05:00-06:00 UTC) from the 48-hour fixture, inside a zip.
    lines = KNMI_48H.read_text(encoding="latin-1").splitlines()
    gap = [line for line in lines if not line.startswith("  260,20230101,    6,")]
    assert len(gap) == len(lines) - 1
    path = tmp_path / "uurgeg_260_2021-2030.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("uurgeg_260_2021-2030.txt", "\n".join(gap))
    with pytest.raises(InputError) as err:
        read_knmi_hourly(path)
    message = str(err.value)
    assert "\n" not in message
    assert "has a gap or disorder after 2023-01-01 04:00 UTC (next row 2023-01-01 06:00)" in message


def test_parse_years():
    assert parse_years("2011-2013") == [2011, 2012, 2013]
    assert parse_years("2012, 2018") == [2012, 2018]
    with pytest.raises(InputError, match="cannot read years 'twenty'"):
        parse_years("twenty")


def test_check_years_with_a_year_missing_fails_before_solving(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--check-years", "2009-2012", "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "weather year 2009 is not among the shipped KNMI De Bilt years (2011-2024)" in lines[0]
    assert not out.exists()


def test_check_years_reports_unmet_heat_by_hand():
    # A fixed design of a 25 kW electric boiler only, 5 detached homes of 5,000 kWh: every
    # hour above 25 kW of demand + loss is short by the excess; the unmet MWh, hours and
    # worst kW are those of the year's own profile.
    scenario = load_scenario()
    data = scenario.model_dump(mode="json")
    data["demand"] = {
        "households": [
            {"name": "homes", "count": 5, "annual_heat_kwh": 5000, "heat_profile": "EFH"}
        ]
    }
    data["technologies"] = {"grid": {"max_kw": 100}, "backup_boiler": {"fuel": "electricity"}}
    data["network"].update({"n_minus_1": False})
    from optimiser.inputs.scenario import Scenario

    small = Scenario.model_validate(data)
    scenarios = year_scenarios(small, [2013])
    design = xr.Dataset(
        attrs={"sizes_json": '{"backup_boiler.capacity_kw": 3.0, "grid.contracted_kw": 100.0}'}
    )
    from optimiser.inputs.profiles.inputs import build_inputs
    from optimiser.model.solve import SolveOptions

    table = check_years(scenarios, design, SolveOptions(threads=1))
    inputs = build_inputs(scenarios[2013])
    need = (inputs["heat_demand_kw"].sum("consumer") + inputs["network_heat_loss_kw"]).values
    short = np.clip(need - 3.0, 0, None)
    row = table.loc[2013]
    assert row["unmet_heat_mwh"] == pytest.approx(short.sum() / 1e3, rel=1e-6)
    assert row["unmet_hours"] == (short > 1e-3).sum()
    assert row["worst_unmet_kw"] == pytest.approx(short.max(), rel=1e-6)
    assert row["min_temp_air_c"] == pytest.approx(-12.9)
    worst = worst_year(table)
    assert worst["year"] == 2013 and worst["years_with_unmet_heat"] == 1


def test_ates_balance_over_five_year_windows_by_hand():
    # Injected/extracted per year (MWh): net +10, -10, +20, 0, +5, +30. Windows:
    # 2011-15: +25 of 500 = +5 %; 2012-16: +45 of 500 = +9 %. Heat band 8 %: 2012-16 is
    # outside; with a heat band of 10 % both are inside, and a cold band of 0 changes
    # nothing (no window has a cold surplus).
    table = pd.DataFrame(
        {
            "ates_injected_mwh": [100.0] * 6,
            "ates_extracted_mwh": [90.0, 110.0, 80.0, 100.0, 95.0, 70.0],
        },
        index=pd.Index(range(2011, 2017), name="year"),
    )
    result = ates_windows(table, cold_band=0.15, heat_band=0.08)
    assert result["worst_window"] == "2012-2016"
    assert result["net_heat_added_mwh"] == pytest.approx(45.0)
    assert result["share_of_injected"] == pytest.approx(0.09)
    assert not result["every_window_within_band"]
    assert not result["every_window_adds_no_net_heat"]
    assert ates_windows(table, cold_band=0.0, heat_band=0.10)["every_window_within_band"]
    # a cold surplus of 10 % in every window is outside a cold band of 5 %
    colder = table.assign(ates_extracted_mwh=110.0)
    assert not ates_windows(colder, cold_band=0.05, heat_band=0.0)["every_window_within_band"]
    assert ates_windows(colder, cold_band=0.15, heat_band=0.0)["every_window_adds_no_net_heat"]
    assert ates_windows(table.iloc[:4], cold_band=0.15, heat_band=0.08) is None  # < 5 years

"""Tests of optimiser.inputs.profiles.weather and of the shipped default weather year.

The files in tests/fixtures/weather have the real layouts of KNMI uurgegevens, EPW and
PVGIS TMY output, but synthetic values (48 hours of the default year, a few set by
hand). Full-year files are written in the same layouts into tmp_path.
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from optimiser.errors import InputError
from optimiser.inputs.profiles.knmi import read_knmi_hourly
from optimiser.inputs.profiles.weather import (
    SYNTHETIC_YEAR_FILE,
    align_to_year,
    load_weather,
    model_time_index,
    synthetic_year,
)
from optimiser.inputs.profiles.weather_files import (
    HOURS_PER_YEAR,
    WEATHER_COLUMNS,
    read_epw,
    read_pvgis_tmy,
    read_weather_csv,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "weather"
KNMI_48H = FIXTURES / "knmi_uurgeg_260_2023_48h.txt"
EPW_48H = FIXTURES / "de_bilt_48h.epw"
PVGIS_JSON_48H = FIXTURES / "pvgis_tmy_48h.json"
PVGIS_CSV_48H = FIXTURES / "pvgis_tmy_48h.csv"
NORMALS = pd.read_csv(ROOT / "data" / "weather" / "de_bilt_normals_1991_2020.csv", comment="#")
UTC = "UTC"


def _hour_of_year_values(index: pd.DatetimeIndex) -> pd.DataFrame:
    """Weather frame whose every column is a recognisable function of the UTC stamp."""
    code = index.month * 10000 + index.day * 100 + index.hour
    values = {column: code + 0.1 * k for k, column in enumerate(WEATHER_COLUMNS)}
    return pd.DataFrame(values, index=index)


def write_knmi(path: Path, weather: pd.DataFrame, station_table: bool = True) -> None:
    """Write ``weather`` (UTC hour-beginning) as a KNMI uurgeg file like the fixture."""
    lines = KNMI_48H.read_text(encoding="latin-1").splitlines()
    column_line = next(i for i, line in enumerate(lines) if line.startswith("# STN,"))
    header = lines[: column_line + 2]
    if not station_table:
        header = [line for line in header if not line.startswith("# 260:")]
    rows = []
    for stamp, row in weather.iterrows():
        t = "" if np.isnan(row.temp_air) else f"{round(row.temp_air * 10):5d}"
        q = round(row.ghi * 3600 / 10000)
        fh = round(row.wind_speed * 10)
        rows.append(
            f"  260,{stamp:%Y%m%d},{stamp.hour + 1:5d},  220,{fh:5d},{fh:5d},{2 * fh:5d},{t:>5},"
            f"     ,  -20,    0,{q:5d},    0,    0,10150,   70,    7,   90,     ,    5,"
            "    0,    0,    0,    0,    0"
        )
    path.write_text("\n".join([*header, *rows]) + "\n", encoding="latin-1")


def write_pvgis_csv(path: Path, weather: pd.DataFrame) -> None:
    """Write ``weather`` (UTC stamps) as a PVGIS TMY CSV with the fixture's header/footer."""
    lines = PVGIS_CSV_48H.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("time(UTC)"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i][:1].isdigit())
    rows = [
        f"{stamp:%Y%m%d:%H%M},{r.temp_air:.2f},90.0,{r.ghi:.1f},{r.dni:.2f},{r.dhi:.1f},"
        f"280.0,{r.wind_speed:.2f},220.0,101500.0"
        for stamp, r in weather.iterrows()
    ]
    path.write_text("\n".join([*lines[: start + 1], *rows, *lines[end:]]) + "\n")


def tmy_index() -> pd.DatetimeIndex:
    """UTC stamps of a TMY as PVGIS assembles it: each month from another year."""
    years = [2023, 2012, 2015, 2009, 2017, 2019, 2013, 2016, 2011, 2018, 2014, 2010]
    parts = []
    for month, year in enumerate(years, start=1):
        start = pd.Timestamp(year, month, 1, tz=UTC)
        hours = pd.date_range(start, start + pd.offsets.MonthBegin(1), freq="h", inclusive="left")
        parts.append(hours[~((hours.month == 2) & (hours.day == 29))])
    return parts[0].append(parts[1:])


@pytest.fixture(scope="module")
def default_2023() -> pd.DataFrame:
    return load_weather("synthetic", None, 2023, 52.10, 5.18)


@pytest.fixture(scope="module")
def build_script():
    spec = importlib.util.spec_from_file_location(
        "build_default_year", ROOT / "scripts" / "build_default_year.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- model time index -------------------------------------------------------------------


@pytest.mark.parametrize("year", [2023, 2024])
def test_model_time_index_has_8760_hours_without_feb_29(year):
    index = model_time_index(year)
    assert len(index) == HOURS_PER_YEAR
    assert index.name == "time"
    assert not ((index.month == 2) & (index.day == 29)).any()
    assert index[0] == pd.Timestamp(f"{year}-01-01 00:00+01:00")
    assert index[-1] == pd.Timestamp(f"{year}-12-31 23:00+01:00")
    assert index[0].utcoffset() == pd.Timedelta(hours=1)
    steps = pd.Series(index).diff().dropna()
    assert (steps == pd.Timedelta(hours=1)).sum() == HOURS_PER_YEAR - 1 - (year == 2024)


def test_model_time_index_other_offset():
    index = model_time_index(2023, utc_offset_hours=0)
    assert index[0] == pd.Timestamp("2023-01-01 00:00", tz=UTC)


# --- readers ----------------------------------------------------------------------------


def test_read_knmi_hourly_units_and_hour_ending_shift():
    weather = read_knmi_hourly(KNMI_48H)
    assert tuple(weather.columns) == WEATHER_COLUMNS
    assert len(weather) == 48
    assert str(weather.index.tz) == UTC
    # Row 20230101, HH=1 (00:00-01:00 UT) is labelled with its beginning; T = -12 -> -1.2.
    assert weather.index[0] == pd.Timestamp("2023-01-01 00:00", tz=UTC)
    assert weather["temp_air"].iloc[0] == pytest.approx(-1.2)
    assert weather["wind_speed"].iloc[0] == pytest.approx(3.3)  # FH = 33
    # Row 20230101, HH=12 (11:00-12:00 UT): Q = 50 J/cm2 -> 50 * 10000 / 3600 W/m2.
    noon = weather.loc[pd.Timestamp("2023-01-01 11:00", tz=UTC)]
    assert noon["ghi"] == pytest.approx(138.9, abs=0.05)
    assert 0 < noon["dhi"] <= noon["ghi"]
    assert noon["dni"] > 0
    assert (weather.loc[weather["ghi"] == 0, ["dni", "dhi"]] == 0).all().all()


def test_read_knmi_hourly_coordinates_from_station_table_or_arguments(tmp_path):
    index = pd.date_range("2023-06-21 00:00", periods=24, freq="h", tz=UTC)
    weather = pd.DataFrame({"temp_air": 15.0, "ghi": 400.0, "wind_speed": 3.0}, index=index)
    with_table = tmp_path / "with_table.txt"
    without_table = tmp_path / "without_table.txt"
    write_knmi(with_table, weather)
    write_knmi(without_table, weather, station_table=False)

    from_table = read_knmi_hourly(with_table, latitude=-30.0, longitude=100.0)
    from_args = read_knmi_hourly(without_table, latitude=52.10, longitude=5.18)
    pd.testing.assert_frame_equal(from_table, from_args)
    with pytest.raises(InputError, match=r"without_table\.txt: STN: .*latitude"):
        read_knmi_hourly(without_table)


def test_read_knmi_hourly_archive_layout_without_hash_and_station_table(tmp_path):
    # The uurgeg_260_*.zip archives have the same columns, header lines without '#'.
    lines = KNMI_48H.read_text(encoding="latin-1").splitlines()
    plain = [line.removeprefix("# ").removeprefix("#") for line in lines if "260:" not in line]
    path = tmp_path / "uurgeg_260_2021-2030.txt"
    path.write_text("\n".join(plain) + "\n", encoding="latin-1")
    weather = read_knmi_hourly(path, latitude=52.10, longitude=5.18)
    pd.testing.assert_frame_equal(weather, read_knmi_hourly(KNMI_48H))


def test_read_knmi_hourly_missing_column(tmp_path):
    path = tmp_path / "no_q.txt"
    path.write_text(
        KNMI_48H.read_text(encoding="latin-1").replace(",    Q,", ",   QQ,"), encoding="latin-1"
    )
    with pytest.raises(InputError, match=r"no_q\.txt: Q: column missing"):
        read_knmi_hourly(path)


def test_read_epw_keeps_hour_beginning_in_utc():
    weather = read_epw(EPW_48H)
    assert tuple(weather.columns) == WEATHER_COLUMNS
    assert len(weather) == 48
    # EPW hour 1 of Jan 1 is 00:00-01:00 local standard time (UTC+1) = 23:00 UTC Dec 31.
    assert weather.index[0] == pd.Timestamp("2022-12-31 23:00", tz=UTC)
    assert weather["temp_air"].iloc[0] == pytest.approx(-3.4)
    # EPW Jan 1 hour 12 = 11:00-12:00 local = 10:00 UTC; GHI 22, DNI 1, DHI 22 in the file.
    row = weather.loc[pd.Timestamp("2023-01-01 10:00", tz=UTC)]
    assert tuple(row[["ghi", "dni", "dhi"]]) == (22.0, 1.0, 22.0)


def test_read_epw_missing_code_becomes_nan(tmp_path):
    lines = EPW_48H.read_text().splitlines()
    fields = lines[8].split(",")
    fields[6] = "99.9"  # dry bulb temperature missing
    lines[8] = ",".join(fields)
    path = tmp_path / "missing.epw"
    path.write_text("\n".join(lines) + "\n")
    assert np.isnan(read_epw(path)["temp_air"].iloc[0])


def test_read_pvgis_tmy_json():
    weather = read_pvgis_tmy(PVGIS_JSON_48H)
    hourly = json.loads(PVGIS_JSON_48H.read_text())["outputs"]["tmy_hourly"]
    assert tuple(weather.columns) == WEATHER_COLUMNS
    assert len(weather) == 48
    # PVGIS stamps are UTC at the start of the hour: used unchanged.
    assert weather.index[0] == pd.Timestamp("2023-01-01 00:00", tz=UTC)
    noon = hourly[12]
    assert noon["time(UTC)"] == "20230101:1200"
    row = weather.iloc[12]
    assert row["temp_air"] == noon["T2m"]
    assert row["ghi"] == noon["G(h)"]
    assert row["dni"] == noon["Gb(n)"]
    assert row["dhi"] == noon["Gd(h)"]
    assert row["wind_speed"] == noon["WS10m"]


def test_read_pvgis_tmy_csv_full_year_maps_onto_leap_model_year(tmp_path):
    index = tmy_index()
    path = tmp_path / "tmy_52.100_5.180_2005_2023.csv"
    write_pvgis_csv(path, _hour_of_year_values(index))
    weather = read_pvgis_tmy(path)
    assert len(weather) == HOURS_PER_YEAR
    assert tuple(weather.columns) == WEATHER_COLUMNS

    # February is from 2012 (leap, Feb 29 left out), the model year 2024 is leap too.
    aligned = load_weather("pvgis_tmy", path, 2024, 52.10, 5.18)
    assert aligned.index.equals(model_time_index(2024))
    code = aligned["temp_air"]
    # 2024-03-01 00:00+01:00 is 2024-02-29 23:00 UTC; the TMY's Feb 28 23:00 UTC serves.
    assert code[pd.Timestamp("2024-03-01 00:00+01:00")] == 22823
    # 2024-01-01 00:00+01:00 comes from Dec 31 23:00 UTC of the TMY's December (2010).
    assert code.iloc[0] == 123123
    assert code[pd.Timestamp("2024-07-01 12:00+01:00")] == 70111


def test_read_pvgis_tmy_csv_wrong_length():
    with pytest.raises(InputError, match=r"pvgis_tmy_48h\.csv: has 48 hourly rows.*8760"):
        read_pvgis_tmy(PVGIS_CSV_48H)


def test_read_weather_csv_derives_dni_dhi(tmp_path):
    index = model_time_index(2023)[:48]
    path = tmp_path / "weather.csv"
    pd.DataFrame(
        {
            "time": [t.isoformat() for t in index],
            "temp_air": 5.0,
            "ghi": np.where(index.hour == 12, 200.0, 0.0),
            "wind_speed": 4.0,
        }
    ).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"weather\.csv: dni, dhi: .*latitude"):
        read_weather_csv(path)
    weather = read_weather_csv(path, latitude=52.10, longitude=5.18)
    assert weather.index[0] == pd.Timestamp("2022-12-31 23:00", tz=UTC)
    stamp = pd.Timestamp("2023-01-01 12:00+01:00")
    noon = weather.loc[stamp]
    zenith = pvlib.solarposition.get_solarposition(
        pd.DatetimeIndex([stamp + pd.Timedelta(minutes=30)]), 52.10, 5.18
    )["zenith"].iloc[0]
    assert 0 < noon["dhi"] < noon["ghi"] == 200.0
    assert noon["dhi"] + noon["dni"] * np.cos(np.radians(zenith)) == pytest.approx(200.0)
    assert (weather.loc[weather["ghi"] == 0, ["dni", "dhi"]] == 0).all().all()


def test_read_weather_csv_needs_utc_offset(tmp_path):
    path = tmp_path / "naive.csv"
    path.write_text("time,temp_air,ghi,dni,dhi,wind_speed\n2023-01-01T00:00,1,0,0,0,2\n")
    with pytest.raises(InputError, match=r"naive\.csv: time: .*no UTC offset"):
        read_weather_csv(path)


def test_read_weather_csv_text_in_number_column(tmp_path):
    path = tmp_path / "text.csv"
    path.write_text("time,temp_air,ghi,dni,dhi,wind_speed\n2023-01-01T00:00+01:00,1,0,0,0,2 m/s\n")
    with pytest.raises(InputError, match=r"text\.csv: wind_speed: '2 m/s'"):
        read_weather_csv(path)


# --- load_weather and alignment errors ----------------------------------------------------


def test_align_full_year_knmi_file_of_another_year(tmp_path):
    index = pd.date_range("2021-01-01", "2022-01-01", freq="h", inclusive="left", tz=UTC)
    weather = pd.DataFrame(
        {"temp_air": index.hour / 10.0, "ghi": 0.0, "wind_speed": index.month.to_numpy() * 1.0},
        index=index,
    )
    path = tmp_path / "uurgeg_260_2021.txt"
    write_knmi(path, weather)
    aligned = load_weather("knmi", path, 2024, 52.10, 5.18)
    assert aligned.index.equals(model_time_index(2024))
    assert tuple(aligned.columns) == WEATHER_COLUMNS
    # 2024-07-01 12:00+01:00 = 11:00 UTC -> KNMI row 20210701 HH=12 (T = 1.1 °C).
    assert aligned.loc[pd.Timestamp("2024-07-01 12:00+01:00"), "temp_air"] == pytest.approx(1.1)
    # 2024-01-01 00:00+01:00 comes from the file's Dec 31 23:00 UTC.
    assert aligned["temp_air"].iloc[0] == pytest.approx(2.3)
    assert aligned["wind_speed"].iloc[0] == pytest.approx(12.0)


def test_align_48_hour_file_names_file_and_8760():
    with pytest.raises(InputError, match=r"knmi_uurgeg_260_2023_48h\.txt: covers 48 of the 8760"):
        load_weather("knmi", KNMI_48H, 2023, 52.10, 5.18)


def test_nan_value_names_column_and_time(tmp_path):
    index = pd.date_range("2021-01-01", "2022-01-01", freq="h", inclusive="left", tz=UTC)
    weather = pd.DataFrame({"temp_air": 10.0, "ghi": 0.0, "wind_speed": 3.0}, index=index)
    weather.loc[pd.Timestamp("2021-03-04 05:00", tz=UTC), "temp_air"] = np.nan
    path = tmp_path / "gap.txt"
    write_knmi(path, weather)
    with pytest.raises(InputError, match=r"gap\.txt: T: no value for 2021-03-04 05:00 UTC"):
        load_weather("knmi", path, 2023, 52.10, 5.18)


def test_nan_in_csv_names_column(tmp_path):
    text = SYNTHETIC_YEAR_FILE.read_text().splitlines()
    fields = text[200].split(",")
    fields[2] = ""  # ghi
    text[200] = ",".join(fields)
    path = tmp_path / "gap.csv"
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(InputError, match=r"gap\.csv: ghi: no value for 2023-01-09 06:00 UTC"):
        load_weather("csv", path, 2023, 52.10, 5.18)


@pytest.mark.parametrize("source", ["epw", "pvgis_tmy", "knmi", "csv"])
def test_missing_file_names_path(source, tmp_path):
    path = tmp_path / "nowhere" / "weather.dat"
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: file not found"):
        load_weather(source, path, 2023, 52.10, 5.18)


def test_unreadable_epw(tmp_path):
    path = tmp_path / "broken.epw"
    path.write_text("this is not an EPW file\n")
    with pytest.raises(InputError, match=r"broken\.epw: cannot read as EPW"):
        read_epw(path)


def test_unknown_source_and_missing_path():
    with pytest.raises(InputError, match="source: unknown weather source 'meteo'"):
        load_weather("meteo", Path("x.csv"), 2023, 52.10, 5.18)
    with pytest.raises(InputError, match="path: weather source 'epw' needs a file"):
        load_weather("epw", None, 2023, 52.10, 5.18)


def test_irradiance_clipped_to_zero():
    index = pd.date_range("2023-01-01", periods=HOURS_PER_YEAR, freq="h", tz=UTC)
    weather = pd.DataFrame({c: -1.0 for c in WEATHER_COLUMNS}, index=index)
    aligned = align_to_year(weather, 2023)
    assert (aligned[["ghi", "dni", "dhi"]] == 0).all().all()
    assert (aligned["temp_air"] == -1).all()


# --- default year -------------------------------------------------------------------------


def test_default_year_shape(default_2023):
    raw = synthetic_year()
    assert len(raw) == HOURS_PER_YEAR
    assert tuple(raw.columns) == WEATHER_COLUMNS
    assert default_2023.index.equals(model_time_index(2023))
    assert (default_2023[["ghi", "dni", "dhi", "wind_speed"]] >= 0).all().all()
    assert SYNTHETIC_YEAR_FILE.stat().st_size < 500_000


def test_default_year_monthly_means_match_normals(default_2023):
    monthly = default_2023.groupby(default_2023.index.month)
    temp = monthly["temp_air"].mean().to_numpy()
    np.testing.assert_allclose(temp, NORMALS["temp_mean_c"], atol=0.05)
    ghi_kwh = monthly["ghi"].sum().to_numpy() / 1000.0
    np.testing.assert_allclose(ghi_kwh, NORMALS["ghi_kwh_per_m2"], rtol=0.01)
    wind = monthly["wind_speed"].mean().to_numpy()
    np.testing.assert_allclose(wind, NORMALS["wind_m_per_s"], atol=0.05)
    daily = default_2023["temp_air"].resample("D")
    for extreme, normal in ((daily.max(), "temp_max_c"), (daily.min(), "temp_min_c")):
        by_month = extreme.groupby(extreme.index.month).mean().to_numpy()
        np.testing.assert_allclose(by_month, NORMALS[normal], atol=0.5)


def test_default_year_coldest_hour_is_a_design_day(default_2023):
    assert -12.0 <= default_2023["temp_air"].min() <= -8.0


def test_default_year_irradiance_is_physical(default_2023):
    assert default_2023["ghi"].max() < 1000.0
    closure = default_2023["dhi"] <= default_2023["ghi"] + 0.11
    assert closure.all()


def test_regenerating_reproduces_shipped_file(build_script, default_2023):
    start = time.perf_counter()
    rebuilt = build_script.build_default_year()
    assert time.perf_counter() - start < 30.0
    assert rebuilt.index.equals(default_2023.index)
    for column, decimals in build_script.ROUNDING.items():
        np.testing.assert_allclose(
            rebuilt[column], default_2023[column], rtol=0, atol=1.01 * 10.0**-decimals
        )

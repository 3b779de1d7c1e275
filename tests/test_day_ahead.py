"""Day-ahead price readers: ENTSO-E export with clock changes, plain CSV, synthetic shape."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from optimiser.errors import InputError
from optimiser.inputs.electricity import DEFAULT_DAY_AHEAD_FILE
from optimiser.inputs.profiles.day_ahead import read_entsoe_prices, read_plain_prices

AMS = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
HEADER = '"MTU (CET/CEST)","Day-ahead Price [EUR/MWh]","Currency","BZN|NL"'


def entsoe_rows(year: int = 2025) -> list[str]:
    """An ENTSO-E style export of ``year``: the price of each hour is its number of hours
    since 1 January 00:00 UTC+1, so the model hour h must read h / 1000 EUR/kWh."""
    start = datetime(year - 1, 12, 31, 23, tzinfo=UTC)
    rows = []
    for h in range(8760):
        a = (start + timedelta(hours=h)).astimezone(AMS)
        b = (start + timedelta(hours=h + 1)).astimezone(AMS)
        ambiguous = a.replace(fold=1 - a.fold).utcoffset() != a.utcoffset()
        zone = f" ({a.tzname()})" if ambiguous else ""
        rows.append(f'"{a:%d.%m.%Y %H:%M}{zone} - {b:%d.%m.%Y %H:%M}{zone}","{h}.00","EUR",""')
    return rows


def write(tmp_path, rows: list[str]):
    path = tmp_path / "entsoe.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_entsoe_export_with_both_clock_changes_maps_onto_the_model_hours(tmp_path):
    rows = entsoe_rows()
    # the spring day has 23 rows, the autumn day 25 (02:00 CEST and 02:00 CET)
    assert sum("30.03.2025" in r.split(" - ")[0] for r in rows) == 23
    assert sum("26.10.2025" in r.split(" - ")[0] for r in rows) == 25
    prices = read_entsoe_prices(write(tmp_path, rows), utc_offset_hours=1)
    np.testing.assert_allclose(prices, np.arange(8760) / 1000.0)


def one_line_error(tmp_path, rows) -> str:
    path = write(tmp_path, rows)
    with pytest.raises(InputError) as err:
        read_entsoe_prices(path, utc_offset_hours=1)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    assert "prices.electricity.day_ahead" in message
    return message


def test_missing_hour_is_named(tmp_path):
    rows = entsoe_rows()
    del rows[100]  # data row 101 = file row 102 missing; the next row is file row 102
    assert "row 102: 1 period(s) missing" in one_line_error(tmp_path, rows)


def test_duplicate_hour_is_named(tmp_path):
    rows = entsoe_rows()
    rows.insert(201, rows[200])  # file rows 202 and 203 are the same hour
    assert "row 203: duplicate period: the same hour as row 202" in one_line_error(tmp_path, rows)


def test_a_25_hour_day_that_is_no_clock_change_is_a_duplicate(tmp_path):
    rows = entsoe_rows()
    # 12 March: the 03:00 hour written twice (as a DST-less export of the wrong day would)
    at = next(i for i, r in enumerate(rows) if r.startswith('"12.03.2025 03:00'))
    rows.insert(at + 1, rows[at])
    assert f"row {at + 3}: duplicate period" in one_line_error(tmp_path, rows)


def test_a_24_hour_spring_change_day_is_named(tmp_path):
    rows = entsoe_rows()
    # an export without summer time: 30 March keeps 02:00, which does not exist that night
    at = next(i for i, r in enumerate(rows) if r.startswith('"30.03.2025 03:00'))
    rows.insert(at, '"30.03.2025 02:00 - 30.03.2025 03:00","1.00","EUR",""')
    message = one_line_error(tmp_path, rows)
    assert f"row {at + 2}" in message and "does not exist in local time" in message


def test_a_23_hour_autumn_change_day_is_a_missing_hour(tmp_path):
    rows = entsoe_rows()
    at = next(i for i, r in enumerate(rows) if "26.10.2025 02:00 (CET)" in r)
    del rows[at]
    assert f"row {at + 2}: 1 period(s) missing" in one_line_error(tmp_path, rows)


def test_text_in_the_price_column_is_named(tmp_path):
    rows = entsoe_rows()
    rows[9] = rows[9].replace('"9.00"', '"n/e"')
    message = one_line_error(tmp_path, rows)
    assert "row 11: Day-ahead Price [EUR/MWh]: not a number (got 'n/e')" in message


def test_text_in_a_plain_price_csv_is_named(tmp_path):
    values = ["50.0"] * 8760
    values[41] = "abc"
    path = tmp_path / "prices.csv"
    path.write_text("price_eur_per_mwh\n" + "\n".join(values) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_plain_prices(path)
    assert "first in data row 42" in str(err.value) and "price_eur_per_mwh" in str(err.value)


def test_synthetic_shape_is_reproducible_and_has_its_published_statistics(tmp_path):
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_nl_price_shape.py"
    spec = importlib.util.spec_from_file_location("build_nl_price_shape", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(tmp_path / "shape.csv")
    assert (tmp_path / "shape.csv").read_text() == DEFAULT_DAY_AHEAD_FILE.read_text()
    prices = read_plain_prices(DEFAULT_DAY_AHEAD_FILE) * 1000
    assert prices.mean() == pytest.approx(86.8, abs=0.01)  # Electricity Maps 2025 mean
    assert int((prices < 0).sum()) == 584  # negative hours 2025
    frame = pd.read_csv(DEFAULT_DAY_AHEAD_FILE, comment="#")
    assert len(frame) == 8760


def test_a_plain_price_csv_missing_an_hour_is_named(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("price_eur_per_mwh\n" + "\n".join(["50.0"] * 8759) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_plain_prices(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    assert "prices.electricity.day_ahead" in message and "has 8759 rows" in message

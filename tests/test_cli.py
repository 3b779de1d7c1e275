"""The command line: bad input ends in one line naming file and field, and no output."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from optimiser.cli import app

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def model_with(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((REPO / "models/default/wijk.yaml").read_text())
    change(data, tmp_path)
    path = tmp_path / "model" / "wijk.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def profile_csv(tmp_path: Path, values: np.ndarray) -> str:
    path = tmp_path / "model" / "heat.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("kw\n" + "\n".join("" if np.isnan(v) else f"{v}" for v in values) + "\n")
    return "heat.csv"


def use_profile(values):
    def change(data, tmp_path):
        data["demand"]["households"][0]["heat_profile_file"] = profile_csv(tmp_path, values)

    return change


def set_in(*keys, value):
    def change(data, _tmp_path):
        node = data
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return change


def drop_heat_suppliers(data, _tmp_path):
    for key in ("heat_pump", "backup_boiler", "heat_buffer", "teo", "ates"):
        data["technologies"].pop(key)


BAD_INPUTS = {
    "negative capacity": (
        set_in("technologies", "pv", "max_kwp", value=-10),
        r"wijk.yaml:\d+: technologies.pv.max_kwp: -10 is outside the sane range 0 to",
    ),
    "unknown technology": (
        set_in("technologies", "wind_turbine", value={}),
        "technologies.wind_turbine: unknown technology",
    ),
    "missing weather file": (
        set_in("weather", value={"source": "epw", "file": "nowhere.epw"}),
        r"weather.file: file not found: .*nowhere.epw",
    ),
    "profile of 8759 rows": (
        use_profile(np.ones(8759)),
        r"heat.csv: demand \(apartment\).heat_profile_file: "
        r"column 'kw' has 8759 rows; give exactly 8760",
    ),
    "NaN in a profile": (
        use_profile(np.r_[np.ones(100), np.nan, np.ones(8659)]),
        r"heat.csv: demand \(apartment\).heat_profile_file: column 'kw' has 1 missing",
    ),
    "business without connections": (
        lambda data, _tmp: data["demand"]["businesses"][0].pop("connections"),
        r"wijk.yaml:\d+: demand.businesses.0.connections: required field is missing",
    ),
    "price year outside the index table": (
        set_in("finance", "price_year", value=2031),
        r"wijk.yaml:\d+: finance.price_year: 2031 is outside the CBS price index table"
        r" \(2015-2026, price_index.yaml\)",
    ),
    "demand nothing can serve": (
        drop_heat_suppliers,
        "technologies: heat_demand needs network_heat but no technology supplies it; add heat_pump",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_gives_one_line_and_no_output(tmp_path, case):
    change, expected = BAD_INPUTS[case]
    model = model_with(tmp_path, change)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(model), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert re.search(expected, lines[0]), lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_model_file(tmp_path):
    result = runner.invoke(
        app, ["run", str(tmp_path / "absent.yaml"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "absent.yaml: model file not found" in result.stderr
    assert not (tmp_path / "o").exists()


def test_validate_reports_every_problem(tmp_path):
    def two(data, _tmp):
        data["technologies"]["pv"]["max_kwp"] = -1
        data["site"]["latitude"] = 123

    model = model_with(tmp_path, two)
    result = runner.invoke(app, ["validate", str(model)])
    assert result.exit_code == 2
    assert "site.latitude" in result.stderr
    assert "technologies.pv.max_kwp" in result.stderr
    assert "2 problems (listed above)" in result.stderr


def test_validate_accepts_shipped_models():
    for name in ("default", "ketelhuis-wg"):
        result = runner.invoke(app, ["validate", str(REPO / "models" / name)])
        assert result.exit_code == 0, result.output
        assert "valid" in result.output

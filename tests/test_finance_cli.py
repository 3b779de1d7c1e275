"""Bad finance in a model: one line naming the field, exit code 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from optimiser.cli import app

REPO = Path(__file__).resolve().parents[1]
HOMES = ["apartment", "mid_terrace", "corner", "semi_detached", "detached", "school", "shops"]


def one_party_model(tmp_path: Path, finance: dict, **party) -> Path:
    """The default neighbourhood with air heat pumps (fast) and one party of everyone."""
    data = yaml.safe_load((REPO / "models/default/wijk.yaml").read_text())
    data["technologies"] = {
        "grid": {"max_kw": 4000},
        "heat_pump": {"module_kw": 500, "max_modules": 8, "source": "air"},
        "backup_boiler": {"fuel": "gas"},
    }
    data["finance"] = {**data.get("finance", {}), **finance}
    data["parties"] = [{"name": "residents", "demands": HOMES, **party}]
    path = tmp_path / "wijk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


BAD = {
    "covenant below 0": ({"min_dscr": -0.5}, {}, "finance.min_dscr"),
    "tranche after the horizon": (
        {"grants": [{"name": "PAW", "tranches": [{"year": 99, "amount_eur": 1e6}]}]},
        {},
        "finance.grants[0].tranches[0].year: tranche of grant 'PAW' in year 99 is after the"
        " horizon",
    ),
    "equity return above the cap": (
        {},
        {"equity_eur": 1e5, "equity_return": 0.08},
        "parties[0].equity_return",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_finance_is_one_line_and_writes_nothing(tmp_path, case):
    finance, party, field = BAD[case]
    model = one_party_model(tmp_path, finance, **party)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["allocate", str(model), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and field in lines[0]
    assert not out.exists()


def test_financing_above_the_investment_stops_allocate(tmp_path):
    """A EUR 1,000 M grant is more than any design here costs: one line naming the
    party and the amounts, exit 2, no allocation written. With a reserve that large the
    same model allocates, and the board's figures are in allocation.json."""
    model = one_party_model(tmp_path, {}, subsidy_eur=1e9)
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["allocate", str(model), "--out", str(out), "--cache", str(cache), "--workers", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "finance.reserve_eur: financing EUR 1,000,000,000 (residents grant EUR" in lines[0]
    assert not out.exists()
    model = one_party_model(tmp_path, {"reserve_eur": 1e9}, subsidy_eur=1e9)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    allocation = json.loads((out / "allocation.json").read_text())
    assert allocation["tariff"]["binding_test"] in ("npv", "cash", "dscr")
    assert "lowest DSCR" in result.output and "Niet Meer Dan Nu" in result.output

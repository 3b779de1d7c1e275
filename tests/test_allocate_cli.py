"""``wijk allocate --game``: the files a user gets for a game of their own."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from optimiser.cli import app

runner = CliRunner()
HASAN = {
    "1": 8, "2": 1, "3": 10, "4": 11, "12": 8, "13": 10, "14": 19, "23": 10, "24": 12,
    "34": 12, "123": 10, "124": 19, "134": 20, "234": 13, "1234": 20,
}  # fmt: skip


def game_file(tmp_path, costs: dict[str, float], players=None):
    players = players or sorted({p for key in costs for p in key})
    data = {
        "players": players,
        "costs": [{"coalition": list(key), "cost": value} for key, value in costs.items()],
    }
    path = tmp_path / "game.json"
    path.write_text(json.dumps(data))
    return path


def test_allocate_writes_json_and_csv(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["allocate", "--game", str(game_file(tmp_path, HASAN)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    allocation = json.loads((out / "allocation.json").read_text())
    assert allocation["rules"]["nucleolus"] == pytest.approx(
        {"1": 7.5, "2": 0.5, "3": 1.5, "4": 10.5}
    )
    assert allocation["core"]["nucleolus"]["in_core"] is True
    assert allocation["core"]["shapley"]["objecting_coalition"] == ["3", "4"]
    for shares in allocation["rules"].values():
        assert sum(shares.values()) == pytest.approx(20.0)
    rows = list(csv.DictReader((out / "allocation.csv").open()))
    assert len(rows) == 4 * len(allocation["rules"])
    row = next(r for r in rows if r["party"] == "3" and r["rule"] == "nucleolus")
    assert float(row["savings"]) == pytest.approx(8.5)


def test_missing_coalition_is_one_line_naming_it(tmp_path):
    costs = {k: v for k, v in HASAN.items() if k != "24"}
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["allocate", "--game", str(game_file(tmp_path, costs)), "--out", str(out)]
    )
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "coalition ['2', '4'] has no cost" in lines[0]
    assert not out.exists()


def test_empty_imputation_set_is_reported(tmp_path):
    out = tmp_path / "out"
    path = game_file(tmp_path, {"a": 10, "b": 10, "ab": 30})
    result = runner.invoke(app, ["allocate", "--game", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    allocation = json.loads((out / "allocation.json").read_text())
    assert "nucleolus" not in allocation["rules"]
    assert any(
        note.startswith("nucleolus:") and "stand-alone" in note for note in allocation["notes"]
    )
    assert any("core is empty" in note for note in allocation["notes"])

"""``wijk run`` on the embedded default neighbourhood, end to end, as a user runs it.

The real run (typical-day design plus the full-year hourly check) must close every
balance, keep the ATES within its yearly balance, and write complete result files
that record the inputs' hash and the package version.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from optimiser import __version__
from optimiser.cli import app
from optimiser.inputs.scenario import load_scenario, scenario_hash
from optimiser.outputs.results import balance_residual, read_results


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "results"
    result = CliRunner().invoke(app, ["run", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_writes_complete_results(default_run):
    out, output = default_run
    assert sorted(p.name for p in out.iterdir()) == [
        ".wijk-set.json",  # the marker naming the set (optimiser.files)
        "results.nc",
        "summary.csv",
        "summary.json",
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["input_hash"] == scenario_hash(load_scenario())
    assert summary["package_version"] == __version__
    assert "input_hash" in (out / "summary.csv").read_text()
    assert "typical days" in output and "total cost" in output


def test_full_year_check_closes_every_balance(default_run):
    out, _ = default_run
    ds = read_results(out / "results.nc")
    assert ds.sizes["time"] == 8760
    assert float(balance_residual(ds).max()) < 1e-6
    assert "unmet" not in ds  # the default design serves every hour
    summary = json.loads((out / "summary.json").read_text())
    design = summary["design"]
    assert design["typical_days"] == 13
    # the typical-day cost predicts the full-year cost closely
    assert abs(design["difference_fraction"]) < 0.02
    assert summary["total_cost_eur_per_year"] == pytest.approx(
        float(ds["cost_eur_per_year"].sum()), rel=1e-9
    )


def test_ates_and_integer_sizes(default_run):
    out, _ = default_run
    ds = read_results(out / "results.nc")
    summary = json.loads((out / "summary.json").read_text())
    tolerance = load_scenario().technologies.ates.balance_tolerance
    balance = summary["ates_balance"]
    assert balance["injected_mwh"] > 100
    assert abs(balance["imbalance_fraction"]) <= tolerance + 1e-9
    sizes = dict(zip(ds["size"].values, ds["size_value"].values, strict=True))
    for label in ("heat_pump.modules", "ates.doublets", "teo.built"):
        assert sizes[label] == pytest.approx(np.round(sizes[label]), abs=1e-9)


EXPECTED_FIGURES = [
    "fig-capacities",
    "fig-sankey-energy",
    "fig-dispatch-heat",
    "fig-dispatch-electricity",
    "fig-heatmap-heat_pump",
    "fig-heatmap-grid",
    "fig-seasonal",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def default_report(default_run):
    out, _ = default_run
    result = CliRunner().invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    return out / "report.html"


def test_report_is_self_contained_and_small(default_report):
    page = default_report.read_text()
    assert default_report.stat().st_size < 15e6
    assert "<script src=" not in page  # plotly is embedded: the page opens offline
    assert page.count("Plotly.newPlot") == len(EXPECTED_FIGURES)
    for div in EXPECTED_FIGURES:
        assert f'id="{div}"' in page
    # no water, no allocation: those figures are left out, not drawn empty
    assert "fig-sankey-water" not in page and "fig-allocation" not in page


def test_report_renders_in_headless_chromium(default_report):
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("WIJK_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (WIJK_REQUIRE_BROWSER) but not installed")
        pytest.skip("chromium not installed (CI installs it: Debian package chromium)")
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        start = time.perf_counter()
        page.goto(default_report.as_uri(), wait_until="load")
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot').length == {len(EXPECTED_FIGURES)}",
            timeout=10_000,
        )
        seconds = time.perf_counter() - start
        drawn = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => e.id)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-default.png"), full_page=True)
        browser.close()
    assert errors == []
    assert sorted(drawn) == sorted(EXPECTED_FIGURES)
    assert seconds < 10

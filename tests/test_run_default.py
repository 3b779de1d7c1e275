"""``wijk run`` on the embedded default neighbourhood, end to end, as a user runs it.

The real run (typical-day design plus the full-year hourly check) must close every
balance, keep the ATES within its yearly balance, and write complete result files
that record the inputs' hash and the package version.
"""

from __future__ import annotations

import html
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
from optimiser.outputs.result_files import read_results
from optimiser.outputs.results import balance_residual


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
    # the energy centre's use (~1-2 GWh) lands in the third bracket's line: no fallback
    assert design["energy_tax"].startswith("grid: line of bracket 3 (50,000-")
    assert summary["total_cost_eur_per_year"] == pytest.approx(
        float(ds["cost_eur_per_year"].sum()), rel=1e-9
    )


def test_electricity_bills_add_up_to_the_model(default_run):
    # Dutch tariffs: each connection's bill is recomputed from the hourly flows and the
    # tariff files and must equal what the optimiser charged (within EUR 1).
    out, output = default_run
    summary = json.loads((out / "summary.json").read_text())
    bills = summary["electricity_bills"]
    assert {"energy_centre", "apartment", "school"} <= set(bills)
    assert all(bill["matches_model"] for bill in bills.values())
    assert summary["electricity_prices"]["synthetic"] is True
    assert "SYNTHETIC" in output
    centre = bills["energy_centre"]
    assert len(centre["transport"]["monthly_peak_kw"]) == 12
    assert centre["transport"]["contracted_kw"] == pytest.approx(
        max(centre["transport"]["monthly_peak_kw"].values()), rel=1e-6
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


def test_money_in_the_price_year_with_cost_lines_and_gas_reference(default_run):
    out, output = default_run
    summary = json.loads((out / "summary.json").read_text())
    assert summary["price_year"] == 2026
    assert "EUR2026/year" in output and "gas boilers instead" in output
    lines = ("distribution_mains", "house_connections", "delivery_sets", "building_works")
    for line in lines:
        assert summary["investment_eur"][line] > 0
        assert line in output
    assert summary["cost_eur_per_year"]["staff"]["fixed_om"] > 0
    # 20 apartment blocks + 340 ground-level homes + 1 school + 10 shops = 371 connections
    assert summary["network_quantities"]["connections"] == 371
    ref = summary["gas_reference"]
    assert ref["total_savings_eur_per_year"] == pytest.approx(
        ref["total_eur_per_year"] - summary["total_cost_eur_per_year"], rel=1e-12
    )
    assert ref["co2_savings_tonne_per_year"] > 0  # heat pumps emit less than gas boilers


def test_report_without_allocation_says_no_tariff_was_tested(default_report):
    page = default_report.read_text()
    assert "No tariff tested: run <code>wijk allocate MODEL</code>" in page
    assert "Niet Meer Dan Nu holds" not in page and "fig-board-cash" not in page


BOARD_FIGURES = ["fig-board-cash", "fig-owner-water_board"]


@pytest.fixture(scope="module")
def board_report(default_run, tmp_path_factory):
    """The default run's design with a cooperative of its residents (a EUR 2 M loan at
    4 % with a 2-year grace period, EUR 1 M of contributions from the homes) and the
    water board owning the TEO at EUR 6/GJ: the business case that ``wijk allocate``
    builds from the grand coalition, written as its files, then ``wijk report``."""
    from optimiser.economics.allocation.allocate import allocate, write_allocation
    from optimiser.economics.allocation.game import Game
    from optimiser.economics.business import business_case
    from optimiser.inputs.scenario import Scenario
    from optimiser.workflows.allocation import source_note
    from optimiser.workflows.runner import outcome_of, scenario_data

    out, _ = default_run
    summary = json.loads((out / "summary.json").read_text())
    data = scenario_data(load_scenario())
    groups = [g["name"] for g in data["demand"]["households"] + data["demand"]["businesses"]]
    data["finance"].update(
        construction_years=2,
        loans=[{"amount_eur": 2e6, "rate": 0.04, "years": 20, "grace_years": 2, "lender": "bank"}],
    )
    data["parties"] = [
        {"name": "residents", "demands": groups, "connection_contributions_eur": 1e6},
        {"name": "water_board", "assets": ["teo"], "heat_fee_eur_per_gj": 6.0},
    ]
    case = business_case(Scenario.model_validate(data), outcome_of(summary))
    total = summary["total_cost_eur_per_year"]
    # a two-player game around the run's cost (the coalition solves are tested elsewhere)
    result = allocate(Game(("residents", "water_board"), np.array([0, 1.2 * total, 0, total])))
    result.update(case.summary())
    # what the game says of the TEO's loop against air-source heat pumps (given here)
    result["source_against_air"] = {
        "owners": ["water_board"],
        "loop_eur_per_year": total,
        "air_eur_per_year": total - 5e4,
    }
    result["notes"].append(source_note(result["source_against_air"]))  # as wijk allocate does
    allocation = tmp_path_factory.mktemp("allocation")
    write_allocation(result, allocation, case.files())
    target = allocation / "board.html"
    outcome = CliRunner().invoke(
        app, ["report", str(out), "--allocation", str(allocation), "--out", str(target)]
    )
    assert outcome.exit_code == 0, outcome.output
    return target, result


def test_board_page_states_every_verdict(board_report):
    target, result = board_report
    page = target.read_text()
    assert "id='board'" in page
    for words in ("Niet Meer Dan Nu", "lowest DSCR", "Cash low point", "price year",
                  "VAT on energy", "discount rate", "covenant (lowest DSCR)", "break-even fee",
                  "IRR at that fee", "fig-board-cash", "fig-owner-water_board",
                  "in the core", "saves", "system cost of its loop against air-source",
                  "EUR 50,000/year more: the source does not pay for itself"):  # fmt: skip
        assert words in page, words
    # the party table: the stand-alone row and a row per rule (the support rows are
    # tested in test_allocation_tables; this bare game brings none, and the table's note
    # names every kind of support whether or not a party brings it)
    assert "<tr><td>stand alone</td>" in page
    for note in result["notes"]:  # every note wijk allocate printed, the source one too
        assert f"<li>{html.escape(note)}</li>" in page, note
    assert any("air-source" in note for note in result["notes"])
    for rule in result["rules"]:
        assert f"<tr class='rule'><td>{rule}</td>" in page, rule
    tariff = result["tariff"]
    # the tariff passes the lender's tests by construction; the page never says "holds"
    # for a failing Niet Meer Dan Nu
    assert result["cooperative"]["covenant_holds"] is True
    if not tariff["niet_meer_dan_nu"]:
        assert "Niet Meer Dan Nu fails" in page and "Niet Meer Dan Nu holds" not in page
    assert tariff["binding_test"] in ("npv", "cash", "dscr")
    # the residents' homes pay the contribution: 1 M over the 551 connections
    homes = [h for h in result["households"] if h["household"]]
    assert homes[0]["contribution_eur"] == pytest.approx(1e6 / 551)


def test_board_page_renders_in_headless_chromium(board_report):
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("WIJK_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (WIJK_REQUIRE_BROWSER) but not installed")
        pytest.skip("chromium not installed (CI installs it: Debian package chromium)")
    from playwright.sync_api import sync_playwright

    target, _ = board_report
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(target.as_uri(), wait_until="load")
        total = len(EXPECTED_FIGURES) + len(BOARD_FIGURES) + 2  # allocation, nmdn
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot').length == {total}", timeout=10_000
        )
        drawn = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => e.id)")
        board = page.inner_text("#board")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-board.png"), full_page=True)
        browser.close()
    assert errors == []
    assert set(BOARD_FIGURES) <= set(drawn)
    assert "Niet Meer Dan Nu" in board and "Cash low point" in board

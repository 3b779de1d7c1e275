"""The typical-day design's energy tax on one bracket's line, and its exact fallback
(:mod:`optimiser.workflows.tax_line`). Every expected number is computed by hand here."""

from __future__ import annotations

import json

import numpy as np
import pyomo.environ as pyo
import pytest
import yaml
from cases import hand_inputs, scenario_from

from optimiser.inputs.electricity import DEFAULT_DSO_FILE, DEFAULT_TAX_FILE, load_energy_tax
from optimiser.model.builder import ModelBuilder
from optimiser.model.components.demand import Demand, DemandParams
from optimiser.model.components.grid import Grid, GridParams
from optimiser.model.solve import SolveOptions, solve
from optimiser.model.system import build_model
from optimiser.workflows import design_stage
from optimiser.workflows.tax_line import describe, landed, max_over_eur, used_kwh

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)
RATE = [b["eur_per_kwh"] for b in yaml.safe_load(DEFAULT_TAX_FILE.read_text())["brackets"]]
"""The bracket rates as the tax file states them (EUR/kWh): 0-10, 10-50, 50-10,000 MWh."""
TAX = load_energy_tax(DEFAULT_TAX_FILE)


def _grid_on_line(kwh_per_year: float, guess_kwh: float) -> ModelBuilder:
    """A fixed electricity use drawn at a price of 0 from a 1 MW connection whose tax is
    the line of the bracket ``guess_kwh`` falls in: the whole cost is that line."""
    inputs = hand_inputs(24, electricity_kw=kwh_per_year / 8760, import_eur_per_kwh=0.0, weight=365)
    mb = ModelBuilder(inputs, discount_rate=0.0, tax_line_kwh=guess_kwh)
    load = DemandParams(carrier="electricity", input_variable="electricity_demand_kw")
    Demand("load", load).add(mb)
    Grid("grid", GridParams(max_kw=1000, energy_tax=TAX)).add(mb)
    mb.finish()
    solve(mb, EXACT)
    return mb


def test_a_use_in_the_lines_bracket_pays_the_exact_bracket_sum():
    # 2 GWh in the third bracket (50 MWh-10 GWh), line of that bracket: exact,
    # 10,000 r1 + 40,000 r2 + 1,950,000 r3. A 1 MW connection reaches 8.76 GWh at most,
    # so three brackets exist; at 0 kWh the line stands at 10,000 r1 + 40,000 r2 -
    # 50,000 r3 above the tax (2026 file: 916 + 3,614.80 - 1,971.50 = 2,559.30), the most
    # it can overcharge (it is exact up to 8.76 GWh).
    mb = _grid_on_line(2e6, guess_kwh=1e6)
    expected = 10_000 * RATE[0] + 40_000 * RATE[1] + 1_950_000 * RATE[2]
    assert pyo.value(mb.model.total_cost) == pytest.approx(expected, abs=0.005)
    assert landed(mb) == {"grid.tax_bracket_2_reached": 1.0, "grid.tax_bracket_3_reached": 1.0}
    over = 10_000 * RATE[0] + 40_000 * RATE[1] - 50_000 * RATE[2]
    assert max_over_eur(mb) == pytest.approx(over, abs=1e-6)


def test_a_use_outside_the_lines_bracket_is_overcharged_and_not_landed():
    # 2 GWh on the line of the second bracket (10-50 MWh): 10,000 r1 + 1,990,000 r2,
    # above the bracket sum of the test before; the use is outside, so not landed.
    mb = _grid_on_line(2e6, guess_kwh=20_000)
    assert pyo.value(mb.model.total_cost) == pytest.approx(
        10_000 * RATE[0] + 1_990_000 * RATE[1], abs=0.005
    )
    assert landed(mb) is None
    assert used_kwh(mb) == pytest.approx(2e6)


def _electric_boiler_case():
    """100,000 kWh of heat a year (24 hours x 365) from a free electric boiler of
    efficiency 1, so the energy centre draws 100,000 kWh: tax 10,000 r1 + 40,000 r2 +
    50,000 r3. The bracket guess (heat / COP 4 = 25,000 kWh) is in the second bracket."""
    heat_kw = 100_000 / 8760
    inputs = hand_inputs(24, heat_kw=heat_kw, import_eur_per_kwh=0.0, weight=365)
    inputs = inputs.assign(
        electricity_day_ahead_eur_per_kwh=("time", np.zeros(24)),
        household_electricity_kw=("time", np.zeros(24)),
    ).assign_coords(connections=("consumer", [1]))
    inputs.attrs["electricity_tariffs_json"] = json.dumps(
        {
            "day_ahead": "synthetic", "synthetic": True, "year": 2026, "net_metering": True,
            "supplier_margin_eur_per_kwh": 0.0, "export_fee_eur_per_kwh": 0.0,
            "energy_tax_file": str(DEFAULT_TAX_FILE), "dso_file": str(DEFAULT_DSO_FILE),
            "energy_centre_tax_refund": False, "households": ["homes"], "businesses": [],
        }
    )  # fmt: skip
    boiler = {
        "fuel": "electricity", "efficiency": 1.0, "capex_eur_per_kw": 0.0,
        "fixed_om_eur_per_kw_year": 0.0, "lifetime_years": 20, "max_kw": 100.0,
    }  # fmt: skip
    scenario = scenario_from(
        technologies={"grid": {"max_kw": 100}, "backup_boiler": boiler},
        prices={"electricity": {"day_ahead": "synthetic", "year": 2026}},
    )
    return scenario, inputs


def _design(monkeypatch, second_guess: float | None):
    """The typical-day design of the boiler case and how many models it built; with
    ``second_guess`` the second try is forced onto that (wrong) bracket."""
    scenario, inputs = _electric_boiler_case()
    if second_guess is not None:
        monkeypatch.setattr(design_stage, "used_kwh", lambda _builder: second_guess)
    stages = []
    design, solution, _, brackets = design_stage.bracketed_design(
        scenario, inputs, EXACT, stages.append, None
    )
    exact = build_model(scenario, inputs)
    return design, solution, brackets, stages.count("build"), solve(exact, EXACT)


def test_a_missed_guess_designs_again_on_the_landed_bracket(monkeypatch):
    # guess 25,000 kWh (second bracket), use 100,000 (third): the second try, on the
    # third bracket's line, lands and costs what the exact model costs.
    design, solution, brackets, builds, exact = _design(monkeypatch, None)
    assert builds == 2
    assert used_kwh(design) == pytest.approx(100_000, rel=1e-9)
    assert brackets == {"grid.tax_bracket_2_reached": 1.0, "grid.tax_bracket_3_reached": 1.0}
    assert solution.objective == pytest.approx(exact.objective, abs=1e-4)
    # the bound gives back the line's largest overcharge (at 0 kWh), 2,559.30 in 2026
    over = 10_000 * RATE[0] + 40_000 * RATE[1] - 50_000 * RATE[2]
    assert solution.bound == pytest.approx(exact.bound - over, abs=1e-4)
    assert "line of bracket 3 (50,000-" in describe(design)


def test_two_missed_brackets_fall_back_to_the_exact_brackets(monkeypatch):
    # the second try forced onto the first bracket (0 kWh) misses again: the design is
    # made with the bracket binaries, its brackets are its own sizes, its cost exact
    # (the tax of 100,000 kWh, 10,000 r1 + 40,000 r2 + 50,000 r3, in both).
    design, solution, brackets, builds, exact = _design(monkeypatch, 0.0)
    assert builds == 3
    assert brackets == {}
    assert describe(design).startswith("no tax line")
    assert not design.tax_lines
    assert pyo.value(design.model.grid.tax_bracket_3_reached) == pytest.approx(1.0)
    assert solution.objective == pytest.approx(exact.objective, abs=1e-4)
    tax = sum(r * pyo.value(design.model.grid.bracket_kwh[k]) for k, r in enumerate(RATE[:3]))
    assert tax == pytest.approx(10_000 * RATE[0] + 40_000 * RATE[1] + 50_000 * RATE[2], abs=1e-4)

"""The certificate's Benders bound: cuts, master and search against hand and MILP optima."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from cases import hand_inputs, scenario_from
from test_certificate import ELECTRICITY, EXACT, PER_MODULE, heat_pump_case

from optimiser.model.design_bound import DesignSpace, design_bound
from optimiser.model.relaxed_year import Cut, RelaxedYear
from optimiser.model.solve import solve
from optimiser.model.system import build_model


def space(rows: list[list[float]], row_lower, row_upper, lower, upper, integer) -> DesignSpace:
    """A design space by hand."""
    n = len(lower)
    matrix = sp.csr_matrix(np.array(rows, dtype=float).reshape(len(rows), n))
    as_array = [np.asarray(v, dtype=float) for v in (lower, upper, row_lower, row_upper)]
    return DesignSpace(as_array[0], as_array[1], np.asarray(integer), matrix, *as_array[2:])


def test_master_by_hand():
    # theta >= 10 + 2 (d - 3) and d >= 1.6 (a feasibility cut), d integer in [0, 5]:
    # the optimum is d = 2, theta = 8; without integrality d = 1.6, theta = 7.2
    cuts = [Cut(np.array([2.0]), 4.0, theta=True), Cut(np.array([1.0]), 1.6, theta=False)]
    integer = space([], [], [], [0.0], [5.0], [True])
    step = integer.master(cuts, integer.lower, integer.upper, 10)
    assert step.design.tolist() == [2.0] and step.bound == pytest.approx(8.0)
    relaxed = space([], [], [], [0.0], [5.0], [False])
    step = relaxed.master(cuts, relaxed.lower, relaxed.upper, 10)
    assert step.design == pytest.approx([1.6]) and step.bound == pytest.approx(7.2)
    # a design row (d <= 1) that, with the feasibility cut, leaves no design
    none = space([[1.0]], [-np.inf], [1.0], [0.0], [5.0], [True])
    assert none.master(cuts, none.lower, none.upper, 10).design is None


def test_benders_cuts_by_hand():
    # F(d) of the heat-pump case: 25,000 EUR/year per module above the electricity, and
    # no design under 800/500 = 1.6 modules can serve the year (the dual ray's cut)
    scenario, inputs = heat_pump_case()
    relaxed = RelaxedYear(build_model(scenario, inputs), threads=1)
    assert relaxed.labels == ["heat_pump.modules"] and relaxed.integer.tolist() == [True]
    three = relaxed.solve(np.array([3.0]), 60)
    assert three.value == pytest.approx(3 * PER_MODULE + ELECTRICITY, rel=1e-9)
    assert three.cut.theta and three.cut.slope == pytest.approx([PER_MODULE])
    free = relaxed.solve(None, 60)
    assert free.design == pytest.approx([1.6]) and free.cut.slope == pytest.approx([0.0])
    one = relaxed.solve(np.array([1.0]), 60)
    assert one.value is None and not one.cut.theta
    assert one.cut.rhs / one.cut.slope[0] == pytest.approx(1.6)  # modules >= 1.6
    # the master's bound: the LP's 1.6 modules until the cut excludes 1, then 2 modules
    bound = design_bound(
        relaxed, [three.cut, free.cut], (three.value, np.array([3.0])), np.inf, 1e12
    )
    assert bound.bound == pytest.approx(2 * PER_MODULE + ELECTRICITY, rel=1e-9)
    assert bound.best_design.tolist() == [2.0] and bound.stopped == "converged"
    assert bound.checks == 2  # 2 modules, then 1 (infeasible)


def test_a_check_out_of_time_is_not_taken_for_a_design_the_year_cannot_serve():
    # HiGHS's time limit counts all solves of one object: each check gets its own
    scenario, inputs = heat_pump_case()
    relaxed = RelaxedYear(build_model(scenario, inputs), threads=1)
    free = relaxed.solve(None, 60)
    assert relaxed.solve(np.array([3.0]), 60).value is not None
    late = relaxed.solve(np.array([1.0]), 0.0)
    assert late.value is None and late.cut is None and "time limit" in late.phrase.lower()
    # a search with no time left still bounds by its master, and says why it stopped
    at = (free.value + 1.0, np.array([4.0]))
    bound = design_bound(relaxed, [free.cut], at, np.inf, deadline=0.0)
    assert bound.stopped == "time limit" and bound.checks == 0
    assert bound.bound == pytest.approx(free.value, rel=1e-9)


def test_benders_bound_meets_the_milp_optimum_with_sizes_and_modules():
    # PV (kWp), heat-pump modules and a heat buffer (kWh) on 30 days of varying heat,
    # air and sun, with an electric backup boiler sized by the peak: the Benders bound
    # closes on the full MILP's optimum from the LP relaxation's 1 % below it
    days = 30
    rng = np.random.default_rng(7)
    hours = np.arange(24 * days)
    daily_heat = np.repeat(rng.uniform(100.0, 900.0, days), 24)
    sun = np.clip(np.sin((hours % 24 - 6) * np.pi / 12), 0.0, None)
    inputs = hand_inputs(
        24 * days,
        heat_kw=daily_heat * (1 + 0.3 * np.sin(hours * 2 * np.pi / 24)),
        temp_air=np.repeat(rng.uniform(-5.0, 15.0, days), 24),
        pv_kw_per_kwp=sun * np.repeat(rng.uniform(0.2, 0.9, days), 24),
        weight=365 / days,
    )
    base, _ = heat_pump_case()
    technologies = base.model_dump()["technologies"]
    technologies["heat_pump"].update(module_kw=300, max_modules=6)
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 2000, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 0},
            "heat_pump": technologies["heat_pump"],
            "pv": {
                "capex_eur_per_kw": 900,
                "fixed_om_eur_per_kw_year": 10,
                "lifetime_years": 25,
                "max_kwp": 1500,
                "site": "energy_centre",
            },
            "heat_buffer": {},
            "backup_boiler": {"fuel": "electricity", "efficiency": 1.0, "max_kw": 2000},
        },
    )
    optimum = solve(build_model(scenario, inputs), EXACT).objective
    relaxed = RelaxedYear(build_model(scenario, inputs), threads=1)
    assert relaxed.labels == ["pv.kwp", "heat_pump.modules", "heat_buffer.capacity_kwh"]
    free = relaxed.solve(None, 60)
    assert free.value + relaxed.constant < optimum * (1 - 0.005)
    start = free.design.copy()
    start[1] = np.ceil(start[1]) + 1  # one module too many
    first = relaxed.solve(start, 60)
    bound = design_bound(relaxed, [first.cut, free.cut], (first.value, start), np.inf, 1e12)
    assert bound.stopped == "converged"
    assert bound.bound + relaxed.constant <= optimum * (1 + 1e-9)
    assert bound.bound + relaxed.constant == pytest.approx(optimum, rel=1e-6)

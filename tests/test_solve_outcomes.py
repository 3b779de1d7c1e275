"""Solver outcomes: the gap on the decision-dependent cost, a MIP start that the solve
never ends worse than, typical-day shortfalls named as such, and --require-gap."""

from __future__ import annotations

import numpy as np
import pytest
from cases import hand_inputs, scenario_from
from typer.testing import CliRunner

from optimiser.cli import app
from optimiser.errors import InfeasibleError
from optimiser.model.solve import SolveOptions, _amount, describe_shortfall, solve, variable_values
from optimiser.model.system import build_model

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)
HEAT_PUMP = {"source": "air", "module_kw": 500, "max_modules": 1}


def grid_and_boiler():
    """Heat from an electric boiler: 100 kW for 24 h, import at 0.30 EUR/kWh; the grid's
    standing charge (fixed_eur_per_year) is a constant no decision changes."""
    inputs = hand_inputs(24, heat_kw=100.0)
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 1000, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 5000},
            "backup_boiler": {"fuel": "electricity", "max_kw": 1000, "efficiency": 1.0},
        }
    )
    return scenario, inputs


def test_constant_cost_is_left_out_of_the_gap():
    # 100 kW x 24 h x 0.30 EUR/kWh = 720 EUR of electricity plus the boiler's annuity;
    # the 5,000 EUR standing charge is the constant part: the objective includes it,
    # the gap's denominator does not.
    scenario, inputs = grid_and_boiler()
    builder = build_model(scenario, inputs)
    result = solve(builder, EXACT)
    assert result.optimal and result.status == "optimal"
    assert result.constant == pytest.approx(5000.0)
    assert result.objective > result.constant + 720.0 - 1e-6
    assert result.gap == pytest.approx(0.0, abs=1e-9)


def test_mip_start_is_never_beaten_by_a_worse_answer():
    # Solve once, hand the solution to a new model as its start with a tiny time
    # limit: the solve reports that start's objective and cannot return worse.
    scenario, inputs = grid_and_boiler()
    first = build_model(scenario, inputs)
    best = solve(first, EXACT).objective
    again = build_model(scenario, inputs)
    result = solve(again, SolveOptions(time_limit_s=5, threads=1), start=variable_values(first))
    assert result.started_from == pytest.approx(best, rel=1e-9)
    assert result.objective <= best * (1 + 1e-9)


def test_typical_day_shortfall_is_named_as_a_typical_day_and_rounded():
    # Two typical days of 24 h standing for 10 and 20 days; on the second, 4 hours need
    # 900 kW and one 500 kW heat-pump module serves 500: 400 kW short in 4 hours of one
    # typical day, i.e. 400 x 4 x 20 = 32,000 kWh = 32.0 MWh a year.
    heat = np.r_[np.full(24, 300.0), np.full(20, 300.0), np.full(4, 900.0)]
    inputs = hand_inputs(48, heat_kw=heat)
    inputs["weight"] = ("time", np.r_[np.full(24, 10.0), np.full(24, 20.0)])
    inputs = inputs.assign_coords(period=("time", np.repeat([0, 1], 24)))
    inputs["period_of_day"] = ("day", np.repeat([0, 1], [10, 20]))
    scenario = scenario_from(technologies={"grid": {"max_kw": 1000}, "heat_pump": HEAT_PUMP})
    builder = build_model(scenario, inputs, slack=True)
    solve(builder, EXACT)
    message = describe_shortfall(builder)
    assert "network_heat cannot be served in 4 hours of 1 typical days" in message
    assert "(32.0 MWh a year; largest 400 kW at 20:00 of the typical day like" in message
    assert "(standing for 20 days)" in message
    with pytest.raises(InfeasibleError):
        solve(build_model(scenario, inputs), EXACT)


def test_amounts_are_rounded_to_three_digits():
    assert _amount(5254.4) == "5,254"
    assert _amount(0.0012345) == "0.00123"
    assert _amount(1.23456789e40) == "1.23e+40"


def test_require_gap_refuses_an_unproven_design(tmp_path, monkeypatch):
    """A design not proven within --gap: written with a warning, or refused (exit 7)."""
    import optimiser.workflows.run as run

    real = run.optimise

    def unproven(*args, **kwargs):
        ds, summary = real(*args, **kwargs)
        summary["solver"].update(proven=False, verdict="not proven, gap 12.00% (asked 0.50%)")
        return ds, summary

    monkeypatch.setattr(run, "optimise", unproven)
    scenario, inputs = grid_and_boiler()
    monkeypatch.setattr("optimiser.inputs.scenario.load_scenario", lambda _m: scenario)
    monkeypatch.setattr(run, "cached_inputs", lambda _s, _cache: inputs)
    out = tmp_path / "out"
    refused = CliRunner().invoke(app, ["run", "--full-year", "--require-gap", "--out", str(out)])
    assert refused.exit_code == 7, refused.output
    assert refused.stderr.startswith("error: gap not reached: not proven, gap 12.00%")
    assert not out.exists()
    kept = CliRunner().invoke(app, ["run", "--full-year", "--out", str(out)])
    assert kept.exit_code == 0, kept.output
    assert "warning: not proven, gap 12.00% (asked 0.50%)" in kept.stderr
    assert (out / "summary.json").is_file()


def test_check_on_two_threads_uses_parallel_dual_simplex_and_finds_the_same_cost(monkeypatch):
    # The full-year check of a fixed design is an LP: on two threads it runs HiGHS's
    # PAMI dual simplex (run.PARALLEL_CHECK_HIGHS_OPTIONS), on one thread the default;
    # both must find the same optimum. 48 h of an electric boiler and a heat tank.
    import optimiser.workflows.run as run

    inputs = hand_inputs(48, heat_kw=100.0)
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 1000},
            "backup_boiler": {"fuel": "electricity", "max_kw": 1000, "efficiency": 1.0},
            "heat_buffer": {},
        }
    )
    used: list[dict] = []
    real_solve = run.solve

    def spy(builder, options, **kwargs):
        used.append(dict(options.highs_options))
        return real_solve(builder, options, **kwargs)

    monkeypatch.setattr(run, "solve", spy)
    costs = []
    for threads in (1, 2):
        options = SolveOptions(time_limit_s=60, threads=threads)
        _, solution, _ = run._check(scenario, inputs, {}, options)
        costs.append(solution.objective)
    assert used == [{}, run.PARALLEL_CHECK_HIGHS_OPTIONS]
    assert costs[1] == pytest.approx(costs[0], rel=1e-9)
    # a run's own option wins over the check's default
    own = SolveOptions(threads=2, highs_options={"simplex_strategy": 1})
    run._check(scenario, inputs, {}, own)
    assert used[-1] == {"simplex_strategy": 1}


def test_a_design_size_a_tolerance_above_its_bound_is_fixed_at_the_bound(recwarn):
    # HiGHS may return 1500.0000000000002 for a size bounded at 1500 (within its 1e-7
    # feasibility tolerance); the check fixes it at 1500, without Pyomo's W1002
    # warning in the user's console. A size clearly above its bound is left alone.
    scenario = scenario_from(technologies={"grid": {"max_kw": 1000}, "pv": {"max_kwp": 1500}})
    inputs = hand_inputs(24, electricity_kw=10.0, pv_kw_per_kwp=0.1)
    builder = build_model(scenario, inputs, fixed_sizes={"pv.kwp": 1500.0000000000002})
    assert builder.model.pv.kwp.value == 1500.0
    assert not [w for w in recwarn if "outside the bounds" in str(w.message)]


def test_a_warm_start_that_ends_without_a_usable_solution_is_solved_again_cold(monkeypatch):
    # ten-parties: from a coalition's basis HiGHS ended "optimal" with one row 1e-6 out
    # of tolerance (no feasible solution), which priced the coalition at its stand-alone
    # cost. Here the warm run is stopped after 0 iterations from the basis of another
    # problem (no heat instead of 100 kW): the solve must retry from scratch and find the
    # cold optimum, and say the basis was not used.
    import optimiser.model.solve as solve_module
    from optimiser.model.warm_basis import WarmBasis

    scenario, inputs = grid_and_boiler()
    other = build_model(scenario, hand_inputs(24, heat_kw=0.0))
    donor = WarmBasis()
    solve(other, EXACT, basis=donor)
    cold = solve(build_model(scenario, inputs), EXACT).objective

    real_run, runs = solve_module._run, []

    def stopped_first(highs):
        highs.setOptionValue("simplex_iteration_limit", 0 if not runs else 2**31 - 1)
        runs.append(1)
        real_run(highs)

    monkeypatch.setattr(solve_module, "_run", stopped_first)
    warm = WarmBasis(given=donor.found)
    result = solve(build_model(scenario, inputs), EXACT, basis=warm)
    assert len(runs) == 2 and warm.used is False
    assert result.objective == pytest.approx(cold, rel=1e-9)

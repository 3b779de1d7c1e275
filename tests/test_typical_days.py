"""Typical days: weights, exactness against the full year, and storage across the year."""

from __future__ import annotations

import numpy as np
import pytest
from cases import hand_inputs, scenario_from

from optimiser.inputs.scenario import load_scenario
from optimiser.model.components.teo import TEO
from optimiser.model.solve import SolveOptions, solve
from optimiser.model.system import build_model, clustering_features
from optimiser.model.timeseries import Aggregation, aggregate
from optimiser.outputs.results import balance_residual, extract
from optimiser.workflows.run import optimise

EXACT = SolveOptions(time_limit_s=120, mip_gap=0.0, threads=1)
HOURS = 8760


def seeded_days(seed: int, low: float, high: float) -> np.ndarray:
    """A year of hourly values: a random level per day times a fixed daily shape."""
    rng = np.random.default_rng(seed)
    shape = 1.0 + 0.5 * np.sin(np.arange(24) / 24 * 2 * np.pi)
    return (rng.uniform(low, high, 365)[:, None] * shape[None, :]).ravel()


@pytest.fixture(scope="module")
def default_typical(default_inputs):
    scenario = load_scenario()
    features = clustering_features(scenario, default_inputs)
    return scenario, aggregate(default_inputs, Aggregation(typical_days=12), features)


def test_weights_sum_to_the_year_and_energy_is_kept(default_inputs, default_typical):
    scenario, typical = default_typical
    weight = typical["weight"].values
    assert typical.attrs["typical_days"] == 13  # 12 clusters and the peak day
    assert weight.sum() == pytest.approx(HOURS)
    days = np.bincount(typical["period_of_day"].values, minlength=13)
    assert days.sum() == 365
    # every step of a typical day weighs as many days as the day stands for
    np.testing.assert_array_equal(weight, np.repeat(days, 24))
    for name in ("heat_demand_kw", "electricity_demand_kw", "pv_kw_per_kwp"):
        full = float(default_inputs[name].sum())
        assert float((typical[name] * typical["weight"]).sum()) == pytest.approx(full, rel=1e-3)
    # the peak heat day is kept as it is
    peak = float(default_inputs["heat_demand_kw"].sum("consumer").max())
    assert float(typical["heat_demand_kw"].sum("consumer").max()) == pytest.approx(peak)
    # the TEO keeps its warm-water hours (a clustering feature)
    teo = TEO("teo", scenario.technologies.teo)
    full_hours = float(teo.available(default_inputs).sum())
    typical_hours = float((teo.available(typical) * typical["weight"]).sum())
    assert typical_hours == pytest.approx(full_hours, rel=0.01)


def storage_scenario():
    """PV, a heat tank without standing losses, an electric boiler and the grid: an LP
    in which the tank shifts PV heat between days (a battery takes the same code path
    but makes the LP twice as slow to solve)."""
    return scenario_from(
        technologies={
            "grid": {"max_kw": 500},
            "pv": {"max_kwp": 400},
            "heat_buffer": {"loss_per_day": 0.0, "max_kwh": 20000, "capex_eur_per_m3": 8.7},
            "backup_boiler": {"fuel": "electricity", "efficiency": 1.0, "max_kw": 1000},
        },
    )


def storage_inputs():
    pv = np.tile(np.clip(np.sin((np.arange(24) - 6) / 12 * np.pi), 0, None), 365)
    return hand_inputs(
        HOURS,
        heat_kw=seeded_days(1, 20.0, 200.0),
        electricity_kw=seeded_days(2, 20.0, 60.0),
        pv_kw_per_kwp=pv * np.repeat(np.random.default_rng(3).uniform(0.1, 0.9, 365), 24),
        import_eur_per_kwh=0.25,
        export_eur_per_kwh=0.05,
    )


def test_365_typical_days_give_the_full_year_objective():
    scenario, inputs = storage_scenario(), storage_inputs()
    full = build_model(scenario, inputs)
    full_result = solve(full, EXACT)
    typical = aggregate(inputs, Aggregation(typical_days=365))
    assert typical.sizes["time"] == HOURS
    linked = build_model(scenario, typical)
    linked_result = solve(linked, EXACT)
    assert linked_result.objective == pytest.approx(full_result.objective, rel=1e-6)
    # the stores are used across days, so the linking is what is being tested
    sizes = {f"{s.component}.{s.name}": s.expression() for s in linked.sizes}
    assert sizes["heat_buffer.capacity_kwh"] > 100


def test_storage_free_model_is_exact_on_periodic_profiles():
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 500, "capacity_eur_per_kw_year": 40},
            "pv": {"max_kwp": 400},
            "backup_boiler": {"fuel": "electricity", "efficiency": 1.0, "max_kw": 1000},
        },
    )
    day = np.arange(24)
    inputs = hand_inputs(
        HOURS,
        heat_kw=np.tile(100 + 50 * np.cos(day / 24 * 2 * np.pi), 365),
        electricity_kw=np.tile(30 + 10 * np.sin(day / 24 * 2 * np.pi), 365),
        pv_kw_per_kwp=np.tile(np.clip(np.sin((day - 6) / 12 * np.pi), 0, None), 365),
        import_eur_per_kwh=0.25,
        export_eur_per_kwh=0.05,
    )
    full, _ = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    _, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=Aggregation(4))
    design = summary["design"]["objective_eur_per_year"]
    assert design == pytest.approx(full.attrs["objective_eur_per_year"], rel=1e-6)
    assert summary["total_cost_eur_per_year"] == pytest.approx(design, rel=1e-6)


def test_ates_state_is_consistent_across_the_year(default_typical):
    scenario, typical = default_typical
    builder = build_model(scenario, typical)
    ds = extract(builder, solve(builder, SolveOptions(mip_gap=0.01)), {})
    assert float(balance_residual(ds).max()) < 1e-6

    params = scenario.technologies.ates
    r_day = 1.0 - params.loss_per_day
    start = ds["ates_day_start_kwh"].values
    change = ds["level_kwh"].sel(storage="ates").values.reshape(-1, 24)
    of_day = ds["period_of_day"].values
    # S[d+1] = r^24 S[d] + the change over day d's typical day, cyclic over the year
    expected_next = r_day * start + change[of_day, -1]
    scale = max(start.max(), 1.0)
    np.testing.assert_allclose(np.roll(start, -1), expected_next, atol=1e-6 * scale)
    # the level of every hour of the year, rebuilt from the day states, stays >= 0
    hourly_r = (1.0 - params.loss_per_day) ** (np.arange(1, 25) / 24)
    hourly = start[:, None] * hourly_r[None, :] + change[of_day]
    assert hourly.min() >= -1e-6 * scale
    assert start.max() > 1e6  # it really stores heat between seasons (kWh)
    # the yearly thermal balance holds on the weighted typical days
    weight = ds["weight"]
    injected = float((ds["ates_charge_kw"] * weight).sum())
    extracted = float(((ds["ates_discharge_kw"] + ds["ates_natural_heat_kw"]) * weight).sum())
    # the default holds it exactly: no net heat, no cold surplus
    assert -params.balance_tolerance * injected - 1e-6 * injected <= injected - extracted
    assert injected - extracted <= params.heat_surplus_tolerance * injected + 1e-6 * injected

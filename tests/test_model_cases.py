"""Model runs on small hand-made inputs, checked against costs computed by hand."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from cases import hand_inputs, scenario_from

from optimiser.errors import InfeasibleError, InputError
from optimiser.inputs.catalogue import catalogue
from optimiser.model.components.ates import ATESParams, aquifer_heat_extra_kwh
from optimiser.model.components.heat_pump import HeatPumpParams, cop, loop_cop, mean_source_c
from optimiser.model.solve import SolveOptions
from optimiser.outputs.results import balance_residual
from optimiser.workflows.run import optimise

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)


def assert_balanced(ds) -> None:
    """Every carrier balances every hour to 1e-6 relative."""
    assert float(balance_residual(ds).max()) < 1e-6


def flow(ds, component: str, carrier: str) -> np.ndarray:
    return ds["flow"].sel(component=component, carrier=carrier).values


def test_pv_and_grid_match_hand_computed_cost():
    # 10 kW all day; PV gives 0.5 kW/kWp for 12 h. Import 0.30 EUR/kWh, export earns 0.
    # One kWp saves 6 kWh/day x 365 x 0.30 = 657 EUR/year and costs 1000/25 + 10 = 50,
    # so PV grows until it covers the 10 kW in sunny hours: 20 kWp, no more (export is
    # worthless). Cost: 20 x 50 + 10 kW x 12 h x 365 x 0.30 = 1,000 + 13,140.
    pv = np.where((np.arange(24) >= 6) & (np.arange(24) < 18), 0.5, 0.0)
    inputs = hand_inputs(24, electricity_kw=10.0, pv_kw_per_kwp=pv, weight=365)
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 100, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 0},
            "pv": {"capex_eur_per_kw": 1000, "fixed_om_eur_per_kw_year": 10, "lifetime_years": 25},
        },
    )
    ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    assert summary["sizes"]["pv.kwp"]["value"] == pytest.approx(20.0, abs=1e-6)
    assert ds.attrs["objective_eur_per_year"] == pytest.approx(1_000 + 13_140, rel=1e-9)
    assert summary["total_cost_eur_per_year"] == pytest.approx(14_140, rel=1e-9)
    assert_balanced(ds)


def test_heat_pump_only_matches_hand_computed_cost():
    # Air-source modules of 500 kW serve a flat 800 kW: two modules. COP at 5 -> 55 °C
    # with Carnot fraction 0.5 is 0.5 x 328.15 / 50 = 3.2815.
    inputs = hand_inputs(24, heat_kw=800.0, temp_air=5.0, supply_c=55.0, weight=365)
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 1000, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 0},
            "heat_pump": {
                "source": "air",
                "module_kw": 500,
                "max_modules": 4,
                "capex_eur_per_kw": 1000,
                "fixed_om_eur_per_kw_year": 0,
                "variable_om_eur_per_kwh": 0,
                "lifetime_years": 20,
                "carnot_fraction": 0.5,
            },
        },
    )
    ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    expected_cop = 0.5 * 328.15 / 50.0
    expected = 2 * 500 * 1000 / 20 + 800 / expected_cop * 8760 * 0.30
    modules = summary["sizes"]["heat_pump.modules"]["value"]
    assert modules == pytest.approx(2.0, abs=1e-6)
    assert abs(modules - round(modules)) < 1e-6
    assert summary["total_cost_eur_per_year"] == pytest.approx(expected, rel=1e-9)
    assert np.allclose(ds["heat_pump_cop"].values, expected_cop)
    assert_balanced(ds)


def test_running_modules_are_whole_and_respect_the_minimum_part_load():
    # 500 kW modules that run at >= 60 % each; demand swings 200..1400 kW. At 200 kW no
    # module can run (the minimum is 300 kW), so the electric backup serves that hour.
    heat = np.tile([200.0, 450.0, 700.0, 1400.0], 6)
    inputs = hand_inputs(24, heat_kw=heat, temp_air=5.0, supply_c=55.0, weight=365)
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 2000, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 0},
            "heat_pump": {
                "source": "air",
                "module_kw": 500,
                "max_modules": 4,
                "min_part_load": 0.6,
            },
            "backup_boiler": {"fuel": "electricity", "efficiency": 1.0},
        }
    )
    ds, _ = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    running = ds["heat_pump_running_modules"].values
    np.testing.assert_allclose(running, np.round(running), atol=1e-9)
    delivered = flow(ds, "heat_pump", "network_heat")
    assert np.all(delivered <= 500 * running + 1e-6)
    assert np.all(delivered >= 0.6 * 500 * running - 1e-6)
    assert np.all(running[heat == 200.0] == 0)
    assert np.all(flow(ds, "backup_boiler", "network_heat")[heat == 200.0] == pytest.approx(200))
    assert_balanced(ds)


def test_cop_formula():
    assert cop(70.0, 18.0, 0.55, 8.0) == pytest.approx(0.55 * 343.15 / 52.0)
    assert cop(55.0, 5.0, 0.5, 8.0) == pytest.approx(3.2815)
    assert cop(20.0, 25.0, 0.5, 6.0) == pytest.approx(6.0)  # source warmer than sink: capped
    assert cop(30.0, 28.0, 0.5, 6.0) == pytest.approx(6.0)  # tiny lift: capped


def loop_system(ates: bool, backup: bool) -> dict:
    technologies = {
        "grid": {"max_kw": 2000, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 0},
        "heat_pump": {"module_kw": 250, "max_modules": 4, "carnot_fraction": 0.5},
        "teo": {"approach_k": 2.0, "fixed_capex_eur": 1000},
    }
    if ates:
        technologies["ates"] = {"max_doublets": 2}
    if backup:
        technologies["backup_boiler"] = {"fuel": "electricity", "efficiency": 1.0}
    return technologies


def test_teo_output_follows_its_water_temperature_and_cop_matches_flows():
    # Loop from the 8 °C cold well to the 18 °C warm well, approach 2 K: the TEO gives
    # (water - 2 - 8) / 10 of its capacity: nothing at 9 °C, half at 15 °C, all at 20 °C.
    water = np.tile([9.0, 15.0, 25.0, 20.0], 12)
    supply = np.linspace(55, 70, 48)
    inputs = hand_inputs(
        48, heat_kw=600.0, surface_water_c=water, supply_c=supply, weight=182.5,
        source_return_c=8.0,
    )  # fmt: skip
    scenario = scenario_from(technologies=loop_system(ates=False, backup=True))
    ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    teo = flow(ds, "teo", "source_heat")
    capacity = summary["sizes"]["teo.capacity_kw"]["value"]
    assert capacity > 0
    share = np.clip((water - 10.0) / 10.0, 0, 1)
    np.testing.assert_allclose(ds["teo_available"].values, share)
    assert np.all(teo <= share * capacity + 1e-6)
    assert np.all(teo[water == 9.0] <= 1e-9)
    heat = flow(ds, "heat_pump", "network_heat")
    electricity = -flow(ds, "heat_pump", "electricity")
    expected_cop = cop(supply, mean_source_c(18.0, 8.0), 0.5, 8.0)
    running = heat > 1e-6
    assert np.allclose(heat[running] / electricity[running], expected_cop[running], rtol=1e-9)
    assert np.allclose(ds["heat_pump_cop"].values, expected_cop)
    assert_balanced(ds)


def summer_to_winter_inputs():
    """Day 1: warm canal, no demand. Day 2: cold canal, 400 kW demand; each step stands
    for 182.5 h. Only the ATES can carry source heat from day 1 to day 2 (wells at
    18 / 8 °C)."""
    water = np.r_[np.full(24, 24.0), np.full(24, 6.0)]
    heat = np.r_[np.zeros(24), np.full(24, 400.0)]
    return hand_inputs(
        48, heat_kw=heat, surface_water_c=water, supply_c=60.0, weight=182.5,
        source_return_c=8.0,
    )  # fmt: skip


def test_ates_carries_summer_heat_to_winter_and_adds_no_net_heat():
    # aquifer at 11 °C
    inputs = summer_to_winter_inputs()
    scenario = scenario_from(technologies=loop_system(ates=True, backup=False))
    ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    ates = flow(ds, "ates", "source_heat")
    hp_source = -flow(ds, "heat_pump", "source_heat")
    assert np.allclose(ates[24:], hp_source[24:], atol=1e-6)  # day 2: all source heat from ATES
    # the permit's rule: no net heat added, a cold surplus of at most 15 % of the injected
    balance = summary["ates_balance"]
    assert balance["extracted_mwh"] > 0
    assert -0.15 - 1e-9 <= balance["imbalance_fraction"] <= 1e-9
    charge, discharge = ds["ates_charge_kw"].values, ds["ates_discharge_kw"].values
    natural = ds["ates_natural_heat_kw"].values
    np.testing.assert_allclose(ates, discharge + natural - charge, atol=1e-6)
    # the stored heat lost over the year (182.5 h per step) is made up by aquifer heat
    lost = 182.5 * (charge.sum() - discharge.sum())
    assert lost > 0 and 182.5 * natural.sum() >= lost - 1e-3
    # the level follows its recursion with charge and discharge only, cyclic
    level = ds["level_kwh"].sel(storage="ates").values
    retention = (1 - 0.0005) ** (1 / 24)
    assert np.allclose(level, retention * np.roll(level, 1) + charge - discharge, atol=1e-6)
    doublets = summary["sizes"]["ates.doublets"]["value"]
    assert doublets >= 1 and abs(doublets - round(doublets)) < 1e-6
    assert_balanced(ds)


def test_aquifer_heat_costs_the_colder_source_and_the_extra_flow_by_hand():
    # One hour of 240 kW of aquifer heat at 11 °C (wells 18 / 8 °C, sink 60 °C, Carnot
    # share 0.5): it carries 3/10 of warm-well heat per m3, so one 100 m3/h doublet moves
    # at most 100 x 1.16 x 10 x 0.3 = 348 kW of it. Per kWh it costs the heat pump
    # 1/(COP_11->8 - 1) - 1/(COP_18->8 - 1) more electricity and the wells
    # 0.15 kWh/m3 / (1.16 x 3 K) of pumping.
    hp = HeatPumpParams(**{**catalogue()["heat_pump"], "carnot_fraction": 0.5})
    params = ATESParams(**catalogue()["ates"])
    sink, warm = np.array([60.0]), np.array([18.0])
    extra = aquifer_heat_extra_kwh(params, partial(loop_cop, hp), sink, warm, 8.0, 0.3)
    c_warm = cop(60.0, mean_source_c(18.0, 8.0), 0.5, hp.max_cop)
    c_natural = cop(60.0, mean_source_c(11.0, 8.0), 0.5, hp.max_cop)
    by_hand = 1 / (c_natural - 1) - 1 / (c_warm - 1) + 0.15 / (1.16 * 10 * 0.3)
    assert extra[0] == pytest.approx(by_hand, rel=1e-12)
    assert 0.02 < by_hand < 0.1  # a few % more electricity per kWh: aquifer heat is not free


def test_unservable_hours_are_named():
    inputs = hand_inputs(24, heat_kw=np.r_[np.full(20, 300.0), np.full(4, 900.0)])
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 1000},
            "heat_pump": {"source": "air", "module_kw": 500, "max_modules": 1},
        }
    )
    with pytest.raises(InfeasibleError, match=r"network_heat cannot be served in 4 hours"):
        optimise(scenario, EXACT, inputs=inputs, aggregation=None)


def test_demand_without_any_supplier_is_an_input_error():
    inputs = hand_inputs(24, heat_kw=100.0)
    scenario = scenario_from(technologies={"grid": {"max_kw": 1000}})
    with pytest.raises(InputError, match="needs network_heat but no technology supplies it"):
        optimise(scenario, EXACT, inputs=inputs, aggregation=None)


def test_heat_pump_on_loop_without_source_is_an_input_error():
    inputs = hand_inputs(24, heat_kw=100.0)
    scenario = scenario_from(
        technologies={"grid": {"max_kw": 1000}, "heat_pump": {"module_kw": 500, "max_modules": 1}}
    )
    with pytest.raises(InputError, match="source_heat"):
        optimise(scenario, EXACT, inputs=inputs, aggregation=None)

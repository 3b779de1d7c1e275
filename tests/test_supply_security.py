"""Heat that is there on the coldest day: N-1 security, honest temperatures (COP, TEO,
tank, pipe loss) and the bad inputs around them. Every expected number is by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest
import yaml
from cases import hand_inputs, scenario_from

from optimiser.errors import InfeasibleError, InputError
from optimiser.inputs import scenario as scenario_module
from optimiser.inputs.network import Network
from optimiser.inputs.profiles import inputs as inputs_module
from optimiser.inputs.profiles.network import network_heat_loss_kw
from optimiser.inputs.scenario import Scenario, load_scenario
from optimiser.model.components.heat_pump import (
    CopTable,
    HeatPump,
    cop,
    cop_from_table,
    mean_source_c,
)
from optimiser.model.components.teo import TEO
from optimiser.model.solve import SolveOptions, solve
from optimiser.model.system import build_model
from optimiser.model.timeseries import select_days
from optimiser.outputs.results import balance_residual
from optimiser.workflows.run import optimise
from optimiser.workflows.runner import scenario_data

EXACT = SolveOptions(mip_gap=0.0, threads=1)


# --- heat pump ------------------------------------------------------------------------


def test_cop_from_an_18_to_8_source_stream_at_70():
    # Log-mean source: (291.15 - 281.15) / ln(291.15 / 281.15) = 286.12 K = 12.97 °C.
    # COP = 0.55 x 343.15 / (343.15 - 286.12) = 3.309 (the warm well alone gave 3.63).
    mean = mean_source_c(18.0, 8.0)
    assert float(mean) == pytest.approx(10 / math.log(291.15 / 281.15) - 273.15, abs=1e-9)
    assert float(mean) == pytest.approx(12.97, abs=0.005)
    assert float(cop(70.0, mean, 0.55, 8.0)) == pytest.approx(3.309, abs=0.001)
    assert float(mean_source_c(18.0, 18.0)) == pytest.approx(18.0)


TABLE = CopTable(sink_c=[50.0, 70.0], source_c=[5.0, 15.0], cop=[[4.0, 5.0], [3.0, 3.6]])


def test_cop_table_interpolates_between_its_corners():
    # Sink 60 (halfway), source 10 (halfway): mean of the four corners = 15.6 / 4 = 3.9.
    got = cop_from_table(np.array([60.0, 70.0]), np.array([10.0, 12.97]), TABLE)
    assert got[0] == pytest.approx(3.9)
    # Sink 70, source 12.97: 3.0 + 0.797 x 0.6 = 3.4782.
    assert got[1] == pytest.approx(3.0 + 0.797 * 0.6)


def test_cop_table_not_covering_the_temperatures_is_one_line():
    with pytest.raises(InputError) as err:
        cop_from_table(np.array([60.0, 75.0]), np.array([10.0, 10.0]), TABLE)
    message = str(err.value)
    assert "\n" not in message
    assert "cop_table.sink_c: the COP table covers 50-70 °C but the model uses 60.0-75.0" in message


# --- TEO, tank, network loss ----------------------------------------------------------


def test_teo_output_half_a_kelvin_above_its_threshold_is_small():
    # Cold well 8 °C, warm well 18 °C, approach 2 K: threshold 10 °C; at 10.5 °C the loop
    # rises 0.5 of 10 K: 5 % of capacity. Full from 20 °C, none at or below 10 °C.
    teo = TEO("teo", scenario_from(technologies={"teo": {"approach_k": 2.0}}).technologies.teo)
    inputs = hand_inputs(5, surface_water_c=np.array([9.0, 10.0, 10.5, 15.0, 21.0]))
    inputs["source_return_c"] = 8.0
    np.testing.assert_allclose(teo.available(inputs), [0.0, 0.0, 0.05, 0.5, 1.0])


def test_tank_stores_the_30_k_spread_and_is_priced_per_m3():
    # 70/40 °C: 1.16 kWh/(m3 K) x 30 K = 34.8 kWh/m3; 34,800 kWh is 1,000 m3 and costs
    # 1,000 x 177.3 EUR2015/m3 (DEA: 3.04 EUR/kWh x 175 MWh / 3,000 m3), brought to the
    # 2026 price year with the CBS index (x 1.37611, data/price_index.yaml).
    scenario = scenario_from(technologies={"heat_buffer": {}})
    inputs = hand_inputs(24, supply_c=70.0)
    builder = build_model(scenario, inputs, fixed_sizes={"heat_buffer.capacity_kwh": 34_800.0})
    sizes = {f"{s.component}.{s.name}": pyo.value(s.expression) for s in builder.sizes}
    assert sizes["heat_buffer.volume_m3"] == pytest.approx(1000.0)
    assert pyo.value(builder.investments["heat_buffer"]) == pytest.approx(
        177_300.0 * 1.37611, rel=1e-3
    )


def test_network_loss_by_hand_for_one_trench_length():
    # 1,000 m x 0.4 W/(m K) x ((70 + 40) / 2 - 10) K = 18.0 kW; at 60 °C supply 16.0 kW.
    network = Network(trench_length_m=1000.0, return_temperature_c=40.0)
    loss = network_heat_loss_kw(network, np.array([70.0, 60.0]), 1000.0, np.zeros(2))
    np.testing.assert_allclose(loss, [18.0, 16.0])


def test_fixed_loss_share_is_kept_for_models_that_state_it():
    # 10 % of the heat fed in: 0.1 / 0.9 x 8,760,000 kWh / 8760 h = 111.1 kW every hour.
    network = Network(heat_loss_fraction=0.1)
    loss = network_heat_loss_kw(network, np.full(8760, 70.0), 1000.0, np.full(8760, 1000.0))
    np.testing.assert_allclose(loss, 1000.0 / 9)


# --- bad input ------------------------------------------------------------------------


def test_design_temperature_above_the_heating_limit_is_one_line(tmp_path):
    data = yaml.safe_load((scenario_module.MODELS_DIR / "default" / "wijk.yaml").read_text())
    data["network"]["design_outdoor_temperature_c"] = 16
    path = tmp_path / "wijk.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError) as err:
        load_scenario(path)
    message = str(err.value)
    assert "\n" not in message
    assert "wijk.yaml:" in message
    assert "network.design_outdoor_temperature_c: 16 °C is above the heating limit 15 °C" in message


# --- security of supply: the cold spell -------------------------------------------------


def _air_source(scenario: Scenario) -> Scenario:
    """The default neighbourhood with heat pumps on outdoor air and a gas backup only:
    the sizing question without the seasonal store, so a one-week LP answers it."""
    data = scenario_data(scenario)
    data["technologies"] = {
        "grid": {"max_kw": 4000},
        "heat_pump": {"source": "air", "module_kw": 500, "max_modules": 8},
        "backup_boiler": {"fuel": "gas"},
    }
    return Scenario.model_validate(data)


@pytest.fixture(scope="module")
def cold_spell(default_inputs):
    """The default model's hourly inputs with its coldest week 3 K colder (same annual
    heat: the demand profile is rebuilt from the colder weather and scaled to the year)."""
    scenario = _air_source(load_scenario())
    coldest_day = int(np.argmin(default_inputs["temp_air"].coarsen(time=24).mean().values))
    first = max(0, coldest_day - 3)
    colder = slice(first * 24, (first + 7) * 24)
    original = inputs_module.load_weather

    def colder_weather(*args, **kwargs) -> pd.DataFrame:
        weather = original(*args, **kwargs)
        weather.iloc[colder, weather.columns.get_loc("temp_air")] -= 3.0
        return weather

    inputs_module.load_weather = colder_weather
    try:
        inputs = inputs_module.build_inputs(scenario)
    finally:
        inputs_module.load_weather = original
    return scenario, select_days(inputs, first, 7), select_days(default_inputs, first, 7)


def _unmet_mwh(scenario, week, sizes) -> float:
    builder = build_model(scenario, week, slack=True, fixed_sizes=sizes, design_rules=False)
    solve(builder, EXACT)
    return float(builder.shortfall["network_heat"].value.sum()) / 1e3


def test_n_minus_1_design_serves_a_week_3_k_colder_with_a_module_out(cold_spell):
    scenario, week, normal = cold_spell
    assert scenario.network.n_minus_1
    demand = week["heat_demand_kw"].sum("consumer") + week["network_heat_loss_kw"]
    before = normal["heat_demand_kw"].sum("consumer") + normal["network_heat_loss_kw"]
    assert float(week["heat_demand_kw"].sum()) > float(normal["heat_demand_kw"].sum())
    assert float(demand.max()) > float(before.max())  # the spell is really colder
    peak = float(week["design_heat_peak_kw"])
    assert peak > float(demand.max())  # -10 °C design covers the colder week

    # Design with 3 modules (1.5 MW) as the default does: the N-1 rule sizes the backup
    # to design peak - 2 modules.
    design = build_model(scenario, week, fixed_sizes={"heat_pump.modules": 3})
    solve(design, EXACT)
    sizes = {f"{s.component}.{s.name}": pyo.value(s.expression) for s in design.sizes}
    backup = sizes["backup_boiler.capacity_kw"]
    assert backup == pytest.approx(peak - 1000.0, rel=1e-6)
    assert sizes["security.margin_without_heat_pump_module_kw"] == pytest.approx(0, abs=1e-3)

    # A module out for the whole colder week: 2 modules + that backup serve every hour.
    out = {"heat_pump.modules": 2, "backup_boiler.capacity_kw": backup}
    out["grid.contracted_kw"] = 4000.0
    assert _unmet_mwh(scenario, week, out) == pytest.approx(0.0, abs=1e-6)
    # The old 25 kW backup does not: the rule is what makes the difference.
    assert _unmet_mwh(scenario, week, {**out, "backup_boiler.capacity_kw": 25.0}) > 1.0


def test_an_electric_backup_is_only_counted_with_a_connection_that_feeds_it(cold_spell):
    # The same week with an electric backup (99 %). With 3 modules the N-1 rule sizes the
    # boiler to design peak - 1,000 kW, and the connection must carry it at full output
    # plus the 2 remaining modules at their lowest COP of the week:
    # contracted >= backup / 0.99 + 1,000 / COP_min.
    scenario, week, _ = cold_spell
    data = scenario_data(scenario)
    data["technologies"]["backup_boiler"] = {"fuel": "electricity", "efficiency": 0.99}
    electric = Scenario.model_validate(data)
    design = build_model(electric, week, fixed_sizes={"heat_pump.modules": 3})
    solve(design, EXACT)
    sizes = {f"{s.component}.{s.name}": pyo.value(s.expression) for s in design.sizes}
    peak = float(week["design_heat_peak_kw"])
    backup = sizes["backup_boiler.capacity_kw"]
    assert backup == pytest.approx(peak - 1000.0, rel=1e-6)
    heat_pump = HeatPump("heat_pump", electric.technologies.heat_pump)
    cop_min = float(np.min(heat_pump.cop_series(design)))  # air source, coldest hour
    needed = backup / 0.99 + 1000.0 / cop_min
    assert sizes["grid.contracted_kw"] == pytest.approx(needed, rel=1e-6)
    # A module out for the whole colder week: the rest, the boiler and that connection
    # serve every hour; a connection sized for normal operation alone would not.
    out = {"heat_pump.modules": 2, "backup_boiler.capacity_kw": backup}
    assert _unmet_mwh(electric, week, {**out, "grid.contracted_kw": needed}) == pytest.approx(
        0.0, abs=1e-6
    )
    assert _unmet_mwh(electric, week, {**out, "grid.contracted_kw": 0.5 * needed}) > 1.0


# --- cooling from the ATES cold well ----------------------------------------------------


@pytest.mark.parametrize("band", [0.0, 0.15])
def test_cooling_from_the_cold_well_charges_the_warm_well_and_earns_its_price(band):
    # Day 1: 100 kW of cooling, no heat demand: its 2,400 kWh of building heat can only go
    # into the warm well (100 kW every hour). Day 2: 400 kW of heat. Each hour stands for
    # 182.5 h: 438 MWh injected a year, revenue 0.05 x 2,400 x 182.5 = EUR 21,900.
    heat = np.r_[np.zeros(24), np.full(24, 400.0)]
    cooling = np.r_[np.full(24, 100.0), np.zeros(24)]
    inputs = hand_inputs(48, heat_kw=heat, supply_c=60.0, weight=182.5, source_return_c=8.0)
    inputs["cooling_demand_kw"] = (("consumer", "time"), cooling[None, :])
    homes = {"name": "homes", "count": 1, "annual_heat_kwh": 1.0, "annual_cooling_kwh": 1.0}
    prices = {
        "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
        "cooling_eur_per_kwh": 0.05,
    }
    scenario = scenario_from(
        demand={"households": [homes]},
        prices=prices,
        technologies={
            "grid": {"max_kw": 2000, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 0},
            "heat_pump": {"module_kw": 250, "max_modules": 4},
            "ates": {"max_doublets": 2, "balance_tolerance": band},
            "backup_boiler": {"fuel": "electricity", "efficiency": 1.0},
        },
    )
    ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    charge = -ds["flow"].sel(component="ates", carrier="source_heat").values[:24]
    np.testing.assert_allclose(charge, 100.0, atol=1e-6)
    # with a cold-surplus band, pumping heat in and out in one hour would widen it (the
    # band is a share of the heat injected): the wells go one way per hour
    assert summary["ates_balance"]["injected_mwh"] == pytest.approx(438.0, rel=1e-6)
    both = np.minimum(ds["ates_charge_kw"].values, ds["ates_discharge_kw"].values)
    assert both.max() < 1e-6
    assert -band - 1e-9 <= summary["ates_balance"]["imbalance_fraction"] <= 1e-9
    assert summary["ates_balance"]["permit_cold_surplus_fraction"] == band
    assert summary["ates_balance"]["within_permit"]
    assert summary["cost_eur_per_year"]["cooling"]["variable"] == pytest.approx(-21_900.0)
    assert float(abs(balance_residual(ds)).max()) < 1e-6


def test_cooling_without_an_ates_is_one_line():
    homes = {"name": "homes", "count": 1, "annual_heat_kwh": 1.0, "annual_cooling_kwh": 1.0}
    scenario = scenario_from(
        demand={"households": [homes]},
        technologies={"heat_pump": {"source": "air", "module_kw": 10, "max_modules": 1}},
    )
    with pytest.raises(InputError, match="cooling is bought but there is no ATES cold well"):
        build_model(scenario, hand_inputs(24))


def test_an_unreachable_n_minus_1_rule_is_named():
    # 100 kW of heat; one 100 kW module and a backup of at most 50 kW: the balance can be
    # met (the module serves it) but not with the module out (50 kW < 100 kW).
    scenario = scenario_from(
        network={"heat_loss_fraction": 0.0, "pumping_kwh_per_kwh": 0.0, "n_minus_1": True},
        technologies={
            "grid": {"max_kw": 1000},
            "heat_pump": {"source": "air", "module_kw": 100, "max_modules": 1},
            "backup_boiler": {"fuel": "electricity", "max_kw": 50},
        },
    )
    inputs = hand_inputs(24, heat_kw=100.0)
    with pytest.raises(InfeasibleError, match=r"the N-1 security rule cannot be met: .* 100 kW"):
        optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    ok = scenario_from(
        network={"heat_loss_fraction": 0.0, "pumping_kwh_per_kwh": 0.0, "n_minus_1": True},
        technologies={
            "grid": {"max_kw": 1000},
            "heat_pump": {"source": "air", "module_kw": 100, "max_modules": 1},
            "backup_boiler": {"fuel": "electricity", "max_kw": 500},
        },
    )
    _, summary = optimise(ok, EXACT, inputs=inputs, aggregation=None)
    assert summary["sizes"]["backup_boiler.capacity_kw"]["value"] >= 100.0 - 1e-6
    assert summary["sizes"]["security.design_peak_kw"]["value"] == pytest.approx(100.0)

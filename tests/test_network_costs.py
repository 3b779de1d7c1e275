"""Price years, connections and home equivalents, the network's cost lines and the gas
reference, against figures computed by hand."""

from __future__ import annotations

import pytest
from cases import NO_NETWORK_COSTS, hand_inputs, scenario_from

from optimiser.errors import InputError
from optimiser.inputs.price_index import index_factor, price_index
from optimiser.inputs.profiles.network import trench_length_m
from optimiser.inputs.scenario import MODELS_DIR, ScenarioError, load_scenario
from optimiser.model.network_costs import network_cost_lines
from optimiser.model.solve import SolveOptions
from optimiser.workflows.run import optimise
from optimiser.workflows.sweep import apply

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)

# CBS yearly CPI changes 2016-2025 and the CPB forecast for 2026 (data/price_index.yaml).
CHANGES = {2016: 0.3, 2017: 1.4, 2018: 1.7, 2019: 2.6, 2020: 1.3, 2021: 2.7,
           2022: 10.0, 2023: 3.8, 2024: 3.3, 2025: 3.3, 2026: 2.3}  # fmt: skip


def test_chained_index_matches_the_published_cbs_index():
    # CBS table 83136NED: 2022 = 121.43 (2015 = 100); the chain of the yearly changes
    # 100 x 1.003 x 1.014 x 1.017 x 1.026 x 1.013 x 1.027 x 1.100 = 121.44.
    assert price_index()[2022] == pytest.approx(121.43, abs=0.02)


def test_heat_pump_price_brought_from_2015_to_the_price_year_by_hand():
    # DEA large heat pump EUR 942/kW in 2015 euros. To 2026: 942 x 1.003 x 1.014 x 1.017
    # x 1.026 x 1.013 x 1.027 x 1.100 x 1.038 x 1.033 x 1.033 x 1.023 = 942 x 1.37611 =
    # EUR 1,296.30/kW. To 2021: 942 x 1.003 x 1.014 x 1.017 x 1.026 x 1.013 x 1.027 =
    # 942 x 1.10406 = EUR 1,040.0/kW.
    for year, expected in ((2026, 1296.30), (2021, 1040.0)):
        scenario = scenario_from(
            technologies={"heat_pump": {}}, finance={"discount_rate": 0.0, "price_year": year}
        )
        assert scenario.technologies.heat_pump.capex_eur_per_kw == pytest.approx(expected, abs=0.1)
    factor = 1.0
    for change in CHANGES.values():
        factor *= 1 + change / 100
    assert index_factor(2015, 2026) == pytest.approx(factor, rel=1e-12)


def test_an_air_source_heat_pump_costs_the_air_source_figure_unless_the_model_gives_one():
    # DEA air source 3 MW: 0.951 MEUR/MW + ~10 % = EUR 1,046/kW in 2015 euros; to 2026
    # x 1.37611 (above) = EUR 1,439.41/kW. A capex in the model file is its own.
    air = scenario_from(technologies={"heat_pump": {"source": "air"}}).technologies.heat_pump
    assert air.capex_eur_per_kw == pytest.approx(1046.0 * 1.37611, abs=0.1)
    assert air.air_source_capex_eur_per_kw == air.capex_eur_per_kw
    given = {"heat_pump": {"source": "air", "capex_eur_per_kw": 900.0}}
    assert scenario_from(technologies=given).technologies.heat_pump.capex_eur_per_kw == 900.0


def test_a_price_in_the_model_file_is_not_indexed():
    scenario = scenario_from(
        technologies={"heat_pump": {"capex_eur_per_kw": 1000.0}},
        finance={"discount_rate": 0.0, "price_year": 2026},
    )
    assert scenario.technologies.heat_pump.capex_eur_per_kw == 1000.0


def test_price_year_outside_the_table_is_one_line_naming_the_field(tmp_path):
    text = (MODELS_DIR / "default" / "wijk.yaml").read_text()
    path = tmp_path / "wijk.yaml"
    path.write_text(text.replace("discount_rate: 0.04", "discount_rate: 0.04\n  price_year: 2014"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert len(err.value.problems) == 1
    assert "finance.price_year: 2014 is outside the CBS price index table" in str(err.value)


def test_connections_and_home_equivalents():
    scenario = scenario_from(
        demand={
            "households": [
                {"name": "flats", "count": 40, "connections": 4, "annual_heat_kwh": 1.0,
                 "heat_profile": "MFH"},
                {"name": "houses", "count": 10, "annual_heat_kwh": 1.0},
            ],
            "businesses": [
                {"name": "office", "count": 1, "connections": 2, "home_equivalents": 30,
                 "annual_heat_kwh": 1.0},
            ],
        }
    )  # fmt: skip
    flats, houses, office = scenario.demand.groups
    assert (flats.n_connections, flats.n_home_equivalents, flats.building_kind) == (
        4,
        40.0,
        "apartment",
    )
    assert (houses.n_connections, houses.n_home_equivalents, houses.building_kind) == (
        10,
        10.0,
        "ground_level",
    )
    assert (office.n_connections, office.n_home_equivalents, office.building_kind) == (
        2,
        30.0,
        "non_residential",
    )
    assert scenario.demand.connections == 16
    assert scenario.demand.home_equivalents == 80.0
    # trench: 4 x 20 m (apartment) + 10 x 10 m (ground level) + 2 x 30 m (other) = 240 m
    assert trench_length_m(scenario) == pytest.approx(240.0)


def test_business_without_home_equivalents_is_an_error():
    with pytest.raises(Exception, match="home_equivalents"):
        scenario_from(
            demand={"businesses": [{"name": "shop", "count": 1, "connections": 1,
                                    "annual_heat_kwh": 1.0}]}
        )  # fmt: skip


def test_network_cost_lines_by_hand():
    # 10 ground-level homes and a business of 2 connections and 5 home equivalents; peak
    # 1 MW; 2026 euros (2024 -> 2026: 1.033 x 1.023 = 1.056759; 2025 -> 2026: 1.023).
    scenario = scenario_from(
        demand={
            "households": [{"name": "houses", "count": 10, "annual_heat_kwh": 1.0}],
            "businesses": [{"name": "shop", "count": 1, "connections": 2,
                            "home_equivalents": 5, "annual_heat_kwh": 1.0}],
        },
        technologies={"grid": {"max_kw": 500}},
        finance={"discount_rate": 0.0, "price_year": 2026},
        network={"heat_loss_fraction": 0.0},  # the catalogue's prices
    )  # fmt: skip
    lines = {line.name: line for line in network_cost_lines(scenario, peak_kw=1000.0)}
    f24, f16 = 1.056759, index_factor(2016, 2026)
    # trench 10 x 10 + 2 x 30 = 160 m; EUR/m = 1.3 x (600 + 205 x 1^0.55 / 1.55) x f24
    #   = 1.3 x 732.258 x 1.056759 = 1,005.97
    assert lines["distribution_mains"].capex_eur == pytest.approx(160 * 1005.966, rel=1e-5)
    assert lines["house_connections"].capex_eur == pytest.approx(12 * 4709 * f24, rel=1e-6)
    assert lines["delivery_sets"].capex_eur == pytest.approx(15 * 1800 * f24, rel=1e-6)
    assert lines["building_works"].capex_eur == pytest.approx(15 * 2700 * f24, rel=1e-6)
    assert lines["energy_centre"].capex_eur == pytest.approx(1000 * 150 * 1.023, rel=1e-6)
    # 500 kW fits the 630 kVA class: Enexis 2016 EUR 11,033
    assert lines["grid_connection"].capex_eur == pytest.approx(11033 * f16, rel=1e-6)
    assert lines["project_development"].capex_eur == pytest.approx(
        15 * 2500 * index_factor(2021, 2026), rel=1e-6
    )
    subtotal = sum(
        lines[n].capex_eur
        for n in ("distribution_mains", "house_connections", "delivery_sets", "building_works",
                  "energy_centre", "grid_connection", "project_development")
    )  # fmt: skip
    assert lines["contingency"].capex_eur == pytest.approx(0.10 * subtotal, rel=1e-9)
    assert lines["staff"].fixed_eur_per_year == pytest.approx(15 / 1000 * 85000 * 1.023)
    # meters: 10 homes + 2 business connections
    assert lines["metering_billing"].fixed_eur_per_year == pytest.approx(12 * 27.11 * 1.023)
    assert lines["insurance"].fixed_eur_per_year == pytest.approx(0.005 * 1.1 * subtotal)
    assert lines["delivery_sets"].lifetime_years == 20


def test_cost_line_annuity_and_yearly_cost_enter_the_objective():
    # An energy centre of EUR 1 M over 40 years at 0 % costs 25,000 a year, plus 1 % O&M
    # = 10,000; staff EUR 5,000 a year. A 10 kW boiler-free heat pump case is not needed:
    # the heat comes from a gas boiler at 0.10 EUR/kWh gas and efficiency 1, 1 kW for
    # 8,760 h = 876 EUR; the lines add 40,000 on top.
    costs = {**NO_NETWORK_COSTS, "energy_centre_eur": 1e6, "staff_eur_per_year": 5000.0}
    scenario = scenario_from(
        network={"heat_loss_fraction": 0.0, "lifetime_years": 40, "costs": costs},
        technologies={
            "backup_boiler": {"fuel": "gas", "efficiency": 1.0, "capex_eur_per_kw": 0,
                              "fixed_om_eur_per_kw_year": 0},
        },
        prices={
            "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
            "gas": {"supply_eur_per_m3": 1.0},
        },
    )  # fmt: skip
    inputs = hand_inputs(24, heat_kw=1.0, gas_eur_per_kwh=0.10, weight=365)
    _ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    centre = summary["cost_eur_per_year"]["energy_centre"]
    assert centre["capex_annuity"] == pytest.approx(25_000, rel=1e-9)
    assert centre["fixed_om"] == pytest.approx(10_000, rel=1e-9)
    assert summary["cost_eur_per_year"]["staff"]["fixed_om"] == pytest.approx(5_000)
    assert summary["investment_eur"]["energy_centre"] == pytest.approx(1e6)
    assert summary["total_cost_eur_per_year"] == pytest.approx(876 + 40_000, rel=1e-6)
    assert "energy_centre" in summary["heat_cost"]["investment_eur"]


def test_gas_reference_by_hand():
    # 10 homes using 1,000 m3 of gas: the ACM conversion (32.68 m3 per GJ) gives the same
    # 1,000 m3 back; bill 1,000 x (0.45 + 0.60) + 684 fixed = 1,734 per home, 17,340 in
    # all; CO2 10 x 1,000 x 1.785 kg = 17.85 t. No electricity: the total is the heating.
    scenario = scenario_from(
        demand={"households": [{"name": "homes", "count": 10, "annual_gas_m3": 1000.0}]},
        technologies={"backup_boiler": {"fuel": "gas"}},
        prices={
            "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
            "gas": {"supply_eur_per_m3": 0.45, "energy_tax_eur_per_m3": 0.60},
        },
        emissions={"electricity_kg_per_kwh": 0.3, "gas_kg_per_m3": 1.785},
    )  # fmt: skip
    inputs = hand_inputs(24, heat_kw=1.0, weight=365)
    _ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    ref = summary["gas_reference"]
    assert ref["gas_m3_per_year"] == pytest.approx(10_000, rel=1e-9)
    assert ref["heating_eur_per_year"] == pytest.approx(17_340, rel=1e-9)
    assert ref["heating_co2_tonne_per_year"] == pytest.approx(17.85, rel=1e-9)
    assert ref["total_eur_per_year"] == pytest.approx(17_340, rel=1e-9)
    assert ref["total_savings_eur_per_year"] == pytest.approx(
        17_340 - summary["total_cost_eur_per_year"], rel=1e-9
    )
    assert summary["price_year"] == 2026


def test_the_price_year_cannot_be_swept():
    base = load_scenario()
    with pytest.raises(InputError, match=r"finance\.price_year: the price year cannot be swept"):
        apply(base, {"finance.price_year": 2020})
    assert apply(base, {"finance.discount_rate": 0.05}).finance.price_year == 2026

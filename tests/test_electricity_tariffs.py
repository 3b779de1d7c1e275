"""Dutch electricity tariffs: bracket tax, DSO transport, connections, net metering,
no arbitrage, battery power bound. Every expected number is computed by hand here."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest
import yaml
from cases import hand_inputs, scenario_from

from optimiser.errors import InputError
from optimiser.inputs.electricity import (
    DEFAULT_DSO_FILE,
    DEFAULT_TAX_FILE,
    bracket_tax,
    load_dso_tariff,
    load_energy_tax,
)
from optimiser.inputs.profiles.electricity_prices import tariff_price_variables
from optimiser.model.builder import ModelBuilder
from optimiser.model.components.battery import Battery
from optimiser.model.components.demand import Demand, DemandParams
from optimiser.model.components.grid import Grid, GridParams
from optimiser.model.solve import SolveOptions, solve
from optimiser.model.system import build_model
from optimiser.outputs.results import balance_residual
from optimiser.workflows.run import optimise

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)
TAX = load_energy_tax(DEFAULT_TAX_FILE)
DSO = load_dso_tariff(DEFAULT_DSO_FILE)


RATE = [b["eur_per_kwh"] for b in yaml.safe_load(DEFAULT_TAX_FILE.read_text())["brackets"]]
"""The bracket rates as the tax file states them (EUR/kWh), read without the loader."""


@pytest.mark.parametrize(
    ("kwh", "expected"),
    [
        # 5,000 kWh, all in bracket 1 (0-10,000): 5,000 x r1 (2026: 458.00)
        (5_000, 5_000 * RATE[0]),
        # 10,000 x r1 + 40,000 x r2 + 10,000 x r3 (2026 file: 916 + 3,614.80 + 394.30)
        (60_000, 10_000 * RATE[0] + 40_000 * RATE[1] + 10_000 * RATE[2]),
        # 10,000 x r1 + 40,000 x r2 + 1,950,000 x r3 (2026 file: 81,419.30)
        (2_000_000, 10_000 * RATE[0] + 40_000 * RATE[1] + 1_950_000 * RATE[2]),
        # 10,000 x r1 + 40,000 x r2 + 9,950,000 x r3 + 5,000,000 x r4
        (15_000_000, 10_000 * RATE[0] + 40_000 * RATE[1] + 9_950_000 * RATE[2] + 5e6 * RATE[3]),
    ],
)
def test_bracket_tax_of_one_connection_to_the_cent(kwh, expected):
    assert round(sum(bracket_tax(TAX, kwh)), 2) == pytest.approx(round(expected, 2), abs=0.001)


def _solve_grid(inputs, params: GridParams) -> ModelBuilder:
    """A fixed electricity demand served by one grid connection."""
    mb = ModelBuilder(inputs, discount_rate=0.0)
    Demand("load", DemandParams(carrier="electricity", input_variable="electricity_demand_kw")).add(
        mb
    )
    Grid("grid", params).add(mb)
    mb.finish()
    solve(mb, EXACT)
    return mb


def test_energy_centre_of_2_gwh_pays_the_bracket_sum_in_the_model():
    # 2 GWh/year drawn at a price of 0: the whole cost is the tax, the bracket sum above.
    inputs = hand_inputs(24, electricity_kw=2e6 / 8760, import_eur_per_kwh=0.0, weight=365)
    mb = _solve_grid(inputs, GridParams(max_kw=1000, energy_tax=TAX))
    expected = 10_000 * RATE[0] + 40_000 * RATE[1] + 1_950_000 * RATE[2]
    assert pyo.value(mb.model.total_cost) == pytest.approx(expected, abs=0.005)


def test_a_month_with_a_peak_pays_its_kw_max():
    # 48 hours: 31 January and 1 February, 100 kW except 300 kW in one January hour.
    # Contracted 300 kW -> Liander MS class (136-1,000 kW): 27.48 x 300 = 8,244;
    # kW-max 3.57 EUR/kW/month: January 300, February 100; two months of twelve shown, so
    # x 6: 3.57 x 400 x 6 = 8,568; fixed 1,504.44; kWh 0.0226 x (8760/48) x (47 x 100 + 300)
    # = 0.0226 x 912,500 = 20,622.50. Total 38,938.94 EUR/year.
    load = np.full(48, 100.0)
    load[10] = 300.0
    inputs = hand_inputs(48, electricity_kw=load, import_eur_per_kwh=0.0, weight=8760 / 48)
    inputs = inputs.assign_coords(time=pd.date_range("2025-01-31", periods=48, freq="h"))
    mb = _solve_grid(inputs, GridParams(max_kw=2000, dso=DSO))
    assert pyo.value(mb.model.grid.contracted_kw) == pytest.approx(300.0)
    assert pyo.value(mb.model.grid.month_peak_kw[0]) == pytest.approx(300.0)
    assert pyo.value(mb.model.grid.month_peak_kw[1]) == pytest.approx(100.0)
    assert pyo.value(mb.model.total_cost) == pytest.approx(38_938.94, abs=0.01)


def test_a_negative_price_hour_has_no_simultaneous_import_and_export():
    # 10 kW all day at 0.30 EUR/kWh; in hour 3 import is paid 0.05 and export earns 0.02.
    # Importing 100 kW and exporting 90 kW would "earn" 100 x 0.05 + 90 x 0.02 an hour; the
    # formulation allows only one direction, so the hour imports its 10 kW:
    # 365 x (23 x 10 x 0.30 - 10 x 0.05) = 25,002.50 EUR/year.
    price_in = np.full(24, 0.30)
    price_in[3] = -0.05
    price_out = np.zeros(24)
    price_out[3] = 0.02
    inputs = hand_inputs(24, electricity_kw=10.0, weight=365)
    inputs["electricity_import_eur_per_kwh"] = ("time", price_in)
    inputs["electricity_export_eur_per_kwh"] = ("time", price_out)
    mb = _solve_grid(inputs, GridParams(max_kw=100))
    buy = mb.model.grid.import_kw.value
    sell = mb.model.grid.export_kw.value
    assert np.minimum(buy, sell).max() == pytest.approx(0.0, abs=1e-9)
    assert buy[3] == pytest.approx(10.0)
    assert pyo.value(mb.model.total_cost) == pytest.approx(25_002.50, abs=0.01)


def _roof_case(site: str, year: int):
    """10 homes using 1 kW together, 10 kWp of PV giving 5 kW for 12 h; day-ahead 0.10,
    margin 0.02 (import 0.12), fee 0.015 (export 0.085), first-bracket tax 0.0916."""
    pv = np.where((np.arange(24) >= 6) & (np.arange(24) < 18), 0.5, 0.0)
    inputs = hand_inputs(24, electricity_kw=1.0, pv_kw_per_kwp=pv, weight=365)
    inputs = inputs.assign(
        electricity_day_ahead_eur_per_kwh=("time", np.full(24, 0.10)),
        electricity_import_eur_per_kwh=("time", np.full(24, 0.12)),
        electricity_export_eur_per_kwh=("time", np.full(24, 0.085)),
        household_electricity_kw=("time", np.full(24, 1.0)),
    ).assign_coords(connections=("consumer", [10]))
    electricity = {"day_ahead": "synthetic", "year": year}
    inputs.attrs["electricity_tariffs_json"] = json.dumps(
        {
            "day_ahead": "synthetic", "synthetic": True, "year": year,
            "net_metering": year < 2027, "supplier_margin_eur_per_kwh": 0.02,
            "export_fee_eur_per_kwh": 0.015, "energy_tax_file": str(DEFAULT_TAX_FILE),
            "dso_file": str(DEFAULT_DSO_FILE), "energy_centre_tax_refund": False,
            "households": ["homes"], "businesses": [],
        }
    )  # fmt: skip
    scenario = scenario_from(
        demand={
            "households": [
                {
                    "name": "homes",
                    "count": 10,
                    "annual_heat_kwh": 1.0,
                    "annual_electricity_kwh": 876,
                }
            ]
        },
        technologies={
            "grid": {"max_kw": 100},
            "pv": {
                "capex_eur_per_kw": 0,
                "fixed_om_eur_per_kw_year": 0,
                "lifetime_years": 25,
                "max_kwp": 10,
                "min_kwp": 10,
                "site": site,
            },
        },
        prices={"electricity": electricity},
    )
    ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    assert float(balance_residual(ds).max()) < 1e-6
    return ds, summary


def _variable(summary, component: str) -> float:
    return summary["cost_eur_per_year"][component]["variable"]


REFUND = 10 * 519.80


@pytest.mark.parametrize(
    ("site", "year", "homes", "centre"),
    [
        # roofs, net metering: import 12 kWh/day at night, export 48; 12 netted at the
        # import cost, 36 paid 0.085: 365 x (12 x 0.2116 - 12 x 0.2116 - 36 x 0.085)
        ("roofs", 2026, -1_116.90, 0.0),
        # roofs from 2027: 365 x (12 x 0.2116 - 48 x 0.085) = -562.392
        ("roofs", 2027, -562.392, 0.0),
        # PV at the energy centre: the homes import all 24 kWh/day at 0.2116 (1,853.616),
        # the centre exports 60 kWh/day at 0.085 (-1,861.5), before and after 2027 alike
        ("energy_centre", 2026, 1_853.616, -1_861.5),
        ("energy_centre", 2027, 1_853.616, -1_861.5),
    ],
)
def test_pv_on_roofs_or_at_the_energy_centre_before_and_after_2027(site, year, homes, centre):
    _ds, summary = _roof_case(site, year)
    assert _variable(summary, "homes_grid") + REFUND == pytest.approx(homes, abs=0.01)
    assert _variable(summary, "grid") == pytest.approx(centre, abs=0.01)
    bills = summary["electricity_bills"]
    assert bills["homes"]["matches_model"] and bills["energy_centre"]["matches_model"]
    # the bill's tax per connection: taxed kWh x 0.0916 less the refund, per home
    taxed = {("roofs", 2026): 0.0, ("roofs", 2027): 438.0}.get((site, year), 876.0)
    assert bills["homes"]["taxed_kwh_per_connection"] == pytest.approx(taxed)
    assert bills["homes"]["tax_eur"] == pytest.approx(10 * (taxed * 0.0916 - 519.80), abs=0.01)
    # without the cooperative each home imports its 876 kWh at 0.12 + 0.0916 = 1,853.616
    # EUR for the ten (the energy-centre case): the roof PV's change per home is the
    # difference, e.g. from 2027 (-562.392 - 1,853.616) / 10 = -241.6008 EUR/year
    assert bills["homes"]["change_per_connection_eur"] == pytest.approx(
        (homes - 1_853.616) / 10, abs=0.01
    )


def test_battery_power_has_its_own_bound():
    inputs = hand_inputs(24, electricity_kw=1.0, weight=365)
    mb = ModelBuilder(inputs, discount_rate=0.0)
    params = Battery.Params(
        capex_eur_per_kwh=1, capex_eur_per_kw=1, fixed_om_fraction_per_year=0, lifetime_years=10,
        max_kwh=100, max_kw=2, charge_efficiency=1, discharge_efficiency=1,
        self_discharge_per_day=0,
    )  # fmt: skip
    Battery("battery", params).add(mb)
    assert mb.model.battery.power_kw.ub == 2
    assert mb.model.battery.charge_kw.upper[0] == 2


def test_dso_tariff_with_a_negative_rate_names_file_line_and_field(tmp_path):
    text = DEFAULT_DSO_FILE.read_text(encoding="utf-8").replace(
        "contract_eur_per_kw_year: 27.48", "contract_eur_per_kw_year: -27.48", 1
    )
    bad = tmp_path / "dso.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_dso_tariff(bad)
    message = str(err.value)
    assert "\n" not in message and str(bad) in message
    assert "large_connection.classes.1.contract_eur_per_kw_year" in message
    line = text.splitlines().index("      contract_eur_per_kw_year: -27.48") + 1
    assert f"line {line}" in message


def test_roof_pv_needs_the_homes_own_connections():
    scenario = scenario_from(technologies={"grid": {}, "pv": {"site": "roofs"}})
    with pytest.raises(InputError, match=r"technologies.pv.site: PV on the roofs needs"):
        build_model(scenario, hand_inputs(24))


def test_flat_prices_and_day_ahead_do_not_mix():
    with pytest.raises(ValueError, match="remove supply_eur_per_kwh"):
        scenario_from(prices={"electricity": {"day_ahead": "synthetic", "supply_eur_per_kwh": 0.1}})


def test_a_household_above_the_first_bracket_is_an_input_error():
    scenario = scenario_from(
        demand={
            "households": [
                {
                    "name": "big",
                    "count": 2,
                    "annual_heat_kwh": 1.0,
                    "annual_electricity_kwh": 12_000,
                }
            ]
        },
        technologies={"grid": {}},
        prices={"electricity": {"day_ahead": "synthetic"}},
    )
    with pytest.raises(InputError, match="above the first tax bracket"):
        build_model(scenario, hand_inputs(24))


def test_a_price_file_where_export_pays_more_never_imports_and_exports_at_once(tmp_path):
    # A plain day-ahead CSV: 300 EUR/MWh, hour 3 -50 EUR/MWh. Margin 0.02 and an export
    # bonus (fee -0.03) make export pay 0.05 EUR/kWh more than import costs in every hour
    # (hour 3: import -0.03, export 0.00). 10 kW of load and no source: each hour imports
    # its 10 kW and exports nothing: 365 x (23 x 10 x 0.32 + 10 x -0.03) = 26,754.50.
    values = ["300.0"] * 8760
    values[3] = "-50.0"
    path = tmp_path / "day_ahead.csv"
    path.write_text("price_eur_per_mwh\n" + "\n".join(values) + "\n", encoding="utf-8")
    electricity = {
        "day_ahead": str(path),
        "supplier_margin_eur_per_kwh": 0.02,
        "export_fee_eur_per_kwh": -0.03,
    }
    scenario = scenario_from(prices={"electricity": electricity})
    variables, _ = tariff_price_variables(scenario, np.zeros(8760))
    inputs = hand_inputs(24, electricity_kw=10.0, weight=365)
    for name in ("electricity_import_eur_per_kwh", "electricity_export_eur_per_kwh"):
        inputs[name] = ("time", variables[name][1][:24])
    mb = _solve_grid(inputs, GridParams(max_kw=100))
    buy = mb.model.grid.import_kw.value
    sell = mb.model.grid.export_kw.value
    assert np.minimum(buy, sell).max() == pytest.approx(0.0, abs=1e-9)
    assert pyo.value(mb.model.total_cost) == pytest.approx(26_754.50, abs=0.01)


def test_month_layers_give_each_step_a_row_per_month_it_stands_for():
    """A row per (month, step) pair becomes a row per step and layer: a step in two
    months has a row in two layers; a step in one has a 0 <= 0 row in the second; a
    step in none (a typical day no calendar day maps to) has no real row at all."""
    from optimiser.model.components.tariffs import month_layers

    layers = month_layers({0: np.array([0, 1]), 3: np.array([1, 2])}, 4)
    assert [months for months, _ in layers] == [[0, 0, 3, 0], [0, 3, 0, 0]]
    assert [active.tolist() for _, active in layers] == [[1, 1, 1, 0], [0, 1, 0, 0]]
    full_year = month_layers({m: np.arange(m * 10, m * 10 + 10) for m in range(12)}, 120)
    assert len(full_year) == 1 and full_year[0][1].all()

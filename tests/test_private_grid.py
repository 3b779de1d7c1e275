"""A private grid: the homes' roof PV reaches the heat pumps behind one boundary meter.

One day (weight 365) computed by hand, public grid against private grid. 10 homes use 1 kW
together all day; 10 kWp of roof PV gives 5 kW in hours 6-17; a heat pump with COP 4
(the cap, reached at these temperatures) serves 16 kW of heat, so it draws 4 kW all day.
Day-ahead 0.10, margin 0.02 (import 0.12), fee 0.015 (export 0.085) EUR/kWh, year 2027
(no net metering). Tax rates, refund and DSO rates are read from the shipped files.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from cases import hand_inputs, scenario_from

from optimiser.errors import InputError
from optimiser.inputs.electricity import (
    DEFAULT_DSO_FILE,
    DEFAULT_TAX_FILE,
    bracket_tax,
    load_dso_tariff,
    load_energy_tax,
)
from optimiser.model.solve import SolveOptions
from optimiser.model.system import build_model
from optimiser.outputs.results import balance_residual
from optimiser.workflows.run import optimise

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)
TAX = load_energy_tax(DEFAULT_TAX_FILE)
DSO = load_dso_tariff(DEFAULT_DSO_FILE)
SMALL = DSO.large_connection.classes[0]  # 50-136 kW: the smallest class a contract can be
HOURS = np.arange(24)
SUN = (HOURS >= 6) & (HOURS < 18)
PRIVATE = {
    "cable_eur_per_m": 100.0,
    "trench_length_m": 50.0,
    "connection_eur_per_home": 500.0,
    "metering_eur_per_home_year": 20.0,
    "fixed_om_fraction_per_year": 0.01,
    "lifetime_years": 10.0,
    "loss_fraction": 0.0,
}


def _case(private: dict | None):
    inputs = hand_inputs(24, heat_kw=16.0, pv_kw_per_kwp=np.where(SUN, 0.5, 0.0), weight=365)
    inputs = inputs.assign(
        electricity_day_ahead_eur_per_kwh=("time", np.full(24, 0.10)),
        electricity_import_eur_per_kwh=("time", np.full(24, 0.12)),
        electricity_export_eur_per_kwh=("time", np.full(24, 0.085)),
        household_electricity_kw=("time", np.full(24, 1.0)),
    ).assign_coords(connections=("consumer", [10]))
    inputs.attrs["electricity_tariffs_json"] = json.dumps(
        {
            "day_ahead": "synthetic", "synthetic": True, "year": 2027, "net_metering": False,
            "supplier_margin_eur_per_kwh": 0.02, "export_fee_eur_per_kwh": 0.015,
            "energy_tax_file": str(DEFAULT_TAX_FILE), "dso_file": str(DEFAULT_DSO_FILE),
            "energy_centre_tax_refund": False, "households": ["homes"], "businesses": [],
            "private_grid": private is not None, "private_grid_refund_per_home": True,
        }
    )  # fmt: skip
    electricity: dict = {"day_ahead": "synthetic", "year": 2027}
    if private is not None:
        electricity["private_grid"] = private
    free = {"capex_eur_per_kw": 0, "fixed_om_eur_per_kw_year": 0, "lifetime_years": 25}
    scenario = scenario_from(
        demand={
            "households": [
                {"name": "homes", "count": 10, "annual_heat_kwh": 1, "annual_electricity_kwh": 876}
            ]
        },
        technologies={
            "grid": {"max_kw": 100},
            "pv": {**free, "max_kwp": 10, "min_kwp": 10, "site": "roofs"},
            "heat_pump": {
                **free, "variable_om_eur_per_kwh": 0, "source": "air", "module_kw": 20,
                "max_modules": 1, "carnot_fraction": 1.0, "max_cop": 4.0,
            },
        },
        prices={"electricity": electricity},
    )  # fmt: skip
    ds, summary = optimise(scenario, EXACT, inputs=inputs, aggregation=None)
    assert float(balance_residual(ds).max()) < 1e-6
    return ds, summary


def _centre_cost(kwh: float, peak_kw: float) -> float:
    """The energy centre's bill: supply 0.12, bracket tax, DSO at the smallest class
    (contract 50 kW, its fixed charge, 12 monthly peaks, kWh charge)."""
    return (
        0.12 * kwh
        + sum(bracket_tax(TAX, kwh))
        + 50 * SMALL.contract_eur_per_kw_year
        + SMALL.fixed_eur_per_year
        + 12 * SMALL.kwmax_eur_per_kw_month * peak_kw
        + SMALL.transport_eur_per_kwh * kwh
    )


def _grid_cost(summary, name: str) -> float:
    costs = summary["cost_eur_per_year"][name]
    return costs["variable"] + costs["fixed_om"]


def test_private_grid_moves_roof_pv_to_the_heat_pump_untaxed():
    """Public grid: the homes import 12 kWh/day at night and export 4 kW x 12 h = 48 kWh;
    the heat pump imports 4 kW x 24 h = 96 kWh/day (35,040 kWh/year).
    Private grid (no loss): by day 4 kW of roof PV goes to the heat pump, at night the
    centre imports 4 + 1 = 5 kW for 12 h: 60 kWh/day (21,900 kWh/year), the roofs' 17,520
    kWh/year reach the heat pump without supply price, tax or DSO kWh charge. The private
    grid costs capex 100 x 50 + 500 x 10 = 10,000 EUR over 10 years at 0 % = 1,000/year,
    O&M 1 % = 100 plus meters 10 x 20 = 200, and passes on the refund 10 x refund."""
    _ds, public = _case(None)
    ds, private = _case(PRIVATE)
    refund = 10 * TAX.refund_eur
    standing = 10 * DSO.small_connection.total_eur_per_year
    homes_public = 365 * (12 * (0.12 + TAX.rates()[0]) - 48 * 0.085) - refund + standing
    assert _grid_cost(public, "homes_grid") == pytest.approx(homes_public, abs=0.01)
    assert _grid_cost(public, "grid") == pytest.approx(_centre_cost(35_040, 4.0), abs=0.01)

    assert "homes_grid" not in private["cost_eur_per_year"]
    to_centre = float(np.sum(ds["weight"] * ds["private_grid_to_centre_kw"]))
    assert to_centre == pytest.approx(17_520, abs=1e-3)
    assert private["electricity_bills"]["energy_centre"]["taxed_kwh_per_connection"] == (
        pytest.approx(21_900, abs=1e-3)
    )
    assert _grid_cost(private, "grid") == pytest.approx(_centre_cost(21_900, 5.0), abs=0.01)
    pg = private["cost_eur_per_year"]["private_grid"]
    assert pg["capex_annuity"] == pytest.approx(1_000.0, abs=1e-6)
    assert pg["fixed_om"] == pytest.approx(300.0, abs=1e-6)
    assert pg["variable"] == pytest.approx(-refund, abs=1e-6)
    assert private["electricity_bills"]["private_grid"]["matches_model"]
    # the cost of heat pays the homes for the net 17,520 - 4,380 kWh/year it took over the
    # cable at its marginal import cost (supply, DSO kWh charge, tax of bracket 2 reached)
    transfer = 13_140 * (0.12 + SMALL.transport_eur_per_kwh + TAX.rates()[1])
    heat = private["heat_cost"]["annual_eur"]
    assert heat == pytest.approx(_centre_cost(21_900, 5.0) + transfer, abs=0.01)
    assert public["heat_cost"]["annual_eur"] == pytest.approx(_centre_cost(35_040, 4.0), abs=0.01)
    saving = homes_public + _centre_cost(35_040, 4.0) - _centre_cost(21_900, 5.0) + refund - 300
    assert public["total_cost_eur_per_year"] - private["total_cost_eur_per_year"] == (
        pytest.approx(saving - 1_000.0, abs=0.02)
    )


def test_a_dear_private_grid_is_not_worth_it_and_says_what_it_would_save():
    """Capex 10 M EUR (cable 200,000 EUR/m x 50 m): annuity 1,000,000 EUR/year over 10
    years at 0 %, O&M 100,000 + meters 200. The operating saving (the public total less
    the private total without the private grid's capex and O&M) is the same as with the
    cheap cable, so the private total exceeds the public one by the annuity and O&M less
    that saving."""
    _ds, public = _case(None)
    _ds, cheap = _case(PRIVATE)
    _ds, dear = _case({**PRIVATE, "cable_eur_per_m": 199_900.0})
    capex = 199_900.0 * 50 + 5_000

    def running(summary) -> float:
        pg = summary["cost_eur_per_year"]["private_grid"]
        metering_om = pg["fixed_om"]
        return summary["total_cost_eur_per_year"] - pg["capex_annuity"] - metering_om

    assert dear["cost_eur_per_year"]["private_grid"]["capex_annuity"] == pytest.approx(capex / 10)
    saving = public["total_cost_eur_per_year"] - running(dear)
    assert saving == pytest.approx(public["total_cost_eur_per_year"] - running(cheap), abs=0.02)
    assert saving < capex / 10
    assert dear["total_cost_eur_per_year"] > public["total_cost_eur_per_year"]


def test_the_cable_loss_is_paid_in_kwh():
    """1 % loss: the heat pump's 4 kW by day need 4 / 0.99 kW from the roofs, more than the
    4 kW the roofs have spare, so the centre imports the rest: 4 - 0.99 x 4 = 0.04 kW for
    12 h, plus 4 + 1 / 0.99 kW for 12 h at night: 365 x (0.48 + 12 x (4 + 1/0.99)) kWh."""
    _ds, summary = _case({**PRIVATE, "loss_fraction": 0.01})
    kwh = 365 * (12 * 0.04 + 12 * (4 + 1 / 0.99))
    imported = summary["electricity_bills"]["energy_centre"]["import_kwh"]
    assert imported == pytest.approx(kwh, rel=1e-6)


def test_private_grid_needs_the_tariff_form():
    with pytest.raises(ValueError, match="private_grid needs the homes' own connections"):
        scenario_from(
            prices={
                "electricity": {
                    "supply_eur_per_kwh": 0.3,
                    "export_eur_per_kwh": 0.0,
                    "private_grid": {},
                }
            }
        )


def test_a_private_grid_needs_homes_for_roof_pv():
    scenario = scenario_from(
        demand={
            "households": [],
            "businesses": [
                {
                    "name": "shop",
                    "count": 1,
                    "connections": 1,
                    "home_equivalents": 1,
                    "annual_heat_kwh": 1.0,
                }
            ],
        },
        technologies={"grid": {}, "pv": {"site": "roofs"}},
        prices={"electricity": {"day_ahead": "synthetic", "private_grid": {}}},
    )
    with pytest.raises(InputError, match=r"pv\.site is roofs but there are no households"):
        build_model(scenario, hand_inputs(24))


def test_no_net_metering_behind_a_private_grid():
    """Netting is for small connections; behind the energy centre's large one there is
    none, even before 2027."""
    electricity = {"day_ahead": "synthetic", "year": 2026}
    public = scenario_from(prices={"electricity": electricity})
    private = scenario_from(prices={"electricity": {**electricity, "private_grid": {}}})
    assert public.prices.electricity.net_metering
    assert not private.prices.electricity.net_metering

"""The cooperative's cash flows and the revenue that carries them; asset owners' cases."""

from __future__ import annotations

import numpy as np
import pytest
from cases import NO_NETWORK_COSTS, scenario_from

from optimiser.annuity import annuity_factor
from optimiser.economics.business_case import owner_cases
from optimiser.economics.cooperative import cooperative_case, required_revenue
from optimiser.economics.finance import npv
from optimiser.economics.tariff import heat_tariff

HOMES = [{"name": "homes", "count": 100, "annual_gas_m3": 1000}]


def scenario(**party_fields):
    return scenario_from(
        demand={"households": HOMES},
        technologies={"teo": {}, "backup_boiler": {"fuel": "electricity"}},
        prices={
            "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
            "gas": {"supply_eur_per_m3": 0.45, "energy_tax_eur_per_m3": 0.60},
        },
        finance={"discount_rate": 0.03},
        network={"heat_loss_fraction": 0.0, "lifetime_years": 30, "costs": NO_NETWORK_COSTS},
        parties=[
            {"name": "residents", "demands": ["homes"], **party_fields},
            {"name": "water_board", "assets": ["teo"], "heat_fee_eur_per_gj": 5.0},
        ],
    )


# A design by hand: EUR 1 M network (30 years) + 100 kEUR boiler (25 years), the water
# board's TEO (EUR 300 k, 30 years) supplying 1,000 MWh; operating costs 50 kEUR/year.
HEAT_COST = {
    "annual_eur": 150_000.0,
    "capex_annuity_eur": 100_000.0,
    "investment_eur": {"heat_network": 1e6, "backup_boiler": 1e5, "teo": 3e5},
    "delivered_gj": 10_000.0,
}
SUPPLIED = {"teo": 1_000.0, "backup_boiler": 2_000.0}


def test_required_revenue_breaks_even_and_counts_loans():
    plain = scenario()
    revenue = required_revenue(plain, HEAT_COST, SUPPLIED)
    case = cooperative_case(plain, HEAT_COST, SUPPLIED, revenue)
    assert case.npv_eur == pytest.approx(0.0, abs=1e-3)  # EUR, on ~1 MEUR of flows
    table = case.table
    # the water board is paid 5 EUR/GJ for 3,600 GJ; operating cost is 50 kEUR
    assert table.loc[1, "fees"] == pytest.approx(18_000)
    assert table.loc[1, "opex"] == pytest.approx(50_000)
    # the boiler is bought again in year 25; 20 of its 25 years are left after year 30
    assert table.loc[25, "investment"] == pytest.approx(1e5)
    assert table.loc[30, "investment"] == pytest.approx(-8e4)
    # without loans or grants the revenue is the annuity of the investments plus costs
    pv = 1.1e6 + 1e5 / 1.03**25 - 8e4 / 1.03**30
    expected = pv * annuity_factor(0.03, 30) + 50_000 + 18_000
    assert revenue == pytest.approx(expected, rel=1e-9)
    # a loan at the discount rate changes the timing, not the revenue
    loaned = scenario(loans=[{"amount_eur": 5e5, "rate": 0.03, "years": 20}])
    assert required_revenue(loaned, HEAT_COST, SUPPLIED) == pytest.approx(revenue, rel=1e-9)
    with_loan = cooperative_case(loaned, HEAT_COST, SUPPLIED, revenue)
    assert with_loan.table.loc[1, "debt_service"] == pytest.approx(5e5 * annuity_factor(0.03, 20))
    # a subsidy lowers it by its annuity
    subsidised = scenario(subsidy_eur=2e5)
    lower = revenue - 2e5 * annuity_factor(0.03, 30)
    assert required_revenue(subsidised, HEAT_COST, SUPPLIED) == pytest.approx(lower, rel=1e-9)


def test_tariff_scales_the_cap_and_tests_nmdn():
    plain = scenario()
    revenue = required_revenue(plain, HEAT_COST, SUPPLIED)
    tariff = heat_tariff(plain, revenue)
    bill = tariff.bills[0]
    # the tariff (excl. VAT) brings the revenue: standing charge + meter + GJ price
    heat = bill.heat_fixed_eur + bill.heat_meter_eur + bill.heat_energy_eur
    assert bill.connections * heat == pytest.approx(revenue)
    # today: (1,000 m3 x 1.05 EUR + 684 EUR fixed) x 1.21 VAT
    assert bill.now_eur == pytest.approx(1_734.0 * 1.21)
    assert tariff.nmdn_holds == (bill.cooperative_eur <= bill.now_eur)
    assert tariff.largest_nmdn_factor == pytest.approx(bill.now_eur / bill.cap_eur)


def test_owner_case_from_the_design():
    outcome = {
        "investment_eur": {"teo": 3e5},
        "fixed_om_eur_per_year": {"teo": 6_000.0},
        "heat_supplied_mwh": {"teo": 1_000.0},
    }
    case = owner_cases(scenario(), outcome)["water_board"]
    assert case["heat_gj_per_year"] == pytest.approx(3_600)
    fee = case["break_even_fee_eur_per_gj"]
    flows = np.r_[-3e5, np.full(case["lifetime_years"], fee * 3_600 - 6_000)]
    assert npv(0.03, flows) == pytest.approx(0.0, abs=1e-6)
    # break-even: (300,000 x 0.0510 + 6,000) / 3,600 GJ = 5.92 EUR/GJ, so 5 EUR/GJ loses
    assert fee == pytest.approx((3e5 * annuity_factor(0.03, 30) + 6_000) / 3_600)
    assert case["npv_eur"] < 0

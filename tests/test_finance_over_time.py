"""Finance over time, the lender's tests and Niet Meer Dan Nu as a household sees it,
against cases computed by hand (each test says its hand computation)."""

from __future__ import annotations

import pytest
from cases import scenario_from

from optimiser.annuity import annuity_factor
from optimiser.economics.business import business_case
from optimiser.economics.cooperative import cash_flow_table, cooperative_case, required_revenue
from optimiser.economics.finance import loan_schedule
from optimiser.economics.funding import check_financing
from optimiser.economics.lender import revenue_tests
from optimiser.economics.tariff import heat_tariff
from optimiser.errors import InputError

HOMES = [{"name": "homes", "count": 100, "annual_gas_m3": 1000}]
GAS = {"supply_eur_per_m3": 0.45, "energy_tax_eur_per_m3": 0.60}


def toy(finance: dict | None = None, life: int = 3, **party):
    """100 homes, one party; the network lives ``life`` years."""
    return scenario_from(
        demand={"households": HOMES},
        technologies={"backup_boiler": {"fuel": "electricity"}},
        prices={
            "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
            "gas": GAS,
        },
        finance={"discount_rate": 0.0, **(finance or {})},
        network={"heat_loss_fraction": 0.0, "lifetime_years": life},
        parties=[{"name": "residents", "demands": ["homes"], **party}],
    )


# EUR 1,000 of network (lives as long as the network), EUR 100 a year to operate
HEAT_COST = {
    "annual_eur": 150.0,
    "capex_annuity_eur": 50.0,
    "investment_eur": {"heat_network": 1_000.0},
    "delivered_gj": 3_000.0,
}


def test_phased_capex_and_grant_tranches():
    """2 development + 2 construction years, 20 % of the capex in development: years 0
    and 1 spend 1,000 x 0.2 / 2 = 100 each, years 2 and 3 spend 1,000 x 0.8 / 2 = 400
    each; heat flows in years 4..6. A grant of 300 in year 1 and 200 in year 3."""
    grant = {
        "name": "PAW",
        "tranches": [{"year": 1, "amount_eur": 300}, {"year": 3, "amount_eur": 200}],
    }
    scenario = toy(
        {
            "development_years": 2,
            "construction_years": 2,
            "development_capex_fraction": 0.2,
            "grants": [grant],
        }
    )
    table = cash_flow_table(scenario, HEAT_COST, {}, 0.0)
    assert list(table.index) == [0, 1, 2, 3, 4, 5, 6]
    assert table["investment"].tolist() == pytest.approx([100, 100, 400, 400, 0, 0, 0])
    assert table["grants"].tolist() == pytest.approx([0, 300, 0, 200, 0, 0, 0])
    assert table["connected_share"].tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert table["opex"].tolist() == pytest.approx([0, 0, 0, 0, 100, 100, 100])
    # at rate 0 the revenue repays what the grant does not: (1,000 - 500 + 300) / 3
    assert required_revenue(scenario, HEAT_COST, {}) == pytest.approx(800 / 3)
    # the cash is lowest at the end of construction: -100 - 100 + 300 - 400 - 400 + 200
    case = cooperative_case(scenario, HEAT_COST, {}, 800 / 3)
    assert (case.cash_low_point_eur, case.cash_low_point_year) == (pytest.approx(-500), 3)


def test_contributions_follow_the_ramp_up():
    """Half the connections online in the first operating year: half the contributions
    (10,000) arrive at the end of construction (year 0), half a year later; revenue and
    (all variable) operating cost are halved in year 1."""
    scenario = toy({"ramp_up": [0.5]}, connection_contributions_eur=10_000)
    table = cash_flow_table(scenario, HEAT_COST, {}, 600.0)
    assert table["contributions"].tolist() == pytest.approx([5_000, 5_000, 0, 0])
    assert table["revenue"].tolist() == pytest.approx([0, 300, 600, 600])
    assert table["opex"].tolist() == pytest.approx([0, 50, 100, 100])
    # with 60 of the 100 fixed O&M, year 1 costs 60 + 40 x 0.5 = 80
    fixed = cash_flow_table(scenario, HEAT_COST, {}, 600.0, {"heat_network": 60.0})
    assert fixed.loc[1, "opex"] == pytest.approx(80)


def test_repayable_grant_is_debt():
    """A 100 grant in year 0 repaid in two instalments of 50 in years 2 and 3: at a 0 %
    discount rate it is worth nothing; at 10 % it is worth 100 - 50/1.1^2 - 50/1.1^3 =
    21.16 today, i.e. 21.16 x annuity(10 %, 3) = 8.51 a year less revenue."""
    repaid = {"name": "advance", "tranches": [{"year": 0, "amount_eur": 100}],
              "repay": {"start_year": 2, "years": 2}}  # fmt: skip
    without = required_revenue(toy(), HEAT_COST, {})
    with_grant = required_revenue(toy({"grants": [repaid]}), HEAT_COST, {})
    assert with_grant == pytest.approx(without)
    table = cash_flow_table(toy({"grants": [repaid]}), HEAT_COST, {}, 0.0)
    assert table["grant_repayment"].tolist() == pytest.approx([0, 0, 50, 50])
    assert table["debt_service"].tolist() == pytest.approx([0, 0, 50, 50])
    at_ten = required_revenue(toy({"discount_rate": 0.1}), HEAT_COST, {})
    with_ten = required_revenue(toy({"discount_rate": 0.1, "grants": [repaid]}), HEAT_COST, {})
    worth = 100 - 50 / 1.1**2 - 50 / 1.1**3
    assert at_ten - with_ten == pytest.approx(worth * annuity_factor(0.1, 3))


def test_grace_period_loan():
    """1,000 at 10 % over 4 years, the first interest only: year 1 pays 100 interest;
    years 2-4 pay the 3-year annuity 1,000 x 0.1 / (1 - 1.1^-3) = 402.11."""
    schedule = loan_schedule(1_000, 0.1, 4, grace_years=1)
    assert schedule["payment"].tolist() == pytest.approx([100, 402.11480, 402.11480, 402.11480])
    assert schedule["principal"].tolist()[0] == 0
    assert schedule["principal"].sum() == pytest.approx(1_000)
    # drawn in year 0 of a 4-year toy: the balance at each year's end
    scenario = toy(
        {"loans": [{"amount_eur": 1_000, "rate": 0.1, "years": 4, "grace_years": 1}]}, life=4
    )
    table = cash_flow_table(scenario, HEAT_COST, {}, 0.0)
    assert table["loan_balance"].tolist() == pytest.approx(
        [1_000, 1_000, 697.88520, 365.55891, 0.0], abs=1e-4
    )
    with pytest.raises(ValueError, match="grace_years"):
        toy({"loans": [{"amount_eur": 1, "rate": 0.1, "years": 2, "grace_years": 2}]})


def test_covenant_tariff_on_a_three_year_toy():
    """Invest 1,000 in year 0 with a 1,000 loan at 10 % over 3 years (annuity 402.11),
    operating cost 100 a year, discount rate 0. NPV zero: 3R = 300 + 3 x 402.11, R =
    502.11, which leaves cash after debt service at exactly 0 (cash test: R >= 502.11)
    but a DSCR of 402.11 / 402.11 = 1.0. The covenant 1.2 needs R - 100 >= 1.2 x
    402.11, R = 582.54: the DSCR test binds."""
    loan = {"amount_eur": 1_000, "rate": 0.1, "years": 3}
    scenario = toy({"loans": [loan]})
    service = 1_000 * annuity_factor(0.1, 3)
    tests = revenue_tests(scenario, HEAT_COST, {})
    assert tests.npv_eur == pytest.approx(100 + service)
    assert tests.cash_eur == pytest.approx(100 + service)
    assert tests.dscr_eur == pytest.approx(100 + 1.2 * service)
    assert tests.binding == "dscr" and tests.required_eur == pytest.approx(582.5378, abs=1e-3)
    at_npv = cooperative_case(scenario, HEAT_COST, {}, tests.npv_eur)
    assert at_npv.min_dscr == pytest.approx(1.0) and not at_npv.covenant_holds
    at_lender = cooperative_case(scenario, HEAT_COST, {}, tests.required_eur)
    assert at_lender.min_dscr == pytest.approx(1.2) and at_lender.covenant_holds
    # half the connections in year 1 (revenue and operating cost halved): the DSCR test
    # in year 1 needs 0.5 R - 50 >= 1.2 x 402.11, R = 1,065.08
    ramped = revenue_tests(toy({"loans": [loan], "ramp_up": [0.5]}), HEAT_COST, {})
    assert ramped.dscr_eur == pytest.approx((50 + 1.2 * service) / 0.5)
    # without a covenant (0) the cash test binds
    assert revenue_tests(toy({"loans": [loan], "min_dscr": 0.0}), HEAT_COST, {}).binding in (
        "npv",
        "cash",
    )


def test_nmdn_with_annuitised_contribution_and_vat():
    """100 homes of 1,000 m3 gas (1,000 / 32.68 = 30.60 GJ of heat) paying 1,000,000 in
    contributions, 10,000 each, spread over a 15-year contract at 3 %: 10,000 x
    0.083767 = 837.67 a year. Today: (1,000 x 1.05 + 684) x 1.21 = 2,098.14. At the cap:
    (656.89 + 27.11 + 33.86 x 30.60) x 1.21 + 837.67. The largest factor of the cap at
    which they pay no more: (2,098.14 - 837.67) / ((684 + 1,036.11) x 1.21) = 0.6056."""
    scenario = toy({"discount_rate": 0.03}, connection_contributions_eur=1_000_000)
    gj = 1_000 / 32.68
    cap_heat = 656.89 + 27.11 + 33.86 * gj
    spread = 10_000 * annuity_factor(0.03, 15)
    assert spread == pytest.approx(837.666, abs=1e-3)
    revenue = 100 * 0.5 * cap_heat  # half the cap
    tariff = heat_tariff(scenario, revenue)
    bill = tariff.bills[0]
    assert tariff.factor == pytest.approx(0.5)
    assert bill.contribution_eur == pytest.approx(10_000)
    assert bill.now_eur == pytest.approx(2_098.14)
    assert bill.cooperative_eur == pytest.approx(0.5 * cap_heat * 1.21 + spread)
    assert bill.cap_eur == pytest.approx(cap_heat * 1.21 + spread)
    assert tariff.largest_nmdn_factor == pytest.approx((2_098.14 - spread) / (cap_heat * 1.21))
    assert tariff.largest_nmdn_factor == pytest.approx(0.6056, abs=1e-4)
    assert tariff.nmdn_holds  # 0.5 < 0.6056
    assert not heat_tariff(scenario, 100 * 0.61 * cap_heat).nmdn_holds
    # tenants pay no contribution: the same homes without one may pay up to 1.0081
    free = heat_tariff(toy({"discount_rate": 0.03}), revenue)
    assert free.largest_nmdn_factor == pytest.approx(2_098.14 / (cap_heat * 1.21))
    # the cooperative's roof PV saves each home 200 EUR/year of electricity (excl. VAT):
    # 242 with VAT off its bill, and room for 242 / (cap_heat x 1.21) more of the cap
    name = tariff.bills[0].name
    sunny = heat_tariff(scenario, revenue, {name: -200.0}).bills[0]
    assert sunny.cooperative_eur == pytest.approx(bill.cooperative_eur - 242.0)
    assert sunny.largest_factor == pytest.approx(
        tariff.largest_nmdn_factor + 242.0 / (cap_heat * 1.21)
    )


def test_social_tariff_paid_by_members_or_a_party():
    """Two types of 50 homes, equal use; the social type pays 40 % of the cap. The
    revenue is 60 % of the cap's: if members pay, the others pay 80 %; if the
    municipality pays, the others stay at 60 % and it pays 50 x 20 % x cap bill."""
    groups = [dict(HOMES[0], name="social", count=50), dict(HOMES[0], name="owners", count=50)]

    def two(paid_by: str):
        return scenario_from(
            demand={"households": groups},
            technologies={"backup_boiler": {"fuel": "electricity"}},
            prices={
                "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
                "gas": GAS,
            },
            finance={
                "social_tariff": {"types": ["social"], "factor_of_cap": 0.4, "paid_by": paid_by}
            },
            network={"heat_loss_fraction": 0.0},
            parties=[
                {"name": "tenants", "demands": ["social"]},
                {"name": "owners", "demands": ["owners"]},
                {"name": "municipality", "assets": ["backup_boiler"]},
            ],
        )

    cap_heat = 684 + 33.86 * 1_000 / 32.68
    revenue = 100 * 0.6 * cap_heat
    members = heat_tariff(two("members"), revenue)
    assert members.factor == pytest.approx(0.8)
    assert [b.factor for b in members.bills] == pytest.approx([0.4, 0.8])
    paid = heat_tariff(two("municipality"), revenue)
    assert paid.factor == pytest.approx(0.6)
    assert paid.social["eur_per_year"] == pytest.approx(50 * 0.2 * cap_heat)
    with pytest.raises(ValueError, match="paid_by"):
        two("nobody")


def test_financing_above_the_investment_is_an_error():
    """1,000 invested; a 700 grant and 500 of contributions exceed it by 200: an error
    naming each source unless the reserve is at least 200."""
    scenario = toy(subsidy_eur=700, connection_contributions_eur=500)
    with pytest.raises(InputError) as error:
        check_financing(scenario, 1_000.0)
    message = str(error.value)
    assert "\n" not in message and "finance.reserve_eur" in message
    assert "residents grant EUR 700" in message and "residents contributions EUR 500" in message
    assert "exceeds the cooperative's investment EUR 1,000 by EUR 200" in message
    check_financing(
        toy({"reserve_eur": 200}, subsidy_eur=700, connection_contributions_eur=500), 1e3
    )
    outcome = {"heat_cost": HEAT_COST, "heat_supplied_mwh": {}, "investment_eur": {}}
    with pytest.raises(InputError):
        business_case(scenario, outcome)


def test_a_business_pays_the_fixed_charge_per_connection():
    """100 homes of 1,000 m3 and one business of 20,000 m3 gas with 50 connections
    (20,000 / 32.68 = 612.0 GJ of heat). Cap: fixed 656.89 + meter 27.11 = 684 a
    connection, 33.86 per GJ. The business's bill at the cap: 50 x 684 + 33.86 x 612.0 =
    34,200 + 20,722 = 54,922 (one fixed charge would make it 21,406). A home's stays
    684 + 33.86 x 30.60."""
    business = {"name": "firm", "count": 1, "connections": 50, "home_equivalents": 20,
                "annual_gas_m3": 20_000}  # fmt: skip
    scenario = scenario_from(
        demand={"households": HOMES, "businesses": [business]},
        technologies={"backup_boiler": {"fuel": "electricity"}},
        prices={
            "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
            "gas": GAS,
        },
        network={"heat_loss_fraction": 0.0},
    )
    gj = 20_000 / 32.68
    home_cap = 684.0 + 33.86 * 1_000 / 32.68
    firm_cap = 50 * 684.0 + 33.86 * gj
    total = 100 * home_cap + firm_cap
    tariff = heat_tariff(scenario, 0.5 * total)
    bills = {b.name: b for b in tariff.bills}
    assert tariff.factor == pytest.approx(0.5)
    assert bills["firm"].cap_heat_eur == pytest.approx(firm_cap)
    assert firm_cap == pytest.approx(54_922.0, abs=1.0)
    assert bills["firm"].heat_fixed_eur == pytest.approx(0.5 * 50 * 656.89)
    assert bills["homes"].cap_heat_eur == pytest.approx(home_cap)

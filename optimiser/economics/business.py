"""The cooperative's business case from one design: the revenue by every test, the
tariff and each type's bill, the cash flows at that tariff and at the largest tariff
that keeps Niet Meer Dan Nu, and the asset owners' cases.

:func:`business_case` is a pure function of the scenario and the grand coalition's
design outcome (``heat_cost``, ``heat_supplied_mwh``, ``investment_eur``,
``fixed_om_eur_per_year``, as :func:`optimiser.workflows.runner.solve_scenario` returns
it); the workflow :mod:`optimiser.workflows.business` runs the solves and calls it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from optimiser.annuity import annuity_factor
from optimiser.economics.business_case import owner_cases
from optimiser.economics.cooperative import (
    CooperativeCase,
    cooperative_case,
    cooperative_investment_eur,
)
from optimiser.economics.funding import check_financing
from optimiser.economics.lender import TESTS, RevenueTests, revenue_tests
from optimiser.economics.tariff import TariffTest, TypeBill, heat_tariff
from optimiser.inputs.scenario import Scenario


@dataclass(frozen=True)
class BusinessCase:
    """The cooperative's case: revenue tests, tariff, cash flows, owners' cases."""

    scenario: Scenario
    tests: RevenueTests
    tariff: TariffTest
    cooperative: CooperativeCase
    at_npv_zero: CooperativeCase
    at_nmdn_limit: CooperativeCase
    owners: dict[str, dict]
    investment_eur: float

    @property
    def missing_for_nmdn_eur_per_year(self) -> float:
        """Revenue (EUR/year) the largest NMDN tariff falls short of the lender's."""
        return max(self.tests.required_eur - self.at_nmdn_limit.revenue_eur_per_year, 0.0)

    def assumptions(self) -> dict:
        """The figures every money result rests on, for the board."""
        finance, prices = self.scenario.finance, self.scenario.prices
        return {
            "price_year": getattr(finance, "price_year", prices.heat_cap.year),
            "vat_rate": prices.vat_rate,
            "discount_rate": finance.discount_rate,
            "covenant_min_dscr": finance.min_dscr,
            "development_years": finance.development_years,
            "construction_years": finance.construction_years,
            "operating_years": round(self.scenario.network.lifetime_years),
            "contract_years": finance.contract_years,
            "contribution_rate": finance.contribution_rate
            if finance.contribution_rate is not None
            else finance.discount_rate,
            "acm_cap_eur_per_gj": prices.heat_cap.eur_per_gj,
            "acm_cap_fixed_eur_per_year": prices.heat_cap.fixed_eur_per_year,
            "acm_cap_meter_eur_per_year": prices.heat_cap.meter_eur_per_year,
            "reserve_eur": finance.reserve_eur,
        }

    def summary(self) -> dict:
        """The case as plain data: ``tariff``, ``cooperative``, ``households``,
        ``asset_owners``, ``assumptions`` (keys of ``allocation.json``)."""
        tariff = self.tariff
        life = round(self.scenario.network.lifetime_years)
        missing = self.missing_for_nmdn_eur_per_year
        return {
            "tariff": {
                "required_revenue_eur_per_year": tariff.required_revenue_eur,
                "revenue_by_test_eur_per_year": self.tests.by_test,
                "binding_test": self.tests.binding,
                "binding_test_words": TESTS[self.tests.binding],
                "fixed_eur_per_year": tariff.fixed_eur_per_year,
                "meter_eur_per_year": tariff.meter_eur_per_year,
                "eur_per_gj": tariff.eur_per_gj,
                "factor_of_cap": tariff.factor,
                "largest_nmdn_factor": tariff.largest_nmdn_factor,
                "niet_meer_dan_nu": tariff.nmdn_holds,
                "within_cap": tariff.within_cap,
                "covenant_holds": self.cooperative.covenant_holds,
                "paying_more": [b.name for b in tariff.losers],
                "connection_fee_eur": {
                    b.name: b.contribution_eur for b in tariff.bills if b.contribution_eur > 0
                },
                "social": tariff.social,
                "at_npv_zero": self.at_npv_zero.summary(),
                "at_nmdn_limit": {
                    **self.at_nmdn_limit.summary(),
                    "factor_of_cap": max(tariff.largest_nmdn_factor, 0.0),
                    "missing_revenue_eur_per_year": missing,
                    "missing_subsidy_eur": missing
                    / annuity_factor(self.scenario.finance.discount_rate, life),
                },
            },
            "cooperative": {**self.cooperative.summary(), "investment_eur": self.investment_eur},
            "households": [_bill_row(b) for b in tariff.bills],
            "asset_owners": self.owners,
            "assumptions": self.assumptions(),
        }

    def files(self) -> dict[str, Callable[[Path], None]]:
        """Writers of ``tariff.csv`` (each type's bill) and ``cash_flows.csv``."""
        return {
            "tariff.csv": _tariff_writer(self.tariff),
            "cash_flows.csv": self.cooperative.table.to_csv,
        }


def _bill_row(bill: TypeBill) -> dict:
    """One type's bill as the household sees it (EUR per connection; VAT included for
    households), yearly and monthly."""
    return {
        "type": bill.name,
        "household": bill.is_household,
        "connections": bill.connections,
        "heat_gj": bill.heat_gj,
        "factor_of_cap": bill.factor,
        "vat_rate": bill.vat_rate,
        "gas_eur": bill.gas_eur,
        "gas_fixed_eur": bill.gas_fixed_eur,
        "heat_fixed_eur": bill.heat_fixed_eur,
        "heat_meter_eur": bill.heat_meter_eur,
        "heat_energy_eur": bill.heat_energy_eur,
        "contribution_eur": bill.contribution_eur,
        "contribution_eur_per_year": bill.contribution_eur_per_year,
        "electricity_change_eur": bill.electricity_change_eur,
        "bill_now_eur": bill.now_eur,
        "bill_cap_eur": bill.cap_eur,
        "bill_cooperative_eur": bill.cooperative_eur,
        "difference_eur": bill.difference_eur,
        "bill_now_eur_per_month": bill.now_eur / 12,
        "bill_cooperative_eur_per_month": bill.cooperative_eur / 12,
        "difference_eur_per_month": bill.difference_eur / 12,
        "largest_factor": bill.largest_factor,
        "pays_more": bill.is_household and bill.difference_eur > 1e-9,
    }


def _tariff_writer(tariff: TariffTest) -> Callable[[Path], None]:
    """Writer of ``tariff.csv``: per consumer type its yearly and monthly cost per
    connection today (gas) and with the cooperative (see :func:`_bill_row`)."""

    def write(path: Path) -> None:
        rows = [_bill_row(b) for b in tariff.bills]
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    return write


def _revenue_at_factor(tariff: TariffTest, factor: float) -> float:
    """The cooperative's revenue (EUR/year) if the non-social types pay ``factor`` of the
    cap, the social types their own factor (and a named payer the difference)."""
    social = tariff.social or {}
    types = set(social.get("types", []))
    revenue = sum(
        b.connections * factor * b.cap_heat_eur for b in tariff.bills if b.name not in types
    )
    for bill in tariff.bills:
        if bill.name in types:
            own = min(social["factor_of_cap"], factor)
            paid = factor if social["paid_by"] != "members" else own
            revenue += bill.connections * paid * bill.cap_heat_eur
    return revenue


def business_case(scenario: Scenario, outcome: dict) -> BusinessCase:
    """The business case of the design ``outcome`` (see the module docstring).

    Raises :class:`optimiser.errors.InputError` when the financing exceeds the
    cooperative's investment by more than ``finance.reserve_eur``.
    """
    heat_cost, supplied = outcome["heat_cost"], outcome["heat_supplied_mwh"]
    fixed_om = outcome.get("fixed_om_eur_per_year")
    investment = cooperative_investment_eur(scenario, heat_cost)
    check_financing(scenario, investment)
    tests = revenue_tests(scenario, heat_cost, supplied, fixed_om)
    changes = outcome.get("electricity_change_eur_per_connection")
    tariff = heat_tariff(scenario, tests.required_eur, changes)
    limit = _revenue_at_factor(tariff, max(tariff.largest_nmdn_factor, 0.0))

    def case(revenue: float) -> CooperativeCase:
        return cooperative_case(scenario, heat_cost, supplied, revenue, fixed_om)

    return BusinessCase(
        scenario=scenario,
        tests=tests,
        tariff=tariff,
        cooperative=case(tests.required_eur),
        at_npv_zero=case(tests.npv_eur),
        at_nmdn_limit=case(limit),
        owners=owner_cases(scenario, outcome),
        investment_eur=investment,
    )

"""A cooperative testing its heat tariff: does anyone pay more than with gas today
(Niet Meer Dan Nu), do the lender's tests pass, and is the tariff under the ACM cap?

    python examples/nmdn_tariff.py [MODEL]

Designs the model's neighbourhood and builds its business case with the same workflow
as ``wijk allocate`` (without the coalitions): the revenue the cooperative needs to
break even and to pass the lender's tests, the tariff that brings it, and each consumer
type's yearly cost per connection today and with the cooperative (households incl. VAT,
the connection contribution spread over the contract).
"""

from __future__ import annotations

import sys

from optimiser.errors import InputError
from optimiser.inputs.scenario import load_scenario
from optimiser.workflows.business import design_case


def main(model: str | None = "models/ketelhuis-wg") -> None:
    case = design_case(load_scenario(model))
    tariff, tests = case.tariff, case.tests
    print(
        f"tariff: EUR {tariff.fixed_eur_per_year:,.0f}/year + meter EUR"
        f" {tariff.meter_eur_per_year:,.0f}/year + EUR {tariff.eur_per_gj:.2f}/GJ"
        f" ({tariff.factor:.0%} of the ACM cap, excl. VAT), set by the {tests.binding} test"
    )
    print(
        f"revenue needed: NPV zero EUR {tests.npv_eur:,.0f}/year, cash after debt service"
        f" EUR {tests.cash_eur:,.0f}/year, DSCR >= {tests.covenant} EUR {tests.dscr_eur:,.0f}/year"
    )
    print(f"{'type':16} {'GJ':>6} {'now':>8} {'co-op':>8} {'change':>8} {'per month':>9}")
    for bill in tariff.bills:
        print(
            f"{bill.name:16} {bill.heat_gj:6.1f} {bill.now_eur:8,.0f} {bill.cooperative_eur:8,.0f}"
            f" {bill.difference_eur:+8,.0f} {bill.difference_eur / 12:+9,.0f}"
        )
    verdict = (
        "holds" if tariff.nmdn_holds else "fails for " + ", ".join(b.name for b in tariff.losers)
    )
    print(f"Niet Meer Dan Nu {verdict}; within the ACM cap: {tariff.within_cap}")
    coop = case.cooperative
    print(
        f"lowest DSCR {coop.min_dscr:.2f}; cash low point EUR {coop.cash_low_point_eur:,.0f}"
        f" in year {coop.cash_low_point_year}"
    )
    print(
        "largest tariff keeping every household at or below today:"
        f" {max(tariff.largest_nmdn_factor, 0):.0%} of the cap; missing there:"
        f" EUR {case.missing_for_nmdn_eur_per_year:,.0f}/year"
    )


if __name__ == "__main__":
    try:
        main(sys.argv[1] if len(sys.argv) > 1 else "models/ketelhuis-wg")
    except InputError as error:  # e.g. financing above the investment: one line, exit 2
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)

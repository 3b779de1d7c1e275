"""A cooperative testing its heat tariff: does anyone pay more than with gas today
(Niet Meer Dan Nu), and does the tariff stay under the ACM maximum (NMDA)?

    python examples/nmdn_tariff.py [MODEL]

Designs the model's neighbourhood, derives the tariff whose revenue lets the cooperative
pay its costs, fees to asset owners and loans (grants counted), and prints each
consumer type's yearly bill today, at the cap and with the cooperative (excl. VAT).
"""

from __future__ import annotations

import sys

from optimiser.economics.cooperative import heat_supplied_mwh, required_revenue
from optimiser.economics.tariff import heat_tariff
from optimiser.inputs.scenario import load_scenario
from optimiser.workflows.run import optimise


def main(model: str | None = "models/ketelhuis-wg") -> None:
    scenario = load_scenario(model)
    _, summary = optimise(scenario)
    revenue = required_revenue(scenario, summary["heat_cost"], heat_supplied_mwh(summary))
    tariff = heat_tariff(scenario, revenue)
    print(
        f"tariff: EUR {tariff.fixed_eur_per_year:,.0f}/year + EUR {tariff.eur_per_gj:.2f}/GJ"
        f" ({tariff.factor:.0%} of the ACM cap); cost of heat to cover"
        f" EUR {tariff.required_revenue_eur:,.0f}/year"
    )
    print(f"{'type':16} {'GJ':>6} {'now':>8} {'cap':>8} {'co-op':>8} {'change':>8}")
    for bill in tariff.bills:
        print(
            f"{bill.name:16} {bill.heat_gj:6.1f} {bill.now_eur:8,.0f} {bill.cap_eur:8,.0f}"
            f" {bill.cooperative_eur:8,.0f} {bill.difference_eur:+8,.0f}"
        )
    verdict = (
        "holds" if tariff.nmdn_holds else "fails for " + ", ".join(b.name for b in tariff.losers)
    )
    print(f"Niet Meer Dan Nu {verdict}; within the ACM cap: {tariff.within_cap}")
    print(
        "largest tariff keeping every household at or below today:"
        f" {tariff.largest_nmdn_factor:.0%} of the cap"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "models/ketelhuis-wg")

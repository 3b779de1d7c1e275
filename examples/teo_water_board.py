"""A water board evaluating a TEO investment: its cash flows, NPV and IRR at a heat fee
per GJ, and the fee at which the investment just pays back.

    python examples/teo_water_board.py [MODEL] [FEE_EUR_PER_GJ]

Designs the model (default: ketelhuis-wg, where the water board owns the TEO) with the
workflow behind ``wijk allocate`` and reads the owner's case from it; with a fee given,
the case is evaluated again at that fee.
"""

from __future__ import annotations

import sys

from optimiser.economics.finance import FeeCase
from optimiser.errors import InputError
from optimiser.inputs.scenario import load_scenario
from optimiser.workflows.business import design_case


def main(model: str = "models/ketelhuis-wg", fee: float | None = None) -> None:
    scenario = load_scenario(model)
    owner = next((p for p in scenario.parties if "teo" in p.assets), None)
    if owner is None:
        raise SystemExit(f"{model}: no party owns the TEO")
    entry = design_case(scenario).owners[owner.name]
    case = FeeCase(
        capex_eur=entry["investment_eur"],
        fixed_om_eur_per_year=entry["fixed_om_eur_per_year"],
        quantity_per_year=entry["heat_gj_per_year"],
        lifetime_years=entry["lifetime_years"],
        rate=entry["discount_rate"],
    )
    fee = fee if fee is not None else owner.heat_fee_eur_per_gj or 0.0
    print(
        f"TEO: EUR {case.capex_eur:,.0f} invested, {case.quantity_per_year:,.0f} GJ/year delivered"
    )
    print(f"break-even fee: EUR {case.break_even_fee():.2f}/GJ at {case.rate:.1%}")
    irr = case.irr(fee)
    print(
        f"at EUR {fee:.2f}/GJ: NPV EUR {case.npv(fee):,.0f},"
        f" IRR {'none' if irr is None else f'{irr:.1%}'}"
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    try:
        main(args[0] if args else "models/ketelhuis-wg", float(args[1]) if len(args) > 1 else None)
    except InputError as error:  # e.g. financing above the investment: one line, exit 2
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)

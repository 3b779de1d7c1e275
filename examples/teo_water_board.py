"""A water board evaluating a TEO investment: its cash flows, NPV and IRR at a heat fee
per GJ, and the fee at which the investment just pays back.

    python examples/teo_water_board.py [MODEL] [FEE_EUR_PER_GJ]

Designs the model (default: ketelhuis-wg, where the water board owns the TEO), takes
the TEO's investment, fixed O&M and the heat it delivers from the design, and evaluates
the water board's case at the given fee (default: the party's heat_fee_eur_per_gj).
"""

from __future__ import annotations

import sys

from optimiser.constants import GJ_PER_MWH
from optimiser.economics.finance import FeeCase
from optimiser.inputs.scenario import load_scenario
from optimiser.workflows.run import optimise


def main(model: str = "models/ketelhuis-wg", fee: float | None = None) -> None:
    scenario = load_scenario(model)
    _, summary = optimise(scenario)
    teo_mwh = summary["annual_energy"].get("teo.source_heat", {}).get("in_mwh", 0.0)
    case = FeeCase(
        capex_eur=summary["investment_eur"].get("teo", 0.0),
        fixed_om_eur_per_year=summary["cost_eur_per_year"]["teo"]["fixed_om"],
        quantity_per_year=teo_mwh * GJ_PER_MWH,
        lifetime_years=int(scenario.technologies.teo.lifetime_years),
        rate=scenario.finance.discount_rate,
    )
    owner = next((p for p in scenario.parties if "teo" in p.assets), None)
    fee = fee if fee is not None else (owner.heat_fee_eur_per_gj if owner else None) or 0.0
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
    main(args[0] if args else "models/ketelhuis-wg", float(args[1]) if len(args) > 1 else None)

"""An asset owner's business case: the water board's TEO paid by a heat fee per GJ.

From the grand coalition's design: the investment and fixed O&M of the assets a party
owns and the heat they deliver per year. The owner pays the investment in year 0 and
earns ``fee x GJ - O&M`` each year over the assets' (shortest) life; the cash flows give
the NPV and IRR at the party's fee and the fee at which the NPV is zero.
"""

from __future__ import annotations

from optimiser.constants import GJ_PER_MWH
from optimiser.economics.finance import FeeCase
from optimiser.inputs.scenario import Scenario


def owner_cases(scenario: Scenario, grand_outcome: dict) -> dict[str, dict]:
    """Per party owning assets: investment, O&M, heat delivered, NPV/IRR at its fee and
    the break-even fee (EUR, EUR/year, GJ/year, EUR/GJ)."""
    params = scenario.technology_params()
    cases = {}
    for party in scenario.parties:
        if not party.assets:
            continue
        capex = sum(grand_outcome.get("investment_eur", {}).get(a, 0.0) for a in party.assets)
        om = sum(grand_outcome.get("fixed_om_eur_per_year", {}).get(a, 0.0) for a in party.assets)
        mwh = sum(grand_outcome.get("heat_supplied_mwh", {}).get(a, 0.0) for a in party.assets)
        life = int(min(getattr(params[a], "lifetime_years", 30) for a in party.assets))
        case = FeeCase(capex, om, mwh * GJ_PER_MWH, life, scenario.finance.discount_rate)
        entry: dict = {
            "assets": party.assets,
            "investment_eur": capex,
            "fixed_om_eur_per_year": om,
            "heat_gj_per_year": mwh * GJ_PER_MWH,
            "lifetime_years": life,
            "discount_rate": scenario.finance.discount_rate,
            "break_even_fee_eur_per_gj": case.break_even_fee() if mwh > 0 else None,
        }
        fee = party.heat_fee_eur_per_gj
        if fee is not None:
            entry.update(
                {
                    "heat_fee_eur_per_gj": fee,
                    "cash_flows_eur": case.flows(fee).tolist(),
                    "npv_eur": case.npv(fee),
                    "irr": case.irr(fee),
                }
            )
        cases[party.name] = entry
    return cases

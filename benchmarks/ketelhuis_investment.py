"""KetelhuisWG reproduced: the design's investment by line against the public EUR 30 M.

Runs ``models/ketelhuis-wg`` (typical days + full-year check, one thread), prints the
investment by line in euros of the model's price year and exits 1 when the total is
more than 10 % from the public figure (KetelhuisWG essay: EUR 30 M incl. the TEO).
The public figure's price year is not stated (first published in 2020, De Westkrant);
the script also prints the deviation were it in 2020 euros, indexed with the CBS CPI.

    python benchmarks/ketelhuis_investment.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from optimiser.inputs.price_index import index_factor
from optimiser.inputs.scenario import load_scenario
from optimiser.model.solve import SolveOptions
from optimiser.outputs.cost_table import price_label
from optimiser.workflows.run import optimise

PUBLIC_EUR = 30e6
"""KetelhuisWG's total investment, TEO included (essay; REFERENCE-FIGURES)."""

FIRST_PUBLISHED_YEAR = 2020
"""The EUR 30 M first appeared in De Westkrant, November 2020 (price year not stated)."""


def main() -> int:
    """Run the model, print the lines and the verdict; 0 within 10 %, else 1."""
    model = Path(__file__).resolve().parents[1] / "models" / "ketelhuis-wg"
    scenario = load_scenario(model)
    _ds, summary = optimise(scenario, SolveOptions(threads=1))
    eur = price_label(summary)
    for line, value in sorted(summary["investment_eur"].items(), key=lambda kv: -kv[1]):
        print(f"{line:22s} {value:>14,.0f} {eur}")
    total = sum(summary["investment_eur"].values())
    deviation = total / PUBLIC_EUR - 1.0
    within = abs(deviation) <= 0.10
    print(f"{'total':22s} {total:>14,.0f} {eur}: {deviation:+.1%} against EUR 30 M,")
    print("within 10 %" if within else "NOT within 10 %")
    price_year = scenario.finance.price_year
    public_indexed = PUBLIC_EUR * index_factor(FIRST_PUBLISHED_YEAR, price_year)
    print(
        f"were the EUR 30 M in {FIRST_PUBLISHED_YEAR} euros: {public_indexed:,.0f} {eur}, "
        f"the design is {total / public_indexed - 1.0:+.1%} from it"
    )
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())

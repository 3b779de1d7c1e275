"""KetelhuisWG reproduced: the design's investment by line against the public EUR 30 M.

Runs ``models/ketelhuis-wg`` (typical days + full-year check, one thread), prints the
investment by line in euros of the model's price year and exits 1 when the total is
more than 10 % from the public figure (KetelhuisWG essay: EUR 30 M incl. the TEO).

    python benchmarks/ketelhuis_investment.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from optimiser.inputs.scenario import load_scenario
from optimiser.model.solve import SolveOptions
from optimiser.outputs.cost_table import price_label
from optimiser.workflows.run import optimise

PUBLIC_EUR = 30e6
"""KetelhuisWG's total investment, TEO included (essay; REFERENCE-FIGURES)."""


def main() -> int:
    """Run the model, print the lines and the verdict; 0 within 10 %, else 1."""
    model = Path(__file__).resolve().parents[1] / "models" / "ketelhuis-wg"
    _ds, summary = optimise(load_scenario(model), SolveOptions(threads=1))
    eur = price_label(summary)
    for line, value in sorted(summary["investment_eur"].items(), key=lambda kv: -kv[1]):
        print(f"{line:22s} {value:>14,.0f} {eur}")
    total = sum(summary["investment_eur"].values())
    deviation = total / PUBLIC_EUR - 1.0
    within = abs(deviation) <= 0.10
    print(f"{'total':22s} {total:>14,.0f} {eur}: {deviation:+.1%} against EUR 30 M,")
    print("within 10 %" if within else "NOT within 10 %")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())

"""The certificate of a design in one sentence, for the CLI and the report.

The certificate itself is computed in :mod:`optimiser.workflows.certify`; this reads
the plain dictionary that ``summary.json`` holds.
"""

from __future__ import annotations


def certificate_line(certificate: dict, eur: str) -> str:
    """"Certificate: the design costs X EUR/year over the full year; the best full-year
    design costs at least Y (how, seconds): at most Z % above it", or why no bound."""
    cost = f"the design costs {certificate['design_cost_eur_per_year']:,.0f} {eur}/year"
    bound = certificate["lower_bound_eur_per_year"]
    if bound is None:
        return f"Certificate: {cost} over the full year; no lower bound ({certificate['method']})"
    return (
        f"Certificate: {cost} over the full year ({certificate['design']}); no full-year"
        f" design costs less than {bound:,.0f} {eur}/year ({certificate['method']};"
        f" {certificate['seconds']:.0f} s): {certificate['verdict']}"
    )

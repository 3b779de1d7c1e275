"""The certificate of a design in one sentence, for the CLI and the report.

The certificate itself is computed in :mod:`optimiser.workflows.certify`; this reads
the plain dictionary that ``summary.json`` holds.
"""

from __future__ import annotations


def certificate_line(certificate: dict, eur: str) -> str:
    """ "Certificate: <verdict>. Design cost X EUR/year over the full year (which design);
    lower bound Y EUR/year (how; seconds)", or why there is no lower bound."""
    cost = f"{certificate['design_cost_eur_per_year']:,.0f} {eur}/year over the full year"
    bound = certificate["lower_bound_eur_per_year"]
    if bound is None:
        return f"Certificate: design cost {cost}; no lower bound ({certificate['method']})"
    return (
        f"Certificate: {certificate['verdict']}. Design cost {cost}"
        f" ({certificate['design']}); lower bound {bound:,.0f} {eur}/year"
        f" ({certificate['method']}; {certificate['seconds']:.0f} s)"
    )

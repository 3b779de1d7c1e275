"""The cost table of a result: investment and yearly cost by line, and the gas reference,
in euros of the run's price year; rows for the CLI and an HTML table for the report."""

from __future__ import annotations

import html


def price_label(summary: dict) -> str:
    """``EUR2026``: euros of the run's price year (``EUR`` if the summary has none)."""
    year = summary.get("price_year")
    return f"EUR{year}" if year else "EUR"


def cost_rows(summary: dict) -> list[tuple[str, float, float]]:
    """(line, investment EUR, yearly cost EUR/year) of every component with either, in
    the results' order, and the total last. Yearly cost: capital annuity, O&M, energy."""
    investment = summary["investment_eur"]
    rows = []
    for line, kinds in summary["cost_eur_per_year"].items():
        yearly = sum(kinds.values())
        if investment.get(line, 0.0) or abs(yearly) > 0.5:
            rows.append((line, investment.get(line, 0.0), yearly))
    rows.append(("total", sum(investment.values()), summary["total_cost_eur_per_year"]))
    return rows


def gas_reference_lines(summary: dict) -> list[str]:
    """The gas reference and the design's savings as sentences (none without one)."""
    ref = summary.get("gas_reference")
    if not ref:
        return ["gas reference: not computed (the model has no prices.gas)"]
    eur = price_label(summary)
    return [
        f"gas boilers instead: heating {ref['heating_eur_per_year']:,.0f} {eur}/year and"
        f" {ref['heating_co2_tonne_per_year']:,.0f} t CO2/year; with electricity and water"
        f" {ref['total_eur_per_year']:,.0f} {eur}/year, {ref['total_co2_tonne_per_year']:,.0f}"
        " t CO2/year",
        f"the design {_saves(ref['heat_savings_eur_per_year'], eur + '/year')} on heat,"
        f" {_saves(ref['total_savings_eur_per_year'], eur + '/year')} in all and"
        f" {_saves(ref['co2_savings_tonne_per_year'], 't CO2/year')}",
    ]


def _saves(amount: float, unit: str) -> str:
    """``saves 1,000 unit`` or, for a negative saving, ``costs 1,000 unit more``."""
    return f"saves {amount:,.0f} {unit}" if amount >= 0 else f"costs {-amount:,.0f} {unit} more"


def cost_table_html(summary: dict) -> str:
    """The cost rows as an HTML table for the report."""
    eur = price_label(summary)
    head = (
        f"<table class='costs'><tr><th>line</th><th>investment ({eur})</th>"
        f"<th>yearly cost ({eur}/year)</th></tr>"
    )
    body = "".join(
        f"<tr><td>{html.escape(line.replace('_', ' '))}</td><td>{invest:,.0f}</td>"
        f"<td>{yearly:,.0f}</td></tr>"
        for line, invest, yearly in cost_rows(summary)
    )
    return head + body + "</table>"

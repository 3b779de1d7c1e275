"""The report's section on new sanitation: recovery per person against published plants
and the break-even price of each recovered product (see
:mod:`optimiser.outputs.sanitation_benchmark`)."""

from __future__ import annotations

import html

HEADER = ("quantity", "model", "published", "difference", "verdict", "source")


def _published(row: dict) -> str:
    if row["published"] is not None:
        return f"{row['published']:,.3g}"
    if row["published_low"] is not None:
        return f"{row['published_low']:,.3g} to {row['published_high']:,.3g}"
    return "none found"


def _difference(row: dict) -> str:
    if "difference" in row:
        return f"{row['difference']:+.0%}"
    if "difference_low" in row:
        return f"{row['difference_high']:+.0%} to {row['difference_low']:+.0%}"
    return ""


def _source(row: dict) -> str:
    flags = [] if row["independent"] else ["model parameters from the same source"]
    flags += [] if row["confirmed"] else ["unconfirmed"]
    extra = f" ({'; '.join(flags)})" if flags else ""
    return f"{row['plant']}: {row['source']}{extra}"


def sanitation_html(summary: dict) -> str:
    """A heading, the per-person comparison table and one line per recovery unit with
    its break-even product price; empty without ``sanitation_benchmark``."""
    benchmark = summary.get("sanitation_benchmark")
    if not benchmark:
        return ""
    cells = "".join(f"<th>{h}</th>" for h in HEADER)
    lines = [
        "<h2>Recovery per person against published plants</h2>",
        f"<p>{benchmark['persons']:,.0f} residents; per person and year. A figure within"
        f" {benchmark['band']:.0%} of a plant's published one agrees with it (a published"
        " range: within that of some point of it); a figure derived from the model's own"
        " source, or not read in the source itself, is marked so.</p>",
        f"<table class='costs'><tr>{cells}</tr>",
    ]
    for row in benchmark["rows"]:
        values = (
            f"{row['label']} ({row['unit']})",
            f"{row['model']:,.3g}",
            _published(row),
            _difference(row),
            row["verdict"],
            _source(row),
        )
        kind = "" if row["within_band"] is not False else " class='warn'"
        numbers = "".join(f"<td>{html.escape(v)}</td>" for v in values[:-1])
        lines.append(f"<tr{kind}>{numbers}<td class='text'>{html.escape(values[-1])}</td></tr>")
    lines.append("</table><ul class='summary'>")
    for unit, item in benchmark["products"].items():
        pays = item["price_eur_per_tonne"] >= item["break_even_eur_per_tonne"]
        text = (
            f"{unit.replace('_', ' ')}: {item['product_tonne_per_year']:,.1f} t"
            f" {item['product'].replace('_', ' ')} a year sold at EUR"
            f" {item['price_eur_per_tonne']:,.0f}/t; it pays at EUR"
            f" {item['break_even_eur_per_tonne']:,.0f}/t and above (yearly cost EUR"
            f" {item['cost_before_sales_eur_per_year']:,.0f} before sales)"
            + ("" if pays else "; its sales do not cover its cost")
        )
        lines.append(f"<li{'' if pays else ' class=warn'}>{html.escape(text)}.</li>")
    lines.append("</ul>")
    return "".join(lines)

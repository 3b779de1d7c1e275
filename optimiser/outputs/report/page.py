"""One self-contained HTML page of a result: a short summary on top, then the figures.

The plotly JavaScript is embedded once, so the file opens offline in any browser.
Figures that do not apply (no water, no allocation, no ATES) are left out, not shown
empty. Each figure sits in a ``div`` with id ``fig-<name>`` (the browser test looks for
them).
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from optimiser.errors import InputError
from optimiser.files import read_json
from optimiser.outputs.bill_tables import bills_html
from optimiser.outputs.certificate import certificate_line
from optimiser.outputs.cost_table import cost_table_html, gas_reference_lines, price_label
from optimiser.outputs.heat_checks import heat_check_lines
from optimiser.outputs.report import figures
from optimiser.outputs.report.board import NO_TARIFF, board_parts
from optimiser.outputs.report.board import STYLE as BOARD_STYLE
from optimiser.outputs.report.parties import parties_table_html
from optimiser.outputs.report.sanitation import sanitation_html
from optimiser.outputs.report.water_board import water_board_figures
from optimiser.outputs.result_files import read_results

SEWER_STREAMS = ("wastewater", "black_water", "grey_water")
"""Streams whose m3 reaching the public sewer the summary adds up."""

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; }
.summary li { margin: 0.2em 0; } .warn { color: #a33; } .meta { color: #777; font-size: 0.85em; }
.costs td { text-align: right; padding: 0 1em; } .costs td.text { text-align: left; }
"""


def _figures(ds: xr.Dataset, allocation_dir: Path | None) -> list[tuple[str, str, go.Figure]]:
    """(id, heading, figure) of every figure that applies to this result."""
    parts = [("capacities", "What is built", figures.fig_capacities(ds))]
    parts.append(("sankey-energy", "Energy over the year", figures.fig_sankey(ds)))
    water = [
        c
        for c, u in zip(ds["carrier"].values, ds["carrier_unit"].values, strict=True)
        if u == "m3/h"
    ]
    if water:
        parts.append(("sankey-water", "Water over the year", figures.fig_sankey(ds, tuple(water))))
        parts += water_board_figures(ds)
    if "network_heat" in ds["carrier"].values:
        parts.append(
            ("dispatch-heat", "Heat, hour by hour", figures.fig_dispatch(ds, "network_heat"))
        )
    if "electricity" in ds["carrier"].values:
        parts.append(
            (
                "dispatch-electricity",
                "Electricity, hour by hour",
                figures.fig_dispatch(ds, "electricity"),
            )
        )
    if ds.sizes["time"] >= 24 * 7:
        for component, carrier in (("heat_pump", "network_heat"), ("grid", "electricity")):
            if component in ds["component"].values and carrier in ds["carrier"].values:
                parts.append(
                    (f"heatmap-{component}", f"{component} over the year",
                     figures.fig_heatmap(ds, component, carrier))
                )  # fmt: skip
    if "surface_water_c" in ds:
        parts.append(("seasonal", "Seasons: storage, water, COP", figures.fig_seasonal(ds)))
    if allocation_dir is not None:
        allocation = json.loads((allocation_dir / "allocation.json").read_text())
        parts.append(
            (
                "allocation",
                "Who pays what",
                figures.fig_allocation(allocation),
                parties_table_html(allocation),
            )
        )
        if (allocation_dir / "tariff.csv").is_file():
            tariff = pd.read_csv(allocation_dir / "tariff.csv")
            parts.append(("nmdn", "Niet Meer Dan Nu", figures.fig_nmdn(tariff)))
    return parts


def _size_words(label: str, unit: str) -> str:
    """``heat_pump.capacity_kw`` in words without repeating the unit printed after the
    value: "heat pump capacity"; ``heat_pump.modules`` (unit modules): "heat pump"."""
    component, _, name = label.partition(".")
    name = re.sub(r"_(kw|kwh|kwp|m3|m3_per_h)$", "", name)
    words = component.replace("_", " ")
    return words if name in ("", unit) else f"{words} {name.replace('_', ' ')}"


def _summary(summary: dict, allocation: dict | None) -> str:
    """The text on top: what was built, what it costs, and the tariff verdict."""
    built = [
        f"{_size_words(label, size['unit'])} {size['value']:,.0f} {size['unit']}"
        for label, size in summary["sizes"].items()
        if size["value"] > 1e-6 and size["unit"] != "yes/no"
    ]
    items = [
        f"Built: {', '.join(built) or 'nothing'}.",
        f"Total cost {summary['total_cost_eur_per_year']:,.0f} {price_label(summary)}/year; heat"
        f" {summary['heat_delivered_mwh']:,.0f} MWh/year at"
        f" {summary['levelised_cost_of_heat_eur_per_gj']:,.2f} {price_label(summary)}/GJ;"
        f" CO2 {summary['co2_tonne_per_year']:,.0f} t/year.",
    ]
    design = summary.get("design")
    if design:
        items.append(
            f"Designed on {design['typical_days']} typical days"
            f" ({design['objective_eur_per_year']:,.0f} EUR/year), checked on every hour:"
            f" {design['difference_fraction']:+.2%} on the full year."
        )
    certificate = summary.get("certificate")
    if certificate:
        items.append(certificate_line(certificate, price_label(summary)))
    paths = summary.get("water_paths")
    if paths:
        items.append(
            f"Water: {paths['treated_water_reused_m3']:,.0f} m3/year reused,"
            f" {sum(paths.get(f'{s}_to_sewer_m3', 0.0) for s in SEWER_STREAMS):,.0f}"
            " m3/year to the sewer."
        )
    checks = gas_reference_lines(summary) + heat_check_lines(summary)
    items += [f"{line[0].upper()}{line[1:]}." for line in checks]
    lines = [f"<li>{html.escape(item)}</li>" for item in items]
    solver = summary.get("solver", {})
    if solver.get("verdict"):
        kind = "" if solver.get("proven") else " class='warn'"
        lines.append(f"<li{kind}>Solver: {html.escape(solver['verdict'])}.</li>")
    for label, unmet in summary.get("unmet_energy", {}).items():
        lines.append(
            f"<li class='warn'>{html.escape(label)}: {unmet['amount']:,.1f} {unmet['unit']}"
            f" in {unmet['hours']} hours cannot be served with this design.</li>"
        )
    tariff = (allocation or {}).get("tariff")
    if tariff:
        verdict = (
            "holds: no household type pays more than with gas today"
            if tariff["niet_meer_dan_nu"]
            else "fails for " + ", ".join(tariff["paying_more"])
        )
        covenant = "pass" if tariff["covenant_holds"] else "FAIL"
        good = tariff["niet_meer_dan_nu"] and tariff["covenant_holds"]
        lines.append(
            f"<li class='{'' if good else 'warn'}'>"
            + html.escape(
                f"Tariff EUR {tariff['fixed_eur_per_year']:,.0f}/year + meter EUR"
                f" {tariff['meter_eur_per_year']:,.0f}/year + EUR {tariff['eur_per_gj']:.2f}/GJ"
                f" ({tariff['factor_of_cap']:.0%} of the ACM cap, excl. VAT); Niet Meer Dan Nu"
                f" {verdict}; the lender's tests {covenant} (see the board's page)."
            )
            + "</li>"
        )
    else:
        lines.append(f"<li class='warn'>{NO_TARIFF}</li>")
    return "<ul class='summary'>" + "".join(lines) + "</ul>" + bills_html(summary)


def page_html(title: str, body: list[str], figures: list[tuple], tail: str = "") -> str:
    """A page: the ``body`` parts, then each figure ``(id, heading, figure)`` or ``(id,
    heading, figure, html shown before it)`` under its heading in ``div#fig-<id>``
    (plotly embedded once), then ``tail``."""
    parts = list(body)
    for index, (name, heading, fig, *intro) in enumerate(figures):
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.extend(intro)
        parts.append(
            fig.to_html(
                full_html=False,
                include_plotlyjs=index == 0,
                div_id=f"fig-{name}",
                default_height="480px",
            )
        )
    parts.append(tail)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} - wijk report</title>"
        f"<style>{STYLE}{BOARD_STYLE}</style></head><body>" + "\n".join(parts) + "</body></html>"
    )


def write_page(
    target: Path,
    title: str,
    body: list[str],
    figures: list[tuple],
    tail: str = "",
) -> Path:
    """Write a page (see :func:`page_html`) to ``target``, all or nothing."""
    page = page_html(title, body, figures, tail)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as fh:
            fh.write(page)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o666 & ~umask)  # mkstemp makes it private; a report is shared
        os.replace(staging, target)
    finally:
        if os.path.exists(staging):
            os.remove(staging)
    return target


def write_report(
    results_dir: Path, allocation_dir: Path | None = None, out: Path | None = None
) -> Path:
    """Write ``report.html`` of a results folder (by default into it), optionally with
    the allocation folder's figures."""
    results_dir = Path(results_dir)
    for name in ("results.nc", "summary.json"):
        if not (results_dir / name).is_file():
            raise InputError(
                f"{name} not found", file=results_dir, fix="give the folder 'wijk run' wrote"
            )
    if allocation_dir is not None and not (Path(allocation_dir) / "allocation.json").is_file():
        raise InputError(
            "allocation.json not found",
            file=allocation_dir,
            fix="give the folder 'wijk allocate' wrote",
        )
    summary = read_json(results_dir / "summary.json", fix="give the folder 'wijk run' wrote")
    ds = read_results(results_dir)
    allocation_dir = Path(allocation_dir) if allocation_dir is not None else None
    allocation = (
        read_json(allocation_dir / "allocation.json", fix="give the folder 'wijk allocate' wrote")
        if allocation_dir
        else None
    )
    cash_file = allocation_dir / "cash_flows.csv" if allocation_dir else None
    cash = pd.read_csv(cash_file) if cash_file is not None and cash_file.is_file() else None
    board, board_figures = board_parts(allocation, cash)
    body = [
        f"<h1>{html.escape(str(summary['scenario']))}: design and dispatch</h1>",
        _summary(summary, allocation),
        "<h2>Investment and yearly cost by line</h2>",
        cost_table_html(summary),
        sanitation_html(summary),
        board,
    ]
    tail = (
        f"<p class='meta'>input hash {html.escape(str(summary['input_hash']))},"
        f" wijk {html.escape(str(summary['package_version']))}</p>"
    )
    target = Path(out) if out is not None else results_dir / "report.html"
    parts = [*board_figures, *_figures(ds, allocation_dir)]
    return write_page(target, str(summary["scenario"]), body, parts, tail)

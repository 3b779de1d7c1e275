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
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from optimiser.errors import InputError
from optimiser.outputs.report import figures
from optimiser.outputs.report.water_board import water_board_figures
from optimiser.outputs.results import read_results

SEWER_STREAMS = ("wastewater", "black_water", "grey_water")
"""Streams whose m3 reaching the public sewer the summary adds up."""

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; }
.summary li { margin: 0.2em 0; } .warn { color: #a33; } .meta { color: #777; font-size: 0.85em; }
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
        parts.append(("allocation", "Who pays what", figures.fig_allocation(allocation)))
        if (allocation_dir / "tariff.csv").is_file():
            tariff = pd.read_csv(allocation_dir / "tariff.csv")
            parts.append(("nmdn", "Niet Meer Dan Nu", figures.fig_nmdn(tariff)))
        if (allocation_dir / "cash_flows.csv").is_file():
            cash = pd.read_csv(allocation_dir / "cash_flows.csv")
            parts.append(("cash-flows", "Cash flows and the loan", figures.fig_cash_flows(cash)))
    return parts


def _summary(summary: dict, allocation: dict | None) -> str:
    """The text on top: what was built, what it costs, and the tariff verdict."""
    built = [
        f"{label.replace('_', ' ').replace('.', ': ')} {size['value']:,.0f} {size['unit']}"
        for label, size in summary["sizes"].items()
        if size["value"] > 1e-6 and size["unit"] != "yes/no"
    ]
    items = [
        f"Built: {', '.join(built) or 'nothing'}.",
        f"Total cost {summary['total_cost_eur_per_year']:,.0f} EUR/year; heat"
        f" {summary['heat_delivered_mwh']:,.0f} MWh/year at"
        f" {summary['levelised_cost_of_heat_eur_per_gj']:,.2f} EUR/GJ;"
        f" CO2 {summary['co2_tonne_per_year']:,.0f} t/year.",
    ]
    design = summary.get("design")
    if design:
        items.append(
            f"Designed on {design['typical_days']} typical days"
            f" ({design['objective_eur_per_year']:,.0f} EUR/year), checked on every hour:"
            f" {design['difference_fraction']:+.2%} on the full year."
        )
    paths = summary.get("water_paths")
    if paths:
        items.append(
            f"Water: {paths['treated_water_reused_m3']:,.0f} m3/year reused,"
            f" {sum(paths.get(f'{s}_to_sewer_m3', 0.0) for s in SEWER_STREAMS):,.0f}"
            " m3/year to the sewer."
        )
    lines = [f"<li>{html.escape(item)}</li>" for item in items]
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
        lines.append(
            "<li>"
            + html.escape(
                f"Tariff EUR {tariff['fixed_eur_per_year']:,.0f}/year + EUR"
                f" {tariff['eur_per_gj']:.2f}/GJ ({tariff['factor_of_cap']:.0%} of the ACM cap);"
                f" Niet Meer Dan Nu {verdict}."
            )
            + "</li>"
        )
    return "<ul class='summary'>" + "".join(lines) + "</ul>"


def page_html(
    title: str, body: list[str], figures: list[tuple[str, str, go.Figure]], tail: str = ""
) -> str:
    """A page: the ``body`` parts, then each figure under its heading in ``div#fig-<id>``
    (plotly embedded once), then ``tail``."""
    parts = list(body)
    for index, (name, heading, fig) in enumerate(figures):
        parts.append(f"<h2>{html.escape(heading)}</h2>")
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
        f"<style>{STYLE}</style></head><body>" + "\n".join(parts) + "</body></html>"
    )


def write_page(
    target: Path,
    title: str,
    body: list[str],
    figures: list[tuple[str, str, go.Figure]],
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
    ds = read_results(results_dir)
    summary = json.loads((results_dir / "summary.json").read_text())
    allocation_dir = Path(allocation_dir) if allocation_dir is not None else None
    allocation = (
        json.loads((allocation_dir / "allocation.json").read_text()) if allocation_dir else None
    )
    body = [
        f"<h1>{html.escape(str(summary['scenario']))}: design and dispatch</h1>",
        _summary(summary, allocation),
    ]
    tail = (
        f"<p class='meta'>input hash {html.escape(str(summary['input_hash']))},"
        f" wijk {html.escape(str(summary['package_version']))}</p>"
    )
    target = Path(out) if out is not None else results_dir / "report.html"
    return write_page(target, str(summary["scenario"]), body, _figures(ds, allocation_dir), tail)

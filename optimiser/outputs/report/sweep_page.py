"""The report of a sweep: which input moves the cost most (tornado), cost against each
input, and how often Niet Meer Dan Nu holds; failed scenarios listed with their reason."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import xarray as xr

from optimiser.errors import InputError
from optimiser.files import read_dataset
from optimiser.outputs.report.page import write_page

FIGURE = "total_cost_eur_per_year"


def parameters(results: xr.Dataset) -> list[str]:
    """The swept inputs: the coordinates along ``scenario`` besides its name."""
    return [str(c) for c in results.coords if results[c].dims == ("scenario",) and c != "scenario"]


def mean_at_low_and_high(values: np.ndarray, figure: np.ndarray) -> tuple[float, float]:
    """Mean of ``figure`` at the lowest and highest settings of an input (few distinct
    values: the extreme values; many, as in Monte Carlo: below and above the median)."""
    ok = np.isfinite(figure)
    values, figure = values[ok], figure[ok]
    distinct = np.unique(values)
    if len(distinct) < 2:
        return float(figure.mean()), float(figure.mean())
    if len(distinct) <= 5:
        return float(figure[values == distinct[0]].mean()), float(
            figure[values == distinct[-1]].mean()
        )
    median = np.median(values)
    return float(figure[values <= median].mean()), float(figure[values > median].mean())


def fig_tornado(results: xr.Dataset, figure: str = FIGURE) -> go.Figure:
    """Per swept input, the mean annual cost at its low and at its high settings, widest
    swing on top (EUR/year)."""
    values = results[figure].values.astype(float)
    swings = []
    for name in parameters(results):
        setting = results[name].values
        if setting.dtype.kind not in "fiu":
            continue
        low, high = mean_at_low_and_high(setting.astype(float), values)
        swings.append((abs(high - low), name, low, high))
    swings.sort()
    centre = float(np.nanmean(values))
    fig = go.Figure()
    fig.add_bar(y=[s[1] for s in swings], x=[s[2] - centre for s in swings], base=centre,
                orientation="h", name="low setting")  # fmt: skip
    fig.add_bar(y=[s[1] for s in swings], x=[s[3] - centre for s in swings], base=centre,
                orientation="h", name="high setting")  # fmt: skip
    fig.update_layout(
        title="What moves the annual cost (mean over the other inputs)",
        template="plotly_white",
        barmode="overlay",
        xaxis={"title": "total cost (EUR/year)"},
        yaxis={"title": "swept input"},
    )
    return fig


def fig_sensitivity(results: xr.Dataset, figure: str = FIGURE) -> go.Figure:
    """Annual cost of every solved scenario against each swept input (one panel each)."""
    names = [n for n in parameters(results) if results[n].values.dtype.kind in "fiu"]
    fig = go.Figure()
    for k, name in enumerate(names, start=1):
        axis = "" if k == 1 else str(k)
        fig.add_scatter(x=results[name].values, y=results[figure].values, mode="markers",
                        name=name, xaxis=f"x{axis}", yaxis="y")  # fmt: skip
        width = 1.0 / max(len(names), 1)
        fig.layout[f"xaxis{axis}"] = {
            "domain": [(k - 1) * width + 0.02, k * width - 0.02],
            "title": name,
        }
    fig.update_layout(
        title="Annual cost against each swept input",
        template="plotly_white",
        yaxis={"title": "total cost (EUR/year)"},
    )
    return fig


def fig_nmdn_verdicts(results: xr.Dataset) -> go.Figure:
    """How many scenarios keep Niet Meer Dan Nu, break it, or failed to solve."""
    nmdn = results["nmdn"].values
    counts = {
        "holds": int(np.sum(nmdn == 1)),
        "fails": int(np.sum(nmdn == 0)),
        "not solved": int(np.sum(~results["ok"].values)),
    }
    fig = go.Figure(go.Bar(x=list(counts), y=list(counts.values()),
                           marker_color=["#2ca02c", "#d62728", "#999999"]))  # fmt: skip
    fig.update_layout(
        title="Niet Meer Dan Nu across the scenarios",
        template="plotly_white",
        xaxis={"title": "verdict"},
        yaxis={"title": "scenarios"},
    )
    return fig


def write_sweep_report(sweep_dir: Path, out: Path | None = None) -> Path:
    """Write ``report.html`` for a folder written by ``wijk sweep``."""
    sweep_dir = Path(sweep_dir)
    if not (sweep_dir / "sweep.nc").is_file():
        raise InputError(
            "sweep.nc not found", file=sweep_dir, fix="give the folder 'wijk sweep' wrote"
        )
    results = read_dataset(sweep_dir / "sweep.nc", fix="give the folder 'wijk sweep' wrote")
    solved = int(results["ok"].sum())
    share = float(np.nanmean(results["nmdn"].values)) if solved else float("nan")
    body = [
        f"<h1>{html.escape(str(results.attrs.get('base_scenario', 'sweep')))}: sweep of"
        f" {results.sizes['scenario']} scenarios</h1>",
        "<ul class='summary'>"
        f"<li>{solved} solved, {results.sizes['scenario'] - solved} failed.</li>"
        f"<li>Annual cost {np.nanmin(results[FIGURE]):,.0f} to {np.nanmax(results[FIGURE]):,.0f}"
        f" EUR/year (median {np.nanmedian(results[FIGURE]):,.0f}).</li>"
        f"<li>Niet Meer Dan Nu holds in {share:.0%} of the solved scenarios.</li></ul>",
    ]
    figures = [
        ("tornado", "What matters most", fig_tornado(results)),
        ("sensitivity", "Cost against each input", fig_sensitivity(results)),
        ("nmdn-verdicts", "Niet Meer Dan Nu", fig_nmdn_verdicts(results)),
    ]
    failures = [
        f"<li>{html.escape(str(n))}: {html.escape(str(e))}</li>"
        for n, e in zip(results["scenario"].values, results["error"].values, strict=True)
        if e
    ]
    tail = f"<h2>Failed scenarios</h2><ul>{''.join(failures)}</ul>" if failures else ""
    target = Path(out) if out is not None else sweep_dir / "report.html"
    return write_page(
        target, f"{results.attrs.get('base_scenario', 'sweep')} sweep", body, figures, tail
    )

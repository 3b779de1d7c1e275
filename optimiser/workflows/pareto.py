"""The cost-CO2 trade-off by the epsilon-constraint method.

First the cheapest design (its CO2 is the largest worth having) and the design of least
CO2 on the typical days; then ``points`` designs of least cost with the CO2 capped at
evenly spaced values between the two. Each design is checked on the full year like any
run; its real-year cost and CO2 are the point's coordinates (the cap holds on the
typical days, so the full-year CO2 may differ from it slightly).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyomo.environ as pyo
import xarray as xr

from optimiser.errors import InfeasibleError
from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.scenario import Scenario
from optimiser.model.solve import SolveOptions, solve
from optimiser.model.system import build_model, clustering_features
from optimiser.model.timeseries import Aggregation, aggregate
from optimiser.workflows.run import DEFAULT_AGGREGATION, optimise


def co2_range_tonne(
    scenario: Scenario,
    aggregation: Aggregation | None,
    options: SolveOptions,
    inputs: xr.Dataset | None = None,
) -> tuple[float, float]:
    """Annual CO2 (t) of the cheapest design and the least any design reaches, both on
    the design's time steps (typical days, or the full year)."""
    inputs = build_inputs(scenario) if inputs is None else inputs
    steps = (
        inputs
        if aggregation is None
        else aggregate(inputs, aggregation, clustering_features(scenario, inputs))
    )
    cheapest = build_model(scenario, steps)
    solve(cheapest, options)
    least = build_model(scenario, steps, objective="co2")
    return pyo.value(cheapest.model.total_co2_kg) / 1e3, solve(least, options).objective / 1e3


def pareto_front(
    scenario: Scenario,
    points: int = 5,
    aggregation: Aggregation | None = DEFAULT_AGGREGATION,
    options: SolveOptions | None = None,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
    inputs: xr.Dataset | None = None,
) -> pd.DataFrame:
    """``points`` designs from least cost to least CO2: one row each with the cap (t/year,
    none for the cheapest), the full-year cost (EUR/year), CO2 (t/year), EUR/GJ and the
    sizes. ``inputs`` replaces the scenario's hourly inputs (as in
    :func:`optimiser.workflows.run.optimise`)."""
    if points < 2:
        raise ValueError("a trade-off needs at least 2 points")
    options = options or SolveOptions()
    rows = []
    progress(0, points)
    _, cheapest = optimise(scenario, options, inputs=inputs, aggregation=aggregation)
    rows.append(_row(None, cheapest))
    progress(1, points)
    top, bottom = co2_range_tonne(scenario, aggregation, options, inputs)
    # a hair above the least CO2, so that rounding in the solver does not cut it off
    caps = np.linspace(top, bottom * (1 + 1e-6) + 1e-6, points)[1:]
    for k, cap in enumerate(caps, start=2):
        try:
            _, summary = optimise(
                scenario, options, inputs=inputs, aggregation=aggregation, co2_cap_tonne=float(cap)
            )
            rows.append(_row(float(cap), summary))
        except InfeasibleError as error:
            rows.append({"co2_cap_tonne": float(cap), "note": "", "error": str(error)})
        progress(k, points)
    return pd.DataFrame(rows)


CAP_TOLERANCE = 1e-4
"""Full-year CO2 above the cap by more than this share is reported (rounding is not)."""


def _row(cap: float | None, summary: dict) -> dict:
    co2 = summary["co2_tonne_per_year"]
    note = ""
    if cap is not None and co2 > cap * (1 + CAP_TOLERANCE):
        note = (
            f"full-year CO2 {co2:,.1f} t is above the cap {cap:,.1f} t, which holds on the"
            " typical days: the full-year check dispatches the design at least cost"
        )
    if not summary["solver"].get("proven", True):
        note = "; ".join(filter(None, [note, summary["solver"]["verdict"]]))
    return {
        "co2_cap_tonne": cap,
        "co2_tonne": co2,
        "cost_eur": summary["total_cost_eur_per_year"],
        "lcoh_eur_per_gj": summary["levelised_cost_of_heat_eur_per_gj"],
        **{f"size:{label}": size["value"] for label, size in summary["sizes"].items()},
        "note": note,
        "error": "",
    }


def fig_pareto(front: pd.DataFrame) -> go.Figure:
    """Full-year cost against CO2 of the trade-off's designs."""
    solved = front[front["error"] == ""]
    fig = go.Figure(
        go.Scatter(
            x=solved["co2_tonne"],
            y=solved["cost_eur"] / 1e3,
            mode="lines+markers",
            text=[f"cap {c:,.0f} t" if pd.notna(c) else "no cap" for c in solved["co2_cap_tonne"]],
        )
    )
    fig.update_layout(
        title="Cost against CO2 (epsilon constraint)",
        template="plotly_white",
        xaxis={"title": "CO2 (t/year)"},
        yaxis={"title": "total cost (kEUR/year)"},
    )
    return fig

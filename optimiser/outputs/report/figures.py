"""Figures of a result, each a plain function returning a ``plotly`` Figure.

Usable from a notebook as well as by the report: ``fig_capacities(ds).show()``. Every
technology keeps its colour across figures (:data:`COLOURS`) and every axis its unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

COLOURS = {
    "grid": "#7f7f7f",
    "gas_grid": "#8c564b",
    "pv": "#f2c200",
    "battery": "#9467bd",
    "heat_pump": "#d62728",
    "teo": "#1f77b4",
    "ates": "#17becf",
    "heat_buffer": "#ff7f0e",
    "backup_boiler": "#5c3d2e",
    "water_treatment": "#2ca02c",
    "process_water_tank": "#98df8a",
    "wastewater_heat": "#bcbd22",
    "factory_heat": "#e377c2",
    "drinking_water": "#aec7e8",
    "sewer": "#c49c94",
    "heat_network": "#393b79",
    "building_upgrade": "#637939",
    "heat_demand": "#c7c7c7",
    "electricity_demand": "#c7c7c7",
    "network_loss": "#8f8f8f",
}
"""One colour per component, the same in every figure."""

DEMANDS = {"heat_demand", "electricity_demand", "network_loss", "drinking_water_demand"}


def colour(component: str) -> str:
    """The component's colour (grey for demands and anything unlisted)."""
    return COLOURS.get(component, "#b0b0b0")


def _tint(hex_colour: str, share: float = 0.55) -> str:
    """The colour mixed with ``share`` white (a lighter shade of the same hue)."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in rgb)


def _layout(fig: go.Figure, title: str, **axes) -> go.Figure:
    fig.update_layout(title=title, template="plotly_white", margin={"t": 60, "b": 40}, **axes)
    return fig


def fig_capacities(ds: xr.Dataset) -> go.Figure:
    """Installed sizes, one panel per unit (kW, kWh, modules, doublets ...) so that no two
    units share an axis, and the annual cost per component (kEUR/year) on the right."""
    sizes = [
        (str(label), float(v), str(u))
        for label, v, u in zip(
            ds["size"].values, ds["size_value"].values, ds["size_unit"].values, strict=True
        )
        if v > 1e-6 and str(u) not in ("yes/no",)
    ]
    units = list(dict.fromkeys(unit for _, _, unit in sizes))
    cost = ds["cost_eur_per_year"].sum("cost_kind")
    widths = [1.0] * len(units) + [max(1.5, 0.5 * len(units))]
    fig = make_subplots(
        rows=1,
        cols=len(units) + 1,
        column_widths=widths,
        subplot_titles=[f"size ({unit})" for unit in units] + ["annual cost (kEUR/year)"],
        horizontal_spacing=0.06,
    )
    for col, unit in enumerate(units, start=1):
        chosen = [(label, v) for label, v, u in sizes if u == unit]
        fig.add_bar(
            x=[label for label, _ in chosen],
            y=[v for _, v in chosen],
            marker_color=[colour(label.split(".")[0]) for label, _ in chosen],
            name=unit,
            row=1,
            col=col,
        )
        counted = unit in ("modules", "doublets", "wells")
        fig.update_yaxes(
            title_text=unit, tickformat=",~g", dtick=1 if counted else None, row=1, col=col
        )
    components = [str(c) for c in ds["component"].values if abs(float(cost.sel(component=c))) > 1]
    fig.add_bar(
        x=components,
        y=[float(cost.sel(component=c)) / 1e3 for c in components],
        marker_color=[colour(c) for c in components],
        name="annual cost",
        row=1,
        col=len(units) + 1,
    )
    fig.update_yaxes(title_text="kEUR/year", tickformat=",.0f", row=1, col=len(units) + 1)
    return _layout(fig, "Installed capacities (by unit) and their annual cost", showlegend=False)


def _annual(ds: xr.Dataset, component: str, carrier: str) -> float:
    flow = ds["flow"].sel(component=component, carrier=carrier)
    return float((flow * ds["weight"]).sum())


def fig_sankey(ds: xr.Dataset, carriers: tuple[str, ...] | None = None) -> go.Figure:
    """Energy (MWh/year) or water (m3/year) over the year: sources -> carriers -> uses.

    Each component's annual inflow to a carrier is a link component -> carrier, each
    outflow a link carrier -> component; energy and water carriers are drawn apart.
    Carrier nodes are bracketed so that a component named like its carrier (the
    ``drinking_water`` utility, the homes' ``wastewater``) is not drawn as a loop. In a
    water Sankey, water a plant takes in but does not pass on (a treatment's
    concentrate to the sewer) is drawn to a ``<plant> reject`` node, so every plant
    balances.
    """
    units = dict(
        zip(ds["carrier"].values.astype(str), ds["carrier_unit"].values.astype(str), strict=True)
    )
    chosen = carriers or tuple(c for c, u in units.items() if u == "kW")
    water = all(units[c] == "m3/h" for c in chosen)
    scale = 1.0 if water else 1e-3
    labels: list[str] = []

    def node(name: str) -> int:
        if name not in labels:
            labels.append(name)
        return labels.index(name)

    stores = set(ds["storage"].values.astype(str))
    sources, targets, values, colours = [], [], [], []
    taken: dict[str, float] = {}  # per component: what it draws, less what it supplies
    for carrier in chosen:
        for component in ds["component"].values.astype(str):
            flow = ds["flow"].sel(component=component, carrier=carrier)
            into = float((flow.clip(min=0) * ds["weight"]).sum()) * scale
            out = float(((-flow).clip(min=0) * ds["weight"]).sum()) * scale
            if component in stores and into > 1e-6 and out > 1e-6:
                # a store only shifts in time: show what it loses, not a loop
                into, out = max(into - out, 0.0), max(out - into, 0.0)
                if out > 1e-6:
                    sources.append(node(f"[{carrier}]"))
                    targets.append(node(f"{component} losses"))
                    values.append(out)
                    colours.append(colour(component))
                continue
            taken[component] = taken.get(component, 0.0) + out - into
            if into > 1e-6:
                sources.append(node(component))
                targets.append(node(f"[{carrier}]"))
                values.append(into)
                colours.append(colour(component))
            if out > 1e-6:
                # a component on both sides (grid import and export) gets a second node
                sink = f"{component} (export)" if into > 1e-6 else component
                sources.append(node(f"[{carrier}]"))
                targets.append(node(sink))
                values.append(out)
                colours.append(colour(component))
    if water:
        # water a plant takes in and passes on in part (a treatment's concentrate, which
        # goes to the sewer as a cost, not as a flow) leaves it as its reject
        for component, lost in taken.items():
            if lost > 1e-6 and component in labels and node(component) in sources:
                sources.append(node(component))
                targets.append(node(f"{component} reject"))
                values.append(lost)
                colours.append(colour(component))
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "color": [colour(label.split(" ")[0]) for label in labels],
                "pad": 28,
                "thickness": 16,
                "line": {"width": 0},
            },
            textfont={"size": 12, "color": "#222"},
            link={"source": sources, "target": targets, "value": values, "color": colours},
            valueformat=",.0f",
            valuesuffix=" m3/year" if water else " MWh/year",
        )
    )
    kind = "Water" if water else "Energy"
    unit = "m3/year" if water else "MWh/year"
    # labels need room: the height grows with the number of nodes
    return _layout(fig, f"{kind} flows over the year ({unit})", height=max(480, 34 * len(labels)))


def _week_slice(ds: xr.Dataset, week: int | None) -> slice:
    """Hours of the given week (0-based), or of the week with the highest heat demand."""
    hours = ds.sizes["time"]
    if week is None:
        heat = ds["heat_demand_kw"].sum("consumer").values
        peak = int(np.argmax(heat))
        start = max(0, min(peak - 84, hours - 168))
    else:
        start = max(0, min(week * 168, hours - 168))
    return slice(start, start + 168)


def fig_dispatch(
    ds: xr.Dataset, carrier: str = "network_heat", week: int | None = None
) -> go.Figure:
    """Stacked supply and use of one carrier, hour by hour, over a week (default: the week
    around the peak heat hour); supply above zero, use below (kW or m3/h)."""
    window = ds.isel(time=_week_slice(ds, week))
    unit = str(ds["carrier_unit"].sel(carrier=carrier).values)
    fig = go.Figure()
    stores = set(ds["storage"].values.astype(str))
    for component in ds["component"].values.astype(str):
        flow = window["flow"].sel(component=component, carrier=carrier)
        for sign, group in ((1, "supply"), (-1, "use")):
            part = (sign * flow).clip(min=0)
            if float(part.max()) > 1e-6:
                # a store's charging (use) is hatched in a lighter shade, its discharge solid
                store = component in stores
                charging = store and sign < 0
                role = "charge" if charging else "discharge" if store else group
                fig.add_scatter(
                    x=window["time"].values,
                    y=sign * part.values,
                    name=f"{component} ({role})",
                    stackgroup=group,
                    line={"width": 0.5, "color": colour(component)},
                    fillcolor=_tint(colour(component)) if charging else colour(component),
                    fillpattern={"shape": "/", "fgcolor": colour(component)} if charging else None,
                )
    return _layout(
        fig,
        f"Hourly {carrier.replace('_', ' ')} balance, one week",
        xaxis={"title": "time (local standard time)"},
        yaxis={"title": f"flow ({unit}); supply > 0, use < 0"},
    )


def fig_heatmap(ds: xr.Dataset, component: str, carrier: str) -> go.Figure:
    """Hour of day x day of year of one component's flow into a carrier (full year only)."""
    flow = ds["flow"].sel(component=component, carrier=carrier).values
    days = len(flow) // 24
    grid = flow[: days * 24].reshape(days, 24).T
    unit = str(ds["carrier_unit"].sel(carrier=carrier).values)
    fig = go.Figure(
        go.Heatmap(
            z=grid,
            x=np.arange(1, days + 1),
            y=np.arange(24),
            colorscale="RdBu_r",
            zmid=0,
            colorbar={"title": unit},
        )
    )
    return _layout(
        fig,
        f"{component} into {carrier.replace('_', ' ')} over the year",
        xaxis={"title": "day of year"},
        yaxis={"title": "hour of day"},
    )


def fig_seasonal(ds: xr.Dataset) -> go.Figure:
    """ATES state of charge (MWh) and the surface-water temperature (°C) over the year,
    with the heat pumps' COP (daily means)."""
    fig = go.Figure()
    days = pd.DatetimeIndex(ds["time"].values).floor("D")
    if "ates" in ds["storage"].values:
        level = ds["level_kwh"].sel(storage="ates").values / 1e3
        fig.add_scatter(x=ds["time"].values, y=level, name="ATES stored heat (MWh)",
                        line={"color": colour("ates")})  # fmt: skip
    daily = pd.Series(ds["surface_water_c"].values, index=days).groupby(level=0).mean()
    fig.add_scatter(x=daily.index, y=daily.values, name="surface water (°C)", yaxis="y2",
                    line={"color": colour("teo"), "dash": "dot"})  # fmt: skip
    if "heat_pump_cop" in ds:
        cop = pd.Series(ds["heat_pump_cop"].values, index=days).groupby(level=0).mean()
        fig.add_scatter(x=cop.index, y=cop.values, name="heat-pump COP (-)", yaxis="y2",
                        line={"color": colour("heat_pump")})  # fmt: skip
    return _layout(
        fig,
        "Seasonal storage, water temperature and heat-pump COP",
        xaxis={"title": "date"},
        yaxis={"title": "ATES stored heat (MWh)", "tickformat": ",.0f"},
        yaxis2={
            "title": "°C and COP (-)",
            "overlaying": "y",
            "side": "right",
            "tickmode": "linear",
            "tick0": 0,
            "dtick": 2,
            "rangemode": "tozero",
            "showgrid": False,
        },
    )


def fig_allocation(allocation: dict) -> go.Figure:
    """Cost per party under each rule (grouped bars) next to its stand-alone cost (EUR/year);
    rules outside the core are marked in the legend."""
    parties = allocation["players"]
    fig = go.Figure()
    fig.add_bar(x=parties, y=[allocation["stand_alone"][p] for p in parties], name="stand alone",
                marker_color="#444444")  # fmt: skip
    for rule, shares in allocation["rules"].items():
        in_core = allocation["core"][rule]["in_core"]
        fig.add_bar(x=parties, y=[shares[p] for p in parties],
                    name=rule + ("" if in_core else " (not in core)"))  # fmt: skip
    return _layout(
        fig,
        "Cost allocation per party and rule",
        barmode="group",
        xaxis={"title": "party"},
        yaxis={"title": "allocated cost (EUR/year)"},
    )


def fig_nmdn(tariff: pd.DataFrame) -> go.Figure:
    """Niet Meer Dan Nu: per household type, the yearly cost of heat per home today with
    gas, at the regulated cap and with the cooperative, as the household pays it (VAT
    and the connection contribution's annuity included; EUR/year)."""
    homes = tariff[tariff["household"].astype(str) == "True"]
    fig = go.Figure()
    for column, name, shade in (
        ("bill_now_eur", "today (gas)", "#8c564b"),
        ("bill_cap_eur", "ACM cap (NMDA)", "#bbbbbb"),
        ("bill_cooperative_eur", "cooperative", "#2ca02c"),
    ):
        fig.add_bar(x=homes["type"], y=homes[column], name=name, marker_color=shade)
    return _layout(
        fig,
        "Niet Meer Dan Nu: yearly heat bill per home",
        barmode="group",
        xaxis={"title": "household type"},
        yaxis={"title": "EUR/year per home, incl. VAT and contribution", "tickformat": ",.0f"},
    )


def fig_cash_flows(cash: pd.DataFrame) -> go.Figure:
    """The cooperative's yearly cash flows (bars, EUR/year), its cumulative cash and the
    loans' outstanding balance (lines, EUR)."""
    fig = go.Figure()
    inflow = sum(cash[c] for c in ("grants", "contributions", "equity", "loans") if c in cash)
    fig.add_bar(x=cash["year"], y=cash["cash_from_operations"], name="cash from operations",
                marker_color="#2ca02c")  # fmt: skip
    fig.add_bar(x=cash["year"], y=inflow, name="grants, contributions, equity, loans",
                marker_color="#9ecae1")  # fmt: skip
    fig.add_bar(x=cash["year"], y=-cash["debt_service"], name="debt service",
                marker_color="#d62728")  # fmt: skip
    fig.add_bar(x=cash["year"], y=-cash["investment"], name="investment and replacements",
                marker_color="#7f7f7f")  # fmt: skip
    cumulative = cash["cumulative_cash"] if "cumulative_cash" in cash else cash["net_cash"].cumsum()
    fig.add_scatter(x=cash["year"], y=cumulative, name="cumulative cash",
                    line={"color": "black"})  # fmt: skip
    if "loan_balance" in cash:
        fig.add_scatter(x=cash["year"], y=cash["loan_balance"], name="loan balance",
                        line={"color": "#d62728", "dash": "dash"})  # fmt: skip
    return _layout(
        fig,
        "Cash flows of the cooperative, its cumulative cash and the loan balance",
        barmode="relative",
        xaxis={"title": "project year"},
        yaxis={"title": "EUR/year (lines: EUR)", "tickformat": ",.3~s"},
    )

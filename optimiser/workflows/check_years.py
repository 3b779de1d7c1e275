"""A finished design on other weather years: what it cannot serve, what it costs.

Each year's profiles (weather, PV, heat demand, surface water, network loss) are
rebuilt from that year's measured KNMI weather; every size of the design is fixed,
including the capacities the full-year check sizes by the peak (backup boiler, grid
contract): they are what was built. One full-year dispatch per year through
:func:`optimiser.workflows.run._check` (the penalised re-solve reports unmet heat when
the design falls short). The design rules on sizes (N-1) are left out: sizes are
given, the question is what the weather does to them.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from optimiser.errors import InputError
from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.profiles.knmi import knmi_year, read_knmi_hourly, select_year
from optimiser.inputs.scenario import Scenario
from optimiser.model.solve import SolveOptions
from optimiser.outputs.results import extract, summarise
from optimiser.outputs.series import annual_total
from optimiser.workflows.run import _check, ates_permit_metadata

UNMET_KW = 1e-3
"""Shortfall (kW) below which an hour counts as served (solver tolerance)."""


def _year_scenario(scenario: Scenario, year: int) -> Scenario:
    """The scenario with its weather replaced by measured year ``year``."""
    weather = scenario.weather
    if weather.source == "default":
        knmi_year(year)
    elif weather.source == "knmi":
        site = scenario.site
        data = read_knmi_hourly(weather.file, site.latitude, site.longitude)
        select_year(data, year, weather.file)
    else:
        raise InputError(
            f"checking weather years needs KNMI years, the model's weather source is "
            f"'{weather.source}'",
            field="weather.source",
            fix="use source 'default' (shipped De Bilt 2011-2024) or 'knmi' with a multi-year file",
        )
    return scenario.model_copy(update={"weather": weather.model_copy(update={"year": year})})


def year_figures(ds: xr.Dataset) -> dict[str, float]:
    """Unmet heat, cost, CO2, heat-pump seasonal COP and backup heat of one checked year."""
    summary = summarise(ds)
    if "unmet" in ds:
        unmet = ds["unmet"].sel(carrier="network_heat")
        short = unmet > UNMET_KW
        unmet_mwh = float(annual_total(ds, unmet)) / 1e3
        hours = float((short * ds["weight"]).sum())
        worst = float(unmet.max())
    else:
        unmet_mwh = hours = worst = 0.0
    flows = ds["flow"]
    components = set(ds["component"].values.astype(str))

    def annual(component: str, carrier: str) -> float:
        if component not in components or carrier not in ds["carrier"].values:
            return 0.0
        return float(annual_total(ds, flows.sel(component=component, carrier=carrier)))

    ates = summary.get("ates_balance", {})
    hp_heat = annual("heat_pump", "network_heat")
    hp_elec = -annual("heat_pump", "electricity")
    return {
        "unmet_heat_mwh": unmet_mwh,
        "unmet_hours": hours,
        "worst_unmet_kw": worst,
        "total_cost_eur_per_year": summary["total_cost_eur_per_year"],
        "co2_tonne_per_year": summary["co2_tonne_per_year"],
        "heat_delivered_mwh": summary["heat_delivered_mwh"],
        "heat_pump_seasonal_cop": hp_heat / hp_elec if hp_elec > 0 else float("nan"),
        "backup_heat_mwh": annual("backup_boiler", "network_heat") / 1e3,
        "min_temp_air_c": float(ds["temp_air"].min()),
        "ates_injected_mwh": ates.get("injected_mwh", 0.0),
        "ates_extracted_mwh": ates.get("extracted_mwh", 0.0),
    }


PERMIT_YEARS = 5
"""Dutch open-ATES permits: no net heat added to the ground over any 5-year period
(SIKB / meldingbodemenergie.nl, REFERENCE-FIGURES)."""


def ates_windows(
    table: pd.DataFrame, cold_band: float, heat_band: float
) -> dict[str, float | str | bool] | None:
    """The ATES heat balance over every run of :data:`PERMIT_YEARS` consecutive checked
    years, as the permit counts it: net heat added (injected - extracted, MWh) and its
    share of the heat injected; the window with the largest share, and whether every
    window stays within the permit's band, ``-cold_band <= share <= heat_band`` (the
    model's ``balance_tolerance`` and ``heat_surplus_tolerance``), and adds no net heat.
    None without an ATES or without 5 consecutive years."""
    if table["ates_injected_mwh"].sum() <= 0:
        return None
    years = list(table.index)
    windows = []
    for i in range(len(years) - PERMIT_YEARS + 1):
        span = years[i : i + PERMIT_YEARS]
        if span[-1] - span[0] != PERMIT_YEARS - 1:
            continue
        rows = table.loc[span]
        net = float((rows["ates_injected_mwh"] - rows["ates_extracted_mwh"]).sum())
        injected = float(rows["ates_injected_mwh"].sum())
        windows.append((net / injected if injected > 0 else 0.0, net, f"{span[0]}-{span[-1]}"))
    if not windows:
        return None
    share, net, span = max(windows)
    return {
        "worst_window": span,
        "net_heat_added_mwh": net,
        "share_of_injected": share,
        "cold_band": cold_band,
        "heat_band": heat_band,
        "every_window_within_band": all(
            -cold_band - 1e-9 <= w[0] <= heat_band + 1e-9 for w in windows
        ),
        "every_window_adds_no_net_heat": all(w[1] <= 1e-6 for w in windows),
    }


def year_scenarios(scenario: Scenario, years: list[int]) -> dict[int, Scenario]:
    """The scenario on each weather year; InputError at once if a year is not available
    (call before the design solve so a bad range fails fast)."""
    return {year: _year_scenario(scenario, year) for year in years}


def check_years(
    scenarios: dict[int, Scenario],
    design: xr.Dataset,
    options: SolveOptions,
    progress: Callable[[int], None] = lambda _year: None,
    done: Callable[[int, dict[str, float]], None] = lambda _year, _row: None,
) -> pd.DataFrame:
    """Dispatch the design of ``design`` (a result of ``optimise``) on each year's
    scenario (from :func:`year_scenarios`); ``progress(year)`` before and
    ``done(year, figures)`` after each year.

    Returns one row per year (index ``year``) with the columns of :func:`year_figures`.
    """
    sizes = json.loads(design.attrs["sizes_json"])
    rows = {}
    for year, year_scenario in scenarios.items():
        progress(year)
        inputs = build_inputs(year_scenario)
        builder, solution, _ = _check(year_scenario, inputs, sizes, options, design_rules=False)
        rows[year] = year_figures(extract(builder, solution, ates_permit_metadata(year_scenario)))
        done(year, rows[year])
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("year")


def worst_year(table: pd.DataFrame) -> dict[str, float | int | str]:
    """The year with the most unmet heat (then the deepest shortfall, then the highest
    cost), and in words why it is the worst."""
    ranked = table.sort_values(
        ["unmet_heat_mwh", "worst_unmet_kw", "total_cost_eur_per_year"], ascending=False
    )
    year = int(ranked.index[0])
    row = ranked.iloc[0]
    if row["unmet_heat_mwh"] > 0:
        why = (
            f"{row['unmet_heat_mwh']:,.1f} MWh unmet over {row['unmet_hours']:,.0f} h, "
            f"up to {row['worst_unmet_kw']:,.0f} kW"
        )
    else:
        why = (
            f"all heat served in every year; highest cost {row['total_cost_eur_per_year']:,.0f} EUR"
        )
    return {
        "year": year,
        "reason": why,
        "years_with_unmet_heat": int((table["unmet_heat_mwh"] > 0).sum()),
        "max_cost_eur_per_year": float(np.max(table["total_cost_eur_per_year"])),
    }


def check_on_years(
    scenarios: dict[int, Scenario],
    design: xr.Dataset,
    summary: dict,
    options: SolveOptions,
    status,
    console,
) -> pd.DataFrame:
    """The CLI's check: run :func:`check_years` with progress lines, add the per-year
    table and the worst year to ``summary["check_years"]``; return the table."""

    def progress(year: int) -> None:
        status.update(f"Checking the design on weather year {year}")
        console.log(f"Checking the design on weather year {year}")

    def done(year: int, row: dict[str, float]) -> None:
        console.log(
            f"{year}: unmet {row['unmet_heat_mwh']:,.1f} MWh, cost "
            f"{row['total_cost_eur_per_year']:,.0f} EUR/year"
        )

    table = check_years(scenarios, design, options, progress, done)
    summary["check_years"] = {
        "worst": worst_year(table),
        "years": {str(y): row.to_dict() for y, row in table.iterrows()},
    }
    ates = next(iter(scenarios.values())).technologies.ates
    if ates is not None:
        summary["check_years"]["ates_permit"] = ates_windows(
            table, ates.balance_tolerance, ates.heat_surplus_tolerance
        )
    return table


def print_years(table: pd.DataFrame, result: dict, console) -> None:
    """The per-year table and the worst year, on the console."""
    from rich.table import Table

    out = Table(title="design checked on weather years (sizes fixed)", show_edge=False)
    columns = {
        "min_temp_air_c": ("T min °C", "{:.1f}"),
        "unmet_heat_mwh": ("unmet MWh", "{:,.1f}"),
        "unmet_hours": ("unmet h", "{:,.0f}"),
        "worst_unmet_kw": ("worst kW", "{:,.0f}"),
        "total_cost_eur_per_year": ("cost kEUR/yr", "{:,.0f}"),
        "co2_tonne_per_year": ("CO2 t/yr", "{:,.0f}"),
        "heat_pump_seasonal_cop": ("HP SCOP", "{:.2f}"),
        "backup_heat_mwh": ("backup MWh", "{:,.0f}"),
    }
    out.add_column("year")
    for title, _ in columns.values():
        out.add_column(title, justify="right")
    for year, row in table.iterrows():
        shown = {**row.to_dict(), "total_cost_eur_per_year": row["total_cost_eur_per_year"] / 1e3}
        out.add_row(str(year), *(fmt.format(shown[c]) for c, (_, fmt) in columns.items()))
    console.print(out)
    worst = result["worst"]
    console.print(f"worst year: {worst['year']} ({worst['reason']})")
    permit = result.get("ates_permit")
    if permit:
        verdict = "within" if permit["every_window_within_band"] else "OUTSIDE"
        rule = (
            "no window adds net heat to the ground"
            if permit["every_window_adds_no_net_heat"]
            else "[bold red]net heat added (stored heat lost to the ground counts as added):"
            " the permit's no-net-heat rule is NOT met[/]"
        )
        band = (
            "the exact balance the model holds each year"
            if permit["cold_band"] == permit["heat_band"] == 0
            else f"the band ({-permit['cold_band']:+.0%} to {permit['heat_band']:+.0%} of injected)"
        )
        console.print(
            f"ATES balance over {PERMIT_YEARS} years: every window {verdict} {band}; "
            f"worst {permit['worst_window']}: {permit['net_heat_added_mwh']:+,.0f} MWh net "
            f"heat added ({permit['share_of_injected']:+.1%} of injected); {rule}"
        )

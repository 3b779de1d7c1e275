"""Yearly totals and hourly values of a results Dataset, which the summary, the economics
(levies, water accounting) and the output tables all need: kept apart from
:mod:`optimiser.outputs.results` so that those modules do not import each other."""

from __future__ import annotations

import xarray as xr


def annual_total(ds: xr.Dataset, values: xr.DataArray) -> xr.DataArray:
    """Weighted sum over time of an hourly series: kWh/year of kW, m3/year of m3/h."""
    return (values * ds["weight"]).sum("time")


def heat_delivered_kwh(ds: xr.Dataset) -> float:
    """Heat delivered to the consumers in a year (kWh), network losses excluded."""
    return float(annual_total(ds, ds["heat_demand_kw"].sum("consumer")))


def electricity_value_eur_per_kwh(ds: xr.Dataset) -> xr.DataArray:
    """Marginal value of electricity per hour: import price when the grid imports, else
    export price (the electricity a heat pump used could otherwise have been sold)."""
    grid = ds["flow"].sel(component="grid", carrier="electricity")
    importing = grid > 1e-6
    return xr.where(
        importing, ds["electricity_import_eur_per_kwh"], ds["electricity_export_eur_per_kwh"]
    )

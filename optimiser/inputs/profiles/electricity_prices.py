"""Hourly electricity prices under Dutch tariffs: day-ahead + supplier margin, - export fee.

The import price in the inputs (``electricity_import_eur_per_kwh``) is then the energy
price only: day-ahead + the supplier's margin. Energy tax (per connection, in brackets)
and DSO charges are added by the connection components, because they depend on the
connection's yearly use and peaks. Export earns day-ahead - the export fee.
"""

from __future__ import annotations

import json

import numpy as np

from optimiser.inputs.electricity import DEFAULT_DAY_AHEAD_FILE
from optimiser.inputs.profiles.day_ahead import read_entsoe_prices, read_plain_prices
from optimiser.inputs.scenario import Scenario


def day_ahead_eur_per_kwh(scenario: Scenario) -> tuple[np.ndarray, bool]:
    """The day-ahead series (EUR/kWh, 8760 model hours) and whether it is synthetic."""
    el = scenario.prices.electricity
    if el.day_ahead == "synthetic":
        return read_plain_prices(DEFAULT_DAY_AHEAD_FILE), True
    if el.day_ahead_format == "entsoe":
        return read_entsoe_prices(el.day_ahead, scenario.site.utc_offset_hours), False
    return read_plain_prices(el.day_ahead), False


def tariff_price_variables(scenario: Scenario, household_kw: np.ndarray) -> tuple[dict, dict]:
    """Hourly price variables and the attributes that record the tariffs for the outputs."""
    el = scenario.prices.electricity
    day_ahead, synthetic = day_ahead_eur_per_kwh(scenario)
    t = ("time",)
    money = {"units": "EUR/kWh"}
    variables = {
        "electricity_day_ahead_eur_per_kwh": (t, day_ahead, money),
        "electricity_import_eur_per_kwh": (t, day_ahead + el.supplier_margin_eur_per_kwh, money),
        "electricity_export_eur_per_kwh": (t, day_ahead - el.export_fee_eur_per_kwh, money),
        "household_electricity_kw": (t, household_kw, {"units": "kW"}),
    }
    record = {
        "day_ahead": "synthetic" if synthetic else str(el.day_ahead),
        "synthetic": synthetic,
        "year": el.year,
        "net_metering": el.net_metering,
        "supplier_margin_eur_per_kwh": el.supplier_margin_eur_per_kwh,
        "export_fee_eur_per_kwh": el.export_fee_eur_per_kwh,
        "energy_tax_file": str(el.energy_tax_file),
        "dso_file": str(el.dso_file),
        "energy_centre_tax_refund": el.energy_centre_tax_refund,
        "private_grid": el.private_grid is not None,
        "private_grid_refund_per_home": el.private_grid is not None
        and el.private_grid.refund_per_home,
        "households": [g.name for g in scenario.demand.households],
        "businesses": [g.name for g in scenario.demand.businesses],
    }
    return variables, {"electricity_tariffs_json": json.dumps(record)}

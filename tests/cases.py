"""Small scenarios and hand-made inputs for model cases computable by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from optimiser.inputs.scenario import Scenario

REPO = Path(__file__).resolve().parents[1]

NO_NETWORK_COSTS = {
    "mains_eur_per_m": 0.0, "house_connection_eur": 0.0,
    "delivery_set_eur_per_home_equivalent": 0.0, "building_works_eur_per_home_equivalent": 0.0,
    "energy_centre_eur": 0.0, "grid_connection_eur": 0.0,
    "project_development_eur_per_home_equivalent": 0.0, "contingency_fraction": 0.0,
    "staff_eur_per_year": 0.0, "metering_billing_eur_per_meter_year": 0.0,
    "insurance_fraction_per_year": 0.0,
}  # fmt: skip
"""``network.costs`` that switch the network's cost lines off, for cases computed by hand."""


def scenario_from(**sections) -> Scenario:
    """A validated scenario with a minimal base, overridden by ``sections``."""
    base = {
        "name": "test",
        "site": {"latitude": 52.1, "longitude": 5.18, "year": 2025},
        "demand": {"households": [{"name": "homes", "count": 1, "annual_heat_kwh": 1.0}]},
        "technologies": {},
        "prices": {
            "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
        },
        "finance": {"discount_rate": 0.0},
        "emissions": {"electricity_kg_per_kwh": 0.3},
        "network": {
            "heat_loss_fraction": 0.0,
            "pumping_kwh_per_kwh": 0.0,
            "costs": NO_NETWORK_COSTS,
        },
    }
    base.update(sections)
    return Scenario.model_validate(base)


def hand_inputs(
    hours: int,
    heat_kw: float | np.ndarray = 0.0,
    electricity_kw: float | np.ndarray = 0.0,
    pv_kw_per_kwp: float | np.ndarray = 0.0,
    temp_air: float | np.ndarray = 5.0,
    surface_water_c: float | np.ndarray = 10.0,
    supply_c: float | np.ndarray = 55.0,
    source_c: float = 18.0,
    source_return_c: float | None = None,
    import_eur_per_kwh: float = 0.30,
    export_eur_per_kwh: float = 0.0,
    gas_eur_per_kwh: float = 0.10,
    weight: float = 1.0,
    water: dict[str, float | np.ndarray] | None = None,
) -> xr.Dataset:
    """Inputs in the shape of :func:`optimiser.inputs.profiles.inputs.build_inputs`, by hand.

    ``water`` gives the water series (m3/h unless named otherwise) by their input name
    without suffix: ``drinking_water_demand``, ``wastewater``, ``toilet_water``,
    ``process_water_demand``, ``factory_heat_kw``, ``drinking_water_eur_per_m3``,
    ``sewer_eur_per_m3``; missing ones are 0. ``source_return_c`` (cold well) defaults to
    ``source_c``, so the heat pump's mean source temperature is ``source_c``.
    """

    def series(value: float | np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=float), (hours,)).copy()

    t = ("time",)
    water_vars = {}
    if water is not None:
        w = {key: series(water.get(key, 0.0)) for key in (
            "drinking_water_demand", "wastewater", "toilet_water", "process_water_demand",
            "factory_heat_kw", "drinking_water_eur_per_m3", "sewer_eur_per_m3",
        )}  # fmt: skip
        water_vars = {
            "drinking_water_demand_m3_per_h": (
                ("consumer", "time"),
                w["drinking_water_demand"][None],
            ),
            "wastewater_m3_per_h": (t, w["wastewater"]),
            "toilet_water_m3_per_h": (t, w["toilet_water"]),
            "process_water_demand_m3_per_h": (t, w["process_water_demand"]),
            "factory_heat_kw": (t, w["factory_heat_kw"]),
            "factory_heat_c": ((), float(water.get("factory_heat_c", 45.0))),
            "drinking_water_eur_per_m3": (t, w["drinking_water_eur_per_m3"]),
            "sewer_eur_per_m3": (t, w["sewer_eur_per_m3"]),
            "treatment_levy_eur_per_m3": ((), float(water.get("levy_eur_per_m3", 0.0))),
        }
    return xr.Dataset(
        {
            "weight": (t, series(weight)),
            "temp_air": (t, series(temp_air)),
            "surface_water_c": (t, series(surface_water_c)),
            "network_supply_c": (t, series(supply_c)),
            "source_loop_c": (t, series(source_c)),
            "pv_kw_per_kwp": (t, series(pv_kw_per_kwp)),
            "heat_demand_kw": (("consumer", "time"), series(heat_kw)[None, :]),
            "electricity_demand_kw": (("consumer", "time"), series(electricity_kw)[None, :]),
            "network_heat_loss_kw": ((), 0.0),
            "network_pumping_kw": ((), 0.0),
            "network_return_c": ((), 40.0),
            "network_design_supply_c": ((), float(np.max(supply_c))),
            "source_return_c": ((), source_c if source_return_c is None else source_return_c),
            "design_heat_peak_kw": ((), float(np.max(heat_kw))),
            "peak_heat_kw": ((), float(np.max(series(heat_kw)))),
            "electricity_import_eur_per_kwh": (t, series(import_eur_per_kwh)),
            "electricity_export_eur_per_kwh": (t, series(export_eur_per_kwh)),
            "electricity_co2_kg_per_kwh": (t, series(0.3)),
            "gas_import_eur_per_kwh": (t, series(gas_eur_per_kwh)),
            "gas_co2_kg_per_kwh": (t, series(0.2)),
            **water_vars,
        },
        coords={
            "time": pd.date_range("2025-01-01", periods=hours, freq="h", name="time"),
            "consumer": ["homes"],
        },
    )

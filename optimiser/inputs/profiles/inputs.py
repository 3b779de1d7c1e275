"""All hourly inputs of a scenario as one labelled ``xarray.Dataset`` over ``time``.

This is the only place that turns a :class:`~optimiser.inputs.scenario.Scenario` into
numbers per hour; the model reads nothing else. Variables (units in ``attrs``):

- ``weight`` (time): hours of the year a step stands for (1 in a full-year run)
- ``temp_air``, ``surface_water_c``, ``network_supply_c`` (time), ``source_loop_c``: °C
- ``ghi`` (time): W/m2; ``pv_kw_per_kwp`` (time): kW AC per kWp
- ``heat_demand_kw``, ``electricity_demand_kw`` (consumer, time): kW per consumer group
- ``network_heat_loss_kw``: constant network loss, kW
- ``peak_heat_kw``: the year's peak of heat demand plus loss, kW (sizes the network's
  pipes and energy centre; kept when the year is reduced to typical days)
- ``{carrier}_import_eur_per_kwh``, ``{carrier}_export_eur_per_kwh``,
  ``{carrier}_co2_kg_per_kwh`` (time) for electricity and gas
- with a ``water`` section: water flows (m3/h), the factory's heat and water prices,
  see :func:`optimiser.inputs.profiles.water.water_variables`
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from optimiser.constants import GAS_LHV_KWH_PER_M3, HOURS_PER_YEAR
from optimiser.errors import InputError
from optimiser.inputs.profiles.demand import electricity_demand_shape, heat_demand_shape
from optimiser.inputs.profiles.hourly_csv import read_hourly_csv
from optimiser.inputs.profiles.pv import pv_output_per_kwp
from optimiser.inputs.profiles.surface_water import (
    read_surface_water_csv,
    surface_water_temperature,
)
from optimiser.inputs.profiles.water import water_variables
from optimiser.inputs.profiles.weather import load_weather
from optimiser.inputs.scenario import ConsumerGroup, Network, Scenario, catalogue
from optimiser.model.components.pv import PVParams

OUTDOOR_DESIGN_C = -10.0
"""Outdoor temperature at which the network runs at its full supply temperature (°C);
-10 °C is the Dutch design temperature (NEN 5060, De Bilt)."""

OUTDOOR_MILD_C = 15.0
"""Outdoor temperature from which the network runs at its mild supply temperature (°C)."""


def supply_temperature(temp_air: np.ndarray, network: Network) -> np.ndarray:
    """Network supply temperature per hour (°C): constant, or outdoor reset if configured."""
    full = network.supply_temperature_c
    mild = network.supply_temperature_mild_c
    if mild is None:
        return np.full_like(temp_air, full, dtype=float)
    share = np.clip((temp_air - OUTDOOR_DESIGN_C) / (OUTDOOR_MILD_C - OUTDOOR_DESIGN_C), 0, 1)
    return full - share * (full - mild)


def build_inputs(scenario: Scenario) -> xr.Dataset:
    """Weather, PV, demand, surface-water and price series of a scenario (8760 hours)."""
    site = scenario.site
    weather = load_weather(
        scenario.weather.source,
        scenario.weather.file,
        site.year,
        site.latitude,
        site.longitude,
        site.utc_offset_hours,
    )
    index = weather.index
    temp_air = weather["temp_air"]
    pv = scenario.technologies.pv
    pv_params = pv if pv is not None else _catalogue_pv()
    pv_per_kwp = pv_output_per_kwp(
        weather,
        site.latitude,
        site.longitude,
        pv_params.tilt_deg,
        pv_params.azimuth_deg,
        pv_params.system_loss_fraction,
        pv_params.inverter_efficiency,
        pv_params.dc_ac_ratio,
        pv_params.gamma_pdc_per_k,
    )
    sw = scenario.surface_water
    if sw.file is not None:
        water = read_surface_water_csv(sw.file, index)
    else:
        water = surface_water_temperature(
            temp_air, sw.time_constant_days, sw.lag_days, sw.floor_c, sw.slope, sw.offset_c
        )

    groups = scenario.demand.groups
    heat = np.vstack([_heat_kw(g, temp_air) for g in groups])
    elec = np.vstack([_electricity_kw(g, index) for g in groups])
    loss_fraction = scenario.network.heat_loss_fraction
    loss_kw = loss_fraction / (1.0 - loss_fraction) * heat.sum() / HOURS_PER_YEAR

    time = pd.DatetimeIndex(index.tz_localize(None), name="time")
    t = ("time",)
    ds = xr.Dataset(
        {
            "weight": (t, np.ones(len(index)), {"units": "h"}),
            "temp_air": (t, temp_air.to_numpy(dtype=float), {"units": "degC"}),
            "ghi": (t, weather["ghi"].to_numpy(dtype=float), {"units": "W m-2"}),
            "surface_water_c": (t, np.asarray(water, dtype=float), {"units": "degC"}),
            "network_supply_c": (
                t,
                supply_temperature(temp_air.to_numpy(dtype=float), scenario.network),
                {"units": "degC"},
            ),
            "source_loop_c": (
                t,
                np.full(len(index), scenario.network.source_temperature_c),
                {"units": "degC"},
            ),
            "pv_kw_per_kwp": (t, pv_per_kwp.to_numpy(dtype=float), {"units": "kW/kWp"}),
            "heat_demand_kw": (("consumer", "time"), heat, {"units": "kW"}),
            "electricity_demand_kw": (("consumer", "time"), elec, {"units": "kW"}),
            "network_heat_loss_kw": ((), loss_kw, {"units": "kW"}),
            "peak_heat_kw": ((), float(heat.sum(axis=0).max()) + loss_kw, {"units": "kW"}),
            **_price_variables(scenario, len(index)),
            **(water_variables(scenario, index) if scenario.water is not None else {}),
        },
        coords={
            "time": time,
            "consumer": [g.name for g in groups],
            "connections": ("consumer", [g.count for g in groups]),
        },
        attrs={"utc_offset_hours": site.utc_offset_hours, "year": site.year},
    )
    return ds


def _catalogue_pv() -> PVParams:
    """PV parameters from the catalogue, for the PV profile when PV is not a technology."""
    return PVParams(**catalogue()["pv"])


def _heat_kw(group: ConsumerGroup, temp_air: pd.Series) -> np.ndarray:
    """Heat demand of a consumer group (kW per hour, all its connections)."""
    return _scaled_profile(
        group.count * group.heat_kwh_per_connection,
        group.heat_profile_file,
        f"demand ({group.name}).heat_profile_file",
        lambda: heat_demand_shape(temp_air, group.heat_profile),
    )


def _electricity_kw(group: ConsumerGroup, index: pd.DatetimeIndex) -> np.ndarray:
    """Electricity demand of a consumer group (kW per hour, all its connections)."""
    return _scaled_profile(
        group.count * group.annual_electricity_kwh,
        group.electricity_profile_file,
        f"demand ({group.name}).electricity_profile_file",
        lambda: electricity_demand_shape(index, group.electricity_profile),
    )


def _scaled_profile(
    annual_kwh: float, file: Path | None, field: str, standard: Callable[[], np.ndarray]
) -> np.ndarray:
    """``annual_kwh`` spread over the hours by the shape in ``file`` (column ``kw``),
    or by the ``standard`` profile when there is no file."""
    if file is None:
        shape = standard()
    else:
        shape = read_hourly_csv(file, "kw", field)
        if shape.sum() <= 0:
            raise InputError("profile sums to zero", file=file, field=field)
    return annual_kwh * shape / shape.sum()


def _price_variables(scenario: Scenario, n: int) -> dict:
    """Import/export prices (EUR/kWh) and CO2 factors (kg/kWh) per hour and carrier."""
    el = scenario.prices.electricity
    if el.supply_file is not None:
        supply = read_hourly_csv(
            el.supply_file,
            "price_eur_per_kwh",
            "prices.electricity.supply_file",
            allow_negative=True,
        )
    else:
        supply = np.full(n, el.supply_eur_per_kwh)
    if el.export_file is not None:
        export = read_hourly_csv(
            el.export_file,
            "price_eur_per_kwh",
            "prices.electricity.export_file",
            allow_negative=True,
        )
    else:
        export = np.full(n, el.export_eur_per_kwh)
    t = ("time",)
    money = {"units": "EUR/kWh"}
    co2 = {"units": "kg/kWh"}
    variables = {
        "electricity_import_eur_per_kwh": (t, supply + el.energy_tax_eur_per_kwh, money),
        "electricity_export_eur_per_kwh": (t, export, money),
        "electricity_co2_kg_per_kwh": (
            t,
            np.full(n, scenario.emissions.electricity_kg_per_kwh),
            co2,
        ),
    }
    gas = scenario.prices.gas
    if gas is not None:
        per_kwh = (gas.supply_eur_per_m3 + gas.energy_tax_eur_per_m3) / GAS_LHV_KWH_PER_M3
        variables["gas_import_eur_per_kwh"] = (t, np.full(n, per_kwh), money)
        variables["gas_co2_kg_per_kwh"] = (
            t,
            np.full(n, scenario.emissions.gas_kg_per_m3 / GAS_LHV_KWH_PER_M3),
            co2,
        )
    return variables

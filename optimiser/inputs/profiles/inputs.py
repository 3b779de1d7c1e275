"""All hourly inputs of a scenario as one labelled ``xarray.Dataset`` over ``time``.

This is the only place that turns a :class:`~optimiser.inputs.scenario.Scenario` into
numbers per hour; the model reads nothing else. Variables (units in ``attrs``):

- ``weight`` (time): hours of the year a step stands for (1 in a full-year run)
- ``temp_air``, ``surface_water_c``, ``network_supply_c`` (time), ``source_loop_c``: °C
- ``ghi`` (time): W/m2; ``pv_kw_per_kwp`` (time): kW AC per kWp
- ``heat_demand_kw``, ``electricity_demand_kw`` (consumer, time): kW per consumer group
- ``network_heat_loss_kw``, ``network_pumping_kw`` (time): pipe heat loss and pump
  electricity, kW (:mod:`optimiser.inputs.profiles.network`)
- scalars ``network_return_c``, ``network_design_supply_c``, ``source_return_c`` (°C) and
  ``design_heat_peak_kw``: demand plus loss at the design outdoor temperature (kW)
- ``peak_heat_kw``: the year's peak of heat demand plus loss, kW (sizes the network's
  pipes and energy centre; kept when the year is reduced to typical days)
- ``{carrier}_import_eur_per_kwh``, ``{carrier}_export_eur_per_kwh``,
  ``{carrier}_co2_kg_per_kwh`` (time) for electricity and gas
- with Dutch tariffs (``prices.electricity.day_ahead``): ``electricity_day_ahead_eur_per_kwh``
  and ``household_electricity_kw`` (time), and the ``electricity_tariffs_json`` attribute,
  see :mod:`optimiser.inputs.profiles.electricity_prices`
- with a ``water`` section: water flows (m3/h), the factory's heat and water prices,
  see :func:`optimiser.inputs.profiles.water.water_variables`
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from optimiser.constants import GAS_LHV_KWH_PER_M3
from optimiser.errors import InputError
from optimiser.inputs.profiles.demand import (
    cooling_demand_shape,
    design_peak_share,
    electricity_demand_shape,
    heat_demand_shape,
)
from optimiser.inputs.profiles.electricity_prices import tariff_price_variables
from optimiser.inputs.profiles.hourly_csv import read_hourly_csv
from optimiser.inputs.profiles.network import (
    network_heat_loss_kw,
    network_pumping_kw,
    trench_length_m,
)
from optimiser.inputs.profiles.pv import pv_output_per_kwp
from optimiser.inputs.profiles.surface_water import (
    read_surface_water_csv,
    surface_water_temperature,
)
from optimiser.inputs.profiles.water import water_variables
from optimiser.inputs.profiles.weather import load_weather
from optimiser.inputs.profiles.weather_units import check_weather_units
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
        scenario.weather.year,
    )
    check_weather_units(weather, scenario.weather.file)
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
    network = scenario.network
    supply_c = supply_temperature(temp_air.to_numpy(dtype=float), network)
    length_m = trench_length_m(scenario)
    loss_kw = network_heat_loss_kw(network, supply_c, length_m, heat.sum(axis=0))
    pumping_kw = network_pumping_kw(network, heat.sum(axis=0), loss_kw)
    design_c = network.design_outdoor_temperature_c
    design_loss_kw = network_heat_loss_kw(
        network,
        supply_temperature(np.array([design_c]), network),
        length_m,
        heat.sum(axis=0),
    )[0]
    design_peak_kw = sum(_design_peak_kw(g, temp_air, design_c) for g in groups)

    price_variables, price_attrs = _price_variables(scenario, len(index)), {}
    if scenario.prices.electricity.tariffs:
        homes = len(scenario.demand.households)
        tariff_vars, price_attrs = tariff_price_variables(scenario, elec[:homes].sum(axis=0))
        price_variables.update(tariff_vars)
    time = pd.DatetimeIndex(index.tz_localize(None), name="time")
    t = ("time",)
    ds = xr.Dataset(
        {
            "weight": (t, np.ones(len(index)), {"units": "h"}),
            "temp_air": (t, temp_air.to_numpy(dtype=float), {"units": "degC"}),
            "ghi": (t, weather["ghi"].to_numpy(dtype=float), {"units": "W m-2"}),
            "surface_water_c": (t, np.asarray(water, dtype=float), {"units": "degC"}),
            "network_supply_c": (t, supply_c, {"units": "degC"}),
            "source_loop_c": (
                t,
                np.full(len(index), scenario.network.source_temperature_c),
                {"units": "degC"},
            ),
            "pv_kw_per_kwp": (t, pv_per_kwp.to_numpy(dtype=float), {"units": "kW/kWp"}),
            "heat_demand_kw": (("consumer", "time"), heat, {"units": "kW"}),
            "electricity_demand_kw": (("consumer", "time"), elec, {"units": "kW"}),
            "network_heat_loss_kw": (t, loss_kw, {"units": "kW"}),
            "network_pumping_kw": (t, pumping_kw, {"units": "kW"}),
            "network_return_c": ((), network.return_temperature_c, {"units": "degC"}),
            "network_design_supply_c": ((), network.supply_temperature_c, {"units": "degC"}),
            "source_return_c": ((), network.source_return_temperature_c, {"units": "degC"}),
            "design_heat_peak_kw": ((), design_peak_kw + design_loss_kw, {"units": "kW"}),
            **_cooling_variables(scenario, temp_air),
            **price_variables,
            "peak_heat_kw": ((), float((heat.sum(axis=0) + loss_kw).max()), {"units": "kW"}),
            **(water_variables(scenario, index) if scenario.water is not None else {}),
        },
        coords={
            "time": time,
            "consumer": [g.name for g in groups],
            "connections": ("consumer", [g.count for g in groups]),
        },
        attrs={
            "utc_offset_hours": site.utc_offset_hours,
            "year": site.year,
            **price_attrs,
        },
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


def _design_peak_kw(group: ConsumerGroup, temp_air: pd.Series, design_c: float) -> float:
    """Heat demand of a group at the design outdoor temperature (kW), from the same BDEW
    relation as its hourly profile; with a profile file, that file's highest hour."""
    annual_kwh = group.count * group.heat_kwh_per_connection
    if group.heat_profile_file is not None:
        return float(_heat_kw(group, temp_air).max())
    return annual_kwh * design_peak_share(temp_air, group.heat_profile, design_c)


def _cooling_variables(scenario: Scenario, temp_air: pd.Series) -> dict:
    """``cooling_demand_kw`` (consumer, time) when any group buys cooling, else nothing."""
    if not scenario.demand.buys_cooling:
        return {}
    shape = cooling_demand_shape(temp_air)
    if shape.sum() <= 0:
        raise InputError(
            "cooling is bought but the weather year has no hour above 21 °C",
            field="demand.annual_cooling_kwh",
            fix="use a weather year with summer heat, or set the cooling to 0",
        )
    cooling = np.vstack([g.count * g.annual_cooling_kwh * shape for g in scenario.demand.groups])
    return {"cooling_demand_kw": (("consumer", "time"), cooling, {"units": "kW"})}


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
    if el.tariffs:
        supply = export = np.zeros(n)  # replaced by the tariff price variables
    elif el.supply_file is not None:
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
    elif not el.tariffs:
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

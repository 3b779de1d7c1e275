"""PV output per kWp from hourly weather with pvlib (PVWatts chain).

Steps: sun position at the middle of each hour; transposition of GHI/DNI/DHI to the
plane of the array (Perez model, with extraterrestrial DNI and air mass); cell
temperature (Faiman); PVWatts DC power with its temperature coefficient and system
losses; PVWatts inverter with the DC/AC ratio. The result is the AC output in kW per
kWp of modules (DC nameplate), which the model multiplies with the installed kWp.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib


def pv_output_per_kwp(
    weather: pd.DataFrame,
    latitude: float,
    longitude: float,
    tilt_deg: float,
    azimuth_deg: float,
    system_loss_fraction: float = 0.14,
    inverter_efficiency: float = 0.96,
    dc_ac_ratio: float = 1.1,
    gamma_pdc_per_k: float = -0.0037,
) -> pd.Series:
    """AC output (kW per kWp DC) for each hour of ``weather``.

    ``weather`` has hour-beginning timestamps (tz-aware) and columns ``ghi``, ``dni``,
    ``dhi`` (W/m2, hourly means), ``temp_air`` (°C) and ``wind_speed`` (m/s).
    ``azimuth_deg`` follows pvlib: 180 is south.
    """
    mid = weather.index + pd.Timedelta(minutes=30)
    solpos = pvlib.solarposition.get_solarposition(mid, latitude, longitude)
    dni_extra = pvlib.irradiance.get_extra_radiation(mid)
    airmass = pvlib.atmosphere.get_relative_airmass(solpos["apparent_zenith"].to_numpy())
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=tilt_deg,
        surface_azimuth=azimuth_deg,
        solar_zenith=solpos["apparent_zenith"].to_numpy(),
        solar_azimuth=solpos["azimuth"].to_numpy(),
        dni=weather["dni"].to_numpy(),
        ghi=weather["ghi"].to_numpy(),
        dhi=weather["dhi"].to_numpy(),
        dni_extra=dni_extra.to_numpy(),
        airmass=airmass,
        model="perez",
    )
    poa_global = np.nan_to_num(np.asarray(poa["poa_global"], dtype=float), nan=0.0).clip(min=0)
    temp_cell = pvlib.temperature.faiman(
        poa_global, weather["temp_air"].to_numpy(), weather["wind_speed"].to_numpy()
    )
    pdc0_kw = 1.0
    dc = pvlib.pvsystem.pvwatts_dc(poa_global, temp_cell, pdc0_kw, gamma_pdc_per_k)
    dc = np.asarray(dc, dtype=float) * (1.0 - system_loss_fraction)
    ac = pvlib.inverter.pvwatts(dc, pdc0_kw / dc_ac_ratio, eta_inv_nom=inverter_efficiency)
    ac = np.clip(np.nan_to_num(np.asarray(ac, dtype=float), nan=0.0), 0.0, None)
    return pd.Series(ac, index=weather.index, name="pv_kw_per_kwp")

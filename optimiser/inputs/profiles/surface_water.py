"""Surface water temperature, the source temperature for aquathermal energy (TEO).

A canal, pond or lake exchanges heat with the atmosphere at its surface. Its
temperature ``T_w`` relaxes towards the equilibrium temperature ``T_e`` - the water
temperature at which the net surface heat flux is zero - with a time constant set by
the heat capacity of the water column and the surface exchange coefficient
(Edinger, Duttweiler & Geyer 1968)::

    dT_w/dt = (T_e - T_w) / tau,        tau = rho * c_p * h / K

with ``h`` the mean depth (m), ``rho * c_p`` = 4.18 MJ/(m3 K) and ``K`` the surface heat
exchange coefficient, about 20-40 W/(m2 K). A 2-4 m deep Dutch canal gives ``tau`` of
about 3-20 days. The equilibrium temperature follows air temperature closely; solar
heating of the water puts it somewhat above the daily mean air temperature in summer.

:func:`surface_water_temperature` therefore takes the first-order (exponential)
response of the water to the air temperature, delays it by a further lag and applies
the linear air-water relation of Stefan & Preud'homme (1993),
``T_w = offset + slope * T_air,smoothed``. Mohseni & Stefan (1999) explain the physics
behind that regression and why it flattens near 0 °C; the floor at ``floor_c`` keeps
liquid water from going below freezing.

References
----------
Edinger, J. E., Duttweiler, D. W. & Geyer, J. C. (1968). The response of water
temperatures to meteorological conditions. Water Resources Research 4(5), 1137-1143.

Stefan, H. G. & Preud'homme, E. B. (1993). Stream temperature estimation from air
temperature. Water Resources Bulletin 29(1), 27-45.

Mohseni, O. & Stefan, H. G. (1999). Stream temperature/air temperature relationship: a
physical interpretation. Journal of Hydrology 218(3-4), 128-141.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from optimiser.inputs.profiles.weather import align_to_year
from optimiser.inputs.profiles.weather_files import read_timestamped_csv


def surface_water_temperature(
    temp_air: pd.Series,
    time_constant_days: float = 10.0,
    lag_days: float = 5.0,
    floor_c: float = 0.0,
    slope: float = 1.05,
    offset_c: float = 2.5,
) -> pd.Series:
    """Hourly surface water temperature of a canal or lake from air temperature.

    Steps (see the module docstring for the physics and sources):

    1. First-order response to the air temperature with time constant ``tau``, exact
       for hourly steps: ``S[i] = S[i-1] + a * (T_air[i] - S[i-1])``,
       ``a = 1 - exp(-1 h / tau)``. The filter runs over the year twice and the second
       pass is kept, so the result is periodic (Dec 31 connects to Jan 1) and does not
       depend on a start value.
    2. Delay by ``lag_days`` more, circularly (the end of December wraps to January).
    3. ``T_w = offset_c + slope * S``, floored at ``floor_c``.

    The defaults were chosen with the shipped synthetic De Bilt year
    (:func:`~optimiser.inputs.profiles.weather.synthetic_year`): the water temperature runs
    from 3.1 °C (just after the late-January cold spell) to 22.9 °C (mid-August), with
    monthly means from 6.4 °C (February) to 22.1 °C (August) and 13.6 °C over the year.
    That matches Dutch surface water: 7-25 °C over the year in TNO's estimates for
    aquathermal energy, and 20-24 °C in canals in summer. The default ``tau`` of 10 days
    corresponds to a canal about 3 m deep with ``K`` = 15 W/(m2 K). ``offset_c`` and
    ``slope`` > 1 put the water above the smoothed air temperature, increasingly so in
    summer (solar heating) and also in winter (stored heat, groundwater inflow).

    Parameters
    ----------
    temp_air : pandas.Series
        Hourly air temperature in °C for one year (e.g. 8760 values), without NaN.
    time_constant_days : float, default 10.0
        Response time ``tau`` of the water body in days (> 0). Deeper water is slower.
    lag_days : float, default 5.0
        Extra delay in days (>= 0), e.g. for inflow of deeper water or groundwater.
    floor_c : float, default 0.0
        Lowest water temperature in °C.
    slope : float, default 1.05
        Change of water temperature per °C of smoothed air temperature.
    offset_c : float, default 2.5
        Water temperature in °C when the smoothed air temperature is 0 °C.

    Returns
    -------
    pandas.Series
        Water temperature in °C on the index of ``temp_air``, named
        ``surface_water_temp``.
    """
    if time_constant_days <= 0:
        raise ValueError(f"time_constant_days must be > 0, got {time_constant_days}")
    if lag_days < 0:
        raise ValueError(f"lag_days must be >= 0, got {lag_days}")
    air = temp_air.to_numpy(dtype=float)
    if np.isnan(air).any():
        raise ValueError("temp_air contains NaN")

    a = 1.0 - np.exp(-1.0 / (24.0 * time_constant_days))
    twice = lfilter([a], [1.0, a - 1.0], np.concatenate([air, air]), zi=[(1.0 - a) * air[0]])[0]
    smoothed = np.roll(twice[air.size :], round(lag_days * 24))
    water = np.maximum(offset_c + slope * smoothed, floor_c)
    return pd.Series(water, index=temp_air.index, name="surface_water_temp")


def read_surface_water_csv(path: str | Path, index: pd.DatetimeIndex) -> pd.Series:
    """Read a measured or modelled surface water temperature series.

    CSV with header ``time,temperature_c``: ISO 8601 hour-beginning stamps with UTC
    offset (``2023-01-01T00:00+01:00``) and the water temperature in °C. Data of any
    year is mapped onto the model year by (month, day, hour), as for weather files
    (:func:`~optimiser.inputs.profiles.weather.align_to_year`).

    Parameters
    ----------
    path : str or Path
        CSV file.
    index : pandas.DatetimeIndex
        The model time index, from :func:`~optimiser.inputs.profiles.weather.model_time_index`.

    Returns
    -------
    pandas.Series
        Water temperature in °C on ``index``, named ``surface_water_temp``.

    Raises
    ------
    InputError
        Missing file or column, unreadable values, hours not covered or NaN values.
    """
    data = read_timestamped_csv(path, ("temperature_c",))
    offset_hours = round(index[0].utcoffset().total_seconds() / 3600)
    aligned = align_to_year(
        data, index[0].year, offset_hours, file=path, columns=("temperature_c",)
    )["temperature_c"]
    if not aligned.index.equals(index):
        raise ValueError("index must be a model time index from model_time_index()")
    return aligned.rename("surface_water_temp")

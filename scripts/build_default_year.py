"""Build the synthetic default weather year for De Bilt from the KNMI normals 1991-2020.

Writes ``data/weather/default_year_de_bilt.csv``: 8760 hourly rows of the non-leap
reference year 2023 in local standard time (UTC+01:00, hour-beginning stamps) with
``temp_air`` (°C), ``ghi``, ``dni``, ``dhi`` (W/m2, mean over the hour) and
``wind_speed`` (m/s). The model maps it onto any year by month, day and hour.

Run ``python scripts/build_default_year.py``; the output is deterministic (fixed seed),
and ``tests/test_weather.py`` checks that regenerating reproduces the shipped file.

Method (inputs: ``data/weather/de_bilt_normals_1991_2020.csv``, see the README there)
----------------------------------------------------------------------------------
Smooth curves with prescribed monthly means
    A periodic curve of 12 harmonic basis functions (constant, cos/sin of 1-5 cycles
    per year, cos of 6 cycles) whose coefficients solve the 12 linear equations
    "mean over the hours of month m = value of month m" exactly.

Temperature
    daily mean = smooth curve through the monthly mean normals
    + AR(1) day-to-day anomaly (lag-1 autocorrelation 0.7, standard deviation 3 °C in
    mid-winter to 2 °C in mid-summer), interpolated linearly between day centres
    - a Gaussian cold spell centred on 24 January (sigma 3 days) with clear skies.
    hour = daily mean + diurnal cycle: minimum at sunrise, maximum at 15:00 local
    standard time, cosine-shaped in between; range = normal Tmax - Tmin of the month
    times (0.4 + 0.6 * clearness of the day / mean clearness of the month), so clear
    days swing more. A smooth correction curve (same 12-harmonic method) then makes
    every month's mean equal the normal. The depth of the cold spell is found by
    bisection so that the coldest hour of the year is -10 °C, close to the NEN 5060
    design outdoor temperature for De Bilt, because peak heat demand matters.

Irradiance
    Clear-sky GHI from pvlib's Ineichen-Perez model with the climatological Linke
    turbidity, averaged over four instants per hour. Daily relative clearness from a
    Beta(1.5, 1.3) distribution through a Gaussian copula with lag-1 autocorrelation
    0.5 (persistent weather), modulated per hour by log-normal cloud noise that
    vanishes for fully clear or overcast days. Per month a factor is found by
    bisection so that the monthly GHI sum equals the normal, with the hourly GHI
    capped at 1.1 times clear sky. DNI and DHI from GHI with the Erbs et al. (1982)
    decomposition (solar zenith at the middle of the hour).

Wind
    Smooth curve through the monthly mean normals x daily log-normal AR(1) factor
    (sigma 0.35, lag-1 0.6) x hourly log-normal AR(1) noise (sigma 0.15, lag-1 0.7) x
    diurnal cycle (+-20 %, maximum at 14:00), rescaled per month to the normal mean.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
from scipy import stats
from scipy.signal import lfilter

from optimiser.inputs.profiles.weather import model_time_index
from optimiser.inputs.profiles.weather_files import WEATHER_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
NORMALS_FILE = ROOT / "data" / "weather" / "de_bilt_normals_1991_2020.csv"
OUTPUT_FILE = ROOT / "data" / "weather" / "default_year_de_bilt.csv"

LATITUDE = 52.10  # KNMI station 260 De Bilt, degrees north
LONGITUDE = 5.18  # degrees east
ALTITUDE_M = 2.0
REFERENCE_YEAR = 2023
UTC_OFFSET_HOURS = 1
SEED = 260_1991

COLDEST_HOUR_C = -10.0
COLD_SPELL_DAY = 23.0  # day of year counted from 0 = Jan 1, so Jan 24
COLD_SPELL_WIDTH_DAYS = 3.0
COLD_SPELL_CLEARNESS = 0.85
ANOMALY_STD_WINTER_C = 3.0
ANOMALY_STD_SUMMER_C = 2.0
ANOMALY_LAG1 = 0.7
WARMEST_HOUR = 15.0

CLEARNESS_BETA = (1.5, 1.3)
CLEARNESS_LAG1 = 0.5
CLOUD_STD = 0.35
CLOUD_LAG1 = 0.6
MAX_CLEAR_SKY_RATIO = 1.1

WIND_DAILY_STD = 0.35
WIND_DAILY_LAG1 = 0.6
WIND_HOURLY_STD = 0.15
WIND_HOURLY_LAG1 = 0.7
WIND_DIURNAL_AMPLITUDE = 0.2
WIND_WINDIEST_HOUR = 14.0

ROUNDING = {"temp_air": 2, "ghi": 1, "dni": 1, "dhi": 1, "wind_speed": 2}


def read_normals(path: Path = NORMALS_FILE) -> pd.DataFrame:
    """Monthly normals (index month 1-12): °C, kWh/m2 per month, m/s."""
    normals = pd.read_csv(path, comment="#", index_col="month")
    if list(normals.index) != list(range(1, 13)):
        raise ValueError(f"{path}: expected months 1-12, got {list(normals.index)}")
    return normals


def ar1(noise: np.ndarray, lag1: float) -> np.ndarray:
    """Unit-variance AR(1) series with lag-1 autocorrelation ``lag1`` from white noise."""
    scale = np.sqrt(1.0 - lag1**2)
    return lfilter([scale], [1.0, -lag1], noise, zi=[(1.0 - scale) * noise[0]])[0]


def monthly_mean_curve(
    values: np.ndarray, year_fraction: np.ndarray, month: np.ndarray
) -> np.ndarray:
    """Smooth periodic curve whose mean over each month equals ``values[month - 1]``.

    Parameters
    ----------
    values : numpy.ndarray
        12 monthly means.
    year_fraction : numpy.ndarray
        Position in the year (0-1) of each sample, e.g. of each hour's middle.
    month : numpy.ndarray
        Month (1-12) of each sample.

    Returns
    -------
    numpy.ndarray
        The curve at each sample.
    """
    angle = 2.0 * np.pi * year_fraction
    basis = [np.ones_like(angle)]
    for k in range(1, 6):
        basis += [np.cos(k * angle), np.sin(k * angle)]
    basis.append(np.cos(6 * angle))
    basis = np.column_stack(basis)
    means = np.array([basis[month == m].mean(axis=0) for m in range(1, 13)])
    return basis @ np.linalg.solve(means, values)


def _bisect(func, low: float, high: float, target: float, tol: float) -> float:
    """Argument in [low, high] where the monotonic ``func`` reaches ``target``."""
    rising = func(high) > func(low)
    while high - low > tol:
        middle = 0.5 * (low + high)
        if (func(middle) < target) == rising:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def _per_hour(daily: np.ndarray, day_of_year: np.ndarray, hour: np.ndarray) -> np.ndarray:
    """Daily values interpolated linearly between day centres onto the hours."""
    centres = np.arange(daily.size) + 0.5
    return np.interp(day_of_year + (hour + 0.5) / 24.0, centres, daily)


def _sunrise_hour(day_of_year: np.ndarray) -> np.ndarray:
    """Sunrise in hours of local standard time at De Bilt (geometric, sun centre)."""
    declination = pvlib.solarposition.declination_spencer71(day_of_year + 1)
    equation_of_time = pvlib.solarposition.equation_of_time_spencer71(day_of_year + 1)
    cos_hour_angle = -np.tan(np.radians(LATITUDE)) * np.tan(declination)
    half_day = np.degrees(np.arccos(np.clip(cos_hour_angle, -1.0, 1.0))) / 15.0
    clock_minus_solar = (15.0 * UTC_OFFSET_HOURS - LONGITUDE) / 15.0 - equation_of_time / 60.0
    return 12.0 - half_day + clock_minus_solar


def diurnal_shape(hour: np.ndarray, sunrise: np.ndarray) -> np.ndarray:
    """Diurnal temperature shape: -1 at sunrise, +1 at :data:`WARMEST_HOUR`.

    Half a cosine rising from sunrise to the warmest hour, half a cosine falling from
    there to the next sunrise. ``hour`` is the time of day in hours (e.g. 10.5).
    """
    warming = (hour >= sunrise) & (hour < WARMEST_HOUR)
    rise = -np.cos(np.pi * (hour - sunrise) / (WARMEST_HOUR - sunrise))
    since_max = np.where(hour >= WARMEST_HOUR, hour - WARMEST_HOUR, hour + 24.0 - WARMEST_HOUR)
    fall = np.cos(np.pi * since_max / (sunrise + 24.0 - WARMEST_HOUR))
    return np.where(warming, rise, fall)


def clear_sky_ghi(index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly mean clear-sky GHI (W/m2) for hour-beginning ``index`` at De Bilt."""
    location = pvlib.location.Location(LATITUDE, LONGITUDE, altitude=ALTITUDE_M)
    samples = [
        location.get_clearsky(index + pd.Timedelta(minutes=m), model="ineichen")["ghi"].to_numpy()
        for m in (7.5, 22.5, 37.5, 52.5)
    ]
    return np.mean(samples, axis=0)


def build_default_year(normals_file: Path = NORMALS_FILE, seed: int = SEED) -> pd.DataFrame:
    """Synthetic hourly weather year for De Bilt; see the module docstring.

    Parameters
    ----------
    normals_file : Path
        Monthly normals CSV (``month, temp_mean_c, temp_min_c, temp_max_c,
        ghi_kwh_per_m2, wind_m_per_s``).
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        Index :func:`~optimiser.inputs.profiles.weather.model_time_index` of 2023 (UTC+01:00),
        columns ``temp_air`` (°C, 0.01), ``ghi``, ``dni``, ``dhi`` (W/m2, 0.1) and
        ``wind_speed`` (m/s, 0.01), rounded as written to the CSV.
    """
    normals = read_normals(normals_file)
    index = model_time_index(REFERENCE_YEAR, UTC_OFFSET_HOURS)
    month = index.month.to_numpy()
    hour = index.hour.to_numpy()
    day_of_year = np.repeat(np.arange(365), 24)
    year_fraction = (day_of_year + (hour + 0.5) / 24.0) / 365.0
    days = np.arange(365)

    rng = np.random.default_rng(seed)
    temp_noise = rng.standard_normal(365)
    clearness_noise = rng.standard_normal(365)
    cloud_noise = rng.standard_normal(index.size)
    wind_daily_noise = rng.standard_normal(365)
    wind_hourly_noise = rng.standard_normal(index.size)

    # Daily relative clearness (share of clear-sky GHI before monthly scaling).
    clearness = stats.beta.ppf(
        stats.norm.cdf(ar1(clearness_noise, CLEARNESS_LAG1)), *CLEARNESS_BETA
    )
    spell = np.exp(-0.5 * ((days - COLD_SPELL_DAY) / COLD_SPELL_WIDTH_DAYS) ** 2)
    # Clear skies within two widths of the spell's centre (spell > exp(-2)).
    clearness = np.where(
        spell > np.exp(-2.0), np.maximum(clearness, COLD_SPELL_CLEARNESS), clearness
    )

    # Temperature.
    season = np.cos(2.0 * np.pi * (days - 15.0) / 365.0)
    anomaly_std = (
        0.5 * (ANOMALY_STD_WINTER_C + ANOMALY_STD_SUMMER_C)
        + 0.5 * (ANOMALY_STD_WINTER_C - ANOMALY_STD_SUMMER_C) * season
    )
    anomaly = anomaly_std * ar1(temp_noise, ANOMALY_LAG1)
    daily_month = month[::24]
    month_clearness = pd.Series(clearness).groupby(daily_month).transform("mean").to_numpy()
    swing = _per_hour(0.4 + 0.6 * clearness / month_clearness, day_of_year, hour)
    temp_range = monthly_mean_curve(
        (normals["temp_max_c"] - normals["temp_min_c"]).to_numpy(), year_fraction, month
    )
    diurnal = 0.5 * temp_range * swing * diurnal_shape(hour + 0.5, _sunrise_hour(day_of_year))
    climate = monthly_mean_curve(normals["temp_mean_c"].to_numpy(), year_fraction, month)

    def temperature(depth: float) -> np.ndarray:
        raw = climate + _per_hour(anomaly - depth * spell, day_of_year, hour) + diurnal
        error = normals["temp_mean_c"].to_numpy() - pd.Series(raw).groupby(month).mean().to_numpy()
        return raw + monthly_mean_curve(error, year_fraction, month)

    depth = _bisect(lambda d: temperature(d).min(), 0.0, 30.0, COLDEST_HOUR_C, 1e-4)
    temp_air = temperature(depth)

    # Irradiance.
    clear = clear_sky_ghi(index)
    daily_clearness = np.repeat(clearness, 24)
    cloud_std = CLOUD_STD * 4.0 * daily_clearness * (1.0 - daily_clearness)
    relative = daily_clearness * np.exp(
        cloud_std * ar1(cloud_noise, CLOUD_LAG1) - 0.5 * cloud_std**2
    )
    ghi = np.zeros(index.size)
    for m in range(1, 13):
        sel = month == m
        target = normals.loc[m, "ghi_kwh_per_m2"] * 1000.0  # Wh/m2 = sum of hourly W/m2
        if target > MAX_CLEAR_SKY_RATIO * clear[sel].sum():
            raise ValueError(f"month {m}: GHI normal exceeds {MAX_CLEAR_SKY_RATIO} x clear sky")

        def month_sum(factor: float, sel=sel) -> float:
            return (clear[sel] * np.minimum(factor * relative[sel], MAX_CLEAR_SKY_RATIO)).sum()

        factor = _bisect(month_sum, 0.0, 100.0, target, 1e-7)
        ghi[sel] = clear[sel] * np.minimum(factor * relative[sel], MAX_CLEAR_SKY_RATIO)
    middle = index + pd.Timedelta(minutes=30)
    zenith = pvlib.solarposition.get_solarposition(middle, LATITUDE, LONGITUDE)["zenith"]
    parts = pvlib.irradiance.erbs(ghi, zenith.to_numpy(), middle)

    # Wind.
    wind_daily = np.exp(
        WIND_DAILY_STD * ar1(wind_daily_noise, WIND_DAILY_LAG1) - 0.5 * WIND_DAILY_STD**2
    )
    wind_hourly = np.exp(
        WIND_HOURLY_STD * ar1(wind_hourly_noise, WIND_HOURLY_LAG1) - 0.5 * WIND_HOURLY_STD**2
    )
    wind_diurnal = 1.0 + WIND_DIURNAL_AMPLITUDE * np.cos(
        2.0 * np.pi * (hour + 0.5 - WIND_WINDIEST_HOUR) / 24.0
    )
    wind = (
        monthly_mean_curve(normals["wind_m_per_s"].to_numpy(), year_fraction, month)
        * _per_hour(wind_daily, day_of_year, hour)
        * wind_hourly
        * wind_diurnal
    )
    wind *= (
        normals["wind_m_per_s"].to_numpy()[month - 1]
        / pd.Series(wind).groupby(month).transform("mean").to_numpy()
    )

    weather = pd.DataFrame(
        {
            "temp_air": temp_air,
            "ghi": ghi,
            "dni": parts["dni"].to_numpy(),
            "dhi": parts["dhi"].to_numpy(),
            "wind_speed": wind,
        },
        index=index,
    )
    # Adding 0.0 turns -0.0 into 0.0.
    return weather.loc[:, list(WEATHER_COLUMNS)].round(ROUNDING) + 0.0


def write_default_year(weather: pd.DataFrame, path: Path = OUTPUT_FILE) -> None:
    """Write ``weather`` as CSV with ISO 8601 hour-beginning stamps (``2023-01-01T00:00+01:00``)."""
    out = weather.set_axis([t.isoformat(timespec="minutes") for t in weather.index])
    out.to_csv(path, index_label="time", lineterminator="\n")


def main() -> None:
    """Build the default year, write it and print a summary."""
    weather = build_default_year()
    write_default_year(weather)
    print(
        f"wrote {OUTPUT_FILE.relative_to(ROOT)}: {len(weather)} hours, "
        f"mean {weather['temp_air'].mean():.2f} °C, "
        f"coldest hour {weather['temp_air'].min():.2f} °C, "
        f"warmest hour {weather['temp_air'].max():.2f} °C, "
        f"GHI {weather['ghi'].sum() / 1000:.0f} kWh/m2, "
        f"wind {weather['wind_speed'].mean():.2f} m/s"
    )


if __name__ == "__main__":
    main()

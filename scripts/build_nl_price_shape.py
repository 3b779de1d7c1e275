"""Build the synthetic hourly NL day-ahead price year shipped as the default price series.

Writes ``data/electricity/nl_day_ahead_synthetic.csv``: 8760 rows, the model's hours of a
non-leap year in local standard time (UTC+01:00), column ``price_eur_per_mwh``. It is a
SHAPE built from published statistics, not exchange data (EPEX/ENTSO-E data may not be
redistributed); the outputs flag it as synthetic. Run ``python
scripts/build_nl_price_shape.py``; it is deterministic and ``tests/test_electricity_prices.py``
checks that regenerating reproduces the shipped file.

Statistics used (Electricity Maps, "Electricity Grid Review 2025: The Netherlands",
day-ahead EUR/MWh, from ENTSO-E data):
- annual mean 2025: 86.8 EUR/MWh; February 2025: about 126 EUR/MWh;
- 584 negative-price hours in 2025;
- average price by hour of day 2025: lowest 42.6 (early afternoon, solar), highest 135.4
  (evening peak).
Assumptions (not published in that source; unconfirmed): the other months' means (a
seasonal pattern with winter high and late spring low), a morning peak at 08:00 and the
evening peak at 19:00 with the trough at 13:00, weekends 15 % below weekdays, and the
negative hours placed in the sunniest hours of April-September of the embedded De Bilt
weather year (negative prices come with solar surplus), at -5 EUR/MWh each; the other hours
of each month are then shifted so every month keeps its mean.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from optimiser.inputs.profiles.weather import load_weather

OUT = Path(__file__).resolve().parents[1] / "data" / "electricity" / "nl_day_ahead_synthetic.csv"
YEAR = 2025
ANNUAL_MEAN = 86.8
MONTH_MEANS = np.array([115, 126, 100, 75, 65, 65, 80, 75, 80, 85, 95, 90], dtype=float)
HOUR_LOW, HOUR_HIGH = 42.6, 135.4
NEGATIVE_HOURS = 584
NEGATIVE_PRICE = -5.0
WEEKEND_FACTOR = 0.85
# relative shape by hour of day (0 = 00:00-01:00): night dip, morning peak at 08:00,
# solar trough at 13:00, evening peak at 19:00; mapped onto [HOUR_LOW, HOUR_HIGH]
HOUR_SHAPE = np.array(
    [0.55, 0.50, 0.47, 0.46, 0.48, 0.55, 0.68, 0.80, 0.84, 0.72, 0.52, 0.35,
     0.24, 0.20, 0.24, 0.36, 0.55, 0.80, 0.96, 1.00, 0.92, 0.80, 0.70, 0.62]
)  # fmt: skip


def build() -> pd.DataFrame:
    """The synthetic price year (EUR/MWh) on the model's 8760 hours."""
    weather = load_weather("default", None, YEAR, 52.1, 5.18, 1)
    index = weather.index.tz_localize(None)
    month = index.month.to_numpy() - 1
    hours = np.bincount(month, minlength=12)
    months = MONTH_MEANS * ANNUAL_MEAN * hours.sum() / (MONTH_MEANS * hours).sum()
    span = HOUR_SHAPE.max() - HOUR_SHAPE.min()
    by_hour = HOUR_LOW + (HOUR_SHAPE - HOUR_SHAPE.min()) / span * (HOUR_HIGH - HOUR_LOW)
    hour_factor = by_hour / by_hour.mean()
    weekend = index.dayofweek >= 5
    week_factor = np.where(weekend, WEEKEND_FACTOR, 1.0)
    week_factor = week_factor / week_factor.mean()
    price = months[month] * hour_factor[index.hour] * week_factor
    sunny = np.where(np.isin(month, range(3, 9)), weather["ghi"].to_numpy(), -1.0)
    sunny = sunny * np.where(weekend, 1.3, 1.0)
    negative = np.argsort(-sunny, kind="stable")[:NEGATIVE_HOURS]
    price[negative] = NEGATIVE_PRICE
    for m in range(12):
        rest = (month == m) & (price != NEGATIVE_PRICE)
        gap = months[m] * np.sum(month == m) - price[month == m].sum()
        price[rest] += gap / rest.sum()
    return pd.DataFrame({"time": index.strftime("%Y-%m-%d %H:%M"), "price_eur_per_mwh": price})


def write(path: Path = OUT) -> None:
    """Write the CSV with a header saying what it is."""
    frame = build()
    header = (
        "# SYNTHETIC hourly NL day-ahead price shape (EUR/MWh), local standard time UTC+01:00,"
        " built by scripts/build_nl_price_shape.py\n"
        "# from published statistics (Electricity Maps, Grid Review 2025 NL: mean 86.8,"
        " Feb ~126, 584 negative hours, hour-of-day 42.6-135.4); not exchange data\n"
    )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        frame.to_csv(handle, index=False, float_format="%.2f", lineterminator="\n")


if __name__ == "__main__":
    write()

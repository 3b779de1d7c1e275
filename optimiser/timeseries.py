"""Time steps and their weights: the full year, or a shorter horizon standing for it."""

from __future__ import annotations

import xarray as xr

from optimiser.constants import HOURS_PER_YEAR


def select_days(inputs: xr.Dataset, first_day: int, days: int) -> xr.Dataset:
    """``days`` consecutive days from day ``first_day`` (0 = 1 January) of the inputs.

    Each hour then stands for ``8760 / hours`` hours of the year (its ``weight``), so
    annual costs stay annual. Storage is cyclic over the shorter horizon. Used for
    fast tests and quick looks, not for design decisions.
    """
    if days < 1 or first_day < 0 or (first_day + days) * 24 > inputs.sizes["time"]:
        raise ValueError(f"days {first_day}..{first_day + days} are outside the inputs")
    subset = inputs.isel(time=slice(first_day * 24, (first_day + days) * 24))
    weight = HOURS_PER_YEAR / subset.sizes["time"]
    return subset.assign(weight=subset["weight"] * 0 + weight)

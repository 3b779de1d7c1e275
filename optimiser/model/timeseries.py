"""Time steps and their weights: the full year, a shorter horizon, or typical days.

A design decision over 8760 hourly steps is slow (the LP relaxation of the default
model alone takes minutes in HiGHS). The usual remedy is to design on a few typical
days, each weighted by the number of days it stands for, and to carry the state of
seasonal stores across the 365 days of the year separately (see
:meth:`optimiser.model.builder.ModelBuilder.storage`). :func:`aggregate` clusters the days of
the hourly inputs with tsam (Hoffmann, Kotzur et al., "tsam"), keeping a real day per
cluster (medoid) so that weather, demand and water temperature stay consistent, and
adds the day of peak heat demand so that capacities are sized for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import tsam
import xarray as xr

from optimiser.constants import HOURS_PER_YEAR

HOURS_PER_DAY = 24
DAYS_PER_YEAR = HOURS_PER_YEAR // HOURS_PER_DAY

NOT_RESCALED = (
    "temp_air",
    "surface_water_c",
    "network_supply_c",
    "source_loop_c",
    "electricity_import_eur_per_kwh",
    "electricity_day_ahead_eur_per_kwh",
    "electricity_export_eur_per_kwh",
    "electricity_co2_kg_per_kwh",
    "gas_import_eur_per_kwh",
    "gas_co2_kg_per_kwh",
    "drinking_water_eur_per_m3",
    "sewer_eur_per_m3",
)
"""Inputs that are states or prices, not energy: kept as on the typical day, not
rescaled to preserve their annual mean."""


@dataclass(frozen=True)
class Aggregation:
    """How to reduce the year: ``typical_days`` clusters plus the peak-heat day.

    ``method`` is a tsam clustering method (``hierarchical``, ``k_means``, ...);
    ``peak_day`` adds the day of highest heat demand as its own cluster. ``days`` (the
    day of the year, 0 = 1 January, of each cluster's representative) and
    ``period_of_day`` (the cluster of each of the 365 days) give the clustering instead
    of computing it, so that several models (the coalitions of a game) are priced on
    the same days; see :func:`shared_days`.
    """

    typical_days: int = 12
    method: str = "hierarchical"
    peak_day: bool = True
    days: tuple[int, ...] | None = None
    period_of_day: tuple[int, ...] | None = None


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


FEATURE_PREFIX = "feature:"
"""Column prefix of the clustering-only features (not part of the typical days)."""


def _as_frame(inputs: xr.Dataset, features: dict[str, np.ndarray]) -> pd.DataFrame:
    """Hourly inputs as one column per series (``name`` or ``name|consumer``), plus the
    clustering features as ``feature:name``."""
    columns: dict[str, np.ndarray] = {}
    for name, values in inputs.data_vars.items():
        if "time" not in values.dims or name == "weight":
            continue
        if values.dims == ("time",):
            columns[str(name)] = values.values
        else:
            for consumer in values["consumer"].values:
                columns[f"{name}|{consumer}"] = values.sel(consumer=consumer).values
    columns["heat_total"] = inputs["heat_demand_kw"].sum("consumer").values
    columns["electricity_total"] = inputs["electricity_demand_kw"].sum("consumer").values
    for name, values in features.items():
        if np.shape(values) != (inputs.sizes["time"],):
            raise ValueError(f"clustering feature {name!r} must have one value per hour")
        columns[FEATURE_PREFIX + name] = np.asarray(values, dtype=float)
    index = pd.date_range("2001-01-01", periods=inputs.sizes["time"], freq="h")
    return pd.DataFrame(columns, index=index)


def _clustering_weights(frame: pd.DataFrame) -> dict[str, float]:
    """Per-column weights: consumer columns share one weight; the total heat demand and
    the clustering features (switches that change what the model can do) count double."""
    consumers = sum(1 for c in frame.columns if c.startswith("heat_demand_kw|"))
    weights = {c: (1.0 / consumers if "|" in c else 1.0) for c in frame.columns}
    weights["heat_total"] = 2.0
    weights.update({c: 2.0 for c in frame.columns if c.startswith(FEATURE_PREFIX)})
    return weights


def aggregate(
    inputs: xr.Dataset,
    options: Aggregation = Aggregation(),
    features: dict[str, np.ndarray] | None = None,
) -> xr.Dataset:
    """Typical days of a full-year hourly input Dataset, weighted by the days they stand for.

    Returns a Dataset of the same variables over ``typical days x 24`` steps, with
    ``weight`` (days the step's cluster stands for), a ``period`` coordinate per step
    (the cluster) and ``period_of_day`` (the cluster of each of the 365 days), which
    seasonal storage needs to follow the year. Energy series (demand, PV) are rescaled
    so their annual totals equal the full year's; temperatures and prices are not.
    ``features`` are hourly series that only steer the clustering, e.g. the hours in
    which the TEO may run (see :func:`optimiser.model.system.clustering_features`): without
    them, 12 typical days of the default model give the TEO 19 % more hours than the
    real year, and a design that relies on them cannot serve the spring.
    """
    if inputs.sizes["time"] != HOURS_PER_YEAR:
        raise ValueError("aggregate needs the 8760 hourly steps of a full year")
    if options.days is not None:
        return _on_days(inputs, options)
    if not 1 <= options.typical_days <= DAYS_PER_YEAR:
        raise ValueError(f"typical_days must be within 1..{DAYS_PER_YEAR}")
    frame = _as_frame(inputs, features or {})
    peak = options.peak_day and options.typical_days < DAYS_PER_YEAR
    result = tsam.aggregate(
        frame,
        options.typical_days,
        period_duration=HOURS_PER_DAY,
        cluster=tsam.ClusterConfig(method=options.method, representation="medoid"),
        extremes=tsam.ExtremeConfig(method="new_cluster", max_value=["heat_total"])
        if peak
        else None,
        weights=_clustering_weights(frame),
        preserve_column_means=True,
        numerical_tolerance=1e-6,  # rescaling overshoots the maxima by ~1e-13 kW: not news
        rescale_exclude_columns=[
            c
            for c in frame.columns
            if c.split("|")[0] in NOT_RESCALED or c.startswith(FEATURE_PREFIX)
        ],
    )
    assignment = np.asarray(result.cluster_assignments, dtype=int)
    typical = result.cluster_representatives
    clusters = sorted(int(c) for c in np.unique(assignment))
    # Label each cluster with its medoid's date and order clusters through the year.
    days = frame.to_numpy().reshape(DAYS_PER_YEAR, HOURS_PER_DAY, -1)
    medoid = {c: _closest_day(days, typical.loc[c].to_numpy(), assignment == c) for c in clusters}
    order = sorted(clusters, key=lambda c: medoid[c])
    renumber = {c: i for i, c in enumerate(order)}
    counts = np.bincount(assignment, minlength=max(clusters) + 1)

    times = pd.DatetimeIndex(inputs["time"].values)
    step_time = np.concatenate([times[medoid[c] * 24 : (medoid[c] + 1) * 24] for c in order])
    stacked = pd.concat([typical.loc[c] for c in order], ignore_index=True)
    data_vars = {}
    for name, values in inputs.data_vars.items():
        if "time" not in values.dims:
            data_vars[name] = values
        elif name == "weight":
            weight = np.repeat([float(counts[c]) for c in order], HOURS_PER_DAY)
            data_vars[name] = (("time",), weight, values.attrs)
        elif values.dims == ("time",):
            data_vars[name] = (("time",), stacked[name].to_numpy(dtype=float), values.attrs)
        else:
            rows = [stacked[f"{name}|{c}"].to_numpy(dtype=float) for c in values["consumer"].values]
            data_vars[name] = (("consumer", "time"), np.vstack(rows), values.attrs)
    aggregated = xr.Dataset(
        data_vars,
        coords={
            **{name: c for name, c in inputs.coords.items() if "time" not in c.dims},
            "time": pd.DatetimeIndex(step_time, name="time"),
            "period": ("time", np.repeat(np.arange(len(order)), HOURS_PER_DAY)),
        },
        attrs={**inputs.attrs, "typical_days": len(order), "aggregation_method": options.method},
    )
    aggregated["period_of_day"] = (("day",), np.array([renumber[c] for c in assignment]))
    return aggregated


def shared_days(
    inputs: xr.Dataset, options: Aggregation, features: dict[str, np.ndarray] | None = None
) -> Aggregation:
    """The clustering of ``inputs`` as an :class:`Aggregation` that gives it to others."""
    typical = aggregate(inputs, options, features)
    starts = pd.DatetimeIndex(typical["time"].values)[::HOURS_PER_DAY]
    first = pd.Timestamp(inputs["time"].values[0])
    days = tuple(int((t - first) / pd.Timedelta(days=1)) for t in starts)
    return Aggregation(
        typical_days=options.typical_days,
        method=options.method,
        peak_day=options.peak_day,
        days=days,
        period_of_day=tuple(int(p) for p in typical["period_of_day"].values),
    )


def _on_days(inputs: xr.Dataset, options: Aggregation) -> xr.Dataset:
    """Typical days at the given representatives, each weighted by its days.

    Energy series (not :data:`NOT_RESCALED`) of clusters standing for more than one day
    are scaled by one factor per series so that their annual totals equal the full
    year's, as tsam's ``preserve_column_means`` does, and capped at the year's maximum.
    """
    days = np.asarray(options.days, dtype=int)
    period_of_day = np.asarray(options.period_of_day, dtype=int)
    if (
        period_of_day.shape != (DAYS_PER_YEAR,)
        or not np.isin(period_of_day, range(days.size)).all()
    ):
        raise ValueError(f"period_of_day needs {DAYS_PER_YEAR} clusters among 0..{days.size - 1}")
    hours = (days[:, None] * HOURS_PER_DAY + np.arange(HOURS_PER_DAY)[None, :]).ravel()
    typical = inputs.isel(time=hours)
    counts = np.bincount(period_of_day, minlength=days.size).astype(float)
    weight = np.repeat(counts, HOURS_PER_DAY)
    several = weight > 1
    for name, values in typical.data_vars.items():
        if "time" not in values.dims or name == "weight" or name in NOT_RESCALED:
            continue
        total = inputs[name].sum("time")
        fixed = (values * np.where(several, 0.0, weight)).sum("time")
        scaled = (values * np.where(several, weight, 0.0)).sum("time")
        factor = xr.where(scaled > 0, (total - fixed) / scaled.where(scaled > 0, 1.0), 1.0)
        rescaled = xr.where(several, values * factor, values)
        typical[name] = rescaled.clip(max=inputs[name].max("time")).transpose(*values.dims)
    typical["weight"] = ("time", weight)
    typical = typical.assign_coords(period=("time", np.repeat(np.arange(days.size), HOURS_PER_DAY)))
    typical.attrs.update({"typical_days": int(days.size), "aggregation_method": "given days"})
    typical["period_of_day"] = (("day",), period_of_day)
    return typical


def _closest_day(days: np.ndarray, profile: np.ndarray, members: np.ndarray) -> int:
    """Index of the member day closest (least squares, per-column scaled) to ``profile``."""
    scale = np.maximum(np.abs(days).max(axis=(0, 1)), 1e-9)
    distance = (((days - profile[None]) / scale) ** 2).sum(axis=(1, 2))
    distance[~members] = np.inf
    return int(np.argmin(distance))

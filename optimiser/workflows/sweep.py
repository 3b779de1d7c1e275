"""Scenario sweeps: a grid or seeded Monte Carlo samples of overrides of a base model.

An override sets one field of the model file by its dotted path
(``prices.gas.supply_eur_per_m3=1.5``); each scenario of a sweep is the base model with
its overrides, validated like a model file, so a wrong path or value is an error naming
the override. A grid takes every combination of ``--set path=v1,v2,...``; a sweep file
(YAML) may add random parameters::

    grid: {finance.discount_rate: [0.03, 0.05]}
    random:
      prices.gas.supply_eur_per_m3: {uniform: [0.3, 1.0]}
      technologies.teo.capex_eur_per_kw: {normal: [400, 80]}
    samples: 20        # random draws per grid point
    seed: 1

The results are one ``xarray.Dataset`` over a ``scenario`` dimension (the overrides as
coordinates, key figures as variables, failures with their message) and a CSV table.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml
from pydantic import ValidationError

from optimiser.economics.lender import revenue_tests
from optimiser.economics.tariff import heat_tariff
from optimiser.errors import InputError
from optimiser.inputs.ranges import ANY_NUMBER
from optimiser.inputs.scenario import Scenario
from optimiser.inputs.textfiles import load_yaml
from optimiser.workflows.runner import scenario_data

DISTRIBUTIONS = ("uniform", "normal", "choice")


def parse_set(text: str) -> tuple[str, list[Any]]:
    """``path=v1,v2`` -> (path, [v1, v2]); values are read as YAML scalars."""
    path, sep, values = text.partition("=")
    if not sep or not path.strip() or not values.strip():
        raise InputError(
            f"cannot read --set {text!r}",
            field="--set",
            fix="write --set section.field=value1,value2",
        )
    return path.strip(), [yaml.safe_load(v) for v in values.split(",")]


def grid(sets: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the values of each path."""
    paths = list(sets)
    return [dict(zip(paths, combo, strict=True)) for combo in itertools.product(*sets.values())]


MAX_SCENARIOS = 100_000
"""Most scenarios one sweep may hold (grid points x samples)."""


def sample(random: dict[str, dict], samples: int, seed: int) -> list[dict[str, Any]]:
    """``samples`` seeded draws of the random parameters (the same seed, the same draws)."""
    rng = np.random.default_rng(seed)
    draws: list[dict[str, Any]] = [{} for _ in range(samples)]
    for path, spec in random.items():
        kind, args = _distribution(path, spec)
        if kind == "uniform":
            values = rng.uniform(args[0], args[1], samples)
        elif kind == "normal":
            values = rng.normal(args[0], args[1], samples)
        else:
            values = [args[i] for i in rng.integers(0, len(args), samples)]
        for draw, value in zip(draws, values, strict=True):
            draw[path] = value.item() if isinstance(value, np.generic) else value
    return draws


def _distribution(path: str, spec: Any, file: Path | None = None) -> tuple[str, list]:
    """(kind, arguments) of one random parameter, checked: ``uniform: [low, high]`` with
    low <= high, ``normal: [mean, sd]`` with sd >= 0, ``choice: [v1, v2, ...]``."""
    field = f"random.{path}"
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in DISTRIBUTIONS:
        raise InputError(
            f"give one of {', '.join(DISTRIBUTIONS)}",
            file=file,
            field=field,
            fix="e.g. {uniform: [0.3, 1.0]}",
        )
    kind, args = next(iter(spec.items()))
    if kind == "choice":
        if not isinstance(args, list) or not args:
            raise InputError("choice needs a non-empty list", file=file, field=field)
        return kind, args
    numbers = isinstance(args, list) and all(_is_number(a) for a in args)
    if not numbers or len(args) != 2:
        raise InputError(
            f"{kind} needs two finite numbers, got {args!r}",
            file=file,
            field=field,
            fix="write [low, high]" if kind == "uniform" else "write [mean, standard deviation]",
        )
    if kind == "uniform" and args[0] > args[1]:
        raise InputError(f"uniform low {args[0]} is above high {args[1]}", file=file, field=field)
    if kind == "normal" and args[1] < 0:
        raise InputError(f"normal standard deviation {args[1]} is negative", file=file, field=field)
    return kind, [float(a) for a in args]


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and bool(np.isfinite(value))
        and abs(value) <= ANY_NUMBER
    )


def _count(spec: dict, key: str, default: int, low: int, path: Path) -> int:
    """A whole number of the sweep file within ``low..MAX_SCENARIOS``."""
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_SCENARIOS:
        raise InputError(
            f"must be a whole number from {low} to {MAX_SCENARIOS:,}, got {value!r}",
            file=path,
            field=key,
        )
    return value


def read_sweep_file(path: Path) -> list[dict[str, Any]]:
    """The overrides of a sweep file: its grid, times its random draws.

    The file is read strictly (see :mod:`optimiser.inputs.textfiles`) and every key is
    checked before anything runs: a mapping at the top, ``grid`` paths with lists of
    values, valid distributions, ``samples`` >= 1 and ``seed`` >= 0.
    """
    spec, _ = load_yaml(path)
    spec = {} if spec is None else spec
    if not isinstance(spec, dict):
        raise InputError(
            f"expected a mapping at the top, got a {type(spec).__name__}",
            file=path,
            fix="write grid:, random:, samples:, seed: keys",
        )
    unknown = set(spec) - {"grid", "random", "samples", "seed"}
    if unknown:
        raise InputError(
            f"unknown key {sorted(map(str, unknown))[0]!r}",
            file=path,
            fix="use grid, random, samples, seed",
        )
    sets = spec.get("grid") or {}
    random = spec.get("random") or {}
    for key, value in (("grid", sets), ("random", random)):
        if not isinstance(value, dict):
            raise InputError("must be a mapping of dotted paths", file=path, field=key)
    for key, values in sets.items():
        if not isinstance(values, list) or not values:
            raise InputError(
                f"give a non-empty list of values, got {values!r}",
                file=path,
                field=f"grid.{key}",
            )
    for key, value in random.items():
        _distribution(str(key), value, path)
    samples = _count(spec, "samples", 10, 1, path)
    seed = _count(spec, "seed", 0, 0, path)
    points = grid(sets) or [{}]
    total = len(points) * (samples if random else 1)
    if total > MAX_SCENARIOS:
        raise InputError(
            f"{total:,} scenarios, more than {MAX_SCENARIOS:,}", file=path, fix="sweep fewer"
        )
    if not random:
        return points
    draws = sample(random, samples, seed)
    return [{**point, **draw} for point in points for draw in draws]


def apply(base: Scenario, overrides: dict[str, Any]) -> Scenario:
    """The base scenario with ``overrides`` (dotted path -> value), validated.

    The price year cannot vary: the base's catalogue prices are already in its euros.
    """
    if overrides.get("finance.price_year", base.finance.price_year) != base.finance.price_year:
        raise InputError(
            "the price year cannot be swept: the catalogue prices were indexed when the model"
            " was loaded",
            field="finance.price_year",
            fix="set finance.price_year in the model file and run the sweep per year",
        )
    data = copy.deepcopy(scenario_data(base))
    for path, value in overrides.items():
        node = data
        keys = str(path).split(".")
        for key in keys[:-1]:
            if key not in node or not isinstance(node[key], dict):
                raise InputError(f"override {path}: no section {key!r} in the model", field=path)
            node = node[key]
        if keys[-1] not in node:
            raise InputError(f"override {path}: no field {keys[-1]!r} in the model", field=path)
        node[keys[-1]] = value
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"override {overrides}: {where}: {first['msg'].removeprefix('Value error, ')}",
            field=where,
        ) from None


def scenario_name(index: int) -> str:
    """The label of the sweep's ``index``-th scenario."""
    return f"s{index:03d}"


def collect(
    base: Scenario, overrides: list[dict[str, Any]], outcomes: dict[str, dict]
) -> xr.Dataset:
    """The sweep's results over a ``scenario`` dimension.

    Variables: ``total_cost_eur_per_year``, ``lcoh_eur_per_gj``, ``co2_tonne_per_year``,
    ``size`` (scenario, size), ``nmdn`` (1 if Niet Meer Dan Nu holds, 0 if not),
    ``tariff_factor`` (share of the ACM cap of the tariff that passes the NPV and lender
    tests), ``ok`` and ``error``. The overrides are
    coordinates along ``scenario``.
    """
    names = [scenario_name(i) for i in range(len(overrides))]
    labels = sorted({k for o in outcomes.values() if o["ok"] for k in o["sizes"]})
    n = len(names)
    figures = {
        k: np.full(n, np.nan)
        for k in (
            "total_cost_eur_per_year",
            "lcoh_eur_per_gj",
            "co2_tonne_per_year",
            "tariff_factor",
            "nmdn",
        )
    }
    sizes = np.full((n, len(labels)), np.nan)
    ok = np.zeros(n, dtype=bool)
    errors = [""] * n
    for i, (name, override) in enumerate(zip(names, overrides, strict=True)):
        outcome = outcomes.get(name, {"ok": False, "error": "not run"})
        ok[i] = outcome["ok"]
        if not outcome["ok"]:
            errors[i] = outcome["error"]
            continue
        figures["total_cost_eur_per_year"][i] = outcome["total_cost_eur"]
        figures["lcoh_eur_per_gj"][i] = outcome["lcoh_eur_per_gj"]
        figures["co2_tonne_per_year"][i] = outcome["co2_tonne"]
        sizes[i] = [outcome["sizes"].get(label, np.nan) for label in labels]
        scenario = apply(base, override)
        if scenario.prices.gas is not None:
            tests = revenue_tests(
                scenario,
                outcome["heat_cost"],
                outcome["heat_supplied_mwh"],
                outcome.get("fixed_om_eur_per_year"),
            )
            changes = outcome.get("electricity_change_eur_per_connection")
            tariff = heat_tariff(scenario, tests.required_eur, changes)
            figures["tariff_factor"][i] = tariff.factor
            figures["nmdn"][i] = float(tariff.nmdn_holds)
    coords: dict[str, Any] = {"scenario": names, "size": labels}
    for path in sorted({p for o in overrides for p in o}):
        values = [o.get(path) for o in overrides]
        coords[path] = (
            "scenario",
            np.array(values, dtype=object if any(isinstance(v, str) for v in values) else float),
        )
    variables = {k: ("scenario", v) for k, v in figures.items()}
    variables["sizes"] = (("scenario", "size"), sizes)
    variables["ok"] = ("scenario", ok)
    variables["error"] = ("scenario", np.array(errors, dtype=str))
    return xr.Dataset(variables, coords=coords, attrs={"base_scenario": base.name})


def table(results: xr.Dataset) -> pd.DataFrame:
    """The key figures and overrides as one row per scenario."""
    return results.drop_vars(["sizes", "size"]).to_dataframe()


def run_sweep(
    base: Scenario,
    overrides: list[dict[str, Any]],
    pool,
    cache_dir: Path | None,
    aggregation,
    progress: Callable[[str, dict, bool], None] = lambda *_: None,
) -> xr.Dataset:
    """Validate every scenario first (one bad override stops the sweep before any
    solve), run them all, and collect the results."""
    from optimiser.workflows.runner import SINGLE_THREAD, run_all

    scenarios = {scenario_name(i): apply(base, o) for i, o in enumerate(overrides)}
    outcomes = run_all(scenarios, pool, aggregation, SINGLE_THREAD, cache_dir, progress)
    return collect(base, overrides, outcomes)

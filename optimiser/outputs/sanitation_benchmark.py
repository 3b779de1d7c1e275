"""A run's recovery per person against published plants, and what its products must sell for.

With separated streams the summary gets ``sanitation_benchmark``:

- ``rows``: per person and year, what the run recovered (P as struvite, N in struvite
  and as ammonium sulphate, methane from the digester, and the N load of the black
  water) beside the published figure of a real plant from
  ``data/water/published_plants.yaml``, the relative difference and whether it lies
  within ``BAND`` (20 %). A figure the search did not find is shown as
  such, never filled in; a published range counts as met when the model is within the
  band of some point of it.
- ``products``: per recovery unit built, the product sold (t/year), the price it sold at
  and the break-even price: the unit's yearly cost (annuity, O&M, chemicals, the
  electricity it drew at that hour's marginal value) over the tonnes sold. Above that
  price recovery pays by itself; below, only a permit or a subsidy builds it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import xarray as xr
import yaml

from optimiser.inputs.catalogue import DATA_DIR
from optimiser.outputs.series import annual_total, electricity_value_eur_per_kwh

PUBLISHED_FILE = DATA_DIR / "water" / "published_plants.yaml"
BAND = 0.20
"""The largest relative difference from a published figure that counts as agreeing."""

MJ_PER_KWH = 3.6
PRODUCTS = {"struvite": "struvite", "ammonium_recovery": "ammonium_sulphate"}
"""Recovery unit -> the product series it reports (``{unit}_{product}_kg_per_h``)."""


@cache
def published_figures() -> dict[str, dict[str, Any]]:
    """The per-person figures of ``data/water/published_plants.yaml`` by quantity."""
    data = yaml.safe_load(PUBLISHED_FILE.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if isinstance(value, dict)}


def _total(ds: xr.Dataset, name: str) -> float:
    """Yearly total of an hourly series (0 when the run has none)."""
    return float(annual_total(ds, ds[name])) if name in ds else 0.0


def model_per_person(ds: xr.Dataset, nutrients: dict[str, dict[str, float]]) -> dict[str, float]:
    """Per person and year: P recovered (kg, from the nutrient balance), N recovered in
    struvite and as ammonium sulphate (kg, from the units' series), methane
    made by the digester (MJ, its biogas kWh x 3.6) and the black water's N load (kg:
    m3/year x kg N/m3)."""
    persons = float(ds["home_persons"])
    black_water_n = _total(ds, "black_water_m3_per_h") * float(ds["black_water_n_kg_per_m3"])
    return {
        "p_recovered_kg_per_person_year": nutrients["p"]["recovered_kg"] / persons,
        "n_in_struvite_kg_per_person_year": (
            _total(ds, "struvite_n_recovered_struvite_kg_per_h") / persons
        ),
        "n_as_ammonium_sulphate_kg_per_person_year": (
            _total(ds, "ammonium_recovery_n_recovered_ammonium_sulphate_kg_per_h") / persons
        ),
        "methane_mj_per_person_year": (
            _total(ds, "anaerobic_digester_biogas_kw") * MJ_PER_KWH / persons
        ),
        "black_water_n_kg_per_person_year": black_water_n / persons,
    }


def compare(quantity: str, model: float, figure: dict[str, Any]) -> dict[str, Any]:
    """One row: the model's figure beside the published one (value or low/high range),
    the relative difference(s) and the verdict."""
    value, low, high = figure.get("value"), figure.get("low"), figure.get("high")
    row = {
        "quantity": quantity,
        "label": figure["label"],
        "unit": figure["unit"],
        "model": model,
        "published": value,
        "published_low": low,
        "published_high": high,
        "plant": figure["plant"],
        "source": figure["source"],
        "confirmed": bool(figure["confirmed"]),
        "independent": bool(figure["independent"]),
        "note": figure.get("note", ""),
    }
    if value is not None:
        row["difference"] = model / value - 1
        within = abs(row["difference"]) <= BAND
    elif low is not None and high is not None:
        row["difference_low"] = model / low - 1
        row["difference_high"] = model / high - 1
        within = (1 - BAND) * low <= model <= (1 + BAND) * high
    else:
        row["within_band"] = None
        row["verdict"] = "no published figure found"
        return row
    row["within_band"] = within
    row["verdict"] = f"{'within' if within else 'outside'} {BAND:.0%}" + (
        "" if row["confirmed"] else " (published figure unconfirmed)"
    )
    return row


def product_economics(ds: xr.Dataset) -> dict[str, dict[str, float]]:
    """Per recovery unit built: product t/year, its price (EUR/t), the unit's yearly cost
    before sales (EUR/year) and the break-even price (EUR/t)."""
    value = electricity_value_eur_per_kwh(ds)
    components = set(ds["component"].values)
    economics = {}
    for unit, product in PRODUCTS.items():
        tonnes = _total(ds, f"{unit}_{product}_kg_per_h") / 1e3
        if unit not in components or tonnes <= 1e-9:
            continue
        revenue = _total(ds, f"{unit}_{product}_revenue_eur_per_h")
        power_kw = -ds["flow"].sel(component=unit, carrier="electricity")
        electricity = float(annual_total(ds, power_kw * value))
        cost = float(ds["cost_eur_per_year"].sel(component=unit).sum()) + revenue + electricity
        economics[unit] = {
            "product": product,
            "product_tonne_per_year": tonnes,
            "price_eur_per_tonne": revenue / tonnes,
            "cost_before_sales_eur_per_year": cost,
            "electricity_eur_per_year": electricity,
            "break_even_eur_per_tonne": cost / tonnes,
        }
    return economics


def sanitation_benchmark(
    ds: xr.Dataset, nutrients: dict[str, dict[str, float]]
) -> dict[str, Any] | None:
    """The comparison rows and product economics of a run with a black-water digester;
    None without one (or without persons to divide by)."""
    if "anaerobic_digester" not in set(ds["component"].values) or "home_persons" not in ds:
        return None
    model = model_per_person(ds, nutrients)
    figures = published_figures()
    return {
        "persons": float(ds["home_persons"]),
        "band": BAND,
        "rows": [compare(key, model[key], figures[key]) for key in model if key in figures],
        "products": product_economics(ds),
    }


def benchmark_summary_rows(summary: dict) -> list[tuple[str, str, float | str, str]]:
    """summary.csv rows (section, label, value, unit) of ``sanitation_benchmark``."""
    benchmark = summary.get("sanitation_benchmark")
    if not benchmark:
        return []
    rows: list[tuple[str, str, float | str, str]] = []
    for row in benchmark["rows"]:
        rows.append(("sanitation_benchmark", f"{row['quantity']}.model", row["model"], row["unit"]))
        for key in ("published", "published_low", "published_high"):
            if row[key] is not None:
                rows.append(
                    ("sanitation_benchmark", f"{row['quantity']}.{key}", row[key], row["unit"])
                )
        rows.append(("sanitation_benchmark", f"{row['quantity']}.verdict", row["verdict"], ""))
    for unit, item in benchmark["products"].items():
        for key in ("product_tonne_per_year", "price_eur_per_tonne", "break_even_eur_per_tonne"):
            label = "t/year" if key.endswith("year") else "EUR/t"
            rows.append(("sanitation_benchmark", f"{unit}.{key}", item[key], label))
    return rows

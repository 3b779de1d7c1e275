"""A run's files: ``results.nc`` (the Dataset), ``summary.json`` and ``summary.csv`` (the
summary as flat rows), written all or nothing, and ``results.nc`` read back."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import xarray as xr

from optimiser.files import read_dataset, write_files
from optimiser.outputs.bill_tables import bill_summary_rows
from optimiser.outputs.sanitation_benchmark import benchmark_summary_rows


def summary_rows(summary: dict) -> list[tuple[str, str, float | str, str]]:
    """The summary as flat rows (section, item, value, unit) for ``summary.csv``."""
    rows: list[tuple[str, str, float | str, str]] = []
    rows.append(("solver", "method", summary["method"], ""))
    for key in ("status", "verdict", "objective_eur_per_year", "bound_eur_per_year", "mip_gap"):
        rows.append(("solver", key, summary["solver"].get(key), ""))
    for label, size in summary["sizes"].items():
        rows.append(("size", label, size["value"], size["unit"]))
    for component, value in summary["investment_eur"].items():
        rows.append(("investment", component, value, "EUR"))
    for component, kinds in summary["cost_eur_per_year"].items():
        for kind, value in kinds.items():
            if value:
                rows.append(("cost", f"{component}.{kind}", value, "EUR/year"))
    rows.append(("total", "cost", summary["total_cost_eur_per_year"], "EUR/year"))
    rows.append(("total", "co2", summary["co2_tonne_per_year"], "t/year"))
    rows.append(("total", "heat_delivered", summary["heat_delivered_mwh"], "MWh/year"))
    rows.append(
        ("total", "levelised_cost_of_heat", summary["levelised_cost_of_heat_eur_per_gj"], "EUR/GJ")
    )
    for label, flows in summary["annual_energy"].items():
        rows.append(("energy", f"{label}.in", flows["in_mwh"], "MWh/year"))
        rows.append(("energy", f"{label}.out", flows["out_mwh"], "MWh/year"))
    for label, flows in summary["annual_water"].items():
        rows.append(("water", f"{label}.in", flows["in_m3"], "m3/year"))
        rows.append(("water", f"{label}.out", flows["out_m3"], "m3/year"))
    for label, value in summary.get("water_paths", {}).items():
        rows.append(
            ("water_path", label, value, "MWh/year" if label.endswith("mwh") else "m3/year")
        )
    for party, items in summary.get("water_accounting", {}).items():
        for label, value in items.items():
            unit = "EUR/year" if label.endswith("eur") else "-"
            unit = "m3/year" if label.endswith("m3") else unit
            rows.append(("water_accounting", f"{party}.{label}", value, unit))
    if summary.get("electricity_bills"):
        rows += bill_summary_rows(summary)
    if summary.get("sanitation_benchmark"):
        rows += benchmark_summary_rows(summary)
    for substance, fates in summary.get("nutrient_balance", {}).items():
        for label, value in fates.items():
            unit = "-" if label == "imbalance" else "kg/year"
            rows.append(("nutrients", f"{substance}.{label}", value, unit))
    for label, unmet in summary["unmet_energy"].items():
        rows.append(("unmet", label, unmet["amount"], f"{unmet['unit']}/year"))
    for key, value in summary.get("design", {}).items():
        if key == "sizes":
            for label, size in value.items():
                rows.append(("design", f"size.{label}", size, ""))
        else:
            rows.append(("design", key, value, ""))
    for key, value in summary.get("certificate", {}).items():
        unit = "EUR/year" if key.endswith("eur_per_year") else "s" if key == "seconds" else ""
        rows.append(("certificate", key, value, unit))
    for label, value in summary.get("ates_balance", {}).items():
        unit = (
            "MWh/year" if label.endswith("mwh") else "yes/no" if label == "within_permit" else "-"
        )
        rows.append(("ates", label, value, unit))
    for key, value in (summary.get("gas_reference") or {}).items():
        unit = "m3/year" if "_m3_" in key else "t/year" if "_tonne_" in key else "EUR/year"
        rows.append(("gas_reference", key, value, unit))
    rows.append(("meta", "price_year", summary["price_year"], "EUR of this year"))
    rows.append(("meta", "input_hash", summary["input_hash"], ""))
    rows.append(("meta", "package_version", summary["package_version"], ""))
    return rows


def write_results(
    ds: xr.Dataset,
    summary: dict,
    out_dir: Path,
    extra: dict[str, Callable[[Path], None]] | None = None,
) -> list[Path]:
    """Write ``results.nc``, ``summary.csv`` and ``summary.json`` into ``out_dir``, with
    any ``extra`` files (name -> writer), all or nothing (see
    :func:`optimiser.files.write_files`)."""

    def write_json(path: Path) -> None:
        path.write_text(json.dumps(summary, indent=2, default=float), encoding="utf-8")

    def write_csv(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["section", "item", "value", "unit"])
            writer.writerows(summary_rows(summary))

    return write_files(
        out_dir,
        {
            "results.nc": ds.to_netcdf,
            "summary.json": write_json,
            "summary.csv": write_csv,
            **(extra or {}),
        },
    )


def read_results(path: Path) -> xr.Dataset:
    """Load ``results.nc`` (a file or the folder holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / "results.nc"
    return read_dataset(path, fix="give the results.nc that 'wijk run' wrote, or run again")

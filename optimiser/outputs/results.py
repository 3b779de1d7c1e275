"""A solved model as one ``xarray.Dataset``, its balance check and summary (the files:
:mod:`optimiser.outputs.result_files`).

The Dataset holds the inputs (demands, weather, prices) and the solution:

- ``flow`` (component, carrier, time): flow into each carrier, negative out of it, in
  the carrier's unit (``carrier_unit``: kW for energy, m3/h for water); summed over
  components it is zero for every carrier and hour (the balance);
- ``level_kwh`` (storage, time): storage levels at the end of each hour;
- ``size`` (size): investment decisions, labelled ``component.quantity`` with ``size_unit``;
- ``investment_eur`` (component), ``cost_eur_per_year`` (component, cost_kind),
  ``co2_kg_per_year`` (component);
- per-component series such as ``heat_pump_cop`` (time).

Attributes record the scenario, its input hash and the package version, and the
solver's status, objective, bound and gap.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from optimiser import __version__
from optimiser.constants import KWH_PER_GJ
from optimiser.economics.water_accounting import water_accounting, water_paths
from optimiser.model.builder import COST_KINDS, ModelBuilder
from optimiser.model.carriers import CARRIER_UNITS, NUTRIENT_CARRIERS, WATER_CARRIERS
from optimiser.model.network_costs import NETWORK_COST_LINES
from optimiser.model.solve import SolveResult
from optimiser.outputs.electricity_bills import (
    electricity_bills,
    price_record,
    private_grid_transfer_eur,
)
from optimiser.outputs.nutrients import nutrient_balance
from optimiser.outputs.sanitation_benchmark import sanitation_benchmark
from optimiser.outputs.series import annual_total, electricity_value_eur_per_kwh, heat_delivered_kwh
from optimiser.outputs.verdict import solver_verdict

HEAT_CARRIERS = ("network_heat", "source_heat")
"""Carriers whose components' costs make up the cost of heat."""


def extract(
    builder: ModelBuilder, solution: SolveResult, metadata: dict[str, str | float]
) -> xr.Dataset:
    """Collect the solved model of ``builder`` into a labelled Dataset."""
    n = builder.n_steps
    inputs = builder.inputs
    components = list(
        dict.fromkeys([f.component for f in builder.flows] + [c for c, _ in builder.costs])
    )
    carriers = sorted({f.carrier for f in builder.flows})
    flow = np.zeros((len(components), len(carriers), n))
    for f in builder.flows:
        values = (
            f.coefficient if f.variable is None else f.coefficient * f.variable.values_or_zero()
        )
        flow[components.index(f.component), carriers.index(f.carrier)] += values

    cost = np.zeros((len(components), len(COST_KINDS)))
    co2 = np.zeros(len(components))
    for (component, kind), terms in builder.costs.items():
        value = float(sum(pyo.value(term) for term in terms))
        if kind == "co2":
            co2[components.index(component)] = value
            value *= builder.co2_price_eur_per_kg
        cost[components.index(component), COST_KINDS.index(kind)] = value

    investment = np.array(
        [pyo.value(builder.investments[c]) if c in builder.investments else 0.0 for c in components]
    )
    size_labels = [f"{s.component}.{s.name}" for s in builder.sizes]
    size_values = [float(pyo.value(s.expression)) for s in builder.sizes]

    ds = inputs.copy()
    ds = ds.assign_coords(
        component=components,
        carrier=carriers,
        carrier_unit=("carrier", [CARRIER_UNITS[c] for c in carriers]),
        cost_kind=list(COST_KINDS),
        size=size_labels,
        size_unit=("size", [s.unit for s in builder.sizes]),
        storage=[lv.component for lv in builder.levels],
    )
    ds["flow"] = (
        ("component", "carrier", "time"),
        flow,
        {"units": "kW (energy carriers) or m3/h (water carriers); see carrier_unit"},
    )
    ds["level_kwh"] = (
        ("storage", "time"),
        np.array([lv.variable.values_or_zero() for lv in builder.levels]).reshape(
            len(builder.levels), n
        ),
        {"units": "kWh"},
    )
    ds["size_value"] = (("size",), np.array(size_values), {"long_name": "installed size"})
    ds["investment_eur"] = (("component",), investment, {"units": "EUR"})
    ds["cost_eur_per_year"] = (("component", "cost_kind"), cost, {"units": "EUR/year"})
    ds["co2_kg_per_year"] = (("component",), co2, {"units": "kg/year"})
    for s in builder.series:
        values = s.values if s.variable is None else s.scale * s.variable.values_or_zero()
        ds[f"{s.component}_{s.name}"] = (("time",), values, {"units": s.unit})
    for lv in builder.levels:
        if lv.day_start is not None:
            starts = np.array([lv.day_start[d].value or 0.0 for d in lv.day_start])
            ds[f"{lv.component}_day_start_kwh"] = (("day",), starts, {"units": "kWh"})
    if builder.slack:
        unmet = np.array([builder.shortfall[c].values_or_zero() for c in carriers])
        dumped = np.array([builder.surplus[c].values_or_zero() for c in carriers])
        ds["unmet"] = (("carrier", "time"), unmet, {"units": "kW or m3/h, see carrier_unit"})
        ds["surplus"] = (("carrier", "time"), dumped, {"units": "kW or m3/h, see carrier_unit"})
    ds.attrs.update(
        {
            "package_version": __version__,
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "solver_status": solution.status,
            "objective_eur_per_year": solution.objective,
            "bound_eur_per_year": solution.bound,
            "mip_gap": solution.gap,
            "requested_gap": solution.requested_gap,
            "constant_cost_eur_per_year": solution.constant,
            "solve_seconds": solution.seconds,
            "highs_seconds": solution.highs_seconds,
            **metadata,
        }
    )
    return ds


def balance_residual(ds: xr.Dataset) -> xr.DataArray:
    """Relative imbalance per carrier and hour: |sum of flows| / max(throughput, 1 kW or
    1 m3/h).

    Unmet demand and dumped surplus of a checked design count as flows, so the residual
    tests the arithmetic of the balance; :func:`unmet_energy` reports what was unmet.
    """
    net = ds["flow"].sum("component")
    if "unmet" in ds:
        net = net + ds["unmet"] - ds["surplus"]
    throughput = ds["flow"].clip(min=0).sum("component")
    return abs(net) / np.maximum(throughput, 1.0)


def unmet_energy(ds: xr.Dataset) -> dict[str, dict[str, float | str]]:
    """Per carrier: what a checked design could not serve (or absorb) in a year, in the
    carrier's unit (MWh for energy, m3 for water), in how many hours, and the peak."""
    report: dict[str, dict[str, float | str]] = {}
    if "unmet" not in ds:
        return report
    for carrier in ds["carrier"].values.astype(str):
        water = carrier in WATER_CARRIERS
        mass = carrier in NUTRIENT_CARRIERS
        for kind in ("unmet", "surplus"):
            series = ds[kind].sel(carrier=carrier)
            hours = int((series > 1e-4).sum())
            if hours:
                total = float(annual_total(ds, series))
                report[f"{carrier}.{kind}"] = {
                    "amount": total if water or mass else total / 1e3,
                    "unit": "m3" if water else "kg" if mass else "MWh",
                    "hours": hours,
                    "peak": float(series.max()),
                    "peak_unit": CARRIER_UNITS[carrier],
                }
    return report


def heat_components(ds: xr.Dataset) -> list[str]:
    """Components that produce, store or move heat, plus the fixed heat investments."""
    flows = ds["flow"].sel(carrier=[c for c in HEAT_CARRIERS if c in ds["carrier"]])
    touches = (abs(flows) > 0).any(["carrier", "time"])
    names = [str(c) for c in ds["component"].values if bool(touches.sel(component=c))]
    demands = {"heat_demand", "network_loss"}
    fixed = {*NETWORK_COST_LINES, "building_upgrade", "gas_grid"}
    return [
        c
        for c in ds["component"].values.astype(str)
        if (c in names and c not in demands) or c in fixed
    ]


def heat_cost(ds: xr.Dataset) -> dict:
    """The cost of heat: the heat components' annual cost plus the electricity they draw
    at its hourly marginal value (EUR/year), of which capital annuities; their
    investments (EUR, per component); the heat delivered (GJ/year)."""
    names = heat_components(ds)
    tariffs = "electricity_tariffs_json" in ds.attrs
    transfer = 0.0
    if tariffs:  # the energy centre's own connection: all of it serves the heat
        names += [c for c in energy_centre_components(ds) if c not in names]
        names = [c for c in names if c != "private_grid"]  # the homes' side, not heat
        transfer = private_grid_transfer_eur(ds)
    costs = ds["cost_eur_per_year"].sel(component=names)
    annual = float(costs.sum()) + transfer
    if not tariffs and "grid" in ds["component"] and "electricity" in ds["carrier"]:
        drawn = (
            (-ds["flow"].sel(component=names, carrier="electricity")).clip(min=0).sum("component")
        )
        annual += float(annual_total(ds, drawn * electricity_value_eur_per_kwh(ds)))
    return {
        "annual_eur": annual,
        "capex_annuity_eur": float(costs.sel(cost_kind="capex_annuity").sum()),
        "investment_eur": {
            c: float(ds["investment_eur"].sel(component=c))
            for c in names
            if ds["investment_eur"].sel(component=c) > 0
        },
        "delivered_gj": heat_delivered_kwh(ds) / KWH_PER_GJ,
    }


def energy_centre_components(ds: xr.Dataset) -> list[str]:
    """Components on the energy centre's electricity connection (Dutch tariffs): the grid
    and whatever else feeds or draws its carrier (PV placed there, the battery)."""
    if "electricity" not in ds["carrier"].values:
        return []
    flows = ds["flow"].sel(carrier="electricity")
    touches = (abs(flows) > 0).any("time")
    return [str(c) for c in ds["component"].values if bool(touches.sel(component=c))]


def levelised_cost_of_heat(ds: xr.Dataset) -> float:
    """Cost of heat in EUR/GJ delivered (see :func:`heat_cost`)."""
    cost = heat_cost(ds)
    return cost["annual_eur"] / cost["delivered_gj"] if cost["delivered_gj"] > 0 else float("nan")


def summarise(ds: xr.Dataset) -> dict:
    """Key figures of a result: sizes, annual energy, costs, CO2, LCOH, balance checks."""
    energy, water = {}, {}
    for component in ds["component"].values.astype(str):
        for carrier in ds["carrier"].values.astype(str):
            series = ds["flow"].sel(component=component, carrier=carrier)
            produced = float(annual_total(ds, series.clip(min=0)))
            used = float(annual_total(ds, (-series).clip(min=0)))
            if produced <= 1e-6 and used <= 1e-6:
                continue
            if carrier in WATER_CARRIERS:
                water[f"{component}.{carrier}"] = {"in_m3": produced, "out_m3": used}
            elif carrier in NUTRIENT_CARRIERS:
                continue  # in the yearly nutrient balance
            else:
                energy[f"{component}.{carrier}"] = {"in_mwh": produced / 1e3, "out_mwh": used / 1e3}
    costs = {
        str(c): {
            str(k): float(ds["cost_eur_per_year"].sel(component=c, cost_kind=k))
            for k in ds["cost_kind"].values
        }
        for c in ds["component"].values
    }
    summary = {
        "scenario": ds.attrs.get("scenario"),
        "price_year": ds.attrs.get("price_year"),
        "input_hash": ds.attrs.get("input_hash"),
        "package_version": ds.attrs.get("package_version"),
        "method": ds.attrs.get("design_method"),
        "solver": {
            "status": ds.attrs.get("solver_status"),
            "objective_eur_per_year": ds.attrs.get("objective_eur_per_year"),
            "bound_eur_per_year": ds.attrs.get("bound_eur_per_year"),
            "mip_gap": ds.attrs.get("mip_gap"),
            "build_seconds": ds.attrs.get("build_seconds"),
            "solve_seconds": ds.attrs.get("solve_seconds"),
            "year_prices": json.loads(ds.attrs.get("check_year_prices_json", "null")),
            "year_price_seconds": ds.attrs.get("check_price_seconds"),
            **solver_verdict(ds.attrs),
        },
        "sizes": {
            str(label): {"value": float(v), "unit": str(u)}
            for label, v, u in zip(
                ds["size"].values, ds["size_value"].values, ds["size_unit"].values, strict=True
            )
        },
        "investment_eur": {
            str(c): float(v)
            for c, v in zip(ds["component"].values, ds["investment_eur"].values, strict=True)
            if v
        },
        "cost_eur_per_year": costs,
        "total_cost_eur_per_year": float(ds["cost_eur_per_year"].sum()),
        "co2_tonne_per_year": float(ds["co2_kg_per_year"].sum()) / 1e3,
        "heat_delivered_mwh": heat_delivered_kwh(ds) / 1e3,
        "levelised_cost_of_heat_eur_per_gj": levelised_cost_of_heat(ds),
        "heat_cost": heat_cost(ds),
        "annual_energy": energy,
        "annual_water": water,
        "max_balance_residual": {
            str(c): float(v) for c, v in balance_residual(ds).max("time").to_series().items()
        },
    }
    if "ates" in ds["storage"].values:
        summary["ates_balance"] = ates_balance(ds)
    if "wastewater" in ds["carrier"].values:
        summary["water_paths"] = water_paths(ds)
        summary["water_accounting"] = water_accounting(ds)
        nutrients = nutrient_balance(ds)
        if nutrients:
            summary["nutrient_balance"] = nutrients
            benchmark = sanitation_benchmark(ds, nutrients)
            if benchmark is not None:
                summary["sanitation_benchmark"] = benchmark
    if "electricity_tariffs_json" in ds.attrs:
        summary["electricity_bills"] = electricity_bills(ds)
        summary["electricity_prices"] = price_record(ds)
    summary["unmet_energy"] = unmet_energy(ds)
    if "design_objective_eur_per_year" in ds.attrs:
        design = ds.attrs["design_objective_eur_per_year"]
        full = summary["total_cost_eur_per_year"]
        summary["design"] = {
            "typical_days": int(ds.attrs["design_typical_days"]),
            "objective_eur_per_year": design,
            "typical_day_bound_eur_per_year": ds.attrs.get(
                "design_typical_day_bound_eur_per_year", ds.attrs.get("design_bound_eur_per_year")
            ),
            "mip_gap": ds.attrs["design_mip_gap"],
            "energy_tax": ds.attrs.get("design_energy_tax"),
            "build_seconds": ds.attrs["design_build_seconds"],
            "solve_seconds": ds.attrs["design_solve_seconds"],
            "sizes": json.loads(ds.attrs.get("design_sizes_json", "{}")),
            "full_year_cost_eur_per_year": full,
            "difference_fraction": (full - design) / full if full else 0.0,
        }
    return summary


def ates_balance(ds: xr.Dataset) -> dict[str, float]:
    """Heat injected into and extracted from the ATES wells in a year (MWh), the part of
    the extracted heat that was the aquifer's own (never charged), and the imbalance
    (injected - extracted) as a share of the heat injected: what Dutch permits bound
    (positive = net heat added to the ground)."""
    injected = float(annual_total(ds, ds["ates_charge_kw"])) / 1e3
    natural = float(annual_total(ds, ds["ates_natural_heat_kw"])) / 1e3
    extracted = float(annual_total(ds, ds["ates_discharge_kw"])) / 1e3 + natural
    imbalance = (injected - extracted) / injected if injected > 0 else 0.0
    heat_band = float(ds.attrs.get("ates_heat_surplus_tolerance", 0.0))
    cold_band = float(ds.attrs.get("ates_cold_surplus_tolerance", 0.0))
    return {
        "injected_mwh": injected,
        "extracted_mwh": extracted,
        "aquifer_heat_mwh": natural,
        "imbalance_fraction": imbalance,
        "permit_heat_surplus_fraction": heat_band,
        "permit_cold_surplus_fraction": cold_band,
        "within_permit": -cold_band - 1e-6 <= imbalance <= heat_band + 1e-6,
    }

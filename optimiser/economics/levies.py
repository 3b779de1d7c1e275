"""Levies transferred and central costs avoided: who gains what when the cooperative
treats the neighbourhood's wastewater (EUR/year, from a solved results Dataset).

The homes keep paying the water board's treatment levy (``units_per_home`` pollution
units each) and the municipal sewer levy; when the cooperative takes a task over, the
``*_transferred_share`` of each levy is passed to it. The water board saves its
variable treatment cost on every pollution unit that no longer reaches its plant:
(COD + 4.57 x N kept local) / 54.8 kg per unit and year (recovered, left in sludge,
converted to biogas or oxidised locally). The drinking-water company no longer sells
what vacuum toilets save and what local treatment reuses: it loses the tariff and saves
its variable production cost. Positive numbers are cash in, negative cash out, relative
to the same neighbourhood without the cooperative's water tasks. For the cost game
(:mod:`optimiser.economics.allocation.utilities`) the water board's account also gives
the part of its avoided treatment in grey water (``avoided_treatment_grey_water_eur``)
and the company's the water local treatment supplies and its margin on that water
alone (``treated_water_supplied_m3``, ``net_change_treated_water_eur``: without the
flush water vacuum toilets save).
"""

from __future__ import annotations

import xarray as xr

from optimiser.constants import GJ_PER_MWH
from optimiser.inputs.sanitation import G_O2_PER_G_N, KG_O2_PER_POLLUTION_UNIT
from optimiser.outputs.nutrients import LOCAL_FATES, PATTERN, nutrient_balance
from optimiser.outputs.series import annual_total


def pollution_units(cod_kg: float, n_kg: float) -> float:
    """Pollution units (v.e.) of a yearly COD and Kjeldahl-N load (kg/year)."""
    return (cod_kg + G_O2_PER_G_N * n_kg) / KG_O2_PER_POLLUTION_UNIT


def _scalar(ds: xr.Dataset, name: str) -> float:
    return float(ds[name]) if name in ds else 0.0


def units_avoided(ds: xr.Dataset) -> tuple[float, float]:
    """Pollution units of the homes' separated streams per year, and those kept away
    from the central plant (0, 0 without separated streams)."""
    balance = nutrient_balance(ds)
    if not balance:
        return 0.0, 0.0
    cod, n = balance["cod"], balance["n"]
    total = pollution_units(cod["load_kg"], n["load_kg"])
    kept = pollution_units(cod["kept_local_kg"], n["kept_local_kg"])
    return total, kept


def grey_water_units_kept(ds: xr.Dataset) -> float:
    """Pollution units of the grey water's load kept local (oxidised by its treatment)
    per year: the part of :func:`units_avoided` in water whose m3 the optimisation
    already credits at the sewer price once it is reused."""
    kg = {"cod": 0.0, "n": 0.0}
    for name in ds.data_vars:
        match = PATTERN.match(str(name))
        if (
            match is None
            or match["stream"] != "grey_water"
            or match["fate"] not in LOCAL_FATES
            or match["substance"] not in kg
        ):
            continue
        kg[match["substance"]] += float(annual_total(ds, ds[name]))
    return pollution_units(kg["cod"], kg["n"])


def _mean_price(ds: xr.Dataset, name: str) -> float:
    weight = ds["weight"]
    return float((ds[name] * weight).sum() / weight.sum())


def locally_treated_water_m3(ds: xr.Dataset) -> float:
    """Process water local treatment supplies in place of drinking water (m3/year)."""
    local = 0.0
    for component in ("water_treatment", "greywater_treatment"):
        if component in ds["component"].values and "process_water" in ds["carrier"].values:
            flow = ds["flow"].sel(component=component, carrier="process_water").clip(min=0)
            local += float(annual_total(ds, flow))
    return local


def reused_drinking_water_m3(ds: xr.Dataset) -> float:
    """Drinking water the company no longer delivers (m3/year): the flush water vacuum
    toilets save and the process water local treatment supplies."""
    return _scalar(ds, "vacuum_saved_drinking_water_m3_per_year") + locally_treated_water_m3(ds)


def teo_fee_account(ds: xr.Dataset) -> dict[str, float]:
    """The TEO owner's fee income (fee x TEO heat) and the TEO's annual cost (EUR/year);
    zero without a fee."""
    fee = _scalar(ds, "teo_fee_eur_per_gj")
    if fee <= 0 or "teo" not in ds["component"].values:
        return {"teo_fee_eur": 0.0, "teo_cost_eur": 0.0}
    heat = ds["flow"].sel(component="teo").clip(min=0).sum("carrier")
    gj = float(annual_total(ds, heat)) / 1e3 * GJ_PER_MWH
    cost = float(ds["cost_eur_per_year"].sel(component="teo").sum())
    return {"teo_fee_eur": fee * gj, "teo_cost_eur": -cost}


def levy_accounts(ds: xr.Dataset) -> dict[str, dict[str, float]]:
    """Per party what the cooperative's water tasks change in a year (EUR/year, +: in)."""
    if "treatment_levy_eur_per_unit" not in ds:
        return {}
    homes = _scalar(ds, "homes")
    treatment_levy = (
        homes * _scalar(ds, "levy_units_per_home") * _scalar(ds, "treatment_levy_eur_per_unit")
    )
    sewer_levy = homes * _scalar(ds, "sewer_levy_eur_per_home")
    treatment_moved = _scalar(ds, "treatment_levy_transferred_share") * treatment_levy
    sewer_moved = _scalar(ds, "sewer_levy_transferred_share") * sewer_levy
    total_units, kept_units = units_avoided(ds)
    per_unit = _scalar(ds, "avoided_treatment_eur_per_unit")
    avoided = kept_units * per_unit
    not_sold = reused_drinking_water_m3(ds)
    treated = locally_treated_water_m3(ds)
    tariff = _mean_price(ds, "drinking_water_eur_per_m3")
    margin = _scalar(ds, "avoided_drinking_water_eur_per_m3") - tariff
    return {
        "households": {
            "treatment_levy_paid_eur": -treatment_levy,
            "sewer_levy_paid_eur": -sewer_levy,
            "levy_change_eur": 0.0,
        },
        "water_board": {
            "treatment_levy_received_eur": treatment_levy,
            "treatment_levy_transferred_eur": -treatment_moved,
            "pollution_units_of_streams": total_units,
            "pollution_units_avoided": kept_units,
            "avoided_treatment_eur": avoided,
            "avoided_treatment_grey_water_eur": grey_water_units_kept(ds) * per_unit,
            "net_change_eur": avoided - treatment_moved,
        },
        "municipality": {
            "sewer_levy_received_eur": sewer_levy,
            "sewer_levy_transferred_eur": -sewer_moved,
            "net_change_eur": -sewer_moved,
        },
        "cooperative": {"levies_received_eur": treatment_moved + sewer_moved},
        "drinking_water_company": {
            "drinking_water_not_sold_m3": not_sold,
            "lost_sales_eur": -not_sold * tariff,
            "avoided_production_eur": not_sold * _scalar(ds, "avoided_drinking_water_eur_per_m3"),
            "net_change_eur": not_sold * margin,
            "treated_water_supplied_m3": treated,
            "net_change_treated_water_eur": treated * margin,
        },
    }

"""Water by path and per party: what reuse saves whom, from a solved results Dataset.

The optimisation sees system costs only (drinking water bought, m3 sent to the central
treatment plant). Who gains is a separate question for the cost allocation: the
factory buys less drinking water, the water board treats less wastewater centrally
(and receives less treatment levy), dischargers pay less levy.
"""

from __future__ import annotations

import xarray as xr

from optimiser.economics.levies import levy_accounts
from optimiser.outputs.series import annual_total


def _annual(ds: xr.Dataset, component: str, carrier: str, sign: float = 1.0) -> float:
    """m3/year (or kWh/year) of ``component``'s flow into (sign +1) or out of (-1) a carrier."""
    if component not in ds["component"].values or carrier not in ds["carrier"].values:
        return 0.0
    series = sign * ds["flow"].sel(component=component, carrier=carrier)
    return float(annual_total(ds, series.clip(min=0)))


def water_paths(ds: xr.Dataset) -> dict[str, float]:
    """Annual water by path (m3/year) and heat recovered (MWh/year)."""
    process_demands = [
        str(c)
        for c in ds["component"].values
        if str(c).endswith("_process_water") or str(c) == "toilet_flushing"
    ]
    treated_in = _annual(ds, "water_treatment", "wastewater", -1.0)
    reused = _annual(ds, "water_treatment", "process_water")
    paths = {
        "drinking_water_to_consumers_m3": _annual(
            ds, "drinking_water_demand", "drinking_water", -1
        ),
        "drinking_water_as_process_water_m3": _annual(ds, "drinking_water", "process_water"),
        "wastewater_produced_m3": _annual(ds, "wastewater", "wastewater"),
        "wastewater_to_sewer_m3": _annual(ds, "sewer", "wastewater", -1.0),
        "wastewater_treated_locally_m3": treated_in,
        "treated_water_reused_m3": reused,
        "treatment_concentrate_to_sewer_m3": treated_in - reused,
        "process_water_used_m3": sum(
            _annual(ds, c, "process_water", -1.0) for c in process_demands
        ),
        "wastewater_heat_mwh": _annual(ds, "wastewater_heat", "source_heat") / 1e3,
        "factory_heat_to_network_mwh": _annual(ds, "factory_heat", "network_heat") / 1e3,
        "factory_heat_to_source_loop_mwh": _annual(ds, "factory_heat", "source_heat") / 1e3,
    }
    if "black_water" in ds["carrier"].values:
        paths.update(separated_paths(ds))
    return paths


def separated_paths(ds: xr.Dataset) -> dict[str, float]:
    """Annual black and grey water by path (m3/year) and the heat they give (MWh/year)."""
    # the digester's biogas heat less the heat keeping its reactor warm
    digester_heat = _annual(ds, "anaerobic_digester", "network_heat") - _annual(
        ds, "anaerobic_digester", "network_heat", -1.0
    )
    return {
        "black_water_produced_m3": _annual(ds, "separated_streams", "black_water"),
        "black_water_to_digester_m3": _annual(ds, "anaerobic_digester", "black_water", -1.0),
        "black_water_to_sewer_m3": _annual(ds, "sewer", "black_water", -1.0),
        "grey_water_produced_m3": _annual(ds, "separated_streams", "grey_water"),
        "grey_water_treated_m3": _annual(ds, "greywater_treatment", "grey_water", -1.0),
        "grey_water_reused_m3": _annual(ds, "greywater_treatment", "process_water"),
        "grey_water_to_sewer_m3": _annual(ds, "sewer", "grey_water", -1.0),
        "biogas_heat_net_mwh": digester_heat / 1e3,
        "greywater_heat_mwh": _annual(ds, "greywater_heat", "source_heat") / 1e3,
    }


def water_accounting(ds: xr.Dataset) -> dict[str, dict[str, float]]:
    """What reuse changes for each party in a year (EUR/year, m3/year).

    Reused water is shared over the process-water users in proportion to their annual
    process-water use (the tank mixes it); each saves drinking water at its tariff. The
    water board treats less wastewater centrally (``sewer_eur_per_m3`` per m3 no longer
    reaching it). Households pay the treatment levy per household (1 or 3 pollution
    units), so diverting their wastewater changes no household levy; the cooperative's
    treatment plant is a business discharger and pays the levy per m3 on its
    concentrate, which the water board receives. The homes' levies, what of them is
    transferred and the central costs avoided are added per party (see
    :func:`optimiser.economics.levies.levy_accounts`); the water board's
    ``net_change_eur`` counts both routes (the TEO's heat fee is in
    :mod:`optimiser.economics.water_board`).
    """
    paths = water_paths(ds)
    reused = paths["treated_water_reused_m3"]
    concentrate = paths["treatment_concentrate_to_sewer_m3"]
    weight = ds["weight"]
    drinking_price = float((ds["drinking_water_eur_per_m3"] * weight).sum() / weight.sum())
    sewer_price = float((ds["sewer_eur_per_m3"] * weight).sum() / weight.sum())
    levy = float(ds["treatment_levy_eur_per_m3"])
    users = {
        str(c): _annual(ds, str(c), "process_water", -1.0)
        for c in ds["component"].values
        if str(c).endswith("_process_water") or str(c) == "toilet_flushing"
    }
    total_use = sum(users.values())
    accounts: dict[str, dict[str, float]] = {}
    for user, used in users.items():
        share = used / total_use if total_use > 0 else 0.0
        party = user.removesuffix("_process_water")
        accounts[party] = {
            "process_water_m3": used,
            "reused_water_m3": share * reused,
            "avoided_drinking_water_eur": share * reused * drinking_price,
        }
    accounts["water_board"] = {
        "avoided_central_treatment_m3": reused,
        "avoided_central_treatment_eur": reused * sewer_price,
        "levy_on_concentrate_eur": concentrate * levy,
    }
    accounts["cooperative"] = {"levy_on_concentrate_eur": concentrate * levy}
    for party, items in levy_accounts(ds).items():
        accounts.setdefault(party, {}).update(items)
    board = accounts["water_board"]  # its levy account's change, plus the reuse route's
    board["net_change_eur"] = (
        board.get("net_change_eur", 0.0)
        + board["avoided_central_treatment_eur"]
        + board["levy_on_concentrate_eur"]
    )
    return accounts

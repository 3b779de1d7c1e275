"""Electricity bill per connection under Dutch tariffs, recomputed from a solved result.

The bills are plain arithmetic on the hourly flows, the prices and the tariff files, not
read back from the optimiser, so they also check it: ``model_eur`` is what the model's
connection component costs and ``matches_model`` says whether the bills add up to it
(within EUR 1).

``summary["electricity_bills"]`` (EUR/year excl. VAT; kWh/year) maps a connection to::

    connections            number of identical connections (1 for the energy centre)
    import_kwh, export_kwh all connections together
    taxed_kwh_per_connection  yearly kWh per connection the energy tax applies to
                           (import, less netted export before 2027)
    energy_eur             supply (day-ahead + margin) less export earnings
    tax_eur_by_bracket     {"0-10000 kWh": EUR, ...}, all connections together
    tax_refund_eur         negative: the refund (belastingvermindering), all connections
    tax_eur                brackets + refund
    transport_eur          DSO transport (large connection: contracted kW, 12 monthly
                           kW-max, kWh and the class's fixed charge; see ``transport``)
    standing_eur           small connections' fixed DSO charges (capacity, transport,
                           connection, meter)
    total_eur, per_connection_eur
    today_per_connection_eur, change_per_connection_eur  (household groups) the bill per
                           connection without the cooperative (own use through the own
                           meter, no roof PV) and the change the cooperative brings

Households are per group (``apartment``, ...): the homes are one aggregate connection in
the model and each group's share is its share of the households' use (roof PV is spread
in that proportion). ``energy_centre`` is the cooperative's connection; businesses are per
group. With a private grid the homes have no public connection of their own: their use
drawn from the public grid is in the energy centre's bill (behind its meter), and
``private_grid`` shows the homes' side: kWh carried each way (``import_kwh``: to the
homes, ``export_kwh``: to the energy centre), the homes' tax refund, and as
``standing_eur`` the cable's O&M and the homes' billing meters (the model's figure).
``summary["electricity_prices"]`` says where the day-ahead prices came from and
whether they are the synthetic shape.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import xarray as xr

from optimiser.inputs.electricity import (
    DSOTariff,
    EnergyTax,
    bracket_kwh,
    bracket_tax,
    load_dso_tariff,
    load_energy_tax,
)
from optimiser.model.components.tariffs import month_steps

MATCH_EUR = 1.0
"""Largest difference (EUR/year) between bills and model cost that still counts as equal."""


def _total(ds: xr.Dataset, values) -> float:
    """Weighted sum over the time steps (kWh/year of kW, EUR/year of EUR/h)."""
    return float(np.sum(np.asarray(ds["weight"].values) * np.asarray(values)))


def _series(ds: xr.Dataset, name: str) -> np.ndarray:
    return np.asarray(ds[name].values, dtype=float) if name in ds else np.zeros(ds.sizes["time"])


def _bracket_labels(tax: EnergyTax) -> list[str]:
    lower = [0.0] + [b.up_to_kwh for b in tax.brackets[:-1]]
    return [
        f"{lo:.0f}-{b.up_to_kwh:.0f} kWh" if b.up_to_kwh is not None else f">{lo:.0f} kWh"
        for lo, b in zip(lower, tax.brackets, strict=True)
    ]


def _tax(tax: EnergyTax, taxed_kwh: float, count: int, refund: bool) -> dict:
    """Tax by bracket for ``count`` connections sharing ``taxed_kwh`` equally."""
    per = taxed_kwh / count if count else 0.0
    by_bracket = {
        label: count * eur
        for label, eur in zip(_bracket_labels(tax), bracket_tax(tax, per), strict=True)
    }
    refund_eur = -count * tax.refund_eur if refund else 0.0
    return {
        "taxed_kwh_per_connection": per,
        "tax_eur_by_bracket": by_bracket,
        "tax_refund_eur": refund_eur,
        "tax_eur": sum(by_bracket.values()) + refund_eur,
    }


def _bill(connections: int, imp: float, exp: float, energy: float, tax: dict, **extra) -> dict:
    transport = extra.get("transport_eur", 0.0)
    standing = extra.get("standing_eur", 0.0)
    total = energy + tax["tax_eur"] + transport + standing
    return {
        "connections": connections,
        "import_kwh": imp,
        "export_kwh": exp,
        "energy_eur": energy,
        **tax,
        "transport_eur": transport,
        "standing_eur": standing,
        **{k: v for k, v in extra.items() if k not in ("transport_eur", "standing_eur")},
        "total_eur": total,
        "per_connection_eur": total / connections if connections else 0.0,
    }


def _energy_centre(ds: xr.Dataset, tax: EnergyTax, dso: DSOTariff, refund: bool) -> dict:
    imp, exp = _series(ds, "grid_import_kw"), _series(ds, "grid_export_kw")
    p_in = _series(ds, "electricity_import_eur_per_kwh")
    p_ex = _series(ds, "electricity_export_eur_per_kwh")
    kwh = _total(ds, imp)
    energy = _total(ds, p_in * imp) - _total(ds, p_ex * exp)
    sizes = dict(zip(ds["size"].values.astype(str), ds["size_value"].values, strict=True))
    classes = dso.large_connection.classes
    chosen = next((k for k in range(len(classes)) if sizes.get(f"grid.class_{k + 1}", 0) > 0.5), 0)
    cls = classes[chosen]
    contracted = float(sizes.get("grid.contracted_kw", 0.0))
    steps, scale = month_steps(ds)
    peaks = {m + 1: float(imp[idx].max()) if len(idx) else 0.0 for m, idx in steps.items()}
    transport = {
        "dso": dso.name,
        "class": cls.name,
        "contracted_kw": contracted,
        "contract_eur": cls.contract_eur_per_kw_year * contracted,
        "monthly_peak_kw": peaks,
        "kwmax_eur": scale * cls.kwmax_eur_per_kw_month * sum(peaks.values()),
        "kwh_eur": cls.transport_eur_per_kwh * kwh,
        "fixed_eur": cls.fixed_eur_per_year,
    }
    total_transport = sum(v for k, v in transport.items() if k.endswith("_eur"))
    return _bill(
        1,
        kwh,
        _total(ds, exp),
        energy,
        _tax(tax, kwh, 1, refund),
        transport_eur=total_transport,
        transport=transport,
    )


def _standing(dso: DSOTariff) -> dict:
    small = dso.small_connection
    return {
        "class": small.class_,
        "capacity_eur": small.capacity_eur_per_year,
        "transport_fixed_eur": small.transport_fixed_eur_per_year,
        "connection_eur": small.connection_eur_per_year,
        "meter_eur": small.meter_eur_per_year,
    }


def _households(ds: xr.Dataset, names: list[str], tax: EnergyTax, dso: DSOTariff) -> dict:
    use = ds["electricity_demand_kw"].sel(consumer=names)
    totals = {n: _total(ds, use.sel(consumer=n).values) for n in names}
    all_use = sum(totals.values())
    imp, exp = _series(ds, "homes_grid_import_kw"), _series(ds, "homes_grid_export_kw")
    netted = _series(ds, "homes_grid_netted_kw")
    p_in = _series(ds, "electricity_import_eur_per_kwh")
    p_ex = _series(ds, "electricity_export_eur_per_kwh")
    # netted kWh earn the supply price of their hour instead of the export price
    energy = _total(ds, p_in * imp) - _total(ds, p_ex * exp) - _total(ds, (p_in - p_ex) * netted)
    taxed = _total(ds, imp) - _total(ds, netted)
    energy_today = _total(ds, p_in * use.sum("consumer").values)  # all homes, own meters
    counts = dict(zip(ds["consumer"].values.astype(str), ds["connections"].values, strict=True))
    bills = {}
    for name in names:
        share = totals[name] / all_use if all_use > 0 else 0.0
        count = int(counts[name])
        standing = count * dso.small_connection.total_eur_per_year
        bills[name] = _bill(
            count,
            share * _total(ds, imp),
            share * _total(ds, exp),
            share * energy,
            _tax(tax, share * taxed, count, refund=True),
            standing_eur=standing,
            standing=_standing(dso),
        )
        # today: the group's own use through its own meters, no roof PV; its energy at
        # the homes' hourly prices split by the same use share as the bill above, so a
        # design without roof PV changes nothing
        today = _bill(
            count, totals[name], 0.0, share * energy_today,
            _tax(tax, totals[name], count, refund=True), standing_eur=standing,
        )  # fmt: skip
        bills[name]["today_per_connection_eur"] = today["per_connection_eur"]
        bills[name]["change_per_connection_eur"] = (
            bills[name]["per_connection_eur"] - today["per_connection_eur"]
        )
    return bills


def household_changes(bills: dict | None) -> dict[str, float]:
    """Per household group, how much its electricity bill per connection changes with the
    cooperative (EUR/year excl. VAT; negative: it saves, e.g. by the cooperative's roof
    PV behind its meter). Empty without Dutch tariffs or behind a private grid (the homes
    then buy from the cooperative, whose electricity tariff is not modelled)."""
    return {
        name: bill["change_per_connection_eur"]
        for name, bill in (bills or {}).items()
        if "change_per_connection_eur" in bill
    }


def _businesses(ds: xr.Dataset, names: list[str], tax: EnergyTax, dso: DSOTariff) -> dict:
    p_in = _series(ds, "electricity_import_eur_per_kwh")
    counts = dict(zip(ds["consumer"].values.astype(str), ds["connections"].values, strict=True))
    bills = {}
    for name in names:
        use = np.asarray(ds["electricity_demand_kw"].sel(consumer=name).values, dtype=float)
        count = int(counts[name])
        kwh = _total(ds, use)
        bills[name] = _bill(
            count,
            kwh,
            0.0,
            _total(ds, p_in * use),
            _tax(tax, kwh, count, refund=True),
            standing_eur=count * dso.small_connection.total_eur_per_year,
            standing=_standing(dso),
        )
    return bills


def _private_grid(ds: xr.Dataset, names: list[str], tax: EnergyTax, refund: bool) -> dict:
    counts = dict(zip(ds["consumer"].values.astype(str), ds["connections"].values, strict=True))
    homes = int(sum(counts[n] for n in names))
    upkeep = 0.0
    if "private_grid" in ds["component"].values:
        upkeep = float(ds["cost_eur_per_year"].sel(component="private_grid", cost_kind="fixed_om"))
    refund_eur = -homes * tax.refund_eur if refund else 0.0
    taxes = {
        "taxed_kwh_per_connection": 0.0,
        "tax_eur_by_bracket": {},
        "tax_refund_eur": refund_eur,
        "tax_eur": refund_eur,
    }
    return _bill(
        homes,
        _total(ds, _series(ds, "private_grid_to_homes_kw")),
        _total(ds, _series(ds, "private_grid_to_centre_kw")),
        0.0,
        taxes,
        standing_eur=upkeep,
    )


def private_grid_transfer_eur(ds: xr.Dataset) -> float:
    """What the energy centre owes the homes for the kWh a private grid carries (EUR/year):
    kWh it receives from the roofs (after the cable's loss) minus kWh it sends the homes,
    at the energy centre's marginal import cost of its hour (supply price + DSO kWh charge
    + the energy-tax rate of the bracket its yearly import ends in). 0 without a private grid.

    The cost of heat charges the energy centre this, so that roof PV reaching the heat
    pumps is not free to the heat and the homes' use drawn through the boundary meter is
    not a cost of heat."""
    if "private_grid_to_centre_kw" not in ds:
        return 0.0
    record = json.loads(ds.attrs["electricity_tariffs_json"])
    tax = load_energy_tax(Path(record["energy_tax_file"]))
    dso = load_dso_tariff(Path(record["dso_file"]))
    filled = bracket_kwh(tax, _total(ds, _series(ds, "grid_import_kw")))
    top = max((k for k, kwh in enumerate(filled) if kwh > 0), default=0)
    transport = dso.large_connection.classes[0].transport_eur_per_kwh
    price = _series(ds, "electricity_import_eur_per_kwh") + transport + tax.rates()[top]
    # what the energy centre's meter side receives net, after the cable's loss
    net = np.asarray(ds["flow"].sel(component="private_grid", carrier="electricity").values)
    return _total(ds, net * price)


def _model_cost(ds: xr.Dataset, component: str) -> float:
    if component not in ds["component"].values:
        return 0.0
    cost = ds["cost_eur_per_year"].sel(component=component)
    return float(cost.sel(cost_kind=["variable", "fixed_om"]).sum())


def electricity_bills(ds: xr.Dataset) -> dict | None:
    """Bills per connection (see the module docstring); None without Dutch tariffs."""
    if "electricity_tariffs_json" not in ds.attrs:
        return None
    record = json.loads(ds.attrs["electricity_tariffs_json"])
    tax = load_energy_tax(Path(record["energy_tax_file"]))
    dso = load_dso_tariff(Path(record["dso_file"]))
    consumers = set(ds["consumer"].values.astype(str))
    homes = [n for n in record["households"] if n in consumers]
    firms = [n for n in record["businesses"] if n in consumers]
    bills: dict = {}
    if "grid" in ds["component"].values:
        bills["energy_centre"] = _energy_centre(ds, tax, dso, record["energy_centre_tax_refund"])
        bills["energy_centre"]["model_eur"] = _model_cost(ds, "grid")
    private = bool(record.get("private_grid", False))
    household = _households(ds, homes, tax, dso) if homes and not private else {}
    if homes and private:
        refund = bool(record["private_grid_refund_per_home"])
        household = {"private_grid": _private_grid(ds, homes, tax, refund)}
    business = _businesses(ds, firms, tax, dso) if firms else {}
    bills.update(household)
    bills.update(business)
    checks = [
        (["energy_centre"], "grid"),
        (list(household), "private_grid" if private else "homes_grid"),
        (list(business), "business_connections"),
    ]
    for names, component in checks:
        if not names or (component == "grid" and "energy_centre" not in bills):
            continue
        model = _model_cost(ds, component)
        billed = sum(bills[n]["total_eur"] for n in names)
        for n in names:
            bills[n]["matches_model"] = bool(abs(billed - model) <= MATCH_EUR)
    return bills


def price_record(ds: xr.Dataset) -> dict | None:
    """Where the day-ahead prices came from, whether synthetic, and their statistics."""
    if "electricity_tariffs_json" not in ds.attrs:
        return None
    record = json.loads(ds.attrs["electricity_tariffs_json"])
    day_ahead = _series(ds, "electricity_day_ahead_eur_per_kwh")
    hours = float(np.sum(ds["weight"].values))
    return {
        "day_ahead": record["day_ahead"],
        "synthetic": record["synthetic"],
        "mean_day_ahead_eur_per_mwh": 1000.0 * _total(ds, day_ahead) / hours,
        "negative_hours": _total(ds, day_ahead < 0),
        "supplier_margin_eur_per_kwh": record["supplier_margin_eur_per_kwh"],
        "export_fee_eur_per_kwh": record["export_fee_eur_per_kwh"],
        "year": record["year"],
        "net_metering": record["net_metering"],
    }

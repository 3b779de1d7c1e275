"""The yearly balance of COD, nitrogen and phosphorus of the separated streams.

Components report where the loads go as series ``{component}_{substance}_{fate}_{stream}
_kg_per_h`` (see :func:`optimiser.model.components.base.report_loads`): the homes put in
the ``load``; treatment ``recovered`` it (struvite, ammonium sulphate), left it in the
``sludge``, ``converted`` it (COD to biogas) or ``removed`` it (COD oxidised); the rest
leaves in a local plant's ``effluent`` or raw to the ``sewer``. The balance closes when
load = the sum of all other fates, per substance and year; it checks the solved flows of
black water and of the nutrient carriers, not an identity.
"""

from __future__ import annotations

import re

import xarray as xr

from optimiser.outputs.series import annual_total

SUBSTANCES = ("cod", "n", "p")
FATES = ("load", "recovered", "sludge", "converted", "removed", "effluent", "sewer")
PATTERN = re.compile(
    rf"^(?P<component>.+?)_(?P<substance>{'|'.join(SUBSTANCES)})_(?P<fate>{'|'.join(FATES)})_"
    r"(?P<stream>\w+)_kg_per_h$"
)
LOCAL_FATES = ("recovered", "sludge", "converted", "removed")
"""Fates that keep a load away from the central treatment plant."""


def nutrient_fates(ds: xr.Dataset) -> dict[str, dict[str, float]]:
    """kg/year per substance and fate (zero fates left out); empty without separated
    streams."""
    fates: dict[str, dict[str, float]] = {}
    for name in ds.data_vars:
        match = PATTERN.match(str(name))
        if match is None or ds[name].dims != ("time",):
            continue
        kg = float(annual_total(ds, ds[name]))
        by_fate = fates.setdefault(match["substance"], {})
        by_fate[match["fate"]] = by_fate.get(match["fate"], 0.0) + kg
    return fates


def nutrient_balance(ds: xr.Dataset) -> dict[str, dict[str, float]]:
    """Per substance: kg/year by fate, what left the neighbourhood's plants untreated
    (``to_sewer_or_effluent_kg``), what stayed local (``kept_local_kg``) and the relative
    ``imbalance`` |load - sum of fates| / load."""
    balance = {}
    for substance, fates in nutrient_fates(ds).items():
        load = fates.get("load", 0.0)
        out = sum(v for fate, v in fates.items() if fate != "load")
        entry = {f"{fate}_kg": fates.get(fate, 0.0) for fate in FATES}
        entry["kept_local_kg"] = sum(fates.get(f, 0.0) for f in LOCAL_FATES)
        entry["to_sewer_or_effluent_kg"] = fates.get("sewer", 0.0) + fates.get("effluent", 0.0)
        entry["imbalance"] = abs(load - out) / load if load > 0 else 0.0
        balance[substance] = entry
    return balance

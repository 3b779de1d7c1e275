"""New sanitation and levies: separated wastewater streams, their loads, who gets the levies.

``water.sanitation`` switches the homes from one combined wastewater stream to separated
sewers: black water (toilets, optionally with ground kitchen waste) and grey water (the
rest). Each stream carries per-person loads of COD, nitrogen and phosphorus; defaults
come from ``data/water/wastewater_loads.yaml`` (STOWA 2018-41 anchor, split unconfirmed).

``prices.water.levies`` holds the water board's treatment levy and the municipal sewer
levy paid by the homes, and the share of each the cooperative receives when it takes
the task over (a scenario choice; default none).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from pydantic import Field

from optimiser.inputs.base import StrictModel
from optimiser.inputs.catalogue import DATA_DIR

LOADS_FILE = DATA_DIR / "water" / "wastewater_loads.yaml"

G_O2_PER_G_N = 4.57
"""Oxygen demand of Kjeldahl nitrogen in the pollution-unit formula (Waterschapswet)."""

KG_O2_PER_POLLUTION_UNIT = 54.8
"""One pollution unit (v.e.): 150 g O2 per day, 54.8 kg per year (STOWA 2018-41)."""


@cache
def default_loads() -> dict[str, Any]:
    """The per-person loads of ``data/water/wastewater_loads.yaml``."""
    return yaml.safe_load(LOADS_FILE.read_text(encoding="utf-8"))


class StreamLoads(StrictModel):
    """What one person puts into a stream per day: litres and grams of COD, N and P."""

    litres_per_person_day: float = Field(ge=0, le=500)
    cod_g_per_person_day: float = Field(ge=0, le=1000)
    n_g_per_person_day: float = Field(ge=0, le=100)
    p_g_per_person_day: float = Field(ge=0, le=20)


def _loads(stream: str):
    return lambda: StreamLoads(**default_loads()[stream])


class Sanitation(StrictModel):
    """Separated sewers: black water and grey water leave the homes in their own pipes.

    ``vacuum_toilets`` flush with ``vacuum_flush_litres_per_person_day`` (about 5 L a
    day at ~1 L a flush) instead of the conventional ``water.toilet_litres_per_person_day``;
    the drinking water saved is not bought. ``kitchen_waste_grinders`` add ground kitchen
    waste (its COD, N and P) to the black water. ``sewer_connected: false`` is a
    neighbourhood without a public sewer: every stream then needs a local outlet.
    ``recover_nutrients``: the local plant's permit requires the N and P its digester
    releases to be taken out before the effluent is discharged; the sewer then takes
    none of them and struvite and ammonium recovery are needed (the only routes modelled:
    Sneek's Waterschoon plant recovers P as struvite but removes N by OLAND/anammox,
    Helsingborg's RecoLab strips N to ammonium sulphate). Without it recovery is an
    economic choice, which at today's product prices it does not pay (see the break-even
    prices in the summary's ``sanitation_benchmark``).
    """

    vacuum_toilets: bool = True
    vacuum_flush_litres_per_person_day: float = Field(
        default_factory=lambda: default_loads()["vacuum_flush_litres_per_person_day"],
        ge=0,
        le=100,
    )
    kitchen_waste_grinders: bool = False
    sewer_connected: bool = True
    recover_nutrients: bool = False
    black_water: StreamLoads = Field(default_factory=_loads("black_water"))
    grey_water: StreamLoads = Field(default_factory=_loads("grey_water"))
    kitchen_waste: StreamLoads = Field(default_factory=_loads("kitchen_waste"))


class Levies(StrictModel):
    """The homes' water levies and what the cooperative takes over (EUR excl. VAT).

    The water board's treatment levy per pollution unit is
    ``prices.water.levy_eur_per_pollution_unit`` (one rate for homes and for the
    cooperative's plant); ``water_board`` names the board. A home of two or more persons
    pays ``units_per_home`` = 3 units (Waternet, SVHW). ``sewer_levy_eur_per_home``: the
    municipal rioolheffing, national average EUR 201 for a multi-person owner-occupier
    (COELO 2021 via riool.net; 2026 not found, unconfirmed). The ``*_transferred_share``
    (0-1) is the part of each levy passed to the cooperative because it does the work.
    ``avoided_treatment_eur_per_unit``: what the water board saves per pollution unit no
    longer reaching its plant: the variable part (aeration, chemicals, sludge) of about
    EUR 47 per unit on average (Unie van Waterschappen benchmark 2021, EUR 1,118 M over
    about 24 M units; the 50 % variable share is an assumption, unconfirmed).
    ``avoided_drinking_water_eur_per_m3``: the drinking-water company's variable
    production cost of a m3 it no longer delivers (energy, chemicals, abstraction tax;
    assumption, unconfirmed). ``horizon_years`` is the span of the water board's NPV.
    """

    water_board: str = "Delfland"
    units_per_home: float = Field(default=3.0, ge=0, le=10)
    sewer_levy_eur_per_home: float = Field(default=201.0, ge=0, le=5000)
    treatment_levy_transferred_share: float = Field(default=0.0, ge=0, le=1)
    sewer_levy_transferred_share: float = Field(default=0.0, ge=0, le=1)
    avoided_treatment_eur_per_unit: float = Field(default=23.5, ge=0, le=1000)
    avoided_drinking_water_eur_per_m3: float = Field(default=0.30, ge=0, le=10)
    horizon_years: int = Field(default=30, ge=1, le=100)

"""Hourly separated streams of the homes and the scalars the levy accounting needs.

With ``water.sanitation`` the homes' wastewater leaves as black water (flush water plus
urine, faeces and, with grinders, kitchen waste) and grey water (the rest of the use
that reaches the sewer). Volumes follow the household diurnal pattern, delayed like the
combined wastewater; each stream's loads are fixed concentrations (kg/m3) = per-person
load / per-person volume, so a component that takes ``x`` m3 of a stream takes
``x x concentration`` kg of its COD, N and P.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from optimiser.inputs.sanitation import Levies, Sanitation
from optimiser.inputs.scenario import Scenario

SUBSTANCES = ("cod", "n", "p")
"""The loads each separated stream carries (COD, total nitrogen, total phosphorus)."""


def home_persons(scenario: Scenario) -> float:
    """Persons living in the scenario's homes (all household groups)."""
    water = scenario.water
    assert water is not None
    return sum(
        g.count * (g.persons if g.persons is not None else water.persons_per_home)
        for g in scenario.demand.households
    )


def flush_litres(scenario: Scenario) -> float:
    """Flush water per person and day (L): vacuum toilets or the conventional figure."""
    water = scenario.water
    assert water is not None
    san = water.sanitation
    if san is not None and san.vacuum_toilets:
        return san.vacuum_flush_litres_per_person_day
    return water.toilet_litres_per_person_day


def home_use_litres(scenario: Scenario) -> float:
    """Drinking water a person in a home uses per day (L), vacuum toilets' saving applied."""
    water = scenario.water
    assert water is not None
    return water.litres_per_person_day - water.toilet_litres_per_person_day + flush_litres(scenario)


def stream_per_person(san: Sanitation, flush_l: float, use_l: float, lost_l: float) -> dict:
    """Per person and day: litres and grams of COD, N, P of black and grey water."""
    black = san.black_water
    parts = [black, san.kitchen_waste] if san.kitchen_waste_grinders else [black]
    streams = {
        "black_water": {
            "litres": flush_l + sum(p.litres_per_person_day for p in parts),
            "cod": sum(p.cod_g_per_person_day for p in parts),
            "n": sum(p.n_g_per_person_day for p in parts),
            "p": sum(p.p_g_per_person_day for p in parts),
        },
        "grey_water": {
            "litres": max(use_l - flush_l - lost_l, 0.0) + san.grey_water.litres_per_person_day,
            "cod": san.grey_water.cod_g_per_person_day,
            "n": san.grey_water.n_g_per_person_day,
            "p": san.grey_water.p_g_per_person_day,
        },
    }
    return streams


def sanitation_variables(
    scenario: Scenario,
    index: pd.DatetimeIndex,
    spread: Callable[[pd.DatetimeIndex, float], np.ndarray],
) -> dict:
    """``black_water_m3_per_h`` and ``grey_water_m3_per_h`` (time) and per stream and
    substance ``{stream}_{cod,n,p}_kg_per_m3``; zero streams without ``sanitation``.
    ``spread(index, m3_per_day)`` gives a day's volume per hour (the household pattern)."""
    water = scenario.water
    assert water is not None
    san = water.sanitation
    n = len(index)
    variables: dict = {}
    if san is None:
        for stream in ("black_water", "grey_water"):
            variables[f"{stream}_m3_per_h"] = (("time",), np.zeros(n), {"units": "m3/h"})
        return variables
    persons = home_persons(scenario)
    lost_l = (1.0 - water.wastewater_share) * water.litres_per_person_day
    per_person = stream_per_person(san, flush_litres(scenario), home_use_litres(scenario), lost_l)
    for stream, load in per_person.items():
        m3_per_day = persons * load["litres"] / 1e3
        series = np.roll(spread(index, m3_per_day), water.wastewater_delay_hours)
        variables[f"{stream}_m3_per_h"] = (("time",), series, {"units": "m3/h"})
        for substance in SUBSTANCES:
            # g/person/day over L/person/day is g/L, i.e. kg/m3
            conc = load[substance] / load["litres"] if load["litres"] > 0 else 0.0
            variables[f"{stream}_{substance}_kg_per_m3"] = ((), conc, {"units": "kg/m3"})
    return variables


def levy_variables(scenario: Scenario) -> dict:
    """Scalars of the levy accounting: homes, persons, levies, transferred shares, the
    drinking water vacuum toilets save (m3/year), the TEO owner's fee and the discount
    rate."""
    water = scenario.water
    prices = scenario.prices.water
    assert water is not None and prices is not None
    levies: Levies = prices.levies
    saved_l = water.toilet_litres_per_person_day - flush_litres(scenario)
    teo_fee = next(
        (
            p.heat_fee_eur_per_gj
            for p in scenario.parties
            if "teo" in p.assets and p.heat_fee_eur_per_gj is not None
        ),
        0.0,
    )
    scalars = {
        "homes": (scenario.demand.homes, "-"),
        "home_persons": (home_persons(scenario), "-"),
        "vacuum_saved_drinking_water_m3_per_year": (
            home_persons(scenario) * saved_l * 365 / 1e3,
            "m3/year",
        ),
        "treatment_levy_eur_per_unit": (prices.levy_eur_per_pollution_unit, "EUR/v.e."),
        "levy_units_per_home": (levies.units_per_home, "v.e."),
        "sewer_levy_eur_per_home": (levies.sewer_levy_eur_per_home, "EUR/year"),
        "treatment_levy_transferred_share": (levies.treatment_levy_transferred_share, "-"),
        "sewer_levy_transferred_share": (levies.sewer_levy_transferred_share, "-"),
        "avoided_treatment_eur_per_unit": (levies.avoided_treatment_eur_per_unit, "EUR/v.e."),
        "avoided_drinking_water_eur_per_m3": (levies.avoided_drinking_water_eur_per_m3, "EUR/m3"),
        "water_board_horizon_years": (levies.horizon_years, "years"),
        "teo_fee_eur_per_gj": (teo_fee, "EUR/GJ"),
        "discount_rate": (scenario.finance.discount_rate, "-"),
    }
    variables = {k: ((), float(v), {"units": u}) for k, (v, u) in scalars.items()}
    variables["water_board_name"] = ((), levies.water_board)
    return variables

"""Sane ranges of numbers in a model file, by field name: one table for every section.

A number outside its range is almost always a unit slip (kelvin for °C, W for kW, EUR
for kEUR), a typo (``1e30``) or a placeholder (``.inf``), and would otherwise run and
give a confident wrong answer. Rules match the field's name: first an exact name, then
the first suffix (or prefix) that fits, so a new field named after the conventions
(``..._c``, ``..._kw``, ``..._eur_per_kwh``, ``..._fraction``) is checked without
editing this table. Every number must in any case be finite and within
:data:`ANY_NUMBER`. The bounds are wide on purpose: they catch impossible values, not
unusual ones.
"""

from __future__ import annotations

import math

ANY_NUMBER = 1e12
"""No number in a model file is larger in magnitude than this (EUR, kWh, m3, ...)."""

EXACT: dict[str, tuple[float, float, str]] = {
    "latitude": (-90.0, 90.0, "degrees"),
    "longitude": (-180.0, 180.0, "degrees"),
    "discount_rate": (-0.05, 0.3, "a fraction per year (0.04 is 4 %)"),
    "rate": (-0.05, 0.3, "a fraction per year (0.04 is 4 %)"),
    "year": (0.0, 2200.0, "a calendar year, or a project year counted from 0"),
    "utc_offset_hours": (-12.0, 14.0, "hours"),
    "start_hour": (0.0, 24.0, "an hour of the day"),
    "end_hour": (0.0, 24.0, "an hour of the day"),
    "weekdays": (0.0, 7.0, "days a week"),
    "count": (0.0, 1e6, "a number of connections"),
    "years": (0.0, 100.0, "years"),
    "persons": (0.0, 1e7, "persons"),
    "persons_per_home": (0.0, 20.0, "persons"),
    "max_cop": (1.0, 50.0, "a coefficient of performance"),
    "dc_ac_ratio": (0.1, 5.0, "a ratio"),
    "max_modules": (0.0, 1e4, "modules"),
    "min_modules": (0.0, 1e4, "modules"),
    "max_doublets": (0.0, 1e3, "doublets"),
    "litres_per_person_day": (0.0, 1e4, "litres per person and day"),
    "toilet_litres_per_person_day": (0.0, 1e3, "litres per person and day"),
}
"""Ranges of fields known by their exact name: (low, high, what the unit is)."""

SUFFIXES: tuple[tuple[str, float, float, str], ...] = (
    ("_per_k", -1e6, 1e6, "per kelvin"),
    ("_per_day", 0.0, 1.0, "a fraction per day"),
    ("_fraction_per_year", 0.0, 1.0, "a fraction per year"),
    ("_c", -60.0, 200.0, "°C (not kelvin)"),
    ("_k", 0.0, 150.0, "kelvin of temperature difference"),
    ("_deg", -360.0, 360.0, "degrees"),
    ("_years", 0.0, 200.0, "years"),
    ("_days", 0.0, 3650.0, "days"),
    ("_hours", 0.0, 8760.0, "hours"),
    ("fraction", 0.0, 1.0, "a fraction (0.5 is 50 %)"),
    ("efficiency", 0.0, 1.0, "a fraction (0.9 is 90 %)"),
    ("share", 0.0, 1.0, "a fraction (0.5 is 50 %)"),
    ("recovery", 0.0, 1.0, "a fraction (0.5 is 50 %)"),
    ("tolerance", 0.0, 1.0, "a fraction"),
    ("min_part_load", 0.0, 1.0, "a fraction of the module size"),
    ("_eur", -1e10, 1e10, "EUR"),
    ("_per_tonne", -1e5, 1e5, "EUR per tonne"),
    ("_per_year", -1e10, 1e10, "per year"),
    ("_per_gj", -1e4, 1e4, "EUR per GJ"),
    ("_per_kwh", -1e4, 1e4, "per kWh"),
    ("_per_m3", -1e5, 1e5, "per m3"),
    ("_per_kw", -1e6, 1e6, "per kW"),
    ("_per_kw_year", -1e6, 1e6, "per kW and year"),
    ("_kw", 0.0, 1e8, "kW"),
    ("_kwp", 0.0, 1e8, "kWp"),
    ("_kwh", 0.0, 1e10, "kWh"),
    ("_m3", 0.0, 1e10, "m3"),
    ("_m3_per_h", 0.0, 1e6, "m3/h"),
)
"""Ranges by the end of a field name, tried in order: (suffix, low, high, unit)."""

PREFIXES: tuple[tuple[str, float, float, str], ...] = (("annual_", 0.0, 1e11, "per year"),)
"""Ranges by the start of a field name: (prefix, low, high, unit)."""


def sane_range(name: str) -> tuple[float, float, str]:
    """(low, high, unit) of a field; the generic ``±ANY_NUMBER`` if no rule matches."""
    if name in EXACT:
        return EXACT[name]
    for prefix, low, high, unit in PREFIXES:
        if name.startswith(prefix):
            return low, high, unit
    for suffix, low, high, unit in SUFFIXES:
        if name.endswith(suffix):
            return low, high, unit
    return -ANY_NUMBER, ANY_NUMBER, "its unit"


def check_number(name: str, value: float) -> None:
    """Raise ``ValueError`` (one phrase with the range and a hint) unless ``value`` is a
    finite number within the sane range of field ``name``."""
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value!r}")
    low, high, unit = sane_range(name)
    if not low <= value <= high:
        raise ValueError(
            f"{value:g} is outside the sane range {low:g} to {high:g} ({unit});"
            " check the unit and the number of digits"
        )

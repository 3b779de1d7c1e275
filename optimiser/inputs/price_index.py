"""Price years: the CBS consumer price index that brings money to one price year.

Every money figure in the catalogues carries the year of its prices (``year``); a
scenario states the price year of its results (``finance.price_year``). A figure is
brought over with ``index[price_year] / index[year]`` from ``data/price_index.yaml``
(CBS CPI, 2015 = 100, chained from the published yearly changes).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from optimiser.errors import InputError

DEFAULT_PRICE_YEAR = 2026
"""The price year of a scenario that does not set ``finance.price_year``."""

INDEX_FILE = Path(__file__).resolve().parents[2] / "data" / "price_index.yaml"
"""The shipped CBS CPI table (next to the catalogues in ``data/``)."""


@cache
def price_index() -> dict[int, float]:
    """CPI per year (2015 = 100), chained from the yearly changes in the index file."""
    raw = yaml.safe_load(INDEX_FILE.read_text(encoding="utf-8"))
    index = {int(raw["base_year"]): float(raw["base_index"])}
    year = int(raw["base_year"])
    for change_year in sorted(int(y) for y in raw["changes"]):
        if change_year != year + 1:
            raise InputError(f"price index: year {year + 1} is missing", file=INDEX_FILE)
        index[change_year] = index[year] * (1.0 + raw["changes"][change_year]["value"] / 100.0)
        year = change_year
    return index


def check_price_year(year: int) -> int:
    """``year`` if the index table has it; else a ValueError naming the table's range."""
    years = price_index()
    if year not in years:
        raise ValueError(
            f"{year} is outside the CBS price index table ({min(years)}-{max(years)},"
            f" {INDEX_FILE.name}); choose a year in it"
        )
    return year


def index_factor(from_year: int, to_year: int) -> float:
    """What one euro of ``from_year`` is in euros of ``to_year`` (CPI ratio)."""
    index = price_index()
    for year in (from_year, to_year):
        if year not in index:
            raise InputError(
                f"no price index for {year} (table {min(index)}-{max(index)})",
                file=INDEX_FILE,
                fix="add the year's CBS CPI change to the table",
            )
    return index[to_year] / index[from_year]


def is_money(unit: str) -> bool:
    """Whether a catalogue unit is a money figure (``EUR``, ``EUR/kW``, ...)."""
    return unit.strip().startswith("EUR")

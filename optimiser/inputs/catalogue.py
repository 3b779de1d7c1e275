"""The technology catalogue (``data/technologies.yaml``) and the technologies section."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import create_model

from optimiser.errors import InputError
from optimiser.inputs.base import StrictModel
from optimiser.inputs.price_index import DEFAULT_PRICE_YEAR, index_factor, is_money
from optimiser.model.components import TECHNOLOGIES

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""Reference data shipped with the source tree (catalogue, default weather year)."""

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
"""Neighbourhood models shipped with the source tree; ``default`` is the embedded default."""


@cache
def catalogue(price_year: int = DEFAULT_PRICE_YEAR) -> dict[str, dict[str, Any]]:
    """Default parameter values per technology from ``data/technologies.yaml``.

    The file keeps each number with unit, source and year; this returns the values,
    money figures (units ``EUR...``) brought from their year to ``price_year`` with the
    CBS price index (:mod:`optimiser.inputs.price_index`).
    """
    path = DATA_DIR / "technologies.yaml"
    if not path.is_file():
        raise InputError(
            "technology catalogue not found",
            file=path,
            fix="install from the source tree with 'pip install -e .'",
        )
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        tech: {name: in_price_year(entry, price_year) for name, entry in params.items()}
        for tech, params in raw.items()
    }


def in_price_year(entry: dict[str, Any], price_year: int) -> Any:
    """A catalogue entry's value; a money value in euros of ``price_year``."""
    if not is_money(str(entry.get("unit", ""))):
        return entry["value"]
    return entry["value"] * index_factor(int(entry["year"]), price_year)


def with_catalogue_defaults(data: Any, price_year: int) -> Any:
    """The ``technologies`` section with each technology's omitted parameters taken from
    the catalogue in euros of ``price_year``. Values the model file gives are its own,
    in the scenario's price year."""
    if not isinstance(data, dict):
        return data
    defaults = catalogue(price_year)
    merged = {}
    for key, overrides in data.items():
        if key in TECHNOLOGIES and (overrides is None or isinstance(overrides, dict)):
            merged[key] = {
                **_source_defaults(defaults.get(key, {}), overrides or {}),
                **(overrides or {}),
            }
        else:
            merged[key] = overrides
    return merged


def _source_defaults(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A technology's defaults for the source it names: an air-source heat pump costs the
    catalogue's ``air_source_capex_eur_per_kw`` unless the model gives its capex."""
    if overrides.get("source") == "air" and "air_source_capex_eur_per_kw" in defaults:
        return {
            **defaults,
            "capex_eur_per_kw": overrides.get(
                "air_source_capex_eur_per_kw", defaults["air_source_capex_eur_per_kw"]
            ),
        }
    return defaults


class _TechnologiesBase(StrictModel):
    """Technologies that may be built: a key per technology; omitted ones are not built.

    The scenario fills in the catalogue defaults in its price year (see
    :func:`with_catalogue_defaults`) before this section is validated.
    """


Technologies = create_model(
    "Technologies",
    __base__=_TechnologiesBase,
    **{key: (cls.Params | None, None) for key, cls in TECHNOLOGIES.items()},
)

"""The technology catalogue (``data/technologies.yaml``) and the technologies section."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import create_model, model_validator

from optimiser.errors import InputError
from optimiser.inputs.base import StrictModel
from optimiser.model.components import TECHNOLOGIES

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""Reference data shipped with the source tree (catalogue, default weather year)."""

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
"""Neighbourhood models shipped with the source tree; ``default`` is the embedded default."""


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """Default parameter values per technology from ``data/technologies.yaml``.

    The file keeps each number with unit, source and year; this returns the values.
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
        tech: {name: entry["value"] for name, entry in params.items()}
        for tech, params in raw.items()
    }


class _TechnologiesBase(StrictModel):
    """Technologies that may be built: a key per technology; omitted ones are not built."""

    @model_validator(mode="before")
    @classmethod
    def _catalogue_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        defaults = catalogue()
        merged = {}
        for key, overrides in data.items():
            if key in TECHNOLOGIES and (overrides is None or isinstance(overrides, dict)):
                merged[key] = {**defaults.get(key, {}), **(overrides or {})}
            else:
                merged[key] = overrides
        return merged


Technologies = create_model(
    "Technologies",
    __base__=_TechnologiesBase,
    **{key: (cls.Params | None, None) for key, cls in TECHNOLOGIES.items()},
)

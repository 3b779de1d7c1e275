"""Shared pieces of the model-file schema: strict sections and input file paths."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo


class StrictModel(BaseModel):
    """Base of every schema section: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _existing_file(path: Path, info: ValidationInfo) -> Path:
    """Resolve a path relative to the model file's folder and check that it exists."""
    base = (info.context or {}).get("base_dir", Path.cwd())
    resolved = path if path.is_absolute() else Path(base) / path
    if not resolved.is_file():
        raise ValueError(f"file not found: {resolved}")
    return resolved


InputFile = Annotated[Path, AfterValidator(_existing_file)]
"""A path in a model file: relative to the file's folder, must exist."""

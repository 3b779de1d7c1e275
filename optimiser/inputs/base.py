"""Shared pieces of the model-file schema: strict sections and input file paths.

Every section derives from :class:`StrictModel`, which gives all of them, new fields
included, the same hygiene: unknown keys are errors, values are immutable, and every
number or yes/no field takes only its own kind of value (``count: yes``, ``gas_eur:
true`` or ``max_kw: "5"`` are errors, not 1 or 5) and must be finite and within the sane
range of its field (:mod:`optimiser.inputs.ranges`).
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationInfo,
    field_validator,
)

from optimiser.inputs.ranges import check_number

_KINDS = {bool: "true or false", int: "a whole number", float: "a number"}


def _scalar_kind(annotation: Any) -> type | None:
    """``bool``, ``int`` or ``float`` when a field holds one of them (or None), else None."""
    if annotation in _KINDS:
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        kinds = {a for a in typing.get_args(annotation) if a is not type(None)}
        if len(kinds) == 1:
            return _scalar_kind(kinds.pop())
    if origin is Annotated:
        return _scalar_kind(typing.get_args(annotation)[0])
    return None


def check_scalar(kind: type, name: str, value: Any) -> Any:
    """``value`` for a field of ``kind`` (bool, int, float) named ``name``; ``ValueError``
    if it is another kind of value, not finite or outside the field's sane range."""
    if value is None:
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be {_KINDS[kind]}, got {value!r}")
    if kind is int and isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"must be a whole number, got {value!r}")
        value = int(value)
    check_number(name, float(value))
    return value


class StrictModel(BaseModel):
    """Base of every schema section: unknown keys are errors, values are immutable, and
    numbers and yes/no values are checked strictly (see the module)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_scalars(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        kind = _scalar_kind(field.annotation) if field is not None else None
        return value if kind is None else check_scalar(kind, info.field_name or "", value)


def _existing_file(path: Path, info: ValidationInfo) -> Path:
    """Resolve a path relative to the model file's folder and check that it exists."""
    base = (info.context or {}).get("base_dir", Path.cwd())
    resolved = path if path.is_absolute() else Path(base) / path
    if not resolved.is_file():
        raise ValueError(f"file not found: {resolved}")
    return resolved


InputFile = Annotated[Path, AfterValidator(_existing_file)]
"""A path in a model file: relative to the file's folder, must exist."""

"""Reading users' text files strictly: encodings, YAML and JSON.

Every file a user hands to wijk (model files, sweep files, game files, CSV profiles,
weather files) is read through here, so each gets the same checks:

* **encoding**: UTF-8 (with or without a byte-order mark). A UTF-16/32 file or one in
  Latin-1/Windows-1252 is refused with a hint to save it as UTF-8, never misread;
* **YAML**: a duplicated key is an error (PyYAML lets the last one win silently), as is
  an explicit tag (``!!python/object``, ``!!float``), nesting deeper than
  :data:`MAX_DEPTH` or more than :data:`MAX_ALIASES` aliases (a "billion laughs" file);
* **JSON**: ``NaN`` and ``Infinity`` are refused.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import yaml

from optimiser.errors import InputError

MAX_DEPTH = 20
"""Deepest nesting of mappings and lists a model file needs is about 6."""

MAX_ALIASES = 100
"""YAML aliases (``*name``) allowed in one file."""

MAX_BYTES = 50_000_000
"""Largest text file read (50 MB; a year of hourly values with many columns is ~2 MB)."""

_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


def read_text(path: Path, field: str | None = None) -> str:
    """The text of a UTF-8 file; :class:`InputError` with a hint for any other encoding."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(
                f"file is larger than {MAX_BYTES / 1e6:.0f} MB", file=path, field=field
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=path, field=field) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=path, field=field) from None
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror})", file=path, field=field) from None
    for bom, name in _WIDE_BOMS.items():
        if raw.startswith(bom):
            raise InputError(f"file is in {name}", file=path, field=field, fix="save it as UTF-8")
    if raw[:4096].count(b"\x00") > 0:
        raise InputError(
            "file holds NUL bytes (UTF-16 without a byte-order mark, or not text)",
            file=path,
            field=field,
            fix="save it as UTF-8 text",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte 0x{raw[error.start]:02x} on line {line}; probably Latin-1 or"
            " Windows-1252)",
            file=path,
            field=field,
            fix="save it as UTF-8",
        ) from None


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without its silent surprises (see the module)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise yaml.MarkedYAMLError(
                problem=f"explicit tag {tag!r} is not allowed; write plain values",
                problem_mark=event.start_mark,
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                problem=f"nested deeper than {MAX_DEPTH} levels",
                problem_mark=event.start_mark,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.MarkedYAMLError(
                    problem="a key must be a plain name", problem_mark=key_node.start_mark
                )
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r} (first on line {seen[key]});"
                    " remove or merge one of them",
                    problem_mark=key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: Path, field: str | None = None) -> tuple[Any, yaml.Node | None]:
    """The data of a YAML file and its node tree (for line numbers), read strictly."""
    text = read_text(path, field)
    try:
        loader = StrictLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except RecursionError:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", file=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML: {problem}", file=where, field=field) from None
    return data, root


def load_json(path: Path, field: str | None = None) -> Any:
    """The data of a JSON file; ``NaN``/``Infinity`` and bad encodings are errors."""
    text = read_text(path, field)

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not a number")

    try:
        return json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as error:
        raise InputError(
            f"not valid JSON ({error.msg}, line {error.lineno})", file=path, field=field
        ) from None
    except (ValueError, RecursionError) as error:
        raise InputError(f"not valid JSON ({error})", file=path, field=field) from None


def yaml_line(root: yaml.Node | None, loc: list) -> int | None:
    """1-based line of the deepest node of ``loc`` (a pydantic error location) found in
    the composed YAML tree, for errors that name the file's line."""
    node, line = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((kv for kv in node.value if kv[0].value == str(part)), None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line

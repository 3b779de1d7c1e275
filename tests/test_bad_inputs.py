"""Every command against a corpus of bad inputs: one line, the right exit code, no files.

The corpus is generated from the tables in ``bad_input_tables.py`` into a temporary
folder: model files (YAML syntax, encodings, strict types, sane ranges, schema), hourly
profile CSVs, weather files, game files, sweep files and output paths. For each case the command
must end with exit code 2, exactly one line on stderr that starts with ``error:`` and
says what is wrong (the expected pattern), no traceback, and no result files (neither
the output folder nor a ``.wijk-*`` staging folder beside it). No case solves a model:
every one is refused while the inputs are checked (16 s of CPU for 284 cases).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bad_input_tables import (
    DEFAULT,
    GAMES,
    MODEL_BYTES,
    MODEL_TEXT,
    PROFILES,
    SWEEPS,
    WEATHER,
)
from typer.testing import CliRunner

from optimiser.cli import app

runner = CliRunner()


# ------------------------------------------------------------------- fixtures
def _write(folder: Path, name: str, data: bytes | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _model_with_file(folder: Path, key: str, data: bytes) -> Path:
    """The default model pointing to a generated profile or weather file."""
    if key == "profile":
        _write(folder, "heat.csv", data)
        text = DEFAULT.replace("heat_profile: MFH}", "heat_profile_file: heat.csv}", 1)
    else:
        _write(folder, "weather.csv", data)
        text = DEFAULT.replace("  source: default ", "  source: csv\n  file: weather.csv\n  #", 1)
        text = text.replace("\n  year: 2011 ", "\n  # year: 2011 ", 1)  # a KNMI year only
    return _write(folder, "wijk.yaml", text)


COMMANDS = ("run", "validate", "sweep", "pareto", "allocate")


def _cases() -> list[tuple[str, Callable[[Path], list[str]], str]]:
    """(id, arguments given the case's folder, expected message) of every case."""
    cases = []
    for name, (change, expected) in MODEL_TEXT.items():
        for command in COMMANDS:
            extra = ["--set", "finance.discount_rate=0.03"] if command == "sweep" else []

            def args(folder: Path, change=change, command=command, extra=extra) -> list[str]:
                path = _write(folder, "wijk.yaml", change(DEFAULT))
                return [command, str(path), *extra]

            cases.append((f"model/{name}/{command}", args, expected))
    for name, (encode, expected) in MODEL_BYTES.items():
        for command in ("run", "validate"):

            def args(folder: Path, encode=encode, command=command) -> list[str]:
                return [command, str(_write(folder, "wijk.yaml", encode(DEFAULT)))]

            cases.append((f"encoding/{name}/{command}", args, expected))
    for command in ("run", "validate"):  # found only once the profiles are built

        def no_heat(folder: Path, command=command) -> list[str]:
            text = re.sub(r"  (heat_pump|teo|ates|heat_buffer|backup_boiler): .*\n", "", DEFAULT)
            return [command, str(_write(folder, "wijk.yaml", text))]

        cases.append(
            (
                f"model/no technology supplies heat/{command}",
                no_heat,
                r"heat_demand needs network_heat but no technology supplies it",
            )
        )
    for key, table in (("profile", PROFILES), ("weather", WEATHER)):
        for name, (make, expected) in table.items():
            for command in ("run", "validate"):

                def args(folder: Path, make=make, command=command, key=key) -> list[str]:
                    return [command, str(_model_with_file(folder, key, make()))]

                cases.append((f"{key}/{name}/{command}", args, expected))
    for name, (make, expected) in GAMES.items():

        def args(folder: Path, make=make) -> list[str]:
            return ["allocate", "--game", str(_write(folder, "game.json", make()))]

        cases.append((f"game/{name}", args, expected))
    for name, (text, expected) in SWEEPS.items():

        def args(folder: Path, text=text) -> list[str]:
            return ["sweep", "--file", str(_write(folder, "sweep.yaml", text))]

        cases.append((f"sweep/{name}", args, expected))
    cases += _path_cases()
    return cases


def _path_cases() -> list[tuple[str, Callable[[Path], list[str]], str]]:
    """Output paths and results folders: refused before anything is solved or read."""
    cases = []
    for command in ("run", "sweep", "pareto", "allocate"):

        def existing_file(folder: Path, command=command) -> list[str]:
            return [command, "--out", str(_write(folder, "taken.txt", "mine"))]

        def read_only(_folder: Path, command=command) -> list[str]:
            return [command, "--out", "/sys/wijk-results"]

        def foreign(folder: Path, command=command) -> list[str]:
            _write(folder / "home", "thesis.docx", "mine")
            return [command, "--out", str(folder / "home")]

        cases += [
            (f"out/existing file/{command}", existing_file, r"is an existing file, not a folder"),
            (f"out/read-only place/{command}", read_only, r"cannot write in /sys"),
            (f"out/folder of other files/{command}", foreign, r"files that wijk did not write"),
        ]

    def corrupt_results(folder: Path) -> list[str]:
        _write(folder / "res", "results.nc", b"CDF\x01 truncated")
        _write(folder / "res", "summary.json", "{}")
        return ["report", str(folder / "res")]

    def corrupt_summary(folder: Path) -> list[str]:
        _write(folder / "res", "results.nc", b"")
        _write(folder / "res", "summary.json", "{not json")
        return ["report", str(folder / "res")]

    def corrupt_sweep(folder: Path) -> list[str]:
        _write(folder / "sw", "sweep.nc", b"\x89HDF\r\n\x1a\n cut")
        return ["report", str(folder / "sw")]

    def empty_results(folder: Path) -> list[str]:
        (folder / "res").mkdir(parents=True)
        return ["report", str(folder / "res")]

    def report_into_folder(folder: Path) -> list[str]:
        (folder / "res").mkdir(parents=True)
        return ["report", str(folder / "res"), "--out", str(folder)]

    def missing_model(folder: Path) -> list[str]:
        return ["run", str(folder / "absent")]

    def two_models(folder: Path) -> list[str]:
        return ["allocate", str(folder), "--game", str(_write(folder, "g.json", "{}"))]

    return [
        *cases,
        ("report/corrupt results.nc", corrupt_results, r"results.nc: not a readable NetCDF"),
        ("report/corrupt summary.json", corrupt_summary, r"summary.json: not readable JSON"),
        ("report/corrupt sweep.nc", corrupt_sweep, r"sweep.nc: not a readable NetCDF"),
        ("report/no results", empty_results, r"results.nc not found"),
        ("report/out is a folder", report_into_folder, r"--out: is a folder"),
        ("model/not found", missing_model, r"model file not found"),
        ("allocate/model and game", two_models, r"give a MODEL or --game, not both"),
    ]


CASES = _cases()


@pytest.fixture(autouse=True)
def no_solving(monkeypatch):
    """A case that got past the checks must fail fast here, not start solving."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the bad input reached the solver")

    import optimiser.workflows.run
    import optimiser.workflows.runner

    monkeypatch.setattr(optimiser.workflows.run, "solve", refuse)
    monkeypatch.setattr(optimiser.workflows.runner, "executor", refuse)


@pytest.mark.parametrize(
    ("make_args", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_line_exit_2_and_no_files(tmp_path, make_args, expected):
    folder = tmp_path / "case"
    args = make_args(folder)
    out = tmp_path / "out" / "results"
    if "--out" not in args and args[0] in ("run", "sweep", "pareto", "allocate"):
        args += ["--out", str(out)]
    before = set(tmp_path.rglob("*"))
    result = runner.invoke(app, args)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.stdout)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert re.search(expected, lines[0]), lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    new = set(tmp_path.rglob("*")) - before
    assert not new, sorted(map(str, new))


def test_corpus_size_and_classes():
    """The corpus covers every class with at least 80 cases in all."""
    classes = {case_id.split("/")[0] for case_id, _, _ in CASES}
    assert {"model", "encoding", "profile", "weather", "game", "sweep", "out", "report"} <= classes
    assert len(CASES) >= 80

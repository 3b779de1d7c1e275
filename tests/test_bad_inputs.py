"""Every command against a corpus of bad inputs: one line, the right exit code, no files.

The corpus is generated from the tables below into a temporary folder: model files
(YAML syntax, encodings, strict types, sane ranges, schema), hourly profile CSVs,
weather files, game files, sweep files and output paths. For each case the command
must end with exit code 2, exactly one line on stderr that starts with ``error:`` and
says what is wrong (the expected pattern), no traceback, and no result files (neither
the output folder nor a ``.wijk-*`` staging folder beside it). No case solves a model:
every one is refused while the inputs are checked, so the whole corpus runs in seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from optimiser.cli import app
from optimiser.inputs.profiles.weather import default_year

REPO = Path(__file__).resolve().parents[1]
DEFAULT = (REPO / "models/default/wijk.yaml").read_text(encoding="utf-8")
runner = CliRunner()


# ----------------------------------------------------------------- model files
def edit(old: str, new: str) -> Callable[[str], str]:
    """A model text with one line changed (the old text must be there)."""

    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


def append(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


def nested(depth: int) -> Callable[[str], str]:
    return lambda text: text + "extra: " + "{a: " * depth + "1" + "}" * depth + "\n"


def zero_counts(text: str) -> str:
    return re.sub(r"count: \d+", "count: 0", text)


MODEL_TEXT: dict[str, tuple[Callable[[str], str], str]] = {
    "duplicate section": (append("prices:\n  co2_eur_per_tonne: 0\n"), r"duplicate key 'prices'"),
    "duplicate key": (
        edit("  discount_rate: 0.04", "  discount_rate: 0.04\n  discount_rate: 0.05"),
        r"duplicate key 'discount_rate' \(first on line \d+\)",
    ),
    "deep nesting": (nested(40), r"nested deeper than 20 levels"),
    "python tag": (append("x: !!python/object/apply:os.system ['true']\n"), r"explicit tag"),
    "float tag": (edit("latitude: 52.09", "latitude: !!float 52.09"), r"explicit tag"),
    "custom tag": (edit("latitude: 52.09", "latitude: !deg 52.09"), r"explicit tag"),
    "unclosed bracket": (edit("grid: {max_kw: 4000}", "grid: {max_kw: 4000"), r"not valid YAML"),
    "tab indent": (edit("  discount_rate", "\tdiscount_rate"), r"not valid YAML"),
    "top-level list": (lambda _t: "- a\n- b\n", r"expected a mapping of sections"),
    "empty file": (lambda _t: "", r"expected a mapping of sections"),
    "capex inf": (
        edit("teo: {}", "teo: {capex_eur_per_kw: .inf}"),
        r"technologies.teo.capex_eur_per_kw: .*finite",
    ),
    "capex 1e300": (
        edit("teo: {}", "teo: {capex_eur_per_kw: 1.0e+300}"),
        r"technologies.teo.capex_eur_per_kw: .*outside the sane range",
    ),
    "NaN temperature": (
        edit("source_temperature_c: 18", "source_temperature_c: .nan"),
        r"network.source_temperature_c: .*finite",
    ),
    "kelvin temperature": (
        edit("supply_temperature_c: 70", "supply_temperature_c: 343"),
        r"network.supply_temperature_c: 343 is outside the sane range .*°C",
    ),
    "percent as fraction": (
        edit("discount_rate: 0.04", "discount_rate: 4"),
        r"finance.discount_rate: 4 is outside the sane range",
    ),
    "heat loss 12 percent as 12": (
        edit("heat_loss_fraction: 0.12", "heat_loss_fraction: 12"),
        r"network.heat_loss_fraction: 12 is outside",
    ),
    "all counts zero": (zero_counts, r"every consumer group has count 0"),
    "count yes": (edit("count: 200", "count: yes"), r"count: must be a whole number, got True"),
    "count fraction": (edit("count: 200", "count: 200.5"), r"count: must be a whole number"),
    "count string": (edit("count: 200", "count: '200'"), r"count: must be a whole number"),
    "gas true": (
        edit("supply_eur_per_m3: 0.45", "supply_eur_per_m3: true"),
        r"prices.gas.supply_eur_per_m3: must be a number, got True",
    ),
    "gas section true": (
        edit(
            "  gas:\n    supply_eur_per_m3: 0.45\n    energy_tax_eur_per_m3: 0.6007\n",
            "  gas: true\n",
        ),
        r"prices.gas",
    ),
    "number as string": (edit("max_kw: 4000", "max_kw: '4000'"), r"max_kw: must be a number"),
    "year fraction": (edit("year: 2025", "year: 2025.5"), r"site.year: must be a whole number"),
    "utc offset bool": (
        edit("utc_offset_hours: 1", "utc_offset_hours: on"),
        r"site.utc_offset_hours: must be a whole number, got True",
    ),
    "latitude out of range": (edit("latitude: 52.09", "latitude: 523"), r"site.latitude"),
    "negative capacity": (edit("max_kwp: 1500", "max_kwp: -10"), r"technologies.pv.max_kwp"),
    "max_kw 1e9": (edit("max_kw: 4000", "max_kw: 1.0e+9"), r"grid.max_kw: .*outside"),
    "unknown key": (edit("  discount_rate: 0.04", "  discount_rat: 0.04"), r"unknown key"),
    "unknown technology": (
        edit("  heat_buffer: {}", "  heat_buffer: {}\n  wind_turbine: {}"),
        r"technologies.wind_turbine: unknown technology",
    ),
    "missing demand": (
        lambda t: re.sub(r"demand:\n(  .*\n|    .*\n)+", "", t),
        r"demand: required field is missing",
    ),
    "boiler burns gas without price": (
        edit("  gas:\n    supply_eur_per_m3: 0.45\n    energy_tax_eur_per_m3: 0.6007\n", ""),
        r"set prices.gas",
    ),
    "duplicate party names": (
        append(
            "parties:\n  - {name: a, demands: [apartment, mid_terrace, corner]}\n"
            "  - {name: a, demands: [semi_detached, detached, school, shops]}\n"
        ),
        r"party names must be unique",
    ),
    "party with unknown demand": (
        append("parties:\n  - {name: a, demands: [nobody]}\n"),
        r"unknown demand 'nobody'",
    ),
}
"""Model-file text edits: (change of the default model's text, expected message)."""


MODEL_BYTES: dict[str, tuple[Callable[[str], bytes], str]] = {
    "utf-16": (lambda t: t.encode("utf-16"), r"file is in UTF-16; save it as UTF-8"),
    "utf-16 without BOM": (lambda t: t.encode("utf-16-le"), r"NUL bytes"),
    "latin-1": (
        lambda t: t.replace("moving off gas", "café moving off gas").encode("latin-1"),
        r"not UTF-8 \(byte 0xe9 on line \d+; probably Latin-1",
    ),
    "binary": (lambda _t: bytes(range(256)) * 4, r"NUL bytes"),
}


# ------------------------------------------------------------- hourly profiles
def csv_text(values: list[str], header: str = "kw") -> str:
    return header + "\n" + "\n".join(values) + "\n"


ONES = ["1.0"] * 8760
PROFILES: dict[str, tuple[Callable[[], bytes], str]] = {
    "8759 rows": (lambda: csv_text(ONES[:-1]).encode(), r"has 8759 rows; give exactly 8760"),
    "8761 rows": (lambda: csv_text([*ONES, "1.0"]).encode(), r"has 8761 rows"),
    "NaN value": (
        lambda: csv_text(["1.0"] * 100 + ["nan"] + ONES[101:]).encode(),
        r"1 missing or non-numeric values, first in data row 101",
    ),
    "empty cell": (lambda: csv_text(["1.0", "", *ONES[2:]]).encode(), r"missing or non-numeric"),
    "text value": (
        lambda: csv_text(["1.0", "high", *ONES[2:]]).encode(),
        r"missing or non-numeric values, first in data row 2",
    ),
    "inf value": (lambda: csv_text(["inf", *ONES[1:]]).encode(), r"missing or non-numeric"),
    "1e308": (lambda: csv_text(["1e308", *ONES[1:]]).encode(), r"values beyond 1e\+09"),
    "negative": (lambda: csv_text(["-1.0", *ONES[1:]]).encode(), r"negative values"),
    "decimal comma, comma separated": (
        lambda: csv_text(["1,5"] * 8760).encode(),
        r"rows have \[2\] fields but the header has 1.*decimal commas need ';'",
    ),
    "mixed separators": (
        lambda: ("time;kw\n" + "\n".join(["0;1.0", "1,1.0"] * 4380) + "\n").encode(),
        r"rows have \[1, 2\] fields",
    ),
    "missing column": (lambda: csv_text(ONES, "kwh").encode(), r"column 'kw' missing"),
    "header only": (lambda: b"kw\n", r"no data rows"),
    "empty": (lambda: b"", r"no data rows"),
    "utf-16": (lambda: csv_text(ONES).encode("utf-16"), r"file is in UTF-16"),
    "latin-1": (lambda: ("# é\n" + csv_text(ONES)).encode("latin-1"), r"not UTF-8"),
}
"""Heat-profile CSV bytes for the first household group, and the expected message."""


# ---------------------------------------------------------------- weather files
def weather_csv(change: Callable[[pd.DataFrame], pd.DataFrame]) -> bytes:
    data = change(default_year().copy())
    frame = data.reset_index()
    frame["time"] = frame["time"].dt.strftime("%Y-%m-%dT%H:%M+00:00")
    return frame.to_csv(index=False).encode()


def scaled(column: str, factor: float = 1.0, offset: float = 0.0):
    def change(data: pd.DataFrame) -> pd.DataFrame:
        data[column] = data[column] * factor + offset
        return data

    return change


WEATHER: dict[str, tuple[Callable[[], bytes], str]] = {
    "kelvin": (lambda: weather_csv(scaled("temp_air", offset=273.15)), r"looks like kelvin"),
    "tenths of a degree": (
        lambda: weather_csv(scaled("temp_air", factor=10)),
        r"outside -60..60 °C",
    ),
    "J/cm2": (
        lambda: weather_csv(
            lambda d: d.assign(ghi=d.ghi * 0.36, dni=d.dni * 0.36, dhi=d.dhi * 0.36)
        ),
        r"ghi: yearly mean irradiance .* looks like J/cm2",
    ),
    "irradiance in J/m2": (
        lambda: weather_csv(scaled("ghi", factor=3600)),
        r"ghi: irradiance .* outside 0..1500 W/m2",
    ),
    "wind in km/h x 10": (
        lambda: weather_csv(scaled("wind_speed", factor=36)),
        r"wind_speed: wind speed .* outside 0..75 m/s",
    ),
    "no UTC offset": (
        lambda: weather_csv(lambda d: d).replace(b"+00:00", b""),
        r"has no UTC offset",
    ),
    "missing column": (
        lambda: weather_csv(lambda d: d.drop(columns="wind_speed")),
        r"wind_speed: column missing",
    ),
    "text in a cell": (
        lambda: weather_csv(lambda d: d.astype(object).assign(temp_air=["warm"] * len(d))),
        r"'warm' at .* is not a number",
    ),
    "utf-16": (lambda: weather_csv(lambda d: d).decode().encode("utf-16"), r"weather"),
}
"""Weather CSVs (from the shipped year, altered) and the expected message."""


# ---------------------------------------------------------------------- games
def game(players, costs) -> str:
    return json.dumps({"players": players, "costs": costs})


TWO = [{"coalition": ["a"], "cost": 1}, {"coalition": ["b"], "cost": 1}]
GAMES: dict[str, tuple[Callable[[], bytes], str]] = {
    "not JSON": (lambda: b"{players: [a]}", r"not valid JSON"),
    "NaN cost": (
        lambda: b'{"players": ["a"], "costs": [{"coalition": ["a"], "cost": NaN}]}',
        r"NaN is not a number",
    ),
    "utf-16": (lambda: game(["a"], []).encode("utf-16"), r"file is in UTF-16"),
    "top-level list": (lambda: b"[1, 2]", r"players: expected an object"),
    "players not a list": (lambda: game("a", []).encode(), r"players: expected an object"),
    "player is a number": (lambda: game([1, 2], []).encode(), r"player names must be"),
    "duplicate players": (lambda: game(["a", "a"], []).encode(), r"unique player names"),
    "21 players": (
        lambda: game([f"p{i}" for i in range(21)], []).encode(),
        r"need 1..20 unique player names",
    ),
    "20 players": (
        lambda: game([f"p{i}" for i in range(20)], []).encode(),
        r"1,048,576 coalitions: allocating them would take about \d+ min",
    ),
    "coalition is a number": (
        lambda: game(["a"], [{"coalition": 1, "cost": 1}]).encode(),
        r"costs\[0\].coalition: coalition must be a list of player names",
    ),
    "cost true": (
        lambda: game(["a"], [{"coalition": ["a"], "cost": True}]).encode(),
        r"costs\[0\].cost: cost must be a finite number .* got True",
    ),
    "cost 1e300": (
        lambda: game(["a"], [{"coalition": ["a"], "cost": 1e300}]).encode(),
        r"cost must be a finite number",
    ),
    "cost string": (
        lambda: game(["a"], [{"coalition": ["a"], "cost": "5"}]).encode(),
        r"cost must be a finite number",
    ),
    "entry without cost": (
        lambda: game(["a"], [{"coalition": ["a"]}]).encode(),
        r"needs 'coalition' and 'cost'",
    ),
    "unknown player": (
        lambda: game(["a"], [{"coalition": ["z"], "cost": 1}]).encode(),
        r"unknown player 'z'",
    ),
    "empty coalition": (
        lambda: game(["a"], [{"coalition": [], "cost": 0}]).encode(),
        r"empty coalition",
    ),
    "coalition twice": (
        lambda: game(["a", "b"], [*TWO, TWO[0]]).encode(),
        r"given twice",
    ),
    "coalition missing": (lambda: game(["a", "b"], TWO).encode(), r"has no cost"),
    "costs not a list": (lambda: game(["a"], {"a": 1}).encode(), r"expected a list of costs"),
}
"""Game files for ``wijk allocate --game`` and the expected message."""


# --------------------------------------------------------------- sweep files
SWEEPS: dict[str, tuple[str, str]] = {
    "uniform with one number": (
        "random: {prices.gas.supply_eur_per_m3: {uniform: [0.3]}}\n",
        r"uniform needs two finite numbers",
    ),
    "uniform low above high": (
        "random: {prices.gas.supply_eur_per_m3: {uniform: [1.0, 0.3]}}\n",
        r"uniform low 1.0 is above high 0.3",
    ),
    "uniform of strings": (
        "random: {prices.gas.supply_eur_per_m3: {uniform: [a, b]}}\n",
        r"uniform needs two finite numbers",
    ),
    "normal negative sd": (
        "random: {finance.discount_rate: {normal: [0.04, -0.01]}}\n",
        r"standard deviation -0.01 is negative",
    ),
    "unknown distribution": (
        "random: {finance.discount_rate: {lognormal: [0, 1]}}\n",
        r"give one of uniform, normal, choice",
    ),
    "empty choice": ("random: {finance.discount_rate: {choice: []}}\n", r"non-empty list"),
    "negative samples": (
        "random: {finance.discount_rate: {uniform: [0.02, 0.05]}}\nsamples: -3\n",
        r"samples: must be a whole number from 1",
    ),
    "samples yes": (
        "random: {finance.discount_rate: {uniform: [0.02, 0.05]}}\nsamples: yes\n",
        r"samples: must be a whole number",
    ),
    "negative seed": ("seed: -1\n", r"seed: must be a whole number from 0"),
    "list at the top": ("- grid\n- random\n", r"expected a mapping at the top, got a list"),
    "unknown key": ("grids: {finance.discount_rate: [0.03]}\n", r"unknown key 'grids'"),
    "grid value not a list": (
        "grid: {finance.discount_rate: 0.03}\n",
        r"grid.finance.discount_rate: give a non-empty list",
    ),
    "duplicate key": ("seed: 1\nseed: 2\n", r"duplicate key 'seed'"),
    "bad YAML": ("grid: [\n", r"not valid YAML"),
    "override of an unknown field": (
        "grid: {finance.discount: [0.03]}\n",
        r"no field 'discount'",
    ),
    "override out of range": (
        "grid: {finance.discount_rate: [4]}\n",
        r"finance.discount_rate: 4 is outside the sane range",
    ),
    "too many scenarios": (
        "random: {finance.discount_rate: {uniform: [0.02, 0.05]}}\nsamples: 1000000\n",
        r"samples: must be a whole number from 1 to 100,000",
    ),
}
"""Sweep files for ``wijk sweep --file`` and the expected message."""


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

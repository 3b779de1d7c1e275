"""The bad inputs of the corpus in ``test_bad_inputs.py``, as tables: each entry makes
one broken file (a model-file text edit, bytes of a CSV, weather, game or sweep file) and
gives the message the command must answer with."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from optimiser.inputs.profiles.weather import synthetic_year

REPO = Path(__file__).resolve().parents[1]
DEFAULT = (REPO / "models/default/wijk.yaml").read_text(encoding="utf-8")


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
    "unclosed bracket": (edit("grid: {max_kw: 1100}", "grid: {max_kw: 1100"), r"not valid YAML"),
    "tab indent": (edit("  discount_rate", "\tdiscount_rate"), r"not valid YAML"),
    "top-level list": (lambda _t: "- a\n- b\n", r"expected a mapping of sections"),
    "empty file": (lambda _t: "", r"expected a mapping of sections"),
    "aquifer outside the wells": (
        edit("ates: {max_doublets: 6}", "ates: {max_doublets: 6, natural_temperature_c: 19}"),
        r"natural_temperature_c \(19 °C\) must lie between the cold well",
    ),
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
        edit("  return_temperature_c: 40", "  return_temperature_c: 40\n  heat_loss_fraction: 12"),
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
    "number as string": (edit("max_kw: 1100", "max_kw: '1100'"), r"max_kw: must be a number"),
    "year fraction": (edit("year: 2025", "year: 2025.5"), r"site.year: must be a whole number"),
    "utc offset bool": (
        edit("utc_offset_hours: 1", "utc_offset_hours: on"),
        r"site.utc_offset_hours: must be a whole number, got True",
    ),
    "latitude out of range": (edit("latitude: 52.09", "latitude: 523"), r"site.latitude"),
    "negative capacity": (edit("max_kwp: 1500", "max_kwp: -10"), r"technologies.pv.max_kwp"),
    "max_kw 1e9": (edit("max_kw: 1100", "max_kw: 1.0e+9"), r"grid.max_kw: .*outside"),
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
    "private grid negative cable price": (
        edit("    year: 2027", "    year: 2027\n    private_grid: {cable_eur_per_m: -118}"),
        r"prices.electricity.private_grid.cable_eur_per_m",
    ),
    "private grid loss in percent": (
        edit("    year: 2027", "    year: 2027\n    private_grid: {loss_fraction: 1}"),
        r"prices.electricity.private_grid.loss_fraction",
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
    data = change(synthetic_year().copy())
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

"""Loading model files: defaults from the catalogue, and one clear line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from optimiser.inputs.scenario import ScenarioError, catalogue, load_scenario, scenario_hash

REPO = Path(__file__).resolve().parents[1]


def write_model(tmp_path: Path, change) -> Path:
    """A copy of the default model with ``change(data)`` applied."""
    data = yaml.safe_load((REPO / "models/default/wijk.yaml").read_text())
    change(data)
    path = tmp_path / "wijk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize("model", ["default", "ketelhuis-wg"])
def test_shipped_models_load(model):
    scenario = load_scenario(REPO / "models" / model)
    assert scenario.technologies.heat_pump is not None
    assert len(scenario_hash(scenario)) == 64


def test_the_hash_counts_files_by_contents_not_by_folder(tmp_path):
    """A model copied to another folder keeps its hash (and so its cached outcomes);
    another weather file under the same name changes it."""
    import shutil

    knmi = REPO / "data" / "weather" / "knmi"

    def model_in(folder: str, weather_zip: str) -> Path:
        (tmp_path / folder).mkdir()
        shutil.copy(knmi / weather_zip, tmp_path / folder / "uurgeg.zip")

        def weather(data):
            data["weather"] = {"source": "knmi", "file": "uurgeg.zip", "year": 2011}

        return write_model(tmp_path / folder, weather)

    here = scenario_hash(load_scenario(model_in("here", "uurgeg_260_2011-2020.zip")))
    there = scenario_hash(load_scenario(model_in("there", "uurgeg_260_2011-2020.zip")))
    other = scenario_hash(load_scenario(model_in("other", "uurgeg_260_2021-2030.zip")))
    assert here == there != other


def test_catalogue_fills_unset_parameters():
    scenario = load_scenario()
    hp = scenario.technologies.heat_pump
    assert hp.capex_eur_per_kw == catalogue()["heat_pump"]["capex_eur_per_kw"]
    assert hp.module_kw == 500  # set in the model file


def test_every_catalogue_number_has_source_and_year():
    raw = yaml.safe_load((REPO / "data/technologies.yaml").read_text())
    for tech, params in raw.items():
        for name, entry in params.items():
            assert {"value", "unit", "source", "year"} <= set(entry), f"{tech}.{name}"


def test_gas_use_converts_with_acm_factor():
    scenario = load_scenario()
    apartment = scenario.demand.households[0]
    assert apartment.heat_kwh_per_connection == pytest.approx(930 / 32.68 * 277.777, rel=1e-4)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["technologies"]["heat_pump"].update(module_kw=-500),
            r"wijk.yaml:\d+: technologies.heat_pump.module_kw: "
            r"-500 is outside the sane range 0 to 1e\+08 \(kW\).*\(got -500\)",
        ),
        (
            lambda d: d["technologies"].update(heatpump={}),
            r"technologies.heatpump: unknown technology; "
            r"allowed here: ammonium_recovery, anaerobic_digester, ates, backup_boiler, battery",
        ),
        (
            lambda d: d["site"].update(lattitude=52),
            r"site.lattitude: unknown key; allowed here: latitude, longitude",
        ),
        (lambda d: d.pop("prices"), r"prices: required field is missing"),
        (
            lambda d: d["demand"]["households"][0].update(annual_heat_kwh=5000),
            r"demand.households.0: give exactly one of annual_heat_kwh and annual_gas_m3",
        ),
        (
            lambda d: d["weather"].update(source="epw", file="missing.epw"),
            r"weather.file: file not found",
        ),
    ],
)
def test_bad_model_files_name_field_and_line(tmp_path, change, expected):
    path = write_model(tmp_path, change)
    with pytest.raises(ScenarioError, match=expected) as info:
        load_scenario(path)
    assert "\n" not in str(info.value)


def test_all_problems_are_reported(tmp_path):
    def two_problems(d):
        d["technologies"]["pv"]["max_kwp"] = -1
        d["finance"]["discount_rate"] = 2

    with pytest.raises(ScenarioError) as info:
        load_scenario(write_model(tmp_path, two_problems))
    assert len(info.value.problems) == 2
    assert "and 1 more" in str(info.value)


def test_yaml_syntax_error_names_line(tmp_path):
    path = tmp_path / "wijk.yaml"
    path.write_text("name: x\nsite: [unclosed\n")
    with pytest.raises(ScenarioError, match=r"wijk.yaml:\d+: not valid YAML"):
        load_scenario(path)


def test_missing_model_file(tmp_path):
    with pytest.raises(Exception, match="model file not found"):
        load_scenario(tmp_path / "nope.yaml")

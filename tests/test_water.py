"""Water as carriers: hand-computable reuse decisions, balances on a real run, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from cases import hand_inputs, scenario_from
from typer.testing import CliRunner

from optimiser.cli import app
from optimiser.inputs.scenario import load_scenario
from optimiser.model.components.ates import WATER_HEAT_CAPACITY_KWH_PER_M3K
from optimiser.model.solve import SolveOptions
from optimiser.outputs.report.figures import fig_sankey
from optimiser.outputs.report.page import write_report
from optimiser.outputs.result_files import write_results
from optimiser.outputs.results import balance_residual
from optimiser.workflows.run import optimise

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)
REPO = Path(__file__).resolve().parents[1]
FACTORY_MODEL = REPO / "models" / "factory-reuse" / "wijk.yaml"


def reuse_case(drinking_eur_per_m3: float):
    """10 m3/h of wastewater; a factory needs 6 m3/h; one treatment module of 10 m3/h
    turns it into 6 m3/h (recovery 0.6) for 1 kWh/m3 at 0.30 EUR/kWh and EUR 200,000
    over 20 years at 0 % (10,000 EUR/year). Sewer and levies cost nothing here."""
    scenario = scenario_from(
        water={"factory": {"process_water_m3_per_year": 1.0}},
        technologies={
            "grid": {"max_kw": 100, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 0},
            "water_treatment": {
                "module_m3_per_h": 10,
                "max_modules": 1,
                "min_part_load": 0,
                "recovery": 0.6,
                "electricity_kwh_per_m3": 1.0,
                "capex_eur_per_module": 200_000,
                "fixed_om_fraction_per_year": 0,
                "variable_om_eur_per_m3": 0,
                "lifetime_years": 20,
            },
        },
        prices={
            "electricity": {"supply_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.0},
            "water": {"drinking_eur_per_m3": drinking_eur_per_m3, "sewer_eur_per_m3": 0.0},
        },
    )
    inputs = hand_inputs(
        24,
        weight=365,
        water={
            "wastewater": 10.0,
            "process_water_demand": 6.0,
            "drinking_water_eur_per_m3": drinking_eur_per_m3,
        },
    )
    return optimise(scenario, EXACT, inputs=inputs, aggregation=None)


def test_reuse_cheaper_than_drinking_water_builds_treatment():
    # Reuse: 10,000 + 10 m3/h x 8760 h x 1 kWh x 0.30 = 36,280 EUR/year;
    # drinking water: 6 m3/h x 8760 h x 1.00 = 52,560 EUR/year.
    ds, summary = reuse_case(1.00)
    assert summary["sizes"]["water_treatment.modules"]["value"] == pytest.approx(1.0)
    assert summary["total_cost_eur_per_year"] == pytest.approx(36_280, rel=1e-9)
    assert summary["water_paths"]["treated_water_reused_m3"] == pytest.approx(6 * 8760)
    assert summary["water_paths"]["drinking_water_as_process_water_m3"] == pytest.approx(
        0, abs=1e-6
    )
    factory = summary["water_accounting"]["factory"]
    assert factory["avoided_drinking_water_eur"] == pytest.approx(52_560, rel=1e-9)
    assert float(balance_residual(ds).max()) < 1e-6


def test_reuse_dearer_than_drinking_water_builds_nothing():
    # At 0.40 EUR/m3 drinking water beats even the electricity of reuse (0.50 EUR per
    # m3 of process water): 6 x 8760 x 0.40 = 21,024 EUR/year, no treatment.
    _, summary = reuse_case(0.40)
    assert summary["sizes"]["water_treatment.modules"]["value"] == pytest.approx(0.0)
    assert summary["total_cost_eur_per_year"] == pytest.approx(21_024, rel=1e-9)


def model_file(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(FACTORY_MODEL.read_text())
    change(data)
    path = tmp_path / "wijk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def reuse_run(tmp_path_factory):
    """The factory model with dear drinking water, so that every water part is used."""

    def dear_water(data):
        data["prices"]["water"]["drinking_eur_per_m3"] = 3.0

    path = model_file(tmp_path_factory.mktemp("reuse"), dear_water)
    scenario = load_scenario(path)
    return scenario, *optimise(scenario, SolveOptions(mip_gap=0.01))


def test_real_run_closes_water_balances_and_limits(reuse_run):
    scenario, ds, summary = reuse_run
    residual = balance_residual(ds)
    for carrier in ("drinking_water", "wastewater", "process_water", "electricity"):
        assert float(residual.sel(carrier=carrier).max()) < 1e-6
    treatment = scenario.technologies.water_treatment
    inflow = ds["water_treatment_inflow_m3_per_h"].values
    assert inflow.sum() > 0  # treatment is built and runs
    produced = ds["flow"].sel(component="water_treatment", carrier="process_water").values
    # reuse never exceeds the treated volume times the recovery
    np.testing.assert_allclose(produced, treatment.recovery * inflow, atol=1e-9)
    assert np.all(inflow <= ds["wastewater_m3_per_h"].values + 1e-6)
    # the tank stays within its volume
    size = summary["sizes"]["process_water_tank.volume_m3"]["value"]
    level = ds["level_kwh"].sel(storage="process_water_tank").values
    assert level.min() >= -1e-6 and level.max() <= size + 1e-6
    # heat from wastewater never exceeds what the flow carries
    drop = scenario.technologies.wastewater_heat.usable_delta_t_k
    carried = ds["wastewater_m3_per_h"].values * WATER_HEAT_CAPACITY_KWH_PER_M3K * drop
    recovered = ds["flow"].sel(component="wastewater_heat", carrier="source_heat").values
    assert np.all(recovered <= carried + 1e-6)
    # factory heat at 45 °C never enters the 60-70 °C network directly
    assert np.all(ds["flow"].sel(component="factory_heat", carrier="network_heat").values < 1e-9)
    paths = summary["water_paths"]
    assert paths["wastewater_produced_m3"] == pytest.approx(
        paths["wastewater_to_sewer_m3"] + paths["wastewater_treated_locally_m3"], rel=1e-6
    )
    assert paths["process_water_used_m3"] == pytest.approx(60_000, rel=1e-6)
    board = summary["water_accounting"]["water_board"]
    assert board["avoided_central_treatment_m3"] > 0
    # the water board treats the reused m3 no more (at the sewer price) and receives the
    # levy on the plant's concentrate; the homes' levy is per home and does not change
    sewer = float((ds["sewer_eur_per_m3"] * ds["weight"]).sum() / ds["weight"].sum())
    concentrate = paths["treatment_concentrate_to_sewer_m3"]
    levy = float(ds["treatment_levy_eur_per_m3"])
    assert board["net_change_eur"] == pytest.approx(
        paths["treated_water_reused_m3"] * sewer + concentrate * levy, rel=1e-9
    )
    assert board["net_change_eur"] > 0


def test_summary_and_report_show_water_next_to_energy(reuse_run, tmp_path):
    _, ds, summary = reuse_run
    assert summary["annual_water"]["sewer.wastewater"]["out_m3"] > 0
    assert summary["annual_energy"]["heat_pump.network_heat"]["in_mwh"] > 0
    write_results(ds, summary, tmp_path / "results")
    page = write_report(tmp_path / "results").read_text()
    assert 'id="fig-sankey-water"' in page and 'id="fig-sankey-energy"' in page
    water = fig_sankey(ds, ("drinking_water", "wastewater", "process_water"))
    assert water.data[0].valuesuffix == " m3/year"
    assert "water_treatment" in water.data[0].node.label
    # every plant balances: what treatment takes in leaves as process water or reject
    # (the concentrate, (1 - recovery) of the treated m3, which goes to the sewer)
    links = water.data[0].link
    labels = list(water.data[0].node.label)
    plant = labels.index("water_treatment")
    taken = sum(v for t, v in zip(links.target, links.value, strict=True) if t == plant)
    given = sum(v for s, v in zip(links.source, links.value, strict=True) if s == plant)
    assert taken == pytest.approx(given, rel=1e-9)
    reject = links.value[list(links.target).index(labels.index("water_treatment reject"))]
    assert reject == pytest.approx(summary["water_paths"]["treatment_concentrate_to_sewer_m3"])


def one_line_error(tmp_path: Path, change, pattern: str) -> None:
    path = model_file(tmp_path, change)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and pattern in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_negative_process_water_is_an_error(tmp_path):
    def change(data):
        data["water"]["factory"]["process_water_m3_per_year"] = -5

    one_line_error(tmp_path, change, "water.factory.process_water_m3_per_year")


def test_recovery_above_one_is_an_error(tmp_path):
    def change(data):
        data["technologies"]["water_treatment"] = {"recovery": 1.2}

    one_line_error(tmp_path, change, "technologies.water_treatment.recovery")


def test_process_water_without_any_source_is_an_error(tmp_path):
    def change(data):
        data["water"]["drinking_water_for_process"] = False
        data["technologies"].pop("water_treatment")

    one_line_error(tmp_path, change, "factory_process_water needs process_water")


def test_negative_flow_in_a_profile_is_an_error(tmp_path):
    def change(data):
        values = np.full(8760, 5.0)
        values[100] = -1.0
        (tmp_path / "process.csv").write_text(
            "m3_per_h\n" + "\n".join(f"{v}" for v in values) + "\n"
        )
        data["water"]["factory"]["process_water_profile_file"] = "process.csv"

    one_line_error(tmp_path, change, "process_water_profile_file")

"""The cost-CO2 trade-off on a case computable by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cases import hand_inputs, scenario_from

from optimiser.model.solve import SolveOptions
from optimiser.workflows import pareto
from optimiser.workflows.run import optimise

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)
PV_SHAPE = np.where((np.arange(24) >= 6) & (np.arange(24) < 18), 0.5, 0.0)


def pv_case():
    """10 kW all day from a grid at 0.30 kg CO2/kWh, or from PV at 0.5 kW/kWp for 12 h.
    PV costs 1,000 EUR/kWp over 25 years at 0 % plus 10 EUR/kWp/year = 50 EUR/kWp/year
    and, with grid power at 0.01 EUR/kWh, saves only 6 kWh/day x 365 x 0.01 = 21.9
    EUR/kWp/year: not worth it for cost. Each kWp avoids 6 x 365 x 0.3 = 657 kg CO2;
    20 kWp cover the 12 sunny hours."""
    scenario = scenario_from(
        technologies={
            "grid": {"max_kw": 100, "capacity_eur_per_kw_year": 0, "fixed_eur_per_year": 0},
            "pv": {"capex_eur_per_kw": 1000, "fixed_om_eur_per_kw_year": 10, "lifetime_years": 25},
        },
        prices={"electricity": {"supply_eur_per_kwh": 0.01, "export_eur_per_kwh": 0.0}},
    )
    inputs = hand_inputs(24, electricity_kw=10.0, pv_kw_per_kwp=PV_SHAPE, weight=365,
                         import_eur_per_kwh=0.01)  # fmt: skip
    return scenario, inputs


def test_epsilon_constraint_by_hand():
    scenario, inputs = pv_case()
    front = pareto.pareto_front(scenario, points=3, aggregation=None, options=EXACT, inputs=inputs)
    # cheapest: no PV, 10 kW x 8760 h x 0.3 = 26,280 kg; least: 20 kWp, half of that
    # (the least-CO2 cap sits 1e-6 above the least, against solver rounding)
    np.testing.assert_allclose(front["co2_tonne"], [26.28, 19.71, 13.14], rtol=1e-5)
    kwp = front["size:pv.kwp"].to_numpy()
    np.testing.assert_allclose(kwp, [0.0, 10.0, 20.0], atol=1e-3)
    # each kWp adds 50 EUR and saves 6 x 365 x 0.01 = 21.9 EUR a year
    base = 10 * 8760 * 0.01
    np.testing.assert_allclose(front["cost_eur"], base + kwp * (50 - 21.9), rtol=1e-9)
    assert (front["error"] == "").all()
    assert len(pareto.fig_pareto(front).data[0].x) == 3


def test_an_unreachable_cap_is_an_error():
    scenario, inputs = pv_case()
    with pytest.raises(Exception, match=r"no design emits at most 1\.0 t"):
        optimise(scenario, EXACT, inputs=inputs, aggregation=None, co2_cap_tonne=1.0)


def test_pareto_command_writes_the_front(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from optimiser.cli import app
    from optimiser.inputs.scenario import MODELS_DIR

    data = yaml.safe_load((MODELS_DIR / "default" / "wijk.yaml").read_text())
    data["technologies"] = {
        "grid": {"max_kw": 4000},
        "pv": {"max_kwp": 1500},
        "backup_boiler": {"fuel": "electricity", "max_kw": 5000},
    }
    model = tmp_path / "wijk.yaml"
    model.write_text(yaml.safe_dump(data, sort_keys=False))
    out = tmp_path / "front"
    result = CliRunner().invoke(
        app, ["pareto", str(model), "-n", "3", "-k", "4", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    front = pd.read_csv(out / "pareto.csv")
    assert len(front) == 3
    solved = front[front["error"].isna()]
    # less CO2 never costs less
    assert solved["co2_tonne"].is_monotonic_decreasing
    assert solved["cost_eur"].is_monotonic_increasing
    assert (out / "pareto.html").stat().st_size > 1e6  # plotly embedded: opens offline

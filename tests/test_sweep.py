"""Sweeps: overrides, grids and draws; the same results on a dask cluster and the local
pool; a failed scenario reported while the others finish; a stopped sweep resumes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml

from optimiser.errors import InputError
from optimiser.inputs.scenario import load_scenario
from optimiser.model.timeseries import Aggregation
from optimiser.outputs.report.sweep_page import mean_at_low_and_high, write_sweep_report
from optimiser.workflows.runner import executor, run_all
from optimiser.workflows.sweep import apply, grid, parse_set, read_sweep_file, run_sweep, sample

REPO = Path(__file__).resolve().parents[1]
FAST = Aggregation(typical_days=6)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The default neighbourhood heated by an electric boiler: an LP, fast to sweep."""
    data = yaml.safe_load((REPO / "models/default/wijk.yaml").read_text())
    data["technologies"] = {
        "grid": {"max_kw": 4000},
        "pv": {"max_kwp": 1500},
        "backup_boiler": {"fuel": "electricity", "max_kw": 5000},
    }
    path = tmp_path_factory.mktemp("sweep") / "wijk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_scenario(path)


# two prices x a boiler too small to serve the peak (made infeasible on purpose)
OVERRIDES = grid(
    {
        "prices.electricity.supplier_margin_eur_per_kwh": [0.0, 0.04],
        "technologies.backup_boiler.max_kw": [5000, 10],
    }
)


def test_overrides_grid_and_seeded_draws(tmp_path, base):
    assert parse_set("finance.discount_rate=0.03,0.05") == ("finance.discount_rate", [0.03, 0.05])
    assert len(OVERRIDES) == 4
    draws = sample({"prices.gas.supply_eur_per_m3": {"uniform": [0.3, 1.0]}}, 5, seed=7)
    assert draws == sample({"prices.gas.supply_eur_per_m3": {"uniform": [0.3, 1.0]}}, 5, seed=7)
    assert all(0.3 <= d["prices.gas.supply_eur_per_m3"] <= 1.0 for d in draws)
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        "grid: {finance.discount_rate: [0.03, 0.05]}\n"
        "random: {prices.gas.supply_eur_per_m3: {normal: [0.5, 0.1]}}\nsamples: 3\nseed: 1\n"
    )
    assert len(read_sweep_file(spec)) == 6
    assert apply(base, {"finance.discount_rate": 0.05}).finance.discount_rate == 0.05


def test_bad_override_names_itself(base):
    with pytest.raises(InputError, match=r"override prices\.electricity\.nonsense: no field"):
        apply(base, {"prices.electricity.nonsense": 1})
    with pytest.raises(InputError, match=r"finance\.discount_rate"):
        apply(base, {"finance.discount_rate": -1})
    with pytest.raises(InputError, match="--set"):
        parse_set("finance.discount_rate")


@pytest.fixture(scope="module")
def local(base):
    with executor(workers=2) as pool:
        return run_sweep(base, OVERRIDES, pool, None, FAST)


def test_dask_cluster_and_local_pool_give_identical_results(base, local):
    from distributed import LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        executor(cluster.scheduler_address) as pool,
    ):
        remote = run_sweep(base, OVERRIDES, pool, None, FAST)
    xr.testing.assert_identical(local, remote)
    # the infeasible scenarios are reported with their reason; the others are solved
    assert local["ok"].values.tolist() == [True, False, True, False]
    assert "network_heat cannot be served" in str(local["error"].values[1])
    cost = local["total_cost_eur_per_year"].values
    assert cost[2] > cost[0]  # dearer electricity, dearer heat from an electric boiler


def test_stopped_sweep_resumes_from_the_cache(tmp_path, base):
    overrides = grid({"prices.electricity.supplier_margin_eur_per_kwh": [0.0, 0.02, 0.04]})
    scenarios = {f"s{i}": apply(base, o) for i, o in enumerate(overrides)}
    cache = tmp_path / "cache"

    def stop_after_first(_name, _outcome, _cached):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_all(scenarios, None, FAST, cache_dir=cache, progress=stop_after_first)
    assert len(list(cache.glob("*.json"))) == 1
    seen: list[bool] = []
    outcomes = run_all(
        scenarios, None, FAST, cache_dir=cache, progress=lambda n, o, c: seen.append(c)
    )
    assert sorted(seen) == [False, False, True]
    assert all(o["ok"] for o in outcomes.values())
    assert np.isfinite([o["total_cost_eur"] for o in outcomes.values()]).all()


def test_sweep_report(tmp_path, local):
    local.to_netcdf(tmp_path / "sweep.nc")
    page = write_sweep_report(tmp_path).read_text()
    for div in ("fig-tornado", "fig-sensitivity", "fig-nmdn-verdicts"):
        assert f'id="{div}"' in page
    assert "2 solved, 2 failed" in page and "network_heat cannot be served" in page
    low, high = mean_at_low_and_high(
        np.array([1.0, 1.0, 2.0, 2.0]), np.array([10.0, 12.0, 20.0, np.nan])
    )
    assert (low, high) == (11.0, 20.0)

"""Hourly profiles: PV yield, demand totals, supply temperature, CSV checks, holidays."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from optimiser.errors import InputError
from optimiser.inputs.profiles.holidays import dutch_public_holidays
from optimiser.inputs.profiles.hourly_csv import read_hourly_csv
from optimiser.inputs.profiles.inputs import supply_temperature
from optimiser.inputs.scenario import Network, load_scenario


def test_default_inputs_cover_the_year(default_inputs):
    assert default_inputs.sizes["time"] == 8760
    assert float(default_inputs["weight"].sum()) == 8760
    for name, values in default_inputs.data_vars.items():
        assert np.isfinite(values.values).all(), name


def test_pv_specific_yield_is_dutch(default_inputs):
    # Dutch rooftop PV yields 850-900 kWh/kWp/year (REFERENCE-FIGURES); allow a margin
    # for the 30° south-facing plane of the default catalogue.
    annual = float(default_inputs["pv_kw_per_kwp"].sum())
    assert 800 <= annual <= 1050
    assert float(default_inputs["pv_kw_per_kwp"].max()) <= 1.0
    night = default_inputs["pv_kw_per_kwp"].sel(time=default_inputs.time.dt.hour == 0)
    assert float(night.max()) == 0.0


def test_demand_totals_match_the_model_file(default_inputs):
    scenario = load_scenario()
    for group in scenario.demand.groups:
        heat = float(default_inputs["heat_demand_kw"].sel(consumer=group.name).sum())
        assert heat == pytest.approx(group.count * group.heat_kwh_per_connection, rel=1e-9)
        elec = float(default_inputs["electricity_demand_kw"].sel(consumer=group.name).sum())
        assert elec == pytest.approx(group.count * group.annual_electricity_kwh, rel=1e-9)


def test_heat_demand_peaks_in_the_cold(default_inputs):
    heat = default_inputs["heat_demand_kw"].sum("consumer")
    cold = default_inputs["temp_air"] < 0
    warm = default_inputs["temp_air"] > 20
    assert float(heat.where(cold).mean()) > 4 * float(heat.where(warm).mean())


def test_network_losses_follow_the_supply_temperature(default_inputs):
    # Trench by building density (data/heat_network_costs.yaml): 20 apartment entrances x
    # 20 m + 340 ground-level homes x 10 m + 11 business connections x 30 m = 4,130 m.
    # 4,130 m x 0.4 W/(m K): 70/40 °C in 10 °C ground -> 45 K -> 74.3 kW; 60/40 °C (mild)
    # -> 40 K -> 66.1 kW. Every hour: 4,130 x 0.4 x ((supply + 40) / 2 - 10) / 1000 kW.
    trench_m = 20 * 20 + 340 * 10 + 11 * 30
    loss = default_inputs["network_heat_loss_kw"]
    supply = default_inputs["network_supply_c"]
    np.testing.assert_allclose(loss, trench_m * 0.4 * ((supply + 40) / 2 - 10) / 1000)
    assert float(loss.max()) <= trench_m * 0.4 * 45 / 1000 + 1e-9
    assert float(loss.min()) == pytest.approx(trench_m * 0.4 * 40 / 1000)
    delivered = float(default_inputs["heat_demand_kw"].sum())
    assert 0.08 < float(loss.sum()) / (float(loss.sum()) + delivered) < 0.2


def test_supply_temperature_outdoor_reset():
    network = Network(supply_temperature_c=70, supply_temperature_mild_c=60)
    got = supply_temperature(np.array([-15.0, -10.0, 2.5, 15.0, 25.0]), network)
    assert np.allclose(got, [70, 70, 65, 60, 60])
    flat = supply_temperature(np.array([-5.0, 20.0]), Network(supply_temperature_c=65))
    assert np.allclose(flat, 65)


def test_hourly_csv_rejects_negative_values(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("kw\n" + "1\n" * 100 + "-3\n" + "1\n" * 8659)
    with pytest.raises(InputError, match=r"p.csv: f: column 'kw' has negative values"):
        read_hourly_csv(path, "kw", "f")


def test_hourly_csv_names_a_missing_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("power\n" + "1\n" * 8760)
    with pytest.raises(InputError, match=r"column 'kw' missing \(columns: power\)"):
        read_hourly_csv(path, "kw", "f")


def test_dutch_holidays():
    days = dutch_public_holidays(2025)
    assert dt.date(2025, 4, 26) in days  # King's Day moved: 27 April 2025 is a Sunday
    assert dt.date(2025, 5, 5) in days  # Liberation Day, lustrum year
    assert dt.date(2025, 5, 29) in days  # Ascension
    assert dt.date(2026, 5, 5) not in dutch_public_holidays(2026)

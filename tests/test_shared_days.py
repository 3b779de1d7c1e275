"""One clustering for a whole game: typical days given to every coalition."""

from __future__ import annotations

import numpy as np
import pytest

from optimiser.inputs.profiles.inputs import build_inputs
from optimiser.inputs.scenario import load_scenario
from optimiser.model.system import clustering_features
from optimiser.model.timeseries import Aggregation, aggregate, shared_days


@pytest.fixture(scope="module")
def default_inputs():
    scenario = load_scenario()
    inputs = build_inputs(scenario)
    return inputs, clustering_features(scenario, inputs)


def test_given_days_reproduce_the_clustering(default_inputs):
    inputs, features = default_inputs
    own = aggregate(inputs, Aggregation(), features)
    given = shared_days(inputs, Aggregation(), features)
    again = aggregate(inputs, given)
    assert len(given.days) == own.attrs["typical_days"] == again.attrs["typical_days"]
    np.testing.assert_array_equal(again["period_of_day"], own["period_of_day"])
    np.testing.assert_array_equal(again["time"], own["time"])
    np.testing.assert_array_equal(again["weight"], own["weight"])
    # energy keeps its annual total (weighted sum of the typical hours = the year's)
    for name in ("heat_demand_kw", "electricity_demand_kw", "pv_kw_per_kwp"):
        year = inputs[name].sum("time")
        np.testing.assert_allclose((again[name] * again["weight"]).sum("time"), year, rtol=1e-6)
        assert (again[name].max("time") <= inputs[name].max("time") + 1e-9).all()


def test_a_coalition_is_priced_on_the_grand_coalitions_days(default_inputs):
    """The school alone, on the neighbourhood's days: same days and weights, its own
    demand (its annual heat preserved)."""
    inputs, features = default_inputs
    given = shared_days(inputs, Aggregation(), features)
    school = inputs.sel(consumer=["school"])
    typical = aggregate(school, given)
    np.testing.assert_array_equal(typical["time"], aggregate(inputs, given)["time"])
    np.testing.assert_allclose(
        float((typical["heat_demand_kw"] * typical["weight"]).sum()),
        float(school["heat_demand_kw"].sum()),
        rtol=1e-6,
    )


def test_wrong_day_assignment_is_refused(default_inputs):
    inputs, _ = default_inputs
    with pytest.raises(ValueError, match="period_of_day needs 365 clusters"):
        aggregate(inputs, Aggregation(days=(0, 100), period_of_day=(0, 1, 2) * 121 + (0, 1)))

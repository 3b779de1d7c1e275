"""Multipliers of the full-year check's year rows, estimated on more typical days.

The full-year check prices its rows that sum over the year (the ATES's heat balance)
first when their multiplier is dear (:mod:`optimiser.model.year_rows`). The estimate
comes from the same design dispatched on :data:`ESTIMATE_AGGREGATION`: an LP of a few
thousand steps. The design's own 12 typical days are too few. On ketelhuis-wg their
dispatch binds the other side of the balance (heat surplus, -0.005 EUR/kWh), while the
full year binds the cold surplus at -0.174 EUR/kWh. With 24 days the estimate was
-0.1741 (0.9 s to build and solve), with 48 -0.1743 (2.4 s), with 96 -0.1743 (6.7 s)
(HiGHS 1.15.1, one thread). A wrong estimate costs time, never the optimum.
"""

from __future__ import annotations

import time

import xarray as xr

from optimiser.constants import HOURS_PER_YEAR
from optimiser.errors import SolverError
from optimiser.inputs.scenario import Scenario
from optimiser.model.solve import SolveOptions, solve
from optimiser.model.system import build_model, clustering_features
from optimiser.model.timeseries import Aggregation, aggregate
from optimiser.model.year_rows import worth_pricing

ESTIMATE_AGGREGATION = Aggregation(typical_days=24)


def year_prices(
    scenario: Scenario, inputs: xr.Dataset, sizes: dict[str, float], options: SolveOptions
) -> tuple[tuple[float, ...] | None, float]:
    """The multipliers (EUR per unit of each year row) at which the full-year check of
    the design ``sizes`` should price its year rows, or None where that does not pay:
    no ATES, an ATES whose balance band makes the check a MILP, inputs that are not a
    full year, a cheap balance, or an estimate LP that cannot be solved. Also returns
    the seconds the estimate took."""
    ates = scenario.technologies.ates
    if (
        ates is None
        or ates.balance_tolerance > 0
        or ates.heat_surplus_tolerance > 0
        or inputs.sizes["time"] != HOURS_PER_YEAR
    ):
        return None, 0.0
    start = time.perf_counter()
    typical = aggregate(inputs, ESTIMATE_AGGREGATION, clustering_features(scenario, inputs))
    builder = build_model(scenario, typical, fixed_sizes=sizes)
    try:
        duals = solve(builder, options).year_duals
    except SolverError:  # e.g. a day the design cannot serve: the check will say so
        duals = ()
    return (duals if worth_pricing(duals) else None), time.perf_counter() - start

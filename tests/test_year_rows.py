"""The full-year check with its year rows (the ATES balance) priced first and added last:
the same optimum at any price, and the rows' duals read back as the price to use (the
duals themselves need not be unique: this LP is degenerate)."""

from __future__ import annotations

import pytest
from cases import scenario_from
from test_model_cases import loop_system, summer_to_winter_inputs

from optimiser.model.solve import SolveOptions, solve
from optimiser.model.system import build_model
from optimiser.model.year_rows import WORTH_PRICING_EUR_PER_UNIT, worth_pricing
from optimiser.workflows.design_stage import sizes_of

EXACT = SolveOptions(time_limit_s=60, mip_gap=0.0, threads=1)


@pytest.fixture(scope="module")
def check():
    """A two-day year (182.5 h per step): a warm canal with no demand, then a cold canal
    and 400 kW of heat that only the ATES can bring over. The aquifer's own heat at
    17 °C is nearly as good as the warm well's, so without the balance the heat pumps
    would draw only that and the ATES would inject nothing: held exactly, it binds."""
    inputs = summer_to_winter_inputs()
    technologies = loop_system(ates=True, backup=False)
    technologies["ates"] |= {
        "balance_tolerance": 0.0,
        "heat_surplus_tolerance": 0.0,
        "natural_temperature_c": 17.0,
    }
    scenario = scenario_from(technologies=technologies)
    design = build_model(scenario, inputs)
    solve(design, EXACT)
    sizes = sizes_of(design)

    def fresh():
        return build_model(scenario, inputs, fixed_sizes=sizes)

    plain = fresh()
    return fresh, plain, solve(plain, EXACT)


def test_the_balance_binds_and_its_dual_is_read_back(check):
    _, plain, result = check
    assert len(plain.year_rows) == 2 and len(result.year_duals) == 2
    assert min(result.year_duals) < -1e-3  # EUR/kWh: relaxing the balance would save
    assert worth_pricing(result.year_duals) == (
        max(abs(d) for d in result.year_duals) >= WORTH_PRICING_EUR_PER_UNIT
    )


@pytest.mark.parametrize("scale", [1.0, 0.0, 0.5, 3.0, -2.0])
def test_any_price_reaches_the_same_optimum_with_the_balance_held(check, scale):
    fresh, _, result = check
    builder = fresh()
    priced = solve(builder, EXACT, prices=[scale * d for d in result.year_duals])
    assert priced.optimal
    assert priced.objective == pytest.approx(result.objective, rel=1e-9, abs=1e-6)
    ates = builder.model.ates
    injected = ates.charge_kw.value.sum()
    extracted = ates.discharge_kw.value.sum() + ates.natural_kw.value.sum()
    assert injected > 1 and extracted == pytest.approx(injected, rel=1e-7)


def test_prices_must_match_the_rows(check):
    fresh, _, _ = check
    with pytest.raises(ValueError, match="1 prices for 2 year rows"):
        solve(fresh(), EXACT, prices=[0.1])


def test_a_check_with_its_single_column_rows_as_bounds_keeps_optimum_and_duals(check):
    """A solve that keeps its basis hands HiGHS the LP with its rows of one column as
    bounds (a warm start runs without presolve): the same optimum, the year rows' duals
    read from their new positions, and a basis of the smaller LP that starts the same
    LP again at its optimum."""
    from optimiser.model.matrix import model_matrix
    from optimiser.model.singleton_rows import as_bounds
    from optimiser.model.warm_basis import WarmBasis

    fresh, _, result = check
    builder = fresh()
    full = model_matrix(builder)
    smaller, _ = as_bounds(full.lp, full.year_rows)
    assert smaller.num_row_ < full.lp.num_row_
    kept = WarmBasis()
    bounded = solve(builder, EXACT, basis=kept)
    assert bounded.objective == pytest.approx(result.objective, rel=1e-9, abs=1e-6)
    assert bounded.year_duals == pytest.approx(result.year_duals, abs=1e-9)
    assert kept.found.startswith(f"{smaller.num_col_}:")
    again = WarmBasis(given=kept.found)
    assert solve(fresh(), EXACT, basis=again).objective == pytest.approx(bounded.objective)
    assert again.used

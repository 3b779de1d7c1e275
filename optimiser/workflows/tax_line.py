"""The typical-day design's energy tax as one bracket's line, with an exact fallback.

The Dutch energy tax on electricity is degressive: its rate falls from bracket to
bracket, so the tax is concave in the yearly kWh and the exact model needs a binary per
bracket boundary. Those binaries made the default design MILP twice as slow (27 s
against 12 s, HiGHS 1.15.1, one thread). A concave piecewise-linear function is the
minimum of its pieces' lines, so the line of any one bracket lies on or above the tax
and equals it within that bracket. The design is therefore made with the line of the
bracket its use is expected to fall in (:func:`expected_kwh`), or, if it misses, of the
bracket it landed in:

- if the design's use lands in that bracket, its cost is exact, and no design is
  cheaper than it by more than the line's largest overestimate elsewhere
  (:func:`max_over_eur`), which is taken off the design's bound;
- if it lands elsewhere (:func:`landed` returns None), the design is made again on the
  line of the bracket it landed in, and if that misses too, with the exact brackets, so
  no run is priced on the wrong line.

The full-year check then keeps the brackets the design landed in, as it keeps the
exact model's, and prices the year exactly.
"""

from __future__ import annotations

import pyomo.environ as pyo
import xarray as xr

from optimiser.model.builder import ModelBuilder

NOMINAL_COP = 4.0
"""Seasonal COP (heat per electricity) assumed only to guess the bracket: a guess that
misses costs one more solve, never a wrong price."""


def expected_kwh(inputs: xr.Dataset) -> float:
    """A guess of the yearly electricity (kWh) the energy centre's connection draws: the
    network's pumping, and the heat demand and network losses as if heat pumps made all
    of it at :data:`NOMINAL_COP` (the homes' own electricity is behind their own meters
    when the energy tax applies). Weighted by the hours each step stands for."""
    weight = inputs["weight"]
    heat = (weight * (inputs["heat_demand_kw"] + inputs["network_heat_loss_kw"])).sum()
    return float((weight * inputs["network_pumping_kw"]).sum() + heat / NOMINAL_COP)


def used_kwh(builder: ModelBuilder) -> float | None:
    """The solved yearly use of the first taxed connection (kWh), None without one: the
    guess for the next try when a design missed its line's bracket."""
    return float(pyo.value(builder.tax_lines[0].kwh)) if builder.tax_lines else None


def landed(builder: ModelBuilder) -> dict[str, float] | None:
    """For a solved design modelled with tax lines: the bracket decisions (label -> 0/1)
    that make the exact model's tax that of the brackets it landed in, for the full-year
    check; None if any use fell outside its line's bracket (design again, exactly)."""
    reached: dict[str, float] = {}
    for line in builder.tax_lines:
        if not line.landed():
            return None
        reached.update(line.reached())
    return reached


def max_over_eur(builder: ModelBuilder) -> float:
    """The most the design's lines can put on the exact tax (EUR/year): the design's
    bound less this is a bound on the exact typical-day model."""
    return float(sum(line.max_over_eur for line in builder.tax_lines))


def describe(builder: ModelBuilder) -> str:
    """How a solved design priced its energy tax, in one line for the results' attrs."""
    if not builder.tax_lines:
        return "no tax line: exact brackets (a binary per boundary) wherever an energy tax applies"
    return "; ".join(
        f"{line.component}: line of bracket {line.bracket + 1} ({line.lower_kwh:,.0f}-"
        f"{line.upper_kwh:,.0f} kWh), exact at the design's {pyo.value(line.kwh):,.0f} kWh;"
        f" bound lowered by its largest overcharge, EUR {line.max_over_eur:,.0f}/year"
        for line in builder.tax_lines
    )

"""The typical-day design's energy tax as one bracket's line, with an exact fallback.

The Dutch energy tax on electricity is degressive: its rate falls from bracket to
bracket, so the tax is concave in the yearly kWh and the exact model needs a binary per
bracket boundary. Those binaries made the default design MILP twice as slow (27 s
against 12 s, HiGHS 1.15.1, one thread). A concave piecewise-linear function is the
minimum of its pieces' lines, so the line of any one bracket lies on or above the tax
and equals it within that bracket. The design is therefore made with the line of the
bracket its use is expected to fall in (:func:`expected_kwh`):

- if the design's use lands in that bracket, its cost is exact, and no design is
  cheaper than it by more than the line's largest overestimate elsewhere
  (:func:`max_over_eur`), which is taken off the design's bound;
- if it lands elsewhere, the design is made again with the exact brackets
  (:func:`landed` returns None), so no run is silently priced on the wrong line.

The full-year check then keeps the brackets the design landed in, as it keeps the
exact model's, and prices the year exactly.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from optimiser.model.builder import ModelBuilder


def expected_kwh(inputs: xr.Dataset) -> float:
    """The yearly electricity (kWh) the design's grid connection is expected to draw: the
    site's own electricity demand (``electricity_demand_kw``, weighted by the hours each
    step stands for; heat pumps come on top and PV may take some off). Only chooses the
    line; a wrong guess costs a second solve, never a wrong price."""
    if "electricity_demand_kw" not in inputs:
        return 0.0
    weight = np.asarray(inputs["weight"].values, dtype=float)
    return float(np.dot(weight, np.asarray(inputs["electricity_demand_kw"].values, dtype=float)))


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

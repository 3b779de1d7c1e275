"""The water board's page of the report: its year with and without the cooperative.

What the water board receives and pays for the neighbourhood's homes: the treatment
levy (less the share transferred to the cooperative), the central treatment of what
reaches its plant (less the pollution units kept local and the m3 reused), the levy on
the cooperative's concentrate, and, when it owns the TEO, the heat fee and the TEO's
annual cost. The NPV of the difference and the levy share at which
the water board is as well off as without the cooperative come from
:func:`optimiser.economics.water_board.water_board_case`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

from optimiser.economics.water_board import water_board_case

ROWS = (
    ("Treatment levy received", "levy_without_eur", "levy_with_eur"),
    ("Central treatment of these streams", "treatment_cost_without_eur",
     "treatment_cost_with_eur"),
    ("Levy on the plant's concentrate", None, "concentrate_levy_eur"),
    ("TEO heat fee", None, "teo_fee_eur"),
    ("TEO annuity and O&M", None, "teo_cost_eur"),
)  # fmt: skip
"""(label, key without the cooperative, key with it); None: zero without."""


def _share_text(share: float | None) -> str:
    if share is None:
        return "no levy at stake"
    if share >= 1:
        return f"{share:.2f} (even the whole levy can be passed on)"
    return f"{share:.2f}"


def fig_water_board(case: dict) -> go.Figure:
    """Bars of the water board's year without and with the cooperative (kEUR/year) and
    a table with the NPV of the difference and the break-even levy share."""
    labels = [label for label, _, _ in ROWS]
    without = [case[key] / 1e3 if key else 0.0 for _, key, _ in ROWS]
    with_coop = [case[key] / 1e3 for _, _, key in ROWS]
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.6, 0.4],
        specs=[[{"type": "bar"}, {"type": "table"}]],
    )
    fig.add_trace(go.Bar(name="without the cooperative", x=labels, y=without), 1, 1)
    fig.add_trace(go.Bar(name="with the cooperative", x=labels, y=with_coop), 1, 1)
    rows = [
        ("levy share transferred", f"{case['transferred_share']:.2f}"),
        ("change per year", f"EUR {case['annual_change_eur']:,.0f}"),
        (
            f"NPV over {case['horizon_years']} years at {case['discount_rate']:.1%}",
            f"EUR {case['npv_eur']:,.0f}",
        ),
        ("break-even levy share", _share_text(case["break_even_levy_share"])),
    ]
    fig.add_trace(
        go.Table(
            header={"values": ["water board", "value"]},
            cells={"values": [[r[0] for r in rows], [r[1] for r in rows]]},
        ),
        1,
        2,
    )
    fig.update_layout(
        title="The water board's year for these homes (kEUR/year; + in, - out)",
        barmode="group",
        yaxis={"title": "kEUR/year"},
        template="plotly_white",
        margin={"t": 60, "l": 60, "r": 20, "b": 60},
    )
    return fig


def water_board_figures(ds: xr.Dataset) -> list[tuple[str, str, go.Figure]]:
    """The water board's figure for the report, or nothing for a model without water."""
    case = water_board_case(ds)
    if case is None:
        return []
    name = str(ds["water_board_name"].values) if "water_board_name" in ds else "water board"
    heading = f"The water board ({name}): with and without the cooperative"
    return [("water-board", heading, fig_water_board(case))]

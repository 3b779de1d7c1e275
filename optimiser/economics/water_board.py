"""The water board's year with and without the cooperative, for its page of the report.

From the per-party accounts (:func:`optimiser.economics.water_accounting.water_accounting`):
the treatment levy it keeps, the central treatment it no longer does (per pollution unit
kept local, and per m3 the cooperative's plant reuses instead of sending to the sewer),
the levy the cooperative's plant pays on its concentrate, and, when the water board owns
the TEO, the heat fee and the TEO's annual cost (EUR/year).
"""

from __future__ import annotations

import xarray as xr

from optimiser.annuity import annuity_factor
from optimiser.economics.levies import teo_fee_account
from optimiser.economics.water_accounting import water_accounting


def _scalar(ds: xr.Dataset, name: str) -> float:
    return float(ds[name]) if name in ds else 0.0


def water_board_case(ds: xr.Dataset) -> dict[str, float] | None:
    """The water board with and without the cooperative (EUR/year), the NPV of the
    difference over ``water_board_horizon_years`` at ``discount_rate``, and the treatment
    levy share at which the difference is zero (``break_even_levy_share``; above 1: even
    the whole levy can be passed on; None when no levy is at stake)."""
    board = water_accounting(ds).get("water_board", {})
    if "treatment_levy_received_eur" not in board:
        return None
    teo = teo_fee_account(ds)
    rate = _scalar(ds, "discount_rate")
    years = int(_scalar(ds, "water_board_horizon_years"))
    levy = board["treatment_levy_received_eur"]
    treatment_without = (
        board["pollution_units_of_streams"] * _scalar(ds, "avoided_treatment_eur_per_unit")
        + board["avoided_central_treatment_eur"]
    )
    avoided = board["avoided_treatment_eur"] + board["avoided_central_treatment_eur"]
    gain_before_levy = (
        avoided + board["levy_on_concentrate_eur"] + teo["teo_fee_eur"] + teo["teo_cost_eur"]
    )
    annual = gain_before_levy + board["treatment_levy_transferred_eur"]
    return {
        "levy_without_eur": levy,
        "levy_with_eur": levy + board["treatment_levy_transferred_eur"],
        "treatment_cost_without_eur": -treatment_without,
        "treatment_cost_with_eur": -(treatment_without - avoided),
        "concentrate_levy_eur": board["levy_on_concentrate_eur"],
        "teo_fee_eur": teo["teo_fee_eur"],
        "teo_cost_eur": teo["teo_cost_eur"],
        "annual_change_eur": annual,
        "npv_eur": annual / annuity_factor(rate, years),
        "horizon_years": years,
        "discount_rate": rate,
        "transferred_share": _scalar(ds, "treatment_levy_transferred_share"),
        "break_even_levy_share": gain_before_levy / levy if levy > 0 else None,
    }

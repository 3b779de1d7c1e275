"""The board's page of the report: plain-language verdicts, the assumptions, Niet Meer
Dan Nu per household type, the cooperative's cash flows and the water board's TEO case.

Everything is read from ``allocation.json``/``cash_flows.csv`` as ``wijk allocate``
wrote them; every verdict shown is the computed one, a failing one in red. Without an
allocation the page says that no tariff was tested and how to test one.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from optimiser.outputs.report.figures import _layout, colour, fig_cash_flows

NO_TARIFF = (
    "No tariff tested: run <code>wijk allocate MODEL</code> and add"
    " <code>--allocation FOLDER</code> to <code>wijk report</code> to see Niet Meer Dan Nu,"
    " the lender's tests and the cash flows."
)

STYLE = """
.board { border: 2px solid #393b79; border-radius: 6px; padding: 0.5em 1.5em 1em; }
.board table { border-collapse: collapse; margin: 0.5em 0; }
.board td, .board th { border-bottom: 1px solid #ddd; padding: 0.2em 0.8em; text-align: right; }
.board td:first-child, .board th:first-child { text-align: left; }
.ok { color: #1a7f37; font-weight: bold; } .fail { color: #c0392b; font-weight: bold; }
"""


def _eur(value: float) -> str:
    return f"EUR {value:,.0f}"


def _mark(holds: bool, good: str, bad: str) -> str:
    return f"<span class='ok'>{good}</span>" if holds else f"<span class='fail'>{bad}</span>"


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def verdicts(allocation: dict) -> list[str]:
    """The board's verdicts in plain words (HTML list items)."""
    tariff, coop = allocation["tariff"], allocation["cooperative"]
    items = []
    if tariff["niet_meer_dan_nu"]:
        items.append(
            _mark(True, "Niet Meer Dan Nu holds", "")
            + ": no household type pays more than with gas today."
        )
    else:
        worse = [h for h in allocation["households"] if h["pays_more"]]
        items.append(
            _mark(False, "", "Niet Meer Dan Nu fails")
            + ": "
            + "; ".join(
                f"{html.escape(h['type'])} pays {_eur(h['difference_eur_per_month'])} a month"
                f" ({_eur(h['difference_eur'])} a year) more than with gas"
                for h in worse
            )
            + "."
        )
    dscr = coop["min_debt_service_coverage"]
    items.append(
        f"Tariff {tariff['factor_of_cap']:.0%} of the ACM maximum ("
        + _mark(tariff["within_cap"], "within it", "above it: not allowed")
        + "), set by the test that"
        f" {html.escape(tariff['binding_test_words'])}. At this tariff the lender's tests "
        + _mark(coop["covenant_holds"], "pass", "FAIL")
        + f": lowest DSCR {'none (no debt)' if dscr is None else f'{dscr:.2f}'} against a"
        f" covenant of {coop['covenant_min_dscr']:.2f}; cash after debt service at least"
        f" {_eur(coop['min_cash_after_debt_service_eur'])} a year."
    )
    npv_case = tariff["at_npv_zero"]
    if not npv_case["covenant_holds"]:
        low = npv_case["min_debt_service_coverage"]
        items.append(
            _mark(False, "", "A break-even tariff is not enough for the bank")
            + f": at the NPV-zero revenue ({_eur(npv_case['revenue_eur_per_year'])} a year) the"
            f" lowest DSCR is {'none' if low is None else f'{low:.2f}'} and cash after debt"
            f" service falls to {_eur(npv_case['min_cash_after_debt_service_eur'])} a year."
        )
    social = tariff.get("social")
    if social:
        items.append(
            f"Social tariff for {html.escape(', '.join(social['types']))}:"
            f" {social['factor_of_cap']:.0%} of the maximum; the"
            f" {_eur(social['eur_per_year'])} a year it costs is paid by"
            f" {html.escape(social['paid_by'])}."
        )
    limit = tariff["at_nmdn_limit"]
    if limit["missing_revenue_eur_per_year"] > 1e-6:
        items.append(
            f"The largest tariff at which no household pays more is"
            f" {limit['factor_of_cap']:.0%} of the maximum; there the lender's tests "
            + _mark(limit["covenant_holds"], "pass", "fail")
            + f" and {_eur(limit['missing_revenue_eur_per_year'])} a year is missing, a grant"
            f" of {_eur(limit['missing_subsidy_eur'])} at the start of operation."
        )
    low = coop["cash_low_point_eur"]
    items.append(
        f"Cash low point {_eur(low)} in project year {coop['cash_low_point_year']}: "
        + _mark(
            low >= -1e-6,
            "the cash never runs out",
            f"the cooperative needs bridge finance of {_eur(-low)}",
        )
        + "."
    )
    return [f"<li>{item}</li>" for item in items]


def assumptions_table(allocation: dict) -> str:
    """Price year, VAT, discount rate, covenant, timeline, contract, ACM cap, reserve."""
    a = allocation["assumptions"]
    rows = [
        ["price year (all money figures)", str(a["price_year"])],
        ["VAT on energy (households)", f"{a['vat_rate']:.0%}"],
        ["discount rate (real)", f"{a['discount_rate']:.1%}"],
        ["lender's covenant (lowest DSCR)", f"{a['covenant_min_dscr']:.2f}"],
        ["development / construction / operating years",
         f"{a['development_years']} / {a['construction_years']} / {a['operating_years']}"],
        ["heat contract (contribution spread over)",
         f"{a['contract_years']} years at {a['contribution_rate']:.1%}"],
        ["ACM maximum (excl. VAT)",
         f"EUR {a['acm_cap_fixed_eur_per_year']:,.2f}/year + meter EUR"
         f" {a['acm_cap_meter_eur_per_year']:,.2f}/year + EUR {a['acm_cap_eur_per_gj']:.2f}/GJ"],
        ["reserve the financing may exceed the investment by", _eur(a["reserve_eur"])],
        ["the cooperative's first investment", _eur(allocation["cooperative"]["investment_eur"])],
    ]  # fmt: skip
    return _table(["assumption", "value"], rows)


def households_table(allocation: dict) -> str:
    """Niet Meer Dan Nu per type: yearly and monthly cost now and with the cooperative."""
    rows = []
    for h in allocation["households"]:
        verdict = (
            "business (excl. VAT)"
            if not h["household"]
            else _mark(not h["pays_more"], "pays no more", "pays more")
        )
        rows.append(
            [html.escape(h["type"]), f"{h['connections']:,}", f"{h['bill_now_eur']:,.0f}",
             f"{h['bill_now_eur_per_month']:,.0f}", f"{h['contribution_eur']:,.0f}",
             f"{h['contribution_eur_per_year']:,.0f}", f"{h['bill_cooperative_eur']:,.0f}",
             f"{h['bill_cooperative_eur_per_month']:,.0f}",
             f"{h['difference_eur_per_month']:+,.0f}", verdict]
        )  # fmt: skip
    header = ["type", "homes / firms", "gas now /yr", "/month", "contribution (once)",
              "its annuity /yr", "co-op /yr", "/month", "change /month", "verdict"]  # fmt: skip
    return _table(header, rows)


def fig_teo(case: dict) -> go.Figure:
    """An asset owner's yearly cash flows at its fee (bars) and cumulative (line), EUR."""
    flows = np.asarray(case["cash_flows_eur"], dtype=float)
    years = np.arange(len(flows))
    fig = go.Figure()
    fig.add_bar(x=years, y=flows, name="cash flow", marker_color=colour("teo"))
    fig.add_scatter(x=years, y=np.cumsum(flows), name="cumulative", line={"color": "black"})
    return _layout(
        fig,
        f"Owner's cash flows at a fee of EUR {case['heat_fee_eur_per_gj']:.2f}/GJ",
        xaxis={"title": "year"},
        yaxis={"title": "EUR/year (line: EUR)", "tickformat": ",.3~s"},
    )


def owners_html(allocation: dict) -> list[tuple[str, str]]:
    """(party, HTML table) of each asset owner's case."""
    parts = []
    for party, case in allocation.get("asset_owners", {}).items():
        irr = case.get("irr")
        rows = [
            ["assets", html.escape(", ".join(case["assets"]))],
            ["investment", _eur(case["investment_eur"])],
            ["fixed O&M", f"{_eur(case['fixed_om_eur_per_year'])}/year"],
            ["heat delivered", f"{case['heat_gj_per_year']:,.0f} GJ/year"],
            ["life and discount rate",
             f"{case['lifetime_years']} years at {case['discount_rate']:.1%}"],
        ]  # fmt: skip
        fee = case.get("break_even_fee_eur_per_gj")
        rows.append(["break-even fee", "none" if fee is None else f"EUR {fee:.2f}/GJ"])
        if "npv_eur" in case:
            rows += [
                ["fee paid by the cooperative", f"EUR {case['heat_fee_eur_per_gj']:.2f}/GJ"],
                ["NPV at that fee", _mark(case["npv_eur"] >= 0, _eur(case["npv_eur"]),
                                          _eur(case["npv_eur"]))],
                ["IRR at that fee", "none" if irr is None else f"{irr:.1%}"],
            ]  # fmt: skip
        rows += _against_air(allocation.get("source_against_air"), party)
        parts.append((party, _table(["", ""], rows)))
    return parts


def _against_air(entry: dict | None, party: str) -> list[list[str]]:
    """The row saying what the party's source is worth against air-source heat pumps
    (the same demands without it), when the game knows it."""
    if entry is None or party not in entry["owners"]:
        return []
    saved = entry["air_eur_per_year"] - entry["loop_eur_per_year"]
    return [[
        "system cost of its loop against air-source heat pumps",
        _mark(saved >= 0, f"{_eur(saved)}/year less",
              f"{_eur(-saved)}/year more: the source does not pay for itself"),
    ]]  # fmt: skip


def board_parts(
    allocation: dict | None, cash: pd.DataFrame | None
) -> tuple[str, list[tuple[str, str, go.Figure, str]]]:
    """The board page: its text and its figures (id, heading, figure, HTML before it)."""
    if allocation is None or "tariff" not in allocation:
        reason = "" if allocation is None else " (the cooperative cannot serve all parties)"
        return (
            f"<section class='board' id='board'><h2>For the board</h2><p class='warn'>{NO_TARIFF}"
            f"{reason}</p></section>",
            [],
        )
    text = (
        "<section class='board' id='board'><h2>For the board</h2><ul class='summary'>"
        + "".join(verdicts(allocation))
        + "</ul><h3>Assumptions</h3>"
        + assumptions_table(allocation)
        + "<h3>Niet Meer Dan Nu per household type (EUR per home, or per business for a"
        " business with all its connections; homes incl. VAT)</h3>"
        + households_table(allocation)
        + "</section>"
    )
    figures: list[tuple[str, str, go.Figure, str]] = []
    if cash is not None:
        figures.append(
            ("board-cash", "The cooperative's cash and its loan", fig_cash_flows(cash), "")
        )
    for party, table in owners_html(allocation):
        case = allocation["asset_owners"][party]
        heading = f"{party}'s business case ({', '.join(case['assets'])}), on its own"
        if "cash_flows_eur" in case:
            figures.append((f"owner-{party}", heading, fig_teo(case), table))
        else:
            text += f"<h2>{html.escape(heading)}</h2>{table}"
    return text, figures

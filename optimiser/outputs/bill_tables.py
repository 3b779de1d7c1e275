"""The electricity bills of a summary as tables: rows for the CLI, ``summary.csv`` and
the report's HTML (the bills themselves: :mod:`optimiser.outputs.electricity_bills`)."""

from __future__ import annotations

import html

BILL_COLUMNS = (
    "connection",
    "n",
    "kWh/conn",
    "energy",
    "tax",
    "transport+standing",
    "total",
    "per conn",
    "vs own meter",
)
"""Columns of :func:`bill_rows` (EUR/year excl. VAT unless named); ``vs own meter`` is a
household's change per connection against its own use through its own meter."""


def bill_rows(summary: dict) -> list[tuple[str, ...]]:
    """One formatted row per connection for the CLI and the report (empty without tariffs)."""
    rows = []
    for name, bill in (summary.get("electricity_bills") or {}).items():
        rows.append(
            (
                name,
                f"{bill['connections']:,d}",
                f"{bill['taxed_kwh_per_connection']:,.0f}",
                f"{bill['energy_eur']:,.0f}",
                f"{bill['tax_eur']:,.0f}",
                f"{bill['transport_eur'] + bill['standing_eur']:,.0f}",
                f"{bill['total_eur']:,.0f}",
                f"{bill['per_connection_eur']:,.0f}",
                f"{bill['change_per_connection_eur']:+,.0f}"
                if "change_per_connection_eur" in bill
                else "",
            )
        )
    return rows


def bill_summary_rows(summary: dict) -> list[tuple[str, str, float, str]]:
    """Rows for ``summary.csv``: per connection its cost parts and tax by bracket."""
    rows: list[tuple[str, str, float, str]] = []
    for name, bill in (summary.get("electricity_bills") or {}).items():
        for part in ("energy_eur", "tax_eur", "tax_refund_eur", "transport_eur", "standing_eur"):
            rows.append(("electricity_bill", f"{name}.{part[:-4]}", bill[part], "EUR/year"))
        for label, eur in bill["tax_eur_by_bracket"].items():
            rows.append(("electricity_bill", f"{name}.tax {label}", eur, "EUR/year"))
        rows.append(("electricity_bill", f"{name}.total", bill["total_eur"], "EUR/year"))
        if "change_per_connection_eur" in bill:
            change = bill["change_per_connection_eur"]
            rows.append(("electricity_bill", f"{name}.change per connection", change, "EUR/year"))
    return rows


def bills_html(summary: dict) -> str:
    """The bills as an HTML table for the report ('' without Dutch tariffs)."""
    rows = bill_rows(summary)
    if not rows:
        return ""
    prices = summary["electricity_prices"]
    note = (
        " Day-ahead prices: the SYNTHETIC NL shape (built from published statistics, not"
        " exchange data)."
        if prices["synthetic"]
        else f" Day-ahead prices: {prices['day_ahead']}."
    )
    head = "".join(f"<th>{html.escape(c)}</th>" for c in BILL_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    caption = (
        f"Electricity per connection, EUR/year excl. VAT, {prices['year']}"
        f" ({'net metering' if prices['net_metering'] else 'no net metering'}).{note}"
    )
    return (
        f"<h2>Electricity per connection</h2><p>{html.escape(caption)}</p>"
        f"<table><tr>{head}</tr>{body}</table>"
    )

"""What ``wijk allocate`` prints: the rules x parties table, the tariff with its tests,
Niet Meer Dan Nu per household type, the lender's covenant and the owners' cases.

Every verdict comes from the computed result; a failing one is printed in red.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from optimiser.economics.allocation.per_party import COUNTED_IN_GAME, PAID_INSIDE, amount_label


def _verdict(holds: bool, good: str, bad: str) -> str:
    return f"[green]{good}[/]" if holds else f"[bold red]{bad}[/]"


def print_rules(console: Console, result: dict) -> None:
    """Rules x parties table of allocated costs, stand-alone costs first, core verdicts.

    Large amounts are shown in thousands and long names fold, so that six parties fit an
    80-column terminal; the coalition that objects to a rule outside the core is named
    under the table.
    """
    values = [*result["stand_alone"].values()] + [
        v for shares in result["rules"].values() for v in shares.values()
    ]
    scale, unit = (1e3, "thousands") if max(abs(v) for v in values) >= 1e5 else (1.0, "units")
    table = Table(title=f"cost allocation per party ({unit})", box=box.SIMPLE_HEAD)
    table.add_column("rule", no_wrap=True)
    for party in result["players"]:
        table.add_column(party, justify="right", overflow="fold")
    table.add_column("in core")

    def cell(value: float) -> str:
        return f"{value / scale:,.1f}" if scale > 1 else f"{value:,.2f}"

    table.add_row("stand alone", *(cell(v) for v in result["stand_alone"].values()), "")
    objections = {}
    for rule, shares in result["rules"].items():
        core = result["core"][rule]
        if not core["in_core"]:
            objections.setdefault(tuple(core["objecting_coalition"]), []).append(rule)
        verdict = "yes" if core["in_core"] else "no"
        table.add_row(rule, *(cell(shares[p]) for p in result["players"]), verdict)
    console.print(table)
    for words, keys in (
        ("brought from outside, counted in the game", COUNTED_IN_GAME),
        ("paid in by members, inside the game", PAID_INSIDE),
    ):
        amounts = [
            f"{party} {amount_label(key)} {figures[key] / scale:,.1f}"
            for party, figures in result.get("parties", {}).items()
            for key in keys
            if figures.get(key, 0.0) > 0.5
        ]
        if amounts:
            money = "EUR thousands" if scale > 1 else "EUR"
            console.print(f"{words} ({money}/year): {'; '.join(amounts)}", highlight=False)
    for coalition, rules in objections.items():
        console.print(
            f"not in the core: {', '.join(rules)} (objecting: {' + '.join(coalition)})",
            highlight=False,
        )


def print_tariff(console: Console, result: dict) -> None:
    """The tariff, the revenue each test needs, the covenant and the cash low point."""
    tariff, coop = result["tariff"], result["cooperative"]
    year = result["assumptions"]["price_year"]
    tests = tariff["revenue_by_test_eur_per_year"]
    console.print(
        f"heat tariff ({year} EUR, excl. VAT): EUR {tariff['fixed_eur_per_year']:,.0f}/year"
        f" + meter EUR {tariff['meter_eur_per_year']:,.0f}/year"
        f" + EUR {tariff['eur_per_gj']:.2f}/GJ ({tariff['factor_of_cap']:.0%} of the ACM cap: "
        + _verdict(tariff["within_cap"], "within", "ABOVE the maximum")
        + f"), set by: {tariff['binding_test_words']}",
        highlight=False,
    )
    console.print(
        f"revenue needed per year: NPV zero EUR {tests['npv']:,.0f}; cash after debt service"
        f" >= 0 EUR {tests['cash']:,.0f}; DSCR >= {coop['covenant_min_dscr']:.2f}"
        f" EUR {tests['dscr']:,.0f}",
        highlight=False,
    )
    dscr = coop["min_debt_service_coverage"]
    shown = "none (no debt)" if dscr is None else f"{dscr:.2f}"
    console.print(
        f"cooperative at this tariff: invests EUR {coop['investment_eur']:,.0f}; NPV EUR"
        f" {coop['npv_eur']:,.0f}; lowest DSCR {shown};"
        f" cash low point EUR {coop['cash_low_point_eur']:,.0f} in year"
        f" {coop['cash_low_point_year']}; covenant "
        + _verdict(coop["covenant_holds"], "holds", "FAILS"),
        highlight=False,
    )
    npv_case = tariff["at_npv_zero"]
    if not npv_case["covenant_holds"]:
        low = npv_case["min_debt_service_coverage"]
        console.print(
            "[bold red]at the NPV-zero tariff the lender's tests fail:[/] lowest DSCR"
            f" {'none' if low is None else f'{low:.2f}'}, lowest cash after debt service"
            f" EUR {npv_case['min_cash_after_debt_service_eur']:,.0f}/year",
            highlight=False,
        )


def print_households(console: Console, result: dict) -> None:
    """Niet Meer Dan Nu per type: yearly and monthly cost now and with the cooperative.

    The columns fit an 80-column terminal; the one-off contributions behind the
    "contrib." annuities are listed under the table.
    """
    vat = result["assumptions"]["vat_rate"]
    table = Table(
        title=f"Niet Meer Dan Nu per home or business, EUR/year (homes incl. {vat:.0%} VAT)",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for column in ("type", "gas\ntoday", "heat", "contrib.", "co-op", "change", "per\nmonth",
                   "verdict"):  # fmt: skip
        table.add_column(
            column, justify="left" if column in ("type", "verdict") else "right", no_wrap=True
        )
    for row in result["households"]:
        more = row["difference_eur"] > 1e-9
        verdict = "business" if not row["household"] else _verdict(not more, "no more", "MORE")
        heat = row["bill_cooperative_eur"] - row["contribution_eur_per_year"]
        table.add_row(
            row["type"], f"{row['bill_now_eur']:,.0f}", f"{heat:,.0f}",
            f"{row['contribution_eur_per_year']:,.0f}", f"{row['bill_cooperative_eur']:,.0f}",
            f"{row['difference_eur']:+,.0f}", f"{row['difference_eur_per_month']:+,.0f}",
            verdict,
        )  # fmt: skip
    console.print(table)
    assumptions = result["assumptions"]
    for row in result["households"]:
        if row["contribution_eur"] > 0:
            console.print(
                f"contrib.: {row['type']} pays EUR {row['contribution_eur']:,.0f} once, spread"
                f" over the {assumptions['contract_years']}-year contract at"
                f" {assumptions['contribution_rate']:.0%}",
                highlight=False,
            )
    if any(not row["household"] for row in result["households"]):
        console.print("business: excl. VAT, which it deducts", highlight=False)
    tariff = result["tariff"]
    verdict = (
        "[green]holds[/]: no household type pays more than with gas today"
        if tariff["niet_meer_dan_nu"]
        else "[bold red]fails[/] for " + ", ".join(tariff["paying_more"])
    )
    console.print(f"Niet Meer Dan Nu {verdict}", highlight=False)
    limit = tariff["at_nmdn_limit"]
    largest = tariff["largest_nmdn_factor"]
    line = (
        f"largest tariff at which no household pays more: {max(largest, 0):.0%} of the ACM cap"
        + (" (none: the contributions alone exceed today's bill)" if largest < 0 else "")
    )
    if limit["missing_revenue_eur_per_year"] > 1e-6:
        line += (
            "; there the lender's tests "
            + _verdict(limit["covenant_holds"], "hold", "fail")
            + f" and EUR {limit['missing_revenue_eur_per_year']:,.0f}/year is missing (a"
            f" grant of EUR {limit['missing_subsidy_eur']:,.0f} at the first operating year)"
        )
    console.print(line, highlight=False)
    social = tariff.get("social")
    if social:
        console.print(
            f"social tariff for {', '.join(social['types'])}: {social['factor_of_cap']:.0%} of"
            f" the cap, EUR {social['eur_per_year']:,.0f}/year paid by {social['paid_by']}",
            highlight=False,
        )


def print_owners(console: Console, result: dict) -> None:
    """Each asset owner's case: investment, break-even fee, NPV and IRR at its fee."""
    for party, case in result.get("asset_owners", {}).items():
        fee = case.get("break_even_fee_eur_per_gj")
        line = f"{party}: EUR {case['investment_eur']:,.0f} invested"
        if fee is not None:
            line += f", break-even fee EUR {fee:.2f}/GJ"
        if "npv_eur" in case:
            irr = case["irr"]
            line += (
                f"; at EUR {case['heat_fee_eur_per_gj']:.2f}/GJ NPV EUR {case['npv_eur']:,.0f},"
                f" IRR {'none' if irr is None else f'{irr:.1%}'}"
            )
        console.print(line, highlight=False)


def print_allocation(console: Console, result: dict) -> None:
    """Everything ``wijk allocate`` reports, then the notes."""
    print_rules(console, result)
    if "tariff" in result:
        print_tariff(console, result)
        print_households(console, result)
    print_owners(console, result)
    for note in result["notes"]:
        console.print(f"note: {note}", highlight=False, soft_wrap=True)

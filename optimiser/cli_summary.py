"""What ``wijk run`` prints: the design, the cost lines, the key yearly figures, the
electricity bill per connection, the gas reference and the water paths.

Money is in euros of the run's price year; a warning (an unproven solve, unmet heat)
goes to the error console.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def print_summary(console: Console, errors: Console, summary: dict) -> None:
    """A concise table of sizes, the cost lines and the key annual figures, money in
    euros of the run's price year, and the gas reference."""
    from optimiser.outputs.cost_table import cost_rows, gas_reference_lines, price_label
    from optimiser.outputs.heat_checks import heat_check_lines

    table = Table(title=f"{summary['scenario']}: design", show_edge=False)
    table.add_column("size")
    table.add_column("value", justify="right")
    table.add_column("unit")
    for label, size in summary["sizes"].items():
        table.add_row(label, f"{size['value']:,.1f}", size["unit"])
    console.print(table)
    solver = summary["solver"]
    eur = price_label(summary)
    costs = Table(title="investment and yearly cost by line", show_edge=False)
    for column in ("line", f"investment ({eur})", f"yearly cost ({eur}/year)"):
        costs.add_column(column, justify="left" if column == "line" else "right")
    for line, investment, yearly in cost_rows(summary):
        costs.add_row(line, f"{investment:,.0f}", f"{yearly:,.0f}")
    console.print(costs)
    quantities = summary.get("network_quantities")
    if quantities:
        console.print(
            f"network: {quantities['trench_length_m']:,.0f} m of trench,"
            f" {quantities['connections']:,} connections,"
            f" {quantities['home_equivalents']:,.0f} home equivalents,"
            f" peak {quantities['peak_heat_kw']:,.0f} kW",
            highlight=False,
        )
    totals = Table(show_header=False, show_edge=False)
    totals.add_row("total cost", f"{summary['total_cost_eur_per_year']:,.0f}", f"{eur}/year")
    totals.add_row("heat delivered", f"{summary['heat_delivered_mwh']:,.0f}", "MWh/year")
    totals.add_row(
        "levelised cost of heat",
        f"{summary['levelised_cost_of_heat_eur_per_gj']:,.2f}",
        f"{eur}/GJ",
    )
    totals.add_row("CO2", f"{summary['co2_tonne_per_year']:,.0f}", "t/year")
    totals.add_row(
        "solver", solver.get("verdict", solver["status"]), f"{solver['solve_seconds']:.1f} s"
    )
    design = summary.get("design")
    if design:
        totals.add_row(
            f"design on {design['typical_days']} typical days",
            f"{design['objective_eur_per_year']:,.0f}",
            f"{eur}/year ({design['difference_fraction']:+.2%} on the full year)",
        )
    console.print(totals)
    if summary.get("certificate"):
        from optimiser.outputs.certificate import certificate_line

        console.print(certificate_line(summary["certificate"], eur), highlight=False)
    if not solver.get("proven", True):
        errors.print(
            f"[bold yellow]warning:[/] {solver['verdict']}: this design is a usable solution,"
            " not a proven optimum; raise --time-limit or use --require-gap to refuse it",
            highlight=False,
            soft_wrap=True,
        )
    print_bills(console, summary)
    for line in gas_reference_lines(summary) + heat_check_lines(summary):
        console.print(line, highlight=False, soft_wrap=True)
    paths = summary.get("water_paths")
    if paths:
        water = Table(title="water and recovered heat per year", show_edge=False)
        water.add_column("path")
        water.add_column("amount", justify="right")
        water.add_column("unit")
        for label, value in paths.items():
            name, unit = label.rsplit("_", 1)
            units = {"m3": "m3/year", "mwh": "MWh/year"}
            water.add_row(name.replace("_", " "), f"{value:,.0f}", units[unit])
        console.print(water)
    for label, unmet in summary["unmet_energy"].items():
        errors.print(
            f"[bold yellow]warning:[/] {label}: {unmet['amount']:,.1f} {unmet['unit']} in"
            f" {unmet['hours']} hours (peak {unmet['peak']:,.0f} {unmet['peak_unit']}) of the"
            " full year cannot be served with this"
            " design; try more --typical-days or --full-year",
            highlight=False,
            soft_wrap=True,
        )


def print_bills(console: Console, summary: dict) -> None:
    """Electricity cost per connection (Dutch tariffs), and whether prices are synthetic."""
    from optimiser.outputs.bill_tables import BILL_COLUMNS, bill_rows

    rows = bill_rows(summary)
    if not rows:
        return
    prices = summary["electricity_prices"]
    note = " (SYNTHETIC day-ahead shape)" if prices["synthetic"] else ""
    table = Table(
        title=f"electricity per connection, EUR/year excl. VAT, {prices['year']}{note}",
        show_edge=False,
    )
    shown = len(BILL_COLUMNS) - 1  # the change against the own meter follows as a line
    for i, column in enumerate(BILL_COLUMNS[:shown]):
        # numbers are never cut short on a narrow terminal; the names give way first
        width = None if i == 0 else max(len(row[i]) for row in rows)
        table.add_column(column, justify="left" if i == 0 else "right", min_width=width)
    for row in rows:
        table.add_row(*row[:shown])
    console.print(table)
    changes = [f"{row[0]} {row[shown]}" for row in rows if row[shown]]
    if changes:
        console.print(
            "households' electricity per connection against their own meter without the"
            f" cooperative (EUR/year excl. VAT): {', '.join(changes)}",
            highlight=False,
            soft_wrap=True,
        )

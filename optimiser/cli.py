"""The ``wijk`` command line: run a neighbourhood model, validate a model file.

Errors in the user's input end the command with one line on stderr and exit code 2
(1 for a model without feasible solution), never with a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from optimiser import __version__
from optimiser.errors import InfeasibleError, InputError, SolverError

app = typer.Typer(
    help="Neighbourhood utility optimiser: size and dispatch a wijkbedrijf's shared assets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

STAGES = {
    "profiles": "Building hourly profiles (weather, PV, demand)",
    "aggregate": "Clustering the year into typical days",
    "build": "Building the design model",
    "solve": "Solving the design with HiGHS",
    "check": "Checking the design on every hour of the year",
    "diagnose": "Model infeasible: finding what cannot be served",
    "results": "Collecting results",
}


def _fail(message: str, code: int) -> None:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _guarded(action: Callable[[], None]) -> None:
    """Run ``action``; turn known errors into one line and a non-zero exit code."""
    try:
        action()
    except InputError as exc:
        _fail(str(exc), 2)
    except InfeasibleError as exc:
        _fail(f"no feasible solution: {exc}", 1)
    except SolverError as exc:
        _fail(str(exc), 1)
    except KeyboardInterrupt:
        _fail("interrupted; no results written", 130)


def _version(value: bool) -> None:
    if value:
        console.print(f"wijk {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Neighbourhood utility optimiser."""


@app.command()
def run(
    model: Annotated[
        Path | None,
        typer.Argument(
            help="Model folder or wijk.yaml; default: the embedded default neighbourhood."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the results.")] = Path(
        "results"
    ),
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Solver time limit in seconds.", min=1)
    ] = 600.0,
    gap: Annotated[
        float, typer.Option("--gap", help="Relative MIP gap at which to stop.", min=0, max=1)
    ] = 0.005,
    threads: Annotated[int, typer.Option("--threads", help="Solver threads.", min=1)] = 2,
    typical_days: Annotated[
        int,
        typer.Option(
            "--typical-days",
            "-k",
            help="Design on this many typical days (plus the peak day), then check every hour.",
            min=1,
            max=365,
        ),
    ] = 12,
    full_year: Annotated[
        bool,
        typer.Option(
            "--full-year",
            help="Design on all 8760 hours at once (monolithic MILP; minutes to hours).",
        ),
    ] = False,
    report: Annotated[
        bool, typer.Option("--report", help="Also write report.html into the results folder.")
    ] = False,
) -> None:
    """Optimise a neighbourhood: sizes and hourly dispatch for a full year.

    By default the sizes are chosen on typical days with the seasonal storage state
    carried through the year, then the design is dispatched on every hour of the year;
    the summary gives both costs.
    """

    def action() -> None:
        from optimiser.inputs.scenario import load_scenario
        from optimiser.model.solve import SolveOptions
        from optimiser.model.timeseries import Aggregation
        from optimiser.outputs.results import write_results
        from optimiser.workflows.run import optimise

        scenario = load_scenario(model)
        options = SolveOptions(time_limit_s=time_limit, mip_gap=gap, threads=threads)
        with console.status("Starting") as status:

            def progress(stage: str) -> None:
                status.update(STAGES[stage])
                console.log(STAGES[stage])

            aggregation = None if full_year else Aggregation(typical_days=typical_days)
            ds, summary = optimise(scenario, options, aggregation=aggregation, progress=progress)
            status.update("Writing results")
            written = write_results(ds, summary, out)
            if report:
                from optimiser.outputs.report.page import write_report

                status.update("Writing the report")
                written.append(write_report(out))
        _print_summary(summary)
        console.print(f"Results: {', '.join(str(p) for p in written)}")

    _guarded(action)


@app.command("report")
def report_command(
    results: Annotated[Path, typer.Argument(help="Folder written by 'wijk run' or 'wijk sweep'.")],
    allocation: Annotated[
        Path | None,
        typer.Option("--allocation", help="Folder written by 'wijk allocate', to include."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="HTML file (default: RESULTS/report.html).")
    ] = None,
) -> None:
    """Write one self-contained HTML report (opens offline in any browser)."""

    def action() -> None:
        from optimiser.outputs.report.page import write_report
        from optimiser.outputs.report.sweep_page import write_sweep_report

        if (Path(results) / "sweep.nc").is_file():
            path = write_sweep_report(results, out)
        else:
            path = write_report(results, allocation, out)
        console.print(f"Report: {path} ({path.stat().st_size / 1e6:.1f} MB)")

    _guarded(action)


@app.command()
def sweep(
    model: Annotated[
        Path | None,
        typer.Argument(help="Base model (folder or wijk.yaml); default model if omitted."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="path=v1,v2,... (repeatable): a grid over these values."),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Sweep file (YAML): grid, random, samples, seed.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the sweep results.")] = Path(
        "sweep"
    ),
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Local worker processes.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="dask scheduler address, tcp://HOST:PORT.")
    ] = None,
    cache: Annotated[
        Path, typer.Option("--cache", help="Folder caching finished scenarios.")
    ] = Path(".wijk-cache"),
    typical_days: Annotated[int, typer.Option("--typical-days", "-k", min=1)] = 12,
) -> None:
    """Run many variants of a model (grid or Monte Carlo); resume by the cache."""

    def action() -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        from optimiser.files import write_files
        from optimiser.inputs.scenario import load_scenario
        from optimiser.model.timeseries import Aggregation
        from optimiser.workflows.runner import executor
        from optimiser.workflows.sweep import grid, parse_set, read_sweep_file, run_sweep, table

        base = load_scenario(model)
        overrides = grid(dict(parse_set(s) for s in set_ or []))
        if file is not None:
            overrides = [{**g, **f} for g in overrides for f in read_sweep_file(file)]
        failed = [0]
        columns = (
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]}"), TimeRemainingColumn(),
        )  # fmt: skip
        with Progress(*columns, console=console) as bar, executor(scheduler, workers) as pool:
            task = bar.add_task("scenarios", total=len(overrides), failed=0)

            def tick(_name: str, outcome: dict, _cached: bool) -> None:
                failed[0] += not outcome["ok"]
                bar.update(task, advance=1, failed=failed[0])

            results = run_sweep(
                base, overrides, pool, cache, Aggregation(typical_days=typical_days), tick
            )
        written = write_files(
            out,
            {
                "sweep.nc": lambda p: results.to_netcdf(p),
                "sweep.csv": lambda p: table(results).to_csv(p),
            },
        )
        for name, message in zip(results["scenario"].values, results["error"].values, strict=True):
            if message:
                errors.print(
                    f"[yellow]{name} failed:[/] {message}", highlight=False, soft_wrap=True
                )
        console.print(
            f"{int(results['ok'].sum())} of {results.sizes['scenario']} scenarios solved;"
            f" results: {', '.join(str(p) for p in written)}"
        )

    _guarded(action)


@app.command()
def pareto(
    model: Annotated[
        Path | None, typer.Argument(help="Model folder or wijk.yaml; default model if omitted.")
    ] = None,
    points: Annotated[int, typer.Option("--points", "-n", min=2, help="Designs on the front.")] = 5,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the front.")] = Path(
        "pareto"
    ),
    typical_days: Annotated[int, typer.Option("--typical-days", "-k", min=1)] = 12,
) -> None:
    """The cost-CO2 trade-off (epsilon constraint): pareto.csv and pareto.html."""

    def action() -> None:
        import pandas as pd
        from rich.progress import Progress

        from optimiser.files import write_files
        from optimiser.inputs.scenario import load_scenario
        from optimiser.model.timeseries import Aggregation
        from optimiser.workflows.pareto import fig_pareto, pareto_front

        scenario = load_scenario(model)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Designs on the front", total=points)
            front = pareto_front(
                scenario,
                points,
                Aggregation(typical_days=typical_days),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        figure = fig_pareto(front)
        written = write_files(
            out,
            {
                "pareto.csv": lambda p: front.to_csv(p, index=False),
                "pareto.html": lambda p: figure.write_html(p, include_plotlyjs=True),
            },
        )
        table = Table("CO2 cap (t)", "CO2 (t/year)", "cost (EUR/year)", "EUR/GJ", show_edge=False)
        for row in front.itertuples():
            if row.error:
                table.add_row(f"{row.co2_cap_tonne:,.0f}", "-", row.error, "")
                continue
            cap = "none" if pd.isna(row.co2_cap_tonne) else f"{row.co2_cap_tonne:,.0f}"
            table.add_row(
                cap, f"{row.co2_tonne:,.0f}", f"{row.cost_eur:,.0f}", f"{row.lcoh_eur_per_gj:.2f}"
            )
        console.print(table)
        console.print(f"Front: {', '.join(str(p) for p in written)}")

    _guarded(action)


@app.command()
def validate(
    model: Annotated[
        Path | None, typer.Argument(help="Model folder or wijk.yaml (default model if omitted).")
    ] = None,
) -> None:
    """Check a model file and report every problem with its line and field."""

    def action() -> None:
        from optimiser.inputs.scenario import ScenarioError, load_scenario, resolve_model_path

        path = resolve_model_path(model)
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            for problem in exc.problems:
                errors.print(problem, highlight=False, soft_wrap=True)
            _fail(f"{len(exc.problems)} problem(s) in {path}", 2)
            return
        techs = ", ".join(scenario.technology_params()) or "none"
        console.print(f"{path}: valid ({scenario.name}; technologies: {techs})")

    _guarded(action)


@app.command()
def allocate(
    model: Annotated[
        Path | None,
        typer.Argument(help="Model with parties (folder or wijk.yaml); not with --game."),
    ] = None,
    game: Annotated[
        Path | None,
        typer.Option(
            "--game",
            help='Allocate a given cost game (JSON): {"players": [...], "costs":'
            ' [{"coalition": [...], "cost": x}, ...]} with every non-empty coalition.',
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the allocation.")] = Path(
        "allocation"
    ),
    cache: Annotated[Path, typer.Option("--cache", help="Folder caching coalition solves.")] = Path(
        ".wijk-cache"
    ),
    typical_days: Annotated[
        int, typer.Option("--typical-days", "-k", help="Typical days per coalition design.", min=1)
    ] = 12,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Local worker processes.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="dask scheduler address, tcp://HOST:PORT.")
    ] = None,
    nucleolus_only: Annotated[
        bool,
        typer.Option(
            "--nucleolus-only",
            help="Only least core and nucleolus, solving the coalitions their LPs need.",
        ),
    ] = False,
) -> None:
    """Share the cooperative's cost over its parties by every rule, check the core and
    test the heat tariff (Niet Meer Dan Nu, NMDA).

    With a MODEL, every coalition of its parties is optimised (in parallel, cached) to
    build the cost game; with --game, the given game is allocated.
    """

    def action() -> None:
        from optimiser.economics.allocation.allocate import allocate as allocate_game
        from optimiser.economics.allocation.allocate import write_allocation
        from optimiser.economics.allocation.game import load_game

        if game is not None:
            if model is not None:
                raise InputError("give a MODEL or --game, not both", field="allocate")
            result = allocate_game(load_game(game))
            written = write_allocation(result, out)
        else:
            result, extra = _model_allocation(
                model, cache, typical_days, workers, scheduler, nucleolus_only
            )
            written = write_allocation(result, out, extra)
        _print_allocation(result)
        console.print(f"Allocation: {', '.join(str(p) for p in written)}")

    _guarded(action)


def _model_allocation(
    model: Path | None,
    cache: Path,
    typical_days: int,
    workers: int | None,
    scheduler: str | None,
    nucleolus_only: bool = False,
) -> tuple[dict, dict]:
    """Build and allocate a model's cost game; the tariff test and coalition table too."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from optimiser.economics.allocation.allocate import coalition_writer, tariff_writer
    from optimiser.economics.business_case import owner_cases
    from optimiser.economics.cooperative import cooperative_case, required_revenue
    from optimiser.economics.tariff import heat_tariff
    from optimiser.inputs.scenario import load_scenario
    from optimiser.model.timeseries import Aggregation
    from optimiser.workflows.allocation import allocate_model
    from optimiser.workflows.runner import executor

    scenario = load_scenario(model)
    columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn())
    with (
        Progress(*columns, TimeRemainingColumn(), console=console, transient=True) as bar,
        executor(scheduler, workers) as pool,
    ):
        task = bar.add_task("Optimising coalitions", total=None)
        result, coalitions, _ = allocate_model(
            scenario,
            aggregation=Aggregation(typical_days=typical_days),
            executor=pool,
            cache_dir=cache,
            progress=lambda done, total: bar.update(task, completed=done, total=total or None),
            generated=nucleolus_only,
            batch=workers,
        )
    grand = coalitions[-1]
    if grand.cooperative_eur == float("inf"):
        result["notes"].append("the cooperative cannot serve all parties: no tariff to test")
        return result, {"coalitions.csv": coalition_writer(coalitions)}
    heat_cost, supplied = grand.outcome["heat_cost"], grand.outcome["heat_supplied_mwh"]
    tariff = heat_tariff(scenario, required_revenue(scenario, heat_cost, supplied))
    result["tariff"] = {
        "required_revenue_eur_per_year": tariff.required_revenue_eur,
        "fixed_eur_per_year": tariff.fixed_eur_per_year,
        "eur_per_gj": tariff.eur_per_gj,
        "factor_of_cap": tariff.factor,
        "largest_nmdn_factor": tariff.largest_nmdn_factor,
        "niet_meer_dan_nu": tariff.nmdn_holds,
        "within_cap": tariff.within_cap,
        "paying_more": [b.name for b in tariff.losers],
    }
    groups = {g.name: g.count for g in scenario.demand.groups}
    result["tariff"]["connection_fee_eur"] = {
        p.name: p.connection_contributions_eur / sum(groups.get(d, 0) for d in p.demands)
        for p in scenario.parties
        if p.connection_contributions_eur > 0 and sum(groups.get(d, 0) for d in p.demands) > 0
    }
    result["asset_owners"] = owner_cases(scenario, grand.outcome)
    case = cooperative_case(scenario, heat_cost, supplied, tariff.required_revenue_eur)
    result["cooperative"] = case.summary()
    return result, {
        "tariff.csv": tariff_writer(tariff),
        "coalitions.csv": coalition_writer(coalitions),
        "cash_flows.csv": case.table.to_csv,
    }


def _print_allocation(result: dict) -> None:
    """Rules x parties table of allocated costs, stand-alone costs first, core verdicts.

    Large amounts are shown in thousands so that six parties fit a terminal.
    """
    values = [*result["stand_alone"].values()] + [
        v for shares in result["rules"].values() for v in shares.values()
    ]
    scale, unit = (1e3, "thousands") if max(abs(v) for v in values) >= 1e5 else (1.0, "units")
    table = Table(title=f"cost allocation per party ({unit})", show_edge=False)
    table.add_column("rule")
    for party in result["players"]:
        table.add_column(party, justify="right")
    table.add_column("in core")

    def cell(value: float) -> str:
        return f"{value / scale:,.1f}" if scale > 1 else f"{value:,.2f}"

    table.add_row("stand alone", *(cell(v) for v in result["stand_alone"].values()), "")
    for rule, shares in result["rules"].items():
        core = result["core"][rule]
        verdict = "yes" if core["in_core"] else "no: " + "+".join(core["objecting_coalition"])
        table.add_row(rule, *(cell(shares[p]) for p in result["players"]), verdict)
    console.print(table)
    brought = {
        p: row["subsidy_eur_per_year"] + row["loan_advantage_eur_per_year"]
        for p, row in result.get("parties", {}).items()
        if row.get("subsidy_eur_per_year", 0.0) + row.get("loan_advantage_eur_per_year", 0.0)
    }
    if brought:
        console.print(
            "support brought (subsidy + soft-loan advantage, EUR/year, in c(S)): "
            + ", ".join(f"{p} {v:,.0f}" for p, v in brought.items()),
            highlight=False,
        )
    tariff = result.get("tariff")
    if tariff:
        verdict = (
            "holds"
            if tariff["niet_meer_dan_nu"]
            else "fails for " + ", ".join(tariff["paying_more"])
        )
        console.print(
            f"heat tariff EUR {tariff['fixed_eur_per_year']:,.0f}/year +"
            f" EUR {tariff['eur_per_gj']:.2f}/GJ ({tariff['factor_of_cap']:.0%} of the ACM cap);"
            f" Niet Meer Dan Nu {verdict}",
            highlight=False,
        )
    coop = result.get("cooperative")
    if coop:
        dscr = coop["min_debt_service_coverage"]
        console.print(
            f"cooperative: NPV EUR {coop['npv_eur']:,.0f} over the network's life"
            + ("" if dscr is None else f", lowest debt service coverage {dscr:.2f}"),
            highlight=False,
        )
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
    for note in result["notes"]:
        console.print(f"note: {note}", highlight=False, soft_wrap=True)


def _print_summary(summary: dict) -> None:
    """A concise table of sizes and the key annual figures."""
    table = Table(title=f"{summary['scenario']}: design", show_edge=False)
    table.add_column("size")
    table.add_column("value", justify="right")
    table.add_column("unit")
    for label, size in summary["sizes"].items():
        table.add_row(label, f"{size['value']:,.1f}", size["unit"])
    console.print(table)
    solver = summary["solver"]
    totals = Table(show_header=False, show_edge=False)
    totals.add_row("total cost", f"{summary['total_cost_eur_per_year']:,.0f}", "EUR/year")
    totals.add_row("heat delivered", f"{summary['heat_delivered_mwh']:,.0f}", "MWh/year")
    totals.add_row(
        "levelised cost of heat", f"{summary['levelised_cost_of_heat_eur_per_gj']:,.2f}", "EUR/GJ"
    )
    totals.add_row("CO2", f"{summary['co2_tonne_per_year']:,.0f}", "t/year")
    totals.add_row(
        "solver",
        f"{solver['status']}, gap {solver['mip_gap']:.2%}",
        f"{solver['solve_seconds']:.1f} s",
    )
    design = summary.get("design")
    if design:
        totals.add_row(
            f"design on {design['typical_days']} typical days",
            f"{design['objective_eur_per_year']:,.0f}",
            f"EUR/year ({design['difference_fraction']:+.2%} on the full year)",
        )
    console.print(totals)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

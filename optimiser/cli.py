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
) -> None:
    """Share the cooperative's cost over its parties by every rule, check the core and
    test the heat tariff (Niet Meer Dan Nu, NMDA).

    With a MODEL, every coalition of its parties is optimised (in parallel, cached) to
    build the cost game; with --game, the given game is allocated.
    """

    def action() -> None:
        from optimiser.cli_allocation import print_allocation
        from optimiser.economics.allocation.allocate import allocate as allocate_game
        from optimiser.economics.allocation.allocate import write_allocation
        from optimiser.economics.allocation.game import load_game

        if game is not None:
            if model is not None:
                raise InputError("give a MODEL or --game, not both", field="allocate")
            result = allocate_game(load_game(game))
            written = write_allocation(result, out)
        else:
            result, extra = _model_allocation(model, cache, typical_days, workers, scheduler)
            written = write_allocation(result, out, extra)
        print_allocation(console, result)
        console.print(f"Allocation: {', '.join(str(p) for p in written)}")

    _guarded(action)


def _model_allocation(
    model: Path | None, cache: Path, typical_days: int, workers: int | None, scheduler: str | None
) -> tuple[dict, dict]:
    """Run the allocation workflow on a model with a progress bar; its JSON and files."""
    from rich.progress import Progress

    from optimiser.inputs.scenario import load_scenario
    from optimiser.model.timeseries import Aggregation
    from optimiser.workflows.business import allocate_model
    from optimiser.workflows.runner import executor

    scenario = load_scenario(model)
    with Progress(console=console, transient=True) as bar, executor(scheduler, workers) as pool:
        task = bar.add_task("Optimising coalitions", total=None)
        allocation = allocate_model(
            scenario,
            aggregation=Aggregation(typical_days=typical_days),
            executor=pool,
            cache_dir=cache,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    return allocation.allocation, allocation.files


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

"""The ``wijk`` command line: run a neighbourhood model, validate a model file.

Every command ends a failure in one line on stderr, ``error: FILE: FIELD: what is wrong;
how to fix it``, and an exit code: 2 bad input, 3-7 a solve without a usable or proven
result (see :mod:`optimiser.errors`), 1 a bug (its traceback only with ``--debug``).
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
from optimiser.errors import GapNotReachedError, InputError, SolverError, about_model

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
    "certify": "Proving a lower bound on the full-year optimum (certificate)",
    "diagnose": "Model infeasible: finding what cannot be served",
    "results": "Collecting results",
}


def _fail(message: str, code: int) -> None:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


DEBUG = {"on": False}
"""Set by ``wijk --debug``: show the traceback of an unexpected error."""


def _guarded(action: Callable[[], None], out: Path | None = None) -> None:
    """Run ``action``, holding the output folder ``out`` (checked before anything is
    solved, locked against a second run); turn every error into one line and its exit
    code (see the module)."""
    from optimiser.files import claim_output, written_sets

    try:
        if out is None:
            action()
        else:
            with claim_output(out):
                action()
    except typer.Exit:
        raise
    except InputError as exc:
        _fail(str(exc), exc.exit_code)
    except SolverError as exc:
        _fail(f"{exc.outcome}: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        done = ", ".join(str(p) for p in written_sets)
        _fail(
            f"interrupted; complete results were written to {done} before the interrupt"
            if done
            else "interrupted; no results written (earlier results, if any, are unchanged)",
            130,
        )
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}; check the path and its permissions", 2)
    except Exception as exc:
        if DEBUG["on"]:
            raise
        _fail(
            f"internal error ({type(exc).__name__}: {exc}); this is a bug in wijk: rerun with"
            " 'wijk --debug ...' and report the traceback",
            1,
        )


def _version(value: bool) -> None:
    if value:
        console.print(f"wijk {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an unexpected error.")
    ] = False,
) -> None:
    """Neighbourhood utility optimiser."""
    DEBUG["on"] = debug
    _stop_on_sigterm()


def _stop_on_sigterm() -> None:
    """Let SIGTERM (``kill``) end a command like Ctrl-C: staging folders are removed,
    worker processes stopped and the message says what was written."""
    import signal
    import threading

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


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
    require_gap: Annotated[
        bool,
        typer.Option(
            "--require-gap",
            help="Fail (exit 7, nothing written) unless every solve is proven within --gap.",
        ),
    ] = False,
    certify: Annotated[
        float | None,
        typer.Option(
            "--certify",
            help="Prove the design within this relative gap of the best full-year design"
            " (LP relaxation, then the full-year MILP), or stop at --time-limit.",
            min=0,
            max=1,
        ),
    ] = None,
    check_years: Annotated[
        str | None,
        typer.Option(
            "--check-years",
            help="Check the design on these KNMI weather years, e.g. 2011-2024 (sizes fixed).",
        ),
    ] = None,
) -> None:
    """Optimise a neighbourhood: sizes and hourly dispatch for a full year.

    By default the sizes are chosen on typical days with the seasonal storage state
    carried through the year, then the design is dispatched on every hour of the year;
    the summary gives both costs.
    """

    def action() -> None:
        from optimiser.inputs.profiles.cache import default_cache_dir
        from optimiser.inputs.scenario import load_scenario, resolve_model_path
        from optimiser.model.solve import SolveOptions
        from optimiser.model.timeseries import Aggregation
        from optimiser.outputs.results import write_results
        from optimiser.workflows.run import optimise

        if certify is not None and full_year:
            raise InputError(
                "--certify certifies the two-stage design; --full-year reports its own bound",
                field="--certify",
                fix="drop --certify or --full-year",
            )
        scenario = load_scenario(model)
        options = SolveOptions(time_limit_s=time_limit, mip_gap=gap, threads=threads)
        years = None
        if check_years is not None:
            from optimiser.inputs.profiles.knmi import parse_years
            from optimiser.workflows.check_years import year_scenarios

            years = year_scenarios(scenario, parse_years(check_years))
        with console.status("Starting") as status:

            def progress(stage: str) -> None:
                status.update(STAGES[stage])
                console.log(STAGES[stage])

            aggregation = None if full_year else Aggregation(typical_days=typical_days)
            with about_model(resolve_model_path(model)):
                ds, summary = optimise(
                    scenario,
                    options,
                    aggregation=aggregation,
                    progress=progress,
                    certify_gap=certify,
                    inputs_cache=default_cache_dir(),
                )
            if require_gap and not summary["solver"]["proven"]:
                raise GapNotReachedError(
                    f"{summary['solver']['verdict']}; nothing written: raise --time-limit,"
                    " loosen --gap or drop --require-gap to keep an unproven design"
                )
            checked = None
            if years is not None:
                from optimiser.workflows.check_years import check_on_years

                checked = check_on_years(years, ds, summary, options, status, console)
            status.update("Writing results")
            extra = {} if checked is None else {"check_years.csv": checked.to_csv}
            written = write_results(ds, summary, out, extra)
            if report:
                from optimiser.outputs.report.page import write_report

                status.update("Writing the report")
                written.append(write_report(out))
        _print_summary(summary)
        if checked is not None:
            from optimiser.workflows.check_years import print_years

            print_years(checked, summary["check_years"], console)
        console.print(f"Results: {', '.join(str(p) for p in written)}")

    _guarded(action, out)


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
        from optimiser.files import check_output_file
        from optimiser.outputs.report.page import write_report
        from optimiser.outputs.report.sweep_page import write_sweep_report

        if out is not None:
            check_output_file(out)
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
        from optimiser.workflows.sweep import (
            apply,
            grid,
            parse_set,
            read_sweep_file,
            run_sweep,
            table,
        )

        base = load_scenario(model)
        overrides = grid(dict(parse_set(s) for s in set_ or []))
        if file is not None:
            overrides = [{**g, **f} for g in overrides for f in read_sweep_file(file)]
        for override in overrides:  # every variant valid before a worker starts
            apply(base, override)
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

    _guarded(action, out)


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
            co2 = f"{row.co2_tonne:,.0f}" + (" *" if row.note else "")
            table.add_row(cap, co2, f"{row.cost_eur:,.0f}", f"{row.lcoh_eur_per_gj:.2f}")
        console.print(table)
        for row in front[front["note"] != ""].itertuples():
            console.print(f"* cap {row.co2_cap_tonne:,.0f} t: {row.note}", highlight=False)
        console.print(f"Front: {', '.join(str(p) for p in written)}")

    _guarded(action, out)


@app.command()
def validate(
    model: Annotated[
        Path | None, typer.Argument(help="Model folder or wijk.yaml (default model if omitted).")
    ] = None,
) -> None:
    """Check a model file and report every problem with its line and field."""

    def action() -> None:
        from optimiser.inputs.profiles.inputs import build_inputs
        from optimiser.inputs.scenario import ScenarioError, load_scenario, resolve_model_path
        from optimiser.model.system import check_system, components_of

        path = resolve_model_path(model)
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            if len(exc.problems) == 1:
                _fail(exc.problems[0], 2)
            for problem in exc.problems:
                errors.print(problem, highlight=False, soft_wrap=True)
            _fail(f"{path}: {len(exc.problems)} problems (listed above)", 2)
            return
        with console.status("Building the hourly profiles"), about_model(path):
            inputs = build_inputs(scenario)  # every profile check, as 'wijk run' does
            check_system(components_of(scenario, inputs), inputs)
        techs = ", ".join(scenario.technology_params()) or "none"
        console.print(
            f"{path}: valid ({scenario.name}; technologies: {techs};"
            f" {inputs.sizes['time']} hourly steps built)"
        )

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
        from optimiser.cli_allocation import print_allocation
        from optimiser.economics.allocation.allocate import allocate as allocate_game
        from optimiser.economics.allocation.allocate import write_allocation
        from optimiser.economics.allocation.game import allocation_budget, load_game

        if game is not None:
            if model is not None:
                raise InputError("give a MODEL or --game, not both", field="allocate")
            loaded = load_game(game)
            seconds, memory = allocation_budget(loaded.n)
            if seconds > 5:
                console.print(
                    f"{loaded.n} players, {2**loaded.n:,} coalitions: about {seconds:,.0f} s"
                    f" and {memory / 1e6:,.0f} MB",
                    highlight=False,
                )
            result = allocate_game(loaded)
            written = write_allocation(result, out)
        else:
            result, extra = _model_allocation(
                model, cache, typical_days, workers, scheduler, nucleolus_only
            )
            written = write_allocation(result, out, extra)
        print_allocation(console, result)
        console.print(f"Allocation: {', '.join(str(p) for p in written)}")

    _guarded(action, out)


def _model_allocation(
    model: Path | None,
    cache: Path,
    typical_days: int,
    workers: int | None,
    scheduler: str | None,
    nucleolus_only: bool = False,
) -> tuple[dict, dict]:
    """Run the allocation workflow on a model with a progress bar; its JSON and files."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from optimiser.inputs.scenario import load_scenario
    from optimiser.model.timeseries import Aggregation
    from optimiser.workflows.business import allocate_model
    from optimiser.workflows.runner import executor

    scenario = load_scenario(model)
    columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn())
    with (
        Progress(*columns, TimeRemainingColumn(), console=console, transient=True) as bar,
        executor(scheduler, workers) as pool,
    ):
        task = bar.add_task("Optimising coalitions", total=None)
        allocation = allocate_model(
            scenario,
            aggregation=Aggregation(typical_days=typical_days),
            executor=pool,
            cache_dir=cache,
            progress=lambda done, total: bar.update(task, completed=done, total=total or None),
            generated=nucleolus_only,
            batch=workers,
        )
    return allocation.allocation, allocation.files


def _print_summary(summary: dict) -> None:
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
    _print_bills(summary)
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


def _print_bills(summary: dict) -> None:
    """Electricity cost per connection (Dutch tariffs), and whether prices are synthetic."""
    from optimiser.outputs.electricity_bills import BILL_COLUMNS, bill_rows

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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

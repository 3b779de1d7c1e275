"""The ``wijk`` command line: run a neighbourhood model, validate a model file.

Every command ends a failure in one line on stderr, ``error: FILE: FIELD: what is wrong;
how to fix it``, and an exit code: 2 bad input, 3-7 a solve without a usable or proven
result (see :mod:`optimiser.errors`), 1 a bug (its traceback only with ``--debug``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from optimiser import __version__
from optimiser.cli_common import DEBUG, Scheduler, Workers, console, errors, fail, guarded
from optimiser.cli_studies import pareto, sweep
from optimiser.cli_summary import print_summary
from optimiser.errors import GapNotReachedError, InputError, about_model

app = typer.Typer(
    help="Neighbourhood utility optimiser: size and dispatch a wijkbedrijf's shared assets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

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
            " (Benders bound over the design, then the full-year MILP), or stop at"
            " --time-limit.",
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
        from optimiser.outputs.result_files import write_results
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
        print_summary(console, errors, summary)
        if checked is not None:
            from optimiser.workflows.check_years import print_years

            print_years(checked, summary["check_years"], console)
        console.print(f"Results: {', '.join(str(p) for p in written)}")

    guarded(action, out)


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

    guarded(action)


app.command()(sweep)
app.command()(pareto)


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
                fail(exc.problems[0], 2)
            for problem in exc.problems:
                errors.print(problem, highlight=False, soft_wrap=True)
            fail(f"{path}: {len(exc.problems)} problems (listed above)", 2)
            return
        with console.status("Building the hourly profiles"), about_model(path):
            inputs = build_inputs(scenario)  # every profile check, as 'wijk run' does
            check_system(components_of(scenario, inputs), inputs)
        techs = ", ".join(scenario.technology_params()) or "none"
        console.print(
            f"{path}: valid ({scenario.name}; technologies: {techs};"
            f" {inputs.sizes['time']} hourly steps built)"
        )

    guarded(action)


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
    workers: Workers = None,
    scheduler: Scheduler = None,
    nucleolus_only: Annotated[
        bool,
        typer.Option(
            "--nucleolus-only",
            help="Only least core and nucleolus, by constraint generation: solves only the"
            " design problems their LPs need (as many as a monotone bound cannot rule out).",
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

    guarded(action, out)


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

"""The ``wijk sweep`` and ``wijk pareto`` commands: many variants of one model, and the
cost-CO2 trade-off (registered on the app in :mod:`optimiser.cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from optimiser.cli_common import Scheduler, Workers, console, errors, guarded


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
    workers: Workers = None,
    scheduler: Scheduler = None,
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

    guarded(action, out)


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

    guarded(action, out)

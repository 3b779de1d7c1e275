"""What every ``wijk`` command shares: the consoles and the guard that turns every error
into one line on stderr and its exit code (see :mod:`optimiser.cli`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from optimiser.errors import InputError, SolverError

console = Console()
errors = Console(stderr=True)

Workers = Annotated[int | None, typer.Option("--workers", min=1, help="Local worker processes.")]
"""The ``--workers`` option of the commands that solve many models (sweep, allocate)."""
Scheduler = Annotated[
    str | None, typer.Option("--scheduler", help="dask scheduler address, tcp://HOST:PORT.")
]
"""Their ``--scheduler`` option: a dask scheduler instead of local workers."""


def fail(message: str, code: int) -> None:
    """End the command: ``message`` as one line on stderr and exit code ``code``."""
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


DEBUG = {"on": False}
"""Set by ``wijk --debug``: show the traceback of an unexpected error."""


def guarded(action: Callable[[], None], out: Path | None = None) -> None:
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
        fail(str(exc), exc.exit_code)
    except SolverError as exc:
        fail(f"{exc.outcome}: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        done = ", ".join(str(p) for p in written_sets)
        fail(
            f"interrupted; complete results were written to {done} before the interrupt"
            if done
            else "interrupted; no results written (earlier results, if any, are unchanged)",
            130,
        )
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}; check the path and its permissions", 2)
    except Exception as exc:
        if DEBUG["on"]:
            raise
        fail(
            f"internal error ({type(exc).__name__}: {exc}); this is a bug in wijk: rerun with"
            " 'wijk --debug ...' and report the traceback",
            1,
        )

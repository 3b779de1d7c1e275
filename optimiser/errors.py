"""Errors that the command line turns into one clear line and a documented exit code.

Every problem with user input (a model file, a profile CSV, a weather file, a game or
sweep file, an output path) raises :class:`InputError` with the file, the field and what
to do about it, so that the CLI prints a single line and exits 2 instead of showing a
traceback. Each way a solve can end without a usable, proven result has its own class
and exit code (see :data:`EXIT_CODES`):

===  =========================================================================
 0   solved (optimal within the requested gap, or a warned, unproven solution)
 1   a bug in wijk (traceback with ``--debug``)
 2   bad input
 3   infeasible: no design can serve the model
 4   unbounded: the cost can fall without limit (a price or bound is missing)
 5   time limit reached without any usable solution
 6   numerical trouble in the solver
 7   ``--require-gap``: a solution exists but its gap is above the requested one
130  interrupted (Ctrl-C)
===  =========================================================================
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class InputError(ValueError):
    """A problem with user input, phrased as ``file: field: problem; fix``."""

    exit_code = 2

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.field = field
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as one line: ``file: field: problem; fix``."""
        parts = [p for p in (self.file, self.field) if p]
        text = ": ".join([*parts, self.problem])
        if self.fix:
            text += f"; {self.fix}"
        return " ".join(text.split())


@contextmanager
def about_model(path: str | Path) -> Iterator[None]:
    """Name the model file ``path`` in an :class:`InputError` raised inside that names a
    model field (not a ``--option``) but no file: a check of the built system (a stream
    with no outlet, a demand nothing serves) knows the field, not the file."""
    try:
        yield
    except InputError as exc:
        plain = type(exc) is InputError and exc.file is None and exc.field is not None
        if plain and not str(exc.field).startswith("--"):
            raise InputError(exc.problem, file=path, field=exc.field, fix=exc.fix) from None
        raise


class SolverError(RuntimeError):
    """The solver stopped without a usable solution (the base of every solve outcome
    that is not a result)."""

    exit_code = 6
    outcome = "numerical trouble"


class InfeasibleError(SolverError):
    """The model has no feasible solution; the message names carrier and hours."""

    exit_code = 3
    outcome = "infeasible"


class UnboundedError(SolverError):
    """The cost can fall without limit: a sale without a price cap or a missing bound."""

    exit_code = 4
    outcome = "unbounded"


class TimeLimitError(SolverError):
    """The time limit was reached before the solver found any feasible solution."""

    exit_code = 5
    outcome = "time limit without a usable solution"


class NumericalError(SolverError):
    """The solver failed on numerical grounds (ill-conditioned model, solve error)."""

    exit_code = 6
    outcome = "numerical trouble"


class GapNotReachedError(SolverError):
    """A solution was found but not proven within the gap that ``--require-gap`` asks for."""

    exit_code = 7
    outcome = "gap not reached"


EXIT_CODES = {
    "bad input": InputError.exit_code,
    InfeasibleError.outcome: InfeasibleError.exit_code,
    UnboundedError.outcome: UnboundedError.exit_code,
    TimeLimitError.outcome: TimeLimitError.exit_code,
    NumericalError.outcome: NumericalError.exit_code,
    GapNotReachedError.outcome: GapNotReachedError.exit_code,
}
"""Exit code of each outcome that is not a result (0: a result, 1: a bug, 130: Ctrl-C)."""

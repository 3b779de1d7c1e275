"""Errors that the command line turns into one clear line for the user.

Every problem with user input (a model file, a profile CSV, a weather file) raises
:class:`InputError` with the file, the field and what to do about it, so that the CLI
can print a single line and exit non-zero instead of showing a traceback.
"""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """A problem with user input, phrased as ``file: field: problem (fix)``."""

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


class InfeasibleError(RuntimeError):
    """The model has no feasible solution; the message names carrier and hours."""


class SolverError(RuntimeError):
    """The solver stopped without a usable solution (time limit without incumbent, error)."""

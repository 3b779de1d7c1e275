"""Hourly variables as arrays: one column per time step, with no Pyomo object per step.

A full year has 8,760 steps, and a model some twenty hourly variables: 166,000 columns
on the default model. As Pyomo variables each step was an object that Pyomo created,
bounded by a rule, and the matrix writer then looked up again, one by one: about 1.5 s
of the 2 s it took to build and hand over the default model's full-year LP. An
:class:`HourlyVar` is what those columns are, a name with a lower and an upper bound
per step; the rows that use it (:mod:`optimiser.model.rows`) and the matrix
(:mod:`optimiser.model.matrix`) take its columns as one block, and a solve leaves its
values as one array in :attr:`HourlyVar.value`.

Pyomo stays the language of the model's few single constraints (sizes, tariffs, the
links between typical days). Where one of those needs one step of an hourly variable,
``var[t]`` gives a Pyomo variable for that step, which the matrix merges with the
step's column (see :meth:`HourlyVar.__getitem__`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.var import VarData


class HourlyVar:
    """A variable per time step of a model: ``lower[t] <= x[t] <= upper[t]``, integer
    or continuous, with ``value`` the solved values (None before a solve).

    ``name`` is ``block.local_name`` as Pyomo names a component; the variable is also
    an attribute of its block, so ``model.grid.import_kw`` finds it.
    """

    def __init__(
        self,
        block: pyo.Block,
        local_name: str,
        lower: np.ndarray,
        upper: np.ndarray,
        integer: bool = False,
    ) -> None:
        if lower.shape != upper.shape or lower.ndim != 1:
            raise ValueError(f"{local_name}: bounds of shapes {lower.shape} and {upper.shape}")
        if hasattr(block, local_name):
            raise ValueError(f"{block.name} already has an attribute {local_name!r}")
        self.block = block
        self.local_name = local_name
        on_model = block.parent_block() is None
        self.name = local_name if on_model else f"{block.name}.{local_name}"
        self.lower = lower
        self.upper = upper
        self.integer = integer
        self.value: np.ndarray | None = None
        self._steps: pyo.Var | None = None
        setattr(block, local_name, self)

    def __len__(self) -> int:
        return len(self.lower)

    def __repr__(self) -> str:
        kind = "integer" if self.integer else "continuous"
        return f"HourlyVar({self.name}, {len(self)} steps, {kind})"

    def at(self, steps: np.ndarray) -> Shifted:
        """The variable at other steps: row ``t`` of a per-step constraint takes
        ``x[steps[t]]`` (e.g. the level one step earlier)."""
        return Shifted(self, checked_steps(self.name, steps, len(self)))

    def __iter__(self):
        raise TypeError(f"{self.name} is an hourly variable: use its value array, not its steps")

    def __getitem__(self, step: int) -> VarData:
        """Step ``step`` as a Pyomo variable, for a single constraint written in Pyomo
        (e.g. the level at the end of a typical day). It has the step's bounds as they
        are when it is first taken (the hourly bounds rule: bound or fix it through
        ``lower`` and ``upper``), and the matrix gives it the step's column: it is the
        same variable, not a copy."""
        if not 0 <= int(step) < len(self):
            raise IndexError(f"{self.name}: step {step} outside 0..{len(self) - 1}")
        if self._steps is None:
            lower = [None if not np.isfinite(b) else float(b) for b in self.lower]
            upper = [None if not np.isfinite(b) else float(b) for b in self.upper]
            self._steps = pyo.Var(
                range(len(self)),
                dense=False,
                domain=pyo.Integers if self.integer else pyo.Reals,
                bounds=lambda _b, t: (lower[t], upper[t]),
            )
            self.block.add_component(f"{self.local_name}_step", self._steps)
        var = self._steps[int(step)]
        if self.value is not None and var.value is None:  # taken after a solve
            var.set_value(float(self.value[int(step)]), skip_validation=True)
        return var

    def pinned(self) -> dict[int, VarData]:
        """The steps taken as Pyomo variables so far (step -> variable)."""
        return {} if self._steps is None else dict(self._steps.items())

    def values_or_zero(self) -> np.ndarray:
        """The solved values, zeros before a solve."""
        return np.zeros(len(self)) if self.value is None else self.value


def checked_steps(name: str, steps, n_steps: int) -> np.ndarray:
    """``steps`` as integers; ValueError naming ``name`` if one is outside 0..n_steps-1."""
    steps = np.asarray(steps, dtype=int)
    if steps.size and (steps.min() < 0 or steps.max() >= n_steps):
        raise ValueError(f"{name}: steps outside 0..{n_steps - 1}")
    return steps


@dataclass(frozen=True)
class Shifted:
    """An hourly variable read at other steps: row ``t`` takes ``variable[steps[t]]``."""

    variable: HourlyVar
    steps: np.ndarray

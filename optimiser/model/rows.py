"""Constraints as arrays: a linear row per time step, and the yearly totals of hourly
variables, written straight into the constraint matrix.

Most rows of a full-year model are the same constraint repeated over 8,760 hours (the
carrier balances, storage levels, capacity limits). Built as Pyomo constraints, each
hour's row is an expression tree that Pyomo creates and then walks again to write the
matrix: on ketelhuis-wg that was half of a coalition's warm-started solve. A
:class:`StepRows` keeps such a constraint as what it is, a few terms with a coefficient
per step, and :func:`step_matrix` writes it as one block of the matrix.

A term's variable is an :class:`~optimiser.model.hourly.HourlyVar`, the same read at
other steps (:class:`~optimiser.model.hourly.Shifted`, e.g. the level one step earlier),
a list of one Pyomo variable per step (e.g. each step's month peak) or a scalar linear
expression (a size, ``module_kw * modules``), broadcast to every step. Fixed Pyomo
variables count as constants, as Pyomo's compiler counts them; an hourly variable's
steps are bounded or fixed through its bounds only.

An :class:`AnnualTotal` is ``total = sum_t coefficient[t] x[t]``: a Pyomo variable that
the model's costs and yearly constraints use, defined by an hourly variable. The matrix
substitutes the definition wherever the total appears, so the LP is the same as with
the sum written out, without 8,760 Pyomo terms per sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.numeric_types import native_numeric_types
from pyomo.core.base.var import VarData
from pyomo.repn import generate_standard_repn

from optimiser.model.hourly import HourlyVar, Shifted, checked_steps

SENSES = ("<=", ">=", "==")

Term = HourlyVar | Shifted | list | VarData
"""A variable of a :class:`StepRows` (see the module text)."""


@dataclass
class StepRows:
    """``sum_k coefficient_k[t] * variable_k[t]  (sense)  rhs[t]`` for every step ``t``
    (or only ``steps``, if given). Constant parts are already in ``rhs``."""

    name: str
    terms: list[tuple[Term, np.ndarray]]
    sense: str
    rhs: np.ndarray
    steps: np.ndarray | None = None


@dataclass
class AnnualTotal:
    """``total = sum_t coefficient[t] * variable[t]`` (coefficient with the steps'
    weights: a yearly amount)."""

    total: VarData
    variable: HourlyVar
    coefficient: np.ndarray


def step_rows(
    name: str,
    terms: Sequence[tuple[object, float | np.ndarray]],
    sense: str,
    rhs,
    n_steps: int,
    steps: np.ndarray | None = None,
) -> StepRows:
    """A :class:`StepRows` from ``(variable, coefficient)`` pairs (see the module text).

    Raises ValueError on an unknown sense or a term that is neither an hourly variable,
    a list of ``n_steps`` variables nor a linear expression.
    """
    if sense not in SENSES:
        raise ValueError(f"unknown sense {sense!r}; use one of {SENSES}")
    right = np.broadcast_to(np.asarray(rhs, dtype=float), (n_steps,)).copy()
    rows: list[tuple[Term, np.ndarray]] = []
    for variable, coefficient in terms:
        coef = np.broadcast_to(np.asarray(coefficient, dtype=float), (n_steps,))
        if isinstance(variable, HourlyVar | Shifted | list):
            count = len(variable.steps if isinstance(variable, Shifted) else variable)
            if count != n_steps:
                raise ValueError(f"{name}: a term has {count} steps, not {n_steps}")
            rows.append((variable, coef))
        elif isinstance(variable, VarData):  # a size: fixed or not when the model is written
            rows.append((variable, coef))
        else:
            repn = generate_standard_repn(variable, compute_values=False, quadratic=False)
            if not repn.is_linear():
                raise ValueError(f"{name}: a term is not linear")
            right -= coef * float(pyo.value(repn.constant))
            for var, scale in zip(repn.linear_vars, repn.linear_coefs, strict=True):
                rows.append((var, coef * float(pyo.value(scale))))
    chosen = None if steps is None else checked_steps(name, steps, n_steps)
    return StepRows(name, rows, sense, right, chosen)


class Columns:
    """Where each variable sits in the matrix: the Pyomo variables by object (a new one
    gets the next column), each hourly variable as one column per step."""

    def __init__(self, variables: Sequence[VarData]) -> None:
        self.variables = list(variables)
        self._column_of = {id(v): j for j, v in enumerate(self.variables)}
        self.hourly: list[tuple[HourlyVar, np.ndarray]] = []
        self._hourly_of: dict[int, np.ndarray] = {}
        self.count = len(self.variables)

    def index(self) -> np.ndarray:
        """The column of each of :attr:`variables`, in order."""
        return np.array([self._column_of[id(v)] for v in self.variables], dtype=int)

    def find(self, var: VarData) -> int | None:
        """The column of a Pyomo variable, None if it has none."""
        return self._column_of.get(id(var))

    def of_variable(self, var: VarData) -> int:
        """The column of a Pyomo variable, -1 if it is fixed (a constant)."""
        if var.fixed:
            return -1
        column = self._column_of.get(id(var))
        if column is None:
            column = self._column_of[id(var)] = self.count
            self.variables.append(var)
            self.count += 1
        return column

    def add_hourly(self, variable: HourlyVar) -> None:
        """Give ``variable`` a column per step; steps that a Pyomo constraint took as a
        variable of their own (``variable[t]``) keep that variable's column."""
        columns = np.full(len(variable), -1, dtype=int)
        for step, var in variable.pinned().items():
            if var.fixed:
                raise ValueError(f"{var.name} is fixed; bound {variable.name} instead")
            columns[step] = self.of_variable(var)
        new = np.flatnonzero(columns < 0)
        columns[new] = self.count + np.arange(new.size)
        self.count += new.size
        self.hourly.append((variable, columns))
        self._hourly_of[id(variable)] = columns

    def of_hourly(self, variable: HourlyVar) -> np.ndarray:
        """The column of each step of an hourly variable added before."""
        columns = self._hourly_of.get(id(variable))
        if columns is None:
            raise ValueError(f"{variable.name} is not a variable of this model")
        return columns

    def bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every column's lower and upper bound and whether it is integer."""
        lower, upper = np.empty(self.count), np.empty(self.count)
        integer = np.zeros(self.count, dtype=bool)
        index = self.index()
        lower[index], upper[index], integer[index] = column_data(self.variables)
        for variable, columns in self.hourly:  # a step's Pyomo variable has its bounds
            lower[columns], upper[columns] = variable.lower, variable.upper
            integer[columns] = variable.integer
        return lower, upper, integer


def step_matrix(
    rows: Sequence[StepRows], columns: Columns
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """``rows`` as a block of the constraint matrix (one row per step, or per chosen
    step), with its row bounds; Pyomo variables met for the first time get new columns
    in ``columns``. The matrix is as wide as ``columns`` is after all rows."""
    row_ids, col_ids, values, lower, upper = [], [], [], [], []
    first = 0  # the block's first row
    for block in rows:
        steps = np.arange(len(block.rhs)) if block.steps is None else block.steps
        rhs = block.rhs[steps].copy()
        for term, coefficient in block.terms:
            coef = coefficient[steps]
            cols, constant = _term_columns(term, columns, steps)
            rhs -= coef * constant
            keep = (cols >= 0) & (coef != 0.0)
            row_ids.append(first + np.flatnonzero(keep))
            col_ids.append(cols[keep])
            values.append(coef[keep])
        n = steps.size
        lower.append(rhs if block.sense != "<=" else np.full(n, -np.inf))
        upper.append(rhs if block.sense != ">=" else np.full(n, np.inf))
        first += n
    if not rows:
        return sp.csr_matrix((0, columns.count)), np.empty(0), np.empty(0)
    matrix = sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(row_ids), np.concatenate(col_ids))),
        shape=(first, columns.count),
    )
    return matrix, np.concatenate(lower), np.concatenate(upper)


def _term_columns(term: Term, columns: Columns, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The column of a term at each of ``steps`` (-1 where it is a fixed Pyomo variable)
    and the constant it contributes there (a fixed variable's value, else 0)."""
    constant = np.zeros(steps.size)
    if isinstance(term, HourlyVar):
        return columns.of_hourly(term)[steps], constant
    if isinstance(term, Shifted):
        return columns.of_hourly(term.variable)[term.steps[steps]], constant
    if isinstance(term, VarData):  # a size, the same in every step
        column = columns.of_variable(term)
        constant[:] = float(term.value) if column < 0 else 0.0
        return np.full(steps.size, column), constant
    variables = [term[t] for t in steps]
    column = {id(v): columns.of_variable(v) for v in variables}
    cols = np.fromiter((column[id(v)] for v in variables), int, steps.size)
    for t in np.flatnonzero(cols < 0):
        constant[t] = float(variables[t].value)
    return cols, constant


def totals_matrix(totals: Sequence[AnnualTotal], columns: Columns) -> sp.csr_matrix:
    """Row ``k`` holds the definition of ``totals[k]``: its coefficient on each column
    of its hourly variable (``total_k = row_k . x``)."""
    row_ids, col_ids, values = [], [], []
    for k, total in enumerate(totals):
        cols = columns.of_hourly(total.variable)
        keep = total.coefficient != 0.0
        row_ids.append(np.full(int(keep.sum()), k))
        col_ids.append(cols[keep])
        values.append(total.coefficient[keep])
    if not totals:
        return sp.csr_matrix((0, columns.count))
    return sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(row_ids), np.concatenate(col_ids))),
        shape=(len(totals), columns.count),
    )


def column_data(columns: Sequence[VarData]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each column's lower and upper bound, the tighter of its own and its domain's as
    Pyomo's ``lb`` and ``ub`` give them (-inf and inf where there is none), and whether
    it is integer.

    Read in bulk, each domain asked once: Pyomo's properties ask the domain again for
    every variable, which on a small coalition's three models took 1.3 of its 15 s.
    Columns whose bound is an expression (a mutable parameter) are read through the
    properties.
    """
    domains = [v._domain for v in columns]
    first = {id(d): v for v, d in zip(columns, domains, strict=True)}
    bounds = {key: v.domain.bounds() for key, v in first.items()}
    integer = {key: not v.is_continuous() for key, v in first.items()}
    own_lower = [v._lb for v in columns]
    own_upper = [v._ub for v in columns]
    lower = _bounds(own_lower, [bounds[id(d)][0] for d in domains], -np.inf, np.maximum)
    upper = _bounds(own_upper, [bounds[id(d)][1] for d in domains], np.inf, np.minimum)
    if lower is None or upper is None:  # an expression among them
        lower = np.array([-np.inf if v.lb is None else v.lb for v in columns], dtype=float)
        upper = np.array([np.inf if v.ub is None else v.ub for v in columns], dtype=float)
    return lower, upper, np.array([integer[id(d)] for d in domains], dtype=bool)


def _bounds(own: list, domain: list, none: float, tighter) -> np.ndarray | None:
    """The tighter of numeric ``own`` and ``domain`` bounds (None means none), or None
    if an own bound is not a number."""
    if not all(b is None or type(b) in native_numeric_types for b in own):
        return None
    values = np.array([none if b is None else b for b in own], dtype=float)
    limits = np.array([none if b is None else b for b in domain], dtype=float)
    return tighter(values, limits)

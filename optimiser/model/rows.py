"""Hourly constraints as arrays: one linear row per time step, handed to HiGHS whole.

Most rows of a full-year model are the same constraint repeated over 8,760 hours (the
carrier balances, storage levels, capacity limits). Built as Pyomo constraints, each
hour's row is an expression tree that Pyomo creates and then walks again to write the
matrix: on ketelhuis-wg that was half of a coalition's warm-started solve. A
:class:`StepRows` keeps such a constraint as what it is, a few terms with a coefficient
per step, and :func:`append_rows` writes it straight into the constraint matrix next to
what Pyomo's standard-form compiler wrote for the rest of the model.

A term's variable is an hourly variable (indexed by the builder's steps), a list of one
variable per step (a shifted or regrouped index, e.g. the level one step earlier) or a
scalar linear expression (a size, ``module_kw * modules``), broadcast to every step.
Fixed variables count as constants, as Pyomo's compiler counts them.
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

SENSES = ("<=", ">=", "==")


@dataclass
class StepRows:
    """``sum_k coefficient_k[t] * variable_k[t]  (sense)  rhs[t]`` for every step ``t``.

    ``terms`` hold an hourly variable (indexed by the steps) or a list of one variable
    per step, and the coefficient per step; constant parts are already in ``rhs``.
    """

    name: str
    terms: list[tuple[list | pyo.Var, np.ndarray]]
    sense: str
    rhs: np.ndarray


def step_rows(
    name: str, terms: Sequence[tuple[object, float | np.ndarray]], sense: str, rhs, n_steps: int
) -> StepRows:
    """A :class:`StepRows` from ``(variable, coefficient)`` pairs (see the module text).

    Raises ValueError on an unknown sense or a term that is neither an hourly variable,
    a list of ``n_steps`` variables nor a linear expression.
    """
    if sense not in SENSES:
        raise ValueError(f"unknown sense {sense!r}; use one of {SENSES}")
    right = np.broadcast_to(np.asarray(rhs, dtype=float), (n_steps,)).copy()
    rows: list[tuple[list | pyo.Var, np.ndarray]] = []
    for variable, coefficient in terms:
        coef = np.broadcast_to(np.asarray(coefficient, dtype=float), (n_steps,))
        if isinstance(variable, list):
            if len(variable) != n_steps:
                raise ValueError(f"{name}: a term lists {len(variable)} variables, not {n_steps}")
            rows.append((variable, coef))
        elif isinstance(variable, pyo.Var) and variable.is_indexed():
            if len(variable) != n_steps:
                raise ValueError(f"{name}: a term has {len(variable)} steps, not {n_steps}")
            rows.append((variable, coef))
        elif isinstance(variable, VarData):  # a size: fixed or not when the model is written
            rows.append(([variable] * n_steps, coef))
        else:
            repn = generate_standard_repn(variable, compute_values=False, quadratic=False)
            if not repn.is_linear():
                raise ValueError(f"{name}: a term is not linear")
            right -= coef * float(pyo.value(repn.constant))
            for var, scale in zip(repn.linear_vars, repn.linear_coefs, strict=True):
                rows.append(([var] * n_steps, coef * float(pyo.value(scale))))
    return StepRows(name, rows, sense, right)


def term_variables(term: list | pyo.Var) -> list:
    """The variable of each step of a :class:`StepRows` term."""
    return term if isinstance(term, list) else list(term.values())


def append_rows(
    matrix: sp.csr_matrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    columns: list,
    rows: Sequence[StepRows],
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, list]:
    """The compiled model's matrix and row bounds with ``rows`` below it.

    ``columns`` are the compiled model's variables by column; a variable that only
    ``rows`` use becomes a new column at the end (the returned list). Returns the
    matrix (CSR), the row bounds and the columns.
    """
    if not rows:
        return matrix, row_lower, row_upper, columns
    columns = list(columns)
    column_of = {id(v): j for j, v in enumerate(columns)}

    def columns_of(variables: list) -> np.ndarray:
        """The column of each variable (new ones appended), -1 for a fixed one."""
        cols = np.fromiter((column_of.get(id(v), -1) for v in variables), int, len(variables))
        for t in np.flatnonzero(cols < 0):
            var = variables[t]
            if var.fixed:
                continue
            if id(var) not in column_of:
                column_of[id(var)] = len(columns)
                columns.append(var)
            cols[t] = column_of[id(var)]
        return cols

    # an hourly variable is in several blocks (balances, limits, levels): look it up once
    hourly: dict[int, tuple[list, np.ndarray]] = {}
    row_ids, col_ids, values, lower, upper = [], [], [], [], []
    first = 0  # the first new row of the block, counted from the end of ``matrix``
    for block in rows:
        n = len(block.rhs)
        rhs = block.rhs.copy()
        for term, coef in block.terms:
            if isinstance(term, list):
                variables, cols = term, columns_of(term)
            else:
                if id(term) not in hourly:
                    listed = term_variables(term)
                    hourly[id(term)] = (listed, columns_of(listed))
                variables, cols = hourly[id(term)]
            for t in np.flatnonzero(cols < 0):  # fixed: a constant
                rhs[t] -= coef[t] * float(variables[t].value)
            keep = (cols >= 0) & (coef != 0.0)
            steps = np.flatnonzero(keep)
            row_ids.append(first + steps)
            col_ids.append(cols[keep])
            values.append(coef[keep])
        lower.append(rhs if block.sense != "<=" else np.full(n, -np.inf))
        upper.append(rhs if block.sense != ">=" else np.full(n, np.inf))
        first += n
    added = sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(row_ids), np.concatenate(col_ids))),
        shape=(first, len(columns)),
    )
    widened = sp.csr_matrix(
        (matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], len(columns))
    )
    stacked = sp.vstack([widened, added], format="csr")
    return (
        stacked,
        np.concatenate([row_lower, *lower]),
        np.concatenate([row_upper, *upper]),
        columns,
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

"""A simplex basis carried from one LP to a similar one, as text that travels between
processes and into JSON (the cost game starts each coalition's full-year check from the
grand coalition's)."""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass

import highspy
import numpy as np


@dataclass
class WarmBasis:
    """A simplex basis carried from one LP to a similar one (same rows and columns,
    other bounds or right-hand sides, e.g. the full-year check of another coalition).

    ``given`` is where :func:`~optimiser.model.solve.solve` starts the dual simplex
    (used only when its shape fits the LP, else the solve starts cold); after the solve
    ``found`` is the optimal basis and ``used`` says whether HiGHS took ``given``. Both
    are encoded as text (:func:`encode_basis`) so that they travel to other processes
    and into JSON. ``prices`` are the similar LP's ``year_duals`` (the ``prices`` of
    :func:`~optimiser.model.solve.solve`; None: not known), and after the solve
    ``duals`` are this LP's. The optimum does not depend on the start, only the
    iterations to reach it.
    """

    given: str | None = None
    found: str | None = None
    used: bool = False
    prices: tuple[float, ...] | None = None
    duals: tuple[float, ...] = ()


def encode_basis(basis: highspy.HighsBasis) -> str:
    """A HiGHS basis as text: the status codes (0..4) of the columns, then the rows,
    one byte each, compressed and base64-encoded; the column count leads."""
    codes = np.array(
        [int(v) for v in basis.col_status] + [int(v) for v in basis.row_status], dtype=np.int8
    )
    packed = base64.b64encode(zlib.compress(codes.tobytes())).decode("ascii")
    return f"{len(basis.col_status)}:{packed}"


def set_basis(highs: highspy.Highs, lp: highspy.HighsLp, text: str) -> bool:
    """Start HiGHS from an encoded basis (:func:`encode_basis`) if it has the LP's shape
    and HiGHS accepts it; False (a cold start) otherwise."""
    head, packed = text.split(":", 1)
    codes = np.frombuffer(zlib.decompress(base64.b64decode(packed)), dtype=np.int8)
    if int(head) != lp.num_col_ or codes.size != lp.num_col_ + lp.num_row_:
        return False
    status = [highspy.HighsBasisStatus(int(v)) for v in range(5)]
    basis = highspy.HighsBasis()
    basis.col_status = [status[v] for v in codes[: lp.num_col_]]
    basis.row_status = [status[v] for v in codes[lp.num_col_ :]]
    basis.valid = True
    return highs.setBasis(basis) == highspy.HighsStatus.kOk

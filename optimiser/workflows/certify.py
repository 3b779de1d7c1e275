"""A certificate for a two-stage design: how far above the best full-year design it can be.

The two-stage run designs on typical days and dispatches the design on every hour of
the year (the check). The check's cost is the cost of a feasible point of the full-year
design model (the same model with the design's sizes fixed), so it is an *upper bound*
(UB) on that model's optimum. The typical-day model is not a lower bound on it: its days
are medoids, rescaled and linked by a superposition that restricts the stores, so it can
end above or below the full year. A valid *lower bound* (LB) comes from relaxing the
full-year model itself:

- **Benders bound over the design** (always, when asked for a bound;
  :mod:`optimiser.model.design_bound`). F(d) is the full-year MILP's LP relaxation
  (modules, built/not built, tax brackets, DSO class, arbitrage hours, N-1 all
  continuous) with the design columns fixed to d; every MILP solution with design d is
  feasible for it, so F(d) is below that design's MILP cost. F is convex in d: its
  solve at the two-stage design, and at each design a trust region proposes next, give
  a cut below it (or one excluding designs the year cannot serve), and a master MILP
  over the design's dozen columns, integers kept, is a lower bound on the full-year
  MILP. The plain LP relaxation buys fractions of indivisible assets (TEO, modules,
  doublets, brackets) and stays 5.2 % below the default design; no solve on the hours
  can close that. The bound is only valid from solves proven optimal (HiGHS simplex,
  within its tolerances of 1e-7). On the default model (one thread, 2-core EPYC shared
  with a second run) F at the design takes about 50 s and the search passes the LP
  relaxation's bound after 11 solves (about 9 min; the relaxation itself takes 6.5 min)
  and is 1 % below the design after 26 (29 min). Started from the LP relaxation's
  optimum instead, the search stayed at the relaxation's bound for 12 more solves: its
  flat cut hides where the designs differ. F's designs are not checks (it relaxes the
  hourly integers and N-1), so the search's best design, where F is below F at the
  two-stage design, is *proposed*: fixed in the full-year MILP and dispatched on every
  hour (hourly integers and N-1 kept), and reported instead when that costs less. The
  search may use all of the time limit but the proposal's check.
- **Full-year MILP** (when that bound is not tight enough and time is left): HiGHS's
  branch and bound from the best solution so far as MIP start, stopped at the asked gap or
  the time limit; its dual bound (``mip_dual_bound``) is valid at any stop, and the
  larger bound is kept. If HiGHS finds a cheaper design than the two-stage one, that
  design is the one reported (:attr:`Certificate.design`).

Gaps are taken on the decision-dependent cost (the objective without the costs no
decision changes, e.g. the heat network's annuity), as the solver's gaps are, and on
the total cost for reference. The bound is on the *model's* full-year optimum for this
weather year; it says nothing about modelling error.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from optimiser.errors import SolverError
from optimiser.model.builder import ModelBuilder
from optimiser.model.design_bound import design_bound
from optimiser.model.relaxed_year import RelaxedYear
from optimiser.model.solve import SolveOptions, SolveResult, solve, variable_values

TWO_STAGE = "the two-stage design, made on typical days"
"""The design a certificate is about, unless the Benders search's proposal or the
full-year MILP gives a cheaper one."""


@dataclass(frozen=True)
class Certificate:
    """Upper bound (the reported design's full-year cost), lower bound on the full-year
    optimum, both in EUR/year with the constant cost included, and how they were found.

    ``lower_bound`` is None when no valid bound was computed (not asked, the first
    full-year solve did not finish in time, or the Benders master failed, and the
    full-year MILP gave none). ``constant`` (EUR/year) is the cost no decision
    changes; ``seconds`` is the wall time the certificate took (build, hand-off, solves).
    """

    design_cost: float
    lower_bound: float | None
    constant: float | None
    method: str
    design: str
    seconds: float
    target_gap: float | None = None

    @property
    def gap(self) -> float | None:
        """(UB - LB) / (UB - constant): the share of the decision-dependent cost by which
        the design may exceed the best full-year design (None without a bound)."""
        if self.lower_bound is None or self.constant is None:
            return None
        variable = max(self.design_cost - self.constant, 1e-9)
        return max(0.0, self.design_cost - self.lower_bound) / variable

    @property
    def gap_of_total(self) -> float | None:
        """(UB - LB) / UB: the same gap as a share of the total cost (constant included)."""
        if self.lower_bound is None:
            return None
        return max(0.0, self.design_cost - self.lower_bound) / max(abs(self.design_cost), 1e-9)

    @property
    def verdict(self) -> str:
        """One phrase for the CLI and the report."""
        if self.lower_bound is None:
            return f"no lower bound: {self.method}"
        target = ""
        if self.target_gap is not None:
            reached = "reached" if self.gap <= self.target_gap else "NOT reached"
            target = f"; asked {self.target_gap:.2%}: {reached}"
        return (
            f"at most {self.gap:.2%} above the best full-year design (decision-dependent"
            f" cost; {self.gap_of_total:.2%} of the total){target}"
        )

    def as_dict(self) -> dict:
        """The certificate as summary.json holds it."""
        return {
            "design_cost_eur_per_year": self.design_cost,
            "lower_bound_eur_per_year": self.lower_bound,
            "proven_gap": self.gap,
            "proven_gap_of_total": self.gap_of_total,
            "gap_basis": "decision-dependent cost (constant costs excluded)",
            "constant_cost_eur_per_year": self.constant,
            "target_gap": self.target_gap,
            "method": self.method,
            "design": self.design,
            "seconds": self.seconds,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Bound:
    """What :func:`lower_bound` found: the bound (EUR/year with the constant; None when
    there is none), the constant cost, a phrase saying what was done, and the search's
    best design (label -> size) if F there is below F at the design it started from."""

    value: float | None
    constant: float
    method: str
    proposal: dict[str, float] | None = None


def lower_bound(
    builder: ModelBuilder,
    sizes: dict[str, float],
    options: SolveOptions,
    upper: float,
    target_gap: float,
    deadline: float,
) -> Bound:
    """The Benders bound on ``builder``'s full-year MILP, started from the design
    ``sizes`` and refined until its gap to ``upper`` (EUR/year) is at most
    ``target_gap``, it converges or ``time.perf_counter()`` passes ``deadline``.

    The bound is None when F at the design was not solved in time or the master had
    no design."""
    begin = time.perf_counter()
    relaxed = RelaxedYear(builder, options.threads)
    constant = relaxed.constant
    first = relaxed.design_of(sizes)
    at_design = relaxed.solve(first, deadline - time.perf_counter())
    if at_design.value is None:
        reason = (
            f"the full-year LP relaxation at the design ended {at_design.phrase!r} after"
            f" {time.perf_counter() - begin:.0f} s (no valid bound)"
        )
        if at_design.status == highspy.HighsModelStatus.kTimeLimit:
            reason += "; raise --time-limit"
        return Bound(None, constant, reason)
    if not relaxed.columns.size:  # nothing to choose: F at the design is the relaxation
        return Bound(at_design.value + constant, constant, "LP relaxation of the full-year MILP")
    enough = upper - target_gap * (upper - constant) - constant
    outcome = design_bound(relaxed, [at_design.cut], (at_design.value, first), enough, deadline)
    method = (
        f"Benders bound over the {relaxed.columns.size} design columns of the full-year"
        f" LP relaxation, integers kept: {outcome.checks + 1} full-year solves in"
        f" {time.perf_counter() - begin:.0f} s, {outcome.stopped}"
    )
    proposal = None
    if outcome.best_value < at_design.value - 1e-6 * max(abs(at_design.value), 1.0):
        proposal = dict(zip(relaxed.labels, map(float, outcome.best_design), strict=True))
    value = outcome.bound + constant if np.isfinite(outcome.bound) else None
    return Bound(value, constant, method, proposal)


def check_proposal(
    builder: ModelBuilder, proposal: dict[str, float], options: SolveOptions, seconds: float
) -> tuple[SolveResult | None, str]:
    """``builder``'s full-year MILP with the design ``proposal`` fixed (the peak-sized
    capacities, the hourly integers and N-1 as in any check), within ``seconds``; its
    solution stays in ``builder``. Returns the result (None if it found none) and a
    phrase saying what came of it. The sizes are freed again afterwards."""
    chosen = [
        (s.expression, proposal[label])
        for s in builder.sizes
        if (label := f"{s.component}.{s.name}") in proposal
    ]
    try:
        for var, value in chosen:
            var.fix(value)
        result = solve(builder, replace(options, time_limit_s=seconds))
    except SolverError as error:
        return None, f"its best design, dispatched on every hour, gave nothing ({error})"
    finally:
        for var, _ in chosen:
            var.unfix()
    return result, (
        f"its best design, dispatched on every hour, costs {result.objective:,.0f} EUR/year"
        f" ({result.status})"
    )


def certify(
    builder: ModelBuilder,
    check: ModelBuilder,
    check_result: SolveResult,
    sizes: dict[str, float],
    options: SolveOptions,
    target_gap: float,
) -> tuple[Certificate, tuple[ModelBuilder, SolveResult] | None]:
    """Certify the checked design (``check`` solved as ``check_result``, with the
    design's solved ``sizes`` by label) against the full-year model ``builder`` (the
    same scenario and hours, nothing fixed, not solved yet).

    The bound of :func:`lower_bound` comes first, then the check of its proposal
    (:func:`check_proposal`); if the gap is still above ``target_gap``, the full-year
    MILP runs from the best dispatch so far as MIP start, all within
    ``options.time_limit_s``. Returns the certificate and, if the proposal or the MILP
    gave a design cheaper than the checked one, the solved ``builder`` with its result,
    whose solution replaces the checked one in the results.
    """
    begin = time.perf_counter()
    deadline = begin + options.time_limit_s
    upper = check_result.objective
    found = lower_bound(builder, sizes, options, upper, target_gap, deadline)
    bound, constant, method = found.value, found.constant, found.method
    design = TWO_STAGE
    better = None
    start = variable_values(check)

    def done(lower: float | None, how: str) -> Certificate:
        seconds = time.perf_counter() - begin
        return Certificate(upper, lower, constant, how, design, seconds, target_gap)

    if found.proposal is not None and deadline - time.perf_counter() >= 1:
        proposed, phrase = check_proposal(
            builder, found.proposal, options, deadline - time.perf_counter()
        )
        method += f"; {phrase}"
        if proposed is not None and proposed.objective < upper - 1e-6 * max(abs(upper), 1.0):
            upper = proposed.objective
            design = "a cheaper design that the Benders search proposed, checked on every hour"
            start = variable_values(builder)
            better = (builder, _with_bound(proposed, bound, done(bound, method), target_gap))
    if bound is not None and done(bound, method).gap <= target_gap:
        return done(bound, method), better
    remaining = deadline - time.perf_counter()
    if remaining < 1:
        return done(bound, method + "; no time left for the full-year MILP"), better
    try:
        mip = solve(
            builder,
            replace(options, time_limit_s=remaining, mip_gap=target_gap),
            start=start,
        )
    except SolverError as error:  # no MILP solution in time: the bound stands
        # (a failed solve loads nothing: the builder keeps the proposal's solution)
        return done(bound, f"{method}; the full-year MILP gave nothing better ({error})"), better
    method += (
        f"; then the full-year MILP from the best design as MIP start,"
        f" {mip.highs_seconds:.0f} s in HiGHS, ended {mip.status}"
    )
    if np.isfinite(mip.bound) and (bound is None or mip.bound > bound):
        bound = mip.bound
        method += " (its dual bound is the lower bound)"
    if mip.objective < upper - 1e-6 * max(abs(upper), 1.0):
        upper = mip.objective
        design = "a cheaper design that the full-year MILP found"
    certificate = done(bound, method)
    if better is not None or upper == mip.objective:  # the builder holds the MILP's solution
        better = (builder, _with_bound(mip, bound, certificate, target_gap))
    return certificate, better


def _with_bound(
    result: SolveResult, bound: float | None, certificate: Certificate, target_gap: float
) -> SolveResult:
    """A full-year solve of the reported design with the certificate's verdict on it:
    the better bound, and optimal only if the certificate reached ``target_gap``."""
    proven = certificate.gap is not None and certificate.gap <= target_gap
    if bound is not None:
        result = replace(result, bound=bound, gap=certificate.gap)
    return replace(result, status="optimal" if proven else "feasible")


def not_certified(check_result: SolveResult, reason: str) -> Certificate:
    """The certificate of a run that computes no lower bound: the design's cost only."""
    return Certificate(
        check_result.objective,
        None,
        None,
        reason,
        TWO_STAGE,
        0.0,
    )

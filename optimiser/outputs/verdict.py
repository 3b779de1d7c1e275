"""Whether a result is proven: the solver verdict printed by the CLI, summary and report.

A run is *proven* only when every solve it made (the typical-day design and the
full-year dispatch, or the one full-year design) ended optimal within the requested
gap. Otherwise the result is a usable but unproven solution, and every place that
shows it says "not proven, gap X %". Gaps are relative to the decision-dependent cost:
the objective without its constant part (the network annuity, standing charges), see
:class:`optimiser.model.solve.SolveResult`.
"""

from __future__ import annotations

from collections.abc import Mapping

GAP_BASIS = "decision-dependent cost (constant costs excluded)"


def _stage(attrs: Mapping, prefix: str, label: str) -> tuple[str, bool, float, float] | None:
    """(label, optimal, gap, requested gap) of one solve recorded in result attrs."""
    status = attrs.get(f"{prefix}status" if prefix else "solver_status")
    if status is None:
        return None
    gap = float(attrs.get(f"{prefix}mip_gap", float("nan")))
    requested = float(attrs.get(f"{prefix}requested_gap", float("nan")))
    return label, status == "optimal", gap, requested


def solver_verdict(attrs: Mapping) -> dict:
    """``proven`` (bool), ``verdict`` (one phrase), ``requested_gap``, ``gap_basis`` and
    ``constant_cost_eur_per_year`` of a result, from the attrs :func:`extract` wrote."""
    design = _stage(attrs, "design_", "typical-day design")
    final = _stage(attrs, "", "full-year dispatch" if design else "full-year design")
    stages = [s for s in (design, final) if s is not None]
    open_stages = [s for s in stages if not s[1]]
    if not open_stages:
        gaps = ", ".join(f"{label} gap {gap:.2%}" for label, _, gap, _ in stages)
        verdict = f"optimal ({gaps})"
    else:
        verdict = "; ".join(
            f"not proven, gap {gap:.2%} (asked {requested:.2%}) in the {label}"
            for label, _, gap, requested in open_stages
        )
    return {
        "proven": not open_stages,
        "verdict": verdict,
        "requested_gap": final[3] if final else float("nan"),
        "gap_basis": GAP_BASIS,
        "bound_is": (
            "a lower bound on the full-year dispatch cost of this design (sizes fixed),"
            " not on the best design"
            if design
            else "a lower bound on the full-year cost of any design"
        ),
        "constant_cost_eur_per_year": attrs.get("constant_cost_eur_per_year"),
        "mip_start_eur_per_year": attrs.get("mip_start_eur_per_year"),
    }

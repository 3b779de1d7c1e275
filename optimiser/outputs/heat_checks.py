"""What a heat-network engineer checks first, as sentences: the N-1 margin and the ATES
permit balance of a result (for the CLI and the report alike)."""

from __future__ import annotations

MARGIN_PREFIX = "security.margin_without_"


def heat_check_lines(summary: dict) -> list[str]:
    """Security of supply and the ATES balance as one sentence each (none without)."""
    lines = []
    sizes = summary.get("sizes", {})
    margins = {
        label.removeprefix(MARGIN_PREFIX).removesuffix("_module_kw"): size["value"]
        for label, size in sizes.items()
        if label.startswith(MARGIN_PREFIX)
    }
    if "security.design_peak_kw" in sizes and margins:
        unit, margin = min(margins.items(), key=lambda item: item[1])
        peak = sizes["security.design_peak_kw"]["value"]
        without = "nothing" if unit == "none" else f"one {unit.replace('_', ' ')} module"
        lines.append(
            f"security of supply (N-1): design peak {peak:,.0f} kW at the design outdoor"
            f" temperature; without {without} the rest and the backup cover it with"
            f" {margin:,.0f} kW to spare"
        )
    ates = summary.get("ates_balance")
    if ates and ates["injected_mwh"] > 0:
        verdict = "within" if ates["within_permit"] else "OUTSIDE"
        cold, heat = ates["permit_cold_surplus_fraction"], ates["permit_heat_surplus_fraction"]
        band = (
            "the balance the model holds exactly (stricter than the permit, which allows a"
            " cold surplus)"
            if cold == heat == 0
            else f"the permit's band ({-cold:+.0%} to {heat:+.0%})"
        )
        lines.append(
            f"ATES balance: {ates['injected_mwh']:,.0f} MWh injected, "
            f"{ates['extracted_mwh']:,.0f} MWh extracted ({ates['aquifer_heat_mwh']:,.0f} MWh of"
            f" it the aquifer's own heat); net heat added {ates['imbalance_fraction']:+.1%} of"
            f" the injected, {verdict} {band}"
        )
    return lines

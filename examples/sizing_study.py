"""An engineer's sizing study: design the default neighbourhood, then see how the design
and its cost move with the network supply temperature.

    python examples/sizing_study.py [MODEL]

Prints the design and the annual cost for 70, 60 and 55 °C supply (lower temperatures
raise the heat-pump COP but need building upgrades in the model's cost).
"""

from __future__ import annotations

import sys

from optimiser.inputs.scenario import Scenario, load_scenario
from optimiser.workflows.run import optimise
from optimiser.workflows.runner import scenario_data


def with_supply_temperature(scenario: Scenario, supply_c: float) -> Scenario:
    """The scenario with another network supply temperature (outdoor reset kept below it)."""
    data = scenario_data(scenario)
    data["network"]["supply_temperature_c"] = supply_c
    mild = data["network"]["supply_temperature_mild_c"]
    if mild is not None:
        data["network"]["supply_temperature_mild_c"] = min(mild, supply_c)
    return Scenario.model_validate(data)


def main(model: str | None = None) -> None:
    base = load_scenario(model)
    print(f"{'supply °C':>9} {'EUR/year':>12} {'EUR/GJ':>7}  design")
    for supply in (70.0, 60.0, 55.0):
        _, summary = optimise(with_supply_temperature(base, supply))
        sizes = ", ".join(
            f"{label} {size['value']:,.0f} {size['unit']}"
            for label, size in summary["sizes"].items()
            if size["value"] > 1e-6 and not label.endswith("capacity_kw")
        )
        print(
            f"{supply:9.0f} {summary['total_cost_eur_per_year']:12,.0f}"
            f" {summary['levelised_cost_of_heat_eur_per_gj']:7.2f}  {sizes}"
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)

"""The heat network's cost items: the catalogue ``data/heat_network_costs.yaml`` and the
``network.costs`` section that overrides its prices.

The items (distribution mains, house connections, delivery sets, work in the buildings,
energy centre, grid connection fee, project development, contingency, staff, metering
and billing, insurance) become cost lines of the model (see
:mod:`optimiser.model.network_costs`). Catalogue money is brought to the scenario's price
year with the CBS index; a price set here is taken to be in that year already.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from pydantic import Field

from optimiser.inputs.base import StrictModel
from optimiser.inputs.catalogue import DATA_DIR, in_price_year

COSTS_FILE = DATA_DIR / "heat_network_costs.yaml"


def _values(node: dict[str, Any], price_year: int) -> Any:
    """Entry values of a (nested) catalogue node, money in euros of ``price_year``."""
    if "value" in node:
        return in_price_year(node, price_year)
    return {key: _values(child, price_year) for key, child in node.items()}


@cache
def network_cost_catalogue(price_year: int) -> dict[str, Any]:
    """The heat-network cost items in euros of ``price_year`` (values only)."""
    raw = yaml.safe_load(COSTS_FILE.read_text(encoding="utf-8"))
    return {key: _values(node, price_year) for key, node in raw.items()}


class NetworkCosts(StrictModel):
    """Prices that replace the catalogue's (EUR of the scenario's price year; None = the
    catalogue's, indexed). Quantities come from the demand and the design: connections,
    home equivalents, trench length, peak heat, the grid connection's capacity."""

    mains_eur_per_m: float | None = Field(default=None, ge=0)
    house_connection_eur: float | None = Field(default=None, ge=0)
    delivery_set_eur_per_home_equivalent: float | None = Field(default=None, ge=0)
    building_works_eur_per_home_equivalent: float | None = Field(default=None, ge=0)
    energy_centre_eur: float | None = Field(default=None, ge=0)
    grid_connection_eur: float | None = Field(default=None, ge=0)
    project_development_eur_per_home_equivalent: float | None = Field(default=None, ge=0)
    contingency_fraction: float | None = Field(default=None, ge=0, le=1)
    staff_eur_per_year: float | None = Field(default=None, ge=0)
    metering_billing_eur_per_meter_year: float | None = Field(default=None, ge=0)
    insurance_fraction_per_year: float | None = Field(default=None, ge=0, le=0.2)

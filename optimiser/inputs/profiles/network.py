"""Hourly network heat loss and pumping electricity from the network's temperatures.

Loss of buried pre-insulated pipes (EN 13941): ``q = U' x (T_mean - T_ground)`` per
trench metre, with ``T_mean`` the mean of supply and return temperature. Twin pipes
lose 15-40 W per trench metre at operating temperatures (EN 15698; e.g.
vicus-software.com, "Heat loss calculation according to DIN EN 13941"); the default
``U' = 0.4 W/(m K)`` gives 18 W/m at 70/40 °C in 10 °C ground (unconfirmed
engineering figure, see :class:`~optimiser.inputs.network.Network`).
"""

from __future__ import annotations

import numpy as np

from optimiser.constants import HOURS_PER_YEAR
from optimiser.inputs.network import Network
from optimiser.inputs.network_costs import network_cost_catalogue
from optimiser.inputs.scenario import Scenario


def trench_length_m(scenario: Scenario) -> float:
    """The network's trench length (m): ``network.trench_length_m``, or the sum over
    consumer groups of connections x metres of trench per connection by building density
    (``data/heat_network_costs.yaml``). One length serves the pipe costs and the loss."""
    if scenario.network.trench_length_m is not None:
        return scenario.network.trench_length_m
    per = network_cost_catalogue(scenario.finance.price_year)["trench_m_per_connection"]
    return sum(g.n_connections * per[g.building_kind] for g in scenario.demand.groups)


def network_heat_loss_kw(
    network: Network, supply_c: np.ndarray, length_m: float, heat_kw: np.ndarray
) -> np.ndarray:
    """Heat lost by the pipes per hour (kW).

    ``supply_c`` is the hourly supply temperature (°C), ``length_m`` the trench length
    (m, :func:`trench_length_m`), ``heat_kw`` the hourly heat
    delivered to the consumers (used only for a fixed ``heat_loss_fraction``, which
    spreads ``fraction / (1 - fraction)`` of the annual delivery evenly over the year).
    """
    supply_c = np.asarray(supply_c, dtype=float)
    if network.heat_loss_fraction is not None:
        f = network.heat_loss_fraction
        return np.full(supply_c.shape, f / (1.0 - f) * float(np.sum(heat_kw)) / HOURS_PER_YEAR)
    mean_c = (supply_c + network.return_temperature_c) / 2.0
    excess_k = np.maximum(mean_c - network.ground_temperature_c, 0.0)
    return length_m * network.loss_w_per_m_k * excess_k / 1000.0


def network_pumping_kw(network: Network, heat_kw: np.ndarray, loss_kw: np.ndarray) -> np.ndarray:
    """Circulation-pump electricity per hour (kW) for the heat sent into the network."""
    return network.pumping_kwh_per_kwh * (np.asarray(heat_kw) + np.asarray(loss_kw))

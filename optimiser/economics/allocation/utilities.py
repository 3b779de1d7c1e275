"""The public water utilities in the cost game: what a coalition's water tasks change for
the utilities among its members (EUR/year), from that coalition's own solve.

Read from the solve's per-role accounts (``summary["water_accounting"]``, see
:func:`optimiser.economics.levies.levy_accounts`); which of them enter c(S) and why is
defined in :mod:`optimiser.economics.allocation.cost`. In short, per role, for a member
utility (positive: a gain of the coalition):

- ``water_board``: its avoided central treatment of the pollution units the coalition's
  plant keeps local (``avoided_treatment_eur``), less the grey water's share of it
  (``avoided_treatment_grey_water_eur``), whose reused m3 the optimisation already
  credits at the sewer price;
- ``drinking_water_company``: its margin (avoided production cost less the tariff) on
  the drinking water the coalition's local treatment replaces
  (``net_change_treated_water_eur``, negative: a loss);
- ``municipality``: nothing beyond the sewer levy it transfers, and a transfer is a
  payment inside the coalition.

The levies a utility transfers (``levy_transferred``) are reported, not counted.
"""

from __future__ import annotations

from collections.abc import Mapping

from optimiser.inputs.scenario import Scenario

ROLES = ("water_board", "municipality", "drinking_water_company")
"""The utility roles a party may hold (``Party.utility``)."""


def utility_gains(accounts: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Per role, what a member utility gains from the coalition's water tasks beyond
    what C(S) holds (EUR/year, +: gain); 0 for roles the accounts do not cover."""
    board = accounts.get("water_board", {})
    company = accounts.get("drinking_water_company", {})
    return {
        "water_board": board.get("avoided_treatment_eur", 0.0)
        - board.get("avoided_treatment_grey_water_eur", 0.0),
        "municipality": 0.0,
        "drinking_water_company": company.get("net_change_treated_water_eur", 0.0),
    }


def levy_transferred(accounts: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Per role, the levy it passes to the cooperative (EUR/year, positive): a payment
    inside any coalition it belongs to, so it is reported but never in c(S)."""
    board = accounts.get("water_board", {})
    municipality = accounts.get("municipality", {})
    return {
        "water_board": 0.0 - board.get("treatment_levy_transferred_eur", 0.0),
        "municipality": 0.0 - municipality.get("sewer_levy_transferred_eur", 0.0),
        "drinking_water_company": 0.0,
    }


def utility_roles(scenario: Scenario) -> dict[str, str]:
    """The parties that hold a utility role: party name -> role."""
    return {p.name: p.utility for p in scenario.parties if p.utility is not None}


def members_gain_eur(
    members: tuple[str, ...], roles: Mapping[str, str], accounts: Mapping
) -> float:
    """U(S): the member utilities' gains from S's water tasks (EUR/year)."""
    gains = utility_gains(accounts)
    return sum(gains[roles[m]] for m in members if m in roles)


def utility_entries(
    roles: Mapping[str, str], accounts: Mapping, allocated: Mapping[str, Mapping[str, float]]
) -> dict[str, dict]:
    """Per utility party, from the grand coalition's accounts: its role, the gain counted
    in c(N), the levy it transfers, and per rule what it settles with the cooperative
    (its allocation plus the gain it keeps on its own books; the levy transfer counts
    towards it) (EUR/year)."""
    gains, moved = utility_gains(accounts), levy_transferred(accounts)
    entries = {}
    for party, role in roles.items():
        gain = gains[role]
        entries[party] = {
            "utility": role,
            "utility_gain_eur_per_year": gain,
            "levy_transferred_eur_per_year": moved[role],
            "settled_with_cooperative": {
                rule: x[party] + gain for rule, x in allocated.items() if party in x
            },
        }
    return entries

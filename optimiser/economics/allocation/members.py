"""What the rules need to know about the parties: roles in the game, weights, shares.

Built from a scenario's parties for :func:`optimiser.economics.allocation.allocate.allocate`
(a game given as JSON has none of this, and gets only the rules that need nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from optimiser.economics.allocation.cost import Support, support
from optimiser.inputs.scenario import Scenario
from optimiser.model.system import loop_sources


@dataclass(frozen=True)
class Stakes:
    """Per party, in the game's player order: ownership shares (or None), member counts
    (or None), groups (the party's ``kind``, or its own name), support brought."""

    shares: list[float] | None
    members: list[int] | None
    groups: list[str]
    support: list[Support]


def stakes(scenario: Scenario) -> Stakes:
    """The parties' shares, member counts, groups and support."""
    parties = scenario.parties
    shares = [p.share for p in parties]
    members = [p.members for p in parties]
    return Stakes(
        shares=None if any(s is None for s in shares) else [float(s or 0.0) for s in shares],
        members=None if any(m is None for m in members) else [int(m or 0) for m in members],
        groups=[p.kind or p.name for p in parties],
        support=[support(scenario, p) for p in parties],
    )


def party_roles(scenario: Scenario) -> list[str]:
    """Each party's role for the monotone bound of constraint generation: ``demand``
    (brings demand or boilers only: its joining never lowers c), ``resource`` (assets,
    support of positive value (a subsidy, grants, a loan below the market rate), a
    reserved stake or the water board's avoided treatment, a gain, only: its joining
    never raises c) or ``mixed`` (also the drinking-water company, whose margin
    on the water reused may be a gain or a loss), as is the owner of what feeds the heat
    pump's source loop: without it a coalition's heat pump takes air, which may be
    cheaper (:func:`optimiser.model.system.loop_sources`). With a grant sized per
    connection, a party that brings demand brings a share of that grant too: mixed."""
    feeds_loop = loop_sources(scenario)
    sized = any(g.per_connection for p in scenario.parties for g in p.grants)
    roles = []
    for party in scenario.parties:
        brings = support(scenario, party).total_eur_per_year  # subsidy, grants, loans
        serves = bool(party.demands or party.boilers)
        demand = serves or brings < 0 or bool(feeds_loop & set(party.assets))  # < 0: a dear loan
        resource = bool(party.assets) or brings > 0 or party.utility == "water_board"
        resource = resource or (sized and serves)  # it brings its share of those grants
        mixed = (demand and resource) or party.utility == "drinking_water_company"
        roles.append("mixed" if mixed else "demand" if demand else "resource")
    return roles

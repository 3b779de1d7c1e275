"""The rules that need the parties' stakes, and the per-party view of an allocation.

Rules: the weighted Shapley value with the ownership shares and with the member counts
as weights, equal vote per group (:mod:`optimiser.economics.allocation.weighted`), and
``shares``: each party pays its stand-alone cost less its share of the residual, the
yearly saving of the grand coalition (sum of stand-alone costs - c(N)) that the
cooperative's result distributes to its shares (a reserved stake's part goes to the
stake, e.g. a fund for future generations).

Per party: stand-alone cost, share and share of the residual, the support it brings
(subsidy, soft-loan advantage) and its connection contributions (EUR/year), and per
rule the allocated cost, the saving against stand-alone and the allocation plus the
support (what the party bears if the support is its own money).
"""

from __future__ import annotations

import numpy as np

from optimiser.economics.allocation.game import Game
from optimiser.economics.allocation.members import Stakes
from optimiser.economics.allocation.weighted import equal_vote_per_group, weighted_shapley

COUNTED_IN_GAME = (
    "subsidy_eur_per_year",
    "loan_advantage_eur_per_year",
    "utility_gain_eur_per_year",
)
"""Per-party amounts (EUR/year) that lower c(S) of every coalition the party is in: its
support B_i and a member utility's avoided cost U_i (see
:mod:`optimiser.economics.allocation.cost`)."""

PAID_INSIDE = ("levy_transferred_eur_per_year", "contributions_eur_per_year")
"""Per-party amounts (EUR/year) members pay their cooperative: inside the game, they do
not change c(S) and are reported as already paid."""


def amount_label(key: str) -> str:
    """A per-party amount's key in words: ``loan_advantage_eur_per_year`` -> "loan
    advantage"."""
    return key.removesuffix("_eur_per_year").replace("_", " ")


def residual_eur(game: Game) -> float:
    """The grand coalition's yearly saving against everyone's alternatives (EUR/year)."""
    return float(game.stand_alone().sum() - game.cost[game.grand])


def stake_rules(game: Game, stakes: Stakes, notes: list[str]) -> dict[str, np.ndarray]:
    """The rules the parties' stakes allow; why one is left out goes to ``notes``."""
    rules: dict[str, np.ndarray] = {}
    if stakes.shares is not None:
        shares = np.asarray(stakes.shares)
        rules["shares"] = game.stand_alone() - shares * residual_eur(game)
        try:
            rules["weighted_shapley_shares"] = weighted_shapley(game, shares)
        except ValueError as error:
            notes.append(f"weighted_shapley_shares: {error}")
    if stakes.members is not None:
        rules["weighted_shapley_members"] = weighted_shapley(game, stakes.members)
    if len(set(stakes.groups)) < game.n:
        rules["equal_vote_per_group"] = equal_vote_per_group(game, stakes.groups)
    return rules


def party_table(result: dict, stakes: Stakes | None) -> dict[str, dict]:
    """Per party: stand-alone, share, support and per rule allocated, savings and
    allocated + support (EUR/year), from an ``allocation.json`` object."""
    table = {}
    residual = result["residual_eur_per_year"]
    for i, party in enumerate(result["players"]):
        alone = result["stand_alone"][party]
        allocated = {rule: x[party] for rule, x in result["rules"].items()}
        entry: dict = {"stand_alone": alone, "allocated": allocated}
        entry["savings"] = {rule: alone - x for rule, x in allocated.items()}
        if stakes is not None:
            given = stakes.support[i]
            share = None if stakes.shares is None else stakes.shares[i]
            entry.update(
                {
                    "share": share,
                    "share_of_residual": None if share is None else share * residual,
                    "subsidy_eur_per_year": given.subsidy_eur_per_year,
                    "loan_advantage_eur_per_year": given.loan_advantage_eur_per_year,
                    "contributions_eur_per_year": given.contributions_eur_per_year,
                    "net_of_support": {
                        rule: x + given.total_eur_per_year for rule, x in allocated.items()
                    },
                }
            )
        entry["in_core"] = {rule: result["core"][rule]["in_core"] for rule in allocated}
        table[party] = entry
    return table

"""Checks on the parties' stakes: what each party brings, reserved stakes, public control.

A party must have a stake in the cooperative: demand it brings, assets it owns, boilers
it would save (a landlord), money it brings (subsidy, equity, loans, connection
contributions), or a reserved stake (a share held for others, e.g. future generations,
with no demand and no asset), or a public water utility's role (``utility``: the
water tasks it leaves to the cooperative). ``min_public_share`` (a fraction of the shares, 0.5 is
common for Dutch heat companies) is checked against the shares of the parties marked
``public``. Each check raises a one-line :class:`ValueError` naming the party and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence

from optimiser.inputs.parties import Party


def brings_money(party: Party) -> bool:
    """Whether the party finances the cooperative (subsidy, grants, equity, loans,
    contributions)."""
    return bool(
        party.subsidy_eur
        or party.grants
        or party.equity_eur
        or party.loans
        or party.connection_contributions_eur
    )


def check_stake(party: Party) -> None:
    """The party has a stake, and a reserved stake owns nothing."""
    owned = party.demands + party.assets + party.boilers
    if party.reserved_stake:
        if owned:
            raise ValueError(
                f"party {party.name!r} is a reserved stake and owns {owned[0]!r}: a reserved"
                " stake holds a share only; give it to another party"
            )
        if party.utility:
            raise ValueError(
                f"party {party.name!r} is a reserved stake and the {party.utility}: a reserved"
                " stake holds a share only; give the utility role to its own party"
            )
        if not party.share:
            raise ValueError(
                f"party {party.name!r} is a reserved stake without a share: give it a share"
            )
        return
    if owned or brings_money(party) or party.utility:
        return
    if party.share:
        raise ValueError(
            f"party {party.name!r} has a share but no stake: give it demands, assets,"
            " boilers, money (subsidy_eur, grants, equity_eur, loans) or reserved_stake: true"
        )
    raise ValueError(
        f"party {party.name!r} has no stake: give it demands, assets, boilers or money"
        " (subsidy_eur, grants, equity_eur, loans)"
    )


def check_boilers(parties: Sequence[Party], consumer_groups: set[str]) -> None:
    """Boilers name consumer groups, each owned by at most one party."""
    seen: dict[str, str] = {}
    for party in parties:
        for group in party.boilers:
            if group not in consumer_groups:
                raise ValueError(
                    f"party {party.name!r}: boilers of unknown consumer group {group!r};"
                    f" known: {', '.join(sorted(consumer_groups))}"
                )
            if group in seen:
                raise ValueError(
                    f"the boilers of {group!r} belong to both {seen[group]!r} and {party.name!r}"
                )
            seen[group] = party.name


def check_utilities(parties: Sequence[Party], has_water: bool) -> None:
    """Each utility role is held by at most one party, and only in a model with water."""
    seen: dict[str, str] = {}
    for party in parties:
        role = party.utility
        if role is None:
            continue
        if not has_water:
            raise ValueError(
                f"party {party.name!r} is the {role} but the model has no water section:"
                " add water (and prices.water) or remove utility"
            )
        if role in seen:
            raise ValueError(
                f"parties {seen[role]!r} and {party.name!r} are both the {role}: give the"
                " role to one party"
            )
        seen[role] = party.name


def check_public_share(parties: Sequence[Party], min_public_share: float | None) -> None:
    """Parties marked ``public`` hold at least ``min_public_share`` of the shares."""
    if min_public_share is None:
        return
    if any(p.share is None for p in parties):
        raise ValueError("min_public_share needs a share for every party")
    public = sum(p.share or 0.0 for p in parties if p.public)
    if public < min_public_share - 1e-9:
        raise ValueError(
            f"public parties hold {public:.1%} of the shares, below min_public_share"
            f" {min_public_share:.1%}: raise their shares or mark public bodies public: true"
        )

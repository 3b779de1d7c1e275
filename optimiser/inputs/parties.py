"""The cooperative's shareholders and its finance: parties, loans, discount rate."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from optimiser.inputs.base import StrictModel


class Loan(StrictModel):
    """A loan: amount (EUR), real interest rate per year, term (years), annuity payments."""

    amount_eur: float = Field(ge=0)
    rate: float = Field(ge=0, le=0.3)
    years: int = Field(ge=1, le=100)


class Party(StrictModel):
    """A shareholder of the cooperative: the demands it brings and the assets it owns.

    ``demands`` names consumer groups (households or businesses) and the factory
    (``water.factory.name``); ``assets`` names technologies under ``technologies`` that
    only coalitions with this party may use (the water board's TEO). Technologies no
    party owns belong to the cooperative and every coalition may build them.
    Subsidies, connection contributions, equity and loans finance the cooperative;
    ``share`` is the party's ownership share (all parties' shares sum to 1, or none
    are given). ``heat_fee_eur_per_gj`` is what the cooperative pays the owner per GJ
    its assets deliver (the water board's TEO fee), for the owner's business case.
    """

    name: str = Field(min_length=1)
    demands: list[str] = Field(default_factory=list)
    assets: list[str] = Field(default_factory=list)
    subsidy_eur: float = Field(default=0.0, ge=0)
    connection_contributions_eur: float = Field(default=0.0, ge=0)
    equity_eur: float = Field(default=0.0, ge=0)
    loans: list[Loan] = Field(default_factory=list)
    share: float | None = Field(default=None, ge=0, le=1)
    heat_fee_eur_per_gj: float | None = Field(default=None, ge=0)
    # Members and stakes (checked in optimiser.inputs.stakes). ``kind``: who the party is
    # (tenants, owner-occupiers, businesses are members; a landlord or housing corporation;
    # a public body; a reserved stake), parties of one kind form one group for the
    # equal-vote-per-group rule. ``members``: how many members it stands for (a weight of
    # the weighted Shapley value). ``public``: a public body (``min_public_share``).
    # ``reserved_stake``: a share held for others (future generations), no demand or
    # asset. ``boilers``: consumer groups whose heating installations the party owns and
    # maintains (a landlord: it saves them, and those dwellings connect only with it).
    # ``market_rate``: what its money earns in the market, against which its loans'
    # interest advantage is counted (default: the finance discount rate).
    kind: (
        Literal["tenants", "owner_occupiers", "businesses", "landlord", "public", "reserved"] | None
    ) = None
    members: int | None = Field(default=None, ge=1)
    public: bool = False
    reserved_stake: bool = False
    boilers: list[str] = Field(default_factory=list)
    market_rate: float | None = Field(default=None, ge=0, le=0.3)


class Finance(StrictModel):
    """Discount rate (real, per year) used for the capital annuities."""

    discount_rate: float = Field(default=0.04, ge=0, le=0.3)

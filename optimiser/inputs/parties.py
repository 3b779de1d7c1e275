"""The cooperative's shareholders and its finance: parties, grants, loans, equity, the
project's timeline and the lender's covenant.

Years in this section are project years: year 0 is the first development year, then
``development_years`` of development and ``construction_years`` of construction; the
network delivers heat from year ``development_years + construction_years`` for
``network.lifetime_years`` years. Amounts are EUR (real, the scenario's price year).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from optimiser.inputs.base import StrictModel
from optimiser.inputs.price_index import DEFAULT_PRICE_YEAR, check_price_year


class Tranche(StrictModel):
    """One payment of a grant: ``amount_eur`` received in project year ``year``."""

    year: int = Field(ge=0)
    amount_eur: float = Field(ge=0)


class Repayment(StrictModel):
    """How a pre-financing grant is paid back: equal instalments over ``years`` years,
    the first in project year ``start_year``."""

    start_year: int = Field(ge=0)
    years: int = Field(default=1, ge=1, le=100)


class Grant(StrictModel):
    """A grant (subsidy) paid in tranches; with ``repay`` it is pre-financing that the
    cooperative must pay back (e.g. a development-phase advance). ``source`` cites it.

    ``per_connection``: the grant is sized on the connections served (the national WIS
    pays per connection; a neighbourhood grant sized on its homes): the tranches are
    what the whole model's connections get, and in the cost game a coalition's
    cooperative gets its share of the connections. Without it the grant is a lump sum
    that any coalition with its party gets in full."""

    name: str = Field(min_length=1)
    tranches: list[Tranche] = Field(min_length=1)
    repay: Repayment | None = None
    source: str = ""
    per_connection: bool = False

    @property
    def amount_eur(self) -> float:
        """The grant's total (EUR): the sum of its tranches."""
        return sum(t.amount_eur for t in self.tranches)


class Loan(StrictModel):
    """A loan: ``amount_eur`` drawn in project year ``year``; real interest ``rate`` per
    year; ``years`` of term of which the first ``grace_years`` pay interest only, the
    rest equal annuities. ``lender`` and ``source`` name and cite it."""

    amount_eur: float = Field(ge=0)
    rate: float = Field(ge=0, le=0.3)
    years: int = Field(ge=1, le=100)
    grace_years: int = Field(default=0, ge=0)
    year: int = Field(default=0, ge=0)
    lender: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _grace_within_term(self) -> Loan:
        if self.grace_years >= self.years:
            raise ValueError(
                f"grace_years ({self.grace_years}) must be shorter than the loan's term"
                f" ({self.years} years)"
            )
        return self


class Party(StrictModel):
    """A shareholder of the cooperative: the demands it brings and the assets it owns.

    ``demands`` names consumer groups (households or businesses) and the factory
    (``water.factory.name``); ``assets`` names technologies under ``technologies`` that
    only coalitions with this party may use (the water board's TEO). Technologies no
    party owns belong to the cooperative and every coalition may build them.
    Subsidies (``subsidy_eur`` in year 0, or ``grants`` in tranches), connection
    contributions (paid as the party's connections come online), equity (in year 0,
    earning at most ``equity_return`` a year, repaid at the end) and loans finance the
    cooperative; ``share`` is the party's ownership share (all parties' shares sum to
    1, or none are given). ``heat_fee_eur_per_gj`` is what the cooperative pays the
    owner per GJ its assets deliver (the water board's TEO fee), for the owner's case.
    ``utility``: the public water utility the party is (``water_board``,
    ``municipality`` or ``drinking_water_company``; at most one party per role). In a
    coalition with it, what the coalition's water tasks change for that utility (its
    avoided treatment, its lost margin on drinking water) counts in the coalition's cost
    and the levy it transfers is a payment inside the coalition (see
    :mod:`optimiser.economics.allocation.cost`); it needs a ``water`` section. A utility
    may also bring demands (the municipality's school, the water board's office).
    """

    name: str = Field(min_length=1)
    demands: list[str] = Field(default_factory=list)
    assets: list[str] = Field(default_factory=list)
    subsidy_eur: float = Field(default=0.0, ge=0)
    grants: list[Grant] = Field(default_factory=list)
    connection_contributions_eur: float = Field(default=0.0, ge=0)
    equity_eur: float = Field(default=0.0, ge=0)
    equity_return: float = Field(default=0.0, ge=0, le=1)
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
    utility: Literal["water_board", "municipality", "drinking_water_company"] | None = None


class SocialTariff(StrictModel):
    """A lower heat tariff for named consumer ``types``: ``factor_of_cap`` times the ACM
    cap. ``paid_by`` is ``members`` (the other types' tariff rises to keep the revenue)
    or the name of a party or financier that pays the difference each year."""

    types: list[str] = Field(min_length=1)
    factor_of_cap: float = Field(ge=0, le=1)
    paid_by: str = "members"


class Finance(StrictModel):
    """Discount rate, price year, timeline, outside financiers and the lender's covenant.

    ``discount_rate`` (real, per year) is used for the capital annuities and the NPV.
    ``price_year``: the year whose euros every money figure of the run is in. Catalogue
    costs are brought to it with the CBS price index (``data/price_index.yaml``); money
    figures written in the model file are taken to be in it already.
    ``development_years`` and ``construction_years`` come before operation; the first
    investment is spent ``development_capex_fraction`` evenly over the development
    years and the rest evenly over the construction years. ``ramp_up`` gives the share
    of connections online in the first operating years (then all). ``grants`` and
    ``loans`` come from financiers that are not shareholders (a national subsidy, a
    municipal loan). ``reserve_eur`` is how much grants, contributions, equity and loans
    together may exceed the cooperative's first investment (a start-up reserve); more
    is an error. ``min_dscr`` is the lender's covenant: cash from operations at least
    this many times the debt service in every year with debt service.
    ``max_equity_return`` caps what members' equity may earn a year.
    ``contract_years`` and ``contribution_rate`` (default: the discount rate) spread a
    household's one-off connection contribution over its heat contract (Niet Meer Dan
    Nu: a 15-year contract at KetelhuisWG).
    """

    discount_rate: float = Field(default=0.04, ge=0, le=0.3)
    price_year: int = DEFAULT_PRICE_YEAR
    min_dscr: float = Field(default=1.2, ge=0, le=10)
    development_years: int = Field(default=0, ge=0, le=20)
    construction_years: int = Field(default=1, ge=1, le=20)
    development_capex_fraction: float = Field(default=0.0, ge=0, le=1)
    ramp_up: list[float] = Field(default_factory=list)
    grants: list[Grant] = Field(default_factory=list)
    loans: list[Loan] = Field(default_factory=list)
    reserve_eur: float = Field(default=0.0, ge=0)
    max_equity_return: float = Field(default=0.05, ge=0, le=1)
    contract_years: int = Field(default=15, ge=1, le=100)
    contribution_rate: float | None = Field(default=None, ge=0, le=0.3)
    social_tariff: SocialTariff | None = None

    @field_validator("price_year")
    @classmethod
    def _in_index(cls, year: int) -> int:
        return check_price_year(year)

    @model_validator(mode="after")
    def _timeline_consistent(self) -> Finance:
        if self.development_capex_fraction > 0 and self.development_years == 0:
            raise ValueError(
                "development_capex_fraction needs development_years > 0 to spend it in"
            )
        if any(not 0 < s <= 1 for s in self.ramp_up):
            raise ValueError("ramp_up: each share of connections online must be in (0, 1]")
        if any(b < a for a, b in zip(self.ramp_up, self.ramp_up[1:], strict=False)):
            raise ValueError("ramp_up: the share of connections online may not fall")
        return self

    @property
    def first_operating_year(self) -> int:
        """Project year in which the network first delivers heat."""
        return self.development_years + self.construction_years

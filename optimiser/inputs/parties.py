"""The cooperative's shareholders and its finance: parties, loans, discount rate."""

from __future__ import annotations

from pydantic import Field, field_validator

from optimiser.inputs.base import StrictModel
from optimiser.inputs.price_index import DEFAULT_PRICE_YEAR, check_price_year


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


class Finance(StrictModel):
    """Discount rate (real, per year) used for the capital annuities, and the price year.

    ``price_year``: the year whose euros every money figure of the run is in. Catalogue
    costs are brought to it with the CBS price index (``data/price_index.yaml``); money
    figures written in the model file are taken to be in it already.
    """

    discount_rate: float = Field(default=0.04, ge=0, le=0.3)
    price_year: int = DEFAULT_PRICE_YEAR

    @field_validator("price_year")
    @classmethod
    def _in_index(cls, year: int) -> int:
        return check_price_year(year)

"""How the cooperative is financed over the project years: grants in tranches (some to
be repaid), connection contributions as connections come online, members' equity with
a capped return, loans with a grace period; and the check that the financing does not
exceed what is invested.

Project year 0 is the first development year; heat flows from
``finance.first_operating_year`` (see :mod:`optimiser.inputs.parties`). Pure functions
of the scenario (and the investment): EUR per project year, real terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimiser.economics.finance import loan_schedule
from optimiser.errors import InputError
from optimiser.inputs.finance_checks import last_project_year
from optimiser.inputs.parties import Grant, Loan
from optimiser.inputs.scenario import Scenario

FUNDING_COLUMNS = [
    "grants", "contributions", "equity", "loans", "grant_repayment", "interest", "principal",
    "dividends", "equity_redemption", "loan_balance",
]  # fmt: skip
"""The columns of :func:`funding_table` (EUR per project year; balance at year end)."""


def project_years(scenario: Scenario) -> pd.Index:
    """Project years 0..last as the index of every cash-flow table."""
    return pd.Index(np.arange(last_project_year(scenario) + 1), name="year")


def connected_share(scenario: Scenario) -> np.ndarray:
    """Share of the connections online in each project year: 0 before operation, then
    ``finance.ramp_up`` year by year, then 1."""
    finance = scenario.finance
    share = np.zeros(len(project_years(scenario)))
    first = finance.first_operating_year
    share[first:] = 1.0
    for k, value in enumerate(finance.ramp_up):
        if first + k < len(share):
            share[first + k] = value
    return share


def capex_weights(scenario: Scenario) -> np.ndarray:
    """How the first investment is spread over the years before operation (sums to 1):
    ``development_capex_fraction`` evenly over the development years, the rest evenly
    over the construction years."""
    finance = scenario.finance
    dev, build = finance.development_years, finance.construction_years
    weights = np.zeros(finance.first_operating_year)
    if dev:
        weights[:dev] = finance.development_capex_fraction / dev
    weights[dev:] = (1.0 - finance.development_capex_fraction) / build
    return weights


@dataclass(frozen=True)
class Source:
    """One source of financing: who gives it, what kind, how much (EUR)."""

    provider: str
    kind: str
    amount_eur: float


def financing_sources(scenario: Scenario) -> list[Source]:
    """Every grant, contribution, equity stake and loan, by provider."""
    sources: list[Source] = []

    def grants_and_loans(provider: str, grants: list[Grant], loans: list[Loan]) -> None:
        sources.extend(Source(g.name or provider, "grant", g.amount_eur) for g in grants)
        sources.extend(Source(loan.lender or provider, "loan", loan.amount_eur) for loan in loans)

    grants_and_loans("finance", scenario.finance.grants, scenario.finance.loans)
    for party in scenario.parties:
        if party.subsidy_eur:
            sources.append(Source(party.name, "grant", party.subsidy_eur))
        if party.connection_contributions_eur:
            sources.append(Source(party.name, "contributions", party.connection_contributions_eur))
        if party.equity_eur:
            sources.append(Source(party.name, "equity", party.equity_eur))
        grants_and_loans(party.name, party.grants, party.loans)
    return sources


def check_financing(scenario: Scenario, investment_eur: float) -> None:
    """Raise :class:`InputError` (one line, naming each source and the amounts) when
    grants, contributions, equity and loans together exceed the cooperative's first
    investment by more than ``finance.reserve_eur``: the surplus would silently lower
    the tariff."""
    sources = financing_sources(scenario)
    total = sum(s.amount_eur for s in sources)
    reserve = scenario.finance.reserve_eur
    if total <= investment_eur + reserve + 1e-6:
        return
    listed = ", ".join(f"{s.provider} {s.kind} EUR {s.amount_eur:,.0f}" for s in sources)
    raise InputError(
        f"financing EUR {total:,.0f} ({listed}) exceeds the cooperative's investment"
        f" EUR {investment_eur:,.0f} by EUR {total - investment_eur:,.0f}, more than the"
        f" reserve EUR {reserve:,.0f}",
        field="finance.reserve_eur",
        fix="lower the grants, contributions, equity or loans, or state a larger reserve",
    )


def _add_grant(table: pd.DataFrame, grant: Grant) -> None:
    for tranche in grant.tranches:
        table.loc[tranche.year, "grants"] += tranche.amount_eur
    if grant.repay is not None:
        years = range(grant.repay.start_year, grant.repay.start_year + grant.repay.years)
        for year in years:
            table.loc[year, "grant_repayment"] += grant.amount_eur / grant.repay.years


def _add_loan(table: pd.DataFrame, loan: Loan) -> None:
    schedule = loan_schedule(loan.amount_eur, loan.rate, loan.years, grace_years=loan.grace_years)
    table.loc[loan.year, "loans"] += loan.amount_eur
    table.loc[loan.year, "loan_balance"] += loan.amount_eur
    last = table.index[-1]
    for offset, row in schedule.iterrows():
        year = loan.year + int(offset)
        if year > last:  # the rest is repaid at the horizon
            table.loc[last, "principal"] += row["opening"]
            table.loc[last, "loan_balance"] -= row["opening"]
            break
        table.loc[year, "interest"] += row["interest"]
        table.loc[year, "principal"] += row["principal"]
        table.loc[year, "loan_balance"] -= row["principal"]


def funding_table(scenario: Scenario) -> pd.DataFrame:
    """The financing's flows per project year (EUR; see :data:`FUNDING_COLUMNS`).

    Party subsidies (``subsidy_eur``) and equity arrive in year 0; contributions arrive
    as the party's connections come online (the share newly online at the start of an
    operating year, paid at the end of the year before); equity earns its
    ``equity_return`` each operating year and is redeemed in the last year;
    ``loan_balance`` is the loans' outstanding balance at each year's end.
    """
    years = project_years(scenario)
    table = pd.DataFrame(0.0, index=years, columns=FUNDING_COLUMNS)
    for grant in scenario.finance.grants:
        _add_grant(table, grant)
    for loan in scenario.finance.loans:
        _add_loan(table, loan)
    share = connected_share(scenario)
    newly = np.diff(np.r_[0.0, share])
    first = scenario.finance.first_operating_year
    operating = years >= first
    for party in scenario.parties:
        table.loc[0, "grants"] += party.subsidy_eur
        for grant in party.grants:
            _add_grant(table, grant)
        for loan in party.loans:
            _add_loan(table, loan)
        for year in np.flatnonzero(newly > 0):
            table.loc[year - 1, "contributions"] += party.connection_contributions_eur * newly[year]
        table.loc[0, "equity"] += party.equity_eur
        table.loc[operating, "dividends"] += party.equity_eur * party.equity_return
        table.loc[years[-1], "equity_redemption"] += party.equity_eur
    table["loan_balance"] = table["loan_balance"].cumsum()
    return table

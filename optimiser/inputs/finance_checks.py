"""Checks of the finance that need the whole scenario: every payment within the horizon,
equity returns within the cap, the social tariff's types and payer known.

Run by :class:`optimiser.inputs.scenario.Scenario`'s validation, so a bad model file
fails at load time with one line naming the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optimiser.inputs.parties import Grant, Loan

if TYPE_CHECKING:
    from optimiser.inputs.scenario import Scenario


def last_project_year(scenario: Scenario) -> int:
    """The last project year: development, construction, then the network's life."""
    return scenario.finance.first_operating_year + round(scenario.network.lifetime_years) - 1


def _check_grant(grant: Grant, where: str, last: int) -> None:
    for i, tranche in enumerate(grant.tranches):
        if tranche.year > last:
            raise ValueError(
                f"{where}.tranches[{i}].year: tranche of grant {grant.name!r} in year"
                f" {tranche.year} is after the horizon (last project year {last}); move it"
                " earlier"
            )
    if grant.repay is not None and grant.repay.start_year + grant.repay.years - 1 > last:
        raise ValueError(
            f"{where}.repay: grant {grant.name!r} is repaid until year"
            f" {grant.repay.start_year + grant.repay.years - 1}, after the horizon (last"
            f" project year {last}); repay it sooner"
        )


def _check_loan(loan: Loan, where: str, last: int) -> None:
    if loan.year > last:
        raise ValueError(
            f"{where}.year: loan drawn in year {loan.year}, after the horizon (last project"
            f" year {last})"
        )


def check_finance(scenario: Scenario) -> None:
    """Raise ValueError (one line naming the field) for finance the horizon cannot hold."""
    finance = scenario.finance
    last = last_project_year(scenario)
    for i, grant in enumerate(finance.grants):
        _check_grant(grant, f"finance.grants[{i}]", last)
    for i, loan in enumerate(finance.loans):
        _check_loan(loan, f"finance.loans[{i}]", last)
    for p, party in enumerate(scenario.parties):
        for i, grant in enumerate(party.grants):
            _check_grant(grant, f"parties[{p}].grants[{i}]", last)
        for i, loan in enumerate(party.loans):
            _check_loan(loan, f"parties[{p}].loans[{i}]", last)
        if party.equity_return > finance.max_equity_return + 1e-12:
            raise ValueError(
                f"parties[{p}].equity_return: {party.name!r} asks {party.equity_return:.1%} a"
                f" year on its equity, above finance.max_equity_return"
                f" {finance.max_equity_return:.1%}; lower it or raise the cap"
            )
    social = finance.social_tariff
    if social is not None:
        households = {g.name for g in scenario.demand.households}
        unknown = [t for t in social.types if t not in households]
        if unknown:
            raise ValueError(
                f"finance.social_tariff.types: {', '.join(unknown)} not a household type;"
                f" known: {', '.join(sorted(households))}"
            )
        payers = {"members", *(p.name for p in scenario.parties)}
        if social.paid_by not in payers:
            raise ValueError(
                f"finance.social_tariff.paid_by: {social.paid_by!r} is not 'members' or a"
                f" party; known: {', '.join(sorted(payers))}"
            )

"""The cost of a coalition, c(S): the one definition every allocation rule works on.

For a coalition S of parties (EUR/year, excl. VAT, real terms):

    c(S) = min( C(S) - B(S) - U(S),  A(S) )

- ``C(S)``: the optimised yearly system cost of the cooperative that serves only S:
  S's demands (a consumer group whose ``boilers`` a landlord owns joins only when both
  its own party and the landlord are in S), built from the technologies no party owns
  plus those S's members own. A heat pump on the source loop whose only source is
  owned outside S (the water board's TEO) takes outdoor air in S's design, at the
  catalogue's air-source capex, and the ATES nothing charges is left out: an air-source
  heat pump needs no party's asset. Capital at the finance discount rate over each asset's
  life, O&M, energy. An owned asset's costs (the water board's TEO, its O&M included)
  are in C(S) once; the heat fee the cooperative pays its owner is a payment inside S
  and is not added. Infinite when no design can serve S.
- ``B(S)``: the support S's members bring from outside the game, per year: each
  subsidy (``subsidy_eur``, and each of the party's ``grants`` at its present value in
  project year 0, less a pre-financing grant's repayments) as an annuity at the
  discount rate over the network's life, and each soft
  loan's interest advantage: the loan's payments at the lender's ``market_rate``
  (default: the discount rate) less those at its own rate, as their present value
  at the discount rate over the network's life. A subsidy a member obtains (e.g. a
  national grant the municipality secures) or lends below market is money S would
  not have without that member, so the rules credit the member with it. A grant with
  ``per_connection`` (sized on the connections served, as the WIS) counts in
  proportion to the share of the model's connections S's cooperative serves; the
  others count in full in every S with their party. A party
  that pays the support from its own budget bears its allocation plus its support:
  both are reported (``support`` and ``net_of_support`` in ``allocation.json``).
  Connection contributions are paid by S's own members to S's cooperative: inside S,
  so they do not change c(S); they are reported per party as already paid.
- ``U(S)``: what S's cooperative's water tasks change for the public water utilities
  among S's members (parties with a ``utility`` role), per year, from S's own solve
  (the pollution units S's plant keeps local and the water it reuses depend on S's
  design; :mod:`optimiser.economics.allocation.utilities`). Term by term against C(S):

  * a levy a member utility transfers to S's cooperative (the water board's treatment
    levy, the municipality's sewer levy) is a payment inside S: it cancels and is not
    counted; a utility outside S is not part of S's agreement and transfers nothing to
    S's cooperative. So transfers never enter c(S); they are reported per party
    (``levy_transferred_eur_per_year``) as paid towards its allocation. The homes'
    levies are paid in every alternative alike and do not enter either.
  * a member water board's avoided central treatment of the pollution units S's plant
    keeps local (EUR per unit, the variable cost) is a real gain of S. C(S) prices the
    sewer per m3 (``sewer_eur_per_m3``, the central treatment as a system cost) and
    not the load; only the grey water S treats and reuses is already credited there,
    at the sewer price for each m3 no longer discharged, so the units of its load
    kept local are left out to count that water's treatment once. Without the water
    board in S its avoided cost is not S's.
  * a member drinking-water company loses the tariff on the drinking water S's local
    treatment replaces and saves its production cost: C(S) already saves the tariff,
    so S with the company counts its margin (production cost - tariff) on that water,
    a loss when the tariff exceeds the production cost. The flush water vacuum toilets
    save is not counted: the homes have them in every alternative (the stand-alone
    costs price the homes' water with them), so no coalition changes it.
  * the levy the cooperative's process-water plant pays on its concentrate is the
    water board's charge for treating it, which C(S) already holds at the sewer price
    per m3: inside S with the water board, and counted once (in C(S)) without it. The
    process-water route's avoided central treatment (m3 reused x sewer price) is in
    C(S) too.
  * the municipality has no avoided cost in the accounts (its sewer levy transfer
    only), so its role adds nothing to c(S).

  S's design minimises C(S); U(S) is priced on that design, not optimised with it, so
  c(S) is what S gets from its cost-optimal design (an upper bound when another design
  would gain the utilities more).
- ``A(S)``: the sum of the members' stand-alone costs
  (:mod:`optimiser.economics.allocation.stand_alone`): households and businesses keep
  their gas boilers (a landlord pays the fixed heating costs of the dwellings whose
  boilers it owns, its tenants the gas), a party that only owns assets or only
  finances keeps its money at its market return (the reference: 0), a reserved stake
  has no cost. A coalition whose cooperative is dearer than its members' alternatives,
  or cannot serve them, keeps the alternatives.

Worked example (discount rate 4 %, network life 40 years, annuity factor 0.0505):
homes alone pay 100 k, shops 50 k, the municipality (no demand) 0 and brings a
EUR 1 M subsidy: B = 1 M x 0.0505 = 50.5 k/year. The cooperative of the homes costs
C = 90 k, of the shops 55 k, of both 130 k. Then c(homes) = min(90, 100) = 90,
c(shops) = min(55, 50) = 50, c(homes, shops) = 130, c(homes, municipality) =
min(90 - 50.5, 100) = 39.5, c(shops, municipality) = min(55 - 50.5, 50) = 4.5,
c(all) = 130 - 50.5 = 79.5 and c(municipality) = 0 (no demand, no cooperative).

Extended with a water board (the ``water_board`` utility, no demand, alone 0) to which
the homes' plant keeps 1,000 pollution units from the central plant at EUR 23.5 each
(23.5 k/year when the homes are served, in every coalition with the homes) and which
transfers 150 k/year of treatment levy to the cooperative; the shops send nothing to it.
The transfer is inside every coalition with the water board and never counts. Then
c(water board) = 0, c(homes, water board) = min(90 - 23.5, 100) = 66.5,
c(shops, water board) = 50 (the shops' cooperative keeps no units, and at 55 it is dearer
than their alternative), c(homes, shops, water board) = 130 - 23.5 = 106.5,
c(homes, municipality, water board) = 90 - 50.5 - 23.5 = 16,
c(shops, municipality, water board) = 4.5 and c(all four) = 130 - 50.5 - 23.5 = 56.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimiser.annuity import annuity_factor
from optimiser.inputs.parties import Grant, Party
from optimiser.inputs.scenario import Scenario


@dataclass(frozen=True)
class Support:
    """What a party brings from outside the game, per year (EUR/year): the amounts for
    all the model's connections; ``per_connection_eur_per_year`` is the part of the
    subsidy sized on the connections served (grants with ``per_connection``)."""

    subsidy_eur_per_year: float
    loan_advantage_eur_per_year: float
    contributions_eur_per_year: float
    per_connection_eur_per_year: float = 0.0

    @property
    def total_eur_per_year(self) -> float:
        """B_i with every connection served (the grand coalition)."""
        return self.subsidy_eur_per_year + self.loan_advantage_eur_per_year

    def serving(self, share: float) -> float:
        """B_i in a coalition whose cooperative serves ``share`` of the connections."""
        return self.total_eur_per_year - (1.0 - share) * self.per_connection_eur_per_year


def support(scenario: Scenario, party: Party) -> Support:
    """The party's subsidy and soft-loan advantage as yearly amounts (see module doc),
    and its connection contributions annualised the same way (for the report only)."""
    rate = scenario.finance.discount_rate
    life = scenario.network.lifetime_years
    per_year = annuity_factor(rate, life)
    market = scenario.finance.discount_rate if party.market_rate is None else party.market_rate
    advantage = sum(
        loan.amount_eur
        * (annuity_factor(market, loan.years) - annuity_factor(loan.rate, loan.years))
        / annuity_factor(rate, loan.years)
        * per_year
        for loan in party.loans
    )
    grants = sum(grant_value_eur(grant, rate) for grant in party.grants)
    sized = sum(grant_value_eur(grant, rate) for grant in party.grants if grant.per_connection)
    return Support(
        subsidy_eur_per_year=(party.subsidy_eur + grants) * per_year,
        loan_advantage_eur_per_year=advantage,
        contributions_eur_per_year=party.connection_contributions_eur * per_year,
        per_connection_eur_per_year=sized * per_year,
    )


def grant_value_eur(grant: Grant, rate: float) -> float:
    """A grant's present value in project year 0 (EUR): its tranches discounted from the
    years they are paid, less the discounted repayments of a pre-financing grant (equal
    instalments from ``repay.start_year``)."""
    received = sum(t.amount_eur / (1 + rate) ** t.year for t in grant.tranches)
    if grant.repay is None:
        return received
    instalment = grant.amount_eur / grant.repay.years
    start = grant.repay.start_year
    repaid = sum(instalment / (1 + rate) ** (start + k) for k in range(grant.repay.years))
    return received - repaid


def coalition_cost(
    cooperative_eur: float, support_eur: float, stand_alone_eur: float, utility_eur: float = 0.0
) -> float:
    """c(S) = min(C(S) - B(S) - U(S), A(S)); C(S) infinite when no cooperative serves S."""
    return min(cooperative_eur - support_eur - utility_eur, stand_alone_eur)

"""The heat tariff that brings the cooperative's revenue, and what each consumer type
pays with it compared with gas today: Niet Meer Dan Nu (NMDN) as a household sees it,
and the regulated maximum (NMDA, ACM).

The tariff has the shape of the ACM maximum: a standing charge, a meter rent and a
price per GJ, each the cap's times one factor. A household's yearly cost with the
cooperative is that tariff plus VAT (``prices.vat_rate``) plus its one-off connection
contribution spread over the heat contract (``finance.contract_years`` at
``finance.contribution_rate``, an annuity); today it pays gas (supply and energy tax)
and the fixed costs of gas heating (standing charges, boiler replacement and
maintenance: ACM's NMDA reference), plus VAT. Businesses deduct VAT: their bills
exclude it. A contribution is taken as paid (no VAT added). NMDN holds when no
household type pays more than today. An optional social tariff bills named types at a
lower factor; the difference is paid by the other members or by a named party.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from optimiser.annuity import annuity_factor
from optimiser.constants import GAS_M3_PER_GJ_HEAT, KWH_PER_GJ
from optimiser.inputs.scenario import ConsumerGroup, Scenario


@dataclass(frozen=True)
class TypeBill:
    """One consumer type's yearly cost per connection (EUR/year), as it sees it: VAT
    included for households, the contribution as a yearly annuity, and the change the
    cooperative brings to its electricity bill (``electricity_change_eur``, excl. VAT;
    negative when the cooperative's roof PV behind its meter saves it money)."""

    name: str
    connections: int
    is_household: bool
    heat_gj: float
    factor: float
    vat_rate: float
    gas_eur: float
    gas_fixed_eur: float
    heat_fixed_eur: float
    heat_meter_eur: float
    heat_energy_eur: float
    contribution_eur: float
    contribution_eur_per_year: float
    cap_heat_eur: float
    electricity_change_eur: float = 0.0

    @property
    def now_eur(self) -> float:
        """Today with gas: gas, fixed costs of gas heating, VAT (EUR/year)."""
        return (self.gas_eur + self.gas_fixed_eur) * (1 + self.vat_rate)

    @property
    def cooperative_eur(self) -> float:
        """With the cooperative: heat tariff and the electricity bill's change, VAT, and
        the contribution annuity (EUR/year)."""
        heat = self.heat_fixed_eur + self.heat_meter_eur + self.heat_energy_eur
        return (heat + self.electricity_change_eur) * (
            1 + self.vat_rate
        ) + self.contribution_eur_per_year

    @property
    def cap_eur(self) -> float:
        """At the ACM maximum, VAT and contribution annuity included (EUR/year)."""
        return self.cap_heat_eur * (1 + self.vat_rate) + self.contribution_eur_per_year

    @property
    def difference_eur(self) -> float:
        """Cooperative minus today (negative: the type pays less)."""
        return self.cooperative_eur - self.now_eur

    @property
    def largest_factor(self) -> float:
        """The largest factor of the cap at which this type pays no more than today
        (negative: even free heat cannot make up for the contribution)."""
        electricity = self.electricity_change_eur * (1 + self.vat_rate)
        return (self.now_eur - self.contribution_eur_per_year - electricity) / (
            self.cap_heat_eur * (1 + self.vat_rate)
        )


@dataclass(frozen=True)
class TariffTest:
    """The tariff that brings the required revenue, and its verdicts."""

    required_revenue_eur: float
    factor: float
    fixed_eur_per_year: float
    meter_eur_per_year: float
    eur_per_gj: float
    bills: list[TypeBill]
    social: dict | None = None

    @property
    def largest_nmdn_factor(self) -> float:
        """The largest factor of the cap (for the types without a social tariff) at which
        no household type pays more than today."""
        social = set((self.social or {}).get("types", []))
        return min(
            (b.largest_factor for b in self.bills if b.is_household and b.name not in social),
            default=float("inf"),
        )

    @property
    def losers(self) -> list[TypeBill]:
        """Household types that would pay more than today."""
        return [b for b in self.bills if b.is_household and b.difference_eur > 1e-9]

    @property
    def nmdn_holds(self) -> bool:
        """No household type pays more than with gas today."""
        return not self.losers

    @property
    def within_cap(self) -> bool:
        """The tariff is at or below the regulated maximum."""
        return self.factor <= 1.0 + 1e-12


def gas_bill_eur(scenario: Scenario, group: ConsumerGroup) -> float:
    """One connection's yearly cost of heating with gas today, excl. VAT: gas (ACM's
    32.68 m3 per GJ of heat) at supply price and energy tax, plus the fixed costs of gas
    heating."""
    gas = scenario.prices.gas
    if gas is None:
        raise ValueError("the tariff test needs prices.gas (today's gas bill)")
    m3 = group.heat_kwh_per_connection / KWH_PER_GJ * GAS_M3_PER_GJ_HEAT
    return m3 * (gas.supply_eur_per_m3 + gas.energy_tax_eur_per_m3) + gas.fixed_heating_eur_per_year


def contribution_per_connection(scenario: Scenario) -> dict[str, float]:
    """Each consumer type's one-off connection contribution per connection (EUR): its
    party's contributions over the party's connections."""
    count = {g.name: g.count for g in scenario.demand.groups}
    fees: dict[str, float] = {}
    for party in scenario.parties:
        connections = sum(count.get(d, 0) for d in party.demands)
        if party.connection_contributions_eur > 0 and connections > 0:
            for demand in party.demands:
                if demand in count:
                    fees[demand] = party.connection_contributions_eur / connections
    return fees


def metered_connections(group: ConsumerGroup) -> float:
    """Heat connections (each with its delivery set and meter) per user of a group: the
    fixed charge and meter rent are paid per connection, at least once per user (each
    home in an apartment block has its own, though the block has one house connection;
    a business user with 50 connections pays 50)."""
    return max(1.0, group.n_connections / group.count) if group.count else 1.0


def heat_tariff(
    scenario: Scenario,
    required_revenue_eur: float,
    electricity_change: Mapping[str, float] | None = None,
) -> TariffTest:
    """The tariff (the ACM cap times one factor) that brings ``required_revenue_eur`` a
    year (excl. VAT) from all connected consumers, and each type's bill.

    ``electricity_change`` (EUR/year per connection excl. VAT, by type) is what the
    cooperative changes in a type's electricity bill: the cost of roof PV is in the
    required revenue, so its savings behind the homes' meters belong in their bill too.

    With ``finance.social_tariff`` its types pay ``factor_of_cap`` when that is lower;
    if ``members`` pay for it, the other types' factor rises to keep the revenue,
    otherwise the named party pays the difference (``social["eur_per_year"]``).
    """
    cap = scenario.prices.heat_cap
    gas = scenario.prices.gas
    if gas is None:
        raise ValueError("the tariff test needs prices.gas (today's gas bill)")
    groups = scenario.demand.groups
    heat_gj = {g.name: g.heat_kwh_per_connection / KWH_PER_GJ for g in groups}
    metered = {g.name: metered_connections(g) for g in groups}
    standing = cap.fixed_eur_per_year + cap.meter_eur_per_year
    cap_bill = {
        g.name: standing * metered[g.name] + cap.eur_per_gj * heat_gj[g.name] for g in groups
    }
    total_cap = sum(g.count * cap_bill[g.name] for g in groups)
    factor = required_revenue_eur / total_cap
    rule = scenario.finance.social_tariff
    social = None
    factors = {g.name: factor for g in groups}
    if rule is not None and rule.factor_of_cap < factor:
        social_cap = sum(g.count * cap_bill[g.name] for g in groups if g.name in rule.types)
        gap = (factor - rule.factor_of_cap) * social_cap
        if rule.paid_by == "members" and total_cap > social_cap:
            factor = (required_revenue_eur - rule.factor_of_cap * social_cap) / (
                total_cap - social_cap
            )
        factors = {g.name: rule.factor_of_cap if g.name in rule.types else factor for g in groups}
        social = {
            "types": list(rule.types),
            "factor_of_cap": rule.factor_of_cap,
            "paid_by": rule.paid_by,
            "eur_per_year": gap,
        }
    finance = scenario.finance
    spread = annuity_factor(
        finance.discount_rate if finance.contribution_rate is None else finance.contribution_rate,
        finance.contract_years,
    )
    contributions = contribution_per_connection(scenario)
    households = {g.name for g in scenario.demand.households}
    bills = []
    for g in groups:
        f = factors[g.name]
        m3 = heat_gj[g.name] * GAS_M3_PER_GJ_HEAT
        bills.append(
            TypeBill(
                name=g.name, connections=g.count, is_household=g.name in households,
                heat_gj=heat_gj[g.name], factor=f,
                vat_rate=scenario.prices.vat_rate if g.name in households else 0.0,
                gas_eur=m3 * (gas.supply_eur_per_m3 + gas.energy_tax_eur_per_m3),
                gas_fixed_eur=gas.fixed_heating_eur_per_year,
                heat_fixed_eur=f * cap.fixed_eur_per_year * metered[g.name],
                heat_meter_eur=f * cap.meter_eur_per_year * metered[g.name],
                heat_energy_eur=f * cap.eur_per_gj * heat_gj[g.name],
                contribution_eur=contributions.get(g.name, 0.0),
                contribution_eur_per_year=contributions.get(g.name, 0.0) * spread,
                cap_heat_eur=cap_bill[g.name],
                electricity_change_eur=(electricity_change or {}).get(g.name, 0.0),
            )
        )  # fmt: skip
    return TariffTest(
        required_revenue_eur=required_revenue_eur,
        factor=factor,
        fixed_eur_per_year=factor * cap.fixed_eur_per_year,
        meter_eur_per_year=factor * cap.meter_eur_per_year,
        eur_per_gj=factor * cap.eur_per_gj,
        bills=bills,
        social=social,
    )

"""The heat tariff that covers the cooperative's cost of heat, tested per household type
against what it pays now with gas (Niet Meer Dan Nu, NMDN) and against the regulated
maximum (NMDA, ACM).

The tariff has the shape of the ACM maximum: a fixed part per connection and a price
per GJ, both the cap's times one factor. It must bring the revenue that lets the
cooperative pay its costs, fees and loans (see :mod:`optimiser.economics.cooperative`). NMDN
holds when no household type pays more than today; the largest factor that keeps it is
the smallest ratio of today's bill to the cap's bill.
All amounts exclude VAT (EUR/year unless said otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from optimiser.constants import GAS_M3_PER_GJ_HEAT, KWH_PER_GJ
from optimiser.inputs.scenario import ConsumerGroup, Scenario


@dataclass(frozen=True)
class TypeBill:
    """One consumer type's yearly heat bill per connection: today, capped, cooperative."""

    name: str
    connections: int
    is_household: bool
    heat_gj: float
    now_eur: float
    cap_eur: float
    cooperative_eur: float

    @property
    def difference_eur(self) -> float:
        """Cooperative minus today (negative: the type pays less)."""
        return self.cooperative_eur - self.now_eur


@dataclass(frozen=True)
class TariffTest:
    """The cost-covering tariff and its verdicts."""

    required_revenue_eur: float
    factor: float
    largest_nmdn_factor: float
    fixed_eur_per_year: float
    eur_per_gj: float
    bills: list[TypeBill]

    @property
    def nmdn_holds(self) -> bool:
        """No household type pays more than with gas today."""
        return self.factor <= self.largest_nmdn_factor + 1e-12

    @property
    def within_cap(self) -> bool:
        """The tariff is at or below the regulated maximum."""
        return self.factor <= 1.0 + 1e-12

    @property
    def losers(self) -> list[TypeBill]:
        """Household types that would pay more than today."""
        return [b for b in self.bills if b.is_household and b.difference_eur > 1e-9]


def gas_bill_eur(scenario: Scenario, group: ConsumerGroup) -> float:
    """One connection's yearly cost of heating with gas today: gas (ACM's 32.68 m3 per GJ
    of heat) at supply price and energy tax, plus the fixed costs of gas heating."""
    gas = scenario.prices.gas
    if gas is None:
        raise ValueError("the tariff test needs prices.gas (today's gas bill)")
    m3 = group.heat_kwh_per_connection / KWH_PER_GJ * GAS_M3_PER_GJ_HEAT
    return m3 * (gas.supply_eur_per_m3 + gas.energy_tax_eur_per_m3) + gas.fixed_heating_eur_per_year


def heat_tariff(scenario: Scenario, required_revenue_eur: float) -> TariffTest:
    """The tariff (the ACM cap times one factor) that brings ``required_revenue_eur`` a
    year from all connected consumers, and its NMDN/NMDA verdicts per consumer type.

    The revenue comes from :func:`optimiser.economics.cooperative.required_revenue`: what makes
    the cooperative's cash flows, loans and grants included, break even.
    """
    cap = scenario.prices.heat_cap
    groups = scenario.demand.groups
    heat_gj = {g.name: g.heat_kwh_per_connection / KWH_PER_GJ for g in groups}
    cap_revenue = sum(
        g.count * (cap.fixed_eur_per_year + cap.eur_per_gj * heat_gj[g.name]) for g in groups
    )
    factor = required_revenue_eur / cap_revenue
    households = {g.name for g in scenario.demand.households}
    bills = []
    for g in groups:
        cap_bill = cap.fixed_eur_per_year + cap.eur_per_gj * heat_gj[g.name]
        bills.append(
            TypeBill(
                g.name, g.count, g.name in households, heat_gj[g.name],
                gas_bill_eur(scenario, g), cap_bill, factor * cap_bill,
            )
        )  # fmt: skip
    ratios = [b.now_eur / b.cap_eur for b in bills if b.is_household]
    return TariffTest(
        required_revenue_eur=required_revenue_eur,
        factor=factor,
        largest_nmdn_factor=min(ratios, default=float("inf")),
        fixed_eur_per_year=factor * cap.fixed_eur_per_year,
        eur_per_gj=factor * cap.eur_per_gj,
        bills=bills,
    )

"""Who uses heat, electricity and water: consumer groups of homes and businesses."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from optimiser.inputs.base import InputFile, StrictModel

BDEW_HEAT_PROFILES = (
    "EFH", "MFH", "GMK", "GHA", "GKO", "GBD", "GGA", "GBH", "GGB", "GPD", "GMF", "GWA", "GHD",
)  # fmt: skip
"""BDEW/SigLinDe standard heat load profiles in demandlib (EFH single-, MFH multi-family)."""

BDEW_ELECTRICITY_PROFILES = ("h0", "g0", "g1", "g2", "g3", "g4", "g5", "g6", "l0", "l1", "l2")
"""BDEW standard electricity load profiles in demandlib (h0 households, g* trade, l* farms)."""


BUILDING_KINDS = ("apartment", "ground_level", "non_residential")
"""How a group's buildings are reached by the network: apartment buildings (several homes
behind one house connection, work on risers inside), ground-level homes (one connection
each) and non-residential buildings."""


class ConsumerGroup(StrictModel):
    """``count`` identical users (homes of one type, or businesses) and their use.

    The network's costs count two things besides users: ``connections``, the house
    connections (building entries) the network is dug to, and ``home_equivalents``, the
    size of what is connected in homes (delivery sets, development, metering scale with
    it). For households both default to ``count`` (a home is one home equivalent; give
    ``connections`` = number of buildings for apartments behind shared entries). For
    businesses both are required (see :class:`BusinessGroup`). ``building`` says how the
    buildings are reached (:data:`BUILDING_KINDS`); default: ``apartment`` for the
    multi-family profile ``MFH``, else ``ground_level`` (households) or
    ``non_residential`` (businesses).

    Heat is given per connection either as delivered heat (``annual_heat_kwh``) or as
    today's gas use (``annual_gas_m3``, converted with ACM's 32.68 m3 per GJ of heat).
    The hourly shape comes from a BDEW standard profile and the weather, or from a CSV.
    Drinking water (only with a ``water`` section): ``annual_water_m3`` per connection,
    or for households ``persons`` per home (default ``water.persons_per_home``) times
    ``water.litres_per_person_day``. ``annual_cooling_kwh`` per connection is cooling
    bought from the ATES cold well (spread over the hours above 21 °C).
    """

    name: str = Field(min_length=1)
    count: int = Field(ge=0)
    annual_heat_kwh: float | None = Field(default=None, ge=0)
    annual_gas_m3: float | None = Field(default=None, ge=0)
    annual_electricity_kwh: float = Field(default=0.0, ge=0)
    heat_profile: Literal[BDEW_HEAT_PROFILES] = "EFH"  # type: ignore[valid-type]
    electricity_profile: Literal[BDEW_ELECTRICITY_PROFILES] = "h0"  # type: ignore[valid-type]
    heat_profile_file: InputFile | None = None
    electricity_profile_file: InputFile | None = None
    annual_cooling_kwh: float = Field(default=0.0, ge=0)
    persons: float | None = Field(default=None, ge=0, le=100)
    annual_water_m3: float | None = Field(default=None, ge=0)
    connections: int | None = Field(default=None, ge=0)
    home_equivalents: float | None = Field(default=None, ge=0)
    building: Literal[BUILDING_KINDS] | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _one_heat_figure(self) -> ConsumerGroup:
        if (self.annual_heat_kwh is None) == (self.annual_gas_m3 is None):
            raise ValueError("give exactly one of annual_heat_kwh and annual_gas_m3")
        return self

    @property
    def heat_kwh_per_connection(self) -> float:
        """Delivered heat per connection and year (kWh)."""
        from optimiser.constants import GAS_M3_PER_GJ_HEAT, KWH_PER_GJ

        if self.annual_heat_kwh is not None:
            return self.annual_heat_kwh
        return self.annual_gas_m3 / GAS_M3_PER_GJ_HEAT * KWH_PER_GJ  # type: ignore[operator]

    @property
    def n_connections(self) -> int:
        """House connections of the group (``connections``, else one per user)."""
        return self.count if self.connections is None else self.connections

    @property
    def n_home_equivalents(self) -> float:
        """Home equivalents of the group (``home_equivalents``, else one per user)."""
        return float(self.count if self.home_equivalents is None else self.home_equivalents)

    @property
    def building_kind(self) -> str:
        """How the group's buildings are reached (see :data:`BUILDING_KINDS`)."""
        if self.building is not None:
            return self.building
        return "apartment" if self.heat_profile == "MFH" else "ground_level"


class BusinessGroup(ConsumerGroup):
    """Businesses: ``connections`` and ``home_equivalents`` must be given.

    A business of 500 home equivalents is not one connection, and neither figure follows
    from the number of businesses. Home equivalents are usually the business's heat
    demand (or connected capacity) over a home's, e.g. 465,000 m3 of gas / 930 m3 per
    apartment = 500.
    """

    connections: int = Field(ge=0)  # type: ignore[assignment]
    home_equivalents: float = Field(ge=0)  # type: ignore[assignment]

    @property
    def building_kind(self) -> str:
        """``non_residential`` unless ``building`` says otherwise."""
        return self.building or "non_residential"


class Demand(StrictModel):
    """Households (by type) and businesses connected to the cooperative."""

    households: list[ConsumerGroup] = Field(default_factory=list)
    businesses: list[BusinessGroup] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> Demand:
        names = [g.name for g in self.groups]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"consumer names must be unique; repeated: {', '.join(doubles)}")
        if not names:
            raise ValueError("no households or businesses: add at least one consumer group")
        if sum(g.count for g in self.groups) == 0:
            raise ValueError(
                "every consumer group has count 0: nothing to supply; give a count above 0"
            )
        return self

    @property
    def groups(self) -> list[ConsumerGroup]:
        """All consumer groups, households first."""
        return [*self.households, *self.businesses]

    @property
    def buys_cooling(self) -> bool:
        """Whether any group buys cooling from the ATES cold well."""
        return any(g.annual_cooling_kwh > 0 for g in self.groups)

    @property
    def homes(self) -> int:
        """Number of homes."""
        return sum(g.count for g in self.households)

    @property
    def connections(self) -> int:
        """House connections of all groups."""
        return sum(g.n_connections for g in self.groups)

    @property
    def home_equivalents(self) -> float:
        """Home equivalents of all groups."""
        return sum(g.n_home_equivalents for g in self.groups)

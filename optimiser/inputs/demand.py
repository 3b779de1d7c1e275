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


class ConsumerGroup(StrictModel):
    """``count`` identical connections (homes of one type, or a business) and their use.

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


class Demand(StrictModel):
    """Households (by type) and businesses connected to the cooperative."""

    households: list[ConsumerGroup] = Field(default_factory=list)
    businesses: list[ConsumerGroup] = Field(default_factory=list)

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
    def homes(self) -> int:
        """Number of household connections."""
        return sum(g.count for g in self.households)

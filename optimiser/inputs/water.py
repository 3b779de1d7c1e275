"""The water side: household water use, wastewater, reuse and the factory."""

from __future__ import annotations

from pydantic import Field, model_validator

from optimiser.inputs.base import InputFile, StrictModel
from optimiser.inputs.sanitation import Sanitation


class Shift(StrictModel):
    """When a factory runs: from ``start_hour`` to ``end_hour`` (local standard time) on
    ``weekdays`` (0 = Monday), outside public holidays not being modelled."""

    start_hour: int = Field(default=6, ge=0, le=23)
    end_hour: int = Field(default=22, ge=1, le=24)
    weekdays: list[int] = Field(default=[0, 1, 2, 3, 4], min_length=1)

    @model_validator(mode="after")
    def _hours_and_days(self) -> Shift:
        if self.end_hour <= self.start_hour:
            raise ValueError("end_hour must be after start_hour")
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        return self


class Factory(StrictModel):
    """A factory next to the neighbourhood: the process water it uses and its residual heat.

    Process water (``process_water_m3_per_year``) is spread evenly over the ``shift``
    hours, or shaped by ``process_water_profile_file`` (8760 rows, column ``m3_per_h``).
    Residual heat (``residual_heat_mwh_per_year`` at ``residual_heat_temperature_c``) is
    available in the same hours, or shaped by ``residual_heat_profile_file`` (column
    ``kw``). ``polishing_eur_per_m3``: what the factory spends to bring drinking water to
    process quality (softening, demineralisation), which RO permeate does not need.
    """

    name: str = Field(default="factory", min_length=1)
    process_water_m3_per_year: float = Field(ge=0)
    process_water_profile_file: InputFile | None = None
    shift: Shift = Shift()
    residual_heat_mwh_per_year: float = Field(default=0.0, ge=0)
    residual_heat_profile_file: InputFile | None = None
    residual_heat_temperature_c: float = Field(default=40.0, ge=0, le=200)
    polishing_eur_per_m3: float = Field(default=0.0, ge=0, le=20)


class Water(StrictModel):
    """Water in the neighbourhood: household use, wastewater, reuse and the factory.

    Defaults (Vewin/CBS 2021): 128.1 L per person and day, of which 30.2 L flushes
    toilets and 122.7 L reaches the sewer (a share of 0.958), 2.12 persons per home
    (CBS 2024). With ``toilet_reuse`` homes have a second pipe and flush with process
    water. ``drinking_water_for_process`` lets process water be bought as drinking water
    (the factory's way today); without it only local treatment can serve it.
    """

    litres_per_person_day: float = Field(default=128.1, gt=0, le=1000)
    persons_per_home: float = Field(default=2.12, gt=0, le=20)
    wastewater_share: float = Field(default=0.958, ge=0, le=1)
    wastewater_delay_hours: int = Field(default=1, ge=0, le=48)
    toilet_reuse: bool = False
    toilet_litres_per_person_day: float = Field(default=30.2, ge=0)
    drinking_water_for_process: bool = True
    factory: Factory | None = None
    sanitation: Sanitation | None = None

    @model_validator(mode="after")
    def _toilets_within_use(self) -> Water:
        if self.toilet_litres_per_person_day > self.litres_per_person_day:
            raise ValueError("toilet_litres_per_person_day exceeds litres_per_person_day")
        return self

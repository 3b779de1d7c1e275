"""Where the neighbourhood is: site, weather source and surface water."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from optimiser.inputs.base import InputFile, StrictModel


class Site(StrictModel):
    """Location and model year. Time runs in local standard time (no daylight saving)."""

    name: str = "wijk"
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    utc_offset_hours: int = Field(default=1, ge=-12, le=14)
    year: int = Field(ge=1990, le=2100)


class Weather(StrictModel):
    """Where the hourly weather comes from: the embedded De Bilt year or a file."""

    source: Literal["default", "epw", "pvgis_tmy", "knmi", "csv"] = "default"
    file: InputFile | None = None

    @model_validator(mode="after")
    def _file_matches_source(self) -> Weather:
        if self.source == "default" and self.file is not None:
            raise ValueError("a file is given but source is 'default'; set source to its format")
        if self.source != "default" and self.file is None:
            raise ValueError(f"source {self.source!r} needs a file")
        return self


class SurfaceWater(StrictModel):
    """Surface-water temperature: a measured series, or derived from the air temperature.

    Without a file the temperature follows the air temperature, smoothed with a
    first-order time constant, lagged and floored (see
    :func:`optimiser.inputs.profiles.surface_water.surface_water_temperature`).
    """

    file: InputFile | None = None
    time_constant_days: float = Field(default=10.0, gt=0)
    lag_days: float = Field(default=5.0, ge=0)
    floor_c: float = 0.0
    slope: float = Field(default=1.05, gt=0)
    offset_c: float = 2.5

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
    """Where the hourly weather comes from: a shipped De Bilt year or a file.

    ``default`` is a measured KNMI De Bilt year (``year``, 2011-2024; without it the
    median-winter year of :data:`~optimiser.inputs.profiles.knmi.DEFAULT_WEATHER_YEAR`);
    ``synthetic`` the shipped year built from the 1991-2020 normals. With ``knmi``,
    ``year`` picks one calendar year from a multi-year KNMI file.
    """

    source: Literal["default", "synthetic", "epw", "pvgis_tmy", "knmi", "csv"] = "default"
    file: InputFile | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)

    @model_validator(mode="after")
    def _file_matches_source(self) -> Weather:
        shipped = self.source in ("default", "synthetic")
        if shipped and self.file is not None:
            raise ValueError(
                f"a file is given but source is {self.source!r}; set source to its format"
            )
        if not shipped and self.file is None:
            raise ValueError(f"source {self.source!r} needs a file")
        if self.year is not None and self.source not in ("default", "knmi"):
            raise ValueError("year selects a KNMI year: use it with source 'default' or 'knmi'")
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

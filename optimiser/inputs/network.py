"""The district-heat network: temperatures, losses, length and costs."""

from __future__ import annotations

from pydantic import Field, model_validator

from optimiser.inputs.base import StrictModel
from optimiser.inputs.network_costs import NetworkCosts


class Network(StrictModel):
    """The district-heat network: temperatures, losses and fixed costs.

    The supply temperature feeds the heat-pump COP. With ``supply_temperature_mild_c``
    the supply follows the outdoor temperature (outdoor reset): the full
    ``supply_temperature_c`` at -10 °C and below, the mild value at 15 °C and above,
    linear in between. Its costs are the items of ``costs`` (see
    :mod:`optimiser.inputs.network_costs`); ``trench_length_m`` is the length of the
    streets dug for it (None: derived from the connections and metres per connection by
    building density). Supplying below ``reference_supply_temperature_c`` costs
    ``building_upgrade_eur_per_home_per_k`` per home and kelvin (insulation, radiators),
    written off over ``building_upgrade_lifetime_years``.
    """

    supply_temperature_c: float = Field(default=70.0, ge=25, le=120)
    supply_temperature_mild_c: float | None = Field(default=None, ge=25, le=120)
    source_temperature_c: float = Field(default=18.0, ge=-5, le=40)
    heat_loss_fraction: float = Field(default=0.1, ge=0, lt=0.6)
    trench_length_m: float | None = Field(default=None, ge=0)
    costs: NetworkCosts = NetworkCosts()
    lifetime_years: float = Field(default=40.0, gt=0)
    reference_supply_temperature_c: float = Field(default=70.0, ge=25, le=120)
    building_upgrade_eur_per_home_per_k: float = Field(default=0.0, ge=0)
    building_upgrade_lifetime_years: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _temperatures(self) -> Network:
        mild = self.supply_temperature_mild_c
        if mild is not None and mild > self.supply_temperature_c:
            raise ValueError("supply_temperature_mild_c must not exceed supply_temperature_c")
        if self.source_temperature_c >= self.supply_temperature_c:
            raise ValueError("source_temperature_c must be below supply_temperature_c")
        return self

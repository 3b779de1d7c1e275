"""The district-heat network: temperatures, losses, pumping, length, costs and the
security rule."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from optimiser.inputs.base import StrictModel
from optimiser.inputs.network_costs import NetworkCosts

HEATING_LIMIT_C = 15.0
"""Daily mean outdoor temperature above which Dutch homes need no space heat
("stookgrens", 15-18 °C; the BDEW/SigLinDe profiles flatten out above ~15 °C). A
design outdoor temperature must lie below it."""


class Network(StrictModel):
    """The district-heat network: temperatures, losses and fixed costs.

    The supply temperature feeds the heat-pump COP. With ``supply_temperature_mild_c``
    the supply follows the outdoor temperature (outdoor reset): the full
    ``supply_temperature_c`` at -10 °C and below, the mild value at 15 °C and above,
    linear in between. ``return_temperature_c`` is the network return (the heat buffer
    stores water between supply and return). The heat-pump source stream runs from
    ``source_temperature_c`` (ATES warm well) down to ``source_return_temperature_c``
    (cold well). Supplying below ``reference_supply_temperature_c`` costs
    costs: NetworkCosts = NetworkCosts()
    ``building_upgrade_eur_per_home_per_k`` per home and kelvin (insulation, radiators),
    written off over ``building_upgrade_lifetime_years``.

    Heat loss: with ``heat_loss_fraction`` a fixed share of the heat fed in (the old
    rule, kept for models that state it); without it the pipes lose
    ``loss_w_per_m_k`` x trench length x (mean of supply and return - ground) every
    hour. The trench length is ``trench_length_m`` or, when None, the number of
    connections x metres of trench per connection by building density
    (:func:`optimiser.inputs.profiles.network.trench_length_m`). Circulation pumps draw
    ``pumping_kwh_per_kwh`` of electricity per kWh of heat delivered.

    Security of supply (``n_minus_1``): with the largest heat-producing unit out, the
    other units plus the backup boiler must cover the design peak, the heat demand at
    ``design_outdoor_temperature_c`` (-10 °C: the Dutch design outdoor temperature
    for De Bilt, NEN 5060:2018 / ISSO 51) plus the network loss at that hour.
    """

    supply_temperature_c: float = Field(default=70.0, ge=25, le=120)
    supply_temperature_mild_c: float | None = Field(default=None, ge=25, le=120)
    return_temperature_c: float = Field(default=40.0, ge=10, le=100)
    source_temperature_c: float = Field(default=18.0, ge=-5, le=40)
    source_return_temperature_c: float = Field(default=8.0, ge=-5, le=40)
    heat_loss_fraction: float | None = Field(default=None, ge=0, lt=0.6)
    trench_length_m: float | None = Field(default=None, ge=0)
    loss_w_per_m_k: float = Field(default=0.4, ge=0)
    ground_temperature_c: float = Field(default=10.0, ge=-5, le=30)
    pumping_kwh_per_kwh: float = Field(default=0.01, ge=0, lt=0.2)
    n_minus_1: bool = False
    design_outdoor_temperature_c: float = Field(default=-10.0, ge=-30)
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
        if self.return_temperature_c >= (mild if mild is not None else self.supply_temperature_c):
            raise ValueError("return_temperature_c must be below the (mild) supply temperature")
        if self.source_return_temperature_c > self.source_temperature_c:
            raise ValueError(
                "source_return_temperature_c (cold well) must not exceed "
                "source_temperature_c (warm well)"
            )
        return self

    @field_validator("design_outdoor_temperature_c")
    @classmethod
    def _below_heating_limit(cls, value: float) -> float:
        if value >= HEATING_LIMIT_C:
            raise ValueError(
                f"{value:g} °C is above the heating limit {HEATING_LIMIT_C:g} °C (no space "
                "heat demand there); use the design outdoor temperature, e.g. -10"
            )
        return value

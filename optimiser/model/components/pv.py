"""Photovoltaics: kWp to build (up to the roof limit) and hourly output per kWp."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class PVParams(Params):
    """PV cost, roof limit, the PVWatts parameters that shape the output profile, and
    where it is connected: ``site: energy_centre`` feeds the energy centre's connection,
    ``site: roofs`` the homes' connections (behind their meters, carrier
    ``electricity_homes``; with Dutch tariffs only)."""

    capex_eur_per_kw: float = Field(ge=0)
    fixed_om_eur_per_kw_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    max_kwp: float = Field(ge=0)
    min_kwp: float = Field(default=0.0, ge=0)
    tilt_deg: float = Field(ge=0, le=90)
    azimuth_deg: float = Field(ge=0, lt=360)
    system_loss_fraction: float = Field(ge=0, lt=1)
    inverter_efficiency: float = Field(gt=0, le=1)
    dc_ac_ratio: float = Field(gt=0)
    gamma_pdc_per_k: float = Field(le=0, ge=-0.01)
    site: Literal["energy_centre", "roofs"] = "energy_centre"

    @property
    def carrier(self) -> str:
        """The electricity carrier (connection) the PV feeds."""
        return "electricity" if self.site == "energy_centre" else "electricity_homes"


class PV(Component):
    """AC output ``<= kWp x pv_kw_per_kwp[t]`` (curtailment allowed)."""

    key: ClassVar[str] = "pv"
    Params: ClassVar[type[Params]] = PVParams

    def supplies(self) -> set[str]:
        return {self.params.carrier}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        kwp = mb.size_var(blk, self.name, "kwp", "kWp", p.max_kwp)
        kwp.setlb(p.min_kwp)
        per_kwp = np.asarray(mb.inputs["pv_kw_per_kwp"].values, dtype=float)
        output = mb.hourly_var(blk, "output_kw", upper=per_kwp.max() * p.max_kwp)
        mb.each_step(blk, "available", [(output, 1.0), (kwp, -per_kwp)])
        mb.flow(self.name, p.carrier, output, +1.0)
        mb.invest(self.name, p.capex_eur_per_kw * kwp, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_eur_per_kw_year * kwp)

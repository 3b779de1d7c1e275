"""Anaerobic treatment (UASB) of black water, with kitchen waste, into biogas for heat.

The COD removed becomes methane, ``0.35 Nm3 CH4 per kg COD removed`` at 0 °C and
1 atm (the theoretical yield: 1 kg COD oxidises 1/64 kmol CH4 x 22.4 Nm3/kmol), burnt in
a boiler (heat into the network) or a CHP (heat and electricity); what the network cannot
take is flared. The effluent goes on as combined wastewater; the nitrogen and phosphorus
released into it become the ``nitrogen`` and ``phosphorus`` carriers (for struvite and
ammonium recovery, or the sewer), the rest stays in the sludge.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params, stream_concentration

STREAM = "black_water"


class AnaerobicDigesterParams(Params):
    """A UASB reactor sized in m3/h of black water.

    ``cod_removal``: share of the COD removed; ``methanised_share``: share of the
    removed COD that becomes methane (the rest stays in the sludge);
    ``methane_nm3_per_kg_cod``: methane per kg COD methanised (0.35 at most);
    ``methane_kwh_per_nm3``: its lower heating value. ``use``: ``boiler``
    (``boiler_efficiency`` heat) or ``chp`` (``chp_electric_efficiency`` and
    ``chp_heat_efficiency``). The reactor is kept warm
    with ``heating_kwh_per_m3`` of network heat and draws ``electricity_kwh_per_m3``.
    ``n_to_liquid`` and ``p_to_liquid``: shares of the black water's N and P released
    into the effluent (the rest stays in the sludge).
    """

    max_m3_per_h: float = Field(ge=0)
    cod_removal: float = Field(gt=0, le=1)
    methanised_share: float = Field(default=1.0, gt=0, le=1)
    methane_nm3_per_kg_cod: float = Field(default=0.35, gt=0, le=0.35)
    methane_kwh_per_nm3: float = Field(default=9.97, gt=0)
    use: Literal["boiler", "chp"] = "boiler"
    boiler_efficiency: float = Field(default=0.9, gt=0, le=1)
    chp_electric_efficiency: float = Field(default=0.33, ge=0, le=1)
    chp_heat_efficiency: float = Field(default=0.50, ge=0, le=1)
    heating_kwh_per_m3: float = Field(ge=0)
    electricity_kwh_per_m3: float = Field(ge=0)
    n_to_liquid: float = Field(ge=0, le=1)
    p_to_liquid: float = Field(ge=0, le=1)
    capex_eur_per_m3_per_h: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)


def methane_nm3_per_m3(mb: ModelBuilder, p: AnaerobicDigesterParams) -> float:
    """Methane per m3 of black water treated (Nm3/m3): COD (kg/m3) x removal x share
    methanised x yield (Nm3/kg)."""
    cod = stream_concentration(mb, STREAM, "cod")
    return cod * p.cod_removal * p.methanised_share * p.methane_nm3_per_kg_cod


class AnaerobicDigester(Component):
    """``biogas[t] = methane per m3 x LHV x inflow[t]``; ``burnt[t] <= biogas[t]``."""

    key: ClassVar[str] = "anaerobic_digester"
    Params: ClassVar[type[Params]] = AnaerobicDigesterParams

    def supplies(self) -> set[str]:
        chp = {"electricity"} if self.params.use == "chp" else set()
        return {"network_heat", "wastewater", "nitrogen", "phosphorus"} | chp

    def draws(self) -> set[str]:
        return {STREAM, "network_heat", "electricity"}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        size = mb.size_var(blk, self.name, "capacity_m3_per_h", "m3/h", p.max_m3_per_h)
        inflow = mb.hourly_var(blk, "inflow_m3_per_h", upper=p.max_m3_per_h)
        mb.each_step(blk, "max_load", [(inflow, 1.0), (size, -1.0)])
        ch4 = methane_nm3_per_m3(mb, p)
        biogas_kwh_per_m3 = ch4 * p.methane_kwh_per_nm3
        burnt = mb.hourly_var(blk, "burnt_kw")
        mb.each_step(blk, "gas_limit", [(burnt, 1.0), (inflow, -biogas_kwh_per_m3)])
        mb.report_variable(self.name, "inflow_m3_per_h", inflow, "m3/h")
        mb.report_variable(self.name, "methane_nm3_per_h", inflow, "Nm3/h", scale=ch4)
        mb.report_variable(self.name, "biogas_kw", inflow, "kW", scale=biogas_kwh_per_m3)
        mb.report_variable(self.name, "burnt_kw", burnt, "kW")
        heat_eff = p.boiler_efficiency if p.use == "boiler" else p.chp_heat_efficiency
        mb.flow(self.name, "network_heat", burnt, heat_eff)
        if p.use == "chp":
            mb.flow(self.name, "electricity", burnt, p.chp_electric_efficiency)
        if p.heating_kwh_per_m3 > 0:
            mb.flow(self.name, "network_heat", inflow, -p.heating_kwh_per_m3)
        if p.electricity_kwh_per_m3 > 0:
            mb.flow(self.name, "electricity", inflow, -p.electricity_kwh_per_m3)
        mb.flow(self.name, STREAM, inflow, -1.0)
        mb.flow(self.name, "wastewater", inflow, 1.0)
        cod = stream_concentration(mb, STREAM, "cod")
        removed = cod * p.cod_removal
        mb.report_variable(
            self.name, f"cod_converted_{STREAM}_kg_per_h", inflow, "kg/h",
            removed * p.methanised_share,
        )  # fmt: skip
        mb.report_variable(
            self.name, f"cod_sludge_{STREAM}_kg_per_h", inflow, "kg/h",
            removed * (1 - p.methanised_share),
        )  # fmt: skip
        mb.report_variable(
            self.name, f"cod_effluent_{STREAM}_kg_per_h", inflow, "kg/h", cod * (1 - p.cod_removal)
        )
        for carrier, substance, liquid in (
            ("nitrogen", "n", p.n_to_liquid),
            ("phosphorus", "p", p.p_to_liquid),
        ):
            conc = stream_concentration(mb, STREAM, substance)
            mb.flow(self.name, carrier, inflow, conc * liquid)
            mb.report_variable(
                self.name, f"{substance}_sludge_{STREAM}_kg_per_h", inflow, "kg/h",
                conc * (1 - liquid),
            )  # fmt: skip
        capex = p.capex_eur_per_m3_per_h * size
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

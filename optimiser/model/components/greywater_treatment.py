"""Grey-water treatment (aerobic MBR with disinfection) into process water.

The treated water serves process-water demands: toilet flushing (with
``water.toilet_reuse``), irrigation or a factory; the reject goes on as combined
wastewater. Grey water holds little N and P; its COD is mostly oxidised.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params, stream_concentration

STREAM = "grey_water"


class GreywaterTreatmentParams(Params):
    """Sized in m3/h of grey water; ``recovery`` of it becomes process water,
    ``cod_removal`` of its COD is oxidised, N and P leave with water and reject."""

    max_m3_per_h: float = Field(ge=0)
    recovery: float = Field(gt=0, le=1)
    cod_removal: float = Field(ge=0, le=1)
    electricity_kwh_per_m3: float = Field(ge=0)
    variable_om_eur_per_m3: float = Field(ge=0)
    capex_eur_per_m3_per_h: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)


class GreywaterTreatment(Component):
    """``process[t] = recovery x inflow[t]``, reject ``(1 - recovery) x inflow[t]`` to
    wastewater, ``inflow[t] <= capacity``."""

    key: ClassVar[str] = "greywater_treatment"
    Params: ClassVar[type[Params]] = GreywaterTreatmentParams

    def supplies(self) -> set[str]:
        return {"process_water", "wastewater"}

    def draws(self) -> set[str]:
        return {STREAM, "electricity"}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        size = mb.size_var(blk, self.name, "capacity_m3_per_h", "m3/h", p.max_m3_per_h)
        inflow = mb.hourly_var(blk, "inflow_m3_per_h", upper=p.max_m3_per_h)
        mb.each_step(blk, "max_load", [(inflow, 1.0), (size, -1.0)])
        mb.report_variable(self.name, "inflow_m3_per_h", inflow, "m3/h")
        mb.flow(self.name, STREAM, inflow, -1.0)
        mb.flow(self.name, "process_water", inflow, p.recovery)
        if p.recovery < 1:
            mb.flow(self.name, "wastewater", inflow, 1.0 - p.recovery)
        if p.electricity_kwh_per_m3 > 0:
            mb.flow(self.name, "electricity", inflow, -p.electricity_kwh_per_m3)
        cod = stream_concentration(mb, STREAM, "cod")
        mb.report_variable(
            self.name, f"cod_removed_{STREAM}_kg_per_h", inflow, "kg/h", cod * p.cod_removal
        )
        mb.report_variable(
            self.name, f"cod_effluent_{STREAM}_kg_per_h", inflow, "kg/h", cod * (1 - p.cod_removal)
        )
        for substance in ("n", "p"):
            conc = stream_concentration(mb, STREAM, substance)
            mb.report_variable(
                self.name, f"{substance}_effluent_{STREAM}_kg_per_h", inflow, "kg/h", conc
            )
        mb.cost(self.name, "variable", mb.weighted_sum(inflow, p.variable_om_eur_per_m3))
        capex = p.capex_eur_per_m3_per_h * size
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

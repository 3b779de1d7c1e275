"""Local treatment of wastewater into process water (e.g. MBR + RO), in modules."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from optimiser.model.builder import ModelBuilder
from optimiser.model.components.base import Component, Params


class WaterTreatmentParams(Params):
    """Treatment modules of ``module_m3_per_h`` inflow each.

    Of the wastewater treated, ``recovery`` becomes process water; the rest (the
    concentrate) goes to the public sewer at the sewer price. Treatment draws
    ``electricity_kwh_per_m3`` per m3 of inflow. ``nutrient_revenue_eur_per_m3`` is
    earned per m3 treated (e.g. struvite, phosphate), 0 if not recovered.
    """

    module_m3_per_h: float = Field(gt=0)
    max_modules: int = Field(ge=0)
    min_part_load: float = Field(default=0.0, ge=0, le=1)
    recovery: float = Field(gt=0, le=1)
    electricity_kwh_per_m3: float = Field(ge=0)
    capex_eur_per_module: float = Field(ge=0)
    fixed_om_fraction_per_year: float = Field(ge=0)
    variable_om_eur_per_m3: float = Field(ge=0)
    nutrient_revenue_eur_per_m3: float = Field(default=0.0, ge=0)
    lifetime_years: float = Field(gt=0)


class WaterTreatment(Component):
    """``process[t] = recovery x inflow[t]``; ``inflow[t] <= modules x module size``."""

    key: ClassVar[str] = "water_treatment"
    Params: ClassVar[type[Params]] = WaterTreatmentParams

    def supplies(self) -> set[str]:
        return {"process_water"}

    def draws(self) -> set[str]:
        return {"wastewater", "electricity"}

    def add(self, mb: ModelBuilder) -> None:
        p = self.params
        blk = mb.block(self.name)
        modules = mb.size_var(blk, self.name, "modules", "modules", p.max_modules, "integer")
        mb.record_size(self.name, "capacity_m3_per_h", p.module_m3_per_h * modules, "m3/h")
        inflow = mb.hourly_var(blk, "inflow_m3_per_h", upper=p.module_m3_per_h * p.max_modules)
        mb.modular_output(
            blk, self.name, inflow, modules, p.module_m3_per_h, p.max_modules, p.min_part_load
        )
        mb.report_variable(self.name, "inflow_m3_per_h", inflow, "m3/h")
        mb.flow(self.name, "wastewater", inflow, -1.0)
        mb.flow(self.name, "process_water", inflow, p.recovery)
        if p.electricity_kwh_per_m3 > 0:
            mb.flow(self.name, "electricity", inflow, -p.electricity_kwh_per_m3)
        sewer_price = np.asarray(mb.inputs["sewer_eur_per_m3"].values, dtype=float)
        per_m3 = (
            p.variable_om_eur_per_m3
            - p.nutrient_revenue_eur_per_m3
            + (1.0 - p.recovery) * sewer_price
        )
        mb.cost(self.name, "variable", mb.weighted_sum(inflow, per_m3))
        capex = p.capex_eur_per_module * modules
        mb.invest(self.name, capex, p.lifetime_years)
        mb.cost(self.name, "fixed_om", p.fixed_om_fraction_per_year * capex)

"""Technologies: one module per family, each a :class:`Component` that adds itself.

``TECHNOLOGIES`` maps the keys allowed under ``technologies:`` in a model file to their
component classes. A new technology is a new module and one line here.
"""

from optimiser.components.ates import ATES
from optimiser.components.backup_boiler import BackupBoiler
from optimiser.components.base import Component, Params
from optimiser.components.battery import Battery
from optimiser.components.demand import Demand
from optimiser.components.factory_heat import FactoryHeat
from optimiser.components.fixed_investment import FixedInvestment
from optimiser.components.grid import Grid
from optimiser.components.heat_buffer import HeatBuffer
from optimiser.components.heat_pump import HeatPump
from optimiser.components.process_water_tank import ProcessWaterTank
from optimiser.components.public_water import DrinkingWater, Sewer
from optimiser.components.pv import PV
from optimiser.components.teo import TEO
from optimiser.components.wastewater_heat import WastewaterHeat
from optimiser.components.water_treatment import WaterTreatment

TECHNOLOGIES: dict[str, type[Component]] = {
    cls.key: cls
    for cls in (
        Grid,
        PV,
        Battery,
        HeatPump,
        TEO,
        ATES,
        HeatBuffer,
        BackupBoiler,
        WaterTreatment,
        ProcessWaterTank,
        WastewaterHeat,
        FactoryHeat,
    )
}

__all__ = [
    "TECHNOLOGIES",
    "Component",
    "Demand",
    "DrinkingWater",
    "FixedInvestment",
    "Params",
    "Sewer",
]

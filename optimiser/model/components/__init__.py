"""Technologies: one module per family, each a :class:`Component` that adds itself.

``TECHNOLOGIES`` maps the keys allowed under ``technologies:`` in a model file to their
component classes. A new technology is a new module and one line here.
"""

from optimiser.model.components.ammonium_recovery import AmmoniumRecovery
from optimiser.model.components.anaerobic_digester import AnaerobicDigester
from optimiser.model.components.ates import ATES
from optimiser.model.components.backup_boiler import BackupBoiler
from optimiser.model.components.base import Component, Params
from optimiser.model.components.battery import Battery
from optimiser.model.components.demand import Demand
from optimiser.model.components.factory_heat import FactoryHeat
from optimiser.model.components.fixed_investment import FixedInvestment
from optimiser.model.components.greywater_heat import GreywaterHeat
from optimiser.model.components.greywater_treatment import GreywaterTreatment
from optimiser.model.components.grid import Grid
from optimiser.model.components.heat_buffer import HeatBuffer
from optimiser.model.components.heat_pump import HeatPump
from optimiser.model.components.process_water_tank import ProcessWaterTank
from optimiser.model.components.public_water import DrinkingWater, Sewer
from optimiser.model.components.pv import PV
from optimiser.model.components.separated_streams import SeparatedStreams
from optimiser.model.components.struvite import Struvite
from optimiser.model.components.teo import TEO
from optimiser.model.components.wastewater_heat import WastewaterHeat
from optimiser.model.components.water_treatment import WaterTreatment

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
        AnaerobicDigester,
        Struvite,
        AmmoniumRecovery,
        GreywaterTreatment,
        GreywaterHeat,
    )
}

__all__ = [
    "TECHNOLOGIES",
    "Component",
    "Demand",
    "DrinkingWater",
    "FixedInvestment",
    "Params",
    "SeparatedStreams",
    "Sewer",
]

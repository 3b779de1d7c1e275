"""Ammonium recovery: nitrogen stripped from the digester effluent into ammonium sulphate."""

from __future__ import annotations

from typing import ClassVar

from optimiser.model.components.base import Params
from optimiser.model.components.nutrient_recovery import NutrientRecovery, NutrientRecoveryParams

AMMONIUM_SULPHATE_KG_PER_KG_N = 132.14 / (2 * 14.007)
"""(NH4)2SO4 (132.14 g/mol) holds two N: 4.72 kg of salt per kg N."""


class AmmoniumRecoveryParams(NutrientRecoveryParams):
    """Air stripping with an acid scrubber: sulphuric acid and caustic per kg N
    (``chemicals_eur_per_kg``), fans and pumps (``electricity_kwh_per_kg``)."""


class AmmoniumRecovery(NutrientRecovery):
    """Recovers ``recovery`` of the dissolved N as ammonium sulphate."""

    key: ClassVar[str] = "ammonium_recovery"
    Params: ClassVar[type[Params]] = AmmoniumRecoveryParams
    carrier: ClassVar[str] = "nitrogen"
    substance: ClassVar[str] = "n"
    product: ClassVar[str] = "ammonium_sulphate"
    product_kg_per_kg: ClassVar[float] = AMMONIUM_SULPHATE_KG_PER_KG_N

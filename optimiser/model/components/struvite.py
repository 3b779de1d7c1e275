"""Struvite precipitation: phosphorus from the digester effluent as MgNH4PO4.6H2O."""

from __future__ import annotations

from typing import ClassVar

from optimiser.model.components.base import Params
from optimiser.model.components.nutrient_recovery import NutrientRecovery, NutrientRecoveryParams

STRUVITE_KG_PER_KG_P = 245.41 / 30.974
"""Molar mass of struvite (MgNH4PO4.6H2O, 245.41 g/mol) over that of P: 7.92 kg/kg."""

N_PER_P_IN_STRUVITE = 14.007 / 30.974
"""One N per P in struvite: 0.452 kg N bound per kg P recovered."""


class StruviteParams(NutrientRecoveryParams):
    """Struvite reactor: magnesium dosing (``chemicals_eur_per_kg`` per kg P) and mixing."""


class Struvite(NutrientRecovery):
    """Recovers ``recovery`` of the dissolved P (and the N it binds) as struvite."""

    key: ClassVar[str] = "struvite"
    Params: ClassVar[type[Params]] = StruviteParams
    carrier: ClassVar[str] = "phosphorus"
    substance: ClassVar[str] = "p"
    product: ClassVar[str] = "struvite"
    product_kg_per_kg: ClassVar[float] = STRUVITE_KG_PER_KG_P
    binds_n_per_kg: ClassVar[float] = N_PER_P_IN_STRUVITE

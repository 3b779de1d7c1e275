"""The carriers a model balances every time step, and the unit of their flows."""

from __future__ import annotations

CARRIER_UNITS = {
    "electricity": "kW",
    "electricity_homes": "kW",
    "network_heat": "kW",
    "source_heat": "kW",
    "gas": "kW",
    "drinking_water": "m3/h",
    "wastewater": "m3/h",
    "process_water": "m3/h",
    "black_water": "m3/h",
    "grey_water": "m3/h",
    "nitrogen": "kg/h",
    "phosphorus": "kg/h",
}
"""Carriers balanced every time step and the unit of their flows (one step is one hour,
so a step's flow in kW is its energy in kWh, in m3/h its volume in m3).
``electricity`` is the energy centre's connection, ``electricity_homes`` the homes' own
connections (with Dutch tariffs): they meet only through the public grid. ``wastewater``
is the combined stream; with separated sewers the homes' ``black_water`` and
``grey_water`` run apart, and ``nitrogen`` and ``phosphorus`` are the nutrients a
digester releases into its liquid, which recovery units or the sewer take."""

CARRIERS = tuple(CARRIER_UNITS)
WATER_CARRIERS = tuple(c for c, unit in CARRIER_UNITS.items() if unit == "m3/h")
NUTRIENT_CARRIERS = tuple(c for c, unit in CARRIER_UNITS.items() if unit == "kg/h")

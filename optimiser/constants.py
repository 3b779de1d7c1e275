"""Physical and regulatory constants with their sources."""

GAS_LHV_KWH_PER_M3 = 31.65 / 3.6
"""Lower heating value of Dutch natural gas (Groningen quality): 31.65 MJ/m3 = 8.79 kWh/m3.
Source: Netherlands list of fuels and standard CO2 emission factors (RVO), 2024."""

GAS_M3_PER_GJ_HEAT = 32.68
"""m3 of gas per GJ of delivered heat that ACM uses to compare heat with a gas boiler
(Warmtewet tariff reference, upper calorific value, boiler efficiency included).
Source: ACM, Besluit tarieven warmte 2024."""

KWH_PER_GJ = 1.0e6 / 3.6e3
GJ_PER_MWH = 1.0e3 / KWH_PER_GJ
"""kWh in one GJ (277.8)."""

HOURS_PER_YEAR = 8760
"""Time steps in a model year (Feb 29 is left out in leap years)."""

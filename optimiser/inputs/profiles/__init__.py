"""Hourly input profiles: weather, PV, demand, surface water, prices."""

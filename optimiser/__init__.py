"""Neighbourhood utility optimiser: size and dispatch a wijkbedrijf's shared assets."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wijk-optimiser")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

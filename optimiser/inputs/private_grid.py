"""A private grid: the homes and the energy centre behind one boundary meter.

``prices.electricity.private_grid`` (Dutch tariffs only; absent = every home keeps its own
public connection and flows between connections pass the public grid). With it the
cooperative lays its own low-voltage cable to every home along the heat network's trench;
the homes' public small connections go, and the homes, their roof PV and the energy centre
share the energy centre's large connection. What that changes, as modelled:

- Roof PV reaches the heat pumps (and the energy centre the homes) over the cable, less its
  ``loss_fraction``: no supply price, energy tax or DSO kWh charge on those kWh.
- Energy tax is levied per connection (Wet belastingen op milieugrondslag, art. 59): the
  homes' use drawn from the public grid is taxed in the degressive brackets of the one
  boundary connection, together with the energy centre's.
- ``refund_per_home``: the belastingvermindering (art. 63) is per connection with a
  verblijfsfunctie; homes behind one collective connection (a "blokaansluiting") can get it
  back per home through the teruggaaf scheme for blokaansluitingen (blokaansluiting.nl).
  Whether that scheme applies to a cooperative's private grid is not confirmed.
- The homes' small-connection DSO charges end; the boundary connection's contracted kW,
  monthly peaks and kWh charge now carry the homes too.
- Capex: ``cable_eur_per_m`` x trench length + ``connection_eur_per_home`` x homes, written
  off over ``lifetime_years``; O&M ``fixed_om_fraction_per_year`` of it plus
  ``metering_eur_per_home_year`` per home.

Legal standing (not confirmed): a private network needs an exemption as a closed
distribution system (gesloten distributiesysteem: Elektriciteitswet 1998 art. 15, carried
into the Energiewet in force from 2026), which ACM grants for sites of businesses that may
serve households only incidentally (Dirkzwager, "Het gesloten distributiesysteem", 20
December 2023, on three ACM decisions); a neighbourhood of homes would not qualify. A private
grid of this kind is a case for an experiment or for energy-sharing rules still to come:
the model reports what it would save if it were allowed.

Numbers not given here come from ``data/electricity/private_grid.yaml`` (source, unit and
price year per number), in euros of the scenario's price year.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from pydantic import Field

from optimiser.inputs.base import StrictModel
from optimiser.inputs.catalogue import DATA_DIR, in_price_year

PRIVATE_GRID_FILE = DATA_DIR / "electricity" / "private_grid.yaml"


@cache
def private_grid_catalogue(price_year: int) -> dict[str, Any]:
    """The private grid's default numbers, money in euros of ``price_year``."""
    raw = yaml.safe_load(PRIVATE_GRID_FILE.read_text(encoding="utf-8"))
    return {key: in_price_year(entry, price_year) for key, entry in raw.items()}


class PrivateGrid(StrictModel):
    """The private grid's prices (EUR of the scenario's price year; None = the catalogue's,
    indexed), its loss and whether the homes keep their tax refund (see the module)."""

    cable_eur_per_m: float | None = Field(default=None, ge=0)
    connection_eur_per_home: float | None = Field(default=None, ge=0)
    metering_eur_per_home_year: float | None = Field(default=None, ge=0)
    fixed_om_fraction_per_year: float | None = Field(default=None, ge=0, le=0.2)
    lifetime_years: float | None = Field(default=None, gt=0)
    loss_fraction: float | None = Field(default=None, ge=0, lt=0.5)
    trench_length_m: float | None = Field(default=None, ge=0)
    refund_per_home: bool = True

    def resolved(self, price_year: int) -> dict[str, Any]:
        """Every number, the model file's where given, else the catalogue's."""
        values = dict(private_grid_catalogue(price_year))
        values.update({k: v for k, v in self.model_dump().items() if v is not None})
        return values

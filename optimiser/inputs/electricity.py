"""Dutch electricity tariffs: energy-tax brackets per connection and DSO transport tariffs.

Two data files describe them (``data/electricity/``, each number with source and price
year): the energy tax (degressive brackets per connection and year, and the tax refund per
connection) and one DSO's periodic tariffs (the large connection's capacity classes with
contracted kW, monthly kW-max, kWh and fixed charges; the small connection's fixed
charges). A model file may point to its own files of the same form.

:func:`bracket_tax` is the exact arithmetic that the model's bracket formulation and the
bill in the outputs both reproduce.
"""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from optimiser.errors import InputError
from optimiser.inputs.textfiles import yaml_line

ELECTRICITY_DATA = Path(__file__).resolve().parents[2] / "data" / "electricity"
DEFAULT_TAX_FILE = ELECTRICITY_DATA / "energy_tax_2026.yaml"
DEFAULT_DSO_FILE = ELECTRICITY_DATA / "dso_liander_2026.yaml"
DEFAULT_DAY_AHEAD_FILE = ELECTRICITY_DATA / "nl_day_ahead_synthetic.csv"


class _Data(BaseModel):
    """A tariff data record: unknown keys are errors; source notes are kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TaxBracket(_Data):
    """One bracket: kWh of a connection's yearly use up to ``up_to_kwh`` (None: no upper
    limit) pay ``eur_per_kwh``."""

    up_to_kwh: float | None = Field(gt=0)
    eur_per_kwh: float = Field(ge=0)
    source: str = ""
    price_year: int | None = None
    confirmed: bool = True


class EnergyTax(_Data):
    """The brackets (in order) and the tax refund per connection and year (EUR)."""

    name: str
    unit: str = "EUR/kWh"
    price_year: int
    brackets: list[TaxBracket] = Field(min_length=1)
    refund_eur_per_connection_year: dict

    @model_validator(mode="after")
    def _ordered(self) -> EnergyTax:
        uppers = [b.up_to_kwh for b in self.brackets]
        if uppers[-1] is not None or any(u is None for u in uppers[:-1]):
            raise ValueError("only the last bracket may (and must) have up_to_kwh: null")
        if any(b <= a for a, b in pairwise(uppers[:-1])):
            raise ValueError("bracket limits up_to_kwh must increase")
        if float(self.refund_eur_per_connection_year.get("value", -1)) < 0:
            raise ValueError("refund_eur_per_connection_year.value must be >= 0")
        return self

    @property
    def refund_eur(self) -> float:
        """Tax refund per connection with a verblijfsfunctie, EUR/year."""
        return float(self.refund_eur_per_connection_year["value"])

    def widths_kwh(self) -> list[float | None]:
        """kWh each bracket holds (None: unlimited)."""
        lower = [0.0] + [b.up_to_kwh for b in self.brackets[:-1]]
        return [
            None if b.up_to_kwh is None else b.up_to_kwh - lo
            for b, lo in zip(self.brackets, lower, strict=True)
        ]  # type: ignore[operator]

    def rates(self) -> list[float]:
        return [b.eur_per_kwh for b in self.brackets]


def bracket_kwh(tax: EnergyTax, kwh_per_connection: float) -> list[float]:
    """The kWh of one connection's yearly use that fall in each bracket, filled in order."""
    left = max(0.0, kwh_per_connection)
    filled = []
    for width in tax.widths_kwh():
        take = left if width is None else min(left, width)
        filled.append(take)
        left -= take
    return filled


def bracket_tax(tax: EnergyTax, kwh_per_connection: float) -> list[float]:
    """Energy tax per bracket (EUR/year) of one connection using ``kwh_per_connection``."""
    return [k * r for k, r in zip(bracket_kwh(tax, kwh_per_connection), tax.rates(), strict=True)]


def tax_after_refund(tax: EnergyTax, kwh_per_connection: float, refund: bool) -> float:
    """Energy tax of one connection after the refund (EUR/year). The refund is a fixed
    amount per connection with a verblijfsfunctie, paid out in full even where it exceeds
    the tax (a small home's bill shows a net credit)."""
    return sum(bracket_tax(tax, kwh_per_connection)) - (tax.refund_eur if refund else 0.0)


class ConnectionClass(_Data):
    """A large-connection class by contracted capacity (kW) and its periodic charges."""

    name: str
    from_kw: float = Field(ge=0)
    up_to_kw: float = Field(gt=0)
    contract_eur_per_kw_year: float = Field(ge=0)
    kwmax_eur_per_kw_month: float = Field(ge=0)
    transport_eur_per_kwh: float = Field(ge=0)
    fixed_eur_per_year: float = Field(ge=0)
    source: str = ""
    confirmed: bool = True


class LargeConnection(_Data):
    classes: list[ConnectionClass] = Field(min_length=1)

    @model_validator(mode="after")
    def _contiguous(self) -> LargeConnection:
        for a, b in pairwise(self.classes):
            if b.from_kw != a.up_to_kw:
                raise ValueError(f"class {b.name!r} must start where {a.name!r} ends")
        rates = {c.transport_eur_per_kwh for c in self.classes}
        if len(rates) > 1:
            raise ValueError("all classes must share one transport_eur_per_kwh (model is linear)")
        return self


class SmallConnection(_Data):
    """Fixed yearly charges per small connection (EUR/year)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    class_: str = Field(alias="class")
    capacity_eur_per_year: float = Field(ge=0)
    transport_fixed_eur_per_year: float = Field(ge=0)
    connection_eur_per_year: float = Field(ge=0)
    meter_eur_per_year: float = Field(ge=0)
    source: str = ""
    confirmed: bool = True

    @property
    def total_eur_per_year(self) -> float:
        return (
            self.capacity_eur_per_year
            + self.transport_fixed_eur_per_year
            + self.connection_eur_per_year
            + self.meter_eur_per_year
        )


class DSOTariff(_Data):
    """One DSO's periodic tariffs for one year."""

    name: str
    unit: str = "EUR excl. VAT"
    price_year: int
    large_connection: LargeConnection
    small_connection: SmallConnection


def _load(path: Path, model: type[_Data], field: str) -> _Data:
    """Read a tariff YAML file into ``model``; one-line :class:`InputError` naming file,
    line and field on any problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except FileNotFoundError:
        raise InputError("file not found", file=path, field=field) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML ({exc})", file=path, field=field) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"]]
        where = ".".join(str(p) for p in loc) or "(top level)"
        line = yaml_line(root, loc)
        message = err["msg"].removeprefix("Value error, ")
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) or got is None else f" (got {got!r})"
        return_line = f"line {line}: " if line else ""
        raise InputError(
            f"{return_line}{where}: {message}{shown}", file=path, field=field
        ) from None


@cache
def load_energy_tax(path: Path = DEFAULT_TAX_FILE) -> EnergyTax:
    """The energy-tax table of ``path`` (see ``data/electricity/energy_tax_2026.yaml``)."""
    return _load(path, EnergyTax, "prices.electricity.energy_tax_file")  # type: ignore[return-value]


@cache
def load_dso_tariff(path: Path = DEFAULT_DSO_FILE) -> DSOTariff:
    """The DSO tariff sheet of ``path`` (see ``data/electricity/dso_liander_2026.yaml``)."""
    return _load(path, DSOTariff, "prices.electricity.dso_file")  # type: ignore[return-value]

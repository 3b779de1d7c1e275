"""Carriers, balances and objective: the frame that components add themselves to.

A :class:`ModelBuilder` owns one model over the time steps of an input Dataset: Pyomo
for the sizes, costs and single constraints, arrays for the hourly variables and rows
(:mod:`optimiser.model.hourly`, :mod:`optimiser.model.rows`). Components never write
balance constraints: they declare *flows* of a carrier (kW, positive into the carrier,
negative out of it), *sizes* (investment decisions), *storage levels* and *cost terms*.
The builder then adds, per carrier and time step,

    sum of all flows into the carrier == 0

and the objective, the total annual cost of the system in EUR/year:

    sum over components of (capex x annuity factor + fixed O&M + variable costs)
    + CO2 price x CO2 emissions.

Keeping the bookkeeping here gives generic results: every flow, size, level and cost
is recorded with its component, carrier and unit, so balances can be checked on any
solution without knowing the technologies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
import xarray as xr
from pyomo.core.base.var import VarData

from optimiser.annuity import annuity_factor
from optimiser.model.carriers import CARRIERS
from optimiser.model.hourly import HourlyVar
from optimiser.model.rows import AnnualTotal, StepRows, step_rows
from optimiser.model.storage import Level

COST_KINDS = ("capex_annuity", "fixed_om", "variable", "co2")
"""Kinds of annual cost a component reports, in EUR/year."""

SHORTFALL_PENALTY_EUR_PER_KWH = 1.0e4
"""Penalty on unserved or surplus energy in the diagnostic run (EUR/kWh)."""


@dataclass
class Flow:
    """``coefficient[t] * variable[t]`` kW into ``carrier`` from ``component``."""

    component: str
    carrier: str
    variable: HourlyVar | None
    coefficient: np.ndarray  # per time step; with variable None: the fixed flow in kW


@dataclass
class Size:
    """An investment decision (or fixed size) of a component, with its unit.

    ``sized_by_peak`` marks a capacity that only has to cover peak hours (a backup
    boiler, the contracted grid capacity): typical days cannot show every peak hour of
    the year, so the full-year check sizes it again instead of keeping it fixed.
    ``tariff_choice`` marks a yes/no that picks a tariff (a grid class, a tax bracket
    reached) rather than sizing an asset: the certificate's Benders search
    (:mod:`optimiser.model.design_bound`) keeps it while it steps through sizes.
    """

    component: str
    name: str
    expression: pyo.Var | pyo.Expression
    unit: str
    sized_by_peak: bool = False
    tariff_choice: bool = False


@dataclass
class Series:
    """A time series a component wants reported: a parameter such as the hourly COP
    (``values``) or a decision such as the modules running each hour (``variable``,
    reported times ``scale``)."""

    component: str
    name: str
    values: np.ndarray | None
    unit: str
    variable: HourlyVar | None = None
    scale: float = 1.0


@dataclass
class ModelBuilder:
    """Builds one Pyomo model over the time steps of ``inputs``.

    ``inputs`` must have a ``time`` dimension and a ``weight`` variable: how many
    hours of the year a step stands for (1 in a full-year run); typical days add a
    ``period`` coordinate and ``period_of_day`` (see :mod:`optimiser.model.timeseries`).
    ``fixed_sizes`` fixes investment decisions by label (``component.name``), e.g. to
    check a design on the full year. ``co2_cap_kg`` bounds the annual CO2 emission
    (kg/year; the epsilon constraint of a cost-CO2 trade-off) and ``objective`` chooses
    what is minimised: ``cost`` (EUR/year) or ``co2`` (kg/year).
    """

    inputs: xr.Dataset
    discount_rate: float
    co2_price_eur_per_kg: float = 0.0
    slack: bool = False
    fixed_sizes: dict[str, float] = field(default_factory=dict)
    co2_cap_kg: float | None = None
    objective: str = "cost"
    tax_line_kwh: float | None = None
    """If set (kWh/year), a degressive energy tax is modelled by the line of the bracket
    this yearly use falls in, without bracket binaries (see
    :func:`~optimiser.model.components.tariffs.add_bracket_tax`); ``tax_lines`` records
    them."""
    model: pyo.ConcreteModel = field(init=False)
    rows: list[StepRows] = field(default_factory=list, init=False)
    """Hourly constraints kept as arrays (:mod:`optimiser.model.rows`), outside Pyomo."""
    hourly: list[HourlyVar] = field(default_factory=list, init=False)
    """Every hourly variable (:mod:`optimiser.model.hourly`), outside Pyomo."""
    totals: list[AnnualTotal] = field(default_factory=list, init=False)
    """The yearly totals of hourly variables that costs and yearly constraints use."""
    shortfall: dict[str, HourlyVar] = field(default_factory=dict, init=False)
    surplus: dict[str, HourlyVar] = field(default_factory=dict, init=False)
    """With ``slack``: per carrier, what its balance could not serve or absorb."""
    tax_lines: list = field(default_factory=list, init=False)
    year_rows: list[pyo.Constraint] = field(default_factory=list, init=False)
    """Single constraints that sum over every step (the ATES's yearly heat balance): the
    full-year LP can price them first and add them last (:mod:`optimiser.model.year_rows`)."""
    flows: list[Flow] = field(default_factory=list, init=False)
    sizes: list[Size] = field(default_factory=list, init=False)
    levels: list[Level] = field(default_factory=list, init=False)
    series: list[Series] = field(default_factory=list, init=False)
    investments: dict[str, pyo.Expression] = field(default_factory=dict, init=False)
    costs: dict[tuple[str, str], list] = field(
        default_factory=lambda: defaultdict(list), init=False
    )

    def __post_init__(self) -> None:
        self.model = pyo.ConcreteModel(name="wijk")
        self.n_steps = int(self.inputs.sizes["time"])
        self.weight = np.asarray(self.inputs["weight"].values, dtype=float)
        if "period" in self.inputs.coords:
            self.period = np.asarray(self.inputs["period"].values, dtype=int)
            self.period_of_day = np.asarray(self.inputs["period_of_day"].values, dtype=int)
        else:
            self.period = np.zeros(self.n_steps, dtype=int)
            self.period_of_day = None
        self.n_periods = int(self.period.max()) + 1
        steps = np.arange(self.n_steps)
        self.first_of_period = np.r_[True, self.period[1:] != self.period[:-1]]
        last_of_period = np.r_[self.period[1:] != self.period[:-1], True]
        self.last_of_period = steps[last_of_period]
        first_steps = steps[self.first_of_period]
        # the step before each step, wrapping to the period's last step (cyclic periods)
        self.previous_step = np.where(
            self.first_of_period, self.last_of_period[self.period], steps - 1
        )
        if (
            not np.array_equal(first_steps, np.sort(first_steps))
            or len(first_steps) != self.n_periods
        ):
            raise ValueError("the steps of each period must be contiguous and in order")

    # ----------------------------------------------------------------- variables
    def block(self, component: str) -> pyo.Block:
        """A new Pyomo block holding one component's variables and constraints."""
        blk = pyo.Block()
        self.model.add_component(component, blk)
        return blk

    def hourly_var(
        self,
        blk: pyo.Block,
        name: str,
        upper: float | np.ndarray | None = None,
        integer: bool = False,
        lower: float = 0.0,
    ) -> HourlyVar:
        """A variable per time step in ``[lower, upper]`` (None: unbounded above; a
        ``lower`` of -inf: unbounded below), kept as arrays (:mod:`optimiser.model.hourly`).

        ``integer=True`` makes it a count, e.g. of heat-pump modules running each hour.
        """
        bound = np.inf if upper is None else upper
        var = HourlyVar(
            blk,
            name,
            np.full(self.n_steps, float(lower)),
            np.broadcast_to(np.asarray(bound, dtype=float), (self.n_steps,)).copy(),
            integer,
        )
        self.hourly.append(var)
        return var

    def size_var(
        self,
        blk: pyo.Block,
        component: str,
        name: str,
        unit: str,
        upper: float | None,
        domain: str = "continuous",
        sized_by_peak: bool = False,
        tariff_choice: bool = False,
    ) -> pyo.Var:
        """An investment decision in [0, upper] (None: unbounded): continuous, integer or binary.

        ``sized_by_peak``, ``tariff_choice``: see :class:`Size`.
        """
        domains = {
            "continuous": pyo.NonNegativeReals,
            "integer": pyo.NonNegativeIntegers,
            "binary": pyo.Binary,
        }
        var = pyo.Var(domain=domains[domain], bounds=(0, upper))
        blk.add_component(name, var)
        label = f"{component}.{name}"
        if label in self.fixed_sizes:
            value = self.fixed_sizes[label]
            if upper is not None and upper < value <= upper * (1 + 1e-9) + 1e-9:
                value = upper  # a solver's value a tolerance above its bound (1500.0000000000002)
            var.fix(round(value) if domain != "continuous" else max(0.0, value))
        self.sizes.append(Size(component, name, var, unit, sized_by_peak, tariff_choice))
        return var

    def record_size(self, component: str, name: str, expression, unit: str) -> None:
        """Report a derived size, e.g. heat-pump capacity = modules x module size."""
        self.sizes.append(Size(component, name, expression, unit))

    # -------------------------------------------------------------- constraints
    def each_step(
        self,
        blk: pyo.Block,
        name: str,
        terms: list[tuple[object, float | np.ndarray]],
        sense: str = "<=",
        rhs: float | np.ndarray = 0.0,
        steps: np.ndarray | None = None,
    ) -> None:
        """A linear constraint per time step, ``sum of coefficient x variable (sense) rhs``,
        kept as arrays (:mod:`optimiser.model.rows`): not Pyomo expressions, which took half of a
        coalition's warm-started solve to build and write.

        ``terms`` pair an hourly variable (or one read at other steps,
        :meth:`HourlyVar.at`), a list of one Pyomo variable per step, or a scalar linear
        expression (a size) with a coefficient or a coefficient per step. ``steps``
        limits the rows to those steps (coefficients and ``rhs`` still per step).
        """
        self.rows.append(step_rows(f"{blk.name}.{name}", terms, sense, rhs, self.n_steps, steps))

    def constrain(self, blk: pyo.Block, name: str, relation, over_year: bool = False) -> None:
        """A single (not per-step) constraint, e.g. capacity <= bound x built;
        ``over_year`` marks one that sums over every step (see ``year_rows``)."""
        blk.add_component(name, pyo.Constraint(expr=relation))
        if over_year:
            self.year_rows.append(blk.component(name))

    def modular_output(
        self,
        blk: pyo.Block,
        component: str,
        output: HourlyVar,
        modules: pyo.Var,
        module_size: float,
        max_modules: int,
        min_part_load: float,
    ) -> None:
        """Limit an hourly ``output`` to what ``modules`` units of ``module_size`` give.

        Without a minimum part load, ``output[t] <= module_size x modules``. With one,
        the number of modules running each hour is an integer (one count per hour
        rather than a binary per module and hour, the tighter and smaller formulation),
        ``running[t] <= modules`` and each running module delivers between
        ``min_part_load`` and all of its size.
        """
        if min_part_load <= 0:
            self.each_step(blk, "max_load", [(output, 1.0), (modules, -module_size)])
            return
        running = self.hourly_var(blk, "running_modules", upper=max_modules, integer=True)
        self.report_variable(component, "running_modules", running, "modules")
        self.each_step(blk, "running_limit", [(running, 1.0), (modules, -1.0)])
        self.each_step(blk, "max_load", [(output, 1.0), (running, -module_size)])
        self.each_step(
            blk, "min_load", [(output, 1.0), (running, -min_part_load * module_size)], ">="
        )

    # -------------------------------------------------------------------- flows
    def flow(
        self,
        component: str,
        carrier: str,
        variable: HourlyVar,
        coefficient: float | np.ndarray = 1.0,
    ) -> None:
        """Declare ``coefficient * variable`` kW into ``carrier`` (negative: out of it)."""
        self._check_carrier(carrier)
        coef = np.broadcast_to(np.asarray(coefficient, dtype=float), (self.n_steps,)).copy()
        self.flows.append(Flow(component, carrier, variable, coef))

    def fixed_flow(self, component: str, carrier: str, values_kw: np.ndarray) -> None:
        """Declare a fixed flow (a demand is negative) of ``values_kw`` into ``carrier``."""
        self._check_carrier(carrier)
        values = np.broadcast_to(np.asarray(values_kw, dtype=float), (self.n_steps,)).copy()
        self.flows.append(Flow(component, carrier, None, values))

    def report_series(self, component: str, name: str, values: np.ndarray, unit: str) -> None:
        """Keep a parameter time series of a component for the results (e.g. COP)."""
        self.series.append(Series(component, name, np.asarray(values, dtype=float), unit))

    def report_variable(
        self, component: str, name: str, variable: HourlyVar, unit: str, scale: float = 1.0
    ) -> None:
        """Keep the solved values of an hourly variable (times ``scale``) for the results
        (e.g. running modules, or the nutrient a treated flow carries), beyond the flows
        and levels reported anyway."""
        self.series.append(Series(component, name, None, unit, variable, scale))

    @staticmethod
    def _check_carrier(carrier: str) -> None:
        if carrier not in CARRIERS:
            raise ValueError(f"unknown carrier {carrier!r}; known: {', '.join(CARRIERS)}")

    # -------------------------------------------------------------------- costs
    def weighted_sum(self, variable: HourlyVar, coefficient: float | np.ndarray = 1.0) -> VarData:
        """``sum_t weight[t] * coefficient[t] * variable[t]``: an annual total (kWh/year x
        coef), as a Pyomo variable for costs and yearly constraints; the matrix writes
        its definition in its place (:class:`~optimiser.model.rows.AnnualTotal`)."""
        coef = np.broadcast_to(np.asarray(coefficient, dtype=float), (self.n_steps,))
        total = pyo.Var(domain=pyo.Reals)
        variable.block.add_component(f"{variable.local_name}_total_{len(self.totals)}", total)
        self.totals.append(AnnualTotal(total, variable, coef * self.weight))
        return total

    def cost(self, component: str, kind: str, expression) -> None:
        """Add an annual cost term (EUR/year) of a kind in :data:`COST_KINDS`.

        For ``kind="co2"`` the expression is the annual emission in kg CO2; the builder
        prices it with the CO2 price.
        """
        if kind not in COST_KINDS:
            raise ValueError(f"unknown cost kind {kind!r}")
        self.costs[(component, kind)].append(expression)

    def invest(self, component: str, capex_eur, lifetime_years: float) -> None:
        """Record an investment (EUR) and add its annuity to the annual cost."""
        name = f"{component}_investment_eur"
        expr = pyo.Expression(expr=capex_eur)
        self.model.add_component(name, expr)
        self.investments[component] = expr
        self.cost(
            component, "capex_annuity", annuity_factor(self.discount_rate, lifetime_years) * expr
        )

    # -------------------------------------------------------------------- build
    def finish(self) -> pyo.ConcreteModel:
        """Add the carrier balances and the objective; return the model."""
        m = self.model
        carriers = sorted({f.carrier for f in self.flows})
        m.carriers = pyo.Set(initialize=carriers, ordered=True)
        by_carrier: dict[str, list[Flow]] = defaultdict(list)
        for f in self.flows:
            by_carrier[f.carrier].append(f)

        penalty = 0.0
        if self.slack:
            for c in carriers:
                self.shortfall[c] = self.hourly_var(m, f"shortfall_{c}")
                self.surplus[c] = self.hourly_var(m, f"surplus_{c}")
            # weighted like every cost, so a typical day standing for 31 days is not 31
            # times cheaper to leave unserved than the peak day
            penalty = SHORTFALL_PENALTY_EUR_PER_KWH * sum(
                self.weighted_sum(v) for v in (*self.shortfall.values(), *self.surplus.values())
            )

        for carrier in carriers:
            flows = by_carrier[carrier]
            fixed = sum((f.coefficient for f in flows if f.variable is None), 0.0)
            terms = [(f.variable, f.coefficient) for f in flows if f.variable is not None]
            if self.slack:
                terms += [(self.shortfall[carrier], 1.0), (self.surplus[carrier], -1.0)]
            self.rows.append(
                step_rows(f"balance.{carrier}", terms, "==", -np.asarray(fixed), self.n_steps)
            )

        m.cost_terms = pyo.Expression(
            list(self.costs), rule=lambda _m, comp, kind: sum(self.costs[(comp, kind)])
        )
        m.total_cost = pyo.Expression(
            expr=sum(
                (self.co2_price_eur_per_kg if kind == "co2" else 1.0) * m.cost_terms[comp, kind]
                for comp, kind in self.costs
            )
        )
        m.total_co2_kg = pyo.Expression(
            expr=sum(m.cost_terms[comp, kind] for comp, kind in self.costs if kind == "co2")
        )
        if self.co2_cap_kg is not None:
            m.co2_cap = pyo.Constraint(expr=m.total_co2_kg <= self.co2_cap_kg)
        if self.objective not in ("cost", "co2"):
            raise ValueError(f"unknown objective {self.objective!r}; use cost or co2")
        goal = m.total_cost if self.objective == "cost" else m.total_co2_kg
        m.objective = pyo.Objective(expr=goal + penalty, sense=pyo.minimize)
        return m

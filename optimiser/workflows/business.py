"""The cooperative's business workflow: solve, allocate, test the tariff, build the case.

:func:`allocate_model` is the one chain behind ``wijk allocate MODEL``, the examples
and the report's board page: it optimises every coalition of the model's parties (the
cost game), allocates the grand coalition's cost by every rule, and from the grand
coalition's design computes the business case (:func:`optimiser.economics.business.
business_case`: revenue by the NPV and lender tests, tariff, Niet Meer Dan Nu per
household type, cash flows, asset owners' cases). :func:`design_case` does the last
step for one design without the coalitions.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from optimiser.economics.allocation.allocate import coalition_writer
from optimiser.economics.business import BusinessCase, business_case
from optimiser.inputs.scenario import Scenario
from optimiser.model.solve import SolveOptions
from optimiser.model.timeseries import Aggregation
from optimiser.workflows.allocation import allocate_model as allocate_costs
from optimiser.workflows.run import DEFAULT_AGGREGATION, optimise
from optimiser.workflows.runner import SINGLE_THREAD, outcome_of


@dataclass(frozen=True)
class ModelAllocation:
    """What ``wijk allocate MODEL`` reports: ``allocation`` (the ``allocation.json``
    object), the business case (None if the cooperative cannot serve all parties) and
    the extra files to write (name -> writer)."""

    allocation: dict
    case: BusinessCase | None
    files: dict[str, Callable[[Path], None]] = field(default_factory=dict)


def allocate_model(
    scenario: Scenario,
    aggregation: Aggregation | None = DEFAULT_AGGREGATION,
    executor: Executor | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
    generated: bool = False,
    batch: int | None = None,
) -> ModelAllocation:
    """Build the model's cost game, allocate it and build the grand coalition's case.

    ``generated`` and ``batch``: only the least core and nucleolus, by constraint
    generation (see :func:`optimiser.workflows.allocation.allocate_model`). Raises
    :class:`optimiser.errors.InputError` for a model without parties or financing above
    the investment plus reserve, before anything is written.
    """
    result, coalitions, _ = allocate_costs(
        scenario,
        aggregation=aggregation,
        executor=executor,
        cache_dir=cache_dir,
        progress=progress,
        generated=generated,
        batch=batch,
    )
    files = {"coalitions.csv": coalition_writer(coalitions)}
    grand = coalitions[-1]
    if grand.cooperative_eur == float("inf"):
        result["notes"].append("the cooperative cannot serve all parties: no tariff to test")
        return ModelAllocation(result, None, files)
    case = business_case(scenario, grand.outcome)
    result.update(case.summary())
    return ModelAllocation(result, case, {**files, **case.files()})


def design_case(
    scenario: Scenario,
    aggregation: Aggregation | None = DEFAULT_AGGREGATION,
    options: SolveOptions = SINGLE_THREAD,
) -> BusinessCase:
    """Optimise the whole neighbourhood once and build its business case (no coalitions),
    e.g. for a quick tariff test or an asset owner's case."""
    _, summary = optimise(scenario, options, aggregation=aggregation)
    return business_case(scenario, outcome_of(summary))

"""All allocation rules on one game, their core checks, and the allocation files."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from optimiser.economics.allocation.game import CoalitionCost, Game, core_check
from optimiser.economics.allocation.members import Stakes
from optimiser.economics.allocation.per_party import party_table, residual_eur, stake_rules
from optimiser.economics.allocation.rules import (
    EXACT_SHAPLEY_MAX_PLAYERS,
    EmptyImputationSet,
    ensc,
    equal_savings,
    least_core,
    nucleolus,
    prenucleolus,
    proportional,
    sampled_shapley,
    scrb,
    shapley,
)
from optimiser.files import write_files

RULES = {
    "shapley": shapley,
    "nucleolus": nucleolus,
    "prenucleolus": prenucleolus,
    "scrb": scrb,
    "ensc": ensc,
    "equal_savings": equal_savings,
    "proportional": proportional,
}
"""The rules applied by :func:`allocate`, by the name used in the files."""


def allocate(
    game: Game,
    samples: int = 5000,
    seed: int = 0,
    stakes: Stakes | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict:
    """Every rule's allocation with its core check, as the ``allocation.json`` object.

    ``{"players", "stand_alone", "grand_coalition_cost", "rules": {rule: {player: cost}},
    "core": {rule: {"in_core", "worst_excess", "objecting_coalition"}},
    "least_core_epsilon", "notes"}``. A rule that has no answer (the nucleolus when no
    imputation exists, proportional with negative stand-alone costs) is left out and
    the reason is given in ``notes``. Above 12 players the Shapley value is sampled
    (``samples`` join orders, ``seed``) and its 95 % half-widths are given. With the
    parties' ``stakes`` the rules that need them are added and ``parties`` gives each
    party's figures (:mod:`optimiser.economics.allocation.per_party`); rules named in
    ``skip`` are not computed.
    """
    notes: list[str] = []
    allocations: dict[str, np.ndarray] = {}
    for name, rule in RULES.items():
        if name in skip:
            continue
        if name == "shapley" and game.n > EXACT_SHAPLEY_MAX_PLAYERS:
            sampled = sampled_shapley(game, samples, seed)
            allocations[name] = sampled.value
            notes.append(
                f"shapley sampled from {samples} join orders (seed {seed}); 95 % half-widths: "
                + ", ".join(
                    f"{p} {h:,.4g}"
                    for p, h in zip(game.players, sampled.half_width_95, strict=True)
                )
            )
            continue
        try:
            allocations[name] = rule(game)
        except EmptyImputationSet as error:
            notes.append(f"{name}: {error}")
        except ValueError as error:
            notes.append(f"{name}: not defined for this game ({error})")
    if stakes is not None:
        allocations.update(stake_rules(game, stakes, notes))
    least, epsilon = least_core(game)
    allocations["least_core"] = least
    checks = {name: core_check(game, x) for name, x in allocations.items()}
    if epsilon > 1e-9 * max(1.0, float(np.abs(game.cost).max())):
        notes.append(
            f"the core is empty: some coalition pays at least {epsilon:,.6g} more than alone"
            " under every allocation"
        )
    result = {
        "players": list(game.players),
        "stand_alone": dict(zip(game.players, game.stand_alone().tolist(), strict=True)),
        "grand_coalition_cost": float(game.cost[game.grand]),
        "residual_eur_per_year": residual_eur(game),
        "rules": {
            name: dict(zip(game.players, x.tolist(), strict=True))
            for name, x in allocations.items()
        },
        "core": {
            name: {
                "in_core": c.in_core,
                "worst_excess": c.worst_excess,
                "objecting_coalition": c.objecting_coalition,
            }
            for name, c in checks.items()
        },
        "least_core_epsilon": epsilon,
        "notes": notes,
    }
    result["parties"] = party_table(result, stakes)
    return result


def write_allocation(result: dict, out_dir: Path, extra: dict | None = None) -> list[Path]:
    """Write ``allocation.json`` and ``allocation.csv`` (one row per party and rule:
    stand-alone cost, allocated cost, savings, whether the rule's allocation is in the
    core, the support it brings, and for a utility its gain counted in the game, the levy
    it transfers and what it settles with the cooperative), plus any ``extra`` files
    (name -> writer), all or nothing."""

    def write_json(path: Path) -> None:
        path.write_text(json.dumps(result, indent=2), encoding="utf-8")

    def write_csv(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(
                ["party", "rule", "stand_alone_cost", "allocated_cost", "savings", "rule_in_core",
                 "subsidy_eur_per_year", "loan_advantage_eur_per_year", "net_of_support",
                 "utility_gain_eur_per_year", "levy_transferred_eur_per_year",
                 "settled_with_cooperative"]
            )  # fmt: skip
            for rule, shares in result["rules"].items():
                for party, cost in shares.items():
                    alone = result["stand_alone"][party]
                    in_core = result["core"][rule]["in_core"]
                    row = result["parties"][party]
                    writer.writerow(
                        [party, rule, alone, cost, alone - cost, in_core,
                         row.get("subsidy_eur_per_year", 0.0),
                         row.get("loan_advantage_eur_per_year", 0.0),
                         row.get("net_of_support", {}).get(rule, cost),
                         row.get("utility_gain_eur_per_year", 0.0),
                         row.get("levy_transferred_eur_per_year", 0.0),
                         row.get("settled_with_cooperative", {}).get(rule, cost)]
                    )  # fmt: skip

    return write_files(
        out_dir, {"allocation.json": write_json, "allocation.csv": write_csv, **(extra or {})}
    )


def coalition_writer(coalitions: list[CoalitionCost]) -> Callable[[Path], None]:
    """Writer of ``coalitions.csv``: each coalition's cooperative and stand-alone cost,
    and why its cooperative has no design if it has none (its c(S) is then its
    members' alternatives)."""

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(
                [
                    "coalition",
                    "cooperative_eur",
                    "stand_alone_eur",
                    "cost_eur",
                    "lcoh_eur_per_gj",
                    "cached",
                    "no_design",
                ]
            )
            for c in coalitions:
                writer.writerow(
                    ["+".join(c.members), c.cooperative_eur, c.stand_alone_eur, c.cost_eur,
                     c.lcoh_eur_per_gj, c.cached, c.no_design]
                )  # fmt: skip

    return write

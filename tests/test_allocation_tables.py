"""What ``wijk allocate`` prints must be readable on an 80-column terminal: no number or
name cut to an ellipsis, and every verdict spelled out from the result."""

from __future__ import annotations

from rich.console import Console

from optimiser.cli_allocation import print_households, print_rules


def _household(kind: str, now: float, coop: float, contribution: float, household=True):
    """One Niet Meer Dan Nu row as the tariff module writes it (EUR/year)."""
    return {
        "type": kind, "household": household, "bill_now_eur": now,
        "bill_cooperative_eur": coop, "contribution_eur": contribution,
        "contribution_eur_per_year": contribution / 12.0 if contribution else 0.0,
        "difference_eur": coop - now, "difference_eur_per_month": (coop - now) / 12.0,
    }  # fmt: skip


def _result() -> dict:
    """A KetelhuisWG-sized result: long type names and six-figure business bills."""
    return {
        "players": ["owners", "tenants", "businesses", "water_board", "municipality"],
        "stand_alone": {
            "owners": 794_700.0,
            "tenants": 1_192_100.0,
            "businesses": 489_300.0,
            "water_board": 0.0,
            "municipality": 0.0,
        },
        "rules": {
            "prenucleolus": {
                "owners": 782_000.0,
                "tenants": 1_204_900.0,
                "businesses": 638_900.0,
                "water_board": -74_800.0,
                "municipality": -74_800.0,
            },
        },
        "core": {
            "prenucleolus": {"in_core": False, "objecting_coalition": ["tenants", "businesses"]}
        },
        "assumptions": {"vat_rate": 0.21, "contract_years": 15, "contribution_rate": 0.03},
        "households": [
            _household("owner_occupied", 2_009.99, 3_296.32, 17_500.0),
            _household("private_rent", 2_009.99, 1_830.40, 0.0),
            _household("businesses", 489_260.0, 473_757.0, 0.0, household=False),
        ],
        "tariff": {
            "niet_meer_dan_nu": False,
            "paying_more": ["owner_occupied"],
            "largest_nmdn_factor": 0.27,
            "at_nmdn_limit": {"missing_revenue_eur_per_year": 0.0},
        },
    }


def _printed(printer) -> str:
    console = Console(width=80, record=True, color_system=None)
    printer(console, _result())
    return console.export_text()


def test_niet_meer_dan_nu_table_fits_80_columns_uncut():
    text = _printed(print_households)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    for shown in ("owner_occupied", "489,260", "473,757", "-15,503", "+1,286", "MORE",
                  "no more", "EUR 17,500 once"):  # fmt: skip
        assert shown in text, shown
    assert "fails for owner_occupied" in text


def test_rules_table_names_the_objecting_coalition_under_the_table():
    result = _result()
    result["parties"] = {
        "owners": {"subsidy_eur_per_year": 0.0, "contributions_eur_per_year": 302_836.6},
        "municipality": {"subsidy_eur_per_year": 474_846.3, "loan_advantage_eur_per_year": 0.0},
        "water_board": {
            "utility_gain_eur_per_year": 39_138.0,
            "levy_transferred_eur_per_year": 190_872.0,
        },
    }
    console = Console(width=80, record=True, color_system=None)
    print_rules(console, result)
    text = console.export_text()
    # the subsidy comes from outside (in B(S)); contributions are paid inside the game
    assert "brought from outside, counted in the game (EUR thousands/year): municipality" in text
    assert "subsidy 474.8" in text
    assert "paid in by members, inside the game (EUR thousands/year): owners contributions" in text
    assert "302.8" in text
    # a member water board's avoided treatment lowers c(S); the levy it passes on is inside
    assert "water_board utility gain 39.1" in text.replace("\n", " ")
    assert "water_board levy transferred 190.9" in text.replace("\n", " ")
    assert "…" not in text
    assert "prenucleolus" in text and "1,204.9" in text
    assert "not in the core: prenucleolus (objecting: tenants + businesses)" in text

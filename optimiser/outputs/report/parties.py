"""The per-party table under "Who pays what": one column per party, first its stand-alone
cost and the support it brings into the game (subsidies, soft-loan advantage, connection
contributions), then one row per rule with its allocated cost and its saving against
standing alone, and whether the rule lies in the core (if not, which coalition objects).
All amounts in the allocation's price-year euros per year. Below it, the allocation's
notes, as ``wijk allocate`` printed them: a rule without an answer and why, coalitions
whose design failed, how many coalitions were solved or read from the cache."""

from __future__ import annotations

import html

from optimiser.economics.allocation.per_party import COUNTED_IN_GAME, PAID_INSIDE, amount_label

TABLE_STYLE = """
.parties-wrap { overflow-x: auto; }
.parties { font-size: 0.9em; border-collapse: collapse; }
.parties td, .parties th { padding: 0.15em 0.6em; text-align: right; white-space: nowrap; }
.parties td:first-child, .parties th:first-child, .parties th:last-child { text-align: left; }
.parties td.core { text-align: left; white-space: normal; max-width: 18em; }
.parties tr.rule td { border-top: 1px solid #eee; }
.parties small { color: #666; } .parties .warn { color: #a33; }
"""


def _k(value: float) -> str:
    """EUR in thousands, one decimal (the game's amounts are EUR 10^4-10^7 a year); a
    rounding residue below EUR 50 shows as 0.0, never -0.0."""
    return f"{(value if abs(value) >= 50.0 else 0.0) / 1e3:,.1f} k"


def _rule_cell(allocated: float, saving: float) -> str:
    shade = " class='warn'" if saving < -50.0 else ""
    return f"<td>{_k(allocated)}<br><small{shade}>saves {_k(saving)}</small></td>"


def _core_cell(core: dict) -> str:
    if core["in_core"]:
        return "<td class='core'>yes</td>"
    objecting = html.escape(" + ".join(core["objecting_coalition"]))
    return f"<td class='core'><span class='warn'>no</span>: {objecting} would pay less alone</td>"


def parties_table_html(allocation: dict) -> str:
    """HTML table of every party's figures under every rule (see the module docstring)."""
    players = allocation["players"]
    table = allocation["parties"]
    head = "".join(f"<th>{html.escape(party)}</th>" for party in players)
    rows = [
        "<tr><td>stand alone</td>"
        + "".join(f"<td>{_k(table[p]['stand_alone'])}</td>" for p in players)
        + "<td></td></tr>"
    ]
    for key in COUNTED_IN_GAME + PAID_INSIDE:  # what a party brings; all-zero rows left out
        if all(abs(table[p].get(key, 0.0)) < 0.5 for p in players):
            continue
        cells = "".join(f"<td>{_k(table[p].get(key, 0.0))}</td>" for p in players)
        rows.append(f"<tr><td>{amount_label(key)}</td>{cells}<td></td></tr>")
    for rule in allocation["rules"]:
        cells = "".join(
            _rule_cell(table[p]["allocated"][rule], table[p]["savings"][rule]) for p in players
        )
        rows.append(
            f"<tr class='rule'><td>{html.escape(rule)}</td>{cells}"
            f"{_core_cell(allocation['core'][rule])}</tr>"
        )
    return (
        f"<style>{TABLE_STYLE}</style><div class='parties-wrap'><table class='parties'>"
        f"<tr><th>EUR per year</th>{head}<th>in the core?</th></tr>"
        + "".join(rows)
        + "</table></div>"
        + _notes_html(allocation.get("notes", []))
        + "<p class='meta'>A party's subsidy and soft-loan advantage (against"
        " the market rate) come from outside and lower the cost of every coalition it is in,"
        " as does a member utility's avoided central cost; levies a utility transfers and"
        " connection contributions are paid in by members, inside the game, and shown as"
        ' already paid. "saves" is a party\'s stand-alone cost less its allocated cost.</p>'
    )


def _notes_html(notes: list[str]) -> str:
    """The allocation's notes as a list (nothing when there are none)."""
    if not notes:
        return ""
    items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
    return f"<p class='meta'>Notes from wijk allocate:</p><ul class='meta'>{items}</ul>"

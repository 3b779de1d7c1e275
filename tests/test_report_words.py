"""The report's first line names what is built in words, without repeating the unit
printed after each value ("heat pump 4 modules", not "heat pump: modules 4 modules")."""

from __future__ import annotations

import pytest

from optimiser.outputs.report.page import _size_words


@pytest.mark.parametrize(
    ("label", "unit", "words"),
    [
        ("heat_pump.capacity_kw", "kW", "heat pump capacity"),
        ("heat_pump.modules", "modules", "heat pump"),
        ("ates.doublets", "doublets", "ates"),
        ("grid.contracted_kw", "kW", "grid contracted"),
        ("heat_buffer.volume_m3", "m3", "heat buffer volume"),
        ("pv.capacity_kwp", "kWp", "pv capacity"),
    ],
)
def test_size_words_drop_the_unit_from_the_name(label, unit, words):
    assert _size_words(label, unit) == words

"""Dutch public holidays, which the BDEW standard profiles treat as Sundays."""

from __future__ import annotations

import datetime as dt

from dateutil.easter import easter


def dutch_public_holidays(year: int) -> dict[dt.date, str]:
    """National public holidays of the Netherlands in ``year`` (date -> name).

    New Year, Good Friday, Easter Monday, King's Day (27 April, 26 April when the 27th
    is a Sunday), Liberation Day (5 May, a day off every fifth year: 2025, 2030, ...),
    Ascension Day, Whit Monday and Christmas. Easter Sunday and Whit Sunday are Sundays
    anyway and are left out.
    """
    e = easter(year)
    kings = dt.date(year, 4, 27)
    if kings.weekday() == 6:
        kings = dt.date(year, 4, 26)
    days = {
        dt.date(year, 1, 1): "Nieuwjaarsdag",
        e - dt.timedelta(days=2): "Goede Vrijdag",
        e + dt.timedelta(days=1): "Tweede Paasdag",
        kings: "Koningsdag",
        e + dt.timedelta(days=39): "Hemelvaartsdag",
        e + dt.timedelta(days=50): "Tweede Pinksterdag",
        dt.date(year, 12, 25): "Eerste Kerstdag",
        dt.date(year, 12, 26): "Tweede Kerstdag",
    }
    if year % 5 == 0:
        days[dt.date(year, 5, 5)] = "Bevrijdingsdag"
    return days

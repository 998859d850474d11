"""Territory codes -> names and ISO alpha-3 (for the world map).

Codes stay as the statement gave them; pseudo-codes that are no country (DistroKid's ``OU``,
"outside the United States") are kept and named, never dropped or guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pycountry

PSEUDO = {
    "OU": "Outside the United States (unspecified)",
    "WW": "Worldwide",
    "ZZ": "Unknown territory",
    "EU": "European Union",
    "XK": "Kosovo",
    "UK": "United Kingdom",
}
UNKNOWN = "ZZ"
ALIASES = {"UK": "GB"}
"""Codes statements print for a country ISO gives another code (CD Baby writes ``UK`` and
``GB`` in one file). Stored as given, like every code; the figures per territory count them
as the ISO code (``counted_as``), so one country is one row and one place on the map."""
RETIRED_ALPHA_3 = {"ROM": "RO", "TMP": "TL"}
"""Alpha-3 codes ISO withdrew that statements still print (Romania's ``ROM`` until 2002,
East Timor's ``TMP``): one country, one code, whichever a statement gave."""


def counted_as(code: str) -> str:
    """The code a stored code's figures are counted under (``UK`` -> ``GB``)."""
    return ALIASES.get(code, code)


def spellings(codes: Iterable[str]) -> list[str]:
    """Every stored code counted as one of ``codes`` (``GB`` -> ``GB``, ``UK``), for filters."""
    wanted = {counted_as(c) for c in codes}
    return sorted(wanted | {alias for alias, code in ALIASES.items() if code in wanted})


@lru_cache(maxsize=1024)
def describe(code: str) -> tuple[str, str | None]:
    """Code -> (name, ISO alpha-3 or None)."""
    c = code.strip().upper()
    if c == "UK":
        return PSEUDO["UK"], "GBR"
    country = pycountry.countries.get(alpha_2=c) if len(c) == 2 else None
    if country is None and len(c) == 3:
        country = pycountry.countries.get(alpha_3=c)
    if country is not None:
        return getattr(country, "common_name", None) or country.name, country.alpha_3
    return PSEUDO.get(c, c), None


@lru_cache(maxsize=1024)
def normalize(text: str) -> str:
    """Statement text (``gb``, ``GBR``, ``United Kingdom``) -> a code to store."""
    t = text.strip()
    if not t or t in {"-", "--", "N/A", "n/a"}:
        return UNKNOWN
    upper = t.upper()
    if len(upper) == 2 and upper.isalpha():
        return upper
    if upper in RETIRED_ALPHA_3:
        return RETIRED_ALPHA_3[upper]
    if len(upper) == 3 and upper.isalpha():
        country = pycountry.countries.get(alpha_3=upper)
        if country is not None:
            return country.alpha_2
    try:
        return pycountry.countries.lookup(t).alpha_2
    except LookupError:
        return upper[:8]

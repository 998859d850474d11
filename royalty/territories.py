"""Territory codes -> names and ISO alpha-3 (for the world map).

Codes stay as the statement gave them; pseudo-codes that are no country (DistroKid's ``OU``,
"outside the United States") are kept and named, never dropped or guessed. A name pycountry
does not know is stored as its first eight letters, upper-cased, as it always was (the line
identities hash what is stored); where figures are grouped by territory, it is counted as
the country its name says (``counted_as``), as ``UK`` is counted as ``GB``.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

PSEUDO = {
    "OU": "Outside the United States (unspecified)",
    "WW": "Worldwide",
    "ZZ": "Unknown territory",
    "EU": "European Union",
    "XK": "Kosovo",
}
UNKNOWN = "ZZ"
ALIASES = {"UK": "GB"}
"""Codes statements print for a country ISO gives another code (CD Baby writes ``UK`` and
``GB`` in one file). Stored as given, like every code; the figures per territory count them
as the ISO code (``counted_as``), so one country is one row and one place on the map."""
RETIRED_ALPHA_3 = {"ROM": "RO", "TMP": "TL"}
"""Alpha-3 codes ISO withdrew that statements still print (Romania's ``ROM`` until 2002,
East Timor's ``TMP``): one country, one code, whichever a statement gave."""


LANGUAGES = (
    "en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "fi", "pl", "cs", "tr", "hu",
    "ro",
)  # fmt: skip
"""Languages whose country names (CLDR's, through Babel) a statement may print."""
ENGLISH = {
    "Great Britain": "GB", "England": "GB", "Scotland": "GB", "Wales": "GB",
    "Northern Ireland": "GB", "Holland": "NL", "The Netherlands": "NL", "Turkey": "TR",
    "Russia": "RU", "Ivory Coast": "CI", "Republic of Ireland": "IE", "UAE": "AE",
    "U.S.A.": "US", "U.S.": "US", "Burma": "MM", "Swaziland": "SZ", "Macedonia": "MK",
    "Cape Verde": "CV", "East Timor": "TL", "Vatican": "VA", "DR Congo": "CD",
    "Unknown": UNKNOWN, "Worldwide": "WW", "World": "WW",
}  # fmt: skip
"""Spellings that neither CLDR nor pycountry gives (former and everyday names)."""


def _as_stored(name: str) -> str:
    """What ``normalize`` stores for a name it does not know."""
    return name.strip().upper()[:8]


def _is_code(code: str) -> bool:
    return len(code) == 2 and code.isalpha()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """What ``normalize`` stores for a country name it does not know -> the country's code,
    for the names of every country in ``LANGUAGES`` and in pycountry; a stored code that two
    countries' names share (``DEMOCRAT``) is left out, never guessed. Loaded only when a
    stored code is not one (``Locale`` data takes a moment)."""
    from babel import Locale

    found: dict[str, set[str]] = {}

    def add(name: str | None, code: str) -> None:
        if name:
            found.setdefault(_as_stored(name), set()).add(code)

    for language in LANGUAGES:
        for region, name in Locale.parse(language).territories.items():
            if region in ("XK", UNKNOWN) or pycountry.countries.get(alpha_2=region):
                add(name, region)
            elif region == "001":
                add(name, "WW")
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            add(getattr(country, attribute, None), country.alpha_2)
    for name, code in ENGLISH.items():
        add(name, code)
    return {
        stored: codes.pop()
        for stored, codes in found.items()
        if len(codes) == 1 and not _is_code(stored)
    }


def counted_as(code: str) -> str:
    """The code a stored code's figures are counted under: ``UK`` -> ``GB``, and a name
    ``normalize`` kept as its first letters (``RUSSIA``, ``ÖSTERREI``) -> its country."""
    if code in ALIASES:
        return ALIASES[code]
    if _is_code(code) or not code:
        return code
    return _names().get(code, code)


@lru_cache(maxsize=1024)
def describe(code: str) -> tuple[str, str | None]:
    """Code -> (name, ISO alpha-3 or None)."""
    c = counted_as(code.strip().upper())  # ``UK`` is the United Kingdom, as ``GB``
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

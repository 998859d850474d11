"""Numbers as people read them: money, per-stream rates, counts, percentages; and statement
text made safe for the two markups the app shows it in (Markdown, plotly labels).

Every figure is rounded here and only here, from exact ``Decimal`` values. A per-stream rate
is a fraction of a penny, so it is written in minor units ("0.29p", "0.39¢") and never rounds
to a misleading "£0.00". Rates follow one rule wherever they are shown (pages, reports, the
card, the command line): ``RATE_DIGITS`` significant digits, so 0.24p, 0.084p and 0.0082p are
read to the same relative precision, in yen as in pence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal

SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥", "INR": "₹", "KRW": "₩",
           "AUD": "A$", "CAD": "CA$", "NZD": "NZ$"}  # fmt: skip
"""Currencies written with a symbol in front; any other is written "1,234.56 SEK"."""

MINOR_SUFFIX = {"GBP": "p", "USD": "¢", "EUR": " c", "AUD": "¢", "CAD": "¢", "NZD": "¢"}
"""Currencies whose per-stream rates read best in minor units (pence, cents)."""

MINOR_DIGITS = {
    **dict.fromkeys(("JPY", "KRW", "ISK", "CLP", "VND", "UGX", "PYG", "XOF", "XAF"), 0),
    **dict.fromkeys(("BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"), 3),
}
"""ISO 4217 minor-unit digits where they are not 2."""

DASH = "—"


def minor_digits(currency: str) -> int:
    """Decimal places of the currency's smallest unit (2 for GBP, 0 for JPY)."""
    return MINOR_DIGITS.get(currency.upper(), 2)


def _grouped(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{abs(value.quantize(quantum, rounding=ROUND_HALF_EVEN)):,.{places}f}"


def _with_symbol(number: str, currency: str, negative: bool, sign: str = "") -> str:
    code = currency.upper()
    lead = "-" if negative else sign
    if code in SYMBOLS:
        return f"{lead}{SYMBOLS[code]}{number}"
    return f"{lead}{number} {code}"


def money(value: Decimal, currency: str, *, signed: bool = False) -> str:
    """``£1,234.56``; a non-zero amount too small to show is ``<£0.01``, never ``£0.00``.

    ``signed`` writes a plus sign on gains ("+£12.30"), for differences.
    """
    places = minor_digits(currency)
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if value != 0 and rounded == 0:
        smallest = _with_symbol(_grouped(Decimal(1).scaleb(-places), places), currency, False)
        return f"<{smallest}" if value > 0 else f">-{smallest}"
    plus = "+" if signed and rounded > 0 else ""
    return _with_symbol(_grouped(value, places), currency, rounded < 0, plus)


RATE_DIGITS = 2
"""Significant digits of every per-stream rate: enough to compare platforms (0.24p against
0.27p) without implying a precision no platform pays to."""
MAX_RATE_DIGITS = 5
"""The most digits ``digits_apart`` adds to tell the rates of a ranking apart."""


def one_unit(currency: str) -> str:
    """ "£1", "$1", "1 SEK": the unit in "streams to earn £1"."""
    return money(Decimal(1), currency).replace(".00", "").replace(".000", "")


def _significant(value: Decimal, digits: int, minimum_places: int = 0) -> str:
    """``digits`` significant digits (never fewer decimals than ``minimum_places``, and never
    rounding away a digit before the point: 123 stays 123)."""
    if value == 0:
        return "0"
    places = max(minimum_places, digits - 1 - value.adjusted(), 0)
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if rounded.adjusted() > value.adjusted() and places > minimum_places:  # 0.0996 -> 0.10
        places = max(minimum_places, places - 1)
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    return f"{rounded:,.{places}f}"


def rate(value: Decimal | None, currency: str, *, digits: int = RATE_DIGITS) -> str:
    """A per-stream (per-unit) rate with ``digits`` significant digits: ``0.29p``, ``0.39¢``,
    ``0.41 c``, ``¥0.57``, ``¥1.6``; ``—`` when unknown.

    Below one unit of the currency a rate is written in its minor unit where people do (pence,
    cents); a currency without minor units (yen) keeps decimals, so two rates that differ are
    not both rounded to "¥2". From one unit up it is money, with at least the currency's
    decimals ("£1.50").
    """
    if value is None:
        return DASH
    code = currency.upper()
    negative = value < 0
    if code in MINOR_SUFFIX and abs(value) < 1:
        minor = abs(value).scaleb(minor_digits(code))
        return f"{'-' if negative else ''}{_significant(minor, digits)}{MINOR_SUFFIX[code]}"
    places = minor_digits(code) if abs(value) >= 1 else 0
    return _with_symbol(_significant(abs(value), digits, places), code, negative)


MINOR_NAMES = {"GBP": "pence", "USD": "cents", "EUR": "cents", "AUD": "cents", "CAD": "cents",
               "NZD": "cents"}  # fmt: skip


def rate_unit(currency: str) -> tuple[int, str, str, str]:
    """How a chart's axis of per-stream rates is written, in the unit ``rate`` writes them:
    (power of ten to scale by, tick prefix, tick suffix, the unit in words for the title).
    ``("GBP")`` -> ``(2, "", "p", "pence")``; ``("JPY")`` -> ``(0, "¥", "", "JPY")``."""
    code = currency.upper()
    if code in MINOR_SUFFIX:
        return minor_digits(code), "", MINOR_SUFFIX[code], MINOR_NAMES.get(code, code)
    if code in SYMBOLS:
        return 0, SYMBOLS[code], "", code
    return 0, "", f" {code}", code


def digits_apart(values: Sequence[Decimal | None], currency: str) -> int:
    """The fewest significant digits (from ``RATE_DIGITS``, at most ``MAX_RATE_DIGITS``) at
    which rates that differ are written differently: a ranking whose rows all read "0.29p"
    looks arbitrary, "0.293p" above "0.291p" does not. Rates equal to the last digit tie at
    any precision (see ``ties``)."""
    known = [v for v in values if v is not None]
    for digits in range(RATE_DIGITS, MAX_RATE_DIGITS + 1):
        texts: dict[str, Decimal] = {}
        if all(texts.setdefault(rate(v, currency, digits=digits), v) == v for v in known):
            return digits
    return MAX_RATE_DIGITS


def ties(values: Sequence[Decimal | None]) -> list[list[int]]:
    """Positions of rates that are exactly equal, in groups of two or more (in order)."""
    groups: dict[Decimal, list[int]] = {}
    for i, v in enumerate(values):
        if v is not None:
            groups.setdefault(v, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


# --- periods --------------------------------------------------------------------------------------

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NBSP = "\u00a0"
"""Between a month and its year, so "Jul 2024" never breaks over two lines."""


def _month_words(month: int) -> str:
    return f"{MONTH_ABBR[month % 100 - 1]}{NBSP}{month // 100}"


def period_text(first: int, last: int) -> str:
    """Usage months as people name them: ``2025``, ``Jul 2025``, ``Jan – Jun 2025``,
    ``Jul 2024 – Jun 2025``, ``2023 – 2025``."""
    y1, m1, y2, m2 = first // 100, first % 100, last // 100, last % 100
    if m1 == 1 and m2 == 12:
        return str(y1) if y1 == y2 else f"{y1} – {y2}"
    if first == last:
        return _month_words(first)
    if y1 == y2:
        return f"{MONTH_ABBR[m1 - 1]} – {_month_words(last)}"
    return f"{_month_words(first)} – {_month_words(last)}"


def period_words(period: str) -> str:
    """``"2025-01..2025-12"`` (the machine form JSON and file names keep) -> ``"2025"``;
    text that is no such period comes back as it is."""
    first, sep, last = period.partition("..")
    try:
        a, b = (int(x.replace("-", "")) for x in (first, last)) if sep else (0, 0)
    except ValueError:
        return period
    if not (sep and 1 <= a % 100 <= 12 and 1 <= b % 100 <= 12 and a <= b):
        return period
    return period_text(a, b)


def names_text(names: Sequence[str], *, most: int = 3) -> str:
    """``"A"``, ``"A & B"``, ``"A, B & C"``, ``"A, B and 3 more"``: who a summary is about."""
    names = list(names)
    if len(names) <= 1:
        return names[0] if names else ""
    if len(names) <= most:
        return ", ".join(names[:-1]) + " & " + names[-1]
    return ", ".join(names[: most - 1]) + f" and {len(names) - most + 1} more"


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 statement``, ``4 statements``."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def count(n: int) -> str:
    """``1,234,567``."""
    return f"{int(n):,}"


QUANTITY_WORDS = {
    "stream": ("stream", "streams"),
    "download": ("download", "downloads"),
    "video": ("view", "views"),
    "physical": ("item sold", "items sold"),
    "performance": ("performance", "performances"),
    "sync": ("licence", "licences"),
}
"""What a line's quantity counts, by kind of use (other kinds count "units")."""


def quantity(n: int, kind: str) -> str:
    """``885,628 streams``, ``81 items sold``, ``162,796 views``: a count with its own unit,
    so streams, sales and video views are never read as one number."""
    one, many = QUANTITY_WORDS.get(str(kind), ("unit", "units"))
    return plural(int(n), one, many)


def percent(x: Decimal | None, *, signed: bool = False, whole: bool = False) -> str:
    """A fraction as a percentage with one decimal: ``Decimal("0.123")`` -> ``12.3%``.

    Non-zero shares below 0.05% read ``<0.1%`` rather than a misleading ``0.0%``. ``whole``:
    a whole percentage the person chose (a deal's 20%) is written "20%", not "20.0%".
    """
    if whole and x is not None and (x * 100) == (x * 100).to_integral_value():
        return f"{'+' if signed and x > 0 else ''}{x * 100:,.0f}%"
    if x is None:
        return DASH
    pct = (x * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    if x != 0 and pct == 0:
        return "<0.1%" if x > 0 else ">-0.1%"
    plus = "+" if signed and pct > 0 else ""
    return f"{plus}{pct:,.1f}%"


# --- statement text inside markup ---------------------------------------------------------------

WORD_JOINER = "\u2060"
"""Invisible and unbreakable: splits text the Markdown renderer would otherwise turn into
something (see ``markdown_text``)."""

MARKDOWN_SPECIAL = "\\`*_[]()!<>#|~$&:"
"""Escaped wherever they are: emphasis, code, links and images, HTML and autolinks, headings,
tables, strikethrough, LaTeX (Streamlit renders ``$...$``), entities, directives
(``:red[...]``, ``:material/...:``)."""

_ESCAPED = {ch: "\\" + ch for ch in MARKDOWN_SPECIAL}
_ESCAPED[":"] = "\\:" + WORD_JOINER  # http://, :emoji:
_ESCAPED["@"] = WORD_JOINER + "@"  # name@example.org
_JOINED = re.compile(r"(?<=www)(?=\.)|(?<=[-<>=~])(?=[-<>=~])", re.IGNORECASE)
"""www.example.org, and the pairs Streamlit turns into arrows and dashes (->, <-, --, >=, ...)."""
_LEADING = re.compile(r"(?=[-+=])|\d{1,9}(?=\.)")
"""A bullet, a heading underline or a number and dot at the start of a line."""


def markdown_text(value: object) -> str:
    """Statement text (a store, artist, title, territory, file name, a quoted cell) as Markdown
    that shows exactly that text: no link, image, HTML, LaTeX, emphasis, heading or list.

    Streamlit renders Markdown in ``st.markdown``/``st.write``/``st.caption``, alerts
    (``st.error`` ...), headers, widget and expander labels and progress texts, so every string
    from a statement goes through here before it is put into one.

    * Runs of whitespace (newlines too) become one space: a line break could start a list, a
      quote, a heading or a code block.
    * ``MARKDOWN_SPECIAL`` characters get a backslash (CommonMark shows ``\\X`` as ``X`` for
      any ASCII punctuation), and so does a ``-``, ``+``, ``=`` or the dot of ``1.`` at the
      start (a list or a heading underline when the text starts a line).
    * Bare URLs and e-mail addresses become links, ``:shortcodes:`` emoji and ``->``, ``--``
      arrows and dashes *after* the escapes are undone, in the text itself. For those an
      invisible ``WORD_JOINER`` goes after each ``:``, before each ``@``, between ``www`` and a
      dot and between two of ``-<>=~``: the text reads the same and matches none of them
      (copying it copies the joiners too).
    """
    text = _JOINED.sub(WORD_JOINER, " ".join(str(value).split()))
    out = "".join(_ESCAPED.get(ch, ch) for ch in text)
    lead = _LEADING.match(out)
    if lead:
        out = out[: lead.end()] + "\\" + out[lead.end() :]
    return out


def plotly_text(value: object) -> str:
    """Statement text for plotly's label markup (titles, ticks, legends, hover text).

    Plotly reads a little HTML there (``<a href>``, ``<b>``, ``<br>``, entities): ``<``, ``>``
    and ``&`` become entities, which it shows as the characters. Quotes stay as they are
    (plotly shows ``&quot;`` literally). Statement text goes into ``customdata`` or labels,
    never into a ``hovertemplate`` itself, where ``%{...}`` would be read as a placeholder.
    """
    return html.escape(str(value), quote=False)


def size_text(size: int) -> str:
    """Bytes as a person reads them: ``512 bytes``, ``48 KB``, ``1.6 MB``, ``2.1 GB``."""
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            value = size / scale
            return f"{value:,.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    raise AssertionError("unreachable")

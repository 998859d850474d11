"""Numbers as people read them: money, per-stream rates, counts, percentages; and statement
text made safe for the two markups the app shows it in (Markdown, plotly labels).

Every figure is rounded here and only here, from exact ``Decimal`` values. A per-stream rate
is a fraction of a penny, so it is written in minor units ("0.29p", "0.39¢") and never rounds
to a misleading "£0.00".
"""

from __future__ import annotations

import html
import re
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


def _significant(value: Decimal, minimum_places: int) -> str:
    """At least ``minimum_places`` decimals, more when needed to show 2 significant digits."""
    if value == 0:
        return "0"
    places = max(minimum_places, -value.adjusted() + 1)
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):,.{places}f}"


def rate(value: Decimal | None, currency: str) -> str:
    """A per-stream (per-unit) rate: ``0.29p``, ``0.39¢``, ``0.41 c``; ``—`` when unknown."""
    if value is None:
        return DASH
    code = currency.upper()
    if abs(value) >= 1:
        return money(value, code)
    if code in MINOR_SUFFIX:
        minor = value.scaleb(minor_digits(code))
        text = _significant(abs(minor), 2)
        return f"{'-' if minor < 0 else ''}{text}{MINOR_SUFFIX[code]}"
    return _with_symbol(_significant(abs(value), minor_digits(code)), code, value < 0)


def count(n: int) -> str:
    """``1,234,567``."""
    return f"{int(n):,}"


def percent(x: Decimal | None, *, signed: bool = False) -> str:
    """A fraction as a percentage with one decimal: ``Decimal("0.123")`` -> ``12.3%``.

    Non-zero shares below 0.05% read ``<0.1%`` rather than a misleading ``0.0%``.
    """
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

"""A statement layout, declared, and the one normalizer every layout shares.

A layout says which header cells identify it, which column holds each field, and the few
facts about its numbers, dates and currency. Code that only one layout needs (Bandcamp's
payout rows, a disclosure summary's period) goes in its hooks; everything else (parsing money
exactly, months, platforms, kinds, territories, error messages) happens once, here, for all
layouts.

The hook contract. Every hook is a plain function the layout names; nothing outside the
layout binds or replaces it. Each gets one ``FileFacts``: what is known about the file before
its rows are read (its name for messages, header, column map, the importer's options, the
number style, what ``scan`` found in the whole file, and the file row its data starts on).

* ``recognize(header) -> column map | None``: detection for headers that carry data
  (``Income (GBP)``), instead of ``signature``/``columns``.
* ``headerless(first_row) -> column names | None``: for files with no header row at all
  (ClicknClear), asked only when no layout recognizes a header among a text file's first rows:
  given the cells of its first row, the names of its columns when this layout writes such a
  row. The names stand for the header: the layout is then detected by them like any header (so
  its ``recognize`` or ``signature`` must accept them), and every row, the first included, is
  data.
* ``scan(chunks, facts) -> dict``: reads the raw chunks once before the import, for facts one
  row needs from another anywhere in the file; the result is ``facts.scanned``.
* ``prepare(data, facts) -> data``: the layout's own code on a chunk with field names (drop
  transfer rows, fill a month from the header, ...); ``whole_table`` gives it all rows at once.
  A row that is not a line (a payout, a total row) is marked with ``drop_rows(data, mask,
  reason)`` rather than removed, so that every result can say rows = stored + skipped +
  dropped, and why; rows a hook removes outright are counted as ``not a line``. Rows whose
  every mapped cell is blank are dropped as ``empty`` before any hook sees them.

Adding a layout is one module with a ``LAYOUT`` and a line in ``importers.LAYOUTS``::

    def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
        return data[data["kind"].str.lower() != "payout"]  # transfers are not income

    LAYOUT = Layout(
        name="example", source="Example Music", title="Example Music royalty CSV",
        signature=("Sale Month", "Store", "Net (USD)"),
        columns={"usage_month": "Sale Month", "store": "Store", "amount": "Net (USD)"},
        currency="USD", prepare=_prepare,
    )
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from royalty import platforms, territories
from royalty.errors import StatementError
from royalty.money import guess_decimal_comma, parse_amounts, parse_quantities, style_name
from royalty.months import parse_months
from royalty.vocabulary import KINDS

FIELDS = (
    "usage_month",  # month the music was played or bought (required)
    "usage_month_end",  # last month, for rows covering a period (disclosure summaries)
    "reporting_month",  # month the distributor credited it
    "store",  # the store as written (required)
    "artist",
    "title",  # track title
    "release",  # release (album/EP/single) title
    "isrc",
    "upc",
    "territory",
    "kind",  # raw kind-of-use text, mapped with ``Layout.kinds``
    "quantity",
    "amount",  # what the artist earned, in ``currency`` (required)
    "currency",
    "source_amount",  # the same earning in the currency the store paid, when converted
    "source_currency",
    "fx_rate",  # the statement's own rate from source_currency to currency
)
REQUIRED = ("usage_month", "store", "amount")

DROPPED = "dropped"
"""The column a ``prepare`` hook fills (through ``drop_rows``) with why a row is not a line."""
EMPTY, NOT_A_LINE = "empty", "not a line"


@dataclass(frozen=True)
class ImportOptions:
    """What the person importing says about a file that the file may not say itself."""

    artist: str | None = None
    period: tuple[int, int] | None = None
    currency: str | None = None
    layouts: tuple[Layout, ...] = ()
    """Layouts tried before the built-in ones: a column mapping given for this import, and
    the saved ones (``importers.mapped``)."""


@dataclass(frozen=True)
class FileFacts:
    """What is known about one file before its rows are read: the one argument of every hook
    (see the module docstring)."""

    file: str
    """The file's name, for messages (``StatementError(facts.file, ...)``)."""
    header: tuple[str, ...]
    mapping: Mapping[str, str]
    """Field -> the header cell that holds it."""
    options: ImportOptions
    decimal_comma: bool | None = None
    """The file's number style, decided once by the importer; None in a one-chunk preview,
    where the chunk decides alone."""
    scanned: Mapping[str, object] = field(default_factory=dict)
    """What the layout's ``scan`` found in the whole file."""
    preamble: tuple[tuple[str, ...], ...] = ()
    """The rows above the header, as cells: some reports say their period or currency only
    there (Apple Music's ``Currency<TAB>AUD``, Spotify's ``Start date`` block); read them
    with ``preamble_values``. Empty when the header is the first row."""
    first_row: int = 2
    """The file row of the table's first data row. (Each raw chunk's index gives each row's
    own, blank lines counted: a row ``scan`` finds wrong is named by it, as ``normalize``
    names rows.)"""


def preamble_values(preamble: Iterable[Sequence[str]]) -> dict[str, str]:
    """The facts a report's opening rows give, by lower-case name.

    Two shapes are read: rows of a name and a value (``Currency<TAB>AUD``), and a row of
    names over a row of values as wide (``Format version, Start date, End date`` over ``2,
    2017-10-01, 2017-10-31``). Anything else (a title line, a blank row) gives nothing, so a
    layout that needs a fact it does not find asks for it instead of guessing.
    """
    rows = [[c.strip() for c in row] for row in preamble]
    rows = [row[: max(i for i, c in enumerate(row) if c) + 1] for row in rows if any(row)]
    values: dict[str, str] = {}
    i = 0
    while i < len(rows):
        row = rows[i]
        following = rows[i + 1] if i + 1 < len(rows) else None
        if len(row) > 2 and following is not None and len(following) == len(row):
            values.update((k.lower(), v) for k, v in zip(row, following, strict=True) if k)
            i += 2
            continue
        if len(row) == 2 and row[0]:
            values[row[0].lower()] = row[1]
        i += 1
    return values


@dataclass(frozen=True)
class Layout:
    name: str
    """Stable id stored with each statement, e.g. ``distrokid``."""
    source: str
    """The distributor; lines already stored from the same source are not counted twice."""
    title: str
    """What a person calls this file."""
    signature: tuple[str, ...]
    """Header cells (any case) that are all present in this layout's header."""
    columns: Mapping[str, str | tuple[str, ...]]
    """Field -> header cell, or a tuple of aliases (first present wins)."""
    currency: str | None = None
    """The currency when the file has no currency column (DistroKid: USD)."""
    day_first: bool = False
    decimal_comma: bool | None = None
    """``None``: decided once per file from the amounts themselves (``money.decide_style``);
    every cell that does not fit the decided style is then an error naming its row."""
    kinds: Mapping[str, str] = field(default_factory=dict)
    """Lower-case raw kind text -> one of ``KINDS``; unknown text falls back to the store's kind."""
    excludes: tuple[str, ...] = ()
    """Header cells that rule this layout out (to tell look-alike layouts apart)."""
    prepare: Callable[[pd.DataFrame, FileFacts], pd.DataFrame] | None = None
    """Layout-specific code on a chunk with field names (see the module docstring)."""
    recognize: Callable[[list[str]], dict[str, str] | None] | None = None
    """Custom detection for headers that carry data (``Income (GBP)``): -> column map or None."""
    headerless: Callable[[list[str]], list[str] | None] | None = None
    """For files without a header row: their first row's cells -> the names of their columns,
    or None when the row is not this layout's (see the module docstring)."""
    whole_table: bool = False
    """``prepare`` gets the whole table at once, not chunk by chunk: for small tables whose
    rows are checked against each other (a summary's Total row)."""
    scan: Callable[[Iterable[pd.DataFrame], FileFacts], Mapping[str, object]] | None = None
    """For a layout whose rows need facts from other rows of the file: reads the raw chunks
    once before the import; what it returns reaches every chunk's ``prepare`` as
    ``facts.scanned``."""
    blank_amount_is_zero: bool = False

    def column_map(self, header: list[str]) -> dict[str, str] | None:
        """Header -> {field: header cell}, or None when this header is not this layout."""
        lower = {h.lower(): h for h in header}
        if self.recognize is not None:
            return self.recognize(header)
        if not all(s.lower() in lower for s in self.signature):
            return None
        if any(e.lower() in lower for e in self.excludes):
            return None
        mapping: dict[str, str] = {}
        for fld, names in self.columns.items():
            for name in (names,) if isinstance(names, str) else names:
                if name.lower() in lower:
                    mapping[fld] = lower[name.lower()]
                    break
        # a required field the layout names no column for (one store for the whole file, a
        # period stated above the rows) is its ``prepare``'s to fill
        if not all(r in mapping for r in REQUIRED if r in self.columns):
            return None
        return mapping


def _fail(
    file: str, rows: pd.DataFrame, values: pd.Series, bad: pd.Series, column: str, problem: str
) -> None:
    """Raise for the first bad value, quoting it as the file wrote it."""
    if not bool(bad.any()):
        return
    first = int(np.argmax(bad.to_numpy()))
    count = int(bad.sum())
    more = f" ({count - 1} more rows like it)" if count > 1 else ""
    cell = str(values.iloc[first])
    shown = repr(cell) if len(cell) <= 200 else f"{cell[:200]!r}... ({len(cell):,} characters)"
    raise StatementError(
        file,
        f"{problem}: {shown}{more}",
        row=int(rows["row_number"].iloc[first]),
        column=column,
    )


def _not_a_number(what: str, values: pd.Series, bad: pd.Series, decimal_comma: bool) -> str:
    """What is wrong with the first bad cell; when the other number style would read it, say
    which style the file was found to use, since that cell is the one that does not fit."""
    if not bool(bad.any()):
        return f"is not {what}"
    first = values[bad].iloc[:1]
    if bool(parse_amounts(first, decimal_comma=not decimal_comma).bad.iloc[0]):
        return f"is not {what}"
    return (
        f"is not {what} as this file writes them (with {style_name(decimal_comma)}, "
        "decided once for the whole file)"
    )


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return _as_text(frame[name]).str.strip()
    return pd.Series("", index=frame.index, dtype=str)


def _as_text(values: pd.Series) -> pd.Series:
    """Cells as strings, empty for missing ones (the text reader's columns already are)."""
    if values.dtype == "str" and not values.hasnans:
        return values
    return values.fillna("").astype(str)


def _mapped_text(values: pd.Series, fn: Callable[[str], str]) -> pd.api.extensions.ExtensionArray:
    """Apply ``fn`` once per distinct value (statements repeat stores, countries, ISRCs), as a
    string array built without a Python object per row."""
    codes, uniques = pd.factorize(values, sort=False)
    return pd.array([fn(u) for u in uniques], dtype="str").take(codes)


def drop_rows(data: pd.DataFrame, mask: pd.Series, reason: str) -> pd.DataFrame:
    """Mark the rows of ``mask`` as not lines, for ``reason`` (``transfer``, ``total row``):
    ``normalize`` leaves them out and counts them under that reason."""
    if DROPPED not in data.columns:
        data = data.assign(**{DROPPED: ""})
    data.loc[mask & (data[DROPPED] == ""), DROPPED] = reason
    return data


def dropped_counts(lines: pd.DataFrame) -> dict[str, int]:
    """Reason -> rows of the chunk that ``normalize`` left out (see ``drop_rows``)."""
    return dict(lines.attrs.get(DROPPED, {}))


def normalize(
    frame: pd.DataFrame, *, layout: Layout, facts: FileFacts, first_row: int | None = None
) -> pd.DataFrame:
    """Raw rows (header names as in the file) -> typed rows with the fields of ``FIELDS``;
    the rows left out, by reason, are in ``dropped_counts(result)``.

    Each row's number is its row in the file: the frame's index, as the reader's chunks are
    indexed (blank lines counted); or, given ``first_row``, that of the frame's first row and
    the next ones after it. Raises ``StatementError`` naming file, row and column for the
    first value that is wrong.
    """
    headers, options, file = dict(facts.mapping), facts.options, facts.file
    data = pd.DataFrame(index=frame.index)
    for fld, col in headers.items():
        data[fld] = _as_text(frame[col])
    data["row_number"] = (
        frame.index.to_numpy(dtype=np.int64)
        if first_row is None
        else np.arange(first_row, first_row + len(frame), dtype=np.int64)
    )
    dropped: dict[str, int] = {}
    if headers:
        blank = np.logical_and.reduce([(data[f].str.strip() == "").to_numpy() for f in headers])
        if blank.any():
            dropped[EMPTY] = int(blank.sum())
            data = data[~blank]
    label = {fld: headers.get(fld, fld) for fld in FIELDS}
    if layout.prepare is not None and not data.empty:
        given = len(data)
        data = layout.prepare(data, facts)
        if DROPPED in data.columns:
            marked = data[DROPPED] != ""
            for reason, count in data.loc[marked, DROPPED].value_counts().items():
                dropped[str(reason)] = dropped.get(str(reason), 0) + int(count)
            data = data[~marked].drop(columns=DROPPED)
            given -= int(marked.sum())
        if len(data) < given:
            dropped[NOT_A_LINE] = dropped.get(NOT_A_LINE, 0) + given - len(data)
        label.update({f: headers.get(f, f) for f in data.columns if f not in label})
    if data.empty:
        empty = _typed_empty()
        empty.attrs[DROPPED] = dropped
        return empty

    out = pd.DataFrame(index=data.index)
    out["row_number"] = data["row_number"].to_numpy()

    # months
    usage = _text(data, "usage_month")
    months, bad = parse_months(usage, day_first=layout.day_first)
    _fail(file, data, usage, bad, label["usage_month"], "is not a date or month")
    out["usage_month"] = months
    if "usage_month_end" in data.columns:
        end, bad_end = parse_months(_text(data, "usage_month_end"), day_first=layout.day_first)
        out["usage_month_end"] = np.where(bad_end.to_numpy(), months, end)
    else:
        out["usage_month_end"] = months
    if "reporting_month" in data.columns:
        rep, _ = parse_months(_text(data, "reporting_month"), day_first=layout.day_first)
        out["reporting_month"] = pd.arrays.IntegerArray(rep.astype(np.int64), rep == 0)
    else:
        out["reporting_month"] = pd.array([None] * len(data), dtype="Int64")

    # money
    raw_amount = _text(data, "amount")
    if layout.blank_amount_is_zero:
        raw_amount = raw_amount.where(raw_amount != "", "0")
    # one decision per file (the importer makes it); a lone chunk (a preview) decides alone
    decimal_comma = layout.decimal_comma if facts.decimal_comma is None else facts.decimal_comma
    if decimal_comma is None:
        decimal_comma = guess_decimal_comma(raw_amount)
    amounts = parse_amounts(raw_amount, decimal_comma=decimal_comma)
    _fail(
        file, data, raw_amount, amounts.bad, label["amount"],
        _not_a_number("an amount of money", raw_amount, amounts.bad, decimal_comma),
    )  # fmt: skip
    out["amount"] = amounts.text.astype(object)
    out["amount_nano"] = amounts.nano

    fixed = (layout.currency or options.currency or "").upper()
    if "currency" not in data.columns:
        if not re.fullmatch(r"[A-Z]{3}", fixed):
            raise StatementError(
                file, "does not say its currency; choose one (for example --currency GBP)"
            )
        out["currency"] = pd.Series(fixed, index=data.index, dtype=str).array
    else:
        currency = _text(data, "currency").str.upper()
        if fixed:
            currency = currency.where(currency != "", fixed)
        bad = ~currency.str.fullmatch(r"[A-Z]{3}")
        _fail(file, data, currency, bad, label["currency"], "is not a currency code")
        out["currency"] = currency.array

    for fld in ("source_amount", "fx_rate"):
        values = _text(data, fld) if fld in data.columns else None
        if values is not None and bool((values != "").any()):
            parsed = parse_amounts(values.where(values != "", "0"), decimal_comma=decimal_comma)
            parsed_bad = parsed.bad & (values != "")
            _fail(
                file, data, values, parsed_bad, label[fld],
                _not_a_number("a number", values, parsed_bad, decimal_comma),
            )  # fmt: skip
            out[fld] = parsed.text.where(values != "", None).astype(object)
        else:
            out[fld] = None
    out["source_currency"] = (
        _text(data, "source_currency").str.upper().replace("", None).astype(object)
        if "source_currency" in data.columns
        else None
    )

    quantity = _text(data, "quantity")
    # counts in the same style: with decimal commas ``12.480`` is twelve thousand and more
    qty, bad = parse_quantities(quantity, decimal_comma=decimal_comma)
    _fail(file, data, quantity, bad, label["quantity"], "is not a whole number of units")
    out["quantity"] = qty

    # who, what, where
    out["artist"] = (options.artist or "").strip() or None
    if out["artist"].isna().all():
        out["artist"] = _text(data, "artist").replace("", "Unknown artist").array
    store = _text(data, "store").replace("", "Unknown store")
    out["store"] = store.array
    # one lookup per distinct (store, kind text): the kind named in the row, else the store's
    raw_kind = _text(data, "kind").str.lower()
    store_codes, stores = pd.factorize(store, sort=False)
    kind_codes, kind_texts = pd.factorize(raw_kind, sort=False)
    codes, pairs = pd.factorize(store_codes * len(kind_texts) + kind_codes, sort=False)
    known_kind = "kind" in data.columns
    platform_of, kind_of = [], []
    for pair in pairs:
        store_name, kind_text = stores[pair // len(kind_texts)], kind_texts[pair % len(kind_texts)]
        platform, store_kind = platforms.canonical(store_name)
        kind = layout.kinds.get(kind_text) if layout.kinds else None
        if kind is None:
            kind = store_kind
        if known_kind and kind not in KINDS:
            kind = "other"
        platform_of.append(platform)
        kind_of.append(kind)
    out["platform"] = pd.array(platform_of, dtype="str").take(codes)
    out["kind"] = pd.array(kind_of, dtype="str").take(codes)
    out["title"] = _text(data, "title").array
    out["release"] = _text(data, "release").array
    out["isrc"] = _mapped_text(_text(data, "isrc"), _clean_isrc)
    upc = _text(data, "upc")
    out["upc"] = _mapped_text(upc, _clean_upc)
    out["upc_hint"] = _mapped_text(upc, _upc_hint)
    out["territory"] = _mapped_text(_text(data, "territory"), territories.normalize)
    out = out.reset_index(drop=True)
    out.attrs[DROPPED] = dropped
    return out


def streamed_kinds(stores: pd.Series) -> pd.Series:
    """The kind of each line its statement calls a stream (``Streaming``, ``Subscription``,
    ``Stream``), by its store.

    Label statements put every non-download under one word, Facebook, TikTok and YouTube UGC
    included; those are music under videos, and counted as streams they would skew per-stream
    rates. So the store decides, as for a line that names no kind, except that a shop selling
    downloads streams through its subscription (Beatport LINK, iTunes Match): a line it calls
    a stream is one.
    """
    codes, uniques = pd.factorize(stores.fillna("").astype(str).str.strip(), sort=False)
    kinds = []
    for store in uniques:
        kind = platforms.canonical(store)[1]
        kinds.append("stream" if kind in ("download", "physical") else kind)
    return pd.Series(np.array(kinds, dtype=object)[codes], index=stores.index, dtype=object)


def name_mixes_and_artists(data: pd.DataFrame) -> None:
    """A row's ``mix`` (``Original Mix``, ``Club Mix``) put into its title, and the release's
    artist (``release_artist``) given to rows that name no artist of their own.

    Download shops sell each mix of a title as a recording of its own, and a title alone would
    merge them where no ISRC tells them apart; a whole release's line names no track, so no
    track artist, and belongs to the release's artist.
    """
    if "mix" in data.columns and "title" in data.columns:
        mix = data["mix"].str.strip()
        named = (mix != "") & (data["title"].str.strip() != "")
        data.loc[named, "title"] = data.loc[named, "title"].str.strip() + " (" + mix + ")"
    if "release_artist" in data.columns and "artist" in data.columns:
        no_artist = data["artist"].str.strip() == ""
        data.loc[no_artist, "artist"] = data.loc[no_artist, "release_artist"]


def _clean_isrc(text: str) -> str:
    return re.sub(r"[\s-]", "", text).upper()


def _clean_upc(text: str) -> str:
    """A UPC in scientific notation (``7.34168E+11``) lost its digits in a spreadsheet: unknown."""
    upc = re.sub(r"^(?i:empty:)|[\"\s]", "", text)
    return "" if re.search(r"[eE][+-]?\d|\.", upc) else upc


def _upc_hint(text: str) -> str:
    """What is left of a UPC a spreadsheet wrote in scientific notation (``1.98005E+11``):
    its leading digits, for ``ingest`` to find the release it belongs to; else empty."""
    upc = re.sub(r"[\"\s]", "", text).replace(",", ".")
    return upc.upper() if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d{1,2}", upc) else ""


def _typed_empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row_number": pd.Series(dtype="int64"),
            "usage_month": pd.Series(dtype="int64"),
            "usage_month_end": pd.Series(dtype="int64"),
            "reporting_month": pd.Series(dtype="Int64"),
            "amount": pd.Series(dtype=object),
            "amount_nano": pd.Series(dtype="int64"),
            "currency": pd.Series(dtype=object),
            "source_amount": pd.Series(dtype=object),
            "fx_rate": pd.Series(dtype=object),
            "source_currency": pd.Series(dtype=object),
            "quantity": pd.Series(dtype="int64"),
            "artist": pd.Series(dtype=object),
            "store": pd.Series(dtype=object),
            "platform": pd.Series(dtype=object),
            "kind": pd.Series(dtype=object),
            "title": pd.Series(dtype=object),
            "release": pd.Series(dtype=object),
            "isrc": pd.Series(dtype=object),
            "upc": pd.Series(dtype=object),
            "upc_hint": pd.Series(dtype=object),
            "territory": pd.Series(dtype=object),
        }
    )

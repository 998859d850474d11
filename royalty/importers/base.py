"""A statement layout, declared: the contract every layout module keeps.

A layout says which header cells identify it, which column holds each field, and the few
facts about its numbers, dates and currency. Code that only one layout needs (Bandcamp's
payout rows, a disclosure summary's period) goes in its hooks; everything else (parsing money
exactly, months, platforms, kinds, territories, error messages) happens once, for all
layouts, in ``importers.normalizer``.

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
* ``scan(chunks, facts) -> dict``: called once before the import, for facts one row needs
  from another anywhere in the file; the result is ``facts.scanned``. It may read the raw
  chunks (a second pass over the file: they hold the columns the layout maps,
  ``facts.mapping``, and may hold no others) or leave them unread, and return what ``prepare``
  keeps from chunk to chunk (the chunks of an import come in file order). A function it
  returns under ``FINISH`` is called with the facts after the import's last chunk, inside its
  transaction: a check that needs every row (a ``StatementError`` there stores nothing). A
  preview has no scan.
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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from royalty import platforms

FIELDS = (
    "usage_month",  # month the music was played or bought (required)
    "usage_month_end",  # last month, for rows covering a period (disclosure summaries)
    "reporting_month",  # month the distributor credited it
    "store",  # the store as written (required)
    "artist",
    "title",  # track title
    "release",  # release (album/EP/single) title
    "isrc",
    "iswc",  # the composition's code, on songwriting statements that give one
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
FINISH = "finish"
"""The key of ``scan``'s result for what is checked after the last chunk (see the module
docstring)."""


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
    """For a layout whose rows need facts from other rows of the file: called once before the
    import (it may read the raw chunks); what it returns reaches every chunk's ``prepare`` as
    ``facts.scanned``, and its ``FINISH`` runs after the last chunk."""
    blank_amount_is_zero: bool = False
    fills: tuple[str, ...] = ()
    """Fields of ``REQUIRED`` whose column this layout reads when a file has it and its
    ``prepare`` fills when not (a PRS table converted from its PDF may have no dates and no
    narrative of where the work was played: the person's period, the society)."""

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
        # period stated above the rows), or one it ``fills``, is its ``prepare``'s to fill
        if not all(r in mapping for r in REQUIRED if r in self.columns and r not in self.fills):
            return None
        return mapping


def drop_rows(data: pd.DataFrame, mask: pd.Series, reason: str) -> pd.DataFrame:
    """Mark the rows of ``mask`` as not lines, for ``reason`` (``transfer``, ``total row``):
    ``normalize`` leaves them out and counts them under that reason."""
    if DROPPED not in data.columns:
        data = data.assign(**{DROPPED: ""})
    data.loc[mask & (data[DROPPED] == ""), DROPPED] = reason
    return data


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

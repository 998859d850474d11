"""The one normalizer every layout shares: a chunk of raw rows (header names as in the file)
to typed rows with the fields of ``base.FIELDS``: months, exact money in the file's one number
style, currencies, quantities, platforms and kinds, names and codes, territories, with an error
naming file, row and column for the first value that is wrong. A layout's own code runs inside
it, as its ``prepare`` hook (see ``base``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from royalty import platforms, territories
from royalty.errors import StatementError
from royalty.importers.base import (
    DROPPED,
    EMPTY,
    FIELDS,
    NOT_A_LINE,
    FileFacts,
    Layout,
)
from royalty.money import guess_decimal_comma, parse_amounts, parse_quantities, style_name
from royalty.months import parse_months
from royalty.vocabulary import KINDS


def _fail(
    file: str,
    rows: pd.DataFrame,
    values: pd.Series,
    bad: pd.Series | np.ndarray,
    column: str,
    problem: str,
) -> None:
    """Raise for the first bad value, quoting it as the file wrote it."""
    mask = np.asarray(bad, dtype=bool)
    if not bool(mask.any()):
        return
    first = int(np.argmax(mask))
    count = int(mask.sum())
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


class _Cells:
    """One mapped column as its distinct cells, stripped as ``_text`` strips them, and which
    of them each row holds: statements repeat a few stores, months, countries and codes over
    many rows, so each distinct cell is stripped, cleaned, parsed or looked up once. An
    absent column is one empty cell in every row."""

    def __init__(self, data: pd.DataFrame, name: str) -> None:
        if name in data.columns:
            codes, uniques = pd.factorize(_as_text(data[name]), sort=False)
            self.values = pd.Series(uniques, dtype=str).str.strip()
        else:
            codes, self.values = np.zeros(len(data), dtype=np.intp), pd.Series([""], dtype=str)
        self.codes = codes
        """Per row, its cell's position in ``values`` (distinct raw cells may strip alike)."""

    def rows(self, values: pd.Series | None = None) -> pd.api.extensions.ExtensionArray:
        """``values`` (one per distinct cell; the stripped cells) as the column's rows."""
        return (self.values if values is None else values).array.take(self.codes)

    def text(self) -> pd.Series:
        """The stripped cells as the rows hold them (for quoting one in an error)."""
        return pd.Series(self.rows())

    def mapped(self, fn: Callable[[str], str]) -> pd.api.extensions.ExtensionArray:
        """``fn`` of each row's stripped cell, as a string array."""
        return pd.array([fn(u) for u in self.values], dtype="str").take(self.codes)


def _blank_rows(data: pd.DataFrame, fields: list[str]) -> np.ndarray:
    """Rows whose every mapped cell is blank. Each field is looked at only in the rows still
    blank in the fields before it: in a statement that is almost none after the first."""
    blank = np.ones(len(data), dtype=bool)
    for fld in fields:
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        blank[rows] = (data[fld].iloc[rows].str.strip() == "").to_numpy()
    return blank


def _months(cells: _Cells, day_first: bool) -> np.ndarray:
    """Each row's month (0 where its cell is not a date), each distinct cell parsed once."""
    parsed, _ = parse_months(cells.values, day_first=day_first)
    return parsed[cells.codes]


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
    # one frame built at once: a column inserted at a time costs pandas a copy of its blocks
    columns: dict[str, object] = {fld: _as_text(frame[col]) for fld, col in headers.items()}
    columns["row_number"] = (
        frame.index.to_numpy(dtype=np.int64)
        if first_row is None
        else np.arange(first_row, first_row + len(frame), dtype=np.int64)
    )
    data = pd.DataFrame(columns, index=frame.index)
    dropped: dict[str, int] = {}
    if headers:
        blank = _blank_rows(data, list(headers))
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

    out: dict[str, object] = {}  # the columns, made a frame once at the end
    out["row_number"] = data["row_number"].to_numpy()

    # months
    usage = _Cells(data, "usage_month")
    months = _months(usage, layout.day_first)
    if not months.all():
        _fail(file, data, usage.text(), months == 0, label["usage_month"], "is not a date or month")
    out["usage_month"] = months
    if "usage_month_end" in data.columns:
        end = _months(_Cells(data, "usage_month_end"), layout.day_first)
        out["usage_month_end"] = np.where(end == 0, months, end)
    else:
        out["usage_month_end"] = months
    if "reporting_month" in data.columns:
        rep = _months(_Cells(data, "reporting_month"), layout.day_first)
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
        cells = _Cells(data, "currency")
        codes = cells.values.str.upper()
        if fixed:
            codes = codes.where(codes != "", fixed)
        bad = (~codes.str.fullmatch(r"[A-Z]{3}")).to_numpy(dtype=bool)[cells.codes]
        currency = cells.rows(codes)
        if bad.any():
            _fail(file, data, pd.Series(currency), bad, label["currency"], "is not a currency code")
        out["currency"] = currency

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

    quantity = _Cells(data, "quantity")
    # counts in the same style: with decimal commas ``12.480`` is twelve thousand and more
    qty, bad = parse_quantities(quantity.values, decimal_comma=decimal_comma)
    if bad.any():
        _fail(
            file, data, quantity.text(), bad.to_numpy()[quantity.codes], label["quantity"],
            "is not a whole number of units",
        )  # fmt: skip
    out["quantity"] = qty[quantity.codes]

    # who, what, where
    artist = (options.artist or "").strip() or None
    out["artist"] = (
        artist if artist is not None else _text(data, "artist").replace("", "Unknown artist").array
    )
    store = _Cells(data, "store")
    stores = store.values.replace("", "Unknown store")
    out["store"] = store.rows(stores)
    # one lookup per distinct (store, kind text): the kind named in the row, else the store's
    kind = _Cells(data, "kind")
    kind_texts = kind.values.str.lower()
    codes, pairs = pd.factorize(store.codes * len(kind_texts) + kind.codes, sort=False)
    store_names, kind_names = stores.tolist(), kind_texts.tolist()
    known_kind = "kind" in data.columns
    platform_of, kind_of = [], []
    for pair in pairs:
        store_name, kind_text = (
            store_names[pair // len(kind_names)],
            kind_names[pair % len(kind_names)],
        )
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
    out["isrc"] = _Cells(data, "isrc").mapped(_clean_isrc)
    out["iswc"] = _Cells(data, "iswc").mapped(clean_iswc)
    upc = _Cells(data, "upc")
    out["upc"] = upc.mapped(_clean_upc)
    out["upc_hint"] = upc.mapped(_upc_hint)
    out["territory"] = _Cells(data, "territory").mapped(territories.normalize)
    # numbered from 0 as built: a frame indexed by the rows, then renumbered, is copied twice
    index = pd.RangeIndex(len(data))
    for name, values in out.items():
        if isinstance(values, pd.Series):  # object columns stay object (not inferred as text)
            out[name] = values.set_axis(index)
    lines = pd.DataFrame(out, index=index)
    lines.attrs[DROPPED] = dropped
    return lines


def _clean_isrc(text: str) -> str:
    return re.sub(r"[\s-]", "", text).upper()


def clean_iswc(text: str) -> str:
    """``T-123.456.789-4`` or ``T1234567894`` -> ``T1234567894``; anything else -> "" (a
    society's own work number is not a work's code every statement shares)."""
    code = re.sub(r"[\s.\-]", "", text).upper()
    return code if re.fullmatch(r"T\d{10}", code) else ""


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
            "iswc": pd.Series(dtype=object),
            "upc": pd.Series(dtype=object),
            "upc_hint": pd.Series(dtype=object),
            "territory": pd.Series(dtype=object),
        }
    )

"""Line identity and overlap: which lines of a file an earlier statement of the same source
already stored, so that an overlapping export counts once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    CursorResult,
    and_,
    or_,
    select,
)

from royalty.errors import StatementError
from royalty.store.keyindex import KeyIndex
from royalty.store.models import (
    EarningLine,
    Statement,
)


class Overlap:
    """What each line is (content hash and occurrence) and whether an earlier statement of
    the same source already stored it (see ``HASH_FIELDS`` and the package's rules).

    ``beside_imports``: other imports may write at the same time (PostgreSQL). A line's
    content names its artist, so only an import holding that artist's lock can store the same
    line; the import calls ``met`` once it holds the locks of artists it meets later in its
    file, and their lines stored meanwhile are read then.
    """

    def __init__(
        self,
        execute: Callable[..., CursorResult],
        source: str,
        statement_id: int,
        *,
        beside_imports: bool = False,
    ) -> None:
        self._execute, self.source, self.statement_id = execute, source, statement_id
        self.beside_imports = beside_imports
        self.seen = Occurrences()
        self.existing_range: tuple[int, int] | None = None
        self.existing_keys: list[np.ndarray] = []
        self.known: pd.Index | None = None
        self.loose: list[np.ndarray] = []
        self.has_lines: bool | None = None
        """Whether another statement of the source has lines; asked when first needed."""
        self.noted_all = True
        """Whether ``loose`` holds every line stored (see ``met``)."""

    def _source_has_lines(self) -> bool:
        return (
            self._execute(
                select(EarningLine.id)
                .join(Statement, Statement.id == EarningLine.statement_id)
                .where(Statement.source == self.source, Statement.id != self.statement_id)
                .limit(1)
            ).first()
            is not None
        )

    def _has_lines(self) -> bool:
        if self.has_lines is None:
            self.has_lines = self._source_has_lines()
        return self.has_lines

    def met(self, artists: list[int]) -> None:
        """These stored artists are now locked by this import: what other imports stored
        for them before is read, if earlier batches already read what was stored."""
        if not self.beside_imports or not artists or self.has_lines is None:
            return
        if not self.has_lines:
            self.has_lines = self._source_has_lines()
            if self.has_lines:  # the batches before were stored without notes
                self.noted_all = False
            return
        if self.existing_range is not None:
            self._load_existing(*self.existing_range, artists=artists)

    def identity(self, lines: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(content hash, occurrence of that content so far in this file) per line."""
        # one frame built at once (a selection, then a column added, copies it twice)
        columns = {name: lines[name] for name in HASH_FIELDS}
        for name in NUMBER_TEXT_FIELDS:
            columns[name] = _number_value_text(columns[name])
        frame = pd.DataFrame({**columns, "source": self.source}, index=lines.index, copy=False)
        hashes = pd.util.hash_pandas_object(frame, index=False, hash_key=HASH_KEY)
        hashes = pd.Series(hashes.to_numpy().view(np.int64))
        occurrence = self.seen.occurrences(hashes.to_numpy())
        return hashes.to_numpy(), occurrence

    def already_stored(
        self, hashes: np.ndarray, occurrence: np.ndarray, lines: pd.DataFrame
    ) -> np.ndarray:
        """Lines whose (content, occurrence) an earlier statement of this source already stored.

        Earlier lines are read once per month range and kept as one int64 key each, so a large
        overlapping export costs one query per new range, not one per chunk.
        """
        if not self._has_lines():
            return np.zeros(len(hashes), dtype=bool)
        low, high = int(lines["usage_month"].min()), int(lines["usage_month"].max())
        if self.existing_range is None:
            self._load_existing(low, high)
        else:
            loaded_low, loaded_high = self.existing_range
            if low < loaded_low:
                self._load_existing(low, loaded_low - 1)
            if high > loaded_high:
                self._load_existing(loaded_high + 1, high)
        if not self.existing_keys:
            return np.zeros(len(hashes), dtype=bool)
        if self.known is None:  # built once per range loaded, not once per batch
            self.known = pd.Index(np.unique(np.concatenate(self.existing_keys)))
        return self.known.get_indexer(_line_keys(hashes, occurrence)) >= 0

    def _load_existing(self, low: int, high: int, *, artists: list[int] | None = None) -> None:
        """Keys of the source's lines of usage months ``low..high`` (of ``artists`` only:
        the range is loaded already, for other artists), from the statements whose months
        reach into that range."""
        query = (
            select(EarningLine.line_hash, EarningLine.occurrence)
            .join(Statement, Statement.id == EarningLine.statement_id)
            .where(
                Statement.source == self.source,
                Statement.id != self.statement_id,
                or_(
                    Statement.first_month.is_(None),
                    and_(Statement.first_month <= high, Statement.last_month >= low),
                ),
                EarningLine.usage_month >= low,
                EarningLine.usage_month <= high,
            )
        )
        if artists is not None:
            query = query.where(EarningLine.artist_id.in_(artists))
        rows = self._execute(query).all()
        if rows:
            found = np.array(rows, dtype=np.int64)
            self.existing_keys.append(np.unique(_line_keys(found[:, 0], found[:, 1])))
            self.known = None
        old = self.existing_range or (low, high)
        self.existing_range = (min(old[0], low), max(old[1], high))

    def note(self, rows: pd.DataFrame) -> None:
        """Remember the stored rows' contents, identifiers aside, for ``refuse_a_copy``."""
        if self.has_lines:
            self.loose.append(_loose_keys(rows))

    def refuse_a_copy(self, name: str, first_month: int, last_month: int) -> None:
        """Refuse a file every line of which is already stored, identifiers aside.

        A line's identity includes its ISRC, UPC and titles, which a spreadsheet re-save or
        another export of the same months may spell differently; lines that agree on month,
        store, country, quantity and exact amount with lines of an earlier statement of the
        same source, all of them, are that statement again, not new income.
        """
        new = np.unique(np.concatenate(self.loose))
        line, statement = EarningLine.__table__.c, Statement.__table__.c
        statements = Statement.__table__
        found = np.zeros(len(new), dtype=bool)
        result = self._execute(
            select(
                line.usage_month, line.store_id, line.territory, line.quantity,
                line.amount_nano, line.currency, line.statement_id,
            )
            .join(statements, statement.id == line.statement_id)
            .where(
                statement.source == self.source,
                statement.id != self.statement_id,
                line.usage_month >= first_month,
                line.usage_month <= last_month,
            )
            .execution_options(yield_per=200_000)
        )  # fmt: skip
        earlier: set[int] = set()
        for part in result.partitions():
            old = pd.DataFrame(part, columns=[*LOOSE_FIELDS, "statement_id"])
            hit = np.isin(_loose_keys(old), new)
            earlier.update(old.loc[hit, "statement_id"].unique().tolist())
            found |= np.isin(new, _loose_keys(old))
            if found.all():
                break
        if found.all():
            names = self._execute(
                select(statement.file_name).where(statement.id.in_(sorted(earlier))).limit(3)
            ).scalars()
            raise StatementError(
                name,
                f"every line of it is already stored from an earlier {self.source} "
                f"statement ({', '.join(names)}): the same months, stores, countries, "
                "quantities and amounts, under other identifiers (UPCs, ISRCs or titles "
                "written differently, as a spreadsheet re-save writes them); nothing was "
                "imported. If this is a corrected statement, remove the earlier one first",
            )


HASH_FIELDS = [
    "artist", "usage_month", "usage_month_end", "reporting_month", "store", "title", "release",
    "isrc", "upc", "territory", "kind", "quantity", "amount_nano", "currency", "source_amount",
    "source_currency", "fx_rate",
]  # fmt: skip
"""What identifies a line's content. Values, not their spelling: a spreadsheet re-save writes
``0.3127815`` for ``0.31278150`` and must still be recognized as the same line."""


NUMBER_TEXT_FIELDS = ("source_amount", "fx_rate")


HASH_KEY = "royalty-lines-v2"  # 16 bytes, as pandas requires; bump when HASH_FIELDS change


def _number_value_text(values: pd.Series) -> pd.Series:
    """Decimal text without the zeros that do not change its value (``0.7900`` -> ``0.79``)."""
    if values.isna().all():
        return values
    arr = pa.array(values, type=pa.string(), from_pandas=True)
    arr = pc.replace_substring_regex(arr, pattern=r"(\.\d*?)0+$", replacement=r"\1")
    arr = pc.replace_substring_regex(arr, pattern=r"\.$", replacement="")
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


class Occurrences:
    """How often each int64 key was seen, across the batches of a file."""

    def __init__(self) -> None:
        self.index = KeyIndex()
        self.counts = np.empty(0, dtype=np.int64)
        """Per slot of ``index``."""

    def occurrences(self, keys: np.ndarray) -> np.ndarray:
        """Count ``keys``; returns, per key, how many equal keys came before it (in earlier
        calls and earlier in this one). One stable sort of the batch gives both."""
        n = len(keys)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if n else order
        unique, counts = ordered[starts], np.diff(np.r_[starts, n])
        group = np.repeat(np.arange(len(unique)), counts)
        slots, _ = self.index.slots(unique)
        if self.index.size > len(self.counts):
            grown = max(self.index.size, 2 * len(self.counts))
            self.counts = np.concatenate(
                [self.counts, np.zeros(grown - len(self.counts), np.int64)]
            )
        before = self.counts[slots]
        self.counts[slots] += counts
        out = np.empty(n, dtype=np.int64)
        out[order] = before[group] + np.arange(n) - starts[group]
        return out


LOOSE_FIELDS = ["usage_month", "store_id", "territory", "quantity", "amount_nano", "currency"]
"""What a line is, identifiers aside: see ``Overlap.refuse_a_copy``."""


def _loose_keys(rows: pd.DataFrame) -> np.ndarray:
    frame = pd.DataFrame(
        {
            "usage_month": rows["usage_month"].to_numpy(dtype=np.int64),
            "store_id": rows["store_id"].to_numpy(dtype=np.int64),
            "territory": rows["territory"].fillna("").astype(str).to_numpy(),
            "quantity": rows["quantity"].to_numpy(dtype=np.int64),
            "amount_nano": rows["amount_nano"].to_numpy(dtype=np.int64),
            "currency": rows["currency"].astype(str).to_numpy(),
        }
    )
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def _line_keys(hashes: np.ndarray, occurrence: np.ndarray) -> np.ndarray:
    """(content hash, occurrence) as one int64: a 64-bit mix, as unlikely to collide as a hash."""
    mixed = hashes.astype(np.int64).view(np.uint64) ^ (
        occurrence.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    )
    return mixed.view(np.int64)

"""The one-file transaction: a statement's rows read, normalized, identified, stored,
summed and reconciled, all or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    CursorResult,
    Executable,
    insert,
)

from royalty import importers
from royalty.background import read_ahead
from royalty.errors import StatementError
from royalty.importers.base import FINISH, FileFacts, ImportOptions, Layout
from royalty.importers.normalizer import dropped_counts
from royalty.ingest.dimensions import Dimensions
from royalty.ingest.facts import number_style
from royalty.ingest.identity import Overlap
from royalty.ingest.reader import (
    Source,
    Table,
)
from royalty.ingest.reconcile import Tally, reconcile
from royalty.ingest.resaved import UpcRestorer
from royalty.ingest.result import ImportResult, Progress
from royalty.ingest.tables import layout_of
from royalty.money import (
    EXACT,
    decimal_text,
    exact_sum,
    nano_to_decimal,
)
from royalty.months import month_text
from royalty.store import bulk, references, rollup_sums, shared, track_links
from royalty.store.db import lock_artists
from royalty.store.models import (
    EarningLine,
    Statement,
    StatementTotal,
)

LINE_COLUMNS = [c.name for c in EarningLine.__table__.columns if c.name != "id"]


class FileImport:
    """One file's import inside its transaction: it composes the steps of the package
    (dimensions, identity and overlap, the bulk writer, summaries, reconciliation) and keeps
    the counts the result reports."""

    def __init__(
        self,
        conn: Connection,
        source: Source,
        digest: str,
        options: ImportOptions,
        progress: Progress | None,
        *,
        careful: bool = False,
        waiting: Callable[[float], None] | None = None,
    ) -> None:
        self.conn, self.source, self.options, self.progress = conn, source, options, progress
        self.careful = careful
        self.waiting = waiting
        self.beside_imports = conn.dialect.name == "postgresql"
        """Other imports write at the same time (see ``royalty.store.locks``)."""
        self.artist_locks: set[int] = set()
        self.writer = bulk.Writer(conn)
        self.digest = digest
        self.rows = 0
        self.stored = 0
        self.skipped = 0
        self.dropped: dict[str, int] = {}
        """Reason -> rows that are not lines (transfers, total rows, empty rows)."""
        self.file_totals: dict[str, Decimal] = {}
        self.skipped_totals: dict[str, Decimal] = {}
        self.line_counts: dict[str, int] = {}
        self.first_month: int | None = None
        self.last_month: int | None = None
        self.tally = Tally(source.name)
        self.sums = rollup_sums.Sums()
        self.used = references.Used()
        self.dimensions = Dimensions(
            self._execute,
            lock=self._lock_artists if self.beside_imports else None,
            vocabulary=self._insert_vocabulary if self.beside_imports else None,
        )

    def run(self, tables: list[Table]) -> ImportResult:
        layout, _ = layout_of(tables[0], self.options.layouts)
        self.layout = layout
        self.statement_id = self.conn.execute(
            insert(Statement).values(
                file_name=Path(self.source.name).name, sha256=self.digest, layout=layout.name,
                source=layout.source, encoding=tables[0].encoding,
            )
        ).inserted_primary_key[0]  # fmt: skip
        self.dimensions.load(self.conn)
        self.overlap = Overlap(
            self._execute, layout.source, self.statement_id, beside_imports=self.beside_imports
        )
        self.upcs = UpcRestorer.from_database(self.conn)
        expected = sum(t.rows_hint or 0 for t in tables) or None
        self.writer.expect(expected)
        for table in tables:
            table_layout, mapping = layout_of(table, self.options.layouts)
            if table_layout.source != layout.source:
                raise StatementError(
                    table.name,
                    f"is a {table_layout.title}, but the archive started with a {layout.title}",
                )
            for batch in read_ahead(self._normalized(table, table_layout, mapping)):
                self.rows += batch.rows
                for reason, count in batch.dropped.items():
                    self.dropped[reason] = self.dropped.get(reason, 0) + count
                if len(batch.lines):
                    self._count(batch)
                    self._store(batch)
                if self.progress:
                    self.progress(self.source.name, self.rows, expected)
        if self.rows == 0:
            raise StatementError(self.source.name, "has a header but no rows")
        self.writer.seal()  # the last lines are copied while their summaries are written
        self.sums.write(self.writer, self.statement_id)
        self.writer.flush()
        if self.dimensions.artists_with_new_tracks:  # new spellings: which recording they are
            track_links.relink(self.conn, self.dimensions.artists_with_new_tracks)
        if self.overlap.loose and self.overlap.noted_all and not self.skipped:
            assert self.first_month is not None and self.last_month is not None
            self.overlap.refuse_a_copy(self.source.name, self.first_month, self.last_month)
        references.check(self.conn, self.used)
        reconcile(self._execute, self.statement_id, self.tally)
        self._finish()
        totals = {c: decimal_text(v) for c, v in sorted(self.file_totals.items())}
        period = (
            [month_text(self.first_month), month_text(self.last_month)]
            if self.first_month
            else None
        )
        skipped = (
            f"; {self.skipped:,} lines already stored from an earlier {layout.source} statement were skipped"
            if self.skipped
            else ""
        )
        money = ", ".join(f"{v} {c}" for c, v in totals.items())
        if self.skipped:  # the stored lines' own sum beside the file's
            kept = {
                c: decimal_text(EXACT.subtract(v, self.skipped_totals.get(c, Decimal(0))))
                for c, v in sorted(self.file_totals.items())
            }
            money = ", ".join(f"{v} {c}" for c, v in kept.items()) + " of the file's " + money
        else:  # what the pages add up, where 9 decimals cannot hold the file's
            rounded = {
                c: decimal_text(nano_to_decimal(self.tally.nano.get(c, 0)))
                for c in sorted(self.file_totals)
            }
            if any(rounded[c] != totals[c] for c in rounded):
                money += "; pages count " + ", ".join(f"{v} {c}" for c, v in rounded.items())
                money += ", each line rounded to 9 decimals"
        return ImportResult(
            file=self.source.name,
            status="imported",
            format=layout.name,
            rows=self.rows,
            totals=totals,
            period=period,
            message=(
                f"{self.source.name}: {layout.title}, {self.stored:,} "
                f"line{'' if self.stored == 1 else 's'} stored ({money}){skipped}"
                f"{dropped_text(self.dropped)}"
            ),
            stored=self.stored,
            skipped=self.skipped,
            dropped=sum(self.dropped.values()),
            dropped_because=dict(sorted(self.dropped.items())),
            statement_id=self.statement_id,
            encoding=tables[0].encoding,
        )

    def _normalized(
        self, table: Table, layout: Layout, mapping: dict[str, str]
    ) -> Iterator[_Batch]:
        """Each chunk read, normalized, identified and summed: everything that touches no
        database, so that it runs ahead of storing the chunk before it (``read_ahead``)."""
        facts = FileFacts(
            table.name,
            tuple(table.header),
            mapping,
            self.options,
            preamble=table.preamble,
            first_row=table.header_row + 2,
        )
        # only what the layout maps is read (``normalize`` looks at nothing else): a text
        # table's fast reader converts only those columns
        used = set(mapping.values())
        if layout.scan is not None:
            # a generator: nothing is read unless the scan asks
            facts = replace(
                facts, scanned=layout.scan(table.chunks(careful=self.careful, columns=used), facts)
            )
        chunks = table.chunks(careful=self.careful, columns=used)
        if layout.whole_table:
            parts = list(chunks)
            chunks = iter([pd.concat(parts)] if parts else [])  # each row keeps its number
        decimal_comma = layout.decimal_comma
        if decimal_comma is None and "amount" in mapping:
            chunks, decimal_comma = number_style(table, mapping, chunks, careful=self.careful)
        facts = replace(facts, decimal_comma=decimal_comma)
        for chunk in chunks:
            lines = importers.normalize(chunk, layout=layout, facts=facts)
            dropped = dropped_counts(lines)
            if lines.empty:
                yield _Batch(
                    len(chunk), lines, np.empty(0, np.int64), np.empty(0, np.int64), {}, dropped
                )
                continue
            lines = self.upcs.restore(lines)
            hashes, occurrence = self.overlap.identity(lines)
            totals = _currency_totals(lines)
            yield _Batch(len(chunk), lines, hashes, occurrence, totals, dropped)
        finish = facts.scanned.get(FINISH)
        if callable(finish):  # checks that needed every row (a file's own totals)
            finish(facts)

    def _count(self, batch: _Batch) -> None:
        """The file's own totals: every line it gives, stored or skipped as overlap."""
        for currency, (total, lines) in batch.totals.items():
            self.file_totals[currency] = EXACT.add(
                self.file_totals.get(currency, Decimal(0)), total
            )
            self.line_counts[currency] = self.line_counts.get(currency, 0) + lines

    def _execute(self, statement: Executable, parameters: object = None) -> CursorResult:
        """``conn.execute`` once the writer's background copies have let go of the connection."""
        self.writer.wait()
        return self.conn.execute(statement, parameters)

    def _insert_vocabulary(self, table: type, rows: list[dict[str, object]], key: str) -> None:
        self.writer.wait()
        shared.insert_missing(self.conn, table, rows, key, self.waiting)

    def _lock_artists(self, names: list[str]) -> None:
        self.writer.wait()
        lock_artists(self.conn, names, self.artist_locks, self.waiting)

    def _store(self, batch: _Batch) -> None:
        lines, hashes, occurrence = batch.lines, batch.hashes, batch.occurrence
        self.overlap.met(self.dimensions.meet(lines["artist"]))  # locked before it is read
        skip = self.overlap.already_stored(hashes, occurrence, lines)
        if skip.any():
            self.skipped += int(skip.sum())
            for currency, amounts in lines[skip].groupby("currency", sort=False)["amount"]:
                self.skipped_totals[currency] = EXACT.add(
                    self.skipped_totals.get(currency, Decimal(0)), exact_sum(amounts)
                )
            keep = ~skip
            lines, hashes, occurrence = lines[keep], hashes[keep], occurrence[keep]
        if lines.empty:
            return
        lines = lines.reset_index(drop=True)
        ids = self.dimensions.ids_for(lines)
        columns = {
            "statement_id": self.statement_id,
            "row_number": lines["row_number"],
            "artist_id": ids["artist_id"],
            "usage_month": lines["usage_month"],
            "usage_month_end": lines["usage_month_end"],
            "reporting_month": lines["reporting_month"],
            "platform_id": ids["platform_id"],
            "store_id": ids["store_id"],
            "track_id": ids["track_id"],
            "release_id": ids["release_id"],
            "territory": lines["territory"].replace("", None),
            "kind": lines["kind"],
            "quantity": lines["quantity"],
            "amount": lines["amount"],
            "amount_nano": lines["amount_nano"],
            "currency": lines["currency"],
            "source_amount": lines["source_amount"],
            "source_currency": lines["source_currency"],
            "fx_rate": lines["fx_rate"],
            "line_hash": hashes,
            "occurrence": occurrence,
        }
        rows = pd.DataFrame({name: columns[name] for name in LINE_COLUMNS})  # in table order
        self.writer.append(EarningLine.__table__, rows)
        for name, distinct in self.dimensions.distinct.items():
            self.used.add(name, distinct)
        self.overlap.note(rows)
        self.sums.add(rows)
        self.stored += len(rows)
        self.tally.add(lines)
        low, high = int(lines["usage_month"].min()), int(lines["usage_month_end"].max())
        self.first_month = low if self.first_month is None else min(self.first_month, low)
        self.last_month = high if self.last_month is None else max(self.last_month, high)

    def _finish(self) -> None:
        self.conn.execute(
            Statement.__table__.update()
            .where(Statement.__table__.c.id == self.statement_id)
            .values(
                row_count=self.rows, lines_stored=self.stored, lines_skipped=self.skipped,
                dropped=json.dumps(dict(sorted(self.dropped.items()))),
                first_month=self.first_month, last_month=self.last_month,
            )
        )  # fmt: skip
        if self.file_totals:
            self.conn.execute(
                insert(StatementTotal.__table__),
                [
                    {"statement_id": self.statement_id, "currency": c, "amount": decimal_text(v),
                     "lines": self.line_counts[c]}
                    for c, v in self.file_totals.items()
                ],
            )  # fmt: skip


@dataclass
class _Batch:
    """One chunk of a file, ready to store."""

    rows: int
    """Rows read from the file (a layout may drop some, such as Bandcamp payouts)."""
    lines: pd.DataFrame
    hashes: np.ndarray
    occurrence: np.ndarray
    totals: dict[str, tuple[Decimal, int]]
    """Currency -> (exact sum of the amounts, lines)."""
    dropped: dict[str, int]
    """Reason -> rows of the chunk that are not lines."""


def _currency_totals(lines: pd.DataFrame) -> dict[str, tuple[Decimal, int]]:
    """Currency -> (exact sum of the amounts, lines); a batch is nearly always of one
    currency, summed without grouping."""
    currency = lines["currency"]
    first = currency.iloc[0]
    if isinstance(first, str) and bool((currency == first).all()):
        return {first: (exact_sum(lines["amount"]), len(lines))}
    return {
        code: (exact_sum(amounts), len(amounts))
        for code, amounts in lines.groupby("currency", sort=False)["amount"]
    }


def dropped_text(dropped: dict[str, int]) -> str:
    """``; 6 rows dropped (6 transfer)``: every row read is stored, skipped or dropped."""
    if not dropped:
        return ""
    total = sum(dropped.values())
    why = ", ".join(f"{n:,} {reason}" for reason, n in sorted(dropped.items()))
    return f"; {total:,} row{'' if total == 1 else 's'} dropped as not lines ({why})"

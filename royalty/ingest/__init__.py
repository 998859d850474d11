"""Statement file -> stored lines: one transaction per file, exact, idempotent.

The rules a person can rely on:

* The same bytes twice are reported ``duplicate`` and add nothing (SHA-256 of the content).
* A file that overlaps lines already stored from the same distributor (an export of Jan-Dec
  after one of Jan-Jun) adds only the new lines and says how many it skipped. Identical rows
  inside one file are separate entries and all count.
* All rows or none: any bad value rolls the whole file back, with a message naming file, row
  and column.
* Every import reconciles: per currency, the lines the database holds for the file, counted and
  summed in SQL (exact integer nano-units), equal the lines the file gave less the skipped
  overlap, or nothing is kept. The file's own totals, exact to its last digit, are stored too.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Executable,
    bindparam,
    case,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from royalty import importers, territories
from royalty.background import read_ahead
from royalty.errors import StatementError
from royalty.formatting import size_text
from royalty.importers.base import ImportOptions, Layout
from royalty.ingest.reader import (
    IrregularRows,
    Source,
    Table,
    Tables,
    distinct_columns,
    open_tables,
)
from royalty.ingest.resaved import UpcRestorer
from royalty.money import (
    EXACT,
    decide_style,
    decimal_text,
    exact_sum,
    nano_to_decimal,
    style_evidence,
)
from royalty.months import month_text
from royalty.store import bulk, rollup
from royalty.store.bulk import DiskFull, bulk_transaction
from royalty.store.db import DatabaseBusy
from royalty.store.keyindex import KeyIndex
from royalty.store.models import (
    NANO,
    Artist,
    EarningLine,
    Platform,
    Release,
    Statement,
    StatementTotal,
    Store,
    Territory,
    Track,
)

STATEMENT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".zip")
HASH_FIELDS = [
    "artist", "usage_month", "usage_month_end", "reporting_month", "store", "title", "release",
    "isrc", "upc", "territory", "kind", "quantity", "amount_nano", "currency", "source_amount",
    "source_currency", "fx_rate",
]  # fmt: skip
"""What identifies a line's content. Values, not their spelling: a spreadsheet re-save writes
``0.3127815`` for ``0.31278150`` and must still be recognized as the same line."""
NUMBER_TEXT_FIELDS = ("source_amount", "fx_rate")
INT64_MAX = 2**63 - 1
HASH_KEY = "royalty-lines-v2"  # 16 bytes, as pandas requires; bump when HASH_FIELDS change
LINE_COLUMNS = [c.name for c in EarningLine.__table__.columns if c.name != "id"]

Progress = Callable[[str, int, int | None], None]
"""Called with (file name, rows read so far, about how many rows it has or None) as a file
is imported."""
Status = Callable[[str], None]
"""Called with a sentence for the person waiting, about something other than progress: that
the import waits for another one to finish, or that scratch data an interrupted import left
behind was removed."""


@dataclass
class ImportResult:
    """What happened to one file; ``to_json`` is the CLI's ``--json`` object."""

    file: str
    status: str  # "imported" | "duplicate" | "error"
    format: str | None = None
    rows: int = 0
    totals: dict[str, str] = field(default_factory=dict)
    period: list[str] | None = None
    message: str = ""
    stored: int = 0
    skipped: int = 0
    statement_id: int | None = None
    encoding: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


# --- public entry points -----------------------------------------------------------------------


def import_bytes(
    engine: Engine,
    name: str,
    data: bytes,
    options: ImportOptions | None = None,
    *,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    status: Status | None = None,
) -> ImportResult:
    """Import an uploaded file. ``max_bytes`` is the browser's upload limit."""
    if max_bytes is not None and len(data) > max_bytes:
        return ImportResult(
            file=name,
            status="error",
            message=(
                f"{name}: is {size_text(len(data))}; the upload limit is "
                f"{size_text(max_bytes)}. Import large files with the command line: "
                "royalty import FILE"
            ),
        )
    return import_source(
        engine, Source.from_bytes(name, data), options, progress=progress, status=status
    )


def import_path(
    engine: Engine,
    path: str | Path,
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
    status: Status | None = None,
) -> ImportResult:
    if not Path(path).is_file():
        return ImportResult(file=str(path), status="error", message=f"{path}: no such file")
    source = Source.from_path(path, name=str(path))
    return import_source(engine, source, options, progress=progress, status=status)


def statement_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and statement files inside folders named (walked, sorted, hidden skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(STATEMENT_SUFFIXES):
                        yield Path(root) / name
        else:
            yield path


def import_source(
    engine: Engine,
    source: Source,
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
    status: Status | None = None,
) -> ImportResult:
    """Import one statement; never raises for a bad file (the result says what went wrong).

    One import writes at a time: this one waits for another that is writing, and tells
    ``status`` it does. The duplicate check is made again once it writes, so the same file
    imported twice at once is stored once and the other import says ``duplicate``.
    """
    options = options or ImportOptions()
    name = source.name
    try:
        _remove_leftovers(engine, status)
        digest = sha256_of(source)
        with engine.connect() as conn:
            seen = _stored_as(conn, digest)
        if seen is not None:
            return _duplicate(source, seen)
        tables = find_tables(source)
        careful = False
        waiting = partial(_say_waiting, name, status)
        while True:  # at most twice: the careful reader settles the question for good
            try:
                with bulk_transaction(engine, waiting=waiting) as conn:
                    seen = _stored_as(conn, digest)  # again: another import may just have
                    if seen is not None:
                        return _duplicate(source, seen)
                    result = _Import(conn, source, digest, options, progress, careful=careful)
                    return _with_notes(result.run(tables), tables)
            except IrregularRows:  # rolled back; again with the reader that names the bad row
                careful = True
    except StatementError as exc:
        return ImportResult(file=name, status="error", message=str(exc))
    except FileNotFoundError:
        return ImportResult(file=name, status="error", message=f"{name}: no such file")
    except MemoryError:
        return ImportResult(file=name, status="error", message=f"{name}: too large to read")
    except DatabaseBusy as exc:
        return ImportResult(
            file=name,
            status="error",
            message=(
                f"{name}: another import kept the database busy for over "
                f"{duration_text(exc.waited)}; nothing of {name} was stored. Import it again "
                "once that one has finished."
            ),
        )
    except DiskFull as exc:
        return ImportResult(file=name, status="error", message=_full_text(name, exc))
    except IntegrityError as exc:
        if "sha256" in str(exc.orig):  # stored meanwhile by a writer that did not wait
            with engine.connect() as conn:
                seen = _stored_as(conn, digest)
            if seen is not None:
                return _duplicate(source, seen)
        return _unexpected(name, exc)
    except Exception as exc:  # a bug must not take the app down; say what happened
        return _unexpected(name, exc)


def _remove_leftovers(engine: Engine, status: Status | None) -> None:
    """Scratch data of imports that were killed, removed, and said (a failure is no reason not
    to import: the next import tries again)."""
    try:
        left = bulk.remove_leftovers(engine)
    except OSError:
        return
    if left is not None and status is not None:
        status(leftovers_text(left))


def _unexpected(name: str, exc: Exception) -> ImportResult:
    return ImportResult(
        file=name,
        status="error",
        message=f"{name}: could not be imported ({type(exc).__name__}: {exc})",
    )


def _stored_as(conn: Connection, digest: str):  # type: ignore[no-untyped-def]
    """The statement already stored with these bytes (file name, when, layout), or None."""
    return conn.execute(
        select(Statement.file_name, Statement.imported_at, Statement.layout).where(
            Statement.sha256 == digest
        )
    ).first()


def _duplicate(source: Source, seen) -> ImportResult:  # type: ignore[no-untyped-def]
    return ImportResult(
        file=source.name,
        status="duplicate",
        format=seen.layout,
        message=(
            f"{source.name}: already imported on {seen.imported_at:%Y-%m-%d %H:%M} "
            f"(as {Path(seen.file_name).name}); nothing added"
        ),
    )


def is_stored(engine: Engine, path: str | Path) -> bool:
    """Whether a statement with exactly these bytes is stored (after an interrupted import,
    whether it got in: a transaction is all or nothing)."""
    digest = sha256_of(Source.from_path(path, name=str(path)))
    with engine.connect() as conn:
        return _stored_as(conn, digest) is not None


def _say_waiting(name: str, status: Status | None, waited: float) -> None:
    if status is None:
        return
    if waited < 1:
        status(f"{name}: waiting for another import to finish…")
    else:
        status(f"{name}: still waiting for another import to finish ({duration_text(waited)})…")


def leftovers_text(left: bulk.Leftovers) -> str:
    """The note that scratch data of interrupted imports was removed."""
    imports = f"{left.folders} interrupted import{'s' if left.folders != 1 else ''}"
    return f"Removed {size_text(left.size)} of scratch data left by {imports} ({left.where})"


def _full_text(name: str, exc: DiskFull) -> str:
    if exc.path is None:
        where = "the database server's disk is full"
    else:
        room = "" if exc.free is None else f" ({size_text(exc.free)} free)"
        where = f"the disk holding {exc.path} is full{room}"
    return (
        f"{name}: {where}; nothing of {name} was stored. Make room on it and import the file again."
    )


def duration_text(seconds: float) -> str:
    """``1 second``, ``45 seconds``, ``10 minutes``."""
    if seconds < 60:
        whole = max(int(seconds), 1)
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = int(seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


# Documents people export by mistake; their text is no table, whatever the name says.
DOCUMENT_MAGIC = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}


def find_tables(source: Source) -> Tables:
    head = source.head(8)
    for magic, what in DOCUMENT_MAGIC.items():
        if head.startswith(magic):
            raise StatementError(
                source.name,
                f"is {what}, not a statement export; download the CSV, TSV or XLSX "
                "statement from your distributor instead",
            )
    tables = open_tables(source, importers.is_known_header)
    if not tables:
        raise StatementError(
            source.name,
            "is not in a statement layout this app knows"
            + (f"; skipped {tables.skipped()}" if tables.notes else "")
            + ". Known layouts: "
            + importers.known_layouts()
            + ".",
        )
    return tables


def _with_notes(result: ImportResult, tables: Tables) -> ImportResult:
    """The result names what of the file was skipped (an archive's members that are no
    statements), so that nothing is left out without a word."""
    if tables.notes:
        result.message += f"; skipped {tables.skipped()}"
    return result


def sha256_of(source: Source) -> str:
    digest = hashlib.sha256()
    with source.opener() as f:
        while block := f.read(4 * 1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Preview:
    """What the browser shows before anything is stored."""

    file: str
    layout: str | None
    rows: pd.DataFrame
    error: str | None = None


def preview(source: Source, options: ImportOptions | None = None, *, n: int = 20) -> Preview:
    """Detect the layout and normalize the first ``n`` rows, storing nothing."""
    options = options or ImportOptions()
    try:
        table = find_tables(source)[0]
        layout, mapping = _layout_of(table)
        first = next(table.chunks(), pd.DataFrame(columns=table.header)).head(n)
        rows = importers.normalize(
            first, layout=layout, mapping=mapping, options=options, file=table.name,
            first_row=table.header_row + 2,
        )  # fmt: skip
        shown = rows[["usage_month", "store", "platform", "kind", "artist", "title", "territory",
                      "quantity", "amount", "currency"]].copy()  # fmt: skip
        shown["usage_month"] = shown["usage_month"].map(month_text)
        return Preview(source.name, layout.title, shown)
    except StatementError as exc:
        return Preview(source.name, None, pd.DataFrame(), str(exc))
    except Exception as exc:
        return Preview(
            source.name, None, pd.DataFrame(), f"{source.name}: {type(exc).__name__}: {exc}"
        )


def _layout_of(table: Table) -> tuple[Layout, dict[str, str]]:
    found = importers.detect(table.header)
    if found is None:  # pragma: no cover - open_tables only returns recognized tables
        raise StatementError(table.name, "is not in a known layout")
    distinct_columns(table.name, table.header, found[1].values())
    return found


# --- the import itself -------------------------------------------------------------------------


class _Import:
    """State of one file's import inside its transaction."""

    def __init__(
        self,
        conn: Connection,
        source: Source,
        digest: str,
        options: ImportOptions,
        progress: Progress | None,
        *,
        careful: bool = False,
    ) -> None:
        self.conn, self.source, self.options, self.progress = conn, source, options, progress
        self.careful = careful
        self.writer = bulk.Writer(conn)
        self.digest = digest
        self.rows = 0
        self.stored = 0
        self.skipped = 0
        self.file_totals: dict[str, Decimal] = {}
        self.line_counts: dict[str, int] = {}
        self.first_month: int | None = None
        self.last_month: int | None = None
        self.seen = _Counts()
        self.ids: dict[str, dict[object, int]] = {}
        self.existing_range: tuple[int, int] | None = None
        self.existing_keys: list[np.ndarray] = []
        self.known: pd.Index | None = None
        self.stored_nano: dict[str, int] = {}
        self.stored_counts: dict[str, int] = {}
        self.stored_size: dict[str, int] = {}
        """Sum of the lines' absolute nano-units: bounds every partial sum SQL will make."""
        self.sums = rollup.Sums()

    def run(self, tables: list[Table]) -> ImportResult:
        layout, _ = _layout_of(tables[0])
        self.layout = layout
        self.statement_id = self.conn.execute(
            insert(Statement).values(
                file_name=Path(self.source.name).name, sha256=self.digest, layout=layout.name,
                source=layout.source, encoding=tables[0].encoding,
            )
        ).inserted_primary_key[0]  # fmt: skip
        self._load_dimensions()
        self.source_has_lines = self._source_has_lines(layout.source)
        self.upcs = UpcRestorer.from_database(self.conn)
        self.loose: list[np.ndarray] = []
        expected = sum(t.rows_hint or 0 for t in tables) or None
        self.writer.expect(expected)
        for table in tables:
            table_layout, mapping = _layout_of(table)
            if table_layout.source != layout.source:
                raise StatementError(
                    table.name,
                    f"is a {table_layout.title}, but the archive started with a {layout.title}",
                )
            for batch in read_ahead(self._normalized(table, table_layout, mapping)):
                self.rows += batch.rows
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
        if self.loose and not self.skipped:
            self._refuse_a_copy_under_other_identifiers()
        self._reconcile()
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
        if not self.skipped:  # what the pages add up, where 9 decimals cannot hold the file's
            rounded = {
                c: decimal_text(nano_to_decimal(self.stored_nano.get(c, 0)))
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
            ),
            stored=self.stored,
            skipped=self.skipped,
            statement_id=self.statement_id,
            encoding=tables[0].encoding,
        )

    def _normalized(
        self, table: Table, layout: Layout, mapping: dict[str, str]
    ) -> Iterator[_Batch]:
        """Each chunk read, normalized, identified and summed: everything that touches no
        database, so that it runs ahead of storing the chunk before it (``read_ahead``)."""
        first_row = table.header_row + 2
        if layout.scan is not None and layout.prepare is not None:
            facts = layout.scan(table.chunks(careful=self.careful), mapping)
            layout = replace(layout, prepare=partial(layout.prepare, **facts))
        chunks = table.chunks(careful=self.careful)
        if layout.whole_table:
            parts = list(chunks)
            chunks = iter([pd.concat(parts, ignore_index=True)] if parts else [])
        decimal_comma = layout.decimal_comma
        if decimal_comma is None and "amount" in mapping:
            chunks, decimal_comma = self._number_style(table, mapping, chunks)
        for chunk in chunks:
            lines = importers.normalize(
                chunk, layout=replace(layout, decimal_comma=decimal_comma), mapping=mapping,
                options=self.options, file=table.name, first_row=first_row,
            )  # fmt: skip
            first_row += len(chunk)
            if lines.empty:
                yield _Batch(len(chunk), lines, np.empty(0, np.int64), np.empty(0, np.int64), {})
                continue
            lines = self.upcs.restore(lines)
            hashes, occurrence = self._identity(lines)
            totals = {
                currency: (exact_sum(amounts), len(amounts))
                for currency, amounts in lines.groupby("currency", sort=False)["amount"]
            }
            yield _Batch(len(chunk), lines, hashes, occurrence, totals)

    def _number_style(
        self, table: Table, mapping: dict[str, str], chunks: Iterator[pd.DataFrame]
    ) -> tuple[Iterator[pd.DataFrame], bool]:
        """The file's one number style, decided before any of its rows is read as money.

        The amounts of the first chunk decide (the style most of them show); when they show
        none (all like ``1,250`` or whole numbers), every chunk of the file is looked at; a
        file that shows neither anywhere is read with a decimal point. Cells of the other
        style are then errors naming their row, never read another way.
        """
        first = next(chunks, None)
        if first is None:
            return iter([]), False
        chunks = itertools.chain([first], chunks)
        decided = decide_style(*style_evidence(first[mapping["amount"]]))
        if decided is None:
            point = comma = 0
            for chunk in table.chunks(careful=self.careful):
                p, c = style_evidence(chunk[mapping["amount"]])
                point, comma = point + p, comma + c
            decided = decide_style(point, comma)
        return chunks, bool(decided)

    def _count(self, batch: _Batch) -> None:
        """The file's own totals: every line it gives, stored or skipped as overlap."""
        for currency, (total, lines) in batch.totals.items():
            self.file_totals[currency] = EXACT.add(
                self.file_totals.get(currency, Decimal(0)), total
            )
            self.line_counts[currency] = self.line_counts.get(currency, 0) + lines

    # dimensions: small tables, loaded once, grown as new names appear

    def _load_dimensions(self) -> None:
        c = self.conn
        self.ids["artist"] = {r.name: r.id for r in c.execute(select(Artist.id, Artist.name))}
        self.ids["platform"] = {r.name: r.id for r in c.execute(select(Platform.id, Platform.name))}
        self.ids["store"] = {r.raw_name: r.id for r in c.execute(select(Store.id, Store.raw_name))}
        self.ids["territory"] = {r.code: 1 for r in c.execute(select(Territory.code))}
        # keys as ``_dimension_ids`` builds them: by UPC when known, else by title
        self.ids["release"] = {}
        self.untitled_releases: set[int] = set()
        for r in c.execute(select(Release.id, Release.artist_id, Release.upc, Release.title)):
            self.ids["release"].setdefault((r.artist_id, r.upc, "" if r.upc else r.title), r.id)
            if not r.title:
                self.untitled_releases.add(r.id)
        self.ids["track"] = {}
        self.tracks_without_release: set[int] = set()
        for r in c.execute(
            select(Track.id, Track.artist_id, Track.isrc, Track.title, Track.release_id)
        ):
            self.ids["track"].setdefault((r.artist_id, r.isrc, "" if r.isrc else r.title), r.id)
            if r.release_id is None:
                self.tracks_without_release.add(r.id)

    def _execute(self, statement: Executable, parameters: object = None) -> CursorResult:
        """``conn.execute`` once the writer's background copies have let go of the connection."""
        self.writer.wait()
        return self.conn.execute(statement, parameters)

    def _insert_many(self, table: type, rows: list[dict[str, object]]) -> list[int]:
        """Insert new dimension rows in one round trip; their ids, in the order given."""
        if not rows:
            return []
        result = self._execute(
            insert(table).returning(table.id, sort_by_parameter_order=True), rows
        )
        return list(result.scalars())

    def _ensure(
        self,
        kind: str,
        table: type,
        keys: Iterable[object],
        values: Callable[[object], dict[str, object]],
    ) -> None:
        known = self.ids[kind]
        new = list(dict.fromkeys(k for k in keys if k not in known))
        for key, new_id in zip(
            new, self._insert_many(table, [values(k) for k in new]), strict=True
        ):
            known[key] = new_id

    def _dimension_ids(self, lines: pd.DataFrame) -> pd.DataFrame:
        """Ids of every line's artist, platform, store, release and track, new ones inserted.

        Each is looked up once per distinct key in the batch (a statement repeats a few hundred
        tracks over many lines), then spread to the lines by their key codes.
        """
        artists, artist_rows = _distinct([lines["artist"]])
        platforms, platform_rows = _distinct([lines["platform"]])
        stores, store_rows = _distinct([lines["store"]])
        artist_names = _at(lines["artist"], artist_rows)
        platform_names = _at(lines["platform"], platform_rows)
        store_names = _at(lines["store"], store_rows)
        platform_of = dict(zip(store_names, _at(lines["platform"], store_rows), strict=True))
        self._ensure("artist", Artist, artist_names, lambda n: {"name": n})
        self._ensure("platform", Platform, platform_names, lambda n: {"name": n})
        self._ensure(
            "store", Store, store_names,
            lambda s: {"raw_name": s, "platform_id": self.ids["platform"][platform_of[s]]},
        )  # fmt: skip
        codes = [c for c in lines["territory"].unique() if c and c not in self.ids["territory"]]
        if codes:
            described = [(code, *territories.describe(code)) for code in codes]
            self._execute(
                insert(Territory),
                [{"code": code, "name": name, "iso3": iso3} for code, name, iso3 in described],
            )
            self.ids["territory"].update(dict.fromkeys(codes, 1))
        ids = pd.DataFrame(index=lines.index)
        ids["artist_id"] = _ids(self.ids["artist"], artist_names, artists)
        ids["platform_id"] = _ids(self.ids["platform"], platform_names, platforms)
        ids["store_id"] = _ids(self.ids["store"], store_names, stores)
        artist = ids["artist_id"].to_numpy()

        # releases: by UPC when known, else by title; none when the row names neither
        upc, title = lines["upc"], lines["release"]
        key_title = title.where(upc == "", "")
        # a row naming the release (an album sale) names it, even after rows that did not
        codes, rows = _distinct([artist, upc, key_title], prefer=(title != "").to_numpy())
        new_releases, renamed, release_of = [], [], []
        for artist_id, upc_, key_title_, title_ in zip(
            artist[rows].tolist(), _at(upc, rows), _at(key_title, rows), _at(title, rows),
            strict=True,
        ):  # fmt: skip
            key = (artist_id, upc_, key_title_)
            release_of.append(key if upc_ or key_title_ else None)
            if release_of[-1] is None:
                continue
            known = self.ids["release"].get(key)
            if known is None:
                new_releases.append((key, {"artist_id": artist_id, "upc": upc_, "title": title_}))
            elif title_ and known in self.untitled_releases:
                renamed.append({"release_id": known, "new_title": title_})
                self.untitled_releases.discard(known)
        new_ids = self._insert_many(Release, [v for _, v in new_releases])
        for (key, values), new_id in zip(new_releases, new_ids, strict=True):
            self.ids["release"][key] = new_id
            if not values["title"]:
                self.untitled_releases.add(new_id)
        if renamed:
            self._execute(
                update(Release)
                .where(Release.id == bindparam("release_id"))
                .values(title=bindparam("new_title")),
                renamed,
            )
        ids["release_id"] = _spread([self.ids["release"].get(k) for k in release_of], codes)
        release = ids["release_id"]

        # tracks: by ISRC when known, else by title; none for album-level rows without a title
        isrc, name = lines["isrc"], lines["title"]
        key_title = name.where(isrc == "", "")
        # a row naming the track's release names it, even after rows that did not
        codes, rows = _distinct([artist, isrc, key_title], prefer=release.notna().to_numpy())
        new_tracks, released, track_of = [], [], []
        for artist_id, isrc_, key_title_, name_, release_id in zip(
            artist[rows].tolist(), _at(isrc, rows), _at(key_title, rows), _at(name, rows),
            [None if pd.isna(r) else int(r) for r in _at(release, rows)],
            strict=True,
        ):  # fmt: skip
            key = (artist_id, isrc_, key_title_)
            track_of.append(key if isrc_ or key_title_ else None)
            if track_of[-1] is None:
                continue
            known = self.ids["track"].get(key)
            if known is None:
                new_tracks.append(
                    (key, {"artist_id": artist_id, "isrc": isrc_, "title": name_,
                           "release_id": release_id})
                )  # fmt: skip
            elif release_id is not None and known in self.tracks_without_release:
                # first seen where no release was named (Bandcamp before TuneCore): fill it
                released.append({"track_id": known, "new_release_id": release_id})
                self.tracks_without_release.discard(known)
        new_ids = self._insert_many(Track, [v for _, v in new_tracks])
        for (key, values), new_id in zip(new_tracks, new_ids, strict=True):
            self.ids["track"][key] = new_id
            if values["release_id"] is None:
                self.tracks_without_release.add(new_id)
        if released:
            self._execute(
                update(Track)
                .where(Track.id == bindparam("track_id"))
                .values(release_id=bindparam("new_release_id")),
                released,
            )
        ids["track_id"] = _spread([self.ids["track"].get(k) for k in track_of], codes)
        return ids

    # lines

    def _source_has_lines(self, source: str) -> bool:
        return (
            self.conn.execute(
                select(EarningLine.id)
                .join(Statement, Statement.id == EarningLine.statement_id)
                .where(Statement.source == source, Statement.id != self.statement_id)
                .limit(1)
            ).first()
            is not None
        )

    def _identity(self, lines: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(content hash, occurrence of that content so far in this file) per line."""
        frame = lines[HASH_FIELDS].assign(source=self.layout.source)
        for name in NUMBER_TEXT_FIELDS:
            frame[name] = _number_value_text(frame[name])
        hashes = pd.util.hash_pandas_object(frame, index=False, hash_key=HASH_KEY)
        hashes = pd.Series(hashes.to_numpy().view(np.int64))
        occurrence = self.seen.occurrences(hashes.to_numpy())
        return hashes.to_numpy(), occurrence

    def _already_stored(
        self, hashes: np.ndarray, occurrence: np.ndarray, lines: pd.DataFrame
    ) -> np.ndarray:
        """Lines whose (content, occurrence) an earlier statement of this source already stored.

        Earlier lines are read once per month range and kept as one int64 key each, so a large
        overlapping export costs one query per new range, not one per chunk.
        """
        if not self.source_has_lines:
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
            self.known = pd.Index(np.concatenate(self.existing_keys))
        return self.known.get_indexer(_line_keys(hashes, occurrence)) >= 0

    def _load_existing(self, low: int, high: int) -> None:
        rows = self._execute(
            select(EarningLine.line_hash, EarningLine.occurrence)
            .join(Statement, Statement.id == EarningLine.statement_id)
            .where(
                Statement.source == self.layout.source,
                Statement.id != self.statement_id,
                EarningLine.usage_month >= low,
                EarningLine.usage_month <= high,
            )
        ).all()
        if rows:
            found = np.array(rows, dtype=np.int64)
            self.existing_keys.append(np.unique(_line_keys(found[:, 0], found[:, 1])))
            self.known = None
        old = self.existing_range or (low, high)
        self.existing_range = (min(old[0], low), max(old[1], high))

    def _store(self, batch: _Batch) -> None:
        lines, hashes, occurrence = batch.lines, batch.hashes, batch.occurrence
        skip = self._already_stored(hashes, occurrence, lines)
        if skip.any():
            self.skipped += int(skip.sum())
            keep = ~skip
            lines, hashes, occurrence = lines[keep], hashes[keep], occurrence[keep]
        if lines.empty:
            return
        lines = lines.reset_index(drop=True)
        ids = self._dimension_ids(lines)
        rows = pd.DataFrame(
            {
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
        )[LINE_COLUMNS]
        self.writer.append(EarningLine.__table__, rows)
        if self.source_has_lines:
            self.loose.append(_loose_keys(rows))
        self.sums.add(rows)
        self.stored += len(rows)
        for currency, nano in lines.groupby("currency", sort=False)["amount_nano"]:
            self.stored_nano[currency] = self.stored_nano.get(currency, 0) + _exact_int_sum(nano)
            self.stored_counts[currency] = self.stored_counts.get(currency, 0) + len(nano)
            size = self.stored_size.get(currency, 0) + _exact_int_sum(nano.abs())
            self.stored_size[currency] = size
            if size > INT64_MAX:  # SQL sums in 64-bit integers: refuse rather than overflow
                raise StatementError(
                    self.source.name,
                    f"its amounts in {currency} add up to more than "
                    f"{INT64_MAX // NANO:,} (in absolute value), which no statement does; "
                    "is a column read as money that holds something else?",
                )
        low, high = int(lines["usage_month"].min()), int(lines["usage_month_end"].max())
        self.first_month = low if self.first_month is None else min(self.first_month, low)
        self.last_month = high if self.last_month is None else max(self.last_month, high)

    def _refuse_a_copy_under_other_identifiers(self) -> None:
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
                statement.source == self.layout.source,
                statement.id != self.statement_id,
                line.usage_month >= self.first_month,
                line.usage_month <= self.last_month,
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
            names = self.conn.execute(
                select(statement.file_name).where(statement.id.in_(sorted(earlier))).limit(3)
            ).scalars()
            raise StatementError(
                self.source.name,
                f"every line of it is already stored from an earlier {self.layout.source} "
                f"statement ({', '.join(names)}): the same months, stores, countries, "
                "quantities and amounts, under other identifiers (UPCs, ISRCs or titles "
                "written differently, as a spreadsheet re-save writes them); nothing was "
                "imported. If this is a corrected statement, remove the earlier one first",
            )

    def _reconcile(self) -> None:
        """Sum what the database now holds for this statement and compare, per currency.

        ``COUNT`` and ``SUM(amount_nano)`` in SQL are exact integers on every backend, and the
        very numbers every page sums; they must equal the lines this import meant to store.
        (The file's own decimal totals, at full precision, are kept in ``statement_total``.)
        """
        meant = {c: (self.stored_counts[c], self.stored_nano[c]) for c in self.stored_counts}
        held = self._held(sorted(meant))
        for currency in sorted(set(held) | set(meant)):
            lines, nano = meant.get(currency, (0, 0))
            got_lines, got_nano = held.get(currency, (0, 0))
            if (got_lines, got_nano) != (lines, nano):
                raise StatementError(
                    self.source.name,
                    f"does not reconcile in {currency}: the file sums to "
                    f"{decimal_text(nano_to_decimal(nano))} in {lines:,} lines, the database "
                    f"would hold {decimal_text(nano_to_decimal(got_nano))} in {got_lines:,}; "
                    "nothing was stored",
                )

    def _held(self, currencies: list[str]) -> dict[str, tuple[int, int]]:
        """(lines, nano-units) the database holds for this statement, per currency.

        One pass over the statement's lines with a sum per expected currency (a ``GROUP BY``
        sorts them all: twice as slow on a million lines); only when some line is in none of
        those currencies are they grouped, to say which.
        """
        line = EarningLine.__table__.c
        sums = []
        for currency in currencies:
            mine = line.currency == currency
            sums.append(func.sum(case((mine, 1), else_=0)))
            sums.append(func.sum(case((mine, line.amount_nano), else_=0)))
        row = self.conn.execute(
            select(func.count(), *sums).where(line.statement_id == self.statement_id)
        ).one()
        held = {
            c: (int(row[1 + 2 * i] or 0), int(row[2 + 2 * i] or 0))
            for i, c in enumerate(currencies)
        }
        if int(row[0]) == sum(lines for lines, _ in held.values()):
            return held
        return {
            currency: (int(lines), int(nano))
            for currency, lines, nano in self.conn.execute(
                select(line.currency, func.count(), func.coalesce(func.sum(line.amount_nano), 0))
                .where(line.statement_id == self.statement_id)
                .group_by(line.currency)
            )
        }

    def _finish(self) -> None:
        self.conn.execute(
            Statement.__table__.update()
            .where(Statement.__table__.c.id == self.statement_id)
            .values(
                row_count=self.rows, lines_stored=self.stored, lines_skipped=self.skipped,
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


def _number_value_text(values: pd.Series) -> pd.Series:
    """Decimal text without the zeros that do not change its value (``0.7900`` -> ``0.79``)."""
    if values.isna().all():
        return values
    arr = pa.array(values, type=pa.string(), from_pandas=True)
    arr = pc.replace_substring_regex(arr, pattern=r"(\.\d*?)0+$", replacement=r"\1")
    arr = pc.replace_substring_regex(arr, pattern=r"\.$", replacement="")
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


def _distinct(
    columns: list[pd.Series | np.ndarray], prefer: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row's key, one row per code) for the compound key ``columns``.

    Codes number the distinct keys in the order they first appear. The row given for a key
    is its first row where ``prefer`` is true, else its first row.
    """
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column, sort=False, use_na_sentinel=False)
        combined = combined * len(uniques) + codes
        if len(uniques) > 1:  # keep the mixed radix small: a statement's keys fit in int64
            combined, _ = pd.factorize(combined, sort=False)
    codes, uniques = pd.factorize(combined, sort=False)
    order = np.arange(len(codes))
    rows = np.full(len(uniques), len(codes), dtype=np.int64)
    np.minimum.at(rows, codes, order)
    if prefer is not None and prefer.any():
        preferred = np.full(len(uniques), len(codes), dtype=np.int64)
        np.minimum.at(preferred, codes[prefer], order[prefer])
        rows = np.where(preferred < len(codes), preferred, rows)
    return codes, rows


def _at(values: pd.Series, rows: np.ndarray) -> list[object]:
    """The values at ``rows`` (positions) as Python objects."""
    return values.iloc[rows].tolist()


def _ids(known: dict[object, int], names: list[object], codes: np.ndarray) -> np.ndarray:
    """Ids of the distinct ``names`` -> one per row, by the rows' codes."""
    return np.array([known[n] for n in names], dtype=np.int64)[codes]


def _spread(ids: list[int | None], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """One id (or none) per distinct key -> one per row."""
    return pd.array(ids, dtype="Int64").take(codes)


class _Counts:
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
"""What a line is, identifiers aside: see ``_refuse_a_copy_under_other_identifiers``."""


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


def _exact_int_sum(values: pd.Series) -> int:
    """Sum of int64 values with no silent overflow (Python ints when int64 could wrap)."""
    array = values.to_numpy(dtype=np.int64)
    if len(array) == 0:
        return 0
    if int(np.abs(array).max()) < (2**63 - 1) // len(array):
        return int(array.sum())
    return sum(int(v) for v in array)

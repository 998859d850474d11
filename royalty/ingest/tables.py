"""Finding the statement in a file: documents exported by mistake refused, the tables a
known layout recognizes, the layout of each, and the file's fingerprint (SHA-256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import partial

from royalty import importers
from royalty.errors import StatementError, UnknownLayout
from royalty.importers.base import Layout
from royalty.ingest.reader import (
    Source,
    Table,
    Tables,
    distinct_columns,
    open_tables,
)

DOCUMENT_MAGIC = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}


def find_tables(source: Source, layouts: Sequence[Layout] = ()) -> Tables:
    """The tables of ``source`` that a layout recognizes (``layouts`` first, then the
    built-in ones)."""
    head = source.head(8)
    for magic, what in DOCUMENT_MAGIC.items():
        if head.startswith(magic):
            raise StatementError(
                source.name,
                f"is {what}, not a statement export; download the CSV, TSV or XLSX "
                "statement from your distributor instead",
            )
    tables = open_tables(
        source, partial(importers.is_known_header, extra=layouts), importers.headerless_columns
    )
    if not tables:
        raise UnknownLayout(
            source.name,
            "is not in a statement layout this app knows"
            + (f"; skipped {tables.skipped()}" if tables.notes else "")
            + ". Known layouts: "
            + importers.known_layouts()
            + ". For any other layout, say once which column holds what (the Import page's "
            "column mapping, or royalty import FILE --map usage_month=HEADER --map "
            "amount=HEADER ... --save-layout NAME).",
        )
    return tables


def sha256_of(source: Source) -> str:
    digest = hashlib.sha256()
    with source.opener() as f:
        while block := f.read(4 * 1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def layout_of(table: Table, layouts: Sequence[Layout] = ()) -> tuple[Layout, dict[str, str]]:
    found = importers.detect(table.header, layouts)
    if found is None:  # pragma: no cover - open_tables only returns recognized tables
        raise StatementError(table.name, "is not in a known layout")
    distinct_columns(table.name, table.header, found[1].values())
    return found

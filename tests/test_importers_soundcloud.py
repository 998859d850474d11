"""SoundCloud lifetime statements: preamble rows, CRLF, UPCs in scientific notation."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_lines

from royalty.importers.soundcloud import kind_of
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Release, Statement

FIXTURES = Path(__file__).parent / "fixtures"
STATEMENT = (
    FIXTURES / "soundcloud_lifetime_statement_5f0c2d8e-7a41-4b9e-9c3d-2e8f61a7b410_2026-02_"
    "-1183920457.csv"
)


def file_revenue(path: Path) -> Decimal:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[3:]  # "Account ID", the UUID, then the header
    return sum((Decimal(r[11]) for r in rows), Decimal(0))


def test_lifetime_statement(engine):
    expected = Decimal("6.2695562")
    assert file_revenue(STATEMENT) == expected

    result = import_path(engine, STATEMENT)

    assert result.status == "imported", result.message
    assert (result.format, result.encoding) == ("soundcloud", "utf-8")
    assert (result.rows, result.stored) == (25, 25)
    assert result.totals == {"USD": "6.2695562"}
    assert result.period == ["2025-10", "2025-12"]
    lines = stored_lines(engine)
    assert sorted(lines) == list(range(4, 29))  # the header is the file's third line
    assert sum(Decimal(v["amount"]) for v in lines.values()) == expected
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
    assert (statement.source, statement.first_month, statement.last_month) == (
        "SoundCloud",
        202510,
        202512,
    )

    first = lines[4]
    assert (first["usage_month"], first["reporting_month"]) == (202510, 202512)
    assert (first["platform"], first["kind"], first["territory"]) == ("Spotify", "stream", "DE")
    assert (first["quantity"], first["amount"], first["currency"]) == (10, "0.0168584", "USD")
    assert (first["isrc"], first["title"], first["artist"]) == (
        "QZMHK2300101",
        "Night Ferries",
        "Kestrel Bay",
    )
    # "7.34168E+11" lost its digits: no UPC, the release is known by its title
    assert (first["upc"], first["release"]) == ("", "Night Ferries")
    with engine.connect() as conn:
        assert conn.execute(select(Release.upc)).scalars().all() == [""]

    # YouTube rows leave artist and release empty: taken from the same ISRC elsewhere in the file
    youtube = lines[9]
    assert (youtube["platform"], youtube["kind"], youtube["territory"]) == (
        "YouTube",
        "video",
        "ZZ",
    )
    assert (youtube["artist"], youtube["release"]) == ("Kestrel Bay", "Night Ferries")
    demo = lines[19]  # an ISRC no other row names: honestly unknown
    assert (demo["artist"], demo["release"], demo["title"]) == (
        "Unknown artist",
        None,
        "Old Pier (Demo)",
    )

    assert (lines[11]["platform"], lines[11]["kind"]) == ("Download stores", "download")
    assert (lines[20]["platform"], lines[20]["kind"]) == ("Qobuz", "download")
    assert (lines[16]["platform"], lines[16]["kind"]) == ("Meta (Facebook/Instagram)", "stream")
    assert lines[25]["platform"] == "NetEase Cloud Music"
    videos = sorted(n for n, v in lines.items() if v["kind"] == "video")
    assert videos == [9, 10, 17, 18, 19, 27]
    kinds = [v["kind"] for v in lines.values()]
    assert (kinds.count("stream"), kinds.count("download")) == (17, 2)
    assert {v["reporting_month"] for v in lines.values()} == {202512, 202601, 202602}
    assert {v["territory"] for v in lines.values()} == {
        "DE", "US", "GB", "IN", "MX", "NO", "FR", "BR", "SE", "NG", "CN", "AE", "CA", "JP", "ZZ",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("type_text", "kind"),
    [
        ("Unknown Stream", "stream"),
        ("Sub Stream", "stream"),
        ("Track Download", "download"),
        ("YouTube Music Ad Views", "video"),
        ("YouTube Music Sub Views", "video"),
        ("Content ID - Sound Recording Ad Views", "video"),
        ("Content ID - Sound Recording Sub Views", "video"),
        ("", ""),
    ],
)
def test_type_text_to_kind(type_text, kind):
    assert kind_of(type_text) == kind


def test_reimporting_the_same_statement_adds_nothing(engine):
    assert import_path(engine, STATEMENT).status == "imported"

    again = import_path(engine, STATEMENT)

    assert again.status == "duplicate"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EarningLine)).scalar_one() == 25
        assert conn.execute(select(func.count()).select_from(Statement)).scalar_one() == 1


def test_rows_without_artist_take_it_from_a_row_of_another_chunk(engine, monkeypatch):
    """A large statement is read in chunks; a YouTube row with no artist takes it from a row
    with the same ISRC wherever that row is in the file, before or after it."""
    from royalty.ingest import delimited, import_bytes, reader

    header = "\n".join(STATEMENT.read_text(encoding="utf-8").splitlines()[:3])
    named = ("2025-10,2025-12,Kestrel Bay,Night Ferries,Night Ferries,,QZMHK2300101,Spotify,US,"
             "Sub Stream,1,0.01,80,100")  # fmt: skip
    unnamed = ("2025-11,2026-01,,,Night Ferries,,QZMHK2300101,YouTube Music,US,"
               "YouTube Music Sub Views,1,0.01,80,100")  # fmt: skip
    body = [unnamed] * 5 + [named] + [unnamed] * 5
    monkeypatch.setattr(reader, "CHUNK_ROWS", 2)
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 256)
    data = ("\n".join([header, *body]) + "\n").encode()
    result = import_bytes(engine, "lifetime_statement_x.csv", data)
    assert result.status == "imported", result.message
    lines = stored_lines(engine)
    assert {(line["artist"], line["release"]) for line in lines.values()} == {
        ("Kestrel Bay", "Night Ferries")
    }

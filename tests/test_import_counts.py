"""Every row of a file is accounted for: rows = stored + skipped (already stored) + dropped (not
lines, with the reason), in the result, its JSON and its message; an error on a recognized file
names the layout; after an overlap the message gives the stored lines' own sum."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from test_ingest import dk_file, dk_row

from royalty.importers.base import ImportOptions
from royalty.ingest import import_bytes, import_path
from royalty.store.models import EarningLine

FIXTURES = Path(__file__).parent / "fixtures"

BANDCAMP_HEADER = (
    "date,paid to,item type,item name,artist,currency,item price,quantity,discount code,"
    "sub total,transaction fee,fee type,item total,amount you received,"
    "bandcamp transaction id,paypal transaction id,net amount"
)


def bandcamp(*rows: str) -> bytes:
    return ("\n".join([BANDCAMP_HEADER, *rows]) + "\n").encode()


def amounts(engine) -> list[Decimal]:
    with engine.connect() as conn:
        return sorted(Decimal(a) for a in conn.execute(select(EarningLine.amount)).scalars())


def test_payout_rows_are_dropped_as_transfers_and_counted(engine):
    result = import_path(engine, FIXTURES / "bandcamp_2022-12_artist_utf8.csv")

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.skipped, result.dropped) == (10, 9, 0, 1)
    assert result.dropped_because == {"transfer": 1}
    assert "1 row dropped as not lines (1 transfer)" in result.message
    assert result.to_json()["dropped"] == 1
    assert result.to_json()["dropped_because"] == {"transfer": 1}


def test_a_refund_row_with_blank_amounts_imports_as_no_money(engine):
    data = bandcamp(
        "1/4/20 4:14am,Bandcamp,album,Amazing,Bonehead,USD,10,1,,10,0.65,credit card,10,0,"
        "t100,,8.57",
        "1/5/20 11:44am,Bandcamp,refund,Amazing,Bonehead,USD,10,,,-10,-0.43,credit card,-10,"
        "-10.43,t100,,-8.57",
        "1/5/20 11:44am,Bandcamp,refund,Amazing,Bonehead,USD,10,,,,,,,,t100,,",
    )

    result = import_bytes(engine, "bandcamp_refund.csv", data)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.dropped) == (3, 3, 0)
    assert result.totals == {"USD": "0"}
    assert amounts(engine) == [Decimal("-8.57"), Decimal(0), Decimal("8.57")]


def test_a_blank_amount_on_a_sale_is_still_an_error(engine):
    data = bandcamp("1/4/20 4:14am,Bandcamp,album,Amazing,Bonehead,USD,10,1,,10,,,10,0,t1,,")

    result = import_bytes(engine, "bandcamp_blank_sale.csv", data)

    assert result.status == "error"
    assert "row 2" in result.message and "'net amount'" in result.message


def test_rows_with_every_cell_blank_are_dropped_as_empty(engine):
    rows = [dk_row("2023-01", "0.25"), "\t" * 12, dk_row("2023-02", "0.50"), "\t" * 12]

    result = import_bytes(engine, "dk_blank_rows.tsv", dk_file(rows))

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.skipped, result.dropped) == (4, 2, 0, 2)
    assert result.dropped_because == {"empty": 2}
    assert result.totals == {"USD": "0.75"}


def test_a_summary_total_row_is_dropped_as_a_total_row(engine):
    data = (
        b"Platform,Streams,Income (GBP)\nSpotify,1000,3.10\nApple Music,200,1.40\nTotal,1200,4.50\n"
    )

    result = import_bytes(engine, "summary.csv", data, ImportOptions(period=(2024_01, 2024_12)))

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.dropped) == (3, 2, 1)
    assert result.dropped_because == {"total row": 1}


def test_after_an_overlap_the_message_gives_the_stored_lines_sum_beside_the_files(engine):
    rows = [dk_row(f"2023-0{m}", f"1.{m}0") for m in (1, 2, 3)]
    import_bytes(engine, "dk_q1_part.tsv", dk_file(rows[:2]))

    result = import_bytes(engine, "dk_q1_full.tsv", dk_file(rows))

    assert (result.rows, result.stored, result.skipped, result.dropped) == (3, 1, 2, 0)
    assert result.totals == {"USD": "3.6"}
    assert "1 line stored (1.3 USD of the file's 3.6 USD)" in result.message, result.message


def test_an_error_in_a_recognized_file_names_its_layout(engine):
    rows = [dk_row("2023-01", "0.25"), dk_row("2023-02", "not money")]

    result = import_bytes(engine, "dk_bad.tsv", dk_file(rows))

    assert result.status == "error"
    assert result.format == "distrokid"
    assert result.to_json()["format"] == "distrokid"


def test_an_unknown_layout_names_none(engine):
    result = import_bytes(engine, "mystery.csv", b"a,b,c\n1,2,3\n")

    assert result.status == "error"
    assert result.format is None

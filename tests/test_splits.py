"""Splits: shares written as people write them, split sheets refused unless every track's
shares at every time total 100% (naming the track and the sum, storing nothing), stored and
read back exactly on every backend, and ``royalty splits import|list``."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from splits_example import ARTIST, SHEET, STATEMENT
from sqlalchemy import func, select
from test_ingest import dk_file, dk_row

from royalty.analytics.splits import payee_names, stored_splits, tracks, unmatched
from royalty.cli import main
from royalty.ingest import import_bytes
from royalty.shares import SplitError, parse_share, read_sheet, row, share_text, sheet_csv
from royalty.store.db import make_engine
from royalty.store.models import Payee, Split
from royalty.store.splits import remove_splits, save_splits
from royalty.store.statements import remove_statements


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize(
    ("text", "share"),
    [("25%", Fraction(1, 4)), ("0.25", Fraction(1, 4)), ("1/3", Fraction(1, 3)),
     (" 2 / 6 ", Fraction(1, 3)), ("33.5%", Fraction(67, 200)), ("0,2", Fraction(1, 5)),
     ("1", Fraction(1)), ("0", Fraction(0)), ("100%", Fraction(1))],
)  # fmt: skip
def test_shares_are_read_exactly(text, share):
    assert parse_share(text) == share


@pytest.mark.parametrize(
    ("text", "says"),
    [("25", "more than 1: write 25% or 25/100"), ("", "no share given"), ("half", "not a number"),
     ("1/0", "denominator is 0"), ("150%", "between 0 and 100%"), ("-10%", "between 0"),
     ("NaN", "not a number")],
)  # fmt: skip
def test_a_share_that_is_no_share_says_how_to_write_one(text, says):
    with pytest.raises(ValueError, match=says):
        parse_share(text)


def test_shares_are_written_exactly():
    assert [share_text(Fraction(*f)) for f in [(1, 5), (1, 8), (1, 3), (1, 6), (1, 1)]] == [
        "20%", "12.5%", "1/3", "1/6", "100%",
    ]  # fmt: skip


def test_the_example_sheet_reads_and_writes_back():
    rows = read_sheet(SHEET)
    assert len(rows) == 14
    assert {r.scope for r in rows} == {"catalogue", "track"}
    assert sum(r.share for r in rows if r.title == "Harbor Lights") == 1
    assert read_sheet(sheet_csv(rows)) == rows
    assert read_sheet(("\ufeff" + SHEET).encode()) == rows  # Excel's byte-order mark


def test_a_sheet_whose_shares_do_not_total_100_names_the_track_and_the_sum():
    bad = SHEET.replace(
        "QZPLR2280031,Tin Roof Psalm,Pat,20%", "QZPLR2280031,Tin Roof Psalm,Pat,15%"
    )
    bad = bad.replace(",Harbor Lights,Dev,1/6", ",Harbor Lights,Dev,1/4")
    with pytest.raises(SplitError) as caught:
        read_sheet(bad)
    assert caught.value.problems == [
        "track 'Tin Roof Psalm' (QZPLR2280031) from 2024-07: the shares total 95%, not 100%",
        "track 'Harbor Lights' from 2024-01: the shares total 108.33% (13/12), not 100%",
    ]


def test_every_bad_row_is_named_with_its_row_number():
    sheet = (
        "isrc,title,payee,share,from_month\n"
        ",,Ana,half,2024-01\n"
        ",,Ben,50%,last spring\n"
        ",,,50%,2024-01\n"
        ",,Cleo,50%,2024-01\n,,cleo,50%,2024-01\n"
    )
    with pytest.raises(SplitError) as caught:
        read_sheet(sheet)
    assert caught.value.problems == [
        "row 2: share 'half' is not a number: write 25%, 0.25 or 1/4",
        "row 3: from_month 'last spring': write the month as YYYY-MM",
        "row 4: payee '': give a name of 1 to 120 characters",
    ]
    with pytest.raises(
        SplitError, match="the whole catalogue from 2024-01: Cleo, cleo named twice"
    ):
        read_sheet(sheet.split("\n", 1)[0] + "\n,,Cleo,50%,2024-01\n,,cleo,50%,2024-01\n")
    with pytest.raises(SplitError, match="the header has no payee, share column"):
        read_sheet("isrc,title,who,part,from_month\n")


def test_groups_are_per_month_and_per_kind_of_income():
    rows = [
        row("Ana", "100%", title="Song", from_month="2024-01"),
        row("Ana", "50%", title="Song", from_month="2024-07"),
        row("Ben", "50%", title="Song", from_month="2024-07"),
        row("Pub Co", "100%", title="Song", from_month="2024-01", applies_to="publishing"),
        row("Ana", "1/2", release="Harbour EP"),
        row("Ben", "1/2", release="Harbour EP"),
    ]
    assert read_sheet(sheet_csv(rows)) == rows
    with pytest.raises(ValueError, match=r"a track .* or a release, not both"):
        row("Ana", "1", title="Song", release="Harbour EP")
    with pytest.raises(ValueError, match="applies_to 'sync'"):
        row("Ana", "1", title="Song", applies_to="sync")


def test_splits_are_stored_exactly_and_replace_what_they_name(engine):
    assert import_bytes(engine, "dk.tsv", STATEMENT).status == "imported"
    stored = save_splits(engine, ARTIST, read_sheet(SHEET))
    assert (stored.rows, stored.groups, stored.replaced) == (14, 3, 0)
    assert stored.new_payees == ["Ana", "Ben", "Cleo", "Dev", "Pat"]
    back = stored_splits(engine)
    assert sorted(back[ARTIST], key=repr) == sorted(read_sheet(SHEET), key=repr)
    assert Fraction(1, 3) in {r.share for r in back[ARTIST]}  # a third, not 0.333...

    # a sheet for one track from one month replaces only that group; "pat" is Pat
    again = save_splits(
        engine, ARTIST, [row("pat", "1/2", title="Harbor Lights", from_month="2024-01"),
                         row("Ana", "1/2", title="Harbor Lights", from_month="2024-01")],
    )  # fmt: skip
    assert (again.rows, again.replaced, again.new_payees) == (2, 5, [])
    assert count(engine, Split) == 11
    assert payee_names(engine) == ["Ana", "Ben", "Cleo", "Dev", "Pat"]
    harbor = [r for r in stored_splits(engine)[ARTIST] if r.title == "Harbor Lights"]
    assert {(r.payee, r.share) for r in harbor} == {
        ("Pat", Fraction(1, 2)),
        ("Ana", Fraction(1, 2)),
    }

    # replace=True: the sheet is the artist's whole split sheet; payees nobody names go
    save_splits(engine, ARTIST, [row("Ana", "1")], replace=True)
    assert count(engine, Split) == 1 and payee_names(engine) == ["Ana"]
    assert remove_splits(engine, ARTIST) == 1
    assert count(engine, Payee) == 0


def test_a_bad_sheet_stores_nothing(engine):
    save_splits(engine, ARTIST, read_sheet(SHEET))
    with pytest.raises(SplitError, match="shares total 50%"):
        save_splits(engine, ARTIST, [row("Ana", "50%")], replace=True)
    assert count(engine, Split) == 14


def test_rows_for_tracks_nobody_has_are_found(engine):
    import_bytes(engine, "dk.tsv", STATEMENT)
    rows = [*read_sheet(SHEET), row("Ana", "1", isrc="QZ-PLR-22-80031", from_month="2025-01"),
            row("Ana", "1", title="Unreleased"), row("Ana", "1", release="No Such EP")]  # fmt: skip
    missing = unmatched(rows, tracks(engine, artist=ARTIST))
    assert [r.what() for r in missing] == ["track 'Unreleased'", "release 'No Such EP'"]


def test_splits_outlive_their_statements(engine):
    """Tracks are named, not referenced: removing and re-importing a statement keeps them."""
    result = import_bytes(engine, "dk.tsv", STATEMENT)
    save_splits(engine, ARTIST, read_sheet(SHEET))
    remove_statements(engine, [result.statement_id])
    assert count(engine, Split) == 14
    assert import_bytes(engine, "dk.tsv", STATEMENT).status == "imported"


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def db(engine, tmp_path) -> str:
    assert import_bytes(engine, "dk.tsv", STATEMENT).status == "imported"
    return engine.url.render_as_string(hide_password=False)


def test_splits_import_refuses_a_sheet_that_does_not_total_100(db, engine, tmp_path, capsys):
    bad = tmp_path / "splits.csv"
    bad.write_text(SHEET.replace(",Harbor Lights,Pat,1/3", ",Harbor Lights,Pat,30%"))
    assert main(["splits", "import", str(bad), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "nothing was stored" in err
    assert "track 'Harbor Lights' from 2024-01: the shares total 96.67% (29/30), not 100%" in err
    assert count(engine, Split) == 0


def test_splits_import_and_list(db, engine, tmp_path, capsys):
    sheet = tmp_path / "splits.csv"
    sheet.write_text(SHEET + ",Unreleased,Ana,100%,2025-01\n")
    assert main(["splits", "import", str(sheet), "--db", db]) == 0  # the one artist stored
    out = capsys.readouterr()
    assert out.out.strip() == (
        f"stored 15 shares in 4 splits for {ARTIST}; new payees: Ana, Ben, Cleo, Dev, Pat"
    )
    assert f"no stored track of {ARTIST} is track 'Unreleased' (yet)" in out.err
    assert main(["splits", "list", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 15
    assert {
        "artist": ARTIST, "isrc": "", "title": "Harbor Lights", "release": "", "payee": "Pat",
        "share": "1/3", "from_month": "2024-01", "applies_to": "all",
    } in listed  # fmt: skip
    assert main(["splits", "list", "--db", db]) == 0
    assert "track 'Tin Roof Psalm' (QZPLR2280031) from 2024-07: Pat 20%" in capsys.readouterr().out
    # --replace with a sheet for the catalogue alone
    sheet.write_text("isrc,title,payee,share,from_month\n,,Ana,1/2,\n,,Ben,1/2,\n")
    assert main(["splits", "import", str(sheet), "--artist", ARTIST, "--replace", "--db", db]) == 0
    assert "replacing 15" in capsys.readouterr().out
    assert count(engine, Split) == 2


def test_splits_import_needs_the_artist_when_there_are_several(db, tmp_path, capsys):
    other = dk_file([dk_row("2024-02", "4.44", title="Gull", isrc="QZKBY2400001")])
    other = other.replace(b"Cold Harbor Choir", b"Kestrel Bay")
    assert import_bytes(make_engine(db), "kb.tsv", other).status == "imported"
    sheet = tmp_path / "splits.csv"
    sheet.write_text(SHEET)
    assert main(["splits", "import", str(sheet), "--db", db]) == 2
    assert "name the artist with --artist (artists: Cold Harbor Choir, Kestrel Bay)" in (
        capsys.readouterr().err
    )
    missing = tmp_path / "missing.csv"
    assert main(["splits", "import", str(missing), "--artist", ARTIST, "--db", db]) == 1
    assert "missing.csv" in capsys.readouterr().err

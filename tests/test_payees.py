"""Payee statements: the worked example of issue 13 (``splits_example``: a band of four and a
producer on two tracks, one share changing mid-year) gives five statements that add up to the
cent, as worked by hand; the artist gets what nobody else shares; ``royalty payees --json`` and
``royalty statement --payee`` say the same, safely, and "rates only" shows no money."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import chromium_path
from splits_example import AMOUNTS, ARTIST, LINES_OF, MEMBERS, PRODUCER, SHEET, STATEMENT, TOTAL
from test_ingest import dk_file, dk_row

from royalty.analytics.aggregate import Filters
from royalty.analytics.payees import largest_remainder, payees, payees_json
from royalty.cli import main
from royalty.ingest import import_bytes
from royalty.reports import payee as payee_report
from royalty.shares import read_sheet, row
from royalty.store.splits import save_splits

YEAR = Filters(artist=ARTIST, period=(202401, 202412))
D = Decimal


@pytest.fixture
def band(engine):
    assert import_bytes(engine, "dk_2024.tsv", STATEMENT).status == "imported"
    save_splits(engine, ARTIST, read_sheet(SHEET))
    return engine


def test_largest_remainder():
    thirds = [Fraction(100, 3)] * 3  # 100 cents among three
    assert largest_remainder(thirds, 100) == [34, 33, 33]  # a tie: the first
    assert largest_remainder([Fraction(1, 2), Fraction(3, 4), Fraction(7, 4)], 3) == [0, 1, 2]
    assert largest_remainder([Fraction(-101, 2), Fraction(-99, 2)], -100) == [-50, -50]
    assert largest_remainder([Fraction(5), Fraction(5)], 9) == [5, 4]  # one too many: taken back
    assert largest_remainder([], 0) == []


def test_five_statements_add_up_to_the_cent_as_worked_by_hand(band):
    p = payees(band, YEAR, "USD")
    assert (p.period, p.currency, p.total) == ("2024-01..2024-12", "USD", TOTAL)
    assert p.exact_total == Fraction("36.46")
    assert {s.payee: s.amount for s in p.payees} == AMOUNTS
    assert [s.payee for s in p.payees] == ["Ana", "Ben", "Cleo", "Dev", "Pat"]
    assert sum(s.amount for s in p.payees) == TOTAL
    # the exact amounts, before the one rounding
    members = Fraction("10.00") / 4 + Fraction("2.01") / 4 + Fraction("12.34") / 5 \
        + Fraction("7.77") / 6 + Fraction("1.01") / 6 + Fraction("3.33") / 4  # fmt: skip
    assert members == Fraction("7.766") + Fraction(1, 3000)
    pat = Fraction("12.34") / 5 + (Fraction("7.77") + Fraction("1.01")) / 3
    assert {s.payee: s.exact for s in p.payees} == {**dict.fromkeys(MEMBERS, members),
                                                    PRODUCER: pat}  # fmt: skip
    assert 4 * members + pat == Fraction("36.46")
    for s in p.payees:  # each statement's lines add up to it, and its tracks
        assert sum(t.amount for t in s.tracks) == s.amount
        assert all(sum(ln.amount for ln in t.lines) == t.amount for t in s.tracks)
    for name, expected in LINES_OF.items():
        s = p.payee(name)
        got = [(t.title, ln.source, ln.months[0], ln.share, ln.amount)
               for t in s.tracks for ln in t.lines]  # fmt: skip
        assert got == [(t, src, m, _share(sh), D(a)) for t, src, m, sh, a in expected]
    tin = next(t for t in p.payee("Ana").tracks if t.title == "Tin Roof Psalm")
    assert [ln.split for ln in tin.lines] == [
        "catalogue split from 2024-01", "catalogue split from 2024-01", "track split from 2024-07",
    ]  # fmt: skip
    assert [t.amount for t in p.payee("Pat").tracks] == [D("2.92"), D("2.47")]


def _share(text: str) -> Fraction:
    return Fraction(text.rstrip("%")) / (100 if text.endswith("%") else 1)


def test_the_artist_gets_what_nobody_else_shares(engine):
    before = dk_file([dk_row("2023-12", "5.00", title="Salt Road", isrc="QZPLR2280033")])
    assert import_bytes(engine, "dk_2023.tsv", before).status == "imported"
    assert import_bytes(engine, "dk_2024.tsv", STATEMENT).status == "imported"
    # no split at all: everything is the artist's
    p = payees(engine, Filters(artist=ARTIST), "USD")
    assert [(s.payee, s.amount) for s in p.payees] == [(ARTIST, D("41.46"))]
    assert p.payees[0].tracks[0].lines[0].split == "no split: the artist's"
    # the catalogue split starts in 2024-01: December 2023 stays the artist's
    save_splits(engine, ARTIST, read_sheet(SHEET))
    p = payees(engine, Filters(artist=ARTIST, period=(202312, 202412)), "USD")
    amounts = {s.payee: s.amount for s in p.payees}
    assert amounts == {**AMOUNTS, ARTIST: D("5.00")}
    assert p.total == D("41.46") == sum(amounts.values())
    # a period with no income still lists everyone with a share
    p = payees(engine, Filters(artist=ARTIST, period=(202501, 202512)), "USD")
    assert {s.payee: s.amount for s in p.payees} == dict.fromkeys([*MEMBERS, PRODUCER], D("0.00"))
    assert p.total == D("0.00")


def test_release_and_publishing_splits(engine):
    statement = dk_file([dk_row("2024-02", "9.00", title="Lamp", isrc="QZLMP2400001")])
    assert import_bytes(engine, "dk.tsv", statement).status == "imported"
    save_splits(engine, ARTIST, [row("Ana", "1/3", release="195920977126"),  # the UPC
                                 row("Ben", "2/3", release="195920977126")])  # fmt: skip
    assert {s.payee: s.amount for s in payees(engine, Filters(), "USD").payees} == {
        "Ana": D("3.00"), "Ben": D("6.00"),
    }  # fmt: skip
    # a split for publishing income does not touch a stream (master income)
    save_splits(engine, ARTIST, [row("Pub Co", "1", title="Lamp", applies_to="publishing")])
    assert {s.payee: s.amount for s in payees(engine, Filters(), "USD").payees} == {
        "Ana": D("3.00"), "Ben": D("6.00"), "Pub Co": D("0.00"),
    }  # fmt: skip
    save_splits(engine, ARTIST, [row("Cleo", "1", title="Lamp", applies_to="master")])
    assert {s.payee: s.amount for s in payees(engine, Filters(), "USD").payees}["Cleo"] == D("9.00")


def test_in_another_currency_the_payees_still_add_up(band):
    p = payees(band, YEAR, "EUR")
    assert p.currency == "EUR" and p.fx.converted
    assert p.total == round(p.exact_total * 100) / D(100)
    assert sum(s.amount for s in p.payees) == p.total
    assert all(sum(t.amount for t in s.tracks) == s.amount for s in p.payees)


# --- the command line and the files -------------------------------------------------------------


@pytest.fixture
def db(band) -> str:
    return band.url.render_as_string(hide_password=False)


def test_payees_json(db, capsys):
    assert main(["payees", "--db", db, "--artist", ARTIST, "--year", "2024", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["period"], data["currency"], data["total"]) == ("2024-01..2024-12", "USD", "36.46")
    assert [(p["payee"], p["amount"]) for p in data["payees"]] == [
        (n, str(a)) for n, a in AMOUNTS.items()
    ]
    assert sum(Decimal(p["amount"]) for p in data["payees"]) == Decimal(data["total"])
    pat = data["payees"][-1]
    assert [(t["track"], t["amount"]) for t in pat["tracks"]] == [
        ("Harbor Lights", "2.92"), ("Tin Roof Psalm", "2.47"),
    ]  # fmt: skip
    assert pat["tracks"][0]["lines"][0] == {
        "source": "Deezer", "months": "2024-11", "split": "track split from 2024-01",
        "share": "1/3", "streams": 10, "income": "1.01", "amount": "0.33",
    }  # fmt: skip
    assert "largest-remainder" in data["rounding"]
    # the text form, and the latest full year by default
    assert main(["payees", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "2024-01..2024-12, in USD" in out and "Total" in out and "36.46" in out


def test_statement_files(db, tmp_path, capsys):
    out = tmp_path / "pat.csv"
    assert (
        main(["statement", "--payee", "Pat", "--db", db, "--year", "2024", "--out", str(out)]) == 0
    )
    assert f"wrote {out}" in capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Payee", "Track", "ISRC", "Artist", "Source", "Usage months", "Split",
                       "Share", "Streams", "Income", "Amount"]  # fmt: skip
    lines = [r for r in rows[1:] if r and r[0] == "Pat" and r[1] != "Total"]
    assert [(r[1], r[4], r[7], r[9], r[10]) for r in lines] == [
        ("Harbor Lights", "Deezer", "1/3", "1.01", "0.33"),
        ("Harbor Lights", "Spotify", "1/3", "7.77", "2.59"),
        ("Tin Roof Psalm", "Spotify", "20%", "12.34", "2.47"),
    ]  # fmt: skip
    assert ["Pat", "Total", *[""] * 8, "5.39"] in rows
    assert rows[-1][0] == "Rounding" and "largest-remainder" in rows[-1][1]

    page = tmp_path / "dev.html"
    assert (
        main(["statement", "--payee", "dev", "--db", db, "--year", "2024", "--out", str(page)]) == 0
    )
    text = page.read_text(encoding="utf-8")
    assert "Statement for Dev" in text and "$7.76" in text and "$36.46" in text
    assert "largest-remainder" in text and "<script" not in text

    assert main(["statement", "--payee", "Zed", "--db", db, "--year", "2024",
                 "--out", str(page)]) == 1  # fmt: skip
    assert "no payee called 'Zed'" in capsys.readouterr().err
    assert main(["statement", "--payee", "Pat", "--db", db, "--out", "pat.png"]) == 2


def test_rates_only_statements_show_no_money_and_no_streams(band):
    p = payees(band, YEAR, "USD")
    page = payee_report.html(p, "Ana", rates_only=True)
    sheet = payee_report.csv_bytes(p, "Ana", rates_only=True).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(sheet)))
    assert header == [
        "Payee",
        "Track",
        "ISRC",
        "Artist",
        "Source",
        "Usage months",
        "Split",
        "Share",
    ]
    assert not re.search(r"<th[^>]*>(Streams|Income|Amount)</th>", page)
    for text in (page, sheet):
        assert not re.search(r"\$\d", text)
        for amount in ["7.77", "7.76", "5.39", "36.46", "10.00", "12.34", "2.47", "0.17"]:
            assert amount not in text
        assert not re.search(r">10<|,10,", text)  # each line's 10 streams
    assert "1/6" in page and "20%" in page and "Rates only" in page
    assert "1/6" in sheet


def test_hostile_names_stay_text(engine):
    title = '=HYPERLINK("http://x","y")'
    statement = dk_file([dk_row("2024-02", "3.00", title=title, isrc="")])
    assert import_bytes(engine, "dk.tsv", statement).status == "imported"
    save_splits(engine, ARTIST, [row("<script>alert(1)</script>", "1/2"), row("@Ben", "1/2")])
    p = payees(engine, Filters(), "USD")
    page = payee_report.html(p, "<script>alert(1)</script>")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    rows = list(csv.reader(io.StringIO(payee_report.csv_bytes(p, "@Ben").decode("utf-8-sig"))))
    assert rows[1][:2] == ["'@Ben", "'" + title]
    assert payees_json(p)["total"] == "3.00"


def test_a_statement_as_pdf(db, tmp_path, capsys):
    if chromium_path() is None:
        pytest.skip("chromium is not installed")
    out = tmp_path / "ana.pdf"
    argv = ["statement", "--payee", "Ana", "--year", "2024", "--db", db, "--out", str(out)]
    assert main(argv) == 0
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 10_000
    assert main([*argv[:-1], str(tmp_path / "rates.pdf"), "--rates-only"]) == 0
    assert (tmp_path / "rates.pdf").read_bytes().startswith(b"%PDF")

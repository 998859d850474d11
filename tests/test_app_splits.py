"""The Splits page, run headless with AppTest on the issue 13 example: the split sheet as an
editable table that names a track whose shares do not total 100% (and will not save it), a CSV
upload, the five payee statements adding up to the cent with their downloads, "rates only",
and a deal's account (also on the Unwrapped page)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from splits_example import AMOUNTS, ARTIST, SHEET, STATEMENT, TOTAL
from test_app import _frame, _open, _texts, _use_db

from royalty import formatting
from royalty.analytics.deals import stored_deals
from royalty.analytics.splits import stored_splits
from royalty.ingest import import_bytes
from royalty.shares import read_sheet
from royalty.store import db
from royalty.store.splits import save_splits

PAGE = "app_pages/splits.py"


@pytest.fixture
def on_band(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "band.db"
    eng = db.make_engine(f"sqlite:///{path}")
    assert import_bytes(eng, "dk_2024.tsv", STATEMENT).status == "imported"
    save_splits(eng, ARTIST, read_sheet(SHEET))
    eng.dispose()
    return _use_db(monkeypatch, path, sample_on=False)


def _page(period: str = "2024"):  # type: ignore[no-untyped-def]
    at = _open(PAGE)
    at.selectbox(key="f_period").set_value(period).run()
    assert not at.exception, at.exception
    return at


def _edit(at, edits: dict[int, dict[str, str]], added=()):  # type: ignore[no-untyped-def]
    at.session_state["splits_editor"] = {
        "edited_rows": edits, "added_rows": list(added), "deleted_rows": [],
    }  # fmt: skip
    at.run()
    assert not at.exception, at.exception


def test_the_five_statements_add_up_to_the_cent(on_band: str) -> None:
    at = _page()
    payees = _frame(at, "Share of the income")
    usd = [formatting.money(a, "USD") for a in [*AMOUNTS.values(), TOTAL]]
    assert list(payees["Payee"]) == [*AMOUNTS, "Total"]
    assert list(payees["Amount"]) == usd
    assert {m.label: m.value for m in at.metric}["Total"] == "$36.46"
    sheet = _frame(at, "Payee")
    assert len(sheet) == 14 and "Tin Roof Psalm · QZPLR2280031" in set(sheet["Track"])
    at.selectbox(key="splits_payee").set_value("Pat").run()
    lines = _frame(at, "Usage months")
    assert list(lines["Amount"]) == ["$0.33", "$2.59", "$2.47"]
    assert list(lines["Share"]) == ["1/3", "1/3", "20%"]
    assert [b.label for b in at.download_button] == [
        "Download the split sheet (CSV)", "HTML", "PDF", "CSV",
    ]  # fmt: skip
    assert "largest-remainder" in _texts(at)


def test_a_track_whose_shares_do_not_total_100_is_named_and_not_saved(on_band: str) -> None:
    at = _page()
    assert at.button(key="splits_save").disabled  # nothing changed yet
    _edit(at, {13: {"Share": "15%"}})  # Pat on Tin Roof Psalm from 2024-07
    assert [e.value for e in at.error] == [
        "track 'Tin Roof Psalm' \\(QZPLR2280031\\) from 2024-07\\:\u2060 the shares total 95%, "
        "not 100%"
    ]
    assert at.button(key="splits_save").disabled
    _edit(at, {13: {"Share": "half"}})
    assert any(
        e.value.startswith("Row 14") and "share 'half' is not a number" in e.value for e in at.error
    )

    # Pat 10% and Ana 30% from July: valid, saved, and the statements follow
    _edit(at, {9: {"Share": "30%"}, 13: {"Share": "10%"}})
    assert not at.error and not at.button(key="splits_save").disabled
    at.button(key="splits_save").click().run()
    assert not at.exception, at.exception
    assert any("Saved 14 shares" in s.value for s in at.success)
    eng = db.get_engine(on_band)
    tin = [r for r in stored_splits(eng)[ARTIST] if r.isrc and r.payee in ("Ana", "Pat")]
    assert sorted((r.payee, str(r.share)) for r in tin) == [("Ana", "3/10"), ("Pat", "1/10")]
    amounts = _amounts(at)
    assert amounts["Total"] == "$36.46"
    assert sum(formatting_value(v) for k, v in amounts.items() if k != "Total") == TOTAL


def formatting_value(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", ""))


def _amounts(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    table = _frame(at, "Share of the income")
    return dict(zip(table["Payee"], table["Amount"], strict=True))


def test_a_split_sheet_csv_is_imported_or_refused(on_band: str) -> None:
    at = _page()
    bad = SHEET.replace(",Harbor Lights,Pat,1/3", ",Harbor Lights,Pat,30%").encode()
    at.file_uploader(key="splits_upload_0").set_value(("bad.csv", bad, "text/csv")).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors[0].startswith("bad.csv")
    assert "the shares total 96.67% \\(29/30\\), not 100%" in errors[1]
    good = b"isrc,title,payee,share,from_month\n,Salt Road,Dev,100%,2024-01\n"
    at.file_uploader(key="splits_upload_0").set_value(("salt.csv", good, "text/csv")).run()
    at.button(key="splits_import").click().run()
    assert not at.exception, at.exception
    assert any("Imported 1 shares from salt.csv" in s.value for s in at.success)
    assert len(stored_splits(db.get_engine(on_band))[ARTIST]) == 15
    # Salt Road's 3.33 all Dev's now: Ana, Ben, Cleo 6.933833..., Dev 10.263833..., Pat
    # 5.394666...; floors 36.44, the 2 cents to Pat (.4666) and, on the tie at .3833, Ana
    assert _amounts(at) == {"Ana": "$6.94", "Ben": "$6.93", "Cleo": "$6.93", "Dev": "$10.26",
                            "Pat": "$5.40", "Total": "$36.46"}  # fmt: skip


def test_rates_only_shows_no_money_and_no_streams(on_band: str) -> None:
    at = _page()
    at.toggle(key="splits_rates_only").set_value(True).run()
    at.selectbox(key="splits_payee").set_value("Ana").run()
    assert not at.exception, at.exception
    payees = _frame(at, "Share of the income")
    assert list(payees.columns) == ["Payee", "Share of the income"]
    lines = _frame(at, "Usage months")
    assert list(lines.columns) == ["Track", "Source", "Usage months", "Share", "Split"]
    statement_tab = [m.label for m in at.metric]
    assert "Total" not in statement_tab and "Payees" not in statement_tab
    shown = _texts(at) + " ".join(str(t.value.to_dict()) for t in at.dataframe[1:3])
    for amount in ["7.77", "7.76", "5.39", "36.46"]:
        assert amount not in shown


def test_a_deal_shows_its_account_here_and_on_unwrapped(on_band: str) -> None:
    at = _page()
    at.text_input(key="deal_advance").input("10").run()
    at.text_input(key="deal_from").input("2024-01").run()
    assert not at.exception, at.exception
    assert any("recoups in 2025-04" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Balance"] == "-$2.71"
    at.text_input(key="deal_rate").input("a fifth").run()
    assert any("royalty rate" in e.value or "share 'a fifth'" in e.value for e in at.error)
    at.text_input(key="deal_rate").input("20%").run()
    at.button(key="deal_save").click().run()
    assert not at.exception, at.exception
    (terms,) = stored_deals(db.get_engine(on_band))
    assert (terms.royalty_rate, terms.advance, terms.from_month) == (
        formatting_value("0.2"), formatting_value("10"), 202401,
    )  # fmt: skip
    at.switch_page("app_pages/unwrapped.py").run()
    at.selectbox(key="f_period").set_value("2024").run()
    assert not at.exception, at.exception
    assert any("Label deal" in m.value and "-$2.71" in m.value for m in at.markdown), [
        m.value for m in at.markdown
    ]

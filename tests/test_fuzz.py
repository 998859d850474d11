"""Property-based fuzzing of the readers and importers (Hypothesis).

The properties, for any file Hypothesis makes (random delimiters, quotes, encodings, line
ends, amounts in both number styles, truncations, garbage):

* the import either stores lines whose exact sum is the file's exact total, or refuses with
  a message that starts with the file's name (and names row and column where the file has
  one), storing nothing;
* it never raises, never answers with an internal error ("could not be imported (...)");
* the preview the browser shows before importing never raises either.

CI runs a short budget; ``bash scripts/fuzz`` runs a long one (``ROYALTY_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from royalty.ingest import import_bytes, preview
from royalty.ingest.reader import Source
from royalty.money import exact_add
from royalty.store.db import make_engine
from royalty.store.models import EarningLine, Statement

EXAMPLES = int(os.environ.get("ROYALTY_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 25,  # CI: the same examples every run; long runs explore
)
INTERNAL = "could not be imported ("

DK_HEADER = [
    "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
    "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld",
    "Earnings (USD)",
]  # fmt: skip
BELIEVE_HEADER = [
    "Reporting month", "Sales Month", "Platform", "Country / Region", "Label Name",
    "Artist Name", "Release title", "Track title", "UPC", "ISRC", "Release Catalog nb",
    "Streaming Subscription Type", "Release type", "Sales Type", "Quantity",
    "Client Payment Currency", "Unit Price", "Mechanical Fee", "Gross Revenue",
    "Client share rate", "Net Revenue",
]  # fmt: skip
TITLE_CHARS = "abcdefghijklmnop QRSTUV0123456789'\"()&,;.-éñüßøåÇ"
STORES = ["Spotify", "Apple Music", "YouTube (Red)", "Deezer", "TIDAL", "Amazon Unlimited"]


@dataclass
class Made:
    data: bytes
    total: Decimal
    rows: int
    expect_error: bool
    """The file breaks a rule (mixed number styles, an unclosed quote in a TAB file)."""
    currency: str


def render(value: Decimal, comma: bool, group: bool) -> str:
    """A Decimal as a statement writes it in one number style."""
    text = format(value, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if group and len(whole) > 3:
        parts = []
        while len(whole) > 3:
            parts.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ("." if comma else ",").join([whole, *parts])
    point = "," if comma else "."
    return sign + whole + (point + frac if frac else "")


def shows_style(value: Decimal) -> bool:
    """Whether the written value tells a decimal comma from a point (not ``1,250``, ``7``)."""
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent not in (0, -3)


amounts = st.decimals(
    min_value=Decimal("-50"), max_value=Decimal("5000"), places=None, allow_nan=False
).map(lambda d: d.quantize(Decimal(1).scaleb(-min(12, max(0, -d.as_tuple().exponent)))))


@st.composite
def statements(draw: st.DrawFn) -> Made:
    layout = draw(st.sampled_from(["distrokid", "distrokid-csv", "believe"]))
    comma = draw(st.booleans())
    group = draw(st.booleans())
    values = draw(st.lists(amounts, min_size=1, max_size=40))
    values.append(Decimal("0.05"))  # one amount that shows the style, as real files have
    stray = draw(st.booleans()) and draw(st.integers(0, 9)) == 0
    titles = draw(st.lists(st.text(TITLE_CHARS, max_size=24), min_size=len(values)))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    expect_error = False
    written = [render(v, comma, group) for v in values]
    if stray:  # one cell in the other style, which the file's own style does not read
        # not the last, the 0.05 that shows the file's style: a file whose one cell that
        # shows a style is the stray is all in that style, and imports
        at = draw(st.integers(0, len(values) - 2))
        if shows_style(values[at]):
            written[at] = render(values[at], not comma, False)
            expect_error = True
    rows = []
    for i, (amount, title) in enumerate(zip(written, titles, strict=False)):
        store = STORES[i % len(STORES)]
        if layout.startswith("distrokid"):
            title = title.replace("\t", " ")
            if layout == "distrokid" and title.startswith('"') and title.count('"') % 2:
                expect_error = True  # a quote opened and never closed in a TAB file
            rows.append(
                [f"2024-0{1 + i % 9}-08", f"2024-0{1 + i % 9}", store, "Inés Solà", title,
                 f"QZNWX24{i:05d}", "195920977126", str(i % 50), "100", "Song", "US", "0",
                 amount]
            )  # fmt: skip
        else:
            rows.append(
                ["2024/06/01", f"2024/0{1 + i % 9}/01", store, "FR", "Label", "Night Orchard",
                 "Paper Lanterns", title, "196871234509", f"QZHN524{i:05d}", "NO-004",
                 "Premium", "Single", "Stream", str(i % 50), "EUR", "0", "0", "0", "85%",
                 amount]
            )  # fmt: skip
    if layout == "distrokid":
        lines = ["\t".join(DK_HEADER), *("\t".join(r) for r in rows)]
    elif layout == "distrokid-csv":  # a spreadsheet's CSV: quoted only where a cell needs it
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([DK_HEADER, *rows])
        lines = out.getvalue().splitlines()
    else:

        def quoted(cell: str) -> str:
            return '"' + cell.replace('"', '""') + '"'

        lines = [";".join(map(quoted, BELIEVE_HEADER))] + [";".join(map(quoted, r)) for r in rows]
    text = end.join(lines) + end
    currency = "USD" if layout.startswith("distrokid") else "EUR"
    return Made(text.encode(encoding), exact_add(values), len(values), expect_error, currency)


def fresh_engine(folder: str):
    return make_engine(f"sqlite:///{folder}/fuzz.db")


def stored(engine) -> tuple[int, Decimal]:
    with engine.connect() as conn:
        texts = conn.execute(select(EarningLine.amount)).scalars().all()
    return len(texts), exact_add(Decimal(t) for t in texts)


def statements_stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Statement)).scalar_one()


def assert_refused_well(result, name: str, engine) -> None:
    assert result.status == "error"
    assert result.message.startswith(name), result.message
    assert INTERNAL not in result.message, result.message
    assert "Traceback" not in result.message
    assert statements_stored(engine) == 0 and stored(engine)[0] == 0


@FUZZ
@given(made=statements())
def test_an_import_is_exact_or_refused_with_a_message(made: Made) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(folder)
        try:
            result = import_bytes(engine, "fuzz.tsv", made.data)
            if made.expect_error:
                assert_refused_well(result, "fuzz.tsv", engine)
                assert ", row " in result.message, result.message
                return
            assert result.status == "imported", result.message
            count, total = stored(engine)
            assert count == result.stored == made.rows
            assert total == made.total
            assert sum(Decimal(v) for v in result.totals.values()) == made.total
        finally:
            engine.dispose()


@FUZZ
@given(made=statements(), cut=st.floats(0.0, 1.0, exclude_max=True), data=st.data())
def test_a_truncated_or_damaged_file_is_exact_or_refused(made: Made, cut: float, data) -> None:
    raw = made.data[: max(1, int(len(made.data) * cut))]
    if data.draw(st.booleans()):  # a few bytes overwritten somewhere
        at = data.draw(st.integers(0, len(raw) - 1))
        junk = data.draw(st.binary(min_size=1, max_size=4))
        raw = raw[:at] + junk + raw[at + len(junk) :]
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(folder)
        try:
            result = import_bytes(engine, "cut.tsv", raw)
            assert result.status in ("imported", "error")
            if result.status == "error":
                assert_refused_well(result, "cut.tsv", engine)
                return
            count, total = stored(engine)
            assert count == result.stored <= made.rows + 4  # junk may split a line
            assert {c: Decimal(v) for c, v in result.totals.items()} == (
                {made.currency: total} if count else {}
            )
        finally:
            engine.dispose()


@FUZZ
@given(raw=st.binary(min_size=0, max_size=4096), suffix=st.sampled_from([".csv", ".xlsx", ".zip"]))
def test_garbage_never_crashes_the_import_or_the_preview(raw: bytes, suffix: str) -> None:
    name = f"garbage{suffix}"
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(folder)
        try:
            result = import_bytes(engine, name, raw)
            if result.status == "error":
                assert_refused_well(result, name, engine)
            shown = preview(Source.from_bytes(name, raw))
            if shown.error is not None:
                assert shown.error.startswith(name), shown.error
                assert not re.search(r": \w*(Error|Exception)\b", shown.error), shown.error
        finally:
            engine.dispose()

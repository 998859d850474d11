"""Every real statement other people committed publicly imports to its own money-column total.

The files and their totals live outside the project (``../shared/real-statements/``, with a
README table giving each file's layout and the plain Decimal sum of its money column); they are
never copied in. Without that folder these tests skip; in CI they are not expected to run.
A total the statement does not mean as written (see the README's notes) is listed in
``KNOWN_DIFFERENCES`` with the reason, never forced.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from royalty.importers.base import ImportOptions
from royalty.ingest import import_path
from royalty.money import EXACT, exact_add
from royalty.store.db import make_engine
from royalty.store.models import EarningLine

SHARED = Path(__file__).resolve().parents[2] / "shared" / "real-statements"
README = SHARED / "README.md"

KNOWN_DIFFERENCES: dict[str, str] = {}
"""File -> why the stored total is not the README's total (kept empty unless evidence says so)."""


def _rows() -> list[tuple[str, str, str]]:
    """(file, total as written, note) for each row of the README table."""
    if not README.exists():
        return []
    rows = []
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 10 or not cells[0].startswith("`"):
            continue
        rows.append((cells[0].strip("`"), cells[8], cells[9]))
    return rows


def _expected(total: str) -> tuple[Decimal, str | None] | None:
    """``13.51994481 USD (`Earnings (USD)`)`` -> (Decimal, "USD"); ``90 ?`` -> (90, None);
    ``n/a`` -> None (the README gives no single total)."""
    match = re.match(r"([-0-9.]+)\s+([A-Z]{3}|\?)", total)
    if match is None:
        return None
    currency = match.group(2)
    return Decimal(match.group(1)), None if currency == "?" else currency


ROWS = _rows()
PERIOD = (202401, 202412)


@pytest.mark.skipif(not ROWS, reason="../shared/real-statements/ is not beside the project")
@pytest.mark.parametrize(("name", "total", "note"), ROWS, ids=[r[0] for r in ROWS])
def test_real_statement_imports_to_its_total(tmp_path: Path, name: str, total: str, note: str):
    engine = make_engine(f"sqlite:///{tmp_path / 'real.db'}")
    expected = _expected(total)
    # a file that does not state its currency is imported as the person would: saying one
    options = ImportOptions(currency="USD") if expected and expected[1] is None else None
    result = import_path(engine, SHARED / name, options=options)
    if result.status == "error" and "does not say which months" in result.message:
        # a statement with no date at all (a PRS table, a publisher's): the person says the
        # period, as the message asks; the money must still be the file's to the digit
        options = ImportOptions(currency=options.currency if options else None, period=PERIOD)
        result = import_path(engine, SHARED / name, options=options)
    assert result.status == "imported", result.message

    with engine.connect() as conn:
        lines = conn.execute(select(EarningLine.amount, EarningLine.currency)).all()
    assert lines, "nothing was stored"
    if expected is None:
        return
    amount, currency = expected
    stored: dict[str, Decimal] = {}
    for value, cur in lines:  # every digit: Decimal's default context keeps 28
        stored[cur] = EXACT.add(stored.get(cur, Decimal(0)), Decimal(value))
    if name in KNOWN_DIFFERENCES:
        pytest.skip(KNOWN_DIFFERENCES[name])
    if currency is None:
        assert exact_add(stored.values()) == amount
    else:
        assert stored == {currency: amount} or stored.get(currency) == amount, stored

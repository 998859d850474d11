"""Numbers as people read them: one rule for the significant digits of every per-stream rate
(pages, reports, card and command line alike), periods named as people name them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from royalty import formatting
from royalty.formatting import NBSP

D = Decimal


def significant_digits(text: str) -> int:
    """Digits from the first non-zero one to the end: "0.0082p" -> 2, "¥1.6" -> 2."""
    number = re.sub(r"[^\d.]", "", text).replace(".", "").lstrip("0")
    return len(number)


@pytest.mark.parametrize("currency", ["GBP", "USD", "EUR", "JPY", "SEK", "KRW", "KWD"])
@pytest.mark.parametrize(
    "value",
    ["0.0029", "0.00084", "0.000082", "0.0000082", "0.0123", "0.0999", "0.5", "0.57", "0.24"],
)
def test_every_rate_below_one_unit_has_the_same_significant_digits(
    currency: str, value: str
) -> None:
    text = formatting.rate(D(value), currency)
    assert significant_digits(text) == formatting.RATE_DIGITS, text


def test_the_issue_s_mixed_rates_read_alike() -> None:
    """0.24p beside 0.0082p and 0.084p: each two significant digits, none rounded to 0."""
    assert [formatting.rate(D(v), "GBP") for v in ("0.0024", "0.000082", "0.00084")] == [
        "0.24p",
        "0.0082p",
        "0.084p",
    ]
    assert formatting.rate(D("0.0123"), "GBP") == "1.2p"  # not "1.23p" beside "0.24p"
    assert formatting.rate(D("0.0999"), "USD") == "10¢"  # rounds up to two digits, not "10.0¢"


def test_yen_rates_keep_the_digits_that_compare() -> None:
    """No minor unit: a rate is not rounded to whole yen (TIDAL "¥2" beside a published "¥1")."""
    assert formatting.rate(D("1.63"), "JPY") == "¥1.6"
    assert formatting.rate(D("1.24"), "JPY") == "¥1.2"
    assert formatting.rate(D("0.57"), "JPY") == "¥0.57"
    assert formatting.rate(D("12.3"), "JPY") == "¥12"
    assert formatting.rate(D("0.0062"), "KRW") == "₩0.0062"
    assert formatting.money(D("1.63"), "JPY") == "¥2"  # money itself keeps whole yen


def test_rates_of_one_unit_and_more_are_money() -> None:
    assert formatting.rate(D("1.5"), "GBP") == "£1.50"
    assert formatting.rate(D("123.456"), "USD") == "$123.46"
    assert formatting.rate(D("-0.0029"), "GBP") == "-0.29p"


def test_more_digits_only_where_a_ranking_needs_them() -> None:
    rates = [D("0.002934"), D("0.002912"), D("0.002912"), D("0.0029")]
    digits = formatting.digits_apart(rates, "GBP")
    assert digits == 3
    shown = [formatting.rate(r, "GBP", digits=digits) for r in rates]
    assert shown == ["0.293p", "0.291p", "0.291p", "0.290p"]
    assert formatting.digits_apart([D("0.0029341"), D("0.0029339")], "GBP") == 5
    assert formatting.ties(rates) == [[1, 2]]  # equal to the last digit: a tie, said so
    assert formatting.digits_apart([D("0.0024"), D("0.005")], "GBP") == formatting.RATE_DIGITS
    assert formatting.digits_apart([D("0.00291"), None], "GBP") == formatting.RATE_DIGITS


def test_the_axis_unit_is_the_unit_the_rate_is_written_in() -> None:
    assert formatting.rate_unit("GBP") == (2, "", "p", "pence")
    assert formatting.rate_unit("USD") == (2, "", "¢", "cents")
    assert formatting.rate_unit("JPY") == (0, "¥", "", "JPY")
    assert formatting.rate_unit("SEK") == (0, "", " SEK", "SEK")


def test_periods_are_named_as_people_name_them() -> None:
    assert formatting.period_text(202501, 202512) == "2025"
    assert formatting.period_text(202407, 202506) == f"Jul{NBSP}2024 – Jun{NBSP}2025"
    assert formatting.period_text(202501, 202506) == f"Jan – Jun{NBSP}2025"
    assert formatting.period_text(202507, 202507) == f"Jul{NBSP}2025"
    assert formatting.period_text(202301, 202512) == "2023 – 2025"
    assert formatting.period_words("2024-01..2024-12") == "2024"
    assert formatting.period_words("2024-07..2025-06") == f"Jul{NBSP}2024 – Jun{NBSP}2025"
    assert formatting.period_words("all months") == "all months"
    assert formatting.period_words("") == ""


def test_quantities_carry_their_own_unit() -> None:
    assert formatting.quantity(885_628, "stream") == "885,628 streams"
    assert formatting.quantity(81, "physical") == "81 items sold"
    assert formatting.quantity(1, "video") == "1 view"
    assert formatting.quantity(3, "other") == "3 units"


def test_names_and_plurals() -> None:
    assert formatting.names_text(["The Night Owls"]) == "The Night Owls"
    assert formatting.names_text(["A", "B"]) == "A & B"
    assert formatting.names_text(["A", "B", "C"]) == "A, B & C"
    assert formatting.names_text(["A", "B", "C", "D", "E"]) == "A, B and 3 more"
    assert formatting.plural(1, "statement") == "1 statement"
    assert formatting.plural(4, "statement") == "4 statements"

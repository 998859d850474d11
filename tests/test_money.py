"""Exact money: amounts parsed, rounded and summed exactly as ``Decimal`` does, whatever path
(128-bit, 256-bit or Python decimals) the size of the numbers takes."""

from __future__ import annotations

import decimal
import random
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from royalty import money
from royalty.money import decimal_to_nano, exact_sum, parse_amounts, parse_quantities, to_nano


def random_amounts(rng: random.Random, n: int, max_whole_digits: int, pad: int) -> list[str]:
    values = []
    for _ in range(n):
        digits = rng.randrange(0, max_whole_digits + 1)
        whole = "0" * pad + (str(rng.randrange(10**digits)) if digits else "0")
        scale = rng.choice([0, 2, 8, 9, 10, 12, 13, 18, 20, 25, 28, 29, 30])
        frac = "".join(rng.choice("0123456789") for _ in range(scale))
        if scale > 9 and rng.random() < 0.2:  # a tie at the 10th decimal: half to even
            frac = frac[:8] + rng.choice("0123456789") + "5" + "0" * (scale - 10)
        values.append(rng.choice(["", "-"]) + whole + (f".{frac}" if scale else ""))
    return values


@pytest.mark.parametrize(("max_whole_digits", "pad"), [(3, 0), (9, 0), (9, 3)])
def test_nano_units_and_sums_equal_decimal_arithmetic(max_whole_digits, pad):
    """(Leading zeros make the text too wide for the 128-bit path: the 256-bit one is used.)"""
    rng = random.Random(max_whole_digits + pad)
    exact = decimal.Context(prec=200)
    for _ in range(150):
        values = random_amounts(rng, rng.randrange(1, 200), max_whole_digits, pad)
        arr = pa.array(values)
        expected = np.array([decimal_to_nano(Decimal(v)) for v in values], dtype=np.int64)
        assert to_nano(arr).tolist() == expected.tolist(), values
        assert to_nano(arr.slice(1)).tolist() == expected[1:].tolist()  # an offset array
        with decimal.localcontext(exact):  # the default context would round to 28 digits
            assert exact_sum(arr) == sum((Decimal(v) for v in values), Decimal(0)), values


def test_integer_nano_units_equal_decimal_arithmetic():
    """Text narrow enough for int64 is scaled as integers: the same nano-units, ties to even."""
    rng = random.Random(7)
    for _ in range(200):
        values = [
            rng.choice(["", "-"])
            + str(rng.randrange(10 ** rng.randrange(0, 7)))
            + (lambda f: f".{f}" if f else "")(
                "".join(
                    rng.choice("0123456789") for _ in range(rng.choice([0, 1, 2, 8, 9, 10, 12]))
                )
            )
            for _ in range(rng.randrange(1, 100))
        ] + ["0.0000000005", "-0.0000000015", "-0.000", "7.", ".25", "-.5"]
        expected = [decimal_to_nano(Decimal(v)) for v in values]
        assert money._int_nano(pa.array(values)).tolist() == expected, values
        assert to_nano(pa.array(values)).tolist() == expected, values
    assert money._int_nano(pa.array(["1.2.3"])) is None
    assert money._int_nano(pa.array(["1e5"])) is None


def test_half_even_at_the_tenth_decimal():
    values = ["0.0000000005", "0.0000000015", "0.00000000050001", "-0.0000000025", "-1.9999999995"]
    assert to_nano(pa.array(values)).tolist() == [0, 2, 1, -2, -2_000_000_000]


def test_statement_spellings_parse_exactly():
    raw = pd.Series(["1,234.50", "(0.25)", "$0.0031", "-0.000", "1.2E-05", "+7", "abc", ""])
    parsed = parse_amounts(raw, decimal_comma=False)
    assert parsed.text.tolist()[:6] == ["1234.50", "-0.25", "0.0031", "0.000", "0.000012", "7"]
    assert parsed.nano.tolist()[:6] == [
        1_234_500_000_000,
        -250_000_000,
        3_100_000,
        0,
        12_000,
        7 * 10**9,
    ]
    assert parsed.bad.tolist() == [False] * 6 + [True, True]


def test_decimal_commas_are_guessed_when_the_text_needs_cleaning():
    parsed = parse_amounts(pd.Series(["0,0055", "12,5", "1.234,56"]))
    assert parsed.text.tolist() == ["0.0055", "12.5", "1234.56"]


def test_quantities_whole_numbers_only():
    qty, bad = parse_quantities(pd.Series(["12", "1,200", "3.0", "", "-2", "2.5", "x"]))
    assert qty.tolist()[:5] == [12, 1200, 3, 0, -2]
    assert bad.tolist() == [False] * 5 + [True, True]


CELLS = st.one_of(
    st.decimals(min_value=-10**6, max_value=10**6, places=None, allow_nan=False,
                allow_infinity=False).map(lambda d: format(d, "f")),
    st.decimals(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False,
                places=None).map(lambda d: f"{float(d):e}"),  # a workbook's 1.234e-05
    st.sampled_from(["1,234.50", "(0.25)", "$0.0031", "-0.000", "1.2E-05", "+7", "0,05",
                     "1.234,56", "1 234,56", "12,5", "abc", "", "-", "1e400", "€ 3,10",
                     "12345678901.5", "0.1.2", "-0,0"]),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELLS, min_size=1, max_size=30), decimal_comma=st.booleans())
def test_a_column_parses_as_each_of_its_cells_alone(cells: list[str], decimal_comma: bool):
    """Only the cells that need cleaning are cleaned, and only those in exponent form become
    Python objects: the column's result is, cell for cell, each cell's own."""
    column = parse_amounts(pd.Series(cells), decimal_comma=decimal_comma)
    for i, cell in enumerate(cells):
        alone = parse_amounts(pd.Series([cell]), decimal_comma=decimal_comma)
        assert column.bad.iloc[i] == alone.bad.iloc[0], cell
        if not alone.bad.iloc[0]:
            assert column.text.iloc[i] == alone.text.iloc[0], cell
            assert column.nano[i] == alone.nano[0], cell
            assert re.fullmatch(r"-?\d+(\.\d+)?", column.text.iloc[i]), cell

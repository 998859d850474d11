"""ASCAP statements: the domestic and the international CSV, songwriting income only."""

from __future__ import annotations

import pandas as pd

from royalty.money import parse_amounts


def test_zero_padding_is_not_size():
    """ASCAP pads every amount to 17 digits; ten digits of value are still too many."""
    padded = [" 00000000000000000.00262", "-00000000000000000.00029", " 00000000000.06500"]
    parsed = parse_amounts(pd.Series(padded), decimal_comma=False)
    assert not parsed.bad.any()
    assert parsed.nano.tolist() == [2_620_000, -290_000, 65_000_000]
    too_big = parse_amounts(pd.Series(["1234567890.5", "0001234567890.5"]), decimal_comma=False)
    assert too_big.bad.tolist() == [True, True]

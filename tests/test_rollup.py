"""The in-memory GROUP BY behind an import's summaries: exact whatever the sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from royalty.store import rollup, rollup_sums
from royalty.store.rollup_sums import _group_sum


def as_dict(keys: np.ndarray, sums: np.ndarray) -> dict[tuple, tuple]:
    return {
        tuple(int(k) for k in key): tuple(int(v) for v in row)
        for key, row in zip(keys, sums, strict=True)
    }


def test_rows_with_equal_keys_are_summed():
    keys = np.array([[0, 1], [2, 0], [0, 1], [0, 0]], dtype=np.int64)
    values = np.array([[1, 10], [2, 20], [3, 30], [4, 40]], dtype=np.int64)
    assert as_dict(*_group_sum(keys, values)) == {(0, 1): (4, 40), (2, 0): (2, 20), (0, 0): (4, 40)}


def test_many_wide_keys_too_many_for_one_int64_give_the_same_groups():
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 3, size=(500, 3))
    wide = np.column_stack([keys, np.full((500, 40), 2**20)])  # 2**800 combinations
    values = rng.integers(-(10**9), 10**9, size=(500, 2))
    narrow = as_dict(*_group_sum(keys, values))
    assert {k[:3]: v for k, v in as_dict(*_group_sum(wide, values)).items()} == narrow
    assert sum(v[0] for v in narrow.values()) == int(values[:, 0].sum())


def test_sums_beyond_int64_stay_exact():
    big = 2**62 + 12345
    keys = np.zeros((3, 1), dtype=np.int64)
    values = np.array([[big, 1], [big, -1], [big, 5]], dtype=np.int64)
    assert as_dict(*_group_sum(keys, values)) == {(0,): (3 * big, 5)}


def grain_sums(batches, hash_values=None, monkeypatch=None) -> dict[tuple, tuple]:
    if hash_values:
        real = rollup_sums.row_hash
        monkeypatch.setattr(rollup_sums, "row_hash", lambda keys: real(keys) % hash_values)
    grain = rollup_sums._Grain(width=2)
    for keys, values in batches:
        grain.add(np.asarray(keys, dtype=np.int64), np.asarray(values, dtype=np.int64))
    return as_dict(*grain.result())


def _sum_into(expected: dict, keys: np.ndarray, values: np.ndarray) -> None:
    """The reference: each key's sums added up in Python integers."""
    for key, row in zip(keys.tolist(), values.tolist(), strict=True):
        sums = expected.get(tuple(key), (0, 0, 0))
        expected[tuple(key)] = tuple(a + b for a, b in zip(sums, row, strict=True))


@pytest.mark.parametrize("hash_values", [None, 2], ids=["hashed", "colliding"])
def test_running_sums_over_batches_equal_a_dictionary(monkeypatch, hash_values):
    rng = np.random.default_rng(11)
    batches, expected = [], {}
    for _ in range(12):
        keys = rng.integers(0, 6, size=(int(rng.integers(0, 80)), 2))
        values = rng.integers(-(10**12), 10**12, size=(len(keys), 3))
        batches.append((keys, values))
        _sum_into(expected, keys, values)
    assert grain_sums(batches, hash_values, monkeypatch) == expected


@pytest.mark.parametrize("hash_values", [None, 2], ids=["hashed", "colliding"])
def test_running_sums_stay_exact_when_the_codes_outgrow_one_int64(monkeypatch, hash_values):
    """Small codes are packed into one int64 per key; once they need more bits, the keys
    summed so far and every later one are found by hash (colliding ones summed apart)."""
    rng = np.random.default_rng(13)
    batches, expected = [], {}
    for size in (1, 4, 16, 2**20, 2**40, 6):
        keys = rng.integers(0, size, size=(int(rng.integers(1, 80)), 2))
        keys = np.vstack([keys, *(k for k, _ in batches[-1:])])  # keys met before, again
        values = rng.integers(-(10**12), 10**12, size=(len(keys), 3))
        batches.append((keys, values))
        _sum_into(expected, keys, values)
    assert grain_sums(batches, hash_values, monkeypatch) == expected


def test_running_sums_beyond_int64_stay_exact():
    big = 2**62 + 12345
    batches = [([[0, 1]], [[big, 1, 1]]), ([[0, 1], [2, 3]], [[big, -1, 1], [5, 5, 1]])]
    assert grain_sums(batches) == {(0, 1): (2 * big, 0, 2), (2, 3): (5, 5, 1)}


class Taken:
    def __init__(self) -> None:
        self.rows: dict[str, pd.DataFrame] = {}

    def append(self, table, rows: pd.DataFrame) -> None:
        self.rows[table.name] = rows


def lines_of(rng: np.random.Generator, size: int, distinct: int) -> pd.DataFrame:
    """Lines of one statement whose key columns take up to ``distinct`` values each."""

    def pick(values: list) -> list:
        return [values[i] for i in rng.integers(0, len(values), size)]

    ints = list(range(1, distinct + 1))
    return pd.DataFrame(
        {
            "statement_id": 1,
            "artist_id": pick(ints),
            "usage_month": pick([202401 + i for i in range(distinct)]),
            "usage_month_end": pick([202401 + i for i in range(distinct)]),
            "kind": pick([f"k{i}" for i in range(distinct)]),
            "currency": pick(["USD", "EUR"]),
            "source_currency": pick([None, "GBP"]),
            "fx_rate": pick([None, *(f"1.{i}" for i in range(distinct))]),
            "platform_id": pick(ints),
            "track_id": pd.array(pick([None, *ints]), dtype="Int64"),
            "territory": pick([None, "US", "FR"]),
            "reporting_month": pick([None, *(202402 + i for i in range(distinct))]),
            "quantity": rng.integers(0, 10**6, size),
            "amount_nano": rng.integers(-(10**12), 10**12, size) * rng.integers(0, 2, size),
        }
    )


@pytest.mark.parametrize("distinct", [3, 10_000], ids=["few keys", "keys beyond one int64"])
def test_a_statements_sums_equal_a_group_by_of_its_lines(distinct):
    rng = np.random.default_rng(distinct)
    batches = [lines_of(rng, int(rng.integers(1_000, 3_000)), distinct) for _ in range(4)]
    sums, taken = rollup_sums.Sums(), Taken()
    for batch in batches:
        sums.add(batch)
    sums.write(taken, 1)  # type: ignore[arg-type]
    lines = pd.concat(batches, ignore_index=True)
    lines["paid"] = rollup.paid_values(lines)
    for table in rollup.TABLES:
        keys = list(rollup.KEYS[table.name])
        expected = (
            lines.assign(lines=1)
            .astype({"track_id": object})
            .groupby(keys, dropna=False)[["quantity", "amount_nano", "lines"]]
            .sum()
            .reset_index()
        )
        assert plain(taken.rows[table.name], keys) == plain(expected, keys)


def plain(rows: pd.DataFrame, keys: list[str]) -> dict[tuple, tuple]:
    """Key -> (quantity, amount_nano, lines), every kind of missing key as None."""
    found = {}
    for row in rows[[*keys, "quantity", "amount_nano", "lines"]].astype(object).itertuples(False):
        key = tuple(None if pd.isna(v) else v for v in row[: len(keys)])
        assert key not in found
        found[key] = tuple(int(v) for v in row[len(keys) :])
    return found

"""The in-memory GROUP BY behind an import's summaries: exact whatever the sizes."""

from __future__ import annotations

import numpy as np
import pytest

from royalty.store import rollup
from royalty.store.rollup import _group_sum


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
        real = rollup.row_hash
        monkeypatch.setattr(rollup, "row_hash", lambda keys: real(keys) % hash_values)
    grain = rollup._Grain(width=2)
    for keys, values in batches:
        grain.add(np.asarray(keys, dtype=np.int64), np.asarray(values, dtype=np.int64))
    return as_dict(*grain.result())


@pytest.mark.parametrize("hash_values", [None, 2], ids=["hashed", "colliding"])
def test_running_sums_over_batches_equal_a_dictionary(monkeypatch, hash_values):
    rng = np.random.default_rng(11)
    batches, expected = [], {}
    for _ in range(12):
        keys = rng.integers(0, 6, size=(int(rng.integers(0, 80)), 2))
        values = rng.integers(-(10**12), 10**12, size=(len(keys), 3))
        batches.append((keys, values))
        for key, row in zip(keys.tolist(), values.tolist(), strict=True):
            sums = expected.setdefault(tuple(key), (0, 0, 0))
            expected[tuple(key)] = tuple(a + b for a, b in zip(sums, row, strict=True))
    assert grain_sums(batches, hash_values, monkeypatch) == expected


def test_running_sums_beyond_int64_stay_exact():
    big = 2**62 + 12345
    batches = [([[0, 1]], [[big, 1, 1]]), ([[0, 1], [2, 3]], [[big, -1, 1], [5, 5, 1]])]
    assert grain_sums(batches) == {(0, 1): (2 * big, 0, 2), (2, 3): (5, 5, 1)}

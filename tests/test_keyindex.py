"""Slots for int64 keys across batches: one per distinct key, kept for good."""

from __future__ import annotations

import numpy as np

from royalty.store.keyindex import KeyIndex


def test_each_distinct_key_keeps_one_slot_across_batches():
    rng = np.random.default_rng(5)
    index, seen = KeyIndex(), {}
    for _ in range(30):
        keys = rng.integers(-(2**62), 2**62, 5)[rng.integers(0, 5, int(rng.integers(0, 60)))]
        keys = np.concatenate([keys, rng.choice(list(seen) or [7], 3)]).astype(np.int64)
        before = index.size
        slots, new = index.slots(keys)
        for key, slot in zip(keys.tolist(), slots.tolist(), strict=True):
            assert seen.setdefault(key, slot) == slot
        assert sorted(slots[new].tolist()) == list(range(before, index.size))
        assert len(set(keys[new].tolist())) == len(new) == index.size - before
    assert index.size == len(seen) == len(set(seen.values()))


def test_distinct_keys_in_order_get_the_slots_any_order_gets():
    rng = np.random.default_rng(9)
    ordered, shuffled = KeyIndex(), KeyIndex()
    for _ in range(20):
        keys = np.unique(rng.integers(-(2**62), 2**62, int(rng.integers(0, 40))))
        keys = np.unique(
            np.concatenate([keys, rng.choice(ordered.sorted, 3)]) if ordered.size else keys
        )
        slots, new = ordered.slots(keys)
        order = rng.permutation(len(keys))
        other, other_new = shuffled.slots(keys[order])
        assert slots[order].tolist() == other.tolist()
        assert sorted(keys[new].tolist()) == sorted(keys[order][other_new].tolist())
    assert ordered.size == shuffled.size

"""A slot number for every distinct int64 key, found again batch after batch.

An import meets the same keys (line hashes, summary keys) in batch after batch of a large file.
A pandas ``Index`` rebuilt per batch re-hashes every key seen so far, which made a million-line
import quadratic in its batches; a binary search per key in one sorted array, and one
``np.insert`` of a batch's new keys, stay linear.
"""

from __future__ import annotations

import numpy as np


class KeyIndex:
    """Distinct int64 keys and their slots, ``0 .. size - 1``, each kept for good."""

    def __init__(self) -> None:
        self.sorted = np.empty(0, dtype=np.int64)
        """The keys seen, sorted; ``slot_of[i]`` is the slot of ``sorted[i]``."""
        self.slot_of = np.empty(0, dtype=np.int64)
        self.size = 0

    @classmethod
    def of(cls, keys: np.ndarray) -> KeyIndex:
        """An index of distinct keys, the slot of each its position in ``keys``."""
        index = cls()
        index.slot_of = np.argsort(keys, kind="stable").astype(np.int64)
        index.sorted = keys[index.slot_of]
        index.size = len(keys)
        return index

    def slots(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slot of each key, one position per key that got a new slot in this call).

        Keys met for the first time get the next slots (in the order of their values), and
        their positions come in the order of those slots.
        """
        slots = np.empty(len(keys), dtype=np.int64)
        found = np.zeros(len(keys), dtype=bool)
        # distinct keys in order (a batch's distinct line hashes) need no sorting
        ascending = len(keys) < 2 or bool((keys[1:] > keys[:-1]).all())
        if self.size:  # searched in sorted order: each search starts where the last one ended
            at = np.empty(len(keys), dtype=np.int64)
            if ascending:
                at[:] = np.searchsorted(self.sorted, keys)
            else:
                order = np.argsort(keys)
                at[order] = np.searchsorted(self.sorted, keys[order])
            at = np.minimum(at, self.size - 1)
            found = self.sorted[at] == keys
            slots[found] = self.slot_of[at[found]]
        if ascending:
            new = keys[~found]
            first = inverse = np.arange(len(new), dtype=np.int64)
        else:
            new, first, inverse = np.unique(keys[~found], return_index=True, return_inverse=True)
        new_slots = np.arange(self.size, self.size + len(new), dtype=np.int64)
        slots[~found] = new_slots[inverse]
        where = np.searchsorted(self.sorted, new)
        self.sorted = np.insert(self.sorted, where, new)
        self.slot_of = np.insert(self.slot_of, where, new_slots)
        self.size += len(new)
        return slots, np.flatnonzero(~found)[first]

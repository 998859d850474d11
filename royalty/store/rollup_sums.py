"""A statement's summaries summed in memory, batch by batch, as its lines are stored.

The grains themselves (which tables, which keys, which is summed from which) are
``royalty.store.rollup``'s one list; this module only adds lines up into them exactly, so an
import writes its summaries without reading its lines back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Table

from royalty.store.bulk import Writer
from royalty.store.keyindex import KeyIndex
from royalty.store.rollup import COARSE_FROM, FINEST, KEY, KEYS, SUMMED, paid_values


class Sums:
    """One statement's summaries, summed from its lines in memory as they are stored.

    Summing each batch in memory spares reading every stored line back with ``GROUP BY``
    (on PostgreSQL too: there the server's ``GROUP BY`` would run after the lines are copied,
    where the client's summing runs while the server stores them; ``docs/scale.md``).
    Keys become small integer codes, the same in every batch (grouping text and NULL keys in
    pandas took several times longer), and the columns every finest grain starts with
    (``KEY``) one code per distinct combination, so that each finest grain keeps running sums
    per distinct (shared code, its own columns) (``_Grain``) and packs (or hashes) two to
    four codes per line instead of ten or more; the codes turn back into the stored values
    once, when the sums are written, and the coarser grains are summed from the finest then.
    """

    def __init__(self) -> None:
        self.names = sorted({n for t in FINEST for n in KEYS[t.name]})
        self.codes: dict[str, dict[object, int]] = {n: {} for n in self.names}
        self.shared: dict[tuple[int, ...], int] = {}
        """The codes of ``KEY``'s columns -> their combination's code, for the statement."""
        self.grains = {t.name: _Grain(1 + len(_own(t))) for t in FINEST}

    def add(self, lines: pd.DataFrame) -> None:
        """Sum a batch of lines exactly as inserted (columns of ``earning_line``)."""
        if lines.empty:
            return
        columns = {n: lines[n] for n in self.names if n != "paid"}
        columns["paid"] = pd.Series(paid_values(lines), index=lines.index)
        codes = {name: self._encode(name, columns[name]) for name in self.names}
        values = np.column_stack(
            [
                lines["quantity"].to_numpy(dtype=np.int64),
                lines["amount_nano"].to_numpy(dtype=np.int64),
                np.ones(len(lines), dtype=np.int64),
            ]
        )
        shared = self._combine(np.column_stack([codes[n] for n in KEY]))
        for target in FINEST:
            keys = np.column_stack([shared, *(codes[n] for n in _own(target))])
            self.grains[target.name].add(keys, values)

    def _combine(self, keys: np.ndarray) -> np.ndarray:
        """One code per line for its row of ``KEY`` codes (a batch has few distinct rows)."""
        one = _one_key(keys)
        if one is not None:
            local, uniques = pd.factorize(one, sort=False)
            first = np.full(len(uniques), len(local), dtype=np.int64)
            np.minimum.at(first, local, np.arange(len(local), dtype=np.int64))
        else:  # too many distinct codes for one int64: rows compared whole
            _, first, local = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        known = self.shared
        lookup = [known.setdefault(tuple(row), len(known)) for row in keys[first].tolist()]
        return np.asarray(lookup, dtype=np.int64)[np.asarray(local).ravel()]

    def write(self, writer: Writer, statement_id: int) -> None:
        """Insert every grain's sums, in the writer's transaction."""
        finest = {t.name: self.grains[t.name].result() for t in FINEST if self.grains[t.name]}
        shared = np.array(list(self.shared), dtype=np.int64).reshape(-1, len(KEY))
        summed = {  # KEY's codes again in place of each shared code
            name: (list(KEYS[name]), np.column_stack([shared[keys[:, 0]], keys[:, 1:]]), sums)
            for name, (keys, sums) in finest.items()
        }
        for target, source in (*((t, t) for t in FINEST), *COARSE_FROM):
            if source.name not in summed:
                continue
            names, keys, sums = summed[source.name]
            if target is not source:  # a coarser grain: the same sums without some keys
                wanted = list(KEYS[target.name])
                keys, sums = _group_sum(keys[:, [names.index(n) for n in wanted]], sums)
                names = wanted
                summed[target.name] = (names, keys, sums)
            rows = pd.DataFrame({n: self._decode(n, keys[:, i]) for i, n in enumerate(names)})
            for i, name in enumerate(SUMMED):
                rows[name] = sums[:, i]
            if set(rows["statement_id"].unique()) != {statement_id}:
                raise ValueError("summed lines of another statement")
            # in key order, so the summary tables' indexes are filled in order
            order = ["artist_id", "usage_month"] if "artist_id" in names else ["usage_month"]
            writer.append(target, rows.sort_values(order))

    def _encode(self, name: str, values: pd.Series) -> np.ndarray:
        """Values -> int codes kept for the whole statement; NULL is a value of its own."""
        known = self.codes[name]
        one = _one_value(values)
        if one is not None:  # a batch of one statement and often one currency, rate, month
            return np.full(len(values), known.setdefault(_plain(one[0]), len(known)), np.int64)
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        lookup = [
            known.setdefault(u if type(u) is int or type(u) is str else _plain(u), len(known))
            for u in uniques.tolist()
        ]
        return np.asarray(lookup, dtype=np.int64)[codes]

    def _decode(self, name: str, codes: np.ndarray) -> np.ndarray:
        values = list(self.codes[name])
        if all(isinstance(v, int) for v in values):
            return np.asarray(values, dtype=np.int64)[codes]
        return np.asarray(values, dtype=object)[codes]


def _one_value(values: pd.Series) -> list[object] | None:
    """``[value]`` when every row holds the same one, found without hashing every row (an
    empty column of objects, plain integers), else None."""
    if values.dtype == object:
        missing = pd.isna(values.to_numpy())
        return [None] if missing.all() else None
    if values.dtype == np.int64:
        array = values.to_numpy()
        low = array.min()
        return [int(low)] if low == array.max() else None
    return None


def _own(grain: Table) -> tuple[str, ...]:
    """The columns of a finest grain's key after ``KEY``, which every finest grain starts with."""
    key = KEYS[grain.name]
    if key[: len(KEY)] != KEY:
        raise ValueError(f"{grain.name}: a grain summed from the lines must start with KEY")
    return key[len(KEY) :]


class _Grain:
    """Running exact sums per distinct key row (of integer codes), batch after batch.

    While the codes are small, a key row is packed into one int64 exactly (a few bits per
    column, widened as the codes grow): one binary search per line finds its slot
    (``KeyIndex``), one ``np.add.at`` per sum adds it, nothing is re-sorted. Once the codes
    need more than 62 bits, a key row is found by a 64-bit hash of its codes instead. The
    hash only finds a candidate: every line's key is compared with the key it was summed
    under, and a line whose hash collides with another key's is summed apart, in Python, so
    the sums stay exact whatever the hash does. They switch to Python integers before int64
    could overflow.
    """

    def __init__(self, width: int) -> None:
        self.index = KeyIndex()
        """Slot of each packed key (or hash) seen."""
        self.bits: list[int] | None = [0] * width
        """Bits of each column in a packed key; None once keys are hashed."""
        self.keys = np.empty((0, width), dtype=np.int64)
        """Key row per slot (the array grows by doubling)."""
        self.sums = np.zeros((0, len(SUMMED)), dtype=np.int64)
        self.slots = 0
        self.magnitude = np.zeros(len(SUMMED), dtype=np.float64)
        """Sum of absolute values so far, per column: below ``INT64_SAFE`` no sum can wrap."""
        self.apart: dict[tuple[int, ...], list[int]] = {}
        """Sums of keys whose hash collided with another key's."""

    def __bool__(self) -> bool:
        return self.slots > 0 or bool(self.apart)

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        if len(keys) == 0:
            return
        packed = self._packed(keys)
        slots, new = self.index.slots(row_hash(keys) if packed is None else packed)
        if len(new):
            self._grow(keys[new])
        if packed is None:  # a hash only finds a candidate: compare the keys
            same = (self.keys[slots] == keys).all(axis=1)
            if not same.all():  # a hash collision: those lines are summed apart, exactly
                for key, row in zip(keys[~same].tolist(), values[~same].tolist(), strict=True):
                    sums = self.apart.setdefault(tuple(key), [0] * len(row))
                    for i, value in enumerate(row):
                        sums[i] += value
                slots, values = slots[same], values[same]
        self.magnitude += np.abs(values).sum(axis=0, dtype=np.float64)
        if self.sums.dtype != object and self.magnitude.max() >= INT64_SAFE:
            self.sums = self.sums.astype(object)  # Python integers from now on
        for column in range(values.shape[1]):
            np.add.at(self.sums[:, column], slots, values[:, column].astype(self.sums.dtype))

    def _packed(self, keys: np.ndarray) -> np.ndarray | None:
        """Each key row as one int64, the index re-packed first when a code outgrew its
        bits; None when the keys are hashed (from now on, if they no longer fit)."""
        if self.bits is None:
            return None
        if int(keys.min()) < 0:  # not codes: nothing packs them exactly
            self._hash_from_now_on()
            return None
        need = [int(m).bit_length() for m in keys.max(axis=0).tolist()]
        if any(n > b for n, b in zip(need, self.bits, strict=True)):
            bits = [b if n <= b else n + 2 for n, b in zip(need, self.bits, strict=True)]
            if sum(bits) > PACKED_BITS:
                self._hash_from_now_on()
                return None
            self.bits = bits
            self.index = KeyIndex.of(_pack(self.keys[: self.slots], bits))
        return _pack(keys, self.bits)

    def _hash_from_now_on(self) -> None:
        """The index rebuilt by hash; a key whose hash an earlier slot's key has is summed
        apart from now on, with what its slot summed so far."""
        self.bits = None
        hashes = row_hash(self.keys[: self.slots])
        _, first = np.unique(hashes, return_index=True)
        keep = np.sort(first)
        if len(keep) < self.slots:
            moved = np.setdiff1d(np.arange(self.slots), keep)
            for key, row in zip(self.keys[moved].tolist(), self.sums[moved].tolist(), strict=True):
                self.apart[tuple(key)] = [int(v) for v in row]
            self.keys[: len(keep)] = self.keys[keep]
            self.sums[: len(keep)] = self.sums[keep]
            self.sums[len(keep) : self.slots] = 0
            self.slots = len(keep)
        self.index = KeyIndex.of(hashes[keep])

    def _grow(self, keys: np.ndarray) -> None:
        end = self.slots + len(keys)
        if end > len(self.keys):
            size = max(end, 2 * len(self.keys), 1024)
            grown = np.zeros((size, self.keys.shape[1]), dtype=np.int64)
            grown[: self.slots] = self.keys[: self.slots]
            sums = np.zeros((size, self.sums.shape[1]), dtype=self.sums.dtype)
            sums[: self.slots] = self.sums[: self.slots]
            self.keys, self.sums = grown, sums
        self.keys[self.slots : end] = keys
        self.slots = end

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """(key rows, sums) of every distinct key."""
        keys, sums = self.keys[: self.slots], self.sums[: self.slots]
        if self.apart:
            keys = np.vstack([keys, np.array(list(self.apart), dtype=np.int64)])
            sums = np.vstack(
                [sums.astype(object), np.array(list(self.apart.values()), dtype=object)]
            )
        return keys, sums


def row_hash(keys: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row of non-negative int64 codes (splitmix64 over the columns)."""
    h = np.full(len(keys), 0x9E3779B97F4A7C15, dtype=np.uint64)
    for column in keys.T:
        h ^= column.astype(np.uint64)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h.view(np.int64)


def _plain(value: object) -> object:
    """A key as the database takes it: None for every kind of missing, ints as Python ints."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # an id column that pandas turned to float because of a NULL
    return value


def _pack(keys: np.ndarray, bits: list[int]) -> np.ndarray:
    """Rows of non-negative codes, each below ``2 ** bits`` of its column, as one int64."""
    packed = np.zeros(len(keys), dtype=np.int64)
    for column, width in zip(keys.T, bits, strict=True):
        packed <<= width
        packed |= column
    return packed


PACKED_BITS = 62
"""Bits a packed key may take: it stays a non-negative int64."""
INT64_SAFE = float(2**62)
"""Sums whose absolute values add up to less than this cannot overflow int64 (with margin
for the float estimate)."""


def _one_key(keys: np.ndarray) -> np.ndarray | None:
    """Rows of small non-negative codes as one int64 each (mixed radix), if they fit."""
    sizes = keys.max(axis=0) + 1
    if float(np.prod(sizes, dtype=np.float64)) >= 2**62:
        return None
    one = np.zeros(len(keys), dtype=np.int64)
    for column, size in zip(keys.T, sizes, strict=True):
        one = one * size + column
    return one


def _group_sum(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``GROUP BY`` the rows of ``keys`` with ``SUM`` of each column of ``values``, exactly."""
    if len(keys) == 0:
        return keys, values
    one = _one_key(keys)
    if one is not None:  # one int64 per row: a single sort
        order = np.argsort(one)
        one = one[order]
        starts = np.flatnonzero(np.r_[True, one[1:] != one[:-1]])
    else:
        order = np.lexsort(keys.T[::-1])
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)])
    keys, values = keys[order[starts]], values[order]
    if np.abs(values).sum(axis=0, dtype=np.float64).max() < INT64_SAFE:
        return keys, np.add.reduceat(values.astype(np.int64), starts, axis=0)
    ends = np.r_[starts[1:], len(values)]  # could overflow int64: Python integers
    sums = [[sum(int(v) for v in values[a:b, j]) for j in range(values.shape[1])]
            for a, b in zip(starts, ends, strict=True)]  # fmt: skip
    return keys, np.array(sums, dtype=object).reshape(len(starts), values.shape[1])

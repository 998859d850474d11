"""Dimension ids for a batch of lines, looked up once per distinct key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    CursorResult,
    bindparam,
    insert,
    select,
    update,
)

from royalty import territories
from royalty.store.models import (
    Artist,
    Platform,
    Release,
    Store,
    Territory,
    Track,
)

VocabularyWriter = Callable[[type, list[dict[str, object]], str], None]
"""Inserts rows of a vocabulary table (platforms, stores, territories) that are not stored
yet, keyed by the named column, beside other imports (``royalty.store.shared``)."""


class Dimensions:
    """Ids of the artists, platforms, stores, territories, releases and tracks a statement
    names, looked up once per import, grown as new names appear (inserted through
    ``execute``, which waits for the bulk writer's copies).

    Platforms, stores and territories (the vocabulary every artist shares) are loaded at the
    start. An artist's id, releases and tracks are read when the import first meets the
    artist (``meet``), after ``lock`` was called with its name: on PostgreSQL that is the
    artist's lock, so what is read stays true while the import runs beside imports of other
    artists. Vocabulary new to the database goes through ``vocabulary`` when given (rows
    another import inserted meanwhile are skipped, then every id is read back), else it is
    inserted as it is.
    """

    def __init__(
        self,
        execute: Callable[..., CursorResult],
        *,
        lock: Callable[[list[str]], None] | None = None,
        vocabulary: VocabularyWriter | None = None,
    ) -> None:
        self._execute = execute
        self._lock = lock
        self._vocabulary = vocabulary
        self.ids: dict[str, dict[object, int]] = {}
        self.met: set[str] = set()
        """Artists whose id, releases and tracks were read (or are new)."""
        self.untitled_releases: set[int] = set()
        self.tracks_without_release: set[int] = set()
        self.artists_with_new_tracks: set[int] = set()
        """Whose tracks the import must link again (``royalty.store.track_links``): new
        spellings, or a work's ISWC learnt."""
        self.tracks_without_iswc: set[int] = set()
        self.distinct: dict[str, list[object]] = {}
        """Line column -> the distinct ids (territory codes) the last ``ids_for`` gave its
        lines: what ``royalty.store.references`` checks, without another pass over them."""

    def load(self, c: Connection) -> None:
        """The vocabulary the database already holds, keyed as ``ids_for`` looks names up."""
        self.ids["platform"] = {r.name: r.id for r in c.execute(select(Platform.id, Platform.name))}
        self.ids["store"] = {r.raw_name: r.id for r in c.execute(select(Store.id, Store.raw_name))}
        self.ids["territory"] = {r.code: 1 for r in c.execute(select(Territory.code))}
        self.ids["artist"], self.ids["release"], self.ids["track"] = {}, {}, {}

    def meet(self, names: Iterable[str]) -> list[int]:
        """Artists named for the first time in this import: locked, then their ids, releases
        and tracks read. Returns the ids of those already stored (an earlier statement may
        hold their lines)."""
        values = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
        new = [n for n in values.unique() if n not in self.met]
        if not new:
            return []
        if self._lock is not None:
            self._lock(new)
        found: list[int] = []
        for part in _parts(new):
            for r in self._execute(select(Artist.id, Artist.name).where(Artist.name.in_(part))):
                self.ids["artist"][r.name] = r.id
                found.append(r.id)
        self.met.update(new)
        for part in _parts(found):
            self._load_catalogue(part)
        return found

    def _load_catalogue(self, artists: list[int]) -> None:
        """The releases and tracks of these artists, keyed as ``ids_for`` builds them: by UPC
        or ISRC when known, else by title."""
        for r in self._execute(
            select(Release.id, Release.artist_id, Release.upc, Release.title).where(
                Release.artist_id.in_(artists)
            )
        ):
            self.ids["release"].setdefault((r.artist_id, r.upc, "" if r.upc else r.title), r.id)
            if not r.title:
                self.untitled_releases.add(r.id)
        for r in self._execute(
            select(
                Track.id, Track.artist_id, Track.isrc, Track.title, Track.release_id, Track.iswc
            ).where(Track.artist_id.in_(artists))
        ):
            self.ids["track"].setdefault((r.artist_id, r.isrc, r.title), r.id)
            if r.release_id is None:
                self.tracks_without_release.add(r.id)
            if not r.iswc:
                self.tracks_without_iswc.add(r.id)

    def _insert_many(self, table: type, rows: list[dict[str, object]]) -> list[int]:
        """Insert new dimension rows in one round trip; their ids, in the order given."""
        if not rows:
            return []
        result = self._execute(
            insert(table).returning(table.id, sort_by_parameter_order=True), rows
        )
        return list(result.scalars())

    def _ensure(
        self,
        kind: str,
        table: type,
        keys: Iterable[object],
        values: Callable[[object], dict[str, object]],
        *,
        shared: str | None = None,
    ) -> None:
        """Ids for every key, new rows inserted; ``shared``: a vocabulary table's key column,
        its new rows written through ``vocabulary`` when there is one."""
        known = self.ids[kind]
        new = list(dict.fromkeys(k for k in keys if k not in known))
        if not new:
            return
        if shared is None or self._vocabulary is None:
            for key, new_id in zip(
                new, self._insert_many(table, [values(k) for k in new]), strict=True
            ):
                known[key] = new_id
            return
        self._vocabulary(table, [values(k) for k in new], shared)
        column = getattr(table, shared)
        for part in _parts(new):
            for key, id_ in self._execute(select(column, table.id).where(column.in_(part))):
                known[key] = id_

    def ids_for(self, lines: pd.DataFrame) -> pd.DataFrame:
        """Ids of every line's artist, platform, store, release and track, new ones inserted.

        Each is looked up once per distinct key in the batch (a statement repeats a few hundred
        tracks over many lines), then spread to the lines by their key codes.
        """
        artists, artist_rows = _distinct([lines["artist"]])
        platforms, platform_rows = _distinct([lines["platform"]])
        stores, store_rows = _distinct([lines["store"]])
        artist_names = _at(lines["artist"], artist_rows)
        self.meet(artist_names)
        platform_names = _at(lines["platform"], platform_rows)
        store_names = _at(lines["store"], store_rows)
        platform_of = dict(zip(store_names, _at(lines["platform"], store_rows), strict=True))
        self._ensure("artist", Artist, artist_names, lambda n: {"name": n})
        self._ensure("platform", Platform, platform_names, lambda n: {"name": n}, shared="name")
        self._ensure(
            "store", Store, store_names,
            lambda s: {"raw_name": s, "platform_id": self.ids["platform"][platform_of[s]]},
            shared="raw_name",
        )  # fmt: skip
        territory_codes = [c for c in lines["territory"].unique() if c]
        codes = [c for c in territory_codes if c not in self.ids["territory"]]
        if codes:
            described = {code: territories.describe(code) for code in codes}
            if self._vocabulary is None:
                self._execute(
                    insert(Territory),
                    [{"code": c, "name": n, "iso3": iso3} for c, (n, iso3) in described.items()],
                )
            else:
                self._vocabulary(
                    Territory,
                    [{"code": c, "name": n, "iso3": iso3} for c, (n, iso3) in described.items()],
                    "code",
                )
            self.ids["territory"].update(dict.fromkeys(codes, 1))
        ids = pd.DataFrame(index=lines.index)
        ids["artist_id"] = _ids(self.ids["artist"], artist_names, artists)
        ids["platform_id"] = _ids(self.ids["platform"], platform_names, platforms)
        ids["store_id"] = _ids(self.ids["store"], store_names, stores)
        artist = ids["artist_id"].to_numpy()

        # releases: by UPC when known, else by title; none when the row names neither
        upc, title = lines["upc"], lines["release"]
        key_title = title.where(upc == "", "")
        # a row naming the release (an album sale) names it, even after rows that did not
        codes, rows = _distinct([artist, upc, key_title], prefer=(title != "").to_numpy())
        new_releases, renamed, release_of = [], [], []
        for artist_id, upc_, key_title_, title_ in zip(
            artist[rows].tolist(), _at(upc, rows), _at(key_title, rows), _at(title, rows),
            strict=True,
        ):  # fmt: skip
            key = (artist_id, upc_, key_title_)
            release_of.append(key if upc_ or key_title_ else None)
            if release_of[-1] is None:
                continue
            known = self.ids["release"].get(key)
            if known is None:
                new_releases.append((key, {"artist_id": artist_id, "upc": upc_, "title": title_}))
            elif title_ and known in self.untitled_releases:
                renamed.append({"release_id": known, "new_title": title_})
                self.untitled_releases.discard(known)
        new_ids = self._insert_many(Release, [v for _, v in new_releases])
        for (key, values), new_id in zip(new_releases, new_ids, strict=True):
            self.ids["release"][key] = new_id
            if not values["title"]:
                self.untitled_releases.add(new_id)
        if renamed:
            self._execute(
                update(Release)
                .where(Release.id == bindparam("release_id"))
                .values(title=bindparam("new_title")),
                renamed,
            )
        release_ids = [self.ids["release"].get(k) for k in release_of]
        ids["release_id"] = _spread(release_ids, codes)
        release = ids["release_id"]

        # tracks: by ISRC and title, each spelling a row of its own (which rows are one
        # recording is read through ``track_link``); none for album-level rows without either
        isrc, name = lines["isrc"], lines["title"]
        # a row naming the track's release names it, even after rows that did not
        codes, rows = _distinct([artist, isrc, name], prefer=release.notna().to_numpy())
        iswc_of = _first_given(lines["iswc"] if "iswc" in lines.columns else None, codes)
        new_tracks, released, named, track_of = [], [], [], []
        for code, (artist_id, isrc_, name_, release_id) in enumerate(zip(
            artist[rows].tolist(), _at(isrc, rows), _at(name, rows),
            [None if pd.isna(r) else int(r) for r in _at(release, rows)],
            strict=True,
        )):  # fmt: skip
            key = (artist_id, isrc_, name_)
            track_of.append(key if isrc_ or name_ else None)
            if track_of[-1] is None:
                continue
            known = self.ids["track"].get(key)
            iswc = iswc_of.get(code, "")
            if known is None:
                new_tracks.append(
                    (key, {"artist_id": artist_id, "isrc": isrc_, "title": name_,
                           "release_id": release_id, "iswc": iswc})
                )  # fmt: skip
                continue
            if release_id is not None and known in self.tracks_without_release:
                # first seen where no release was named (Bandcamp before TuneCore): fill it
                released.append({"track_id": known, "new_release_id": release_id})
                self.tracks_without_release.discard(known)
            if iswc and known in self.tracks_without_iswc:
                # a songwriting statement names the work of a title already stored
                named.append({"track_id": known, "new_iswc": iswc})
                self.tracks_without_iswc.discard(known)
                self.artists_with_new_tracks.add(artist_id)
        new_ids = self._insert_many(Track, [v for _, v in new_tracks])
        self.artists_with_new_tracks.update(v["artist_id"] for _, v in new_tracks)
        for (key, values), new_id in zip(new_tracks, new_ids, strict=True):
            self.ids["track"][key] = new_id
            if values["release_id"] is None:
                self.tracks_without_release.add(new_id)
            if not values["iswc"]:
                self.tracks_without_iswc.add(new_id)
        if released:
            self._execute(
                update(Track)
                .where(Track.id == bindparam("track_id"))
                .values(release_id=bindparam("new_release_id")),
                released,
            )
        if named:
            self._execute(
                update(Track)
                .where(Track.id == bindparam("track_id"))
                .values(iswc=bindparam("new_iswc")),
                named,
            )
        track_ids = [self.ids["track"].get(k) for k in track_of]
        ids["track_id"] = _spread(track_ids, codes)
        self.distinct = {
            "artist_id": [self.ids["artist"][n] for n in artist_names],
            "platform_id": [self.ids["platform"][n] for n in platform_names],
            "store_id": [self.ids["store"][n] for n in store_names],
            "track_id": [i for i in track_ids if i is not None],
            "release_id": [i for i in release_ids if i is not None],
            "territory": territory_codes,
        }
        return ids


PART = 5_000
"""Keys per ``IN (...)`` list: a statement's parameters stay well under the drivers' limits."""


def _parts(items: list[object]) -> Iterator[list[object]]:
    for start in range(0, len(items), PART):
        yield items[start : start + PART]


def _distinct(
    columns: list[pd.Series | np.ndarray], prefer: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row's key, one row per code) for the compound key ``columns``.

    Codes number the distinct keys in the order they first appear. The row given for a key
    is its first row where ``prefer`` is true, else its first row.
    """
    combined, size = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        codes, uniques = pd.factorize(column, sort=False, use_na_sentinel=False)
        if size * len(uniques) >= 2**62:  # the mixed radix made small again
            combined, seen = pd.factorize(combined, sort=False)
            size = len(seen)
        combined, size = combined * len(uniques) + codes, size * len(uniques)
    if len(columns) == 1:  # already numbered in the order they first appear
        codes, uniques = combined, range(size)
    else:
        codes, uniques = pd.factorize(combined, sort=False)
    order = np.arange(len(codes))
    rows = np.full(len(uniques), len(codes), dtype=np.int64)
    np.minimum.at(rows, codes, order)
    if prefer is not None and prefer.any():
        preferred = np.full(len(uniques), len(codes), dtype=np.int64)
        np.minimum.at(preferred, codes[prefer], order[prefer])
        rows = np.where(preferred < len(codes), preferred, rows)
    return codes, rows


def _first_given(values: pd.Series | None, codes: np.ndarray) -> dict[int, str]:
    """Key code -> the first non-empty value its rows give (none given: not in the dict)."""
    if values is None:
        return {}
    given = (values != "").to_numpy()
    if not given.any():
        return {}
    firsts = pd.Series(values.to_numpy()[given], index=codes[given])
    firsts = firsts[~firsts.index.duplicated()]
    return {int(k): str(v) for k, v in firsts.items()}


def _at(values: pd.Series, rows: np.ndarray) -> list[object]:
    """The values at ``rows`` (positions) as Python objects."""
    return values.array.take(rows).tolist()


def _ids(known: dict[object, int], names: list[object], codes: np.ndarray) -> np.ndarray:
    """Ids of the distinct ``names`` -> one per row, by the rows' codes."""
    return np.array([known[n] for n in names], dtype=np.int64)[codes]


def _spread(ids: list[int | None], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """One id (or none) per distinct key -> one per row."""
    return pd.array(ids, dtype="Int64").take(codes)

"""Which stored tracks are one recording: the rule, on its own, touching no database.

Distributors name the same recording differently: one writes "Undertow (feat. Mira Sol)",
another "Undertow [Feat. Mira Sol]", Bandcamp gives no ISRC at all. Counted apart, one song
shows up as three tracks, each with a part of its income. So the tracks of one artist are
grouped:

1. **The same ISRC is one recording, whatever the titles.** An ISRC names one recording; a
   distributor's title for it ("Tin Roof Psalm" or "Tin Roof Psalm - Single") does not change
   that. Different ISRCs are never merged, even under the same title: a re-recording, a remaster
   or the same song delivered twice gets an ISRC of its own, and counting them apart is what
   the codes say.
2. **A track without ISRC joins the one recording of its artist whose normalized title is
   its own.** If two recordings with different ISRCs share that title, which one it is cannot
   be told, and it stays apart. Tracks without ISRC of the same artist and normalized title
   are one recording too.
3. **A person's "these are different" (a split) wins** over rules 1 and 2. A split track with
   an ISRC stands alone (a distributor gave a wrong ISRC); a split track without one takes
   every track without ISRC of its normalized title away from the recording they joined, and
   those stay one track of their own (what "this Bandcamp title is not that recording" means;
   two title-only spellings that normalize alike cannot be told apart by anything stored). A
   split is kept by the track's artist, ISRC and title as the statements write them, not by
   id, so it outlives removing and re-importing its statements.

A normalized title is what is left to compare when only the spelling differs: letters
case-folded, accents dropped ("Café" = "Cafe"), "&" read as "and", every character that is
neither a letter nor a digit dropped (punctuation, brackets, dashes, spaces: "Song - Live" =
"Song (Live)" = "song live"; "Fjordenʼs" = "Fjorden's" = "Fjordens"), and a featuring credit dropped ("(feat. X)", "[ft. X]",
"feat. X" at the end): who is credited does not make another recording.

Everything else in a title is kept, because it names another recording: "(Radio Edit)",
"(Extended Mix)", "(Original Mix)", "(Live)", "(Acoustic)", "(Remix)", "(Instrumental)",
"(Demo)" and "- Remastered 2011" stay part of the title, so "Song" and "Song (Radio Edit)"
are two tracks. A download shop's mix is a recording it sells on its own (the importers put it
into the title), a remaster usually has an ISRC of its own, and merging two recordings would
hide one of them, where two rows of one recording are only an inconvenience a person sees.
A title that is nothing but punctuation matches nothing.

The grouping is applied when the pages read (``royalty.store.track_links``): stored lines keep
the track their statement named.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

RULE = "1"
"""The rule's version: a database whose links were made by another one is linked again."""

BY_ISRC = "isrc"
BY_TITLE = "title"

_FEATURING_BRACKETED = re.compile(
    r"[\(\[\{]\s*(?:feat\.?|ft\.?|featuring)\s[^\)\]\}]*[\)\]\}]", re.IGNORECASE
)
"""A credit in brackets: "(feat. X)", "[ft X]", "{featuring X}"."""
_FEATURING_LOOSE = re.compile(
    r"(?<=\S)\s+(?:feat\.|featuring)\s+.*?(?=\s+-\s|[\(\[\{]|$)", re.IGNORECASE
)
"""A credit without brackets runs to a " - ", a bracket or the end. Only "feat." and
"featuring": a bare "feat" or "ft." can be a word of the title ("Great Feat", "Six Ft. Under")."""


def normalized_title(title: str) -> str:
    """The title as compared: see the module docstring ("" when nothing is left)."""
    text = unicodedata.normalize("NFKC", title)
    text = _FEATURING_BRACKETED.sub(" ", text)
    text = _FEATURING_LOOSE.sub(" ", text)
    text = text.replace("&", " and ").replace("\u02bc", "").casefold()  # ʼ is an apostrophe
    return "".join(_unaccented(ch) for ch in text if unicodedata.category(ch)[0] in "LNM")


def _unaccented(ch: str) -> str:
    """An accented letter's base letter ("é" -> "e"). Marks that are no letter's accent (the
    vowel signs of Devanagari, say) stay: dropped, they would make two words one."""
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) > 1 and all(unicodedata.category(p) == "Mn" for p in parts[1:]):
        return parts[0]
    return ch


@dataclass(frozen=True)
class StoredTrack:
    """A track row as the rule sees it."""

    id: int
    isrc: str
    title: str


@dataclass(frozen=True)
class Link:
    """``track`` is counted as ``canonical``, matched by its ISRC or its title."""

    track: int
    canonical: int
    by: str


def links(tracks: Iterable[StoredTrack], split: Iterable[tuple[str, str]] = ()) -> list[Link]:
    """The links of one artist's tracks: every track that is counted as another one.

    ``split`` holds the (ISRC, title) of the tracks a person split off (rule 3): a split track
    with an ISRC stands alone; a split track without one takes the tracks without ISRC of its
    normalized title with it, away from the recording it had joined, and they stay one track.
    The track a group is counted as is its oldest track with an ISRC (the smallest id), else
    its oldest track: ids do not move when a later statement adds a spelling.
    """
    split = set(split)
    apart = {normalized_title(title) for isrc, title in split if not isrc}
    by_isrc: dict[str, list[StoredTrack]] = defaultdict(list)
    by_title: dict[str, list[StoredTrack]] = defaultdict(list)
    for t in sorted(tracks, key=lambda t: t.id):
        if t.isrc:
            if (t.isrc, t.title) not in split:
                by_isrc[t.isrc].append(t)
        elif key := normalized_title(t.title):
            by_title[key].append(t)
    isrcs_of_title: dict[str, set[str]] = defaultdict(set)
    for isrc, members in by_isrc.items():
        for t in members:
            if key := normalized_title(t.title):
                isrcs_of_title[key].add(isrc)
    found: list[Link] = []
    for members in by_isrc.values():
        found += [Link(t.id, members[0].id, BY_ISRC) for t in members[1:]]
    for key, members in by_title.items():
        isrcs = isrcs_of_title.get(key, set())
        if len(isrcs) == 1 and key not in apart:  # one recording has this title: these are it
            head = by_isrc[next(iter(isrcs))][0]
            found += [Link(t.id, head.id, BY_TITLE) for t in members]
        else:  # none, several that cannot be told apart, or split off: these together
            found += [Link(t.id, members[0].id, BY_TITLE) for t in members[1:]]
    return sorted(found, key=lambda link: link.track)

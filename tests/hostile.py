"""Statements whose names are hostile markup, for the markup-injection tests.

Every store, artist, track, release, territory and file name below is text a distributor's file
could hold. Shown as Markdown or plotly markup it would load an image (no click needed), become
a link, raw HTML, bold or LaTeX. ``origin`` is where the links and images point: the browser test
serves it and records every request, so one request there means some string was rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from royalty.ingest import ImportResult, import_bytes

HEADER = [
    "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
    "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld",
    "Earnings (USD)",
]  # fmt: skip
TERRITORIES = ["<B>X</B>", "**BOLD**", "$\\LATEX$", "[X](/Y)"]
"""Unknown territory codes are kept as written, upper-cased, at most 8 characters."""


@dataclass(frozen=True)
class Hostile:
    origin: str

    @property
    def image(self) -> str:
        return f"![b]({self.origin}/x.png)"

    @property
    def link(self) -> str:
        return f"[Claim your unpaid royalties]({self.origin}/claim)"

    @property
    def tag(self) -> str:
        return f"<img src={self.origin}/tag.png onerror=alert(1)>"

    @property
    def autolink(self) -> str:
        return f"<{self.origin}/auto>"

    @property
    def bare(self) -> str:
        return f"{self.origin}/bare www.example.org"

    bold = "**bold**"
    latex = "$\\LaTeX$"
    lookalikes = ":smile: :material/home: :red[red] a -> b -- c me@example.org"
    """Emoji and icon codes, coloured text, arrows, an e-mail address: each has its own look."""

    @property
    def artist(self) -> str:
        return self.image

    @property
    def stores(self) -> list[str]:
        """Big enough for a per-stream rate; the first pays best, the second least."""
        return [self.image, self.link, self.tag, self.bold, self.latex]

    @property
    def small_stores(self) -> list[str]:
        """Under 1% of the income: folded into "Other (3 sources)" on Unwrapped."""
        return [self.autolink, self.bare, self.lookalikes]

    @property
    def titles(self) -> list[str]:
        return [self.link, self.image, self.tag, self.bold, self.latex]

    @property
    def release(self) -> str:
        return f"![r]({self.origin}/release.png) [release]({self.origin}/release)"

    file_name = "[Claim](#claim) <img src=x onerror=alert(1)> **bold** $x$.tsv"
    """A stored file name is the upload's base name: no slash, so no URL."""

    @property
    def bad_file_name(self) -> str:
        return f"[bad]({self.origin}/bad) <img src={self.origin}/bad.png>.tsv"

    @property
    def bad_cell(self) -> str:
        return f"![x]({self.origin}/y.png)"

    @property
    def all(self) -> list[str]:
        """Every hostile string as a statement holds it (territories as they are stored)."""
        return [
            *dict.fromkeys(
                [*self.stores, *self.small_stores, *self.titles, self.release, self.file_name,
                 self.bad_file_name, self.bad_cell, *TERRITORIES]
            )
        ]  # fmt: skip


def _row(month: str, store: str, artist: str, title: str, isrc: str, quantity: int,
         territory: str, earnings: str, kind: str = "Song") -> list[str]:  # fmt: skip
    return [f"{month}-08", month, store, artist, title, isrc, "195920977126", str(quantity),
            "100", kind, territory, "0", earnings]  # fmt: skip


def statement(h: Hostile) -> bytes:
    """A DistroKid TSV for 2024 (and a little of 2023, so there is a period before)."""
    # (streams, earnings in USD) per big store: distinct rates, the first the best
    plays = [(5000, "25.00"), (4000, "4.00"), (3000, "9.00"), (2000, "5.00"), (2000, "4.00")]
    rows = []
    for i, (store, (streams, earnings)) in enumerate(zip(h.stores, plays, strict=True)):
        for j, title in enumerate(h.titles):
            territory = TERRITORIES[(i + j) % len(TERRITORIES)] if j % 2 else "US"
            share = streams // len(h.titles)
            amount = f"{float(earnings) / len(h.titles):.6f}"
            rows.append(_row("2024-12", store, h.artist, title, f"QZHOS24{j:05d}", share,
                             territory, amount))  # fmt: skip
    rows.append(_row("2024-12", "Spotify", h.artist, h.titles[0], "QZHOS2400000", 3000, "GB",
                     "9.00"))  # fmt: skip
    for store in h.small_stores:
        rows.append(_row("2024-11", store, h.artist, h.titles[1], "QZHOS2400001", 10,
                         TERRITORIES[0], "0.01"))  # fmt: skip
    rows.append(_row("2024-11", "iTunes", h.artist, h.release, "", 3, "US", "21.00", "Album"))
    rows.append(_row("2023-12", h.image, h.artist, h.titles[0], "QZHOS2400000", 1000, "US",
                     "2.00"))  # fmt: skip
    lines = ["\t".join(HEADER), *("\t".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def bad_statement(h: Hostile) -> bytes:
    """A DistroKid TSV whose Earnings cell is hostile: the import refuses it and quotes it."""
    rows = [_row("2024-12", "Spotify", "Anyone", "A song", "QZHOS2499999", 10, "US", h.bad_cell)]
    lines = ["\t".join(HEADER), *("\t".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def load(engine: Engine, h: Hostile) -> ImportResult:
    result = import_bytes(engine, h.file_name, statement(h))
    assert result.status == "imported", result.message
    return result

"""A layout the person importing defines: which of a file's columns holds each field, for a
statement in no built-in layout. Saved under a name, it is detected by its header like a
built-in one (the same header cells, in any order and case).

The guess that pre-fills a mapping reads the header's words in English and the European
languages statements come in (``Umsatz``, ``Montant``, ``Importe``, ``Pays``, ``Land``); the
person confirms or changes every choice, so a guess never imports anything by itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from royalty.errors import StatementError
from royalty.importers.base import FileFacts, Layout
from royalty.money import parse_amounts
from royalty.months import parse_months
from royalty.vocabulary import KINDS, MAPPABLE_FIELDS

FIELDS = MAPPABLE_FIELDS
REQUIRED = ("usage_month", "amount")
LABELS = {
    "usage_month": "Usage month", "amount": "Amount (the artist's money)",
    "currency": "Currency", "quantity": "Quantity (streams, units)", "store": "Store / platform",
    "title": "Track title", "isrc": "ISRC", "upc": "UPC / EAN", "release": "Release / album",
    "territory": "Country / territory", "artist": "Artist", "kind": "Kind of use",
}  # fmt: skip

SYNONYMS: dict[str, tuple[str, ...]] = {
    "usage_month": (
        "sales period",
        "sale month",
        "usage month",
        "usage period",
        "month",
        "period",
        "accounting period",
        "sales date",
        "transaction date",
        "date",
        "verkaufsmonat",
        "monat",
        "zeitraum",
        "datum",
        "mois",
        "periode",
        "date de vente",
        "mes",
        "periodo",
        "fecha",
        "mese",
        "data",
        "maand",
        "datum",
        "mes de venda",
    ),
    "amount": (
        "net amount",
        "net revenue",
        "net royalty",
        "royalty",
        "royalties",
        "earnings",
        "net payable",
        "payable",
        "amount",
        "revenue",
        "income",
        "net",
        "total",
        "umsatz",
        "betrag",
        "erlos",
        "netto",
        "montant",
        "revenu",
        "revenus",
        "importe",
        "ingresos",
        "monto",
        "neto",
        "regalias",
        "importo",
        "ricavi",
        "bedrag",
        "opbrengst",
        "valor",
        "receita",
    ),
    "currency": (
        "currency",
        "currency code",
        "ccy",
        "cur",
        "wahrung",
        "devise",
        "monnaie",
        "moneda",
        "divisa",
        "valuta",
        "moeda",
    ),
    "quantity": (
        "quantity",
        "qty",
        "units",
        "streams",
        "plays",
        "count",
        "sales",
        "menge",
        "anzahl",
        "stuckzahl",
        "quantite",
        "nombre",
        "cantidad",
        "unidades",
        "quantita",
        "aantal",
        "quantidade",
    ),
    "store": (
        "store",
        "platform",
        "service",
        "dsp",
        "shop",
        "retailer",
        "channel",
        "partner",
        "handler",
        "plattform",
        "dienst",
        "plateforme",
        "boutique",
        "magasin",
        "tienda",
        "plataforma",
        "negozio",
        "piattaforma",
        "winkel",
        "loja",
    ),
    "title": (
        "track title",
        "song title",
        "track",
        "song",
        "title",
        "titel",
        "titre",
        "titulo",
        "titolo",
        "nummer",
        "cancion",
        "chanson",
    ),
    "isrc": ("isrc",),
    "upc": ("upc", "ean", "barcode", "upc/ean", "ean/upc"),
    "release": (
        "release title",
        "album title",
        "release",
        "album",
        "product",
        "produkt",
        "produit",
        "producto",
        "prodotto",
        "album titel",
    ),
    "territory": (
        "country of sale",
        "country",
        "territory",
        "region",
        "market",
        "land",
        "pays",
        "pais",
        "paese",
        "territorio",
        "territoire",
    ),
    "artist": (
        "artist name",
        "artist",
        "kunstler",
        "interpret",
        "artiste",
        "artista",
        "artiest",
    ),
    "kind": (
        "sales type",
        "sale type",
        "usage type",
        "transaction type",
        "type",
        "kind",
        "typ",
        "art",
        "tipo",
        "soort",
    ),
}
"""Header words per field, most specific first (``net amount`` before ``net``)."""

KIND_WORDS = {
    **{k: k for k in KINDS},
    "streams": "stream", "streaming": "stream", "downloads": "download", "dl": "download",
    "sale": "download", "sales": "download", "videos": "video", "youtube": "video",
    "cd": "physical", "vinyl": "physical", "lp": "physical", "merch": "physical",
}  # fmt: skip


def _words(cell: str) -> str:
    """``Umsatz (EUR)`` -> ``umsatz eur``: lower case, accents and punctuation gone."""
    text = unicodedata.normalize("NFKD", cell).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def guess_mapping(header: list[str]) -> dict[str, str]:
    """Field -> the header cell its name suggests; each cell used once, exact names first."""
    words = {cell: _words(cell) for cell in header if cell.strip()}
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for exact in (True, False):
        for fld in FIELDS:
            if fld in mapping:
                continue
            for synonym in SYNONYMS[fld]:
                hit = next(
                    (
                        cell
                        for cell, w in words.items()
                        if cell not in taken
                        and (w == synonym if exact else re.search(rf"\b{synonym}\b", w))
                    ),
                    None,
                )
                if hit is not None:
                    mapping[fld] = hit
                    taken.add(hit)
                    break
    return mapping


def mapping_problems(header: list[str], mapping: Mapping[str, str]) -> list[str]:
    """What is wrong with a mapping before any row is read (empty when nothing is)."""
    problems = [
        f"{f} is not a field (one of {', '.join(FIELDS)})" for f in mapping if f not in FIELDS
    ]
    lower = {h.lower(): h for h in header}
    for fld, cell in mapping.items():
        if cell.lower() not in lower:
            problems.append(f"{fld}={cell}: the file has no column {cell!r}")
    for fld in REQUIRED:
        if fld not in mapping:
            problems.append(f"{fld} is not mapped: say which column holds it (--map {fld}=HEADER)")
    return problems


def mapped_layout(
    name: str, header: list[str], mapping: Mapping[str, str], currency: str | None = None
) -> Layout:
    """The layout of a mapping: detected by exactly this header (any order and case)."""
    cells = frozenset(h.strip().lower() for h in header if h.strip())
    lower = {h.lower(): h for h in header}
    columns = {f: lower.get(c.lower(), c) for f, c in mapping.items()}

    def recognize(found: list[str]) -> dict[str, str] | None:
        if frozenset(h.strip().lower() for h in found if h.strip()) != cells:
            return None
        present = {h.lower(): h for h in found}
        return {f: present[c.lower()] for f, c in columns.items()}

    return Layout(
        name=f"saved:{name}",
        source=name,
        title=f"{name} (a saved column mapping)",
        signature=(),
        columns=columns,
        currency=currency.upper() if currency else None,
        kinds=KIND_WORDS,
        recognize=recognize,
        prepare=_check_columns,
    )


def _check_columns(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    """A mapped column that holds no months or no amounts at all is the mapping's mistake:
    say which field, with an example cell, before a row-level error would blame the file."""
    labels = dict(facts.mapping)
    months = data["usage_month"].str.strip()
    _, bad = parse_months(months)
    if bool(bad.all()) and len(data):
        raise StatementError(
            facts.file,
            f"the usage_month field is mapped to column {labels['usage_month']!r}, which does "
            f"not hold dates or months (row {int(data['row_number'].iloc[0])}: "
            f"{months.iloc[0]!r}); map it to another column",
        )
    amounts = data["amount"].str.strip()
    styles = [facts.decimal_comma] if facts.decimal_comma is not None else [False, True]
    if len(data) and all(bool(parse_amounts(amounts, decimal_comma=c).bad.all()) for c in styles):
        raise StatementError(
            facts.file,
            f"the amount field is mapped to column {labels['amount']!r}, which does not hold "
            f"amounts of money (row {int(data['row_number'].iloc[0])}: {amounts.iloc[0]!r}); "
            "map it to another column",
        )
    return data

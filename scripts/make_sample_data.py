"""Write the sample statements in ``data/``: two years of a fictional band's royalties.

The app loads these on its first run so a new user sees every page working before importing
their own files. Everything here is invented: the band, the songs, the codes and the listeners.
Per-stream rates are modelled on published industry averages (Duetti 2024, The Trichordist,
Digital Music News) with country and month-to-month variation, so the numbers look like a real
small independent act's statements rather than round figures.

The output is deterministic (fixed seed): running the script again writes the same bytes, so
the files' SHA-256 (which the app uses to recognise "only sample data is loaded") is stable.

Who releases what, so that nothing is counted twice across distributors:

* The Paper Lanterns (a four-piece from Bristol, UK)
  - "Lantern Season" (album, 2022) via TuneCore, account currency GBP;
  - "Night Ferry" (EP, released April 2024) via DistroKid, USD;
  - everything sold directly (downloads, cassette, vinyl) on Bandcamp, in GBP.
* Wren Okafor (the band's singer, solo)
  - "Glasshouse" (two-track single, 2023) via CD Baby, USD.

Usage: ``python scripts/make_sample_data.py [OUTPUT_FOLDER]`` (default: ``data/`` of the project).
"""

from __future__ import annotations

import calendar
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

SEED = 20240419  # the day "Night Ferry" came out
FIRST_MONTH, LAST_MONTH = (2024, 1), (2025, 12)
BAND, SINGER = "The Paper Lanterns", "Wren Okafor"
LABEL = "Lantern Light Records"


# --- catalogue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Song:
    title: str
    isrc: str
    appeal: float  # relative popularity inside its release


@dataclass(frozen=True)
class Release:
    artist: str
    title: str
    upc: str
    kind: str  # Album / EP / Single
    released: tuple[int, int]
    songs: tuple[Song, ...]
    streams: float  # all-store streams per month at the start of 2024 (or at release)
    launch: float  # extra multiple of ``streams`` in the release month, decaying after


LANTERN_SEASON = Release(
    BAND, "Lantern Season", "859783412206", "Album", (2022, 9),
    (
        Song("Lantern Season", "USTCZ2201001", 1.00),
        Song("Cold Harbour", "USTCZ2201002", 0.72),
        Song("Small Hours", "USTCZ2201003", 0.45),
        Song("Kite Weather", "USTCZ2201004", 0.52),
        Song("The Long Way Round", "USTCZ2201005", 0.30),
        Song("Embers", "USTCZ2201006", 0.26),
    ),
    streams=30_000, launch=0.0,
)  # fmt: skip
NIGHT_FERRY = Release(
    BAND, "Night Ferry", "198004511236", "EP", (2024, 4),
    (
        Song("Night Ferry", "QZTB92400101", 1.00),
        Song("Saltwater Radio", "QZTB92400102", 0.80),
        Song("Quayside", "QZTB92400103", 0.40),
    ),
    streams=16_000, launch=2.5,
)  # fmt: skip
GLASSHOUSE = Release(
    SINGER, "Glasshouse", "195269044127", "Single", (2023, 6),
    (
        Song("Glasshouse", "usx9w2300041", 1.00),  # CD Baby writes ISRCs in lower case
        Song("Paper Moon", "usx9w2300042", 0.55),
    ),
    streams=6_000, launch=0.0,
)  # fmt: skip

# "Saltwater Radio" was added to an editorial playlist for three months in 2025.
PLAYLIST = {"Saltwater Radio": {(2025, 5): 2.6, (2025, 6): 3.1, (2025, 7): 2.0, (2025, 8): 1.3}}


# --- listeners ----------------------------------------------------------------------------------

# Share of a UK indie band's listening by country, and how that country's payouts compare with
# the average (subscription prices and the ad-supported share differ widely by market).
COUNTRIES: dict[str, tuple[float, float]] = {
    "GB": (0.230, 1.12), "US": (0.190, 1.22), "DE": (0.075, 1.02), "NL": (0.040, 1.00),
    "IE": (0.030, 1.08), "FR": (0.035, 0.92), "SE": (0.028, 0.98), "NO": (0.018, 1.30),
    "DK": (0.015, 1.18), "FI": (0.010, 0.98), "BE": (0.014, 0.98), "CH": (0.010, 1.35),
    "AT": (0.009, 1.00), "ES": (0.022, 0.72), "IT": (0.020, 0.74), "PT": (0.008, 0.60),
    "PL": (0.014, 0.52), "CA": (0.040, 1.04), "AU": (0.040, 1.05), "NZ": (0.010, 1.00),
    "JP": (0.016, 1.00), "KR": (0.005, 0.80), "BR": (0.030, 0.32), "MX": (0.028, 0.36),
    "AR": (0.010, 0.22), "CL": (0.007, 0.42), "IN": (0.018, 0.16), "ID": (0.010, 0.26),
    "PH": (0.010, 0.30), "ZA": (0.006, 0.42), "NG": (0.003, 0.20), "KE": (0.002, 0.20),
}  # fmt: skip
ONLY = {  # stores that operate in a few markets only
    "pandora": ("US",),
    "boomplay": ("NG", "KE", "ZA"),
    "tencent": ("CN",),
    "facebook": ("OU",),
    "amazon_uk": ("GB",),
}


@dataclass(frozen=True)
class Service:
    """A store as the model sees it: its share of listening and its per-stream rate in USD."""

    key: str
    share: float
    rate: float  # USD per stream (or per sale), before the country multiplier
    sensitivity: float = 1.0  # how much the country multiplier moves this store's rate
    kind: str = "stream"  # stream / video / download
    reach: int = 32  # how many of the top countries it appears in


# Rates: Spotify ~$0.0033 (Duetti $3.00/1k 2024; Trichordist $0.0033-0.0040), Apple Music
# ~$0.0065, Amazon Unlimited ~$0.006 / Prime ~$0.003, TIDAL ~$0.011, Deezer ~$0.0035,
# YouTube Music ~$0.002, YouTube ads/Content ID ~$0.0006, Pandora ~$0.0013 (all published
# averages; see the app's reference table).
SERVICES: dict[str, Service] = {
    s.key: s
    for s in (
        Service("spotify", 0.600, 0.00330),
        Service("apple", 0.125, 0.00650, sensitivity=0.4, reach=22),
        Service("amazon_unlimited", 0.040, 0.00600, sensitivity=0.6, reach=12),
        Service("amazon_prime", 0.025, 0.00300, sensitivity=0.6, reach=10),
        Service("youtube_music", 0.060, 0.00200, reach=18),
        Service("youtube_video", 0.180, 0.00060, kind="video", reach=20),
        Service("deezer", 0.030, 0.00350, reach=14),
        Service("tidal", 0.012, 0.01100, sensitivity=0.4, reach=10),
        Service("pandora", 0.010, 0.00130),
        Service("tiktok", 0.080, 0.00080, kind="video", reach=14),
        Service("facebook", 0.060, 0.00002, kind="video"),
        Service("boomplay", 0.004, 0.00040),
        Service("tencent", 0.003, 0.00040),
    )
}
DOWNLOAD = Service("download", 0.0, 0.0, kind="download")  # priced by each distributor


# --- randomness and money -----------------------------------------------------------------------

rng = random.Random(SEED)


def months() -> Iterator[tuple[int, int]]:
    year, month = FIRST_MONTH
    while (year, month) <= LAST_MONTH:
        yield year, month
        year, month = (year + month // 12, month % 12 + 1)


def month_index(ym: tuple[int, int]) -> int:
    return (ym[0] - FIRST_MONTH[0]) * 12 + ym[1] - FIRST_MONTH[1]


def shift(ym: tuple[int, int], n: int) -> tuple[int, int]:
    i = ym[0] * 12 + ym[1] - 1 + n
    return i // 12, i % 12 + 1


def month_end(ym: tuple[int, int]) -> date:
    return date(ym[0], ym[1], calendar.monthrange(*ym)[1])


def poisson(mean: float) -> int:
    """A count of plays with the given mean (normal approximation for large means)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def dec(value: float | Decimal, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def text(value: Decimal) -> str:
    return format(value, "f")


# Month-to-month movement of each store's rate (subscriber mix, ad market, currency).
RATE_DRIFT = {
    (key, ym): 1 + 0.07 * math.sin((month_index(ym) + i * 1.7) / 2.3) + rng.gauss(0, 0.035)
    for i, key in enumerate(SERVICES)
    for ym in months()
}


def demand(release: Release, song: Song, ym: tuple[int, int]) -> float:
    """Expected all-store streams of one song in one month."""
    age = (ym[0] - release.released[0]) * 12 + ym[1] - release.released[1]
    if age < 0:
        return 0.0
    if release.launch:
        # starts at its launch level, settles to ``streams`` and grows from there
        level = release.streams * (1 + release.launch * math.exp(-age / 2.5))
        level *= 1.025 ** max(0, age - 3)
    else:
        level = release.streams * 1.022 ** month_index(ym)
    season = 1 + 0.06 * math.cos((ym[1] - 12) / 12 * 2 * math.pi)  # busier around December
    boost = PLAYLIST.get(song.title, {}).get(ym, 1.0)
    total_appeal = sum(s.appeal for s in release.songs)
    return level * season * song.appeal / total_appeal * boost


def rate_for(service: Service, country: str, ym: tuple[int, int]) -> float:
    multiplier = COUNTRIES[country][1] if country in COUNTRIES else 0.9
    multiplier = 1 + service.sensitivity * (multiplier - 1)
    return service.rate * multiplier * RATE_DRIFT[(service.key, ym)] * (1 + rng.gauss(0, 0.03))


def countries_of(service: Service) -> list[tuple[str, float]]:
    if service.key in ONLY:
        codes = ONLY[service.key]
        return [(c, 1 / len(codes)) for c in codes]
    top = sorted(COUNTRIES.items(), key=lambda kv: -kv[1][0])[: service.reach]
    weight = sum(w for _, (w, _) in top)
    return [(c, w / weight) for c, (w, _) in top]


@dataclass
class Cell:
    """One statement row's worth of plays: a song on a store in a country in a month."""

    ym: tuple[int, int]
    release: Release
    song: Song
    service: Service
    country: str
    quantity: int
    rate: float


def playlist_lift(key: str, song: Song, ym: tuple[int, int]) -> float:
    """An editorial playlist add lifts Spotify far more than the other stores."""
    return 2.2 if key == "spotify" and ym in PLAYLIST.get(song.title, {}) else 1.0


def stream_cells(release: Release, services: list[str]) -> Iterator[Cell]:
    for ym in months():
        for song in release.songs:
            expected = demand(release, song, ym)
            if expected == 0:
                continue
            for key in services:
                service = SERVICES[key]
                share = service.share * playlist_lift(key, song, ym)
                for country, weight in countries_of(service):
                    mean = expected * share * weight * rng.lognormvariate(0, 0.18)
                    quantity = poisson(mean)
                    if quantity == 0:
                        continue
                    yield Cell(ym, release, song, service, country, quantity,
                               rate_for(service, country, ym))  # fmt: skip


def download_cells(release: Release, per_month: float, countries: list[str]) -> Iterator[Cell]:
    """Single-track downloads: a few a month, in the countries where people still buy."""
    for ym in months():
        for song in release.songs:
            for country in countries:
                mean = per_month * song.appeal * COUNTRIES[country][0] / 0.23
                quantity = poisson(mean)
                if quantity:
                    yield Cell(ym, release, song, DOWNLOAD, country, quantity, 0.0)


# --- DistroKid: "Night Ferry" -------------------------------------------------------------------

DISTROKID_HEADER = [
    "Date Inserted", "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC",
    "Quantity", "Team Percentage", "Song/Album", "Country of Sale",
    "Songwriter Royalties Withheld (USD)", "Earnings (USD)", "Recoup (USD)",
]  # fmt: skip
DISTROKID_STORES = {
    "spotify": "Spotify",
    "apple": "Apple Music",
    "amazon_unlimited": "Amazon Unlimited (Streaming)",
    "amazon_prime": "Amazon Prime (Streaming)",
    "youtube_music": "YouTube (Red)",
    "youtube_video": "YouTube (Ads)",
    "deezer": "Deezer",
    "tidal": "Tidal",
    "pandora": "Pandora",
    "tiktok": "TikTok",
    "facebook": "Facebook",
    "boomplay": "Boomplay",
    "tencent": "Tencent Direct Deal",
}


def distrokid_rows() -> dict[int, list[list[str]]]:
    """Rows by sale year. DistroKid credits a month's sales about two months later."""
    by_year: dict[int, list[list[str]]] = {}

    def add(ym, store, title, isrc, quantity, song_or_album, country, earnings):
        inserted = date(*shift(ym, 2), 1) + timedelta(days=6 + rng.randrange(18))
        reported = inserted + timedelta(days=1 if rng.random() < 0.01 else 0)
        by_year.setdefault(ym[0], []).append([
            inserted.isoformat(), reported.isoformat(), f"{ym[0]}-{ym[1]:02d}", store,
            NIGHT_FERRY.artist, title, isrc, NIGHT_FERRY.upc, str(quantity), "100",
            song_or_album, country, "0", text(earnings), "0.00000000",
        ])  # fmt: skip

    for cell in stream_cells(NIGHT_FERRY, list(DISTROKID_STORES)):
        earnings = dec(cell.quantity * cell.rate, 8)
        if earnings == 0:
            earnings = Decimal("0.00000012")
        add(cell.ym, DISTROKID_STORES[cell.service.key], cell.song.title, cell.song.isrc,
            cell.quantity, "Song", cell.country, earnings)  # fmt: skip
    # iTunes: single-track purchases ($0.99 -> ~$0.69) and whole-EP purchases ($3.96 -> ~$2.77)
    for cell in download_cells(NIGHT_FERRY, 1.2, ["GB", "US", "DE", "IE", "CA", "AU", "NL"]):
        unit = dec(0.69 * (1 + rng.gauss(0, 0.04)), 8)
        add(cell.ym, "iTunes Songs", cell.song.title, cell.song.isrc, cell.quantity, "Song",
            cell.country, unit * cell.quantity)  # fmt: skip
    for ym in months():
        if ym < NIGHT_FERRY.released:
            continue
        for country in ("GB", "US", "DE"):
            quantity = poisson(0.9 if ym == NIGHT_FERRY.released else 0.35)
            if quantity:
                unit = dec(2.77 * (1 + rng.gauss(0, 0.03)), 8)
                add(ym, "iTunes", NIGHT_FERRY.title, "", quantity, "Album", country,
                    unit * quantity)  # fmt: skip
    # Two corrections of earlier overpayments: no plays, negative money.
    add((2024, 11), "Spotify", "Night Ferry", "QZTB92400101", 0, "Song", "US",
        Decimal("-0.41235000"))  # fmt: skip
    add((2025, 7), "Amazon Unlimited (Streaming)", "Saltwater Radio", "QZTB92400102", 0,
        "Song", "DE", Decimal("-0.08120000"))  # fmt: skip
    for rows in by_year.values():  # DistroKid lists the newest first
        rows.sort(key=lambda r: (r[0], r[2], r[3], r[5], r[11]), reverse=True)
    return by_year


# --- TuneCore: "Lantern Season", account in GBP -------------------------------------------------

TUNECORE_HEADER = [
    "Sales Period", "Posted Date", "Store Name", "Country Of Sale", "Artist", "Release Type",
    "Release Title", "Song Title", "Label", "UPC", "Optional UPC", "TC Song ID",
    "Optional ISRC", "Sales Type", "# Units Sold", "Per Unit Price", "Net Sales",
    "Net Sales Currency", "Exchange Rate", "Total Earned", "Currency", "Commission",
    "Youtube Video ID", "Youtube Policy Type",
]  # fmt: skip
TUNECORE_STORES = {
    "spotify": "Spotify",
    "apple": "Apple Music",
    "amazon_unlimited": "Amazon Music",
    "youtube_music": "YouTube Music",
    "youtube_video": "YouTube",
    "deezer": "Deezer",
    "tidal": "Tidal",
    "pandora": "Pandora",
}
EURO = {"DE", "NL", "IE", "FR", "FI", "BE", "AT", "ES", "IT", "PT"}
# ECB reference rates around the 15th of each month: 1 USD and 1 EUR in GBP.
FX_TO_GBP: dict[tuple[int, int], tuple[str, str]] = {
    (2024, 1): ("0.7864", "0.8608"), (2024, 2): ("0.7971", "0.8563"),
    (2024, 3): ("0.7842", "0.8541"), (2024, 4): ("0.8015", "0.8540"),
    (2024, 5): ("0.7925", "0.8584"), (2024, 6): ("0.7885", "0.8433"),
    (2024, 7): ("0.7706", "0.8405"), (2024, 8): ("0.7775", "0.8561"),
    (2024, 9): ("0.7591", "0.8434"), (2024, 10): ("0.7645", "0.8336"),
    (2024, 11): ("0.7886", "0.8346"), (2024, 12): ("0.7899", "0.8298"),
    (2025, 1): ("0.8186", "0.8431"), (2025, 2): ("0.7941", "0.8319"),
    (2025, 3): ("0.7723", "0.8413"), (2025, 4): ("0.7557", "0.8557"),
    (2025, 5): ("0.7532", "0.8424"), (2025, 6): ("0.7372", "0.8517"),
    (2025, 7): ("0.7440", "0.8679"), (2025, 8): ("0.7377", "0.8622"),
    (2025, 9): ("0.7344", "0.8641"), (2025, 10): ("0.7490", "0.8705"),
    (2025, 11): ("0.7592", "0.8829"), (2025, 12): ("0.7470", "0.8779"),
}  # fmt: skip
VIDEO_IDS = {  # fan videos and lyric videos claimed through Content ID
    "Lantern Season": ("qT7wLm2Xc0E", "Z4pR8sVn1aQ"),
    "Cold Harbour": ("hB3kN9yTf6U",),
    "Kite Weather": ("m0VdS5jQw2I",),
}


def store_currency(store: str, country: str) -> str:
    """What a store paid TuneCore in: Deezer in euros, Amazon UK and UK downloads in pounds."""
    if store == "Deezer" or (store == "iTunes" and country in EURO):
        return "EUR"
    if store in ("Amazon Music", "iTunes") and country == "GB":
        return "GBP"
    return "USD"


def tunecore_rows() -> dict[int, list[list[str]]]:
    by_year: dict[int, list[list[str]]] = {}
    usd_rate = {ym: (Decimal(u), Decimal(e)) for ym, (u, e) in FX_TO_GBP.items()}

    def add(ym, store, country, song, kind, units, unit_price, video=("", "")):
        currency = store_currency(store, country)
        net = unit_price * units
        commission = dec(net * Decimal("0.2"), 6) if video[0] else Decimal(0)
        if currency == "GBP":
            fx, earned = "", dec(net - commission, 6)
        else:
            rate = usd_rate[ym][0 if currency == "USD" else 1]
            fx, earned = text(rate), dec((net - commission) * rate, 6)
        by_year.setdefault(ym[0], []).append([
            f"{ym[0]}-{ym[1]:02d}-01", f"{shift(ym, 2)[0]}-{shift(ym, 2)[1]:02d}-01", store,
            country, BAND, "Album", LANTERN_SEASON.title, song.title, LABEL, LANTERN_SEASON.upc,
            "", song.isrc, "", kind, f"{units:,}" if units >= 1000 and rng.random() < 0.05 else str(units),
            text(unit_price), text(net), currency, fx, text(earned), "GBP", text(commission),
            video[0], video[1],
        ])  # fmt: skip

    for cell in stream_cells(LANTERN_SEASON, list(TUNECORE_STORES)):
        country, store = cell.country, TUNECORE_STORES[cell.service.key]
        # a store's own currency: the USD model rate converted at that month's rate
        rate = Decimal(str(cell.rate))
        if store_currency(store, country) == "EUR":
            rate = rate * usd_rate[cell.ym][0] / usd_rate[cell.ym][1]
        elif store_currency(store, country) == "GBP":
            rate = rate * usd_rate[cell.ym][0]
        video = ("", "")
        if cell.service.key == "youtube_video":
            ids = VIDEO_IDS.get(cell.song.title)
            if not ids:
                continue  # no claimed videos for this song
            video = (ids[cell.quantity % len(ids)], "Monetize")
        add(cell.ym, store, country, cell.song, "Streaming", cell.quantity, dec(rate, 6), video)
    # iTunes pays 70% of a 0.99 song in the buyer's own currency
    for cell in download_cells(LANTERN_SEASON, 0.9, ["GB", "US", "DE", "IE", "NL", "CA"]):
        add(cell.ym, "iTunes", cell.country, cell.song, "Download", cell.quantity,
            Decimal("0.693"))  # fmt: skip
    for rows in by_year.values():
        rows.sort(key=lambda r: (r[0], r[2], r[7], r[3]))
    return by_year


# --- CD Baby: Wren Okafor's "Glasshouse" --------------------------------------------------------

CDBABY_HEADER = [
    "Report Date", "Sales Date", "Quantity", "Price", "Subtotal", "Isrc", "Barcode",
    "CDBabySku", "Album Name", "Artist Name", "Track Name", "Partner Name", "Transaction Type",
    "Delivery Country",
]  # fmt: skip
CDBABY_CUT = 0.91  # CD Baby keeps 9% of digital income


def cdbaby_partner(key: str, country: str) -> tuple[str, str]:
    if key == "apple":
        if country == "US":
            return "iTunes - Apple Music - US", "Stream"
        return (
            ("iTunes - Apple Music - Europe", "Stream")
            if country in EURO
            else ("Apple Music", "Stream")
        )
    if key == "amazon_unlimited":
        return ("Amazon US Premium Service" if country == "US" else "Amazon Premium ROE"), "Stream"
    return {
        "spotify": ("Spotify", "Stream"),
        "youtube_music": ("YouTube Music", "YouTube Audio Tier"),
        "deezer": ("Deezer", "Stream"),
        "tidal": ("Tidal", "Stream"),
        "pandora": ("Pandora Premium", "Stream"),
        "boomplay": ("Boomplay", "Stream"),
    }[key]


def cd_date(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year} 12:00:00 AM"


def cdbaby_rows() -> dict[int, list[list[str]]]:
    by_year: dict[int, list[tuple[tuple[int, int], list[str]]]] = {}

    def add(ym, song, partner, kind, quantity, subtotal, country):
        price = dec(subtotal / quantity, 8)
        report = date(*shift(ym, 2), 15)
        by_year.setdefault(ym[0], []).append((ym, [
            cd_date(report), cd_date(month_end(ym)), str(quantity), text(price), text(subtotal),
            song.isrc, f'"{GLASSHOUSE.upc}"', "wrenokafor1", GLASSHOUSE.title, SINGER,
            song.title, partner, kind, country,
        ]))  # fmt: skip

    keys = ["spotify", "apple", "amazon_unlimited", "youtube_music", "deezer", "tidal",
            "pandora", "boomplay"]  # fmt: skip
    for cell in stream_cells(GLASSHOUSE, keys):
        partner, kind = cdbaby_partner(cell.service.key, cell.country)
        subtotal = dec(cell.quantity * cell.rate * CDBABY_CUT, 10)
        if subtotal > 0:
            add(cell.ym, cell.song, partner, kind, cell.quantity, subtotal, cell.country)
    for cell in download_cells(GLASSHOUSE, 0.8, ["US", "GB", "CA", "DE"]):
        partner = "Amazon MP3-UK" if cell.country == "GB" and rng.random() < 0.4 else "Apple iTunes"
        unit = dec(0.693 * CDBABY_CUT * (1 + rng.gauss(0, 0.02)), 10)
        add(cell.ym, cell.song, partner, "Download", cell.quantity, unit * cell.quantity,
            cell.country)  # fmt: skip
    # by month, then partner, track and country, as CD Baby lists them
    return {
        year: [row for _, row in sorted(rows, key=lambda t: (t[0], t[1][11], t[1][10], t[1][13]))]
        for year, rows in by_year.items()
    }


# --- Bandcamp: direct sales in GBP --------------------------------------------------------------

BANDCAMP_HEADER = [
    "date", "paid to", "item type", "item name", "artist", "currency", "item price", "quantity",
    "discount code", "sub total", "tax", "shipping", "ship from country name",
    "transaction fee", "fee type", "item total", "amount you received",
    "bandcamp transaction id", "paypal transaction id", "assessed revenue share",
    "collected revenue share", "balance of revenue share", "change to payout balance",
    "payout balance", "net amount", "package", "option", "item url", "sku", "catalog number",
    "upc", "isrc", "buyer name", "buyer email", "buyer phone", "buyer note", "ship to name",
    "ship to street", "ship to street 2", "ship to city", "ship to state", "ship to zip",
    "ship to country", "ship to country code", "ship date", "ship notes", "country",
    "country code", "region/state", "city", "referrer", "referrer url",
]  # fmt: skip
SITE = "https://thepaperlanterns.bandcamp.com"
# The first Friday of these months Bandcamp waived its revenue share ("Bandcamp Friday").
BANDCAMP_FRIDAYS = {
    date(2024, 2, 2), date(2024, 3, 1), date(2024, 4, 5), date(2024, 5, 3), date(2024, 8, 2),
    date(2024, 9, 6), date(2024, 10, 4), date(2024, 11, 1), date(2024, 12, 6),
    date(2025, 2, 7), date(2025, 3, 7), date(2025, 4, 4), date(2025, 5, 2), date(2025, 8, 1),
    date(2025, 9, 5), date(2025, 10, 3), date(2025, 11, 7), date(2025, 12, 5),
}  # fmt: skip
COUNTRY_NAMES = {
    "GB": "United Kingdom", "US": "United States", "DE": "Germany", "NL": "Netherlands",
    "IE": "Ireland", "FR": "France", "SE": "Sweden", "NO": "Norway", "DK": "Denmark",
    "FI": "Finland", "BE": "Belgium", "CH": "Switzerland", "AT": "Austria", "ES": "Spain",
    "IT": "Italy", "PT": "Portugal", "PL": "Poland", "CA": "Canada", "AU": "Australia",
    "NZ": "New Zealand", "JP": "Japan", "KR": "South Korea", "BR": "Brazil", "MX": "Mexico",
    "AR": "Argentina", "CL": "Chile", "IN": "India", "ID": "Indonesia", "PH": "Philippines",
    "ZA": "South Africa", "NG": "Nigeria", "KE": "Kenya",
}  # fmt: skip


@dataclass(frozen=True)
class Item:
    item_type: str
    name: str
    price: Decimal
    package: str = ""
    sku: str = ""
    upc: str = ""
    isrc: str = ""
    slug: str = ""
    weight: float = 1.0
    since: tuple[int, int] = FIRST_MONTH


def bandcamp_items() -> list[Item]:
    album, ep = LANTERN_SEASON, NIGHT_FERRY
    items = [
        Item("album", album.title, Decimal(8), sku="PL-002digi", upc=album.upc,
             slug="album/lantern-season", weight=5),
        Item("package", album.title, Decimal(10), "Limited Edition Cassette", "PL-002cs",
             slug="album/lantern-season", weight=1.5),
        Item("package", album.title, Decimal(24), '12" Vinyl LP', "PL-002lp",
             slug="album/lantern-season", weight=2.2),
        Item("album", ep.title, Decimal(5), sku="PL-003digi", upc=ep.upc,
             slug="album/night-ferry", weight=4, since=ep.released),
        Item("package", ep.title, Decimal(8), "Night Ferry Cassette", "PL-003cs",
             slug="album/night-ferry", weight=1.2, since=ep.released),
    ]  # fmt: skip
    for release in (album, ep):
        for song in release.songs:
            slug = "track/" + song.title.lower().replace(" ", "-")
            items.append(Item("track", song.title, Decimal(1), isrc=song.isrc, slug=slug,
                              weight=0.7 * song.appeal, since=release.released))  # fmt: skip
    return items


def bandcamp_rows() -> dict[int, list[list[str]]]:
    items = bandcamp_items()
    by_year: dict[int, list[list[str]]] = {}
    transaction = 2_410_377_000
    balance = Decimal(0)
    countries = list(COUNTRIES)
    weights = [COUNTRIES[c][0] for c in countries]
    weights[0] *= 1.8  # Bandcamp buyers are more often local
    sold: list[list[str]] = []

    def money(value: Decimal) -> str:
        return text(value.quantize(Decimal("0.01")))

    for ym in months():
        days = calendar.monthrange(*ym)[1]
        friday = next((d for d in BANDCAMP_FRIDAYS if (d.year, d.month) == ym), None)
        orders = poisson(10 * 1.03 ** month_index(ym) + (9 if ym == NIGHT_FERRY.released else 0))
        stamps = sorted(
            (date(*ym, 1 + rng.randrange(days)), rng.randrange(24 * 60)) for _ in range(orders)
        )
        if friday:
            stamps += sorted((friday, rng.randrange(24 * 60)) for _ in range(poisson(9)))
        month_rows: list[tuple[date, int, list[str]]] = []
        for day, minute in stamps:
            available = [i for i in items if i.since <= ym]
            item = rng.choices(available, [i.weight for i in available])[0]
            country = rng.choices(countries, weights)[0]
            quantity = 2 if rng.random() < 0.04 else 1
            # "name your price": digital buyers often pay more than asked
            price = item.price
            if item.item_type != "package" and rng.random() < 0.3:
                extra = (1, 2, 2, 3, 5) if item.item_type == "album" else ("0.5", 1)
                price += Decimal(rng.choice(extra))
            sub_total = price * quantity
            shipping = Decimal(0)
            if item.item_type == "package":
                shipping = Decimal(3 if country == "GB" else 5 if country in EURO else 8)
            item_total = sub_total + shipping
            paypal = rng.random() < 0.25
            fee = (item_total * Decimal("0.029") + Decimal("0.20")).quantize(Decimal("0.01"))
            share_rate = Decimal("0.10" if item.item_type == "package" else "0.15")
            share = Decimal(0) if day == friday else (sub_total * share_rate)
            share = share.quantize(Decimal("0.01"))
            net = item_total - fee - share
            transaction += 1 + rng.randrange(900)
            balance += Decimal(0) if paypal else net
            minute_text = (
                f"{(minute // 60) % 12 or 12}:{minute % 60:02d}{'am' if minute < 720 else 'pm'}"
            )
            row = [
                f"{day.month}/{day.day}/{day.year % 100} {minute_text}",
                "payments@thepaperlanterns.example" if paypal else "Bandcamp",
                item.item_type, item.name, BAND, "GBP", money(price), str(quantity), "",
                money(sub_total), "", money(shipping) if shipping else "",
                "United Kingdom" if shipping else "", money(fee),
                "paypal" if paypal else "credit card", money(item_total),
                money(net) if paypal else "0", str(transaction),
                f"{rng.getrandbits(60):015X}"[:17] if paypal else "", money(share),
                money(share) if not paypal else "0", "0",
                "0" if paypal else money(net), money(balance), money(net), item.package, "",
                f"{SITE}/{item.slug}", item.sku, item.sku[:6] if item.sku else "", item.upc,
                item.isrc, "", "", "", "", "", "", "", "", "", "", "", "", "", "",
                COUNTRY_NAMES[country], country, "", "", "bandcamp",
                "https://bandcamp.com/discover" if rng.random() < 0.5 else SITE,
            ]  # fmt: skip
            month_rows.append((day, minute, row))
            sold.append(row)
        # refunds: a vinyl LP lost in the post, and a duplicate digital purchase
        refund_of = {(2024, 11): '12" Vinyl LP', (2025, 3): ""}.get(ym)
        if refund_of is not None:
            original = next(
                r for r in reversed(sold)
                if r[25] == refund_of and (refund_of or r[2] == "album")
            )  # fmt: skip
            note = "REFUND 1 VINYL LP" if refund_of else "REFUND 1 ALBUM DIGI"
            net = -Decimal(original[24])
            balance += net
            transaction += 1 + rng.randrange(900)
            row = [""] * len(BANDCAMP_HEADER)
            row[:8] = [f"{ym[1]}/{days - 2}/{ym[0] % 100} 10:15am", "Bandcamp", "refund",
                       original[3], BAND, "GBP", "", ""]  # fmt: skip
            row[17], row[22], row[23], row[24], row[25] = (
                str(transaction), money(net), money(balance), money(net), note,
            )  # fmt: skip
            row[30], row[31], row[46], row[47] = (
                original[30],
                original[31],
                original[46],
                original[47],
            )
            month_rows.append((date(*ym, days - 2), 615, row))
        # Bandcamp pays the balance out at the end of the month: not income, the importer drops it
        if balance > 0:
            transaction += 1 + rng.randrange(900)
            row = [""] * len(BANDCAMP_HEADER)
            row[:6] = [f"{ym[1]}/{days}/{ym[0] % 100} 11:59pm", "Bandcamp", "payout", "", "", "GBP"]
            row[17], row[22], row[23], row[24] = (
                str(transaction), money(-balance), "0", money(-balance),
            )  # fmt: skip
            month_rows.append((date(*ym, days), 24 * 60, row))
            balance = Decimal(0)
        by_year.setdefault(ym[0], []).extend(
            r for _, _, r in sorted(month_rows, key=lambda t: t[:2])
        )
    return by_year


# --- writing ------------------------------------------------------------------------------------


def csv_line(cells: list[str], sep: str = ",") -> str:
    if sep == "\t":
        return sep.join(cells)
    return sep.join(f'"{c.replace(chr(34), chr(34) * 2)}"' if any(x in c for x in ',"\n') else c
                    for c in cells)  # fmt: skip


def write(path: Path, header: list[str], rows: list[list[str]], *, sep: str, newline: str,
          encoding: str) -> None:  # fmt: skip
    body = newline.join(csv_line(r, sep) for r in [header, *rows]) + newline
    data = b"\xff\xfe" + body.encode("utf-16-le") if encoding == "utf-16" else body.encode(encoding)
    path.write_bytes(data)
    print(f"{path.name}: {len(rows):,} rows, {path.stat().st_size / 1e6:.2f} MB")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.suffix in {".tsv", ".csv", ".txt"}:
            old.unlink()
    for year, rows in sorted(tunecore_rows().items()):
        write(out / f"tunecore_{year}_gbp.csv", TUNECORE_HEADER, rows, sep=",", newline="\r\n",
              encoding="utf-8")  # fmt: skip
    for year, rows in sorted(distrokid_rows().items()):
        write(out / f"distrokid_{year}.tsv", DISTROKID_HEADER, rows, sep="\t", newline="\r\n",
              encoding="ascii")  # fmt: skip
    for year, rows in sorted(cdbaby_rows().items()):
        write(out / f"cdbaby_{year}.txt", CDBABY_HEADER, rows, sep="\t", newline="\r\n",
              encoding="ascii")  # fmt: skip
    for year, rows in sorted(bandcamp_rows().items()):
        # Bandcamp exports UTF-16 little-endian with a byte-order mark
        write(out / f"bandcamp_{year}.csv", BANDCAMP_HEADER, rows, sep=",", newline="\n",
              encoding="utf-16")  # fmt: skip


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data"
    )

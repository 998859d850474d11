"""Words and units every layer shares, in a module that imports nothing: importers, money
code and the schema all use them without importing each other."""

NANO = 1_000_000_000
"""Scale of stored amounts (``amount_nano``): one currency unit is 10**9 nano-units."""

MASTER_KINDS = ("stream", "download", "video", "physical", "other")
"""Recording (master) income: what a distributor or shop pays for the sound recording."""
PUBLISHING_KINDS = ("performance", "mechanical", "sync")
"""Songwriting (publishing) income: what a performing-rights society or publisher pays for the
composition, whatever medium carried it; a mechanical royalty on streams is not a stream."""
KINDS = MASTER_KINDS + PUBLISHING_KINDS
"""Kinds of use. Only ``stream`` counts towards per-stream rates."""

MAPPABLE_FIELDS = (
    "usage_month", "amount", "currency", "quantity", "store", "title", "isrc", "upc",
    "release", "territory", "artist", "kind",
)  # fmt: skip
"""What a column mapping can name, in the order a form asks for them (``--map FIELD=``)."""

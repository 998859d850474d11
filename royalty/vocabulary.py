"""Words and units every layer shares, in a module that imports nothing: importers, money
code and the schema all use them without importing each other."""

NANO = 1_000_000_000
"""Scale of stored amounts (``amount_nano``): one currency unit is 10**9 nano-units."""

KINDS = ("stream", "download", "video", "physical", "other")
"""Kinds of use. Only ``stream`` counts towards per-stream rates."""

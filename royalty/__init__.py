"""Royalty transparency: import distributor statements exactly, compare what platforms pay.

The package is the whole product without its UI: ``importers`` and ``ingest`` turn statement
files into rows of one schema (``models``), ``analytics`` answers every question the pages ask
with SQL aggregations, ``reports`` writes the shareable files, and ``cli`` exposes all of it to a
terminal. ``app.py`` and ``app_pages/`` only call into it.
"""

__version__ = "0.1.0"

"""The one owner of the database: the schema (``models``), engines and their set-up (``db``),
bulk loads (``bulk``) with their scratch files (``scratch``) and full-disk errors
(``diskfull``), per-statement summaries (``rollup``), the key index both use (``keyindex``) and
statement-level operations (``statements``).

Every write goes through this package; read paths (``analytics``) only read.
"""

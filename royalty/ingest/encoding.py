"""Which encoding a text statement is in: a BOM, else UTF-16 by its zero bytes, else strict
UTF-8 over the whole file (streamed), else Windows-1252 or Latin-1; a file that mixes UTF-8
with a legacy encoding is refused at its first row that is not UTF-8, never decoded wrongly.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from royalty.errors import StatementError

if TYPE_CHECKING:
    from royalty.ingest.reader import Source

VALIDATED_BYTES = 8 * 1024 * 1024
"""Bytes of a file validated as UTF-8 at a time."""


def sniff_encoding(source: Source) -> str:
    """BOM first, then strict UTF-8 over the whole file (streamed), else Windows-1252/Latin-1."""
    head = source.head(4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return "utf-16-be"
    if b"\x00" in head:
        raise StatementError(
            source.name,
            "is not a text statement: it holds binary data (is it a renamed spreadsheet or PDF?)",
        )
    bad_at = _first_invalid_utf8(source)
    if bad_at is None:
        return "utf-8"
    if _has_utf8_sequences(source):
        raise StatementError(
            source.name,
            "has text in two encodings: most of it is UTF-8, but this row is not (were two "
            "exports pasted together?); save the file again as UTF-8 and import that",
            row=_row_at(source, bad_at),
        )
    try:
        with source.opener() as f:
            while block := f.read(8 * 1024 * 1024):
                block.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
"""A character UTF-8 writes with several bytes. Legacy (Windows-1252, Latin-1) text almost
never has one: it would take a letter such as ``Ã`` followed by one such as ``©``."""


def _first_invalid_utf8(source: Source) -> int | None:
    """Offset of the first byte that is not UTF-8, streamed; None when all of it is."""
    if _all_utf8(source):  # the usual answer, found without decoding the text
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    consumed = 0
    with source.opener() as f:
        while True:
            block = f.read(8 * 1024 * 1024)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return consumed - pending + exc.start
            if not block:
                return None
            consumed += len(block)


def _all_utf8(source: Source) -> bool:
    """Whether the whole file is UTF-8, validated by Arrow (in C, without making a string of
    the text) a block at a time, each cut after its last whole character."""
    import pyarrow as pa

    carry = b""
    with source.opener() as f:
        while block := f.read(VALIDATED_BYTES):
            data = carry + block
            cut = _last_character_start(data)
            whole, carry = data[:cut], data[cut:]
            if not whole.isascii():
                try:
                    pa.array([whole], pa.binary()).cast(pa.string())
                except pa.ArrowInvalid:
                    return False
    return not carry


def _last_character_start(data: bytes) -> int:
    """Where a character that ``data`` ends before finishing starts (else ``len(data)``): a
    lead byte among its last three whose sequence runs past the end."""
    for back in range(1, min(3, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            break
        if byte >= 0xC0:
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) - back if needed > back else len(data)
    return len(data)


def _has_utf8_sequences(source: Source) -> bool:
    with source.opener() as f:
        tail = b""
        while block := f.read(8 * 1024 * 1024):
            if _UTF8_SEQUENCE.search(tail + block):
                return True
            tail = block[-3:]
    return False


def _row_at(source: Source, offset: int) -> int:
    """The file row (1-based) holding byte ``offset``, counting any kind of line end."""
    lf = cr = 0
    with source.opener() as f:
        while offset > 0 and (block := f.read(min(offset, 8 * 1024 * 1024))):
            lf, cr, offset = lf + block.count(b"\n"), cr + block.count(b"\r"), offset - len(block)
    return (lf or cr) + 1

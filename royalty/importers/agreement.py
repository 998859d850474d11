"""How near a total a file prints must be to the exact sum of its lines, by who wrote it.

A last digit off is a line lost or changed when the total was written with every digit the
lines have; a program's footer or a person's spreadsheet cell rounds in its own ways, and
allowing for them, no more, keeps the check strict without refusing honest files.

* ``agrees_exactly`` when the file prints every digit its lines have (Apple, YouTube, a
  disclosure table): the total is their exact sum, and a last digit off is a line lost or
  changed.
* ``agrees_as_printed`` for the footer a statement prints below its lines (Traxsource,
  Labelworx, and Zebralution's sum row, which Excel writes with the decimals its cells show).
  The program that wrote it rounds to the places it prints, whatever they are (``498.67`` for
  ``498.665080``, the unit too), or writes the float its binary additions reached, which over
  a statement's thousands of lines drifts from the exact sum (``424.1077764579039`` for
  ``424.107776457904358998``). So it may be off by half a unit of its last decimal plus what
  float addition of those lines can lose (in proportion to their number and size), no more.
* ``agrees_as_spreadsheet`` for a total row a person adds to a spreadsheet of an export
  (Cargo, Secretly, Shopify), often a subtotal: a ``SUM`` cell as Excel keeps it, to 15
  significant digits (``4.872000000000001`` for ``4.872``), or shown in a number format that
  rounds it to the decimals it shows, at least two (``4.87``). A whole ``5`` under lines of
  ``4.872`` is no money format's rounding, and a total off in the digits Excel keeps was
  typed rather than summed: both are another figure than the lines', and a person's sheet is
  theirs to correct, so no allowance grows with the lines here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from royalty.money import EXACT

SIGNIFICANT = 15  # the digits Excel keeps of a number (its documented precision)
FLOAT_EPSILON = Decimal(2) ** -53  # what one float addition may lose, relative to its terms


def agrees_exactly(said: Decimal, exact: Decimal, **_: object) -> bool:
    """A total the file writes with every digit of its lines (see the module docstring)."""
    return said == exact


def agrees_as_printed(
    said: Decimal, exact: Decimal, *, lines: int = 1, size: Decimal | None = None
) -> bool:
    """A statement's footer: within half a unit of its last decimal, plus what float addition
    of ``lines`` lines whose amounts add up to ``size`` without their signs (``abs(exact)``
    unless given) may lose."""
    rounding = Decimal(5).scaleb(int(said.as_tuple().exponent) - 1)  # a parsed amount is finite
    size = abs(exact) if size is None else size
    lost = EXACT.multiply(EXACT.multiply(size, lines), FLOAT_EPSILON)
    return abs(EXACT.subtract(said, exact)) <= EXACT.add(rounding, lost)


def agrees_as_spreadsheet(said: Decimal, exact: Decimal, **_: object) -> bool:
    """A person's total row: the exact sum, or that sum rounded to the decimals it shows (at
    least two), or to Excel's 15 significant digits."""
    if said == exact:
        return True
    decimals = -int(said.as_tuple().exponent)
    if decimals >= 2 and exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) == said:
        return True
    return _significant(said) == _significant(exact)


def _significant(value: Decimal) -> Decimal:
    if value == 0:
        return value
    place = value.adjusted() - SIGNIFICANT + 1
    return value.quantize(Decimal(1).scaleb(place), ROUND_HALF_UP, context=EXACT)

"""Splits as people write them: shares ("25%", "0.2", "1/3") and split-sheet rows, checked.

A share is kept as an exact ``Fraction``: a third stays a third, so three thirds are exactly
the whole and no cent is lost or invented before the one rounding at the end (see
``royalty.analytics.payees``). A split sheet's rows for one track (or release, or the whole
catalogue) from one month on must total exactly 100%; ``problems`` names each group that
does not, with its sum, so nothing half-right is ever stored.

A split sheet is a CSV with the columns ``isrc,title,payee,share,from_month`` (ISRC or title
identifies the track; both empty means the artist's whole catalogue), and optionally
``release`` (a UPC or release title: every track of that release) and ``applies_to``
(``all``, ``master`` or ``publishing``).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from math import floor

from royalty.months import month_text, parse_month
from royalty.vocabulary import MASTER_KINDS, PUBLISHING_KINDS

APPLIES_TO = ("all", "master", "publishing")
"""Which income a split covers: all of it, the recording's (master) or the song's
(publishing); see ``vocabulary.MASTER_KINDS`` and ``PUBLISHING_KINDS``."""
COLUMNS = ("isrc", "title", "payee", "share", "from_month")
OPTIONAL_COLUMNS = ("release", "applies_to")
MAX_DIGITS = 18
"""Digits a share's numerator and denominator may have (they are stored as 64-bit integers)."""
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,120}")


class SplitError(ValueError):
    """A split sheet that cannot be stored as it is; the message names each problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def parse_share(text: str) -> Fraction:
    """``25%``, ``0.25``, ``1/4`` -> ``Fraction(1, 4)``; ``ValueError`` saying how to write it.

    A bare number above 1 is refused rather than guessed: ``25`` could mean 25% or 25 parts.
    """
    t = str(text).strip().replace(",", ".") if str(text).count(",") == 1 else str(text).strip()
    if not t:
        raise ValueError("no share given: write 25%, 0.25 or 1/4")
    if m := _FRACTION.match(t):
        if int(m[2]) == 0:
            raise ValueError(f"share {text!r}: the denominator is 0")
        value = Fraction(int(m[1]), int(m[2]))
    else:
        percent = t.endswith("%")
        try:
            number = Decimal(t.rstrip("%").strip())
        except InvalidOperation:
            raise ValueError(f"share {text!r} is not a number: write 25%, 0.25 or 1/4") from None
        if not number.is_finite():
            raise ValueError(f"share {text!r} is not a number: write 25%, 0.25 or 1/4")
        value = Fraction(number) / (100 if percent else 1)
        if not percent and value > 1:
            raise ValueError(f"share {text!r} is more than 1: write {t}% or {t}/100")
    if value < 0 or value > 1:
        raise ValueError(f"share {text!r} must be between 0 and 100%")
    if max(len(str(value.numerator)), len(str(value.denominator))) > MAX_DIGITS:
        raise ValueError(f"share {text!r} has more digits than a share can keep ({MAX_DIGITS})")
    return value


def percent_text(value: Fraction) -> str:
    """``Fraction(1, 5)`` -> ``20%``; ``Fraction(1, 3)`` -> ``33.33%`` (rounded for reading)."""
    pct = value * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    exact = Decimal(pct.numerator) / Decimal(pct.denominator)
    if Fraction(exact) == pct and -exact.as_tuple().exponent <= 4:
        return f"{exact.normalize():f}%"
    return f"{exact.quantize(Decimal('0.01'))}%"


def share_text(value: Fraction) -> str:
    """A share exactly: ``20%``, ``12.5%``, or ``1/3`` when no decimal writes it."""
    pct = value * 100
    exact = Decimal(pct.numerator) / Decimal(pct.denominator)
    if Fraction(exact) == pct:
        return f"{exact.normalize():f}%"
    return f"{value.numerator}/{value.denominator}"


def normal_isrc(isrc: str) -> str:
    """ISRCs compare without case, hyphens or spaces (``QZ-PLR-22-80031`` is ``QZPLR2280031``)."""
    return re.sub(r"[\s-]", "", str(isrc)).upper()


Group = tuple[tuple[str, str], int, str]


def target(isrc: str, title: str, release: str) -> tuple[str, str]:
    """What a split is about, as compared: the ISRC, else the title, else the release, else
    the whole catalogue."""
    if isrc:
        return ("isrc", normal_isrc(isrc))
    if title:
        return ("title", title.casefold())
    if release:
        return ("release", release.casefold())
    return ("catalogue", "")


def group(isrc: str, title: str, release: str, from_month: int, applies_to: str) -> Group:
    """Rows of one group share one track (release, catalogue) from one month on for one kind
    of income: their shares must total 100%."""
    return (target(isrc, title, release), from_month, applies_to)


def check_name(name: str, what: str = "payee") -> str:
    name = " ".join(str(name).split())
    if not _NAME.fullmatch(name):
        raise ValueError(f"{what} {name!r}: give a name of 1 to 120 characters")
    return name


@dataclass(frozen=True)
class SplitRow:
    """One payee's share of one track, release or catalogue, from one usage month on."""

    payee: str
    share: Fraction
    isrc: str = ""
    title: str = ""
    release: str = ""
    from_month: int = 0
    """YYYYMM; 0 = from the first month there is."""
    applies_to: str = "all"

    @property
    def scope(self) -> str:
        if self.isrc or self.title:
            return "track"
        return "release" if self.release else "catalogue"

    @property
    def target(self) -> tuple[str, str]:
        return target(self.isrc, self.title, self.release)

    @property
    def group(self) -> Group:
        return group(self.isrc, self.title, self.release, self.from_month, self.applies_to)

    def what(self) -> str:
        """The track (release, catalogue) as a person names it."""
        if self.scope == "track":
            if self.title and self.isrc:
                return f"track {self.title!r} ({self.isrc})"
            return f"track {self.title!r}" if self.title else f"track {self.isrc}"
        if self.scope == "release":
            return f"release {self.release!r}"
        return "the whole catalogue"

    def when(self) -> str:
        start = f"from {month_text(self.from_month)}" if self.from_month else "from the start"
        return start if self.applies_to == "all" else f"{start}, {self.applies_to} income"

    def to_json(self) -> dict[str, object]:
        return {
            "isrc": self.isrc, "title": self.title, "release": self.release,
            "payee": self.payee, "share": share_text(self.share),
            "from_month": month_text(self.from_month), "applies_to": self.applies_to,
        }  # fmt: skip


def applies(applies_to: str, kind: str) -> bool:
    """Whether a split for ``applies_to`` income covers a line of ``kind``."""
    if applies_to == "master":
        return kind in MASTER_KINDS
    if applies_to == "publishing":
        return kind in PUBLISHING_KINDS
    return True


def problems(rows: Iterable[SplitRow]) -> list[str]:
    """What keeps these rows from being a split sheet, one sentence each (empty: none).

    Each group (one track, release or catalogue, from one month, for one kind of income) must
    total exactly 100%, and name each payee once.
    """
    groups: dict[Group, list[SplitRow]] = defaultdict(list)
    for row in rows:
        groups[row.group].append(row)
    found = []
    for members in groups.values():
        first = members[0]
        total = sum((r.share for r in members), Fraction(0))
        if total != 1:
            exact = "" if share_text(total) == percent_text(total) else f" ({share_text(total)})"
            found.append(
                f"{first.what()} {first.when()}: the shares total {percent_text(total)}{exact}, "
                "not 100%"
            )
        names = [r.payee.casefold() for r in members]
        twice = sorted({r.payee for r in members if names.count(r.payee.casefold()) > 1})
        if twice:
            found.append(f"{first.what()} {first.when()}: {', '.join(twice)} named twice")
    return found


def row(
    payee: str,
    share: str,
    *,
    isrc: str = "",
    title: str = "",
    release: str = "",
    from_month: str = "",
    applies_to: str = "all",
) -> SplitRow:
    """One row from text as a sheet or a table gives it; ``ValueError`` saying what is wrong."""
    isrc, title, release = (" ".join(str(v or "").split()) for v in (isrc, title, release))
    if release and (isrc or title):
        raise ValueError("give a track (isrc or title) or a release, not both")
    month = 0
    if str(from_month or "").strip():
        month = parse_month(str(from_month)) or 0
        if not month:
            raise ValueError(f"from_month {from_month!r}: write the month as YYYY-MM")
    kind = str(applies_to or "all").strip().lower() or "all"
    if kind not in APPLIES_TO:
        raise ValueError(f"applies_to {applies_to!r}: write {', '.join(APPLIES_TO)}")
    return SplitRow(check_name(payee), parse_share(share), isrc, title, release, month, kind)


def read_sheet(data: bytes | str) -> list[SplitRow]:
    """A split-sheet CSV -> rows; ``SplitError`` naming every bad row and every group whose
    shares do not total 100%."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SplitError(
            [f"the header has no {', '.join(missing)} column (a split sheet's columns: "
             f"{','.join(COLUMNS)}, and optionally {', '.join(OPTIONAL_COLUMNS)})"]
        )  # fmt: skip
    rows, bad = [], []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = dict(zip(header, cells, strict=False))
        try:
            rows.append(
                row(
                    values.get("payee", ""), values.get("share", ""),
                    isrc=values.get("isrc", ""), title=values.get("title", ""),
                    release=values.get("release", ""), from_month=values.get("from_month", ""),
                    applies_to=values.get("applies_to", "") or "all",
                )
            )  # fmt: skip
        except ValueError as exc:
            bad.append(f"row {number}: {exc}")
    if bad or (bad := problems(rows)):
        raise SplitError(bad)
    return rows


def sheet_csv(rows: Iterable[SplitRow]) -> str:
    """Rows as a split sheet ``read_sheet`` reads back (shares written exactly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, *OPTIONAL_COLUMNS])
    for r in rows:
        writer.writerow(
            [r.isrc, r.title, r.payee, share_text(r.share), month_text(r.from_month), r.release,
             r.applies_to]
        )  # fmt: skip
    return out.getvalue()


# --- deals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealTerms:
    """A label deal as its contract states it: the artist's royalty rate on the income, an
    advance and recoupable costs that royalties pay back before the artist sees any, from one
    usage month, in one currency."""

    artist: str
    royalty_rate: Decimal
    currency: str
    from_month: int
    advance: Decimal = Decimal(0)
    costs: Decimal = Decimal(0)
    name: str = "Label deal"
    applies_to: str = "all"

    @property
    def to_recoup(self) -> Decimal:
        return self.advance + self.costs


def _amount(text: object, what: str) -> Decimal:
    try:
        value = Decimal(str(text if text not in (None, "") else "0").strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{what} {text!r} is not an amount such as 5000 or 5000.00") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{what} {text!r} must be zero or more")
    return value


def deal(
    artist: str,
    royalty_rate: object,
    currency: str,
    from_month: object,
    *,
    advance: object = 0,
    costs: object = 0,
    name: str = "Label deal",
    applies_to: str = "all",
) -> DealTerms:
    """Deal terms from what a person typed; ``ValueError`` saying what is wrong.

    The rate is a share like a split's (``20%``, ``0.2``, ``1/5``) and must be exact in
    decimals (a rate of 1/3 would give royalties no decimal can hold).
    """
    rate = parse_share(str(royalty_rate))
    exact = Decimal(rate.numerator) / Decimal(rate.denominator)
    if Fraction(exact) != rate:
        raise ValueError(f"royalty rate {royalty_rate!r}: give it as a decimal or percentage")
    month = from_month if isinstance(from_month, int) else parse_month(str(from_month or ""))
    if not month:
        raise ValueError(f"deal start {from_month!r}: write the month as YYYY-MM")
    code = str(currency).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"currency {currency!r} is not a currency code such as GBP")
    kind = str(applies_to or "all").strip().lower()
    if kind not in APPLIES_TO:
        raise ValueError(f"applies_to {applies_to!r}: write {', '.join(APPLIES_TO)}")
    return DealTerms(
        artist=artist, royalty_rate=exact.normalize(), currency=code, from_month=int(month),
        advance=_amount(advance, "advance"), costs=_amount(costs, "recoupable costs"),
        name=check_name(name, "deal"), applies_to=kind,
    )  # fmt: skip


def largest_remainder(values: Sequence[Fraction], target: int) -> list[int]:
    """Whole units for each of ``values`` (in units) adding up to ``target``: the floors, then
    one more each for the largest remainders (earlier values first on a tie), or one less each
    for the smallest when the floors already exceed it."""
    floors = [floor(v) for v in values]
    leftover = target - sum(floors)
    if not values:
        return []
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    step = 1 if leftover >= 0 else -1
    if step < 0:
        order.reverse()
    for n in range(abs(leftover)):
        floors[order[n % len(order)]] += step
    return floors

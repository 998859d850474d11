"""Did every statement arrive? A year of monthly statements with a quarter missing, a quarterly
source with a quarter missing, the reporting lag, unusual months; and where money went."""

from __future__ import annotations

import json

from test_import_counts import bandcamp
from test_ingest import dk_file, dk_row

from royalty.analytics.aggregate import Filters
from royalty.analytics.coverage import coverage
from royalty.analytics.money_went import where_money_went
from royalty.cli import main
from royalty.ingest import import_bytes
from royalty.months import add_months


def monthly_statement(engine, month: int, amount: str = "10.00", **kw) -> None:
    """One DistroKid statement for one usage month, reported two months later."""
    reported = add_months(month, 2)
    row = dk_row(f"{month // 100}-{month % 100:02d}", amount, **kw)
    row = f"{reported // 100}-{reported % 100:02d}-05" + row[len("2023-02-08") :]
    result = import_bytes(engine, f"dk_{month}.tsv", dk_file([row]))
    assert result.status == "imported", result.message


def test_a_year_with_a_missing_quarter_from_one_source(engine):
    for month in (202401, 202402, 202403, 202407, 202408, 202409, 202410, 202411, 202412):
        monthly_statement(engine, month)

    found = coverage(engine)

    (dk,) = found.sources
    assert dk.source == "DistroKid"
    assert dk.rhythm == "monthly"
    assert dk.missing == ["2024-04", "2024-05", "2024-06"]
    assert dk.months[0] == "2024-01" and dk.months[-1] == "2024-12" and len(dk.months) == 9
    assert dk.statements == 9
    assert (dk.lag_months.median, dk.lag_months.max) == (2.0, 2)
    assert dk.platforms["Spotify"].max == 2
    assert found.months[0] == "2024-01" and found.months[-1] == "2024-12"
    # the quarter's income is missing too: the first month after the gap is not unusual (its
    # income is the usual one), the gap months themselves are
    assert [u.month for u in found.unusual] == ["2024-04", "2024-05", "2024-06"]
    assert {u.direction for u in found.unusual} == {"low"}


def test_months_after_the_last_statement_are_not_flagged(engine):
    for month in (202401, 202402, 202403):
        monthly_statement(engine, month)
    monthly_statement(engine, 202406, store="Deezer")  # another platform, same source

    (dk,) = coverage(engine).sources
    assert dk.missing == ["2024-04", "2024-05"]


def test_a_quarterly_source_misses_a_quarter_not_a_month(engine):
    # a label's distributor: one statement per quarter, months inside it reported together
    for quarter_start, reported in ((202401, 202405), (202407, 202411), (202410, 202502)):
        rows = []
        for m in range(3):
            month = add_months(quarter_start, m)
            if month == 202408:
                continue  # a quiet month inside a reported quarter: not a gap
            rows.append(
                f"{reported // 100}-{reported % 100:02d}-15"
                + dk_row(f"{month // 100}-{month % 100:02d}", "3.00")[len("2023-02-08") :]
            )
        import_bytes(engine, f"dk_q{quarter_start}.tsv", dk_file(rows))

    (dk,) = coverage(engine).sources
    assert dk.rhythm == "quarterly"
    assert dk.missing == ["2024-04", "2024-05", "2024-06"]


def test_an_unusual_month_is_marked_with_its_lines_findable(engine):
    for month in range(202401, 202407):
        monthly_statement(engine, month, "10.00" if month != 202405 else "95.00")

    found = coverage(engine)

    assert [(u.month, u.direction, u.income, u.trailing_median) for u in found.unusual] == [
        ("2024-05", "high", "95.00", "10.00")
    ]


def test_coverage_on_the_command_line(engine, capsys):
    for month in (202401, 202402, 202404):
        monthly_statement(engine, month)
    url = engine.url.render_as_string(hide_password=False)

    assert main(["coverage", "--db", url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (dk,) = out["sources"]
    assert dk["source"] == "DistroKid"
    assert dk["months"] == ["2024-01", "2024-02", "2024-04"]
    assert dk["missing"] == ["2024-03"]
    assert dk["lag_months"] == {"median": 2.0, "max": 2}

    assert main(["coverage", "--db", url, "--artist", "Cold Harbor Choir"]) == 0
    text = capsys.readouterr().out
    assert "DistroKid: monthly, 2024-01..2024-04, 3 statement(s)" in text
    assert "missing: 2024-03" in text


def test_where_money_went_by_cause(engine):
    rows = [
        dk_row("2024-01", "0.50"),
        dk_row("2024-01", "0", store="Pandora", quantity="40"),
        dk_row("2024-02", "-1.25", store="Spotify", quantity="0"),
    ]
    import_bytes(engine, "dk.tsv", dk_file(rows))
    import_bytes(
        engine,
        "bandcamp.csv",
        bandcamp(
            "1/4/24 4:14am,Bandcamp,album,Amazing,Bonehead,USD,10,1,,10,0.65,credit card,10,0,"
            "t100,,8.57",
            "1/5/24 11:44am,Bandcamp,refund,Amazing,Bonehead,USD,10,,,-10,-0.43,credit card,"
            "-10,-10.43,t100,,-8.57",
        ),
    )

    causes = {c.key: c for c in where_money_went(engine, Filters())}

    assert set(causes) == {"zero_paid_streams", "refunds", "negative_adjustments"}
    assert (causes["zero_paid_streams"].lines, causes["zero_paid_streams"].totals) == (
        1, {"USD": "0"},
    )  # fmt: skip
    assert list(causes["zero_paid_streams"].sample["platform"]) == ["Pandora"]
    assert causes["refunds"].totals == {"USD": "-8.57"}
    assert causes["negative_adjustments"].totals == {"USD": "-1.25"}
    assert list(causes["negative_adjustments"].sample["amount"]) == ["-1.25"]
    assert where_money_went(engine, Filters(artist="Bonehead"))[0].key == "refunds"

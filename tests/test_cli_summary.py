"""``royalty summary``: defaults (latest full year, main currency), table and JSON output."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from royalty.cli import main
from royalty.ingest import import_bytes
from tests.test_analytics import MAIN, distrokid


@pytest.fixture
def db(engine) -> str:
    result = import_bytes(engine, "juniper.tsv", distrokid(MAIN))
    assert result.status == "imported", result.message
    return engine.url.render_as_string(hide_password=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["summary", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_for_a_period(db, capsys):
    code, out, _ = run(capsys, "--db", db, "--artist", "Juniper Vale", "--period",
                       "2024-01..2024-02", "--json")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["period"] == "2024-01..2024-02"
    assert data["currency"] == "USD"
    assert data["total_streams"] == 26500
    assert data["total_income"] == "109.68"
    assert data["income_per_stream"] == "0.003820754717"
    assert data["streams_per_unit"] == 262
    assert [(p["platform"], p["streams"], p["income"], p["share_of_streams"],
             p["income_per_stream"]) for p in data["platforms"]] == [
        ("Spotify", 20000, "60", "0.754717", "0.003"),
        ("Apple Music", 4000, "28", "0.150943", "0.007"),
        ("iTunes", 0, "6.93", "0", None),
        ("TIDAL", 500, "6.25", "0.018868", None),
        ("Amazon Music", 1000, "5", "0.037736", "0.005"),
        ("Deezer", 1000, "2", "0.037736", "0.002"),
        ("YouTube", 0, "1.5", "0", None),
    ]  # fmt: skip
    assert [(w["to_platform"], w["extra_income"]) for w in data["what_if"]] == [
        ("Apple Music", "80"), ("Amazon Music", "40"), ("Deezer", "-20"),
    ]  # fmt: skip
    assert data["label_deal"] == {
        "royalty_rate": "0.2", "would_have_paid": "21.936", "difference": "87.744",
    }  # fmt: skip
    assert data["previous"]["total_income"] == "15"
    assert data["top_track"]["title"] == "Lantern Song"
    assert data["top_country"]["code"] == "US"
    assert data["sources"] == ["juniper.tsv (DistroKid)"]
    assert len(data["fingerprint"]) == 12
    # every money figure is an exact decimal string
    assert Decimal(data["total_income"]) == sum(Decimal(p["income"]) for p in data["platforms"])


def test_defaults_latest_full_year_and_main_currency(db, capsys):
    # 2024 has only January and February so far: the latest full year is 2023
    code, out, _ = run(capsys, "--db", db, "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["period"], data["currency"]) == ("2023-01..2023-12", "USD")
    assert (data["total_income"], data["total_streams"]) == ("15", 5000)


def test_year_in_another_currency(db, capsys):
    code, out, _ = run(capsys, "--db", db, "--year", "2024", "--currency", "gbp", "--json")
    data = json.loads(out)
    assert code == 0 and data["currency"] == "GBP"
    # January at the ECB rate of 2024-01-15 (0.86075 / 1.0945), February at 2024-02-15's
    jan = Decimal("61.68") * (Decimal("0.86075") / Decimal("1.0945")).quantize(Decimal("1e-10"))
    feb = Decimal("48.00") * (Decimal("0.85635") / Decimal("1.0743")).quantize(Decimal("1e-10"))
    assert Decimal(data["total_income"]) == (jan + feb).quantize(Decimal("1e-9"))
    # the note describes the year's figures, not the previous year's compared with them;
    # December 2023 is converted at the ECB rate of 2023-12-15 (0.85833 / 1.0946)
    assert data["fx"].startswith(
        "$109.68 earned in USD was converted at the ECB reference rate of the 15th of each "
        "usage month (2024-01 to 2024-02: 0.7864–0.7971 GBP per USD)"
    )
    assert data["previous"]["total_income"] == str(
        (Decimal("15.00") * (Decimal("0.85833") / Decimal("1.0946")).quantize(Decimal("1e-10")))
        .quantize(Decimal("1e-9"))
        .normalize()
    )


def test_readable_table(db, capsys):
    code, out, _ = run(capsys, "--db", db, "--year", "2024")
    assert code == 0
    assert "Juniper Vale" not in out.splitlines()[0]  # no --artist: all artists
    assert out.splitlines()[0] == "All artists: 2024-01..2024-12 (USD)"
    assert "Income            $109.68" in out
    assert "Per stream        0.38¢" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line[:1].isalpha()}
    assert rows["Spotify"][1:] == ["20,000", "$60.00", "75.5%", "0.30¢"]
    assert rows["TIDAL"][1:] == ["500", "$6.25", "1.9%", "—"]
    assert ["Deezer", "0.20¢", "-$20.00"] in [line.split() for line in out.splitlines()]
    assert "Previous period   2023-01..2023-12: $15.00, 5,000 streams (income +631.2%" in out
    assert "On a 20.0% label deal you would have been paid $21.94: $87.74 less." in out
    assert "$0.00" not in out


def test_unknown_artist(db, capsys):
    code, _, err = run(capsys, "--db", db, "--artist", "Nobody")
    assert code == 1
    assert "no income stored for artist 'Nobody'" in err

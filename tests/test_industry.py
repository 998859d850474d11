"""Published industry averages: exact figures with their sources, converted like everything else."""

from __future__ import annotations

from decimal import Decimal

from royalty import platforms
from royalty.analytics.currency import ecb_rate
from royalty.analytics.industry import ALL_PLATFORMS, industry_rates, industry_table


def test_every_figure_has_a_source_year_and_exact_rate():
    rates = industry_rates()
    assert list(rates.columns) == ["platform", "rate_usd", "year", "source", "source_url", "note"]
    assert len(rates) == 43
    assert all(isinstance(r, Decimal) and r > 0 for r in rates["rate_usd"])
    assert rates["source_url"].str.startswith("https://").all()
    assert rates["year"].between(2014, 2024).all()
    duetti = rates[(rates["year"] == 2024)].set_index("platform")["rate_usd"]
    assert duetti.to_dict() == {
        ALL_PLATFORMS: Decimal("0.00341"), "Amazon Music": Decimal("0.0088"),
        "Apple Music": Decimal("0.0062"), "Spotify": Decimal("0.0030"),
        "YouTube": Decimal("0.0048"),
    }  # fmt: skip
    # names match the platforms statements are mapped to, so rates line up in the comparison
    for name in set(rates["platform"]) - {ALL_PLATFORMS}:
        assert platforms.canonical(name)[0] == name


def test_table_newest_wider_sample_per_platform():
    usd = industry_table("USD").set_index("platform")
    assert usd.loc["Spotify", "rate"] == Decimal("0.0030")
    assert usd.loc["Spotify", "label"] == "Duetti Music Economics Report, 2024"
    assert (usd.loc["TIDAL", "year"], usd.loc["TIDAL", "rate"]) == (2020, Decimal("0.0099"))
    assert usd.loc["TikTok", "source_url"] == "https://osc.garden"  # nothing wider published
    assert ALL_PLATFORMS not in usd.index
    gbp = industry_table("GBP").set_index("platform")
    rate = ecb_rate("USD", "GBP", 202406)
    assert gbp.loc["Spotify", "rate"] == (Decimal("0.0030") * rate).quantize(Decimal("1e-12"))
    assert industry_table("XOF").empty

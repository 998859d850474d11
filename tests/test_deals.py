"""Deals: royalties at the deal's rate pay back the advance and costs month by month; the
month it recouped, or at the trailing 12 months' pace the month it would; the Unwrapped
label-deal comparison uses the same royalties. Worked on the issue 13 example's statement:

    month    income   royalties at 20%
    2024-03  12.01    2.402
    2024-05   7.77    1.554
    2024-06   3.33    0.666
    2024-09  12.34    2.468
    2024-11   1.01    0.202
             36.46    7.292
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from splits_example import ARTIST, STATEMENT

from royalty import analytics
from royalty.analytics.aggregate import Filters
from royalty.analytics.deals import account, royalties, stored_deals
from royalty.ingest import import_bytes
from royalty.shares import deal
from royalty.store.splits import remove_deal, save_deal

D = Decimal


@pytest.fixture
def band(engine):
    assert import_bytes(engine, "dk_2024.tsv", STATEMENT).status == "imported"
    return engine


def test_royalties_are_exact_to_nano_units():
    assert royalties(D("12.01"), D("0.2")) == D("2.402")
    assert royalties(D("0.0000000025"), D("0.2")) == D("0")  # 0.5 nano: half to even
    assert royalties(D("0.0000000075"), D("0.2")) == D("2E-9")


def test_an_advance_and_costs_recoup_in_the_month_the_balance_reaches_zero(band):
    terms = deal(ARTIST, "20%", "USD", "2024-01", advance="5.00", costs="1.00")
    a = account(band, terms)
    assert [m.month for m in a.months] == [202401 + i for i in range(11)]  # to the last income
    assert [(m.month, m.royalties, m.balance) for m in a.months if m.royalties] == [
        (202403, D("2.402"), D("-3.598")),
        (202405, D("1.554"), D("-2.044")),
        (202406, D("0.666"), D("-1.378")),
        (202409, D("2.468"), D("1.090")),
        (202411, D("0.202"), D("1.292")),
    ]
    assert (a.royalties, a.balance, a.recouped, a.projected) == (D("7.292"), D("1.292"), 202409,
                                                                 None)  # fmt: skip


def test_an_unrecouped_deal_is_projected_from_the_trailing_months(band):
    terms = deal(ARTIST, "0.2", "USD", "2024-01", advance="10")
    a = account(band, terms)
    assert (a.balance, a.recouped) == (D("-2.708"), None)
    # 11 months so far: 7.292 / 11 a month; 2.708 more takes ceil(4.08...) = 5 months
    assert a.pace == (D("7.292") / 11).quantize(D("1e-9"))
    assert a.projected == 202504
    # through December: 12 months, 7.292 / 12 a month, ceil(4.46) = 5 months after 2024-12
    assert account(band, terms, until=202412).projected == 202505
    # nothing earned in the trailing months: it never recoups at that pace
    later = deal(ARTIST, "20%", "USD", "2025-01", advance="10")
    never = account(band, later, until=202512)
    assert (never.royalties, never.pace, never.projected) == (D(0), D(0), None)


def test_a_deal_on_publishing_income_only_counts_publishing(band):
    terms = deal(ARTIST, "50%", "USD", "2024-01", applies_to="publishing")
    assert account(band, terms, until=202412).royalties == D(0)  # streams are master income
    assert account(band, deal(ARTIST, "50%", "USD", "2024-01", applies_to="master"),
                   until=202412).royalties == D("18.23")  # fmt: skip


def test_deals_are_stored_and_read_back(engine):
    terms = deal(ARTIST, "18.5%", "gbp", "2024-07", advance="5,000.00", costs="750.5",
                 name="Harbour Records")  # fmt: skip
    assert (terms.royalty_rate, terms.advance, terms.costs, terms.currency) == (
        D("0.185"), D("5000.00"), D("750.5"), "GBP",
    )  # fmt: skip
    save_deal(engine, terms)
    save_deal(engine, terms)  # the same name again replaces it
    assert stored_deals(engine) == [terms]
    assert stored_deals(engine, "Someone Else") == []
    assert remove_deal(engine, ARTIST, "Harbour Records")
    assert stored_deals(engine) == []


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [({"royalty_rate": "1/3"}, "as a decimal or percentage"),
     ({"royalty_rate": "120%"}, "between 0 and 100%"),
     ({"from_month": "soon"}, "write the month as YYYY-MM"),
     ({"currency": "pounds"}, "not a currency code"),
     ({"advance": "-5"}, "zero or more"), ({"costs": "lots"}, "not an amount")],
)  # fmt: skip
def test_deal_terms_that_make_no_deal_say_why(kwargs, says):
    given = {"royalty_rate": "20%", "currency": "USD", "from_month": "2024-01", **kwargs}
    extra = {k: given.pop(k) for k in ("advance", "costs") if k in given}
    with pytest.raises(ValueError, match=says):
        deal(ARTIST, given["royalty_rate"], given["currency"], given["from_month"], **extra)


def test_the_unwrapped_label_deal_is_the_deal_models_royalties(band):
    s = analytics.unwrapped(band, Filters(artist=ARTIST, period=(202401, 202412)), "USD")
    terms = deal(ARTIST, "20%", "USD", "2024-01")
    a = account(band, terms, until=202412)
    assert s.label_deal.would_have_paid == a.royalties == D("7.292")
    assert s.label_deal.difference == D("36.46") - D("7.292")

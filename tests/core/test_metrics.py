"""KPI definitions: per-post engagement metrics and the campaign KPIs, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kolscope.core.metrics import (
    EmvMethod,
    click_through_rate,
    conversion_rate,
    cpa,
    cpc,
    cpe,
    cpm,
    earned_media_value,
    engagement_rate,
    engagement_rate_by_views,
    engagements,
    mean_or_none,
    median_or_none,
    roas,
    roi,
    sentiment_shares,
)
from kolscope.errors import InvalidInput


def test_engagements_add_likes_and_comments() -> None:
    assert engagements(90, 10) == 100


def test_engagements_count_a_missing_side_as_zero_but_not_both() -> None:
    assert engagements(None, 7) == 7
    assert engagements(12, None) == 12
    assert engagements(None, None) is None


def test_engagement_rate_by_followers() -> None:
    # (90 + 10) / 2,000 = 0.05
    assert engagement_rate(90, 10, 2_000) == 0.05
    # (1,200 + 300) / 50,000 = 0.03
    assert engagement_rate(1_200, 300, 50_000) == 0.03


def test_engagement_rate_can_exceed_one() -> None:
    # a viral post on a small account: (2,500 + 500) / 1,000 = 3.0
    assert engagement_rate(2_500, 500, 1_000) == 3.0


@pytest.mark.parametrize("followers", [None, 0])
def test_engagement_rate_needs_a_follower_count(followers: int | None) -> None:
    assert engagement_rate(90, 10, followers) is None


def test_engagement_rate_needs_some_counts() -> None:
    assert engagement_rate(None, None, 2_000) is None
    # comments only: 40 / 2,000 = 0.02
    assert engagement_rate(None, 40, 2_000) == 0.02


def test_engagement_rate_by_views() -> None:
    # (120 + 30) / 3,000 = 0.05
    assert engagement_rate_by_views(120, 30, 3_000) == 0.05


@pytest.mark.parametrize("views", [None, 0])
def test_engagement_rate_by_views_needs_views(views: int | None) -> None:
    assert engagement_rate_by_views(120, 30, views) is None


def test_median_skips_unknown_values() -> None:
    # known values 1, 2, 3: the middle one is 2
    assert median_or_none([None, 3.0, 1.0, None, 2.0]) == 2.0


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    # sorted 1, 2, 3, 10: (2 + 3) / 2 = 2.5, unmoved by the outlier 10
    assert median_or_none([10.0, 1.0, 3.0, 2.0]) == 2.5


def test_median_returns_a_float_for_whole_numbers() -> None:
    value = median_or_none([4_000, 1_000, 2_000])
    assert value == 2_000.0
    assert isinstance(value, float)


def test_median_and_mean_of_nothing_known_are_none() -> None:
    assert median_or_none([]) is None
    assert median_or_none([None, None]) is None
    assert mean_or_none([]) is None
    assert mean_or_none([None]) is None


def test_mean_skips_unknown_values() -> None:
    # (1 + 2 + 6) / 3 = 3
    assert mean_or_none([1.0, None, 2.0, 6.0]) == 3.0


def test_campaign_kpis_by_hand() -> None:
    cost = Decimal("250")
    assert click_through_rate(30, 1500) == 0.02 and conversion_rate(3, 120) == 0.025
    assert cpm(cost, 50_000) == Decimal("5") and cpe(cost, 1000) == Decimal("0.25")
    assert cpc(cost, 125) == Decimal("2") and cpa(cost, 5) == Decimal("50")
    assert roas(Decimal("1000"), cost) == Decimal("4") and roi(1000.0, 250.0) == 3.0
    # nothing to divide by is unknown, never zero or infinite
    for value in (click_through_rate(1, 0), conversion_rate(0, None), cpm(cost, 0),
                  cpe(cost, None), cpc(cost, 0), cpa(cost, 0), roas(Decimal("5"), Decimal("0"))):
        assert value is None


def test_sentiment_shares_and_earned_media_value() -> None:
    assert sentiment_shares([]) is None
    assert sentiment_shares(["positive", "negative"]) == {
        "negative": 0.5, "neutral": 0.0, "positive": 0.5}
    with pytest.raises(InvalidInput, match="unknown sentiment label"):
        sentiment_shares(["great"])
    total, parts = earned_media_value({"impressions": 20_000, "comments": 10, "views": None})
    assert parts == {"impressions": Decimal("100.00"), "comments": Decimal("5.00")}
    assert total == Decimal("105.00")
    own = EmvMethod(version="acme-2", currency="EUR", values={"impressions": "8", "likes": "0"})
    assert earned_media_value({"impressions": 1000, "likes": 50, "comments": 3}, own) == (
        Decimal("8.00"), {"impressions": Decimal("8.00"), "likes": Decimal("0.00")})
    with pytest.raises(ValueError, match="unknown actions"):
        EmvMethod(values={"vibes": "1"})
    with pytest.raises(ValueError, match="not floats"):
        EmvMethod(values={"likes": 0.1})
    with pytest.raises(InvalidInput, match="cannot be negative"):
        earned_media_value({"likes": -1})

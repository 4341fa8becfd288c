"""KPI definitions: engagements, engagement rate by followers and by views, median and mean."""

from __future__ import annotations

import pytest

from kolscope.core.metrics import (
    engagement_rate,
    engagement_rate_by_views,
    engagements,
    mean_or_none,
    median_or_none,
)


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

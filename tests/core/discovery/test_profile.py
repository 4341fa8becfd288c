"""Profile metrics over an account's most recent posts, with hand-computed expectations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kolscope.core.discovery.profile import (
    PROFILE_METHOD_VERSION,
    PostStats,
    compute_profile_metrics,
    posts_per_week,
    recent_posts,
)
from kolscope.core.discovery.tiers import Tier, TierThresholds

THRESHOLDS = TierThresholds()


def day(d: int, hour: int = 0) -> datetime:
    return datetime(2024, 1, d, hour, tzinfo=UTC)


def post(d: int | None, likes: int | None, comments: int | None, views: int | None = None,
         sponsored: bool = False) -> PostStats:
    return PostStats(posted_at=day(d) if d is not None else None, likes=likes,
                     comments=comments, views=views, is_sponsored=sponsored)


# Three posts a week apart on an account with 2,000 followers.
THREE = [
    post(1, 36, 4),      # (36 + 4) / 2,000   = 0.02
    post(15, 180, 20),   # (180 + 20) / 2,000 = 0.10
    post(8, 95, 5),      # (95 + 5) / 2,000   = 0.05
]


def test_engagement_rate_is_the_median_of_per_post_rates() -> None:
    metrics = compute_profile_metrics(THREE, followers=2_000, thresholds=THRESHOLDS, window=12)
    # rates 0.02, 0.05, 0.10: the median is 0.05
    assert metrics.engagement_rate == pytest.approx(0.05)
    assert metrics.posts_analyzed == 3
    assert metrics.followers == 2_000
    assert metrics.tier is Tier.MICRO


def test_median_is_robust_to_one_viral_post() -> None:
    posts = [post(1, 20, 0), post(2, 30, 0), post(3, 40, 0), post(4, 1_000, 0)]
    metrics = compute_profile_metrics(posts, followers=1_000, thresholds=THRESHOLDS, window=12)
    # rates 0.02, 0.03, 0.04, 1.0: median (0.03 + 0.04) / 2 = 0.035, where the mean is 0.2725
    assert metrics.engagement_rate == pytest.approx(0.035)


def test_comments_per_post_is_a_mean() -> None:
    metrics = compute_profile_metrics(THREE, followers=2_000, thresholds=THRESHOLDS, window=12)
    # (4 + 20 + 5) / 3 = 29 / 3
    assert metrics.comments_per_post == pytest.approx(29 / 3)


def test_cadence_and_last_activity() -> None:
    metrics = compute_profile_metrics(THREE, followers=2_000, thresholds=THRESHOLDS, window=12)
    # 2 posts after the first over 14 days = 2 weeks: 2 / 2 = 1 post a week
    assert metrics.posts_per_week == pytest.approx(1.0)
    assert metrics.last_post_at == day(15)


def test_engagement_by_views_uses_only_posts_with_views() -> None:
    posts = [post(1, 180, 20, views=4_000),   # 200 / 4,000 = 0.05
             post(2, 95, 5, views=1_000),     # 100 / 1,000 = 0.10
             post(3, 36, 4)]                  # no views: left out
    metrics = compute_profile_metrics(posts, followers=2_000, thresholds=THRESHOLDS, window=12)
    # median of 0.05 and 0.10 = 0.075
    assert metrics.engagement_rate_by_views == pytest.approx(0.075)
    # views per post is the median of 4,000 and 1,000 = 2,500
    assert metrics.views_per_post == pytest.approx(2_500)


def test_no_views_means_no_view_metrics() -> None:
    metrics = compute_profile_metrics(THREE, followers=2_000, thresholds=THRESHOLDS, window=12)
    assert metrics.engagement_rate_by_views is None
    assert metrics.views_per_post is None


def test_window_takes_the_most_recent_posts_whatever_the_input_order() -> None:
    posts = [
        post(20, 100, 0),   # 100 / 1,000 = 0.10
        post(1, 900, 0),    # oldest: outside a window of 3
        post(10, 50, 0),    # 0.05
        post(2, 900, 0),    # outside
        post(15, 30, 0),    # 0.03
    ]
    metrics = compute_profile_metrics(posts, followers=1_000, thresholds=THRESHOLDS, window=3)
    assert metrics.posts_analyzed == 3
    # rates of days 20, 15 and 10: 0.10, 0.03, 0.05 -> median 0.05
    assert metrics.engagement_rate == pytest.approx(0.05)
    # 2 posts after the first over 10 days: 2 / (10 / 7) = 1.4 a week
    assert metrics.posts_per_week == pytest.approx(1.4)
    assert metrics.last_post_at == day(20)


def test_recent_posts_newest_first_undated_last() -> None:
    undated_a = post(None, 1, 0)
    undated_b = post(None, 2, 0)
    old, new = post(3, 3, 0), post(9, 4, 0)
    assert recent_posts([undated_a, old, undated_b, new], window=10) == [
        new, old, undated_a, undated_b]
    # undated posts fill the window only after every dated one
    assert recent_posts([undated_a, old, undated_b, new], window=3) == [new, old, undated_a]
    assert recent_posts([undated_a, old, undated_b, new], window=1) == [new]


def test_undated_posts_count_for_rates_but_not_for_cadence() -> None:
    posts = [post(1, 10, 0), post(8, 30, 0), post(None, 20, 0)]
    metrics = compute_profile_metrics(posts, followers=1_000, thresholds=THRESHOLDS, window=12)
    # rates 0.01, 0.03 and the undated 0.02: median 0.02
    assert metrics.engagement_rate == pytest.approx(0.02)
    assert metrics.posts_analyzed == 3
    # cadence from the two dated posts: 1 post over 1 week
    assert metrics.posts_per_week == pytest.approx(1.0)
    assert metrics.last_post_at == day(8)


def test_sponsored_share() -> None:
    posts = [post(1, 10, 1, sponsored=True), post(2, 10, 1), post(3, 10, 1), post(4, 10, 1)]
    metrics = compute_profile_metrics(posts, followers=1_000, thresholds=THRESHOLDS, window=12)
    # 1 of 4 recent posts
    assert metrics.sponsored_share == pytest.approx(0.25)


def test_sponsored_share_is_over_the_window_only() -> None:
    posts = [post(1, 10, 1, sponsored=True), post(2, 10, 1, sponsored=True),
             post(3, 10, 1), post(4, 10, 1, sponsored=True)]
    metrics = compute_profile_metrics(posts, followers=1_000, thresholds=THRESHOLDS, window=2)
    # days 4 (sponsored) and 3 (not): 1 of 2
    assert metrics.sponsored_share == pytest.approx(0.5)


def test_no_posts() -> None:
    metrics = compute_profile_metrics([], followers=2_000, thresholds=THRESHOLDS, window=12)
    assert metrics.posts_analyzed == 0
    assert metrics.tier is Tier.MICRO
    assert metrics.engagement_rate is None
    assert metrics.engagement_rate_by_views is None
    assert metrics.views_per_post is None
    assert metrics.comments_per_post is None
    assert metrics.posts_per_week is None
    assert metrics.last_post_at is None
    assert metrics.sponsored_share is None


def test_unknown_followers_give_no_rate_and_no_tier() -> None:
    posts = [post(1, 180, 20, views=4_000), post(8, 95, 5, views=1_000)]
    metrics = compute_profile_metrics(posts, followers=None, thresholds=THRESHOLDS, window=12)
    assert metrics.engagement_rate is None
    assert metrics.tier is None
    # what does not need followers is still computed: median of 0.05 and 0.10
    assert metrics.engagement_rate_by_views == pytest.approx(0.075)
    assert metrics.comments_per_post == pytest.approx(12.5)  # (20 + 5) / 2
    assert metrics.posts_per_week == pytest.approx(1.0)


def test_zero_followers_give_no_rate_but_a_tier() -> None:
    metrics = compute_profile_metrics(THREE, followers=0, thresholds=THRESHOLDS, window=12)
    assert metrics.engagement_rate is None
    assert metrics.tier is Tier.NANO


def test_posts_without_counts_are_left_out_of_the_rate() -> None:
    posts = [post(1, None, None), post(2, 40, 10)]
    metrics = compute_profile_metrics(posts, followers=1_000, thresholds=THRESHOLDS, window=12)
    # only (40 + 10) / 1,000 = 0.05 is known
    assert metrics.engagement_rate == pytest.approx(0.05)
    assert metrics.comments_per_post == pytest.approx(10.0)


def test_tier_follows_the_thresholds() -> None:
    custom = TierThresholds(micro=10_000, mid=100_000, macro=500_000, celebrity=5_000_000)
    metrics = compute_profile_metrics(THREE, followers=50_000, thresholds=custom, window=12)
    assert metrics.tier is Tier.MICRO


def test_window_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        compute_profile_metrics(THREE, followers=2_000, thresholds=THRESHOLDS, window=0)


def test_method_version_is_stored_with_the_metrics() -> None:
    metrics = compute_profile_metrics(THREE, followers=2_000, thresholds=THRESHOLDS, window=12)
    assert metrics.method_version == PROFILE_METHOD_VERSION == "profile-1"


def test_posts_per_week() -> None:
    # 2 posts after the first over 14 days (2 weeks) = 1.0
    assert posts_per_week([day(1), day(8), day(15)]) == pytest.approx(1.0)
    # 3 posts after the first over 3 days: 3 / (3 / 7) = 7.0
    assert posts_per_week([day(1), day(2), day(3), day(4)]) == pytest.approx(7.0)
    # order does not matter; 12 hours = 0.5 days: 1 / (0.5 / 7) = 14.0
    assert posts_per_week([day(2, 12), day(2)]) == pytest.approx(14.0)


def test_posts_per_week_needs_two_distinct_times() -> None:
    assert posts_per_week([]) is None
    assert posts_per_week([day(1)]) is None
    assert posts_per_week([day(1), day(1)]) is None

"""Profile metrics of one account, computed from its recent posts.

One function, one versioned method (``docs/methods/profile-metrics.md``): the app loads plain
post values, calls :func:`compute_profile_metrics`, and stores the result with its version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from kolscope.core.discovery.tiers import Tier, TierThresholds, tier_for
from kolscope.core.metrics import (
    engagement_rate,
    engagement_rate_by_views,
    mean_or_none,
    median_or_none,
)

PROFILE_METHOD_VERSION = "profile-1"


class PostStats(BaseModel):
    """The values of one post that profile metrics need."""

    model_config = ConfigDict(frozen=True)

    posted_at: datetime | None
    likes: int | None
    comments: int | None
    views: int | None = None
    is_sponsored: bool = False


class ProfileMetrics(BaseModel):
    """An account's metrics over its most recent posts, with the method that made them."""

    model_config = ConfigDict(frozen=True)

    method_version: str = PROFILE_METHOD_VERSION
    posts_analyzed: int
    followers: int | None
    tier: Tier | None
    engagement_rate: float | None
    engagement_rate_by_views: float | None
    views_per_post: float | None
    comments_per_post: float | None
    posts_per_week: float | None
    last_post_at: datetime | None
    sponsored_share: float | None


def recent_posts(posts: Sequence[PostStats], window: int) -> list[PostStats]:
    """The ``window`` most recent posts, newest first; undated posts come after dated ones."""
    dated = sorted((p for p in posts if p.posted_at is not None),
                   key=lambda p: p.posted_at, reverse=True)  # type: ignore[arg-type,return-value]
    undated = [p for p in posts if p.posted_at is None]
    return (dated + undated)[:window]


def posts_per_week(times: Sequence[datetime]) -> float | None:
    """Posting cadence: posts after the first, per week of the span they cover.

    ``None`` with fewer than two dated posts or when they share one timestamp.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> posts_per_week([datetime(2024, 1, d, tzinfo=UTC) for d in (1, 8, 15)])
    1.0
    """
    if len(times) < 2:
        return None
    span_days = (max(times) - min(times)).total_seconds() / 86_400
    if span_days <= 0:
        return None
    return (len(times) - 1) / (span_days / 7)


def compute_profile_metrics(posts: Sequence[PostStats], *, followers: int | None,
                            thresholds: TierThresholds, window: int) -> ProfileMetrics:
    """Compute an account's profile metrics from its posts.

    Parameters
    ----------
    posts
        The account's posts in any order; only the ``window`` most recent are used.
    followers
        The account's current follower count, the denominator of engagement rate.
    thresholds
        Tier boundaries.
    window
        How many recent posts the metrics look at (at least 1).

    Returns
    -------
    ProfileMetrics
        Engagement rate is the median of per-post engagement rates by followers; by views, the
        median over posts that report views. Comments per post is a mean; sponsored share is the
        share of recent posts disclosed as sponsored.

    Notes
    -----
    Per-post rates use today's follower count for every post, as the sources give no follower
    history per post; the window keeps the error small for accounts that grow.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    recent = recent_posts(posts, window)
    times = [p.posted_at for p in recent if p.posted_at is not None]
    return ProfileMetrics(
        posts_analyzed=len(recent),
        followers=followers,
        tier=tier_for(followers, thresholds),
        engagement_rate=median_or_none(
            [engagement_rate(p.likes, p.comments, followers) for p in recent]),
        engagement_rate_by_views=median_or_none(
            [engagement_rate_by_views(p.likes, p.comments, p.views) for p in recent]),
        views_per_post=median_or_none([p.views for p in recent]),
        comments_per_post=mean_or_none([p.comments for p in recent]),
        posts_per_week=posts_per_week(times),
        last_post_at=max(times) if times else None,
        sponsored_share=(sum(p.is_sponsored for p in recent) / len(recent)) if recent else None,
    )

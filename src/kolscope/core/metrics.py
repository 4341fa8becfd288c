"""KPIs with exactly one definition each. Every shell and report reads these, never its own copy.

Formulas and references: ``docs/methods/profile-metrics.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median


def engagements(likes: int | None, comments: int | None) -> int | None:
    """Visible engagements on a post: likes plus comments. ``None`` when neither is known."""
    if likes is None and comments is None:
        return None
    return (likes or 0) + (comments or 0)


def engagement_rate(likes: int | None, comments: int | None, followers: int | None) -> float | None:
    """Engagement rate by followers of one post: (likes + comments) / followers.

    ``None`` when the follower count is unknown or zero, or the post has no counts.

    Examples
    --------
    >>> engagement_rate(90, 10, 2000)
    0.05
    """
    total = engagements(likes, comments)
    if total is None or not followers:
        return None
    return total / followers


def engagement_rate_by_views(likes: int | None, comments: int | None,
                             views: int | None) -> float | None:
    """Engagement rate by views of one post: (likes + comments) / views; ``None`` without views."""
    total = engagements(likes, comments)
    if total is None or not views:
        return None
    return total / views


def roi(revenue: float, cost: float) -> float | None:
    """Return on investment: (revenue − cost) / cost; ``None`` when nothing was spent.

    >>> roi(150.0, 100.0)
    0.5
    """
    if cost <= 0:
        return None
    return (revenue - cost) / cost


def median_or_none(values: Sequence[float | None]) -> float | None:
    """The median of the known values, or ``None`` when none is known."""
    known = [v for v in values if v is not None]
    return float(median(known)) if known else None


def mean_or_none(values: Sequence[float | None]) -> float | None:
    """The mean of the known values, or ``None`` when none is known."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None

"""Engagement authenticity: is an account's engagement in line with its audience?

One versioned method (``docs/methods/engagement-authenticity.md``) with three signals:

- ``engagement_rate_z``: the engagement rate against the norm of its platform and tier, as a
  robust z-score of log engagement rate. Far below suggests bought followers (an inflated
  denominator); far above, bought engagement or engagement pods.
- ``like_comment_ratio``: comments per like against what accounts of that size get, and single
  posts whose likes are out of line with the account's own comments (bought likes on a post).
- ``follower_growth_spikes``: jumps in follower count far above the account's usual growth that
  no viral post explains.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kolscope.core.discovery.profile import PostStats
from kolscope.core.metrics import engagements
from kolscope.core.vetting.signals import Signal, Status, graded, unknown
from kolscope.errors import InvalidInput

ENGAGEMENT_METHOD_VERSION = "engagement-1"

# 1.4826 x MAD estimates the standard deviation of a normal sample (Rousseeuw & Croux 1993).
MAD_SCALE = 1.4826
# Narrowest spread of log engagement rate a norm may have: a homogeneous workspace group must not
# make ordinary variation look extreme (z -2 is then still a rate 0.37x the median).
MIN_SPREAD = 0.5
MIN_POSTS = 3
ER_LOW = (-2.0, -3.0)  # warn, fail: too little engagement for the followers
ER_HIGH = (3.0, 4.5)  # warn, fail: more engagement than accounts of the tier get
# ln(median comments / likes) = intercept + slope * log10(followers), spread 1.4826 x MAD of the
# residuals; fitted per account (12 most recent posts, a post without comments counted as half a
# comment) on the shared real Instagram data, 15,054 accounts.
CL_INTERCEPT, CL_SLOPE, CL_SPREAD = -0.919, -0.630, 0.982
CL_LOW = (-2.5, -3.5)  # too few comments per like: bought likes
CL_HIGH = (2.5, 3.5)  # too many comments per like: comment pods or bots
# A post is an outlier when its comments per like fall below exp(-1.5) = 22% of the account's
# median (the real within-account 2nd percentile) while its likes are at least twice the median.
OUTLIER_LOG_GAP, OUTLIER_LIKES = 1.5, 2.0
OUTLIERS = (2, 4)  # warn, fail: outlier posts
# Growth spikes: robust z of daily log growth against the account's other intervals, a minimum
# interval growth, and the narrowest spread of daily growth (0.2 percentage points a day).
SPIKE_Z, SPIKE_MIN_GROWTH, MIN_GROWTH_SPREAD = 3.5, 0.05, 0.002
VIRAL_MULTIPLE, VIRAL_LEAD = 3.0, timedelta(days=3)
SPIKES = (1, 3)  # warn, fail: unexplained spikes

# Measured on the shared real Instagram data (Kim et al., WWW 2020): per account, the median over
# its 12 most recent posts of (likes + comments) / followers (profile-1); accounts grouped by the
# default tiers; center = median of ln rate, spread = 1.4826 x MAD. The list starts at 1,000
# followers, so there is no nano figure.
_REFERENCE = {"micro": (-3.3867, 0.891, 11_698), "mid": (-3.6886, 0.798, 2_798),
              "macro": (-3.7016, 0.884, 1_107), "celebrity": (-3.7175, 0.855, 353)}


class Norm(BaseModel):
    """The typical log engagement rate of a platform and tier, and its spread."""

    model_config = ConfigDict(frozen=True)

    platform: str
    tier: str
    center: float = Field(description="median of ln engagement rate")
    spread: float = Field(gt=0, description="1.4826 x MAD of ln engagement rate, floored")
    accounts: int = Field(ge=1, description="accounts the norm was measured on")
    source: Literal["workspace", "platform", "reference"]


REFERENCE_NORMS: dict[tuple[str, str], Norm] = {
    ("instagram", tier): Norm(platform="instagram", tier=tier, center=c, spread=s, accounts=n,
                              source="reference")
    for tier, (c, s, n) in _REFERENCE.items()}


class Spike(BaseModel):
    """A follower-growth interval far above the account's usual growth."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime
    growth: float = Field(description="growth over the interval, a fraction (0.4 = +40%)")
    z: float = Field(description="robust z of daily log growth against the other intervals")
    explained_by: tuple[datetime, float] | None = Field(
        default=None, description="the viral post's time and its multiple of median engagement")


def robust_center(values: Sequence[float]) -> tuple[float, float]:
    """Median and 1.4826 x median absolute deviation of ``values`` (at least one).

    Examples
    --------
    >>> robust_center([1.0, 2.0, 4.0])
    (2.0, 1.4826)
    """
    if not values:
        raise InvalidInput("need at least one value", field="values")
    center = float(median(values))
    return center, MAD_SCALE * float(median(abs(v - center) for v in values))


def engagement_norms(rows: Iterable[tuple[str, str, float | None]], *,
                     min_accounts: int = 30) -> dict[tuple[str, str], Norm]:
    """Engagement-rate norms of a workspace, per (platform, tier).

    Parameters
    ----------
    rows
        ``(platform, tier, engagement_rate)`` of each account; rates that are ``None`` or not
        positive are skipped.
    min_accounts
        Smallest group that gets a norm of its own (at least 1).

    Returns
    -------
    dict
        ``(platform, tier) -> Norm``: ``source="workspace"`` for a group with ``min_accounts``
        or more; otherwise, where the platform as a whole has that many accounts in tiers the
        reference covers, ``source="platform"``: the platform's own level with the reference's
        tier shape (each account's log rate minus its tier's reference center, pooled, plus the
        wanted tier's center). Spreads are floored at :data:`MIN_SPREAD`.
    """
    if min_accounts < 1:
        raise InvalidInput("min_accounts must be at least 1", field="min_accounts")
    groups: dict[tuple[str, str], list[float]] = {}
    for platform, tier, rate in rows:
        if rate is not None and rate > 0:
            groups.setdefault((platform, tier), []).append(math.log(rate))
    norms = {}
    for (platform, tier), logs in groups.items():
        if len(logs) >= min_accounts:
            norms[platform, tier] = _norm(platform, tier, logs, 0.0, "workspace")
    for platform in {p for p, _ in groups}:
        residuals = [v - _REFERENCE[t][0] for (p, t), logs in groups.items()
                     if p == platform and t in _REFERENCE for v in logs]
        if len(residuals) < min_accounts:
            continue
        for tier, (center, _, _) in _REFERENCE.items():
            if (platform, tier) not in norms:
                norms[platform, tier] = _norm(platform, tier, residuals, center, "platform")
    return norms


def _norm(platform: str, tier: str, logs: Sequence[float], shift: float,
          source: Literal["workspace", "platform"]) -> Norm:
    center, spread = robust_center(logs)
    return Norm(platform=platform, tier=tier, center=center + shift,
                spread=max(spread, MIN_SPREAD), accounts=len(logs), source=source)


def norm_for(norms: Mapping[tuple[str, str], Norm], platform: str, tier: str) -> Norm | None:
    """The norm to judge an account by: the workspace's own, else the reference, else ``None``.

    The workspace norm is the group's own or its platform's pooled one (:func:`engagement_norms`);
    otherwise the built-in :data:`REFERENCE_NORMS`, which cover Instagram micro to celebrity.
    """
    own = norms.get((platform, tier))
    if own is not None and own.source == "workspace":
        return own
    return REFERENCE_NORMS.get((platform, tier)) or own


def _two_sided(z: float, low: tuple[float, float], high: tuple[float, float]
               ) -> tuple[Status, float]:
    return graded(z, warn=low[0], fail=low[1]) if z < 0 else graded(z, warn=high[0], fail=high[1])


def _worst(*grades: tuple[Status, float]) -> tuple[Status, float]:
    return max(grades, key=lambda g: g[1])


def engagement_rate_signal(engagement_rate: float | None, norm: Norm | None, *,
                           posts_analyzed: int, data_as_of: datetime | None) -> Signal:
    """The engagement rate as a robust z-score against its platform and tier norm.

    ``z = (ln rate - norm.center) / norm.spread``; unknown without a norm, with fewer than
    :data:`MIN_POSTS` posts, or without a positive rate.
    """
    key, label = "engagement_rate_z", "Engagement rate against its platform and tier"
    threshold = (f"warn at z <= {ER_LOW[0]:g} (fail {ER_LOW[1]:g}): too little engagement for "
                 f"the followers; warn at z >= +{ER_HIGH[0]:g} (fail +{ER_HIGH[1]:g}): more "
                 "than the tier gets")
    if posts_analyzed < MIN_POSTS:
        return unknown(key, "engagement", label, threshold=threshold, sample_size=posts_analyzed,
                       note=f"needs at least {MIN_POSTS} recent posts")
    if norm is None:
        return unknown(key, "engagement", label, threshold=threshold, sample_size=posts_analyzed,
                       note="no norm for this platform and tier")
    if engagement_rate is None or engagement_rate <= 0:
        return unknown(key, "engagement", label, threshold=threshold, sample_size=posts_analyzed,
                       note="no engagement recorded (counts may be hidden)")
    z = (math.log(engagement_rate) - norm.center) / norm.spread
    status, severity = _two_sided(z, ER_LOW, ER_HIGH)
    note = (f"norm: {norm.platform} {norm.tier}, median {math.exp(norm.center):.2%}, "
            f"{norm.accounts} accounts ({norm.source})")
    if status in ("warn", "fail"):
        note += ("; low engagement per follower suggests bought followers" if z < 0 else
                 "; high engagement per follower suggests bought engagement or pods")
    return Signal(key=key, group="engagement", label=label, value=z,
                  display=f"{engagement_rate:.2%} (z {z:+.1f})", threshold=threshold,
                  status=status, severity=severity, sample_size=posts_analyzed,
                  data_as_of=data_as_of, note=note)


def _counted(posts: Sequence[PostStats]) -> list[tuple[int, int]]:
    pairs = []
    for p in posts:
        if (p.likes is not None and p.likes < 0) or (p.comments is not None and p.comments < 0):
            raise InvalidInput("like and comment counts cannot be negative", field="posts")
        if p.likes and p.comments is not None:
            pairs.append((p.likes, p.comments))
    return pairs


def expected_comment_ratio(followers: int) -> float:
    """Typical median comments per like of an Instagram account with ``followers``.

    Examples
    --------
    >>> round(expected_comment_ratio(10_000), 4)
    0.0321
    """
    return math.exp(CL_INTERCEPT + CL_SLOPE * math.log10(max(followers, 1)))


def like_comment_signal(posts: Sequence[PostStats], *, followers: int | None,
                        data_as_of: datetime | None) -> Signal:
    """Comments per like against the expectation for the account's size, and outlier posts.

    Per post the ratio is comments / likes (a post without comments counts half a comment, so
    that the log exists); the account's ratio is the median over posts with likes. Both too few
    comments per like (bought likes) and too many (pods, bots) are suspicious.
    """
    key, label = "like_comment_ratio", "Comments per like against accounts of its size"
    threshold = (f"warn at z <= {CL_LOW[0]:g} (fail {CL_LOW[1]:g}) or z >= +{CL_HIGH[0]:g} "
                 f"(fail +{CL_HIGH[1]:g}); or {OUTLIERS[0]} posts whose likes are out of line "
                 f"with their comments (fail {OUTLIERS[1]})")
    pairs = _counted(posts)
    if followers is not None and followers < 0:
        raise InvalidInput("followers cannot be negative", field="followers")
    if len(pairs) < MIN_POSTS or not followers:
        return unknown(key, "engagement", label, threshold=threshold, sample_size=len(pairs),
                       note=f"needs the follower count and {MIN_POSTS} posts with likes and "
                            "comment counts")
    logs = [math.log(max(c, 0.5) / likes) for likes, c in pairs]
    own, median_likes = float(median(logs)), float(median(likes for likes, _ in pairs))
    z = (own - math.log(expected_comment_ratio(followers))) / CL_SPREAD
    outliers = [(likes, c) for (likes, c), lg in zip(pairs, logs, strict=True)
                if lg <= own - OUTLIER_LOG_GAP and likes >= OUTLIER_LIKES * median_likes]
    status, severity = _worst(_two_sided(z, CL_LOW, CL_HIGH),
                              graded(len(outliers), warn=OUTLIERS[0], fail=OUTLIERS[1]))
    return Signal(key=key, group="engagement", label=label, value=z,
                  display=f"{math.exp(own):.2%} comments per like (z {z:+.1f}), "
                          f"{len(outliers)} outlier posts", threshold=threshold,
                  status=status, severity=severity, sample_size=len(pairs),
                  data_as_of=data_as_of,
                  note=f"expected {expected_comment_ratio(followers):.2%} at {followers:,} "
                       "followers (real Instagram accounts)",
                  evidence=[f"{likes:,} likes but {c:,} comments" for likes, c in outliers[:5]])


def _snapshots(snapshots: Sequence[tuple[datetime, int]]) -> list[tuple[datetime, int]]:
    points = sorted(snapshots, key=lambda s: s[0])
    if any(f < 0 for _, f in points):
        raise InvalidInput("follower counts cannot be negative", field="snapshots")
    if any(a[0] == b[0] for a, b in pairwise(points)):
        raise InvalidInput("two follower snapshots share one time", field="snapshots")
    return points


def _viral(posts: Sequence[PostStats], start: datetime, end: datetime
           ) -> tuple[datetime, float] | None:
    """The post with the highest multiple of median engagement, published from
    :data:`VIRAL_LEAD` before ``start`` to ``end``, if that multiple is high enough."""
    known = [(p.posted_at, e) for p in posts if (e := engagements(p.likes, p.comments)) is not None]
    typical = median(e for _, e in known) if known else 0
    if typical <= 0:
        return None
    near = [(t, e / typical) for t, e in known
            if t is not None and start - VIRAL_LEAD <= t <= end and e >= VIRAL_MULTIPLE * typical]
    return max(near, key=lambda c: c[1]) if near else None


def growth_spikes(snapshots: Sequence[tuple[datetime, int]],
                  posts: Sequence[PostStats]) -> list[Spike]:
    """Intervals between follower snapshots whose growth is far above the account's usual.

    Daily growth of an interval is ``ln((f1 + 1) / (f0 + 1)) / days``; its z-score is taken
    against the median and 1.4826 x MAD (at least :data:`MIN_GROWTH_SPREAD`) of the *other*
    intervals, so that a spike does not hide in its own baseline. A spike needs z >=
    :data:`SPIKE_Z` and growth >= :data:`SPIKE_MIN_GROWTH`; it is explained by a post published
    from three days before to the end of the interval with engagement >= :data:`VIRAL_MULTIPLE`
    x the median of the account's posts.
    """
    points = _snapshots(snapshots)
    rates = [math.log((f1 + 1) / (f0 + 1)) / ((t1 - t0).total_seconds() / 86_400)
             for (t0, f0), (t1, f1) in pairwise(points)]
    spikes = []
    for i, rate in enumerate(rates):
        others = rates[:i] + rates[i + 1:]
        if not others:
            break
        center, spread = robust_center(others)
        z = (rate - center) / max(spread, MIN_GROWTH_SPREAD)
        (start, f0), (end, f1) = points[i], points[i + 1]
        growth = (f1 + 1) / (f0 + 1) - 1
        if z >= SPIKE_Z and growth >= SPIKE_MIN_GROWTH:
            spikes.append(Spike(start=start, end=end, growth=growth, z=z,
                                explained_by=_viral(posts, start, end)))
    return spikes


def _describe(spike: Spike) -> str:
    text = (f"{spike.start:%Y-%m-%d} to {spike.end:%Y-%m-%d}: {spike.growth:+.0%} "
            f"(z {spike.z:.1f})")
    if spike.explained_by is None:
        return text + ", no viral post"
    at, multiple = spike.explained_by
    return text + f", explained by a post on {at:%Y-%m-%d} with {multiple:.1f}x median engagement"


def growth_signal(snapshots: Sequence[tuple[datetime, int]], posts: Sequence[PostStats], *,
                  data_as_of: datetime | None) -> Signal:
    """Unexplained follower-growth spikes (see :func:`growth_spikes`); explained ones are shown
    in ``evidence`` and ``note`` but carry no severity."""
    key, label = "follower_growth_spikes", "Follower jumps no viral post explains"
    threshold = (f"a spike is daily growth z >= {SPIKE_Z:g} and >= {SPIKE_MIN_GROWTH:.0%} in the "
                 f"interval; warn at {SPIKES[0]} unexplained, fail at {SPIKES[1]}")
    if len(snapshots) < 3:
        return unknown(key, "growth", label, threshold=threshold, sample_size=len(snapshots),
                       note="needs at least 3 follower snapshots")
    spikes = growth_spikes(snapshots, posts)
    bad = [s for s in spikes if s.explained_by is None]
    status, severity = graded(len(bad), warn=SPIKES[0], fail=SPIKES[1])
    explained = len(spikes) - len(bad)
    return Signal(key=key, group="growth", label=label, value=float(len(bad)),
                  display=f"{len(bad)} unexplained, {explained} explained", threshold=threshold,
                  status=status, severity=severity, sample_size=len(snapshots),
                  data_as_of=data_as_of,
                  note=(f"{explained} spike(s) follow a viral post and are not held against the "
                        "account" if explained else ""),
                  evidence=[_describe(s) for s in spikes[:5]])

"""Watch campaign posts as they run: snapshots over time, and alerts that say why they fired.

A post is *behind its forecast* when its engagements at the latest snapshot fall below the low
end of the forecast interval scaled to the post's age: engagement accrues quickly and then
levels off, taken here as ``1 − exp(−age / τ)`` of the final count. Its *sentiment turns
negative* when, among its most recent scored comments, the share of negative ones is
significantly above the campaign's share so far (the Wilson interval's lower bound above it) and
above a floor. Method: ``docs/methods/monitoring.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from kolscope.core.matching.forecast import Interval
from kolscope.core.metrics import engagements
from kolscope.core.stats import wilson_interval
from kolscope.errors import InvalidInput

MONITORING_METHOD_VERSION = "monitor-1"
#: Time constant of engagement accrual: by 1 τ 63 % of the final count, by 3 τ 95 %.
ACCRUAL_TAU = timedelta(hours=12)
#: No verdict on a post younger than this: the first hours say little.
MIN_AGE = timedelta(hours=6)
#: Recent comments the sentiment alert reads, and the fewest it needs.
SENTIMENT_WINDOW = 50
MIN_COMMENTS = 20
#: A negative share under this never alerts, however it compares.
NEGATIVE_FLOOR = 0.2

AlertKind = Literal["behind_forecast", "negative_sentiment"]


@dataclass(frozen=True)
class Snapshot:
    """A post's public counts at one moment (from an import, a connector or by hand)."""

    at: datetime
    likes: int | None = None
    comments: int | None = None
    views: int | None = None
    shares: int | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise InvalidInput("a snapshot's time must carry its timezone", field="at")
        for name in ("likes", "comments", "views", "shares"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InvalidInput(f"{name} cannot be negative", field=name)


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    at: datetime
    reason: str
    value: float
    threshold: float


def accrued_share(age: timedelta, tau: timedelta = ACCRUAL_TAU) -> float:
    """The share of its final engagements a post has at ``age``.

    >>> round(accrued_share(timedelta(hours=12)), 3)
    0.632
    """
    if tau <= timedelta(0):
        raise InvalidInput("tau must be positive", field="tau")
    hours = max(age.total_seconds(), 0.0) / 3600
    return 1.0 - math.exp(-hours / (tau.total_seconds() / 3600))


def latest(snapshots: Sequence[Snapshot]) -> Snapshot | None:
    """The newest snapshot (the last of equal times, as given)."""
    return max(reversed(snapshots), key=lambda s: s.at, default=None)


def behind_forecast(posted_at: datetime, snapshots: Sequence[Snapshot], forecast: Interval, *,
                    tau: timedelta = ACCRUAL_TAU, min_age: timedelta = MIN_AGE
                    ) -> Alert | None:
    """An alert when the latest engagements are under the forecast's low end at that age."""
    snap = latest(snapshots)
    if snap is None:
        return None
    age = snap.at - posted_at
    got = engagements(snap.likes, snap.comments)
    if age < min_age or got is None:
        return None
    share = accrued_share(age, tau)
    expected_low = forecast.low * share
    if got >= expected_low:
        return None
    hours = age.total_seconds() / 3600
    return Alert(kind="behind_forecast", at=snap.at, value=float(got), threshold=expected_low,
                 reason=f"{got:,} engagements after {hours:.0f} h, under the forecast's low "
                        f"{forecast.low:,.0f} × {share:.0%} accrued by then = "
                        f"{expected_low:,.0f}")


def negative_turn(labels: Sequence[str], *, baseline_negative: float, at: datetime,
                  window: int = SENTIMENT_WINDOW, min_comments: int = MIN_COMMENTS,
                  floor: float = NEGATIVE_FLOOR) -> Alert | None:
    """An alert when the last ``window`` comment labels (oldest first) run negative.

    Fires when the negative share of the window is at least ``floor`` and its 95 % Wilson
    interval lies wholly above ``baseline_negative`` (the campaign's or the KOL's usual share).
    """
    if not 0.0 <= baseline_negative <= 1.0:
        raise InvalidInput("baseline_negative is a share in [0, 1]", field="baseline_negative")
    recent = list(labels)[-window:]
    if len(recent) < min_comments:
        return None
    negative = sum(1 for label in recent if label == "negative")
    share = negative / len(recent)
    low, _ = wilson_interval(negative, len(recent))
    if share < floor or low <= baseline_negative:
        return None
    return Alert(kind="negative_sentiment", at=at, value=share,
                 threshold=baseline_negative,
                 reason=f"{negative} of the last {len(recent)} comments are negative "
                        f"({share:.0%}; 95 % interval from {low:.0%}), above the usual "
                        f"{baseline_negative:.0%}")

"""KPIs with exactly one definition each. Every shell and report reads these, never its own copy.

Formulas and references: ``docs/methods/profile-metrics.md`` (per-post metrics) and
``docs/methods/kpis.md`` (campaign KPIs and earned media value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from statistics import median

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kolscope.errors import InvalidInput


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


# --- campaign KPIs (docs/methods/kpis.md) ---------------------------------------------------------
# Costs and revenue are exact Decimals in one currency; counts are whole numbers. Every ratio is
# None when its denominator is zero or unknown, never 0 or infinity, so a report shows "n/a"
# rather than a number nobody can reproduce.

KPI_METHOD_VERSION = "kpi-1"


def _ratio(numerator: Decimal | int | None, denominator: Decimal | int | None,
           scale: int = 1) -> Decimal | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return Decimal(numerator) * scale / Decimal(denominator)


def rate(part: int | None, whole: int | None) -> float | None:
    """``part / whole`` as a float share, for counts; ``None`` when ``whole`` is 0 or unknown."""
    if part is None or not whole or whole < 0:
        return None
    return part / whole


def click_through_rate(clicks: int | None, impressions: int | None) -> float | None:
    """CTR: clicks / impressions.

    >>> click_through_rate(30, 1500)
    0.02
    """
    return rate(clicks, impressions)


def conversion_rate(conversions: int | None, clicks: int | None) -> float | None:
    """Conversion rate: conversions (orders) / unique clicks.

    >>> conversion_rate(3, 120)
    0.025
    """
    return rate(conversions, clicks)


def cpm(cost: Decimal, impressions: int | None) -> Decimal | None:
    """Cost per mille: cost / impressions × 1000.

    >>> cpm(Decimal("50"), 20_000)
    Decimal('2.5')
    """
    return _ratio(cost, impressions, 1000)


def cpe(cost: Decimal, engagements_: int | None) -> Decimal | None:
    """Cost per engagement: cost / engagements.

    >>> cpe(Decimal("100"), 400)
    Decimal('0.25')
    """
    return _ratio(cost, engagements_)


def cpc(cost: Decimal, clicks: int | None) -> Decimal | None:
    """Cost per click: cost / clicks."""
    return _ratio(cost, clicks)


def cpa(cost: Decimal, conversions: int | None) -> Decimal | None:
    """Cost per acquisition: cost / conversions."""
    return _ratio(cost, conversions)


def roas(revenue: Decimal, cost: Decimal) -> Decimal | None:
    """Return on ad spend: revenue / cost.

    >>> roas(Decimal("300"), Decimal("100"))
    Decimal('3')
    """
    return _ratio(revenue, cost)


def sentiment_shares(labels: Sequence[str]) -> dict[str, float] | None:
    """The share of each sentiment label (negative, neutral, positive) among scored comments.

    >>> sentiment_shares(["positive", "positive", "negative", "neutral"])
    {'negative': 0.25, 'neutral': 0.25, 'positive': 0.5}
    """
    if not labels:
        return None
    counts = dict.fromkeys(("negative", "neutral", "positive"), 0)
    for label in labels:
        if label not in counts:
            raise InvalidInput(f"unknown sentiment label {label!r}", field="label")
        counts[label] += 1
    return {k: v / len(labels) for k, v in counts.items()}


EMV_ACTIONS = ("impressions", "views", "likes", "comments", "shares", "saves", "clicks")


class EmvMethod(BaseModel):
    """Earned media value as a priced sum of actions: what buying each action would cost.

    Open and versioned: every unit value is on the method page and a workspace replaces any of
    them (its own CPM or CPE benchmarks), under its own ``version``. Impressions are priced per
    thousand; the other actions per action.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = "emv-1"
    currency: str = "USD"
    values: dict[str, Decimal] = Field(default_factory=lambda: {
        "impressions": Decimal("5.00"), "views": Decimal("0.02"), "likes": Decimal("0.08"),
        "comments": Decimal("0.50"), "shares": Decimal("0.50"), "saves": Decimal("0.30"),
        "clicks": Decimal("0.80")})

    @field_validator("values", mode="before")
    @classmethod
    def _values(cls, value: object) -> object:
        if not isinstance(value, dict):
            raise ValueError("values maps an action to its unit value")
        unknown = sorted(set(value) - set(EMV_ACTIONS))
        if unknown:
            raise ValueError(f"unknown actions {unknown}; known: {', '.join(EMV_ACTIONS)}")
        for action, amount in value.items():
            if isinstance(amount, float):
                raise ValueError(f"{action}: give amounts as text, not floats")
            if Decimal(str(amount)) < 0:
                raise ValueError(f"{action}: a unit value cannot be negative")
        return value


def earned_media_value(counts: Mapping[str, int | None], method: EmvMethod | None = None
                       ) -> tuple[Decimal, dict[str, Decimal]]:
    """EMV of ``counts`` (action → count) and each action's part; unknown counts add nothing.

    >>> total, parts = earned_media_value({"impressions": 10_000, "likes": 100})
    >>> total, parts["impressions"]
    (Decimal('58.00'), Decimal('50.00'))
    """
    m = method or EmvMethod()
    parts: dict[str, Decimal] = {}
    for action, count in counts.items():
        if action not in EMV_ACTIONS:
            raise InvalidInput(f"unknown action {action!r}", field="counts")
        if count is None or action not in m.values:
            continue
        if count < 0:
            raise InvalidInput(f"{action}: a count cannot be negative", field=action)
        per = m.values[action] / 1000 if action == "impressions" else m.values[action]
        parts[action] = (per * count).quantize(Decimal("0.01"))
    return sum(parts.values(), Decimal("0.00")), parts

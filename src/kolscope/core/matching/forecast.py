"""Forecasts of a KOL's next post and of a deliverable's funnel, each with an interval.

Two steps, one versioned method (``docs/methods/forecast.md``):

1. :func:`engagement_forecast` predicts the engagements (likes + comments) of an account's next
   post from its earlier posts, in log space, shrunk toward the norm of its platform and tier
   (:func:`engagement_prior`), with an interval from the account's own spread blended with a
   pooled one.
2. :func:`deliverable_forecast` carries that forecast through a funnel of lognormal rates
   (impressions per engagement, unique reach share, click-through, conversion, order value) to
   impressions, unique reach, clicks, conversions, revenue and ROI for a given cost.

The constants of step 1 (:class:`ForecastParams`) were chosen on the fit half of the shared
Instagram posts by ``benchmarks/forecast.py``; the funnel defaults are stated assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from statistics import NormalDist, median
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

from kolscope.core.discovery.profile import PostStats, recent_posts
from kolscope.core.discovery.tiers import Tier
from kolscope.core.metrics import engagements, roi
from kolscope.core.platforms import Platform, PostFormat
from kolscope.errors import InvalidInput

FORECAST_METHOD_VERSION = "forecast-1"
DEFAULT_LEVEL = 0.8
MAD_TO_SD = 1.4826
YEAR_SECONDS = 365.25 * 86_400
VIDEO_FORMATS = frozenset({PostFormat.VIDEO, PostFormat.SHORT_VIDEO, PostFormat.LIVE_STREAM})
_FROZEN = ConfigDict(frozen=True, extra="forbid")


def _z(level: float) -> float:
    """The standard normal quantile bounding a central interval of probability ``level``."""
    if not 0 < level < 1:
        raise InvalidInput("the interval level must lie strictly between 0 and 1", field="level")
    return NormalDist().inv_cdf(0.5 + level / 2)


class Interval(BaseModel):
    """A forecast value: the point (a median) and the bounds of its central interval."""

    model_config = _FROZEN

    point: float
    low: float
    high: float


class EngagementPrior(BaseModel):
    """What an account's peers (one platform and tier) get: their median engagement rate by
    followers and the robust spread of their log rates around it."""

    model_config = _FROZEN

    engagement_rate: float
    log_sd: float
    accounts: int
    platform: Platform | None = None
    tier: Tier | None = None

    @model_validator(mode="after")
    def _valid(self) -> Self:
        if not 0 < self.engagement_rate < math.inf or not 0 <= self.log_sd < math.inf:
            raise InvalidInput("a prior needs a positive engagement rate and a finite spread",
                               field="prior")
        return self


class ForecastParams(BaseModel):
    """The constants of the engagement forecast; defaults chosen on the fit split.

    ``window`` (N) recent posts are used; a post's weight halves every ``half_life_posts`` posts
    back; the prior counts as ``shrinkage_posts`` posts; each post is carried forward to the
    forecast time at ``growth_per_year`` log units a year for at most ``max_growth_years``; the
    pooled log spread ``pooled_log_sd`` counts as ``pooled_weight_posts`` degrees of freedom
    against the account's own; ``interval_scale`` calibrates the interval's width.
    """

    model_config = _FROZEN

    window: int = 12
    half_life_posts: float = 1.0
    shrinkage_posts: float = 0.25
    growth_per_year: float = 0.3
    max_growth_years: float = 2.0
    pooled_log_sd: float = 0.58
    pooled_weight_posts: float = 8.0
    interval_scale: float = 0.82

    @model_validator(mode="after")
    def _valid(self) -> Self:
        positive = (self.half_life_posts, self.pooled_log_sd, self.interval_scale)
        if self.window < 1 or min(positive) <= 0:
            raise InvalidInput("window, half-life, pooled spread and interval scale must be "
                               "positive", field="params")
        if min(self.shrinkage_posts, self.max_growth_years, self.pooled_weight_posts) < 0:
            raise InvalidInput("shrinkage, growth span and pooled weight cannot be negative",
                               field="params")
        return self


DEFAULT_PARAMS = ForecastParams()


class UsedPost(BaseModel):
    """One earlier post a forecast read, with its engagements and relative weight."""

    model_config = _FROZEN

    posted_at: datetime | None
    engagements: int
    weight: float


class EngagementExplanation(BaseModel):
    """Why an engagement forecast is what it is."""

    model_config = _FROZEN

    posts: tuple[UsedPost, ...]
    effective_posts: float
    history_engagements: float | None
    prior: EngagementPrior | None
    prior_engagements: float | None
    shrinkage_weight: float
    own_log_sd: float | None
    log_sd: float


class EngagementForecast(BaseModel):
    """Engagements of the next post, with the predictive law in ``log1p`` space behind it."""

    model_config = _FROZEN

    method_version: str = FORECAST_METHOD_VERSION
    level: float
    engagements: Interval
    log_mean: float
    log_sd: float
    explanation: EngagementExplanation


def engagement_prior(rates: Sequence[float], *, platform: Platform | None = None,
                     tier: Tier | None = None) -> EngagementPrior:
    """The engagement norm of a peer group from its accounts' engagement rates.

    Parameters
    ----------
    rates
        One engagement rate by followers per peer account (``ProfileMetrics.engagement_rate``);
        rates of 0 or below are left out of the log spread.
    platform, tier
        What the peers share, kept as labels.

    Returns
    -------
    EngagementPrior
        The median rate and ``1.4826 × MAD`` of the log rates (a robust standard deviation).

    Examples
    --------
    >>> p = engagement_prior([0.01, 0.02, 0.04])
    >>> p.engagement_rate, round(p.log_sd, 4)
    (0.02, 1.0277)
    """
    positive = [r for r in rates if r > 0]
    if len(positive) < 2:
        raise InvalidInput("a prior needs at least two peers with a positive engagement rate",
                           field="rates")
    logs = [math.log(r) for r in positive]
    centre = median(logs)
    spread = MAD_TO_SD * median(abs(x - centre) for x in logs)
    return EngagementPrior(engagement_rate=float(median(positive)), log_sd=spread,
                           accounts=len(positive), platform=platform, tier=tier)


def _counted(history: Sequence[PostStats], followers: int | None) -> list[PostStats]:
    """The posts with a known engagement count, after checking every count is non-negative."""
    if followers is not None and followers < 0:
        raise InvalidInput("followers cannot be negative", field="followers")
    for post in history:
        if min(post.likes or 0, post.comments or 0) < 0:
            raise InvalidInput("likes and comments cannot be negative", field="history")
    return [p for p in history if engagements(p.likes, p.comments) is not None]


def _weighted(history: list[PostStats], at: datetime | None,
              params: ForecastParams) -> list[tuple[PostStats, float, float]]:
    """(post, log1p engagements carried forward to ``at``, weight) of the recent posts."""
    rows = []
    for age, post in enumerate(recent_posts(history, params.window)):
        years = 0.0
        if at is not None and post.posted_at is not None:
            years = (at - post.posted_at).total_seconds() / YEAR_SECONDS
            years = min(max(years, 0.0), params.max_growth_years)
        value = math.log1p(engagements(post.likes, post.comments) or 0)
        rows.append((post, value + params.growth_per_year * years,
                     0.5 ** (age / params.half_life_posts)))
    return rows


def _own_spread(values: list[float], params: ForecastParams) -> tuple[float | None, float]:
    """The account's own log sd (``None`` under two posts) and its blend with the pooled sd."""
    n = len(values)
    if n < 2:
        return None, params.pooled_log_sd
    mean = sum(values) / n
    own = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    nu = params.pooled_weight_posts
    blended = (nu * params.pooled_log_sd**2 + (n - 1) * own**2) / (nu + n - 1)
    return own, math.sqrt(blended)


def _shrink(level: float | None, n_eff: float, sigma: float, centre: float | None,
            prior_sd: float, params: ForecastParams) -> tuple[float, float, float]:
    """The weight on the history, the forecast's log mean and its predictive variance."""
    if centre is None:
        assert level is not None
        return 1.0, level, sigma**2 * (1 + 1 / n_eff)
    if level is None:
        return 0.0, centre, sigma**2 + prior_sd**2
    weight = n_eff / (n_eff + params.shrinkage_posts)
    variance = sigma**2 * (1 + weight**2 / n_eff) + (1 - weight) ** 2 * prior_sd**2
    return weight, weight * level + (1 - weight) * centre, variance


def engagement_forecast(history: Sequence[PostStats], *, followers: int | None,
                        prior: EngagementPrior | None, at: datetime | None = None,
                        level: float = DEFAULT_LEVEL,
                        params: ForecastParams = DEFAULT_PARAMS) -> EngagementForecast:
    """Forecast the engagements (likes + comments) of an account's next post.

    Parameters
    ----------
    history
        The account's earlier posts, any order; the ``params.window`` most recent with a known
        count are used (``recent_posts``), the newest weighing most.
    followers
        The account's follower count; with ``prior`` it sets the prior ``rate × followers``.
    prior
        The norm of the account's platform and tier (:func:`engagement_prior`), or ``None``.
    at
        When the post will appear; each earlier post is carried forward to it by the growth
        constant. ``None``: no growth.
    level
        The probability of the central interval, in (0, 1).
    params
        The method's constants.

    Returns
    -------
    EngagementForecast
        The median and interval of the engagements, the predictive mean and sd of
        ``log1p(engagements)``, and an explanation.

    Notes
    -----
    With ``y_i = log1p(E_i) + g·min(years to at, cap)`` and weights ``w_i = 0.5^(age_i / h)``,
    the history level is ``ȳ = Σ w_i y_i / Σ w_i`` over ``n_eff = (Σ w_i)² / Σ w_i²``
    effective posts; the forecast is ``μ = s ȳ + (1 − s) m`` with ``m = log1p(rate ×
    followers)`` and ``s = n_eff / (n_eff + k)`` (``s = 1`` without a prior). Its variance is
    ``σ²(1 + s² / n_eff) + (1 − s)² τ²``, where ``σ²`` blends the account's own variance with the
    pooled one and ``τ`` is the prior's spread; the interval is
    ``expm1(μ ± z · scale · sd)``, floored at 0.

    Examples
    --------
    >>> posts = [PostStats(posted_at=None, likes=99, comments=0)] * 3
    >>> round(engagement_forecast(posts, followers=None, prior=None).engagements.point, 6)
    99.0
    """
    z = _z(level)
    rows = _weighted(_counted(history, followers), at, params)
    centre = (math.log1p(prior.engagement_rate * followers)
              if prior is not None and followers is not None else None)
    if not rows and centre is None:
        raise InvalidInput("no earlier post with counts and no prior to forecast from",
                           field="history")
    own, sigma = _own_spread([v for _, v, _ in rows], params)
    total = sum(w for _, _, w in rows)
    n_eff = total**2 / sum(w * w for _, _, w in rows) if rows else 0.0
    level_hist = sum(v * w for _, v, w in rows) / total if rows else None
    weight, mu, variance = _shrink(level_hist, n_eff, sigma, centre,
                                   prior.log_sd if prior is not None else 0.0, params)
    sd = math.sqrt(variance) * params.interval_scale
    explanation = EngagementExplanation(
        posts=tuple(UsedPost(posted_at=p.posted_at, engagements=engagements(
            p.likes, p.comments) or 0, weight=w / total) for p, _, w in rows),
        effective_posts=n_eff,
        history_engagements=math.expm1(level_hist) if level_hist is not None else None,
        prior=prior, prior_engagements=math.expm1(centre) if centre is not None else None,
        shrinkage_weight=weight, own_log_sd=own, log_sd=sd)
    return EngagementForecast(
        level=level, log_mean=mu, log_sd=sd, explanation=explanation,
        engagements=Interval(point=math.expm1(mu), low=max(0.0, math.expm1(mu - z * sd)),
                             high=math.expm1(mu + z * sd)))


class Factor(BaseModel):
    """A positive rate or multiplier with lognormal uncertainty: its median and the sd of its
    natural log (0 for a value taken as exact)."""

    model_config = _FROZEN

    median: float
    log_sd: float = 0.0

    @model_validator(mode="after")
    def _valid(self) -> Self:
        if not 0 < self.median < math.inf or not 0 <= self.log_sd < math.inf:
            raise InvalidInput("a funnel factor needs a positive median and a finite, "
                               "non-negative log spread", field="funnel")
        return self

    @classmethod
    def between(cls, low: float, high: float, level: float = DEFAULT_LEVEL) -> Factor:
        """The factor whose central ``level`` interval is ``[low, high]``.

        Examples
        --------
        >>> f = Factor.between(0.01, 0.04)
        >>> round(f.median, 6), round(f.log_sd, 4)
        (0.02, 0.5409)
        """
        if not 0 < low <= high:
            raise InvalidInput("a range needs 0 < low <= high", field="funnel")
        return cls(median=math.sqrt(low * high), log_sd=math.log(high / low) / (2 * _z(level)))


# 80 % ranges; their sources and assumptions are in docs/methods/forecast.md.
IMAGE_IMPRESSIONS_PER_ENGAGEMENT = Factor.between(10.0, 32.0)
VIDEO_IMPRESSIONS_PER_ENGAGEMENT = Factor.between(11.0, 45.0)
DEFAULT_REACH_SHARE = Factor.between(0.65, 0.95)
DEFAULT_CLICK_THROUGH_RATE = Factor.between(0.001, 0.009)
DEFAULT_CONVERSION_RATE = Factor.between(0.007, 0.028)


class Funnel(BaseModel):
    """The rates from engagements to revenue; every default is a documented assumption.

    ``impressions_per_engagement`` ``None`` takes the format's default; ``reach_share`` is unique
    reach over impressions (its median at most 1); ``click_through_rate`` is clicks per
    impression, ``conversion_rate`` orders per click and ``average_order_value`` revenue per
    order, in the currency of the cost. The order value has no default: it is the brand's own.
    """

    model_config = _FROZEN

    average_order_value: Factor
    impressions_per_engagement: Factor | None = None
    reach_share: Factor = DEFAULT_REACH_SHARE
    click_through_rate: Factor = DEFAULT_CLICK_THROUGH_RATE
    conversion_rate: Factor = DEFAULT_CONVERSION_RATE

    @model_validator(mode="after")
    def _valid(self) -> Self:
        if self.reach_share.median > 1:
            raise InvalidInput("unique reach cannot exceed impressions: reach share median "
                               "above 1", field="reach_share")
        return self

    def for_format(self, post_format: PostFormat) -> Funnel:
        """This funnel with the format's impressions per engagement filled in where unset."""
        if self.impressions_per_engagement is not None:
            return self
        per = (VIDEO_IMPRESSIONS_PER_ENGAGEMENT if post_format in VIDEO_FORMATS
               else IMAGE_IMPRESSIONS_PER_ENGAGEMENT)
        return self.model_copy(update={"impressions_per_engagement": per})


class DeliverableForecast(BaseModel):
    """One post's funnel forecast: every quantity as (point, low, high) at one level."""

    model_config = _FROZEN

    method_version: str = FORECAST_METHOD_VERSION
    level: float
    post_format: PostFormat
    cost: Decimal
    funnel: Funnel
    impressions: Interval
    unique_reach: Interval
    engagements: Interval
    clicks: Interval
    conversions: Interval
    revenue: Interval
    roi: Interval
    engagement: EngagementForecast


def _log_sides(value: Interval, z: float) -> tuple[float, float]:
    """The lower and upper log sds that reproduce ``value``'s interval around its point."""
    if value.point <= 0:
        return 0.0, 0.0
    low = math.log(value.point / value.low) / z if value.low > 0 else math.inf
    return low, math.log(value.high / value.point) / z


def _through(engaged: Interval, factors: Sequence[Factor], z: float) -> Interval:
    """Engagements times independent lognormal factors, side by side in log space."""
    low_sd, high_sd = _log_sides(engaged, z)
    spread = sum(f.log_sd**2 for f in factors)
    point = engaged.point * math.prod(f.median for f in factors)
    return Interval(point=point, low=point * math.exp(-z * math.sqrt(low_sd**2 + spread)),
                    high=point * math.exp(z * math.sqrt(high_sd**2 + spread)))


def _roi(revenue: float, cost: float) -> float:
    value = roi(revenue, cost)
    if value is None:
        raise InvalidInput("a forecast's ROI needs a positive cost", field="cost")
    return value


def deliverable_forecast(engagement: EngagementForecast, *, post_format: PostFormat,
                         funnel: Funnel, cost: Decimal) -> DeliverableForecast:
    """Carry an engagement forecast through the funnel of one deliverable (one post).

    Parameters
    ----------
    engagement
        The post's engagement forecast; its level is the level of every interval here.
    post_format
        The deliverable's format; video formats take the video impressions per engagement.
    funnel
        The rates, each a lognormal :class:`Factor`; the defaults are assumptions to override.
    cost
        What the deliverable costs, in the currency of the order value; positive.

    Returns
    -------
    DeliverableForecast
        impressions = E × impressions per engagement; unique reach = impressions × reach share
        (never above impressions); clicks = impressions × CTR; conversions = clicks × CVR;
        revenue = conversions × order value; ROI = (revenue − cost) / cost.

    Notes
    -----
    The factors are independent lognormals, so the log of each quantity is a sum: its median is
    the product of medians and its log sd the root of summed squares. The engagement forecast
    enters with the lower and upper log sds that reproduce its own interval, so each side is
    combined apart. ROI increases with revenue, so its bounds are the ROI of revenue's bounds.

    Examples
    --------
    >>> exact = Factor(median=1.0)
    >>> e = EngagementForecast(level=0.8, engagements=Interval(point=100, low=100, high=100),
    ...     log_mean=0, log_sd=0, explanation=EngagementExplanation(posts=(),
    ...     effective_posts=0, history_engagements=None, prior=None, prior_engagements=None,
    ...     shrinkage_weight=1, own_log_sd=None, log_sd=0))
    >>> f = Funnel(average_order_value=Factor(median=50.0), impressions_per_engagement=
    ...     Factor(median=20.0), reach_share=exact, click_through_rate=Factor(median=0.01),
    ...     conversion_rate=Factor(median=0.02))
    >>> d = deliverable_forecast(e, post_format=PostFormat.IMAGE, funnel=f, cost=Decimal(10))
    >>> round(d.revenue.point, 6), round(d.roi.point, 6)
    (20.0, 1.0)
    """
    if not cost.is_finite() or cost <= 0:
        raise InvalidInput("the cost must be a positive amount", field="cost")
    z = _z(engagement.level)
    rates = funnel.for_format(post_format)
    assert rates.impressions_per_engagement is not None
    steps = [rates.impressions_per_engagement]
    engaged = engagement.engagements
    impressions = _through(engaged, steps, z)
    reach = _through(engaged, [*steps, rates.reach_share], z)
    reach = Interval(point=min(reach.point, impressions.point),
                     low=min(reach.low, impressions.low), high=min(reach.high, impressions.high))
    steps.append(rates.click_through_rate)
    clicks = _through(engaged, steps, z)
    steps.append(rates.conversion_rate)
    conversions = _through(engaged, steps, z)
    revenue = _through(engaged, [*steps, rates.average_order_value], z)
    price = float(cost)
    roi = Interval(point=_roi(revenue.point, price), low=_roi(revenue.low, price),
                   high=_roi(revenue.high, price))
    return DeliverableForecast(
        level=engagement.level, post_format=post_format, cost=cost, funnel=rates,
        impressions=impressions, unique_reach=reach, engagements=engaged, clicks=clicks,
        conversions=conversions, revenue=revenue, roi=roi, engagement=engagement)

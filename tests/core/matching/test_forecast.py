"""Engagement and deliverable forecasts, with hand-computed expectations."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kolscope.core.discovery.profile import PostStats
from kolscope.core.matching.forecast import (
    DEFAULT_PARAMS,
    FORECAST_METHOD_VERSION,
    IMAGE_IMPRESSIONS_PER_ENGAGEMENT,
    VIDEO_IMPRESSIONS_PER_ENGAGEMENT,
    EngagementExplanation,
    EngagementForecast,
    EngagementPrior,
    Factor,
    ForecastParams,
    Funnel,
    Interval,
    deliverable_forecast,
    engagement_forecast,
    engagement_prior,
)
from kolscope.core.platforms import PostFormat
from kolscope.errors import InvalidInput

Z80 = 1.2815515655446004  # the 90th percentile of the standard normal
START = datetime(2024, 1, 1, tzinfo=UTC)
# Equal weights, no growth, no calibration: every number below follows by hand.
PLAIN = ForecastParams(half_life_posts=1e12, shrinkage_posts=4.0, growth_per_year=0.0,
                       pooled_log_sd=0.5, pooled_weight_posts=3.0, interval_scale=1.0)
PRIOR = EngagementPrior(engagement_rate=0.01, log_sd=0.8, accounts=50)  # × 10,000 = 100


def posts(*counts: int) -> list[PostStats]:
    """Posts a week apart, oldest first, with these engagement counts (all likes)."""
    return [PostStats(posted_at=START + timedelta(weeks=i), likes=c, comments=0)
            for i, c in enumerate(counts)]


def exact(point: float) -> EngagementForecast:
    """An engagement forecast with no uncertainty at all."""
    why = EngagementExplanation(posts=(), effective_posts=0, history_engagements=None,
                                prior=None, prior_engagements=None, shrinkage_weight=1,
                                own_log_sd=None, log_sd=0)
    return EngagementForecast(level=0.8, engagements=Interval(point=point, low=point,
                                                              high=point),
                              log_mean=math.log1p(point), log_sd=0, explanation=why)


# --- engagement forecast -----------------------------------------------------------------------

def test_a_constant_history_forecasts_that_constant() -> None:
    made = engagement_forecast(posts(99, 99, 99, 99), followers=None, prior=None)
    assert made.engagements.point == pytest.approx(99)
    assert made.explanation.own_log_sd == 0
    assert made.method_version == FORECAST_METHOD_VERSION == "forecast-1"
    # A prior at the same level changes nothing: 99 = 0.0099 × 10,000.
    same = EngagementPrior(engagement_rate=0.0099, log_sd=0.8, accounts=10)
    assert engagement_forecast(posts(99, 99), followers=10_000, prior=same,
                               ).engagements.point == pytest.approx(99)


def test_the_prior_dominates_one_post_and_fades_with_many() -> None:
    one = engagement_forecast(posts(1000), followers=10_000, prior=PRIOR, params=PLAIN)
    # s = 1 / (1 + 4) = 0.2: log1p of the point is 0.2·ln 1001 + 0.8·ln 101.
    assert one.explanation.shrinkage_weight == pytest.approx(0.2)
    assert one.explanation.prior_engagements == pytest.approx(100)
    assert one.engagements.point == pytest.approx(1001**0.2 * 101**0.8 - 1)  # 158.8
    many = engagement_forecast(posts(*[1000] * 12), followers=10_000, prior=PRIOR, params=PLAIN)
    assert many.explanation.shrinkage_weight == pytest.approx(12 / 16)
    assert many.engagements.point == pytest.approx(1001**0.75 * 101**0.25 - 1)  # 563.2
    weights = [engagement_forecast(posts(*[1000] * n), followers=10_000, prior=PRIOR,
                                   ).explanation.shrinkage_weight for n in (1, 2, 4, 12)]
    assert weights == sorted(weights) and weights[0] == pytest.approx(1 / 1.25)


def test_prior_alone_without_history() -> None:
    made = engagement_forecast([], followers=10_000, prior=PRIOR, params=PLAIN)
    assert made.engagements.point == pytest.approx(100)
    assert made.explanation.shrinkage_weight == 0 and made.explanation.posts == ()
    # Pooled and prior spread add: sqrt(0.5² + 0.8²).
    assert made.log_sd == pytest.approx(math.sqrt(0.25 + 0.64))


def test_interval_by_hand_contains_the_point() -> None:
    made = engagement_forecast(posts(100, 100, 100, 100), followers=None, prior=None,
                               params=PLAIN)
    # Own sd 0 over 3 degrees of freedom blended with pooled 0.5 over 3: σ² = 0.75 / 6 = 0.125;
    # with the level's own uncertainty over 4 posts: 0.125 · (1 + 1/4) = 0.15625.
    sd = math.sqrt(0.15625)
    assert made.log_sd == pytest.approx(sd)
    e = made.engagements
    assert e.low == pytest.approx(math.expm1(math.log(101) - Z80 * sd))
    assert e.high == pytest.approx(math.expm1(math.log(101) + Z80 * sd))
    assert e.low < e.point < e.high


def test_noisier_history_gives_a_wider_interval() -> None:
    calm = engagement_forecast(posts(99, 99, 99, 99), followers=None, prior=None,
                               params=PLAIN)
    noisy = engagement_forecast(posts(24, 399, 24, 399), followers=None, prior=None,
                                params=PLAIN)
    assert noisy.engagements.point == pytest.approx(calm.engagements.point)  # √(25 · 400) − 1 = 99
    assert (noisy.explanation.own_log_sd or 0) > 0
    for made in (calm, noisy):
        assert made.engagements.low <= made.engagements.point <= made.engagements.high
    assert noisy.log_sd > calm.log_sd
    assert noisy.engagements.high - noisy.engagements.low > (
        calm.engagements.high - calm.engagements.low)


def test_a_higher_level_gives_a_wider_interval() -> None:
    history = posts(50, 80, 120)
    narrow = engagement_forecast(history, followers=None, prior=None, level=0.5).engagements
    wide = engagement_forecast(history, followers=None, prior=None, level=0.95).engagements
    assert wide.low < narrow.low < narrow.point < narrow.high < wide.high


def test_recent_posts_weigh_most_and_the_window_holds() -> None:
    made = engagement_forecast(posts(10, 20, 30), followers=None, prior=None)
    # Half-life one post: weights 4/7, 2/7, 1/7, newest first.
    assert [p.engagements for p in made.explanation.posts] == [30, 20, 10]
    assert [p.weight for p in made.explanation.posts] == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert made.explanation.effective_posts == pytest.approx((7 / 4) ** 2 / (21 / 16))
    long = engagement_forecast(posts(*range(1, 21)), followers=None, prior=None)
    assert len(long.explanation.posts) == DEFAULT_PARAMS.window == 12


def test_growth_carries_earlier_posts_to_the_forecast_time() -> None:
    params = PLAIN.model_copy(update={"growth_per_year": 0.3, "max_growth_years": 2.0})
    history = [PostStats(posted_at=START, likes=100, comments=0)]
    a_year = START + timedelta(days=365.25)
    made = engagement_forecast(history, followers=None, prior=None, at=a_year, params=params)
    assert made.engagements.point == pytest.approx(101 * math.exp(0.3) - 1)
    later = engagement_forecast(history, followers=None, prior=None,
                                at=START + timedelta(days=3650), params=params)
    assert later.engagements.point == pytest.approx(101 * math.exp(0.6) - 1)  # capped at 2 y


def test_comments_count_and_unknown_counts_are_skipped() -> None:
    history = [PostStats(posted_at=START, likes=90, comments=9),
               PostStats(posted_at=START + timedelta(days=1), likes=None, comments=None)]
    made = engagement_forecast(history, followers=None, prior=None)
    assert made.engagements.point == pytest.approx(99)
    assert len(made.explanation.posts) == 1


def test_engagement_prior_by_hand() -> None:
    prior = engagement_prior([0.01, 0.02, 0.04, 0.0])
    # Median of the positive rates 0.02; log distances ln 2, 0, ln 2: MAD ln 2.
    assert prior.engagement_rate == pytest.approx(0.02)
    assert prior.log_sd == pytest.approx(1.4826 * math.log(2))
    assert prior.accounts == 3


# --- deliverable forecast ----------------------------------------------------------------------

FIXED = Funnel(average_order_value=Factor(median=30.0),
               impressions_per_engagement=Factor(median=20.0), reach_share=Factor(median=0.5),
               click_through_rate=Factor(median=0.01), conversion_rate=Factor(median=0.05))


def test_funnel_arithmetic_without_uncertainty() -> None:
    made = deliverable_forecast(exact(200), post_format=PostFormat.IMAGE, funnel=FIXED,
                                cost=Decimal(500))
    # 200 engagements × 20 = 4,000 impressions; × 0.5 = 2,000 reached; × 1 % = 40 clicks;
    # × 5 % = 2 orders; × 30 = 60 revenue; ROI (60 − 500) / 500 = −0.88.
    expected = {"engagements": 200, "impressions": 4000, "unique_reach": 2000, "clicks": 40,
                "conversions": 2, "revenue": 60, "roi": -0.88}
    for name, value in expected.items():
        got: Interval = getattr(made, name)
        assert (got.point, got.low, got.high) == pytest.approx((value, value, value)), name
    assert made.method_version == FORECAST_METHOD_VERSION and made.level == 0.8


@pytest.mark.parametrize(("cost", "sign"), [(50, 1), (60, 0), (500, -1)])
def test_roi_sign(cost: int, sign: int) -> None:
    made = deliverable_forecast(exact(200), post_format=PostFormat.IMAGE, funnel=FIXED,
                                cost=Decimal(cost))
    assert made.roi.point == pytest.approx((60 - cost) / cost)
    assert (made.roi.point > 1e-12) - (made.roi.point < -1e-12) == sign


def test_uncertainty_adds_in_log_space_side_by_side() -> None:
    funnel = FIXED.model_copy(update={"click_through_rate": Factor(median=0.01, log_sd=0.6)})
    made = deliverable_forecast(exact(200), post_format=PostFormat.IMAGE, funnel=funnel,
                                cost=Decimal(500))
    assert made.impressions.low == made.impressions.high == pytest.approx(4000)
    assert made.clicks.point == pytest.approx(40)
    assert made.clicks.high == pytest.approx(40 * math.exp(Z80 * 0.6))
    assert made.revenue.low == pytest.approx(60 * math.exp(-Z80 * 0.6))
    assert made.roi.low == pytest.approx((made.revenue.low - 500) / 500)
    # An uncertain engagement forecast: its own interval, then the funnel's spread on top.
    history = engagement_forecast(posts(50, 80, 120), followers=None, prior=None)
    made = deliverable_forecast(history, post_format=PostFormat.IMAGE, funnel=funnel,
                                cost=Decimal(500))
    assert made.engagements == history.engagements
    upper = math.log(history.engagements.high / history.engagements.point) / Z80
    assert made.clicks.high == pytest.approx(
        made.clicks.point * math.exp(Z80 * math.sqrt(upper**2 + 0.36)))
    for name in ("impressions", "unique_reach", "clicks", "conversions", "revenue", "roi"):
        got = getattr(made, name)
        assert got.low < got.point < got.high, name


def test_formats_take_their_impressions_and_reach_stays_under_impressions() -> None:
    funnel = Funnel(average_order_value=Factor(median=40.0),
                    reach_share=Factor(median=1.0, log_sd=0.3))
    video = deliverable_forecast(exact(100), post_format=PostFormat.SHORT_VIDEO, funnel=funnel,
                                 cost=Decimal(100))
    image = deliverable_forecast(exact(100), post_format=PostFormat.CAROUSEL, funnel=funnel,
                                 cost=Decimal(100))
    assert video.funnel.impressions_per_engagement == VIDEO_IMPRESSIONS_PER_ENGAGEMENT
    assert image.funnel.impressions_per_engagement == IMAGE_IMPRESSIONS_PER_ENGAGEMENT
    assert image.impressions.point == pytest.approx(100 * IMAGE_IMPRESSIONS_PER_ENGAGEMENT.median)
    for made in (video, image):
        assert made.unique_reach.high <= made.impressions.high
        assert made.unique_reach.point <= made.impressions.point


def test_factor_between_a_range() -> None:
    f = Factor.between(0.01, 0.04)
    assert f.median == pytest.approx(0.02)
    assert f.log_sd == pytest.approx(math.log(4) / (2 * Z80))


# --- validation --------------------------------------------------------------------------------

@pytest.mark.parametrize("history", [
    [PostStats(posted_at=START, likes=-1, comments=0)],
    [PostStats(posted_at=START, likes=5, comments=-2)],
])
def test_negative_counts_are_refused(history: list[PostStats]) -> None:
    with pytest.raises(InvalidInput):
        engagement_forecast(history, followers=100, prior=PRIOR)


def test_negative_followers_are_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        engagement_forecast(posts(10), followers=-5, prior=PRIOR)
    assert raised.value.field == "followers"


@pytest.mark.parametrize(("followers", "prior"), [(None, None), (1_000, None), (None, PRIOR)])
def test_no_history_and_no_usable_prior_is_refused(followers: int | None,
                                                   prior: EngagementPrior | None) -> None:
    unknown = [PostStats(posted_at=START, likes=None, comments=None)]
    for history in ([], unknown):
        with pytest.raises(InvalidInput) as raised:
            engagement_forecast(history, followers=followers, prior=prior)
        assert raised.value.field == "history"


@pytest.mark.parametrize("level", [0.0, 1.0, -0.2, 1.5])
def test_interval_level_outside_zero_one_is_refused(level: float) -> None:
    with pytest.raises(InvalidInput) as raised:
        engagement_forecast(posts(10), followers=None, prior=None, level=level)
    assert raised.value.field == "level"


def test_bad_funnel_cost_params_and_priors_are_refused() -> None:
    with pytest.raises(InvalidInput):
        deliverable_forecast(exact(10), post_format=PostFormat.IMAGE, funnel=FIXED,
                             cost=Decimal(0))
    with pytest.raises(InvalidInput):
        Factor(median=0.0)
    with pytest.raises(InvalidInput):
        Factor(median=0.1, log_sd=-1)
    with pytest.raises(InvalidInput):
        Funnel(average_order_value=Factor(median=1.0), reach_share=Factor(median=1.2))
    with pytest.raises(InvalidInput):
        ForecastParams(window=0)
    with pytest.raises(InvalidInput):
        ForecastParams(shrinkage_posts=-1)
    with pytest.raises(InvalidInput):
        EngagementPrior(engagement_rate=0.0, log_sd=0.5, accounts=1)
    with pytest.raises(InvalidInput):
        engagement_prior([0.02])

"""Engagement authenticity: rate norms, comments per like and follower-growth spikes."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from kolscope.core.discovery.profile import PostStats
from kolscope.core.vetting.engagement import (
    ENGAGEMENT_METHOD_VERSION,
    MIN_SPREAD,
    REFERENCE_NORMS,
    Norm,
    engagement_norms,
    engagement_rate_signal,
    expected_comment_ratio,
    growth_signal,
    growth_spikes,
    like_comment_signal,
    norm_for,
    robust_center,
)
from kolscope.errors import InvalidInput

T0 = datetime(2025, 3, 1, tzinfo=UTC)
AS_OF = datetime(2025, 4, 1, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def norm(center: float = 0.0, spread: float = 1.0) -> Norm:
    return Norm(platform="instagram", tier="micro", center=center, spread=spread, accounts=40,
                source="workspace")


def test_version() -> None:
    assert ENGAGEMENT_METHOD_VERSION == "engagement-1"


def test_robust_center_by_hand() -> None:
    # median 2; absolute deviations 1, 0, 2 -> median 1 -> 1.4826
    assert robust_center([1.0, 2.0, 4.0]) == (2.0, 1.4826)
    with pytest.raises(InvalidInput):
        robust_center([])


def test_engagement_norms_by_hand() -> None:
    rows = [("instagram", "micro", math.exp(-3)), ("instagram", "micro", math.exp(-2)),
            ("instagram", "micro", math.exp(-4)), ("instagram", "micro", None),
            ("instagram", "micro", 0.0), ("tiktok", "mid", 0.05), ("tiktok", "mid", 0.06)]
    norms = engagement_norms(rows, min_accounts=3)
    own = {k for k, v in norms.items() if v.source == "workspace"}
    assert own == {("instagram", "micro")}  # tiktok mid has 2 accounts only
    assert not any(p == "tiktok" for p, _ in norms)  # nor enough on the whole platform
    n = norms["instagram", "micro"]
    assert n.center == pytest.approx(-3.0)
    assert n.spread == pytest.approx(1.4826)
    assert (n.accounts, n.source) == (3, "workspace")


def test_platform_norm_borrows_the_reference_tier_shape() -> None:
    # Three TikTok accounts: two micro at ln rate -2.0 and -3.0, one mid at -3.3. Each minus its
    # tier's reference center (micro -3.3867, mid -3.6886) gives 1.3867, 0.3867, 0.3886; the
    # median is 0.3886, so the macro norm is -3.7016 + 0.3886.
    rows = [("tiktok", "micro", math.exp(-2.0)), ("tiktok", "micro", math.exp(-3.0)),
            ("tiktok", "mid", math.exp(-3.3))]
    norms = engagement_norms(rows, min_accounts=3)
    macro = norms["tiktok", "macro"]
    assert macro.source == "platform" and macro.accounts == 3
    assert macro.center == pytest.approx(-3.7016 + 0.3886)
    assert macro.spread == MIN_SPREAD  # 1.4826 x MAD 0.0019, floored
    assert norm_for(norms, "tiktok", "macro") is macro
    # Instagram's own reference is real data: it comes before a pooled workspace norm.
    pooled = engagement_norms([("instagram", "micro", 0.02)] * 3, min_accounts=3)
    assert norm_for(pooled, "instagram", "mid").source == "reference"  # type: ignore[union-attr]


def test_engagement_norms_floor_the_spread() -> None:
    norms = engagement_norms([("weibo", "mid", 0.02)] * 30)
    assert norms["weibo", "mid"].spread == MIN_SPREAD
    assert engagement_norms([("weibo", "mid", 0.02)] * 29) == {}  # mid: 29 < 30 on weibo
    with pytest.raises(InvalidInput):
        engagement_norms([], min_accounts=0)


def test_norm_for_fallback_order() -> None:
    own = norm(-3.0, 0.8)
    assert norm_for({("instagram", "micro"): own}, "instagram", "micro") is own
    assert norm_for({}, "instagram", "micro") is REFERENCE_NORMS["instagram", "micro"]
    assert norm_for({}, "instagram", "nano") is None  # the real list starts at 1,000 followers
    assert norm_for({}, "douyin", "micro") is None


def test_reference_norms_are_instagram_tiers() -> None:
    assert set(REFERENCE_NORMS) == {("instagram", t) for t in ("micro", "mid", "macro",
                                                              "celebrity")}
    micro = REFERENCE_NORMS["instagram", "micro"]
    assert 0.03 < math.exp(micro.center) < 0.04 and micro.source == "reference"


@pytest.mark.parametrize(("log_rate", "status", "severity"), [
    (-1.999, "ok", 0.0), (-2.0, "warn", 0.25), (-2.5, "warn", 0.625), (-3.0, "fail", 1.0),
    (2.999, "ok", 0.0), (3.0, "warn", 0.25), (3.75, "warn", 0.625), (4.5, "fail", 1.0),
])
def test_engagement_rate_edges(log_rate: float, status: str, severity: float) -> None:
    s = engagement_rate_signal(math.exp(log_rate), norm(), posts_analyzed=12, data_as_of=AS_OF)
    assert s.value == pytest.approx(log_rate)
    assert (s.status, s.severity) == (status, pytest.approx(severity))


def test_engagement_rate_z_by_hand() -> None:
    # ln 0.01 = -4.605; (-4.605 - ln 0.04) / 0.5 = ln(0.25) / 0.5 = -2.77
    s = engagement_rate_signal(0.01, norm(math.log(0.04), 0.5), posts_analyzed=12,
                               data_as_of=AS_OF)
    assert s.value == pytest.approx(math.log(0.25) / 0.5)
    assert s.display == "1.00% (z -2.8)"
    assert s.status == "warn" and s.group == "engagement" and s.key == "engagement_rate_z"
    assert "instagram micro" in s.note and "40 accounts (workspace)" in s.note
    assert "bought followers" in s.note
    assert s.sample_size == 12 and s.data_as_of == AS_OF


@pytest.mark.parametrize(("rate", "the_norm", "posts", "why"), [
    (0.03, norm(), 2, "3 recent posts"),
    (0.03, None, 12, "no norm"),
    (None, norm(), 12, "no engagement"),
    (0.0, norm(), 12, "no engagement"),
])
def test_engagement_rate_unknown(rate: float | None, the_norm: Norm | None, posts: int,
                                 why: str) -> None:
    s = engagement_rate_signal(rate, the_norm, posts_analyzed=posts, data_as_of=AS_OF)
    assert s.status == "unknown" and s.value is None and why in s.note


def posts_of(pairs: list[tuple[int | None, int | None]]) -> list[PostStats]:
    return [PostStats(posted_at=day(i), likes=likes, comments=c)
            for i, (likes, c) in enumerate(pairs)]


def test_expected_comment_ratio() -> None:
    # exp(-0.919 - 0.630 * 4) = exp(-3.439)
    assert expected_comment_ratio(10_000) == pytest.approx(math.exp(-3.439))


def test_like_comment_ordinary_account_is_ok() -> None:
    s = like_comment_signal(posts_of([(1000, 32)] * 5), followers=10_000, data_as_of=AS_OF)
    assert s.value == pytest.approx(math.log(0.032 / math.exp(-3.439)) / 0.982)
    assert s.status == "ok" and s.sample_size == 5


@pytest.mark.parametrize(("comments", "status"), [(2, "warn"), (500, "warn"), (32, "ok")])
def test_like_comment_too_few_or_too_many(comments: int, status: str) -> None:
    s = like_comment_signal(posts_of([(1000, comments)] * 4), followers=10_000, data_as_of=None)
    z = math.log(comments / 1000 / math.exp(-3.439)) / 0.982
    assert s.value == pytest.approx(z)  # -2.83 with 2 comments, +2.80 with 500
    assert s.status == status


def test_like_comment_zero_comments_count_as_half() -> None:
    s = like_comment_signal(posts_of([(1000, 0)] * 3), followers=10_000, data_as_of=None)
    assert s.value == pytest.approx(math.log(0.0005 / math.exp(-3.439)) / 0.982)
    assert s.status == "fail"  # z -4.3: likes without comments


def test_like_comment_outlier_posts() -> None:
    # ratios .03 .032 .034 .00167 .0016: median .03, median likes 1,000; the last two have
    # 2.5-3x the likes and under 22% of the usual comments per like: bought likes on two posts.
    pairs = [(1000, 30), (1000, 32), (1000, 34), (3000, 5), (2500, 4)]
    s = like_comment_signal(posts_of(pairs), followers=10_000, data_as_of=None)
    assert s.status == "warn" and s.severity == pytest.approx(0.25)
    assert s.evidence == ["3,000 likes but 5 comments", "2,500 likes but 4 comments"]
    one = like_comment_signal(posts_of(pairs[:4]), followers=10_000, data_as_of=None)
    assert one.status == "ok" and len(one.evidence) == 1


def test_like_comment_unknown_and_invalid() -> None:
    few = posts_of([(1000, 30), (1000, 30), (None, 3), (0, 4)])
    assert like_comment_signal(few, followers=10_000, data_as_of=None).status == "unknown"
    enough = posts_of([(1000, 30)] * 3)
    assert like_comment_signal(enough, followers=None, data_as_of=None).status == "unknown"
    with pytest.raises(InvalidInput):
        like_comment_signal(posts_of([(-1, 3)] * 3), followers=10, data_as_of=None)
    with pytest.raises(InvalidInput):
        like_comment_signal(enough, followers=-5, data_as_of=None)


STEADY = [(day(0), 10_000), (day(1), 10_010), (day(2), 10_020), (day(3), 10_030)]


def with_jump(after: int) -> list[tuple[datetime, int]]:
    return [*STEADY, (day(4), after), (day(5), after + 10)]


def engagement_posts(viral_day: float | None) -> list[PostStats]:
    posts = [PostStats(posted_at=day(d), likes=950, comments=50) for d in (-10, -8, -6)]
    if viral_day is not None:
        posts.append(PostStats(posted_at=day(viral_day), likes=4800, comments=200))
    return posts


def test_spike_explained_by_a_viral_post() -> None:
    spikes = growth_spikes(with_jump(13_000), engagement_posts(viral_day=2.5))
    assert len(spikes) == 1
    spike = spikes[0]
    assert (spike.start, spike.end) == (day(3), day(4))
    assert spike.growth == pytest.approx(13_001 / 10_031 - 1)  # +29.6%
    # the other intervals grow ~0.1%/day with a MAD under the floor of 0.002/day
    others = [math.log(10_011 / 10_001), math.log(10_021 / 10_011),
              math.log(10_031 / 10_021), math.log(13_011 / 13_001)]
    center = sorted(others)[1:3]
    expected_z = (math.log(13_001 / 10_031) - sum(center) / 2) / 0.002
    assert spike.z == pytest.approx(expected_z)
    assert spike.explained_by == (day(2.5), pytest.approx(5.0))  # 5,000 / median 1,000
    s = growth_signal(with_jump(13_000), engagement_posts(2.5), data_as_of=AS_OF)
    assert (s.status, s.value, s.severity) == ("ok", 0.0, 0.0)
    assert "explained by a post on 2025-03-03 with 5.0x" in s.evidence[0]
    assert s.group == "growth" and "1 spike(s)" in s.note


def test_spike_without_viral_post_warns() -> None:
    s = growth_signal(with_jump(13_000), engagement_posts(None), data_as_of=AS_OF)
    assert (s.status, s.value, s.severity) == ("warn", 1.0, 0.25)
    assert s.evidence == ["2025-03-04 to 2025-03-05: +30% (z 129.2), no viral post"]


def test_viral_post_too_early_or_too_weak_explains_nothing() -> None:
    early = growth_spikes(with_jump(13_000), engagement_posts(viral_day=-0.5))  # 3.5 days before
    assert early[0].explained_by is None
    edge = growth_spikes(with_jump(13_000), engagement_posts(viral_day=0))  # exactly 3 days
    assert edge[0].explained_by is not None
    weak = [*engagement_posts(None), PostStats(posted_at=day(3), likes=2900, comments=90)]
    assert growth_spikes(with_jump(13_000), weak)[0].explained_by is None  # 2.99x median


def test_spike_needs_five_percent_growth() -> None:
    assert growth_spikes(with_jump(10_530), []) == []  # +4.98%, z far above 3.5
    assert len(growth_spikes(with_jump(10_533), [])) == 1  # +5.01%


def test_several_unexplained_spikes_fail() -> None:
    points = [(day(0), 1000), (day(1), 1001), (day(2), 1500), (day(3), 1501), (day(4), 2200),
              (day(5), 2201), (day(6), 3300), (day(7), 3301), (day(8), 3302)]
    two = growth_signal(points[:6], [], data_as_of=None)
    assert (two.status, two.value, two.severity) == ("warn", 2.0, pytest.approx(0.625))
    three = growth_signal(points, [], data_as_of=None)
    assert (three.status, three.value, three.severity) == ("fail", 3.0, 1.0)


def test_growth_unknown_and_invalid() -> None:
    s = growth_signal(STEADY[:2], [], data_as_of=None)
    assert s.status == "unknown" and s.sample_size == 2
    assert growth_signal(STEADY, [], data_as_of=None).status == "ok"
    with pytest.raises(InvalidInput):
        growth_spikes([(day(0), 5), (day(0), 6), (day(1), 7)], [])
    with pytest.raises(InvalidInput):
        growth_spikes([(day(0), 5), (day(1), -6), (day(2), 7)], [])

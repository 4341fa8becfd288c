"""Brand affinity, promotion wording and exclusivity conflicts, with hand-checked examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kolscope.core.vetting.affinity import (
    AFFINITY_METHOD_VERSION,
    MAX_POST_IDS,
    BrandAffinity,
    PostBrands,
    affinity_signal,
    brand_affinity,
    exclusivity_conflicts,
    promo_terms,
)
from kolscope.core.vetting.signals import WARN_SEVERITY
from kolscope.errors import InvalidInput

NOW = datetime(2024, 6, 30, 12, tzinfo=UTC)


def day(days_ago: int) -> datetime:
    return NOW - timedelta(days=days_ago)


@pytest.mark.parametrize(("caption", "terms"), [
    ("Use code MIA20 for 20% off!", ["use code", "20% off"]),
    ("Discount code below, link in my bio", ["discount code", "link in my bio"]),
    ("Swipe up to shop now #affiliate", ["swipe up", "shop now", "affiliate"]),
    ("Shop my looks on liketoknow.it", ["shop my looks", "liketoknow.it"]),
    ("I may earn a small commission", ["earn a small commission"]),
    ("优惠码MIA，领券下单更划算", ["优惠码", "领券", "下单"]),
    ("链接在评论区，团购价包邮", ["链接", "团购", "包邮"]),
    ("直播间有福利，小黄车见", ["直播间", "福利", "小黄车"]),
    ("優惠碼在這裡", ["优惠码"]),                                    # traditional characters
    ("USE CODE", ["use code"]),
])
def test_promo_terms(caption: str, terms: list[str]) -> None:
    assert promo_terms(caption) == terms


@pytest.mark.parametrize("caption", [
    "I decoded the message", "show off", "my bio class", "offer it up", "100%", "今天天气很好",
    "affiliated hospital",
])
def test_no_promo_terms(caption: str) -> None:
    assert promo_terms(caption) == []


POSTS = [
    # paid-partnership label: the sponsor is sponsored
    PostBrands(post_id=1, posted_at=day(10), caption="Night routine", sponsor_handles=("@Glowco",)),
    # a disclosed post: every brand it names counts as sponsored
    PostBrands(post_id=2, posted_at=day(40), caption="Loving @lumierelab #ad",
               is_sponsored=True),
    # undisclosed, with promotion wording: promoted
    PostBrands(post_id=3, posted_at=day(5), caption="露米耶 new serum, use code MIA"),
    # a plain mention
    PostBrands(post_id=4, posted_at=day(2), caption="Coffee with @anna",
               mentioned_handles=("Glowco",)),
    PostBrands(post_id=5, posted_at=None, caption="Throwback with @anna"),
]
NAMES = {"@LumiereLab": ["Lumière Lab", "露米耶"]}


def affinity_of(brand: str, affinities: list[BrandAffinity]) -> BrandAffinity:
    return next(a for a in affinities if a.brand == brand)


def test_brand_affinity_counts_sponsorships_promotions_and_mentions() -> None:
    assert AFFINITY_METHOD_VERSION == "affinity-1"
    affinities = brand_affinity(POSTS, brand_names=NAMES)
    assert [a.brand for a in affinities] == ["glowco", "lumierelab", "anna"]
    glow = affinity_of("glowco", affinities)
    assert (glow.relation, glow.posts, glow.sponsored_posts, glow.promoted_posts) == (
        "sponsorship", 2, 1, 0)
    assert (glow.first_at, glow.last_at, glow.last_sponsored_at) == (day(10), day(2), day(10))
    assert glow.post_ids == (4, 1)                                   # newest first
    lumiere = affinity_of("lumierelab", affinities)
    assert (lumiere.posts, lumiere.sponsored_posts, lumiere.promoted_posts) == (2, 1, 1)
    assert lumiere.names == ("Lumière Lab", "露米耶")
    assert [(a.post_id, a.role) for a in lumiere.appearances] == [(3, "promoted"),
                                                                   (2, "sponsored")]
    anna = affinity_of("anna", affinities)
    assert (anna.relation, anna.posts, anna.sponsored_posts, anna.last_at) == (
        "mention", 2, 0, day(2))
    assert anna.post_ids == (4, 5)                                   # undated last


def test_names_are_found_as_words_without_accents_or_case() -> None:
    posts = [PostBrands(post_id=1, caption="new LUMIERE LAB drop"),
             PostBrands(post_id=2, caption="lumierelabs is another brand"),
             PostBrands(post_id=3, caption="買了露米耶")]
    lumiere = brand_affinity(posts, brand_names=NAMES)[0]
    assert lumiere.post_ids == (3, 1)


def test_a_sponsor_also_mentioned_counts_once_as_sponsored() -> None:
    post = PostBrands(post_id=1, caption="with @glowco", sponsor_handles=("glowco",),
                      mentioned_handles=("glowco",))
    (glow,) = brand_affinity([post])
    assert (glow.posts, glow.sponsored_posts) == (1, 1)


def test_many_posts_keep_a_few_ids() -> None:
    posts = [PostBrands(post_id=i, posted_at=day(i), caption="@glowco") for i in range(15)]
    (glow,) = brand_affinity(posts)
    assert glow.posts == 15 and glow.post_ids == tuple(range(MAX_POST_IDS))
    assert len(glow.appearances) == 15


def test_hard_and_soft_conflicts_inside_the_window() -> None:
    affinities = brand_affinity(POSTS, brand_names=NAMES)
    conflicts = exclusivity_conflicts(affinities, competitors=["Lumière Lab", "@GLOWCO"],
                                      now=NOW, window_days=30)
    assert [(c.brand, c.kind, c.days_ago, c.post_ids) for c in conflicts] == [
        ("lumierelab", "sponsored", 5, (3,)),       # promoted 5 days ago; #ad post is 40 days old
        ("glowco", "sponsored", 10, (1,)),
    ]
    assert conflicts[0].competitor == "Lumière Lab" and conflicts[0].last_at == day(5)
    assert conflicts[0].sentence == (
        "Competitor Lumière Lab (lumierelab) was sponsored or promoted in 1 post in the last "
        "30 days, most recently 5 days ago (2024-06-25).")
    # a window of 7 days: glowco is only mentioned in it (post 4), lumierelab still promoted
    short = exclusivity_conflicts(affinities, competitors=["lumierelab", "glowco"], now=NOW,
                                  window_days=7)
    assert [(c.brand, c.kind, c.days_ago) for c in short] == [
        ("lumierelab", "sponsored", 5), ("glowco", "mentioned", 2)]
    assert "mentioned without sponsorship in 1 post" in short[1].sentence


def test_no_conflict_outside_the_window_or_for_other_brands() -> None:
    affinities = brand_affinity(POSTS, brand_names=NAMES)
    assert exclusivity_conflicts(affinities, competitors=["lumierelab"], now=day(-100),
                                 window_days=30) == []
    assert exclusivity_conflicts(affinities, competitors=["rivalbrand"], now=NOW,
                                 window_days=365) == []


def test_naive_times_are_read_as_utc() -> None:
    post = PostBrands(post_id=1, posted_at=datetime(2024, 6, 29), caption="@rival #ad",
                      is_sponsored=True)
    conflicts = exclusivity_conflicts(brand_affinity([post]), competitors=["rival"],
                                      now=datetime(2024, 6, 30), window_days=1)
    assert [(c.kind, c.days_ago) for c in conflicts] == [("sponsored", 1)]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"competitors": ["x"], "window_days": 0}, "window_days"),
    ({"competitors": ["x", "@"], "window_days": 30}, "competitors.1"),
])
def test_conflict_input_is_checked(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        exclusivity_conflicts([], now=NOW, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_exclusivity_signal() -> None:
    affinities = brand_affinity(POSTS, brand_names=NAMES)
    hard = exclusivity_conflicts(affinities, competitors=["glowco"], now=NOW, window_days=30)
    s = affinity_signal(hard, posts_checked=5, data_as_of=day(2), competitors_given=True)
    assert (s.key, s.group, s.status, s.severity, s.value) == (
        "exclusivity", "values", "fail", 1.0, 1.0)
    assert s.display == "1 sponsored (glowco)" and s.evidence == [hard[0].sentence]
    soft = exclusivity_conflicts(affinities, competitors=["glowco"], now=NOW, window_days=7)
    s = affinity_signal(soft, posts_checked=5, data_as_of=None, competitors_given=True)
    assert (s.status, s.severity, s.display) == ("warn", WARN_SEVERITY, "1 mentioned (glowco)")
    s = affinity_signal([], posts_checked=5, data_as_of=None, competitors_given=True)
    assert (s.status, s.severity, s.value, s.display) == ("ok", 0.0, 0.0, "no competitor")


def test_exclusivity_is_unknown_without_competitors_or_posts() -> None:
    s = affinity_signal([], posts_checked=5, data_as_of=None, competitors_given=False)
    assert (s.status, s.value) == ("unknown", None) and "no competitors" in s.note
    s = affinity_signal([], posts_checked=0, data_as_of=None, competitors_given=True)
    assert s.status == "unknown"

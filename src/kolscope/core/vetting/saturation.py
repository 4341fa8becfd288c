"""Sponsored saturation: how much of a KOL's feed is paid, disclosed or not, and what ads cost it.

Method ``saturation-1`` (``docs/methods/sponsored-saturation.md``). A post is *disclosed* when it
carries a paid-partnership label or a disclosure tag (``sponsorship-1``). An undisclosed post is
a *likely* ad when it names a brand (an @mention or tag) next to promotional wording ("use code",
"link in bio", 优惠码 ...), and a *possible* one when it only tags a brand that sponsors posts
elsewhere in the workspace. Feeds full of ads wear out their audience's trust, so the share of
sponsored posts and the engagement of sponsored posts against organic ones are both signals.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from kolscope.core.metrics import median_or_none
from kolscope.core.vetting.affinity import promo_terms
from kolscope.core.vetting.signals import Signal, graded, unknown

SATURATION_METHOD_VERSION = "saturation-1"
MIN_POSTS = 5  # fewer recent posts than this and a share says little
MIN_EACH = 3  # sponsored and organic posts needed to compare their engagement
SHARE_WARN, SHARE_FAIL = 0.30, 0.50
UNDISCLOSED_WARN, UNDISCLOSED_FAIL = 0.05, 0.20
RATIO_WARN, RATIO_FAIL = 0.5, 0.25


class PostSponsorship(BaseModel):
    """What saturation reads of one post."""

    model_config = ConfigDict(frozen=True)

    post_id: int
    posted_at: datetime | None
    caption: str
    is_sponsored: bool  # disclosed: paid-partnership label or disclosure tag
    brand_handles: tuple[str, ...] = ()  # sponsors, tagged and @mentioned accounts
    engagement_rate: float | None = None


class Saturation(BaseModel):
    """Counts and shares of sponsored posts, and sponsored against organic engagement."""

    model_config = ConfigDict(frozen=True)

    posts: int
    disclosed: int
    likely_undisclosed: int
    possible_undisclosed: int
    sponsored_share: float | None  # (disclosed + likely undisclosed) / posts
    undisclosed_share: float | None  # likely undisclosed / posts
    sponsored_engagement: float | None  # median engagement rate of sponsored posts
    organic_engagement: float | None
    engagement_ratio: float | None  # sponsored / organic
    likely_posts: list[int]  # ids of likely undisclosed ads
    examples: list[str]
    method_version: str = SATURATION_METHOD_VERSION


def undisclosed_kind(post: PostSponsorship, known_brands: Collection[str]) -> str | None:
    """``likely`` or ``possible`` for an undisclosed ad, None for an organic or disclosed post.

    Examples
    --------
    >>> p = PostSponsorship(post_id=1, posted_at=None, is_sponsored=False,
    ...                     caption="Obsessed with @glowco, code MIA15 for 15% off",
    ...                     brand_handles=("glowco",))
    >>> undisclosed_kind(p, set())
    'likely'
    """
    if post.is_sponsored or not post.brand_handles:
        return None
    if promo_terms(post.caption):
        return "likely"
    if any(h in known_brands for h in post.brand_handles):
        return "possible"
    return None


def saturation(posts: Sequence[PostSponsorship], *, known_brands: Collection[str] = ()
               ) -> Saturation:
    """Sponsored saturation of a KOL's recent posts; ``known_brands`` sponsor other posts."""
    kinds = [undisclosed_kind(p, known_brands) for p in posts]
    sponsored = [p.is_sponsored or k == "likely" for p, k in zip(posts, kinds, strict=True)]
    n = len(posts)
    disclosed = sum(p.is_sponsored for p in posts)
    likely = [p for p, k in zip(posts, kinds, strict=True) if k == "likely"]
    paid_er = median_or_none([p.engagement_rate for p, s in zip(posts, sponsored, strict=True)
                              if s])
    organic_er = median_or_none([p.engagement_rate
                                 for p, s in zip(posts, sponsored, strict=True) if not s])
    enough = sum(sponsored) >= MIN_EACH and n - sum(sponsored) >= MIN_EACH
    ratio = paid_er / organic_er if enough and paid_er is not None and organic_er else None
    return Saturation(
        posts=n, disclosed=disclosed, likely_undisclosed=len(likely),
        possible_undisclosed=kinds.count("possible"),
        sponsored_share=sum(sponsored) / n if n else None,
        undisclosed_share=len(likely) / n if n else None,
        sponsored_engagement=paid_er, organic_engagement=organic_er,
        engagement_ratio=ratio,
        likely_posts=[p.post_id for p in likely],
        examples=[f"post {p.post_id}: {', '.join(promo_terms(p.caption))} with "
                  f"@{', @'.join(p.brand_handles[:2])}: {p.caption[:80]}" for p in likely[:5]])


def saturation_signals(s: Saturation, *, data_as_of: datetime | None) -> list[Signal]:
    """Sponsored share, undisclosed ads and the engagement cost of ads, as vetting signals."""
    return [_share_signal(s, data_as_of), _undisclosed_signal(s, data_as_of),
            _ratio_signal(s, data_as_of)]


def _share_signal(s: Saturation, data_as_of: datetime | None) -> Signal:
    label = "Share of recent posts that are sponsored (disclosed or likely)"
    threshold = f"warn at >= {SHARE_WARN:.0%}, fail at >= {SHARE_FAIL:.0%}"
    if s.posts < MIN_POSTS or s.sponsored_share is None:
        return unknown("sponsored_share", "sponsored", label, threshold=threshold,
                       sample_size=s.posts, note=f"needs {MIN_POSTS} recent posts")
    status, severity = graded(s.sponsored_share, warn=SHARE_WARN, fail=SHARE_FAIL)
    return Signal(key="sponsored_share", group="sponsored", label=label,
                  value=s.sponsored_share, status=status, severity=severity,
                  display=f"{s.sponsored_share:.0%} ({s.disclosed} disclosed, "
                          f"{s.likely_undisclosed} likely undisclosed of {s.posts})",
                  threshold=threshold, sample_size=s.posts, data_as_of=data_as_of)


def _undisclosed_signal(s: Saturation, data_as_of: datetime | None) -> Signal:
    label = "Posts that look like ads but carry no disclosure"
    threshold = f"warn at >= {UNDISCLOSED_WARN:.0%} of posts, fail at >= {UNDISCLOSED_FAIL:.0%}"
    if s.posts < MIN_POSTS or s.undisclosed_share is None:
        return unknown("undisclosed_sponsorship", "sponsored", label, threshold=threshold,
                       sample_size=s.posts, note=f"needs {MIN_POSTS} recent posts")
    status, severity = graded(s.undisclosed_share, warn=UNDISCLOSED_WARN,
                              fail=UNDISCLOSED_FAIL)
    note = (f"{s.possible_undisclosed} more only tag a brand that sponsors elsewhere "
            "(possible, not counted)" if s.possible_undisclosed else "")
    return Signal(key="undisclosed_sponsorship", group="sponsored", label=label,
                  value=s.undisclosed_share, status=status, severity=severity,
                  display=f"{s.likely_undisclosed} of {s.posts} ({s.undisclosed_share:.0%})",
                  threshold=threshold, sample_size=s.posts, data_as_of=data_as_of, note=note,
                  evidence=s.examples)


def _ratio_signal(s: Saturation, data_as_of: datetime | None) -> Signal:
    label = "Engagement of sponsored posts against organic ones"
    threshold = (f"warn when sponsored posts get <= {RATIO_WARN:g}x the organic engagement, "
                 f"fail at <= {RATIO_FAIL:g}x; needs {MIN_EACH} of each")
    if s.engagement_ratio is None:
        return unknown("sponsored_engagement", "sponsored", label, threshold=threshold,
                       sample_size=s.posts,
                       note=f"needs {MIN_EACH} sponsored and {MIN_EACH} organic posts with an "
                            "engagement rate")
    status, severity = graded(s.engagement_ratio, warn=RATIO_WARN, fail=RATIO_FAIL)
    paid, organic = s.sponsored_engagement or 0.0, s.organic_engagement or 0.0
    return Signal(key="sponsored_engagement", group="sponsored", label=label,
                  value=s.engagement_ratio, status=status, severity=severity,
                  display=f"{s.engagement_ratio:.2f}x ({paid:.2%} sponsored vs {organic:.2%} "
                          "organic)",
                  threshold=threshold, sample_size=s.posts, data_as_of=data_as_of)

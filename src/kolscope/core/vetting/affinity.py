"""Brand affinity and exclusivity: which brands a creator has worked with or named, and whether a
campaign's competitors are among them inside its exclusivity window.

A brand appears in a post as its paid-partnership sponsor, as a tagged or @mentioned account, or
by a name given for it. It is **sponsored** there when it is the post's sponsor or the post is
disclosed as paid (:mod:`~kolscope.core.vetting.sponsorship`), **promoted** when an undisclosed
post names it with promotion wording (:func:`promo_terms`), and **mentioned** otherwise. The
method is documented in ``docs/methods/brand-safety.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from kolscope.core.text import mentions
from kolscope.core.vetting.safety_lexicon import (
    NOT_AFTER,
    NOT_BEFORE,
    fold,
    term_word,
    trie_pattern,
)
from kolscope.core.vetting.signals import WARN_SEVERITY, Signal, unknown
from kolscope.errors import InvalidInput

AFFINITY_METHOD_VERSION = "affinity-1"
MAX_POST_IDS = 10
EVIDENCE = 5

Role = Literal["sponsored", "promoted", "mentioned"]
_ROLE_RANK: Mapping[Role, int] = MappingProxyType({"sponsored": 0, "promoted": 1, "mentioned": 2})
_NO_NAMES: Mapping[str, Sequence[str]] = MappingProxyType({})
_EARLIEST = datetime.min.replace(tzinfo=UTC)

# Wording that sells: discount codes, shop links, affiliate disclosures; in Chinese, coupons,
# links, orders, group buys and live-shopping carts. Matched on word boundaries in Latin script.
_PROMO_EN = (r"use (?:my |the |our )?code", r"(?:discount|promo|coupon|voucher) codes?",
             r"link in (?:my )?bio", r"\d{1,3} ?% ?off", r"affiliate(?: links?)?", r"swipe up",
             r"shop now", r"shop (?:my|the) (?:link|links|look|looks)", r"tap to shop",
             r"free shipping", r"giveaway", r"(?:earn|make) a (?:small )?commission",
             r"liketoknow\.it")
_PROMO_ZH = ("优惠码", "折扣码", "优惠券", "领券", "券后", "链接", "下单", "福利", "团购", "拼团",
             "开团", "折扣", "打折", "抢购", "秒杀", "返现", "专属价", "粉丝价", "直播间", "橱窗",
             "小黄车", "购物车", "点击购买", "限时", "包邮", "囤货")
_PROMO = re.compile(f"{NOT_AFTER}(?:{'|'.join(_PROMO_EN)}){NOT_BEFORE}|{'|'.join(_PROMO_ZH)}",
                    re.IGNORECASE)


def promo_terms(caption: str) -> list[str]:
    """Promotion wording in ``caption``, folded to lower case, in order, without duplicates.

    Examples
    --------
    >>> promo_terms("Use code MIA20 for 20% off! Link in bio")
    ['use code', '20% off', 'link in bio']
    >>> promo_terms("领券下单更优惠，链接在评论区")
    ['领券', '下单', '链接']
    """
    found = (" ".join(m.group().split()) for m in _PROMO.finditer(fold(caption)))
    return list(dict.fromkeys(found))


def _handle(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def _aware(moment: datetime) -> datetime:
    """Times without a zone are read as UTC, so that all of them compare."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class PostBrands(BaseModel):
    """The brand-related facts of one post."""

    model_config = ConfigDict(frozen=True)

    post_id: int
    posted_at: datetime | None = None
    caption: str = ""
    sponsor_handles: tuple[str, ...] = ()
    mentioned_handles: tuple[str, ...] = ()
    is_sponsored: bool = False

    @field_validator("sponsor_handles", "mentioned_handles")
    @classmethod
    def _handles(cls, handles: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h for h in map(_handle, handles) if h))

    @field_validator("posted_at")
    @classmethod
    def _zone(cls, posted_at: datetime | None) -> datetime | None:
        return None if posted_at is None else _aware(posted_at)


class Appearance(BaseModel):
    """One post a brand appears in, and how."""

    model_config = ConfigDict(frozen=True)

    post_id: int
    posted_at: datetime | None
    role: Role


class BrandAffinity(BaseModel):
    """A brand a creator has sponsored posts with, promoted or mentioned."""

    model_config = ConfigDict(frozen=True)

    brand: str
    names: tuple[str, ...] = ()
    relation: Literal["sponsorship", "mention"]
    posts: int
    sponsored_posts: int
    promoted_posts: int
    first_at: datetime | None
    last_at: datetime | None
    last_sponsored_at: datetime | None
    post_ids: tuple[int, ...]
    appearances: tuple[Appearance, ...]


def _name_pattern(handle: str, names: Sequence[str]) -> re.Pattern[str]:
    """The brand's handle and names as words (Chinese names as substrings), accents ignored."""
    return re.compile(trie_pattern({term_word(_plain(n)) for n in (handle, *names) if n.strip()}))


def _plain(text: str) -> str:
    """``text`` without accents (Lumière = Lumiere); Chinese is left as it is."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _roles(post: PostBrands, finders: Mapping[str, re.Pattern[str]]) -> dict[str, Role]:
    """Each brand of ``post`` and how it appears there."""
    caption = fold(_plain(post.caption))
    named = [*post.mentioned_handles, *mentions(post.caption),
             *(brand for brand, finder in finders.items() if finder.search(caption))]
    roles: dict[str, Role] = dict.fromkeys(post.sponsor_handles, "sponsored")
    if any(b not in roles for b in named):
        role: Role = ("sponsored" if post.is_sponsored else
                      "promoted" if promo_terms(post.caption) else "mentioned")
        roles.update((b, role) for b in named if b not in roles)
    return roles


def brand_affinity(posts: Iterable[PostBrands], *,
                   brand_names: Mapping[str, Sequence[str]] = _NO_NAMES) -> list[BrandAffinity]:
    """Every brand the posts name, past sponsorships first, then by posts.

    ``brand_names`` maps a brand's handle to names to find in captions (the handle itself is
    looked for too), e.g. ``{"lumierelab": ["Lumière Lab", "露米耶"]}``.

    Examples
    --------
    >>> posts = [PostBrands(post_id=1, caption="Glow with @lumierelab #ad", is_sponsored=True),
    ...          PostBrands(post_id=2, caption="露米耶 new serum, use code MIA")]
    >>> a = brand_affinity(posts, brand_names={"lumierelab": ["露米耶"]})[0]
    >>> a.brand, a.relation, a.sponsored_posts, a.promoted_posts
    ('lumierelab', 'sponsorship', 1, 1)
    """
    names = {_handle(h): tuple(n) for h, n in brand_names.items() if _handle(h)}
    finders = {h: _name_pattern(h, n) for h, n in names.items()}
    seen: dict[str, list[Appearance]] = {}
    for post in posts:
        for brand, role in _roles(post, finders).items():
            seen.setdefault(brand, []).append(
                Appearance(post_id=post.post_id, posted_at=post.posted_at, role=role))
    found = [_summary(brand, apps, names.get(brand, ())) for brand, apps in seen.items()]
    return sorted(found, key=lambda a: (a.relation != "sponsorship", -a.posts, a.brand))


def _summary(brand: str, appearances: list[Appearance], names: tuple[str, ...]
             ) -> BrandAffinity:
    apps = tuple(sorted(appearances, key=lambda a: (a.posted_at or _EARLIEST, a.post_id),
                        reverse=True))
    dated = [a.posted_at for a in apps if a.posted_at is not None]
    paid = [a for a in apps if a.role != "mentioned"]
    return BrandAffinity(
        brand=brand, names=names, relation="sponsorship" if paid else "mention",
        posts=len(apps), sponsored_posts=sum(a.role == "sponsored" for a in apps),
        promoted_posts=sum(a.role == "promoted" for a in apps),
        first_at=min(dated, default=None), last_at=max(dated, default=None),
        last_sponsored_at=max((a.posted_at for a in paid if a.posted_at), default=None),
        post_ids=tuple(a.post_id for a in apps[:MAX_POST_IDS]), appearances=apps)


class Conflict(BaseModel):
    """A competitor in the creator's recent posts: sponsored (hard) or only mentioned (soft)."""

    model_config = ConfigDict(frozen=True)

    competitor: str
    brand: str
    kind: Literal["sponsored", "mentioned"]
    last_at: datetime
    days_ago: int
    post_ids: tuple[int, ...]
    sentence: str


def _brand_key(value: str) -> str:
    """A handle or name reduced to its letters and digits: @Lumiere.Lab = Lumière Lab."""
    return "".join(c for c in fold(_plain(value)).lstrip("@") if c.isalnum())


def exclusivity_conflicts(affinities: Sequence[BrandAffinity], *, competitors: Sequence[str],
                          now: datetime, window_days: int) -> list[Conflict]:
    """The competitors sponsored, promoted or mentioned in the ``window_days`` before ``now``.

    A competitor matches a brand by handle or by one of its names, ignoring case, accents,
    ``@`` and punctuation. Hard conflicts come first, then the most recent.
    """
    if window_days < 1:
        raise InvalidInput("window_days must be at least 1", field="window_days")
    now = _aware(now)
    since = now - timedelta(days=window_days)
    conflicts: dict[str, Conflict] = {}
    for i, competitor in enumerate(competitors):
        key = _brand_key(competitor)
        if not key:
            raise InvalidInput("a competitor needs a handle or a name", field=f"competitors.{i}")
        for affinity in affinities:
            keys = {_brand_key(affinity.brand), *map(_brand_key, affinity.names)}
            if key in keys and affinity.brand not in conflicts:
                conflict = _conflict(affinity, competitor, since, now, window_days)
                if conflict is not None:
                    conflicts[affinity.brand] = conflict
    return sorted(conflicts.values(), key=lambda c: (c.kind != "sponsored", c.days_ago, c.brand))


def _conflict(affinity: BrandAffinity, competitor: str, since: datetime, now: datetime,
              window_days: int) -> Conflict | None:
    recent = [a for a in affinity.appearances
              if a.posted_at is not None and since <= a.posted_at <= now]
    paid = [a for a in recent if a.role != "mentioned"]
    chosen = paid or recent
    if not chosen:
        return None
    last = max(a.posted_at for a in chosen if a.posted_at is not None)
    days = (now - last).days
    n = len(chosen)
    posts = f"{n} post{'s' if n != 1 else ''}"
    when = (f"in the last {window_days} days, most recently {days} day"
            f"{'s' if days != 1 else ''} ago ({last:%Y-%m-%d})")
    sentence = (f"Competitor {competitor} ({affinity.brand}) was sponsored or promoted in "
                f"{posts} {when}." if paid else
                f"Competitor {competitor} ({affinity.brand}) was mentioned without sponsorship "
                f"in {posts} {when}.")
    return Conflict(competitor=competitor, brand=affinity.brand,
                    kind="sponsored" if paid else "mentioned", last_at=last, days_ago=days,
                    post_ids=tuple(a.post_id for a in chosen), sentence=sentence)


def affinity_signal(conflicts: Sequence[Conflict], *, posts_checked: int,
                    data_as_of: datetime | None, competitors_given: bool) -> Signal:
    """Exclusivity: fail on a competitor sponsored or promoted in the window, warn on one only
    mentioned there, ok otherwise; unknown when the campaign names no competitors.

    Examples
    --------
    >>> affinity_signal([], posts_checked=30, data_as_of=None, competitors_given=True).status
    'ok'
    """
    label = "Competitors in the exclusivity window"
    threshold = "fail: a competitor sponsored or promoted in the window; warn: one mentioned"
    if posts_checked < 0:
        raise InvalidInput("posts_checked must be >= 0", field="posts_checked")
    if not competitors_given or posts_checked == 0:
        return unknown("exclusivity", "values", label, threshold=threshold,
                       sample_size=posts_checked, note="no competitors were given"
                       if not competitors_given else "no posts to check")
    hard = [c.brand for c in conflicts if c.kind == "sponsored"]
    soft = [c.brand for c in conflicts if c.kind == "mentioned"]
    status, severity = (("fail", 1.0) if hard else ("warn", WARN_SEVERITY) if soft
                        else ("ok", 0.0))
    parts = [f"{len(hard)} sponsored ({', '.join(hard)})" if hard else "",
             f"{len(soft)} mentioned ({', '.join(soft)})" if soft else ""]
    return Signal(key="exclusivity", group="values", label=label,
                  value=float(len(hard) + len(soft)),
                  display="; ".join(p for p in parts if p) or "no competitor",
                  threshold=threshold, status=status, severity=severity,
                  sample_size=posts_checked, data_as_of=data_as_of,
                  evidence=[c.sentence for c in conflicts][:EVIDENCE])

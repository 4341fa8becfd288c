"""A synthetic sample world of creators, posts and interactions, streamed as import records.

Demos, tests and benchmarks need a world with every platform, tier and kind of creator, with
known ground truth (who bought followers, which posts are undisclosed ads), at any size. Nothing
is stored: every account is derived from ``(seed, index)``, so a commenter or a mentioned creator
is referenced by index and the world streams in constant memory. Instagram numbers are calibrated
to the real dataset; the method and figures are in ``docs/methods/synthetic-data.md``.
"""

from __future__ import annotations

import gzip
import math
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from statistics import NormalDist
from typing import IO, Any, NamedTuple

import orjson

from kolscope.adapters.sources import synthetic_text as txt
from kolscope.adapters.sources.generic import to_item
from kolscope.adapters.sources.synthetic_text import Dice
from kolscope.app.imports import Item
from kolscope.core.discovery.niches import NICHES
from kolscope.core.discovery.tiers import Tier, TierThresholds, tier_for
from kolscope.core.platforms import CHINESE_PLATFORMS, Platform, PostFormat
from kolscope.core.records import SourceLocation
from kolscope.core.text import mentions
from kolscope.errors import InvalidInput

GENERATOR_VERSION = "synthetic-1"
DEFAULT_NOW = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW = timedelta(days=180)

# Fitted on ../shared/datasets/instagram-influencers by benchmarks/calibrate_synth.py --fit.
# Followers: the empirical quantile function of influencers.tsv, (probability, log10 followers).
FOLLOWER_LOG10_QUANTILES = (
    (0.0, 3.0), (0.01, 3.028), (0.02, 3.052), (0.05, 3.132), (0.1, 3.273), (0.2, 3.56),
    (0.3, 3.823), (0.4, 4.041), (0.5, 4.21), (0.6, 4.397), (0.7, 4.612), (0.8, 4.876), (0.9, 5.257),
    (0.95, 5.619), (0.97, 5.864), (0.98, 6.039), (0.99, 6.308), (0.995, 6.583), (0.999, 7.065),
    (1.0, 7.908))
FOLLOWING_MEDIAN, FOLLOWING_LOG_SD = 974.0, 1.085
POSTS_MEDIAN, POSTS_LOG_SD = 935.0, 0.818
# Median (likes + comments) / followers per post at (log10 followers) knots: the medians of follower
# bands 1K-2K, 2K-5K, 5K-20K, 20K-50K, 50K-200K, 200K-1M and 1M+. The first knot (400 followers) is
# extrapolated from the first two, since the real list has no account under 1,000 followers.
ER_KNOTS = ((2.602, 0.078), (3.145, 0.05), (3.506, 0.0372), (4.042, 0.0319), (4.483, 0.0271),
            (4.947, 0.0245), (5.55, 0.0235), (6.261, 0.0234))
# Spread of log engagement rate around that trend: between accounts, between one account's posts
# and in all.
ER_ACCOUNT_LOG_SD, ER_POST_LOG_SD, ER_TOTAL_LOG_SD = 0.734, 0.522, 0.901
# ln(comments / likes) per post (both non-zero) = intercept + slope * log10(followers), and the
# spread around it (IQR / 1.349): big audiences comment less per like.
COMMENT_RATIO_LOG = (-0.4395, -0.7228)
COMMENT_RATIO_LOG_SD = 0.978

# Assumptions, not measurements: each platform relative to Instagram (documented in the doc).
AUDIENCE_SCALE = {"instagram": 1.0, "tiktok": 1.3, "youtube": 0.6, "x": 0.5, "linkedin": 0.2,
                  "podcast": 0.1, "blog": 0.08, "weibo": 1.2, "wechat": 0.25, "douyin": 1.6,
                  "xiaohongshu": 0.4, "bilibili": 0.5}
ENGAGEMENT_SCALE = {"instagram": 1.0, "tiktok": 1.6, "youtube": 0.6, "x": 0.25, "linkedin": 0.5,
                    "podcast": 0.15, "blog": 0.1, "weibo": 0.3, "wechat": 0.2, "douyin": 1.6,
                    "xiaohongshu": 1.0, "bilibili": 0.9}
POSTS_SCALE = {"instagram": 1.0, "tiktok": 0.6, "youtube": 0.15, "x": 5.0, "linkedin": 0.2,
               "podcast": 0.1, "blog": 0.2, "weibo": 3.0, "wechat": 0.3, "douyin": 0.6,
               "xiaohongshu": 0.4, "bilibili": 0.15}
RATE_SCALE = {"youtube": 2.0, "linkedin": 1.5, "podcast": 1.5, "x": 0.5, "wechat": 1.5}
VIEWS_PER_LIKE = {PostFormat.SHORT_VIDEO: 12.0, PostFormat.VIDEO: 25.0, PostFormat.LIVE_STREAM: 8.0,
                  PostFormat.PODCAST_EPISODE: 30.0, PostFormat.ARTICLE: 40.0}
SHARES_PER_LIKE = {"tiktok": 0.06, "douyin": 0.06, "weibo": 0.25, "x": 0.2, "bilibili": 0.04,
                   "wechat": 0.15, "linkedin": 0.05}
SAVES_PER_LIKE = {"xiaohongshu": 0.45, "bilibili": 0.2}
_F = PostFormat
FORMATS: dict[str, tuple[tuple[PostFormat, ...], tuple[float, ...]]] = {
    "instagram": ((_F.IMAGE, _F.CAROUSEL, _F.SHORT_VIDEO), (60, 85, 100)),
    "tiktok": ((_F.SHORT_VIDEO, _F.LIVE_STREAM), (97, 100)),
    "douyin": ((_F.SHORT_VIDEO, _F.LIVE_STREAM), (88, 100)),
    "youtube": ((_F.VIDEO, _F.SHORT_VIDEO, _F.LIVE_STREAM), (80, 95, 100)),
    "bilibili": ((_F.VIDEO, _F.LIVE_STREAM), (90, 100)),
    "xiaohongshu": ((_F.IMAGE, _F.CAROUSEL, _F.SHORT_VIDEO), (45, 90, 100)),
    "weibo": ((_F.IMAGE, _F.SHORT_VIDEO), (80, 100)), "wechat": ((_F.ARTICLE,), (1,)),
    "x": ((_F.IMAGE, _F.VIDEO), (85, 100)), "linkedin": ((_F.ARTICLE, _F.IMAGE), (50, 100)),
    "podcast": ((_F.PODCAST_EPISODE,), (1,)), "blog": ((_F.ARTICLE,), (1,)),
}
WEST = {"instagram": 30, "tiktok": 22, "youtube": 18, "x": 10, "linkedin": 6, "podcast": 5,
        "blog": 9}
CHINA = {"weibo": 20, "wechat": 12, "douyin": 28, "xiaohongshu": 25, "bilibili": 15}
_AFFINITY = {("linkedin", "business finance technology education"): 4.0,
             ("podcast", "business finance education entertainment health"): 3.0,
             ("blog", "food travel home photography outdoors"): 3.0,
             ("bilibili", "gaming technology education entertainment"): 2.0,
             ("xiaohongshu", "beauty fashion travel food home parenting"): 2.0}
NICHE_WEIGHTS = {"fashion": 12, "beauty": 10, "lifestyle": 8, "food": 8, "travel": 7, "fitness": 6,
                 "technology": 6, "parenting": 5, "gaming": 5, "entertainment": 5, "health": 4,
                 "home": 4, "finance": 3, "education": 3, "pets": 3, "photography": 3,
                 "business": 3, "sports": 3, "luxury": 2, "automotive": 2, "outdoors": 2,
                 "other": 2}
COUNTRIES = {"west": (("US", "GB", "CA", "AU", "IN", "DE", "FR", "ES", "NL", "BR", "MX", "PH",
                       "NG", "ZA"), (34, 46, 52, 58, 66, 70, 74, 77, 79, 83, 86, 89, 91, 94)),
             "china": (("CN", "SG", "MY"), (90, 95, 100))}
CHINA_SHARE, KOC_SHARE, EXPERT_SHARE, CROSS_FAMILY = 0.3, 0.15, 0.10, 0.1
BUYER_SHARE = 0.61  # share of accounts that may buy followers (not KOCs, 2,000 followers or more)
_BLOCK, _SLOTS, _FARMS = 4, 128, 64
_SIZES = (55.0, 85.0, 100.0)  # creators with 1, 2 or 3 accounts (running totals)
_STREAM_BLOCK, _STREAM_ACCOUNT, _STREAM_POSTS, _STREAM_TABLE, _STREAM_FOLLOWERS = 1, 2, 3, 4, 5
_STREAM_PROFILE = 6
# Even an honest account draws some bot followers; a buyer's sample is mostly bots.
HONEST_BOT_FOLLOWERS = 0.04
_NORMAL = NormalDist()
_THRESHOLDS = TierThresholds()
_NICHE_KEYS = tuple(NICHE_WEIGHTS)


@dataclass(frozen=True, slots=True)
class _Creator:
    first: int
    platforms: tuple[str, ...]
    niche: str
    family: str
    kind: str
    clout: float
    country: str
    name: str
    name_zh: str
    stem: str
    credential: tuple[str, str] | None

    @property
    def authority(self) -> float:
        """How much peers in the niche cite this creator: experts and large audiences first."""
        return {"expert": 0.5 + 0.5 * self.clout, "koc": 0.2 * self.clout}.get(self.kind,
                                                                               self.clout)


@dataclass(frozen=True, slots=True)
class SyntheticAccount:
    """One account of the world with its ground truth; the truth never enters the records."""

    index: int
    creator_key: str
    platform: Platform
    handle: str
    display_name: str
    bio: str
    niche: str
    kind: str  # "influencer", "expert" or "koc"
    credential: str | None
    tier: Tier
    followers: int  # as displayed
    true_followers: int  # the real audience; far lower when followers were bought
    bought_followers: bool
    following: int
    posts_count: int
    is_verified: bool
    language: str
    country: str
    authority: float
    engagement_rate: float  # median (likes + comments) per post per real follower
    rate: tuple[str, str] | None  # (amount, ISO currency) per post


@dataclass(frozen=True, slots=True)
class Actor:
    """Who a handle in the world is: a creator account, an audience member, a bot or a brand."""

    kind: str
    index: int


class PostTruth(NamedTuple):
    """What a post really is: its style and whether it is a disclosed or undisclosed ad."""

    post_id: str
    style: str
    sponsorship: str  # "none", "disclosed" or "undisclosed"
    brand: str | None


def _key(seed: int, stream: int, index: int) -> int:
    return (seed << 96) | (stream << 64) | index


def _cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return tuple(out)


def follower_quantile(u: float) -> float:
    """Followers at quantile ``u`` of the real Instagram influencers (log-linear between knots)."""
    probs = [p for p, _ in FOLLOWER_LOG10_QUANTILES]
    k = min(max(bisect(probs, u), 1), len(probs) - 1)
    (p0, q0), (p1, q1) = FOLLOWER_LOG10_QUANTILES[k - 1], FOLLOWER_LOG10_QUANTILES[k]
    return float(10 ** (q0 + (q1 - q0) * (min(max(u, p0), p1) - p0) / (p1 - p0)))


def median_engagement(followers: int) -> float:
    """Median (likes + comments) per follower per Instagram post for an audience of ``followers``
    (log-linear between the fitted knots, flat beyond them)."""
    x = math.log10(max(followers, 1))
    k = min(max(bisect([p for p, _ in ER_KNOTS], x), 1), len(ER_KNOTS) - 1)
    (x0, y0), (x1, y1) = ER_KNOTS[k - 1], ER_KNOTS[k]
    return y0 + (y1 - y0) * (min(max(x, x0), x1) - x0) / (x1 - x0)


def _round_fee(x: float) -> str:
    digits = max(0, len(str(int(x))) - 2)
    return str(max(10, int(round(x, -digits))))


SPONSORED_SHARE = {Tier.NANO: 0.02, Tier.MICRO: 0.06, Tier.MID: 0.09, Tier.MACRO: 0.11,
                   Tier.CELEBRITY: 0.11}
VERIFIED_SHARE = {Tier.NANO: 0.01, Tier.MICRO: 0.01, Tier.MID: 0.05, Tier.MACRO: 0.25,
                  Tier.CELEBRITY: 0.6}


class _Style(NamedTuple):
    name: str  # a caption style of synthetic_text.CAPTIONS
    brand: txt.Brand
    label: bool  # carries the platform's paid-partnership label
    sponsorship: str


@cache
def _platform_weights(family: str, niche: str, kind: str) -> tuple[tuple[str, ...],
                                                                   tuple[float, ...]]:
    weights: dict[str, float] = dict(WEST if family == "west" else CHINA)
    for (platform, niches), factor in _AFFINITY.items():
        if platform in weights and niche in niches.split():
            weights[platform] *= factor
    if kind == "koc":
        weights = {p: w * (2.0 if p in ("instagram", "tiktok", "douyin", "xiaohongshu") else 0.3)
                   for p, w in weights.items()}
    return tuple(weights), _cumulative(list(weights.values()))


def _handle(stem: str, index: int) -> str:
    """A creator account's handle: the creator's stem and the account's index, ``miaglow.2bx``."""
    return f"{stem}.{txt.b36(index)}"


def _time(ts: float) -> datetime:
    return datetime.fromtimestamp(int(ts), UTC)


def _rate(dice: Dice, platform: str, followers: int, kind: str) -> tuple[str, str] | None:
    """A quoted fee per post: about 20 USD per thousand followers, sub-linear, by platform."""
    quoted, noise = dice.chance(0.6), dice.lognormal(1.0, 0.35)
    if kind == "koc" or not quoted:
        return None
    usd = 20.0 * (followers / 1000) ** 0.9 * RATE_SCALE.get(platform, 1.0) * noise
    if platform in CHINESE_PLATFORMS:
        return _round_fee(usd * 7.2), "CNY"
    return _round_fee(usd), "USD"


class SyntheticWorld:
    """A deterministic, streamed world of creators: a :class:`RecordSource` of kind ``synthetic``.

    Parameters
    ----------
    accounts : number of creator accounts (each followed by its recent posts)
    seed : the world's seed (a non-negative integer); the same seed gives the same records
    now : the world's present; posts fall in the 180 days before it
    posts_per_account : mean number of recent posts streamed per account
    max_comments_per_post : comments carried per post (the count itself is not capped)
    bought_share : share of accounts that bought followers
    audience_per_account : audience members per account, who write the comments
    follower_sample : followers sampled per account, each with a profile (bots among them)

    Progress is counted in accounts: ``size()`` is ``accounts`` and ``position()`` how many
    have been generated.
    """

    kind = "synthetic"

    def __init__(self, *, accounts: int = 600, seed: int = 7, now: datetime = DEFAULT_NOW,
                 posts_per_account: float = 4.0, max_comments_per_post: int = 8,
                 bought_share: float = 0.05, audience_per_account: int = 20,
                 follower_sample: int = 25) -> None:
        if accounts < 0 or seed < 0 or posts_per_account < 1 or max_comments_per_post < 0:
            raise InvalidInput("accounts, seed and max_comments_per_post must be non-negative "
                               "and posts_per_account at least 1")
        if now.tzinfo is None:
            raise InvalidInput("now must be timezone-aware", field="now")
        self.accounts, self.seed, self.now = accounts, seed, now.astimezone(UTC)
        self.posts_per_account = posts_per_account
        self.max_comments_per_post = max_comments_per_post
        self.bought_share = bought_share
        self.follower_sample = max(0, follower_sample)
        self.label = f"synthetic:seed={seed},accounts={accounts}"
        self._done = 0
        self._blocks = -(-accounts // _BLOCK)
        self._cycles = max(1, -(-self._blocks // _SLOTS))
        self._table, self._residues = self._slot_table()
        self._fans = max(50, audience_per_account * accounts // len(_NICHE_KEYS))
        self._bots = max(20, accounts // (2 * _FARMS))
        self._now_ts = self.now.timestamp()
        # The fitted medians describe a population that includes its buyers; lift the honest
        # accounts among those that may buy so the median of all stays at the fitted one.
        buyers = min(bought_share / BUYER_SHARE, 0.9)
        self._uplift = math.exp(ER_TOTAL_LOG_SD * _NORMAL.inv_cdf(0.5 / (1 - buyers)))
        self._block = lru_cache(maxsize=128)(self._make_block)
        self._account = lru_cache(maxsize=256)(self._make_account)

    # -- the RecordSource protocol ------------------------------------------------------------
    def size(self) -> int:
        return self.accounts

    def position(self) -> int:
        return self._done

    def read(self) -> Iterator[Item]:
        """Each account's record followed by its posts', validated by the generic schema."""
        for line, row in enumerate(self.rows(), start=1):
            yield to_item(row, None, SourceLocation(file=self.label, line=line))

    def rows(self) -> Iterator[dict[str, Any]]:
        """The world as rows of the generic JSONL schema: an account, its posts, then a sample
        of its followers."""
        self._done = 0
        for index in range(self.accounts):
            account = self.account(index)
            self._done = index + 1
            yield self._account_row(account)
            for row, _ in self._posts(account):
                yield row
            yield from self._follower_sample(account)

    # -- ground truth and lookups -------------------------------------------------------------
    def account(self, index: int) -> SyntheticAccount:
        """The account at ``index`` with its ground truth; the same on every run."""
        if not 0 <= index < self.accounts:
            raise InvalidInput(f"no account {index} in a world of {self.accounts}", field="index")
        return self._account(index)

    def has_bought_followers(self, index: int) -> bool:
        """Whether account ``index`` shows bought followers (its real audience is far smaller)."""
        return self.account(index).bought_followers

    def post_truth(self, index: int) -> list[PostTruth]:
        """What each post of account ``index`` really is (sponsorship, style and brand)."""
        return [truth for _, truth in self._posts(self.account(index))]

    def audience_handle(self, platform: str, member: int) -> str:
        """The handle of audience member ``member`` on ``platform``."""
        return txt.fan_handle(self.seed, member, zh=platform in CHINESE_PLATFORMS)

    def bot_handle(self, platform: str, bot: int) -> str:
        """The handle of bot ``bot`` (of farm ``bot % 64``) on ``platform``."""
        return txt.bot_handle(self.seed, bot, zh=platform in CHINESE_PLATFORMS)

    def resolve(self, platform: str, handle: str) -> Actor | None:
        """Who ``handle`` on ``platform`` is in this world, or ``None`` when nobody is."""
        h = handle.casefold()
        if h in txt.BRAND_INDEX:
            return Actor("brand", txt.BRAND_INDEX[h])
        digits = len(h) - len(h.rstrip("0123456789"))
        candidates = (("creator", h.rpartition(".")[2], 36), ("audience", h.rpartition("_")[2], 36),
                      ("bot", h[len(h) - digits:] if digits else "", 10))
        for kind, tail, base in candidates:
            try:
                number = int(tail, base) - (10_000_000 if kind == "bot" else 0)
            except ValueError:
                continue
            if number >= 0 and self._handle_of(kind, platform, number) == h:
                return Actor(kind, number)
        return None

    def _handle_of(self, kind: str, platform: str, number: int) -> str | None:
        if kind == "creator":
            if number >= self.accounts or self.account(number).platform != platform:
                return None
            return self.account(number).handle
        if kind == "audience":
            limit = self._fans * len(_NICHE_KEYS)
            return self.audience_handle(platform, number) if number < limit else None
        return self.bot_handle(platform, number) if number < _FARMS * self._bots else None

    # -- structure: blocks of four account slots, each block a niche community --------------------
    def _slot_table(self) -> tuple[tuple[tuple[str, str], ...], dict[tuple[str, str],
                                                                      tuple[int, ...]]]:
        """Blocks cycle through 128 (niche, family) slots, shuffled by seed, so the creators of a
        niche can be found by arithmetic instead of by a stored index."""
        shares = {(n, f): w * (CHINA_SHARE if f == "china" else 1 - CHINA_SHARE)
                  for n, w in NICHE_WEIGHTS.items() for f in ("west", "china")}
        spare, total = _SLOTS - len(shares), sum(shares.values())
        quota = {k: 1 + int(spare * w / total) for k, w in shares.items()}
        by_remainder = sorted(shares, key=lambda k: spare * shares[k] / total % 1, reverse=True)
        for k in by_remainder[: _SLOTS - sum(quota.values())]:
            quota[k] += 1
        table = [k for k, q in quota.items() for _ in range(q)]
        dice = Dice(_key(self.seed, _STREAM_TABLE, 0))
        for i in range(len(table) - 1, 0, -1):
            j = dice.below(i + 1)
            table[i], table[j] = table[j], table[i]
        residues = {k: tuple(i for i, slot in enumerate(table) if slot == k) for k in quota}
        return tuple(table), residues

    def _make_block(self, block: int) -> tuple[_Creator, ...]:
        dice = Dice(_key(self.seed, _STREAM_BLOCK, block))
        niche, family = self._table[block % _SLOTS]
        creators, first, end = [], block * _BLOCK, (block + 1) * _BLOCK
        while first < end:
            size = min(end - first, 1 + dice.weighted(_SIZES))
            creators.append(self._creator(dice, first, size, niche, family))
            first += size
        return tuple(creators)

    def _creator(self, dice: Dice, first: int, size: int, niche: str, family: str) -> _Creator:
        vocab, r = txt.VOCAB[niche], dice.u()
        kind = ("koc" if r < KOC_SHARE else "expert"
                if r < KOC_SHARE + EXPERT_SHARE and vocab.credentials else "influencer")
        credential = dice.pick(vocab.credentials) if vocab.credentials else None
        credential = credential if kind == "expert" else None
        given, last, nick = dice.pick(txt.FIRST), dice.pick(txt.LAST), dice.below(len(txt.PINYIN))
        names, weights = COUNTRIES[family]
        country = names[dice.weighted(weights)]
        platforms: list[str] = []
        for slot in range(size):
            fam = family if slot == 0 or not dice.chance(CROSS_FAMILY) else (
                "west" if family == "china" else "china")
            options, cumulative = _platform_weights(fam, niche, kind)
            for _ in range(8):
                if (pick := options[dice.weighted(cumulative)]) not in platforms:
                    break
            else:
                pick = next(p for p in (*options, *WEST, *CHINA) if p not in platforms)
            platforms.append(pick)
        name, name_zh, stem = txt.names(kind, credential, given, last, nick, niche, family)
        return _Creator(first, tuple(platforms), niche, family, kind, dice.u(), country, name,
                        name_zh, stem, credential)

    def _creator_of(self, index: int) -> _Creator:
        for creator in self._block(index // _BLOCK):
            if creator.first <= index < creator.first + len(creator.platforms):
                return creator
        raise AssertionError(f"account {index} is in no creator")  # pragma: no cover

    def _followers(self, dice: Dice, creator: _Creator, slot: int, platform: str) -> int:
        """Followers at a quantile of the Instagram influencers: the creator's clout for its first
        account, a correlated one for the others, so every account's marginal stays calibrated."""
        z, nano, u = dice.normal(), dice.chance(0.08), dice.u()
        if creator.kind == "koc":
            return max(5, round(10 ** (1.5 + 1.5 * u) * (0.5 if slot else 1.0)))
        if nano:
            return round(10 ** (2.3 + 0.7 * u))
        clout = min(max(creator.clout, 1e-9), 1 - 1e-9)
        if slot:
            clout = _NORMAL.cdf(0.7 * _NORMAL.inv_cdf(clout) + 0.714 * z)
        return max(1, round(follower_quantile(clout) * AUDIENCE_SCALE[platform]))

    def _make_account(self, index: int) -> SyntheticAccount:
        creator = self._creator_of(index)
        platform = Platform(creator.platforms[index - creator.first])
        dice = Dice(_key(self.seed, _STREAM_ACCOUNT, index))
        followers = self._followers(dice, creator, index - creator.first, platform)
        bought = dice.chance(self.bought_share / BUYER_SHARE) and followers >= 2000 and (
            creator.kind != "koc")
        inflation = max(3.0, dice.lognormal(8.0, 0.5))
        true_followers = max(1, round(followers / inflation)) if bought else followers
        tier = tier_for(followers, _THRESHOLDS)
        assert tier is not None
        zh = platform in CHINESE_PLATFORMS or creator.family == "china"
        handle = _handle(creator.stem, index)
        credential = creator.credential[1 if zh else 0] if creator.credential else None
        niche_label = NICHES[creator.niche].label_zh if zh else NICHES[creator.niche].label.lower()
        return SyntheticAccount(
            index=index, creator_key=f"syn-{txt.b36(creator.first)}", platform=platform,
            handle=handle, display_name=creator.name_zh if zh else creator.name,
            bio=txt.bio(dice, creator.kind, niche_label, txt.VOCAB[creator.niche], zh,
                        credential=credential or "", handle=handle),
            niche=creator.niche, kind=creator.kind, credential=credential, tier=tier,
            followers=followers, true_followers=true_followers, bought_followers=bought,
            following=min(7500, round(dice.lognormal(FOLLOWING_MEDIAN, FOLLOWING_LOG_SD))),
            posts_count=max(12, round(dice.lognormal(POSTS_MEDIAN, POSTS_LOG_SD)
                                      * POSTS_SCALE[platform] * (0.2 if creator.kind == "koc"
                                                                 else 1.0))),
            is_verified=dice.chance(VERIFIED_SHARE[tier]), language="zh" if zh else "en",
            country=creator.country, authority=creator.authority,
            engagement_rate=median_engagement(true_followers) * ENGAGEMENT_SCALE[platform]
            * (self._uplift if followers >= 2000 and not bought else 1.0)
            * dice.lognormal(1.0, ER_ACCOUNT_LOG_SD),
            rate=_rate(dice, platform, followers, creator.kind))

    # -- who interacts: peers by authority, the niche's audience, bot farms ----------------------
    def _peer(self, dice: Dice, account: SyntheticAccount, blocks: int) -> str | None:
        """The handle of another creator's account on the same platform and niche: the most
        authoritative one found in ``blocks`` sampled blocks of the niche (twice as many when the
        first find none), so authorities are cited by their peers far more often."""
        family = "china" if account.platform in CHINESE_PLATFORMS else "west"
        residues = self._residues[(account.niche, family)]
        best: tuple[float, int, str] | None = None
        for tried in range(2 * blocks):
            if tried == blocks and best is not None:
                break
            block = dice.pick(residues) + _SLOTS * dice.below(self._cycles)
            for c in self._block(block) if block < self._blocks else ():
                if account.platform not in c.platforms or (
                        c.first <= account.index < c.first + len(c.platforms)):
                    continue
                index = c.first + c.platforms.index(account.platform)
                if index < self.accounts and (best is None or c.authority > best[0]):
                    best = (c.authority, index, c.stem)
        return _handle(best[2], best[1]) if best else None

    def _fan(self, dice: Dice, account: SyntheticAccount) -> str:
        """An audience member of the niche; a few fans write most comments (a skewed draw)."""
        rank = int(self._fans * dice.u() ** 3)
        return self.audience_handle(account.platform,
                                    rank * len(_NICHE_KEYS) + _NICHE_KEYS.index(account.niche))

    # -- follower samples -------------------------------------------------------------------
    def _follower_sample(self, account: SyntheticAccount) -> Iterator[dict[str, Any]]:
        """A sample of the account's followers: its audience, and bots in the share that bought
        followers make up (1 - real / displayed), a few for honest accounts too."""
        dice = Dice(_key(self.seed, _STREAM_FOLLOWERS, account.index))
        bots = (1.0 - account.true_followers / account.followers if account.bought_followers
                else HONEST_BOT_FOLLOWERS)
        farm = txt.mix(self.seed, account.index) % _FARMS
        seen: set[str] = set()
        for _ in range(self.follower_sample):
            bot = dice.chance(bots)
            handle = (self.bot_handle(account.platform, farm + _FARMS * dice.below(self._bots))
                      if bot else self._fan(dice, account))
            if handle in seen or handle == account.handle:
                continue
            seen.add(handle)
            yield {"type": "follower", "platform": account.platform.value,
                   "handle": account.handle, "observed_at": _time(self._now_ts),
                   "follower": {"handle": handle, **self._member_profile(handle, bot=bot)}}

    def _member_profile(self, handle: str, *, bot: bool) -> dict[str, Any]:
        """A follower's profile, the same wherever it appears: bots follow thousands, post
        nothing and rarely have a picture or bio."""
        dice = Dice(_key(self.seed, _STREAM_PROFILE, txt.mix(*handle.encode())))
        if bot:
            return {"followers": dice.poisson(12), "following": 1_000 + dice.below(6_500),
                    "posts": dice.below(3), "profile_pic": dice.chance(0.3),
                    "private": dice.chance(0.1), "bio": "" if dice.chance(0.85) else "follow me"}
        return {"followers": round(dice.lognormal(300, 1.1)),
                "following": round(dice.lognormal(380, 0.7)),
                "posts": round(dice.lognormal(70, 1.1)), "profile_pic": dice.chance(0.95),
                "private": dice.chance(0.35),
                "bio": "" if dice.chance(0.4) else "coffee, books and weekend trips"}

    # -- posts, their engagement and comments -------------------------------------------------
    def _posts(self, account: SyntheticAccount) -> Iterator[tuple[dict[str, Any], PostTruth]]:
        dice = Dice(_key(self.seed, _STREAM_POSTS, account.index))
        cadence = 0.5 if account.platform in ("podcast", "blog") else 1.0
        n = min(account.posts_count, 1 + dice.poisson((self.posts_per_account - 1) * cadence))
        ages = sorted(dice.u() * WINDOW.total_seconds() for _ in range(n))
        for j, age in enumerate(ages):
            yield self._post(dice, account, j, self._now_ts - age)

    def _style(self, dice: Dice, account: SyntheticAccount) -> _Style:
        """Sponsored (tagged, labelled, both or neither: undisclosed), a KOC's own review, an
        expert's explainer or a regular post."""
        brand = dice.pick(txt.BRANDS[account.niche])
        r, tagged, labelled = dice.u(), dice.chance(0.75), dice.chance(0.35)
        share = SPONSORED_SHARE[account.tier] * (0.6 if account.kind == "expert" else 1.0)
        if account.kind != "koc" and r < share:
            return _Style("sponsored" if tagged else "undisclosed", brand, labelled,
                          "disclosed" if tagged or labelled else "undisclosed")
        if account.kind in ("koc", "expert") and dice.chance(0.7 if account.kind == "koc" else 0.6):
            return _Style(account.kind, brand, False, "none")
        return _Style("regular", brand, False, "none")

    def _post(self, dice: Dice, account: SyntheticAccount, j: int, ts: float
              ) -> tuple[dict[str, Any], PostTruth]:
        zh, vocab = account.language == "zh", txt.VOCAB[account.niche]
        formats, cumulative = FORMATS[account.platform]
        fmt = formats[dice.weighted(cumulative)]
        style = self._style(dice, account)
        people = [peer] if dice.chance(0.15) and (peer := self._peer(dice, account, 3)) else []
        people += [self._fan(dice, account)] if dice.chance(0.3) else []
        post_id = f"syn-{txt.b36(account.index)}-{j}"
        row: dict[str, Any] = {
            "type": "post", "platform": account.platform.value, "post_id": post_id,
            "handle": account.handle, "format": fmt.value, "posted_at": _time(ts),
            "url": f"{self._url(account)}/p/{post_id}",
            "caption": txt.caption(dice, style.name, vocab, zh, brand=style.brand,
                                   credential=account.credential or "", mentions=people),
            "paid_partnership": style.label,
            "sponsors": [style.brand.handle] if style.label else [],
            "tagged": self._tags(dice, account, style)}
        if account.platform == "instagram" and fmt in (PostFormat.IMAGE, PostFormat.CAROUSEL):
            row["image_description"] = f"Photo of a {dice.pick(vocab.products)}"
        if account.niche in ("travel", "food", "outdoors") and dice.chance(0.5):
            row["location"] = dice.pick(txt.CITIES_ZH if zh else txt.CITIES)
        bots = self._engagement(dice, account, fmt, row)
        row["comments"] = self._comments(dice, account, post_id, ts, row["comments_count"], bots)
        row["author"] = {"platform": account.platform.value, "handle": account.handle,
                         "creator": account.creator_key}
        sponsored = style.sponsorship != "none"
        return row, PostTruth(post_id, style.name, style.sponsorship,
                              style.brand.handle if sponsored else None)

    def _tags(self, dice: Dice, account: SyntheticAccount, style: _Style) -> list[str]:
        """Tagged accounts: the brand of a product post, sometimes a peer or a friend."""
        brand_p = {"sponsored": 0.7, "undisclosed": 0.5, "koc": 0.3}.get(style.name, 0.2)
        tags = [style.brand.handle] if dice.chance(brand_p) else []
        if dice.chance(0.12) and (peer := self._peer(dice, account, 3)):
            tags.append(peer)
        if dice.chance(0.35):
            tags.append(self._fan(dice, account))
        return list(dict.fromkeys(tags))

    def _engagement(self, dice: Dice, account: SyntheticAccount, fmt: PostFormat,
                    row: dict[str, Any]) -> int:
        """Likes, comments and views from the real audience; returns the bot comments among them.

        Bought followers add nothing but bot comments, so their engagement rate falls."""
        total = account.engagement_rate * account.true_followers * dice.lognormal(1.0,
                                                                                  ER_POST_LOG_SD)
        intercept, slope = COMMENT_RATIO_LOG
        ratio = dice.lognormal(math.exp(intercept + slope * math.log10(account.true_followers)),
                               COMMENT_RATIO_LOG_SD)
        comments = dice.poisson(total * ratio / (1 + ratio))
        likes = dice.poisson(total / (1 + ratio))
        bots = (dice.poisson(3 + 0.5 * comments) if account.bought_followers
                else dice.poisson(0.01 * comments))
        comments += bots if account.bought_followers else 0
        row["likes"], row["comments_count"] = likes, comments
        spread = dice.lognormal(1.0, 0.5)
        if fmt in VIEWS_PER_LIKE:
            row["views"] = max(likes + comments, round(likes * VIEWS_PER_LIKE[fmt] * spread))
        if account.platform in SHARES_PER_LIKE:
            row["shares"] = round(likes * SHARES_PER_LIKE[account.platform] * spread)
        if account.platform in SAVES_PER_LIKE:
            row["saves"] = round(likes * SAVES_PER_LIKE[account.platform] * spread)
        return min(bots, comments)

    def _comments(self, dice: Dice, account: SyntheticAccount, post_id: str, ts: float,
                  count: int, bots: int) -> list[dict[str, Any]]:
        """The comments a post carries (up to ``max_comments_per_post``): bots in their share,
        peers more often on authorities' posts, the niche's audience otherwise."""
        zh, vocab = account.language == "zh", txt.VOCAB[account.niche]
        bot_share, peer_share = bots / count if count else 0.0, 0.02 + 0.3 * account.authority ** 2
        farm = txt.mix(self.seed, account.index) % _FARMS
        out = []
        for k in range(min(count, self.max_comments_per_post)):
            r, author = dice.u(), None
            kind = "bot" if r < bot_share else "peer" if r < bot_share + peer_share else "audience"
            if kind == "bot":
                author = self.bot_handle(account.platform, farm + _FARMS * dice.below(self._bots))
            elif kind == "peer":
                author = self._peer(dice, account, 1)
            if author is None:
                kind, author = "audience", self._fan(dice, account)
            delay = -math.log(1.0 - dice.u()) * 6 * 3600
            out.append({"comment_id": f"{post_id}-{k}", "author": author,
                        "text": txt.comment(dice, kind, vocab, zh),
                        "created_at": _time(min(self._now_ts, ts + delay)),
                        "likes": dice.poisson(0.3 if kind == "bot" else 2.0)})
        return out

    def _account_row(self, a: SyntheticAccount) -> dict[str, Any]:
        row: dict[str, Any] = {
            "type": "account", "platform": a.platform.value, "handle": a.handle,
            "display_name": a.display_name, "bio": a.bio, "url": self._url(a),
            "followers": a.followers, "following": a.following, "posts": a.posts_count,
            "verified": a.is_verified, "private": False, "niche": a.niche,
            "language": a.language, "country": a.country, "creator": a.creator_key}
        if a.rate is not None:
            row["rate"], row["rate_currency"] = a.rate
        return row

    @staticmethod
    def _url(account: SyntheticAccount) -> str:
        return f"https://synthetic.example/{account.platform.value}/{account.handle}"


def write_generic_jsonl(world: SyntheticWorld, path: Path) -> dict[str, int]:
    """Stream ``world`` to ``path`` in the generic JSONL schema (gzip when it ends in ``.gz``).

    Returns the counts written: accounts, posts, comments, tags, mentions (in captions), sponsors,
    followers (sampled), and interactions (comments + tags + mentions).
    """
    counts = dict.fromkeys(("accounts", "posts", "comments", "tags", "mentions", "sponsors",
                            "followers"), 0)
    out: IO[bytes]
    with (gzip.open(path, "wb", compresslevel=6) if path.name.endswith(".gz")  # type: ignore[assignment]
          else path.open("wb")) as out:
        buffer: list[bytes] = []
        for row in world.rows():
            buffer.append(orjson.dumps(row, option=orjson.OPT_UTC_Z | orjson.OPT_APPEND_NEWLINE))
            if row["type"] == "account":
                counts["accounts"] += 1
            elif row["type"] == "follower":
                counts["followers"] += 1
            else:
                counts["posts"] += 1
                counts["comments"] += len(row["comments"])
                counts["tags"] += len(row["tagged"])
                counts["mentions"] += len(mentions(row["caption"]))
                counts["sponsors"] += len(row["sponsors"])
            if len(buffer) >= 512:
                out.write(b"".join(buffer))
                buffer.clear()
        out.write(b"".join(buffer))
    counts["interactions"] = counts["comments"] + counts["tags"] + counts["mentions"]
    return counts

"""KOL typing: expert KOL, celebrity, influencer or KOC (key opinion consumer), with reasons.

An explainable rule model (``docs/methods/kol-types.md``): every type has a few conditions, each
with a documented weight; a type's score is the sum of the weights of its conditions that are met;
the highest-scoring type wins, ties broken in the order expert > celebrity > influencer > koc.
Signals that are unknown (``None``) contribute 0 rather than being guessed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kolscope.core.discovery.credentials import claimed_credentials, detect_credentials

__all__ = [
    "KOL_TYPE_METHOD_VERSION",
    "TIE_ORDER",
    "WEIGHTS",
    "KolSignals",
    "KolThresholds",
    "KolType",
    "KolTyping",
    "Reason",
    "classify_kol",
    "detect_credentials",
    "review_share",
]

KOL_TYPE_METHOD_VERSION = "kol-type-1"


class KolType(StrEnum):
    """What kind of opinion leader an account is."""

    EXPERT = "expert"  # authority from expertise: credentials and recognition by peers
    CELEBRITY = "celebrity"  # very large audience reached across niches
    INFLUENCER = "influencer"  # popularity and reach built by content
    KOC = "koc"  # key opinion consumer: an ordinary customer's small, sincere audience


TIE_ORDER: tuple[KolType, ...] = (KolType.EXPERT, KolType.CELEBRITY, KolType.INFLUENCER,
                                  KolType.KOC)

# Weight of each condition per type; each type's weights sum to 1, so scores lie in [0, 1].
WEIGHTS: Mapping[KolType, Mapping[str, float]] = MappingProxyType({
    KolType.EXPERT: MappingProxyType({"credentials": 0.4, "authority_percentile": 0.2,
                                      "niche_percentile": 0.2, "peer_endorsers": 0.2}),
    KolType.CELEBRITY: MappingProxyType({"followers": 0.6, "endorser_niches": 0.4}),
    KolType.INFLUENCER: MappingProxyType({"followers": 0.4, "engagement_rate": 0.2,
                                          "sponsored_share": 0.2, "credentials": 0.2}),
    KolType.KOC: MappingProxyType({"followers": 0.4, "sponsored_share": 0.3,
                                   "review_share": 0.3}),
})
# Conditions a type cannot do without: a type with one of these not met (or unknown) cannot win.
REQUIRED: frozenset[tuple[KolType, str]] = frozenset({
    (KolType.CELEBRITY, "followers"), (KolType.KOC, "followers"), (KolType.KOC, "sponsored_share"),
})

_REVIEW_EN = re.compile(
    r"(?<!\w)(?:reviews?|reviewed|honest|tried|trying|repurchased?|empties|unsponsored"
    r"|not sponsored|bought (?:it|this|these|them) myself|paid for (?:it|this) myself)(?!\w)",
    re.IGNORECASE)
_REVIEW_ZH = ("测评", "评测", "试用", "回购", "空瓶", "亲测", "自费", "自用", "无广", "非广",
              "不是广告", "真实体验", "使用感", "用后感", "踩雷", "避雷", "红黑榜")

Op = Literal[">=", "<="]


class KolSignals(BaseModel):
    """The plain values typing looks at; ``None`` means unknown."""

    model_config = ConfigDict(frozen=True)

    followers: int | None = Field(default=None, ge=0)
    bio: str | None = None
    display_name: str | None = None
    recent_captions: list[str] = Field(default_factory=list)
    posts_analyzed: int = Field(default=0, ge=0)
    engagement_rate: float | None = Field(default=None, ge=0)
    sponsored_share: float | None = Field(default=None, ge=0, le=1)
    authority_percentile: float | None = Field(default=None, ge=0, le=100)
    niche_percentile: float | None = Field(default=None, ge=0, le=100)
    peer_endorsers: int = Field(default=0, ge=0)
    endorser_niches: int = Field(default=0, ge=0)
    is_virtual: bool = False


class KolThresholds(BaseModel):
    """Thresholds of the typing conditions (judgement, documented in the method)."""

    model_config = ConfigDict(frozen=True)

    expert_min_authority_percentile: float = Field(default=80.0, ge=0, le=100)
    expert_min_niche_percentile: float = Field(default=80.0, ge=0, le=100)
    expert_min_peer_endorsers: int = Field(default=2, ge=1)
    celebrity_followers: int = Field(default=1_000_000, gt=0)
    celebrity_min_endorser_niches: int = Field(default=3, ge=1)
    influencer_min_followers: int = Field(default=10_000, gt=0)
    influencer_min_engagement_rate: float = Field(default=0.01, ge=0)
    influencer_min_sponsored_share: float = Field(default=0.1, ge=0, le=1)
    koc_max_followers: int = Field(default=10_000, gt=0)
    koc_max_sponsored_share: float = Field(default=0.1, ge=0, le=1)
    koc_min_review_share: float = Field(default=0.2, ge=0, le=1)
    min_posts: int = Field(default=3, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> KolThresholds:
        if not self.koc_max_followers < self.celebrity_followers:
            raise ValueError("koc_max_followers must be below celebrity_followers")
        if not self.influencer_min_followers < self.celebrity_followers:
            raise ValueError("influencer_min_followers must be below celebrity_followers")
        return self


class Reason(BaseModel):
    """One condition of one type: the signal's value, the threshold, and what it contributed."""

    model_config = ConfigDict(frozen=True)

    kol_type: KolType | None  # None: a signal that informs but scores no type
    signal: str
    value: bool | int | float | list[str] | None  # None: unknown
    op: Op | None
    threshold: float | None
    met: bool
    required: bool = False
    weight: float
    contribution: float
    note: str


class KolTyping(BaseModel):
    """An account's KOL type, each type's score and every reason behind them."""

    model_config = ConfigDict(frozen=True)

    kol_type: KolType
    scores: dict[str, float]
    reasons: list[Reason]
    credentials: list[str]
    is_virtual: bool
    summary: str
    method_version: str = KOL_TYPE_METHOD_VERSION


@dataclass(frozen=True)
class _Evidence:
    """Values derived from the signals; ``None`` when unknown."""

    has_text: bool  # a bio, display name or caption to read professions from
    profile_credentials: list[str]
    caption_credentials: list[str]
    engagement_rate: float | None
    sponsored_share: float | None
    review_share: float | None

    @property
    def credentials(self) -> list[str] | None:
        if not self.has_text:
            return None
        return list(dict.fromkeys([*self.profile_credentials, *self.caption_credentials]))


def review_share(captions: list[str]) -> float | None:
    """Share of ``captions`` written as a first-hand review; ``None`` without captions.

    A review names a test or experience: "review", "honest", "tried", "repurchase", "empties",
    "not sponsored"; 测评, 试用, 回购, 空瓶, 亲测, 自费, 无广 ...

    Examples
    --------
    >>> review_share(["Honest review of this serum", "空瓶记：回购第三次", "Sunset in Bali"])
    0.6667
    """
    if not captions:
        return None
    hits = sum(bool(_REVIEW_EN.search(c)) or any(t in c for t in _REVIEW_ZH) for c in captions)
    return round(hits / len(captions), 4)


def _evidence(signals: KolSignals, thresholds: KolThresholds) -> _Evidence:
    profile = [t for t in (signals.bio, signals.display_name) if t is not None]
    enough_posts = signals.posts_analyzed >= thresholds.min_posts
    enough_captions = len(signals.recent_captions) >= thresholds.min_posts
    return _Evidence(
        has_text=bool(profile or signals.recent_captions),
        profile_credentials=detect_credentials("\n".join(profile)),
        caption_credentials=list(dict.fromkeys(
            key for caption in signals.recent_captions for key in claimed_credentials(caption))),
        engagement_rate=signals.engagement_rate if enough_posts else None,
        sponsored_share=signals.sponsored_share if enough_posts else None,
        review_share=review_share(signals.recent_captions) if enough_captions else None,
    )


def _reason(kol_type: KolType, signal: str, value: float | list[str] | None, op: Op,
            threshold: float, note: str) -> Reason:
    """A scored condition; a list value is compared by its length; ``None`` is unknown."""
    if value is None:
        met = False
        note = f"unknown: {note}"
    else:
        size = len(value) if isinstance(value, list) else value
        met = size >= threshold if op == ">=" else size <= threshold
    weight = WEIGHTS[kol_type][signal]
    return Reason(kol_type=kol_type, signal=signal, value=value, op=op, threshold=threshold,
                  met=met, required=(kol_type, signal) in REQUIRED, weight=weight,
                  contribution=weight if met else 0.0, note=note)


def _fmt(value: float | None, *, share: bool = False) -> str:
    if value is None:
        return "not measured"
    return f"{value:.1%}" if share else f"{value:,.0f}" if value >= 1000 else f"{value:g}"


def _credentials_note(evidence: _Evidence) -> str:
    if evidence.credentials is None:
        return "no bio, display name or captions to read professions from"
    parts = []
    if evidence.profile_credentials:
        parts.append(f"bio or display name names {', '.join(evidence.profile_credentials)}")
    if evidence.caption_credentials:
        parts.append(f"captions claim {', '.join(evidence.caption_credentials)}")
    return "; ".join(parts) or "no profession or credential named in bio, display name or captions"


def _expert_reasons(s: KolSignals, ev: _Evidence, t: KolThresholds) -> list[Reason]:
    e = KolType.EXPERT
    return [
        _reason(e, "credentials", ev.credentials, ">=", 1, _credentials_note(ev)),
        _reason(e, "authority_percentile", s.authority_percentile, ">=",
                t.expert_min_authority_percentile,
                f"authority percentile in the platform {_fmt(s.authority_percentile)}, "
                f"expert needs at least {t.expert_min_authority_percentile:g}"),
        _reason(e, "niche_percentile", s.niche_percentile, ">=", t.expert_min_niche_percentile,
                f"authority percentile in the niche {_fmt(s.niche_percentile)}, "
                f"expert needs at least {t.expert_min_niche_percentile:g}"),
        _reason(e, "peer_endorsers", s.peer_endorsers, ">=", t.expert_min_peer_endorsers,
                f"{s.peer_endorsers} creators endorse it, expert needs at least "
                f"{t.expert_min_peer_endorsers}"),
    ]


def _celebrity_reasons(s: KolSignals, t: KolThresholds) -> list[Reason]:
    c = KolType.CELEBRITY
    return [
        _reason(c, "followers", s.followers, ">=", t.celebrity_followers,
                f"followers {_fmt(s.followers)}, celebrity needs at least "
                f"{t.celebrity_followers:,}"),
        _reason(c, "endorser_niches", s.endorser_niches, ">=", t.celebrity_min_endorser_niches,
                f"endorsed by creators from {s.endorser_niches} niches, celebrity needs at least "
                f"{t.celebrity_min_endorser_niches}"),
    ]


def _influencer_reasons(s: KolSignals, ev: _Evidence, t: KolThresholds) -> list[Reason]:
    i = KolType.INFLUENCER
    return [
        _reason(i, "followers", s.followers, ">=", t.influencer_min_followers,
                f"followers {_fmt(s.followers)}, influencer needs at least "
                f"{t.influencer_min_followers:,}"),
        _reason(i, "engagement_rate", ev.engagement_rate, ">=", t.influencer_min_engagement_rate,
                f"engagement rate {_fmt(ev.engagement_rate, share=True)}, influencer needs at "
                f"least {t.influencer_min_engagement_rate:.1%}"),
        _reason(i, "sponsored_share", ev.sponsored_share, ">=", t.influencer_min_sponsored_share,
                f"sponsored share {_fmt(ev.sponsored_share, share=True)}, influencer (paid to "
                f"influence) needs at least {t.influencer_min_sponsored_share:.0%}"),
        _reason(i, "credentials", ev.credentials, "<=", 0,
                f"{_credentials_note(ev)}; influencer needs none"),
    ]


def _koc_reasons(s: KolSignals, ev: _Evidence, t: KolThresholds) -> list[Reason]:
    k = KolType.KOC
    return [
        _reason(k, "followers", s.followers, "<=", t.koc_max_followers,
                f"followers {_fmt(s.followers)}, koc needs at most {t.koc_max_followers:,}"),
        _reason(k, "sponsored_share", ev.sponsored_share, "<=", t.koc_max_sponsored_share,
                f"sponsored share {_fmt(ev.sponsored_share, share=True)}, koc needs at most "
                f"{t.koc_max_sponsored_share:.0%}"),
        _reason(k, "review_share", ev.review_share, ">=", t.koc_min_review_share,
                f"share of captions written as first-hand reviews "
                f"{_fmt(ev.review_share, share=True)}, koc needs at least "
                f"{t.koc_min_review_share:.0%}"),
    ]


def _context_reasons(s: KolSignals, t: KolThresholds) -> list[Reason]:
    """Signals that score no type: the sample size and the virtual-influencer flag."""
    enough = s.posts_analyzed >= t.min_posts
    return [
        Reason(kol_type=None, signal="posts_analyzed", value=s.posts_analyzed, op=">=",
               threshold=t.min_posts, met=enough, weight=0.0, contribution=0.0,
               note=f"{s.posts_analyzed} recent posts analysed; engagement and sponsorship "
                    f"{'count' if enough else 'are unknown'} (at least {t.min_posts} needed)"),
        virtual_reason(s.is_virtual),
    ]


def virtual_reason(is_virtual: bool) -> Reason:
    """The reason recording the hand-set virtual-influencer flag; it scores no type, so a stored
    typing stays valid when only the flag changes."""
    return Reason(kol_type=None, signal="is_virtual", value=is_virtual, op=None, threshold=None,
                  met=is_virtual, weight=0.0, contribution=0.0,
                  note="flagged by hand as a virtual (computer-generated) influencer"
                  if is_virtual else "not flagged as a virtual influencer")


def _winner(scores: Mapping[KolType, float], reasons: list[Reason]) -> tuple[KolType, str]:
    blocked = {r.kol_type for r in reasons if r.required and not r.met}
    eligible = [k for k in TIE_ORDER if k not in blocked and scores[k] > 0]
    if not eligible:
        return KolType.INFLUENCER, "no type has a positive score it may claim: influencer"
    best = max(eligible, key=lambda k: (scores[k], -TIE_ORDER.index(k)))
    tied = [k.value for k in eligible if scores[k] == scores[best]]
    why = f" (tied with {', '.join(tied[1:])}; order expert > celebrity > influencer > koc)" \
        if len(tied) > 1 else ""
    return best, f"{best.value}: highest score {scores[best]:.2f}{why}"


def classify_kol(signals: KolSignals, *,
                 thresholds: KolThresholds = KolThresholds()) -> KolTyping:
    """Type an account as expert KOL, celebrity, influencer or KOC, with every reason.

    Parameters
    ----------
    signals
        The account's values; ``None`` marks an unknown value, which contributes 0.
    thresholds
        The conditions' thresholds (defaults documented in ``docs/methods/kol-types.md``).

    Returns
    -------
    KolTyping
        The winning type, each type's score (the sum of its reasons' contributions, in [0, 1]),
        the reasons of every type, the credentials found and the virtual flag.

    Notes
    -----
    A type's score is the sum of :data:`WEIGHTS` over its conditions that are met. A type with a
    required condition (:data:`REQUIRED`) not met cannot win. The highest score wins; ties go to
    the first in :data:`TIE_ORDER`; when no type may claim a positive score, the account is an
    influencer, the generic creator. A virtual influencer keeps its type, flagged.

    Examples
    --------
    >>> koc = classify_kol(KolSignals(followers=2_000, posts_analyzed=3, sponsored_share=0.0,
    ...     recent_captions=["Honest review: this cleanser", "回购第二瓶", "tried it for a month"]))
    >>> koc.kol_type, koc.scores["koc"], koc.scores["influencer"]
    (<KolType.KOC: 'koc'>, 1.0, 0.2)
    """
    evidence = _evidence(signals, thresholds)
    reasons = [*_expert_reasons(signals, evidence, thresholds),
               *_celebrity_reasons(signals, thresholds),
               *_influencer_reasons(signals, evidence, thresholds),
               *_koc_reasons(signals, evidence, thresholds),
               *_context_reasons(signals, thresholds)]
    scores = {k: round(math.fsum(r.contribution for r in reasons if r.kol_type is k), 6)
              for k in TIE_ORDER}
    kol_type, summary = _winner(scores, reasons)
    if signals.is_virtual:
        summary += "; a virtual influencer"
    return KolTyping(kol_type=kol_type, scores={k.value: v for k, v in scores.items()},
                     reasons=reasons, credentials=evidence.credentials or [],
                     is_virtual=signals.is_virtual, summary=summary)

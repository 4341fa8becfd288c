"""Match scores: how well each KOL fits a brief, criterion by criterion, with weights the goal sets.

Every criterion is a value in [0, 1] with a reason, or unknown. The score is the weighted mean of
the known criteria × 100; ``coverage`` is the share of the goal's weight that was known, so a
score from little evidence says so. Hard exclusions (a red line in recent posts, a competitor's
sponsorship inside the exclusivity window, a failed vetting verdict) take a KOL out with the
reason, whatever the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from pydantic import BaseModel

from kolscope.core.matching.brief import Brief, Goal
from kolscope.core.platforms import PostFormat

MATCH_METHOD_VERSION = "match-1"
CRITERIA = ("relevance", "authority", "audience_fit", "authenticity", "brand_safety",
            "saturation", "format_fit", "cost_efficiency", "past_performance")
# Per goal, what matters: awareness buys reach cheaply, education wants trusted experts,
# conversion wants trust and fit at a good price, launch wants both reach and authority,
# seeding wants sincere, relevant voices more than size.
WEIGHTS: dict[Goal, tuple[float, ...]] = {
    Goal.AWARENESS: (0.15, 0.10, 0.15, 0.15, 0.10, 0.05, 0.05, 0.20, 0.05),
    Goal.EDUCATION: (0.25, 0.25, 0.10, 0.10, 0.10, 0.05, 0.10, 0.00, 0.05),
    Goal.CONVERSION: (0.20, 0.10, 0.15, 0.15, 0.05, 0.10, 0.05, 0.15, 0.05),
    Goal.LAUNCH: (0.15, 0.20, 0.15, 0.10, 0.10, 0.05, 0.05, 0.15, 0.05),
    Goal.SEEDING: (0.25, 0.05, 0.15, 0.20, 0.10, 0.10, 0.05, 0.05, 0.05),
}
SATURATION_OK, SATURATION_BAD = 0.2, 0.6  # sponsored share: full marks up to 20 %, none at 60 %
REHIRE_VALUE = {"rehire": 1.0, "consider": 0.6, "avoid": 0.0}


@dataclass(frozen=True)
class Candidate:
    """What matching knows of one KOL; ``None`` means not measured."""

    account_id: int
    handle: str
    platform: str
    relevance: float | None = None  # 0-1, from search
    authority_percentile: float | None = None  # 0-100
    language: str | None = None
    country: str | None = None
    vetting_risk: float | None = None  # 0-100
    verdict: str | None = None
    flag_categories: frozenset[str] = frozenset()
    red_lines: tuple[str, ...] = ()  # brief red lines found in recent posts
    competitors: tuple[str, ...] = ()  # competitors sponsoring it inside the window
    sponsored_share: float | None = None
    formats: tuple[str, ...] = ()  # formats of recent posts
    expected_engagements: float | None = None
    cost: Decimal | None = None
    rehire: str | None = None


class Criterion(BaseModel):
    key: str
    value: float | None
    weight: float
    contribution: float  # points of the 0-100 score
    reason: str


class Match(BaseModel):
    account_id: int
    handle: str
    platform: str
    score: float
    coverage: float
    excluded: str | None
    criteria: list[Criterion]
    method_version: str = MATCH_METHOD_VERSION


def _audience(c: Candidate, brief: Brief) -> tuple[float | None, str]:
    parts: list[tuple[bool, str]] = []
    if brief.platforms:
        parts.append((c.platform in brief.platforms, f"platform {c.platform}"))
    if brief.audience.languages and c.language:
        parts.append((c.language in brief.audience.languages, f"language {c.language}"))
    if brief.audience.markets and c.country:
        parts.append((c.country in brief.audience.markets, f"country {c.country}"))
    if not parts:
        return None, "no audience targets to compare (or no language and country known)"
    ok = [text for hit, text in parts if hit]
    off = [text for hit, text in parts if not hit]
    reason = "; ".join(x for x in (f"fits: {', '.join(ok)}" if ok else "",
                                   f"off target: {', '.join(off)}" if off else "") if x)
    return len(ok) / len(parts), reason


def _formats(c: Candidate, wanted: frozenset[PostFormat]) -> tuple[float | None, str]:
    if not wanted or not c.formats:
        return None, "no formats asked for" if not wanted else "no recent posts"
    share = sum(1 for f in c.formats if f in wanted) / len(c.formats)
    return share, f"{share:.0%} of {len(c.formats)} recent posts in the brief's formats"


def _saturation(share: float | None) -> tuple[float | None, str]:
    if share is None:
        return None, "sponsored share unknown"
    value = float(np.clip((SATURATION_BAD - share) / (SATURATION_BAD - SATURATION_OK), 0, 1))
    return value, f"{share:.0%} of recent posts sponsored"


def _values(c: Candidate, brief: Brief, efficiency: float | None
            ) -> list[tuple[float | None, str]]:
    safety = (1.0, "no brand-safety flags") if not c.flag_categories else (
        max(0.0, 1 - 0.5 * len(c.flag_categories)),
        f"flagged: {', '.join(sorted(c.flag_categories))}")
    authentic = (None, "not vetted yet") if c.vetting_risk is None else (
        0.0 if c.verdict == "fail" else 1 - c.vetting_risk / 100,
        f"vetting risk {c.vetting_risk:.0f} of 100, verdict {c.verdict}")
    return [
        (c.relevance, ("matches the brief's product, keywords or niche" if c.relevance else
                       "does not match the brief's words (in its niche)")
         if c.relevance is not None else "no brief text to match"),
        (None if c.authority_percentile is None else c.authority_percentile / 100,
         f"authority percentile {c.authority_percentile:.0f}"
         if c.authority_percentile is not None else "no authority score yet"),
        _audience(c, brief), authentic, safety, _saturation(c.sponsored_share),
        _formats(c, brief.post_formats),
        (efficiency, f"{c.expected_engagements:,.0f} expected engagements for {c.cost} "
         f"{brief.currency}: percentile {efficiency:.0%} of the candidates"
         if efficiency is not None and c.expected_engagements is not None
         else "no cost or engagement estimate"),
        (REHIRE_VALUE.get(c.rehire or ""), f"past work: {c.rehire}"
         if c.rehire in REHIRE_VALUE else "no past work with this KOL"),
    ]


def _excluded(c: Candidate) -> str | None:
    if c.red_lines:
        return f"red line in recent posts: {', '.join(c.red_lines)}"
    if c.competitors:
        return ("sponsored by a competitor inside the exclusivity window: "
                f"{', '.join(c.competitors)}")
    if c.verdict == "fail":
        return "failed vetting"
    return None


def efficiency_percentiles(candidates: Sequence[Candidate]) -> list[float | None]:
    """Expected engagements per unit cost, as percentile ranks (0-1) among the candidates."""
    ratios = [float(c.expected_engagements) / float(c.cost)
              if c.expected_engagements is not None and c.cost else None for c in candidates]
    known = sorted(r for r in ratios if r is not None)
    if len(known) < 2:
        return [0.5 if r is not None else None for r in ratios]
    return [None if r is None else float(np.searchsorted(known, r, side="right") - 1)
            / (len(known) - 1) for r in ratios]


def score_matches(candidates: Sequence[Candidate], brief: Brief) -> list[Match]:
    """Score every candidate for ``brief``; best first, excluded ones last."""
    weights = WEIGHTS[brief.goal]
    out = []
    for c, efficiency in zip(candidates, efficiency_percentiles(candidates), strict=True):
        values = _values(c, brief, efficiency)
        known = sum(w for (v, _), w in zip(values, weights, strict=True) if v is not None)
        criteria = []
        for key, (value, reason), w in zip(CRITERIA, values, weights, strict=True):
            share = w / known if known and value is not None else 0.0
            criteria.append(Criterion(key=key, value=value, weight=w,
                                      contribution=100 * share * (value or 0.0), reason=reason))
        out.append(Match(account_id=c.account_id, handle=c.handle, platform=c.platform,
                         score=round(sum(x.contribution for x in criteria), 2),
                         coverage=round(known, 4), excluded=_excluded(c), criteria=criteria))
    return sorted(out, key=lambda m: (m.excluded is not None, -m.score, m.account_id))

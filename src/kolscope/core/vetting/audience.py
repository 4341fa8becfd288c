"""Audience authenticity: how many of a KOL's sampled followers and commenters look fake.

Method ``audience-authenticity-1`` (``docs/methods/audience-authenticity.md``). Each sampled member
with a profile (follower, following and post counts) is scored by the fake-account model; the
share labelled fake is reported with a Wilson interval, so that 3 suspicious accounts out of 10
read as the wide interval they are. The model's own errors are corrected for as well (the
Rogan-Gladen estimator with its cross-validated sensitivity and specificity): a model that passes
98 % of real accounts still flags 2 % of a wholly genuine audience.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from kolscope.core.stats import wilson_interval
from kolscope.core.vetting.signals import Signal, graded, unknown
from kolscope.errors import InvalidInput

AUDIENCE_AUTHENTICITY_METHOD_VERSION = "audience-authenticity-1"
# Cross-validated on InstaFake at threshold 0.5 (docs/methods/fake-accounts.md).
MODEL_SENSITIVITY = 0.867
MODEL_SPECIFICITY = 0.982
MIN_SAMPLE = 20  # fewer scored members than this and the interval spans most of [0, 1]
# On the interval's lower bound: an audience is suspicious only once the sample shows it.
WARN_SHARE, FAIL_SHARE = 0.15, 0.30
THRESHOLD_TEXT = (f"warn when the 95% lower bound of the fake share is >= {WARN_SHARE:.0%}, "
                  f"fail at >= {FAIL_SHARE:.0%}; needs {MIN_SAMPLE} scored members")
LABEL = "Share of sampled followers and commenters that look fake"


class MemberScore(BaseModel):
    """One sampled audience member: its handle, how it was seen and its fake probability."""

    model_config = ConfigDict(frozen=True)

    handle: str
    relation: str  # "follower" or "commenter"
    fake_probability: float


class AudienceAuthenticity(BaseModel):
    """The share of an audience sample that looks fake, with its uncertainty."""

    model_config = ConfigDict(frozen=True)

    sampled: int  # members seen (followers and commenters, each once)
    scored: int  # members with a profile the model can read
    flagged: int  # scored members labelled fake
    share: float | None  # flagged / scored
    low: float | None  # 95% Wilson interval of that share
    high: float | None
    adjusted: float | None  # the share corrected for the model's errors, clipped to [0, 1]
    followers_scored: int
    commenters_scored: int
    threshold: float
    method_version: str = AUDIENCE_AUTHENTICITY_METHOD_VERSION


def rogan_gladen(share: float, *, sensitivity: float, specificity: float) -> float:
    """The true prevalence behind an observed positive share of an imperfect test, in [0, 1].

    Examples
    --------
    >>> round(rogan_gladen(0.2, sensitivity=0.9, specificity=0.95), 4)
    0.1765
    """
    youden = sensitivity + specificity - 1.0
    if youden <= 0:
        raise InvalidInput("sensitivity + specificity must exceed 1", field="sensitivity")
    return min(1.0, max(0.0, (share + specificity - 1.0) / youden))


def audience_authenticity(members: Sequence[MemberScore], *, sampled: int,
                          threshold: float = 0.5) -> AudienceAuthenticity:
    """Flagged share of the scored members, its Wilson interval and its corrected value.

    Examples
    --------
    >>> members = [MemberScore(handle=f"u{i}", relation="follower",
    ...                        fake_probability=0.9 if i < 3 else 0.1) for i in range(10)]
    >>> a = audience_authenticity(members, sampled=12)
    >>> a.flagged, a.share, round(a.low, 3), round(a.high, 3)
    (3, 0.3, 0.108, 0.603)
    """
    if sampled < len(members):
        raise InvalidInput("sampled counts every member, scored or not", field="sampled")
    flagged = sum(m.fake_probability >= threshold for m in members)
    n = len(members)
    share = flagged / n if n else None
    low, high = wilson_interval(flagged, n) if n else (None, None)
    adjusted = (rogan_gladen(share, sensitivity=MODEL_SENSITIVITY,
                             specificity=MODEL_SPECIFICITY) if share is not None else None)
    return AudienceAuthenticity(
        sampled=sampled, scored=n, flagged=flagged, share=share, low=low, high=high,
        adjusted=adjusted, followers_scored=sum(m.relation == "follower" for m in members),
        commenters_scored=sum(m.relation == "commenter" for m in members), threshold=threshold)


def audience_signal(result: AudienceAuthenticity, *, data_as_of: datetime | None,
                    examples: Sequence[MemberScore] = ()) -> Signal:
    """The audience's fake share as a vetting signal, graded on the interval's lower bound."""
    if result.scored < MIN_SAMPLE or result.share is None or result.low is None:
        return unknown("audience_fake_share", "audience", LABEL, threshold=THRESHOLD_TEXT,
                       sample_size=result.scored,
                       note=f"{result.scored} of {result.sampled} sampled members have a profile "
                            "to score; import a follower sample (`kolscope import followers`) "
                            "or the commenters' profiles")
    status, severity = graded(result.low, warn=WARN_SHARE, fail=FAIL_SHARE)
    display = (f"{result.share:.0%} ({result.flagged} of {result.scored}; 95% CI "
               f"{result.low:.0%}–{result.high:.0%})")
    note = (f"{result.followers_scored} followers and {result.commenters_scored} commenters "
            f"scored of {result.sampled} sampled; corrected for the model's errors: "
            f"{result.adjusted:.0%}")
    top = sorted(examples, key=lambda m: -m.fake_probability)[:5]
    return Signal(key="audience_fake_share", group="audience", label=LABEL, value=result.share,
                  display=display, threshold=THRESHOLD_TEXT, status=status, severity=severity,
                  sample_size=result.scored, data_as_of=data_as_of, note=note,
                  evidence=[f"@{m.handle} ({m.relation}): p(fake) {m.fake_probability:.2f}"
                            for m in top if m.fake_probability >= result.threshold])

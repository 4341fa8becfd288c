"""Audience authenticity: flagged share, its Wilson interval, the error correction and the
signal's thresholds on the interval's lower bound."""

from __future__ import annotations

import pytest

from kolscope.core.stats import wilson_interval
from kolscope.core.vetting.audience import (
    MIN_SAMPLE,
    MODEL_SENSITIVITY,
    MODEL_SPECIFICITY,
    MemberScore,
    audience_authenticity,
    audience_signal,
    rogan_gladen,
)
from kolscope.errors import InvalidInput


def members(fake: int, real: int, relation: str = "follower") -> list[MemberScore]:
    return ([MemberScore(handle=f"bot{i}", relation=relation, fake_probability=0.9)
             for i in range(fake)]
            + [MemberScore(handle=f"fan{i}", relation=relation, fake_probability=0.1)
               for i in range(real)])


def test_share_interval_and_correction() -> None:
    result = audience_authenticity(members(12, 28) + members(0, 10, "commenter"), sampled=70)
    assert (result.sampled, result.scored, result.flagged) == (70, 50, 12)
    assert result.share == pytest.approx(0.24)
    assert (result.low, result.high) == pytest.approx(wilson_interval(12, 50))
    expected = (0.24 + MODEL_SPECIFICITY - 1) / (MODEL_SENSITIVITY + MODEL_SPECIFICITY - 1)
    assert result.adjusted == pytest.approx(expected)
    assert (result.followers_scored, result.commenters_scored) == (40, 10)


def test_rogan_gladen_clips_and_checks() -> None:
    assert rogan_gladen(0.01, sensitivity=0.9, specificity=0.95) == 0.0
    assert rogan_gladen(1.0, sensitivity=0.9, specificity=0.95) == 1.0
    with pytest.raises(InvalidInput):
        rogan_gladen(0.2, sensitivity=0.5, specificity=0.5)


def test_small_samples_are_unknown_not_passed() -> None:
    result = audience_authenticity(members(5, MIN_SAMPLE - 6), sampled=100)
    signal = audience_signal(result, data_as_of=None)
    assert signal.status == "unknown" and signal.severity == 0
    assert signal.sample_size == MIN_SAMPLE - 1 and "import a follower sample" in signal.note


def test_graded_on_the_lower_bound() -> None:
    # 8 of 40 flagged is 20%, but the lower bound (10.5%) is under the 15% warn line.
    ok = audience_signal(audience_authenticity(members(8, 32), sampled=40), data_as_of=None)
    assert ok.status == "ok" and ok.value == pytest.approx(0.2)
    # 40 of 100: lower bound 30.9% is past the 30% fail line.
    bad = audience_authenticity(members(40, 60), sampled=100)
    signal = audience_signal(bad, data_as_of=None, examples=members(40, 60))
    assert signal.status == "fail" and signal.severity == 1.0
    assert len(signal.evidence) == 5 and signal.evidence[0].startswith("@bot")
    warn = audience_signal(audience_authenticity(members(25, 75), sampled=100),
                           data_as_of=None)
    assert warn.status == "warn"  # lower bound 17.5%


def test_sampled_counts_everyone() -> None:
    with pytest.raises(InvalidInput):
        audience_authenticity(members(1, 1), sampled=1)

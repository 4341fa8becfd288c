"""The report weighs signals into risk points and a verdict, with the reasons spelled out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kolscope.core.vetting.report import (
    FAIL_RISK,
    REVIEW_RISK,
    WEIGHTS,
    Override,
    build_report,
)
from kolscope.core.vetting.signals import Signal, Status
from kolscope.errors import InvalidInput

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def sig(key: str, status: Status = "ok", severity: float = 0.0,
        when: datetime | None = None) -> Signal:
    return Signal(key=key, group="engagement", label=key.replace("_", " "), value=1.0,
                  display="1", threshold="t", status=status, severity=severity,
                  sample_size=10, data_as_of=when)


def all_ok() -> list[Signal]:
    return [sig(k) for k in WEIGHTS]


def test_weights_add_up_to_100() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(100.0)


def test_all_ok_passes() -> None:
    report = build_report(7, all_ok(), computed_at=NOW)
    assert report.verdict == "pass" and report.risk == 0 and report.coverage == 1.0
    assert report.effective_verdict == "pass" and report.data_as_of is None


def test_contributions_add_up_to_the_risk() -> None:
    signals = [sig(k) for k in WEIGHTS if k not in ("audience_fake_share", "engagement_rate_z")]
    signals += [sig("audience_fake_share", "warn", 0.5, datetime(2025, 5, 1, tzinfo=UTC)),
                sig("engagement_rate_z", "warn", 0.25, datetime(2025, 6, 1, tzinfo=UTC))]
    report = build_report(7, signals, computed_at=NOW)
    # 20 * 0.5 + 15 * 0.25 = 13.75 points: review.
    assert report.risk == pytest.approx(13.75) and report.risk >= REVIEW_RISK
    assert sum(line.contribution for line in report.lines) == pytest.approx(report.risk)
    assert report.verdict == "review" and report.reasons[0] == "risk 14 >= 12 points"
    assert report.data_as_of == datetime(2025, 6, 1, tzinfo=UTC)


def test_enough_points_fail() -> None:
    signals = [sig(k, "fail", 1.0) if k in ("audience_fake_share", "engagement_rate_z")
               else sig(k) for k in WEIGHTS]
    report = build_report(7, signals, computed_at=NOW)
    assert report.risk == pytest.approx(35.0) and report.risk >= FAIL_RISK
    assert report.verdict == "fail"


def test_a_failed_signal_asks_for_review_and_a_blocking_one_fails() -> None:
    signals = [sig(k, "fail", 1.0) if k == "duplicate_comments" else sig(k) for k in WEIGHTS]
    assert build_report(7, signals, computed_at=NOW).verdict == "review"
    blocked = build_report(7, [*all_ok(), sig("red_lines", "fail", 1.0)], computed_at=NOW)
    assert blocked.verdict == "fail" and blocked.risk == 0
    assert "(blocking)" in blocked.reasons[0]
    line = next(x for x in blocked.lines if x.signal.key == "red_lines")
    assert line.blocking and line.weight == 0


def test_little_data_cannot_pass() -> None:
    signals = [sig(k, "unknown") if k != "brand_safety" else sig(k) for k in WEIGHTS]
    report = build_report(7, signals, computed_at=NOW)
    assert report.coverage == pytest.approx(0.12) and report.verdict == "review"
    assert any("12% of the signals' weight" in r for r in report.reasons)


def test_override_wins_and_can_be_withdrawn() -> None:
    report = build_report(7, all_ok(), computed_at=NOW)
    manual = report.model_copy(update={"override": Override(
        verdict="fail", reason="off-brand politics in stories", author="dana", created_at=NOW)})
    assert manual.verdict == "pass" and manual.effective_verdict == "fail"
    withdrawn = report.model_copy(update={"override": Override(
        verdict=None, reason="checked again", author="dana", created_at=NOW)})
    assert withdrawn.effective_verdict == "pass"


def test_each_signal_once() -> None:
    with pytest.raises(InvalidInput):
        build_report(7, [sig("brand_safety"), sig("brand_safety")], computed_at=NOW)

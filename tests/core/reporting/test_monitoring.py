"""Monitoring alerts on posts built so the answer is known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kolscope.core.matching.forecast import Interval
from kolscope.core.reporting.monitoring import (
    Snapshot,
    accrued_share,
    behind_forecast,
    latest,
    negative_turn,
)
from kolscope.errors import InvalidInput

POSTED = datetime(2026, 3, 1, 9, tzinfo=UTC)
FORECAST = Interval(point=2000.0, low=1000.0, high=4000.0)


def snap(hours: float, likes: int, comments: int = 0) -> Snapshot:
    return Snapshot(at=POSTED + timedelta(hours=hours), likes=likes, comments=comments)


def test_accrual_levels_off() -> None:
    assert accrued_share(timedelta(0)) == 0.0
    assert accrued_share(timedelta(hours=36)) == pytest.approx(0.9502, abs=1e-4)
    with pytest.raises(InvalidInput, match="tau"):
        accrued_share(timedelta(hours=1), tau=timedelta(0))


def test_a_post_behind_its_forecast_alerts_with_the_arithmetic() -> None:
    # at 12 h the low end 1,000 is expected at 63.2 %: 632; 500 engagements is behind
    alert = behind_forecast(POSTED, [snap(2, 50), snap(12, 480, 20)], FORECAST)
    assert alert is not None and alert.kind == "behind_forecast"
    assert alert.value == 500 and alert.threshold == pytest.approx(632.1, abs=0.1)
    assert "500 engagements after 12 h" in alert.reason and "= 632" in alert.reason
    # 700 at 12 h is on track; the same 500 at 3 h is too early to judge
    assert behind_forecast(POSTED, [snap(12, 700)], FORECAST) is None
    assert behind_forecast(POSTED, [snap(3, 10)], FORECAST) is None
    assert behind_forecast(POSTED, [], FORECAST) is None
    # the newest snapshot counts, whatever the order given
    assert behind_forecast(POSTED, [snap(24, 900), snap(12, 100)], FORECAST) is None
    assert latest([snap(5, 1), snap(5, 2)]).likes == 2  # type: ignore[union-attr]


def test_sentiment_turns_negative_only_when_significant() -> None:
    now = POSTED + timedelta(days=1)
    calm = ["positive"] * 40 + ["negative"] * 5 + ["neutral"] * 5
    assert negative_turn(calm, baseline_negative=0.1, at=now) is None
    sour = calm[:20] + ["negative"] * 20 + ["positive"] * 10
    alert = negative_turn(sour, baseline_negative=0.1, at=now)
    assert alert is not None and alert.value == pytest.approx(20 / 50)
    assert "20 of the last 50 comments are negative" in alert.reason
    # too few comments, or a share under the floor, never alert
    assert negative_turn(["negative"] * 10, baseline_negative=0.0, at=now) is None
    assert negative_turn(["negative"] * 9 + ["positive"] * 41, baseline_negative=0.0,
                         at=now) is None
    with pytest.raises(InvalidInput, match="share"):
        negative_turn(calm, baseline_negative=1.5, at=now)


def test_snapshots_are_validated() -> None:
    with pytest.raises(InvalidInput, match="timezone"):
        Snapshot(at=datetime(2026, 3, 1), likes=1)
    with pytest.raises(InvalidInput, match="likes cannot be negative"):
        Snapshot(at=POSTED, likes=-1)

"""Grading a value against warn and fail thresholds, both directions."""

from __future__ import annotations

import pytest

from kolscope.core.vetting.signals import WARN_SEVERITY, graded, unknown
from kolscope.errors import InvalidInput


def test_higher_is_worse() -> None:
    assert graded(0.19, warn=0.2, fail=0.4) == ("ok", 0.0)
    assert graded(0.2, warn=0.2, fail=0.4) == ("warn", WARN_SEVERITY)
    assert graded(0.3, warn=0.2, fail=0.4) == ("warn", pytest.approx(0.625))
    assert graded(0.4, warn=0.2, fail=0.4) == ("fail", 1.0)
    assert graded(9.0, warn=0.2, fail=0.4) == ("fail", 1.0)


def test_lower_is_worse() -> None:
    assert graded(-1.9, warn=-2.0, fail=-3.0) == ("ok", 0.0)
    assert graded(-2.5, warn=-2.0, fail=-3.0) == ("warn", pytest.approx(0.625))
    assert graded(-3.0, warn=-2.0, fail=-3.0) == ("fail", 1.0)


def test_unknown_and_bad_thresholds() -> None:
    assert graded(None, warn=1, fail=2) == ("unknown", 0.0)
    with pytest.raises(InvalidInput):
        graded(1.0, warn=1.0, fail=1.0)
    s = unknown("k", "audience", "label", threshold="t", note="why", sample_size=3)
    assert s.status == "unknown" and s.severity == 0 and s.value is None and s.sample_size == 3

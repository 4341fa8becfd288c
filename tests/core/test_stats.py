"""Wilson intervals, checked against hand-computed values."""

from __future__ import annotations

import math

import pytest

from kolscope.core.stats import wilson_interval
from kolscope.errors import InvalidInput


def test_wilson_interval_by_hand() -> None:
    # p = 0.2, n = 50, z = 1.96: centre (0.2 + 0.0384) / 1.0768, margin 1.96 * sqrt(0.0032 +
    # 0.000384) / 1.0768.
    low, high = wilson_interval(10, 50)
    z = 1.959963984540054
    centre = (0.2 + z * z / 100) / (1 + z * z / 50)
    margin = z * math.sqrt(0.2 * 0.8 / 50 + z * z / 10_000) / (1 + z * z / 50)
    assert low == pytest.approx(centre - margin) and high == pytest.approx(centre + margin)
    assert round(low, 4) == 0.1124 and round(high, 4) == 0.3304


def test_wilson_interval_edges() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and 0.15 < high < 0.17
    low, high = wilson_interval(20, 20)
    assert high == 1.0 and 0.83 < low < 0.85
    with pytest.raises(InvalidInput):
        wilson_interval(5, 3)

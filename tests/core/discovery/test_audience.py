"""Audience affinity statistics, checked by hand."""

from __future__ import annotations

import pytest

from kolscope.core.discovery.audience import affinities, terms, wilson_lower
from kolscope.errors import InvalidInput


def test_wilson_lower_bound_by_hand() -> None:
    # p = 0.5, n = 10, z = 1.96: (0.5 + 0.19208 - 0.36460) / 1.38416 = 0.23659
    assert wilson_lower(5, 10) == pytest.approx(0.23659, abs=1e-5)
    assert wilson_lower(0, 10) == 0.0
    assert wilson_lower(0, 0) == 0.0
    with pytest.raises(InvalidInput):
        wilson_lower(11, 10)


def test_small_samples_do_not_top_the_list() -> None:
    # y has the higher lift (10 vs 7.5) but only 3 supporters: its lower bound is lower
    ranked = affinities([("x", 30, 40), ("y", 3, 3), ("z", 2, 2)], audience_size=100,
                        population_size=1000)
    assert [a.item for a in ranked] == ["x", "y"]  # z is under the support of 3
    x = ranked[0]
    assert (x.audience_share, x.baseline_share, x.lift) == (0.3, 0.04, pytest.approx(7.5))
    assert x.lift_lower < x.lift


def test_invalid_sizes_are_refused() -> None:
    with pytest.raises(InvalidInput):
        affinities([], audience_size=0, population_size=10)
    with pytest.raises(InvalidInput):
        affinities([], audience_size=20, population_size=10)


def test_terms_in_english_and_chinese() -> None:
    # "love", "this", "and", "the" are stop words
    assert terms("Love THIS #Serum and the café") == {"#serum", "café"}
    assert terms("好用好用") == {"好用", "用好"}

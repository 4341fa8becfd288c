"""Audience-size tiers: each tier includes its lower bound; thresholds are settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kolscope.core.discovery.tiers import Tier, TierThresholds, tier_for

DEFAULT = TierThresholds()


@pytest.mark.parametrize(("followers", "tier"), [
    (0, Tier.NANO),
    (999, Tier.NANO),
    (1_000, Tier.MICRO),
    (49_999, Tier.MICRO),
    (50_000, Tier.MID),
    (199_999, Tier.MID),
    (200_000, Tier.MACRO),
    (999_999, Tier.MACRO),
    (1_000_000, Tier.CELEBRITY),
    (250_000_000, Tier.CELEBRITY),
])
def test_default_boundaries(followers: int, tier: Tier) -> None:
    assert tier_for(followers, DEFAULT) is tier


def test_default_thresholds() -> None:
    assert (DEFAULT.micro, DEFAULT.mid, DEFAULT.macro, DEFAULT.celebrity) == (
        1_000, 50_000, 200_000, 1_000_000)


def test_unknown_followers_have_no_tier() -> None:
    assert tier_for(None, DEFAULT) is None


def test_custom_thresholds() -> None:
    custom = TierThresholds(micro=10_000, mid=100_000, macro=500_000, celebrity=5_000_000)
    assert tier_for(9_999, custom) is Tier.NANO
    assert tier_for(10_000, custom) is Tier.MICRO
    assert tier_for(99_999, custom) is Tier.MICRO
    assert tier_for(100_000, custom) is Tier.MID
    assert tier_for(500_000, custom) is Tier.MACRO
    assert tier_for(4_999_999, custom) is Tier.MACRO
    assert tier_for(5_000_000, custom) is Tier.CELEBRITY
    # what is mid by default is micro here
    assert tier_for(50_000, DEFAULT) is Tier.MID
    assert tier_for(50_000, custom) is Tier.MICRO


@pytest.mark.parametrize("values", [
    {"micro": 0},
    {"micro": -5},
    {"mid": 1_000},               # equal to micro
    {"micro": 60_000},            # above mid
    {"macro": 2_000_000},         # above celebrity
    {"celebrity": 200_000},       # equal to macro
])
def test_thresholds_must_increase(values: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="must increase"):
        TierThresholds(**values)


@pytest.mark.parametrize(("tier", "bounds"), [
    (Tier.NANO, (0, 1_000)),
    (Tier.MICRO, (1_000, 50_000)),
    (Tier.MID, (50_000, 200_000)),
    (Tier.MACRO, (200_000, 1_000_000)),
    (Tier.CELEBRITY, (1_000_000, None)),
])
def test_bounds(tier: Tier, bounds: tuple[int, int | None]) -> None:
    assert DEFAULT.bounds(tier) == bounds


def test_bounds_agree_with_tier_for() -> None:
    custom = TierThresholds(micro=5_000, mid=20_000, macro=100_000, celebrity=800_000)
    for tier in Tier:
        low, high = custom.bounds(tier)
        assert tier_for(low, custom) is tier
        if high is not None:
            assert tier_for(high - 1, custom) is tier
            assert tier_for(high, custom) is not tier


def test_tiers_in_size_order() -> None:
    assert [t.value for t in Tier] == ["nano", "micro", "mid", "macro", "celebrity"]

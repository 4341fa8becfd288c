"""Audience-size tiers: nano, micro, mid, macro and celebrity.

The boundaries are lower bounds in followers, injected from settings so a workspace can move them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator


class Tier(StrEnum):
    """An account's size class by followers."""

    NANO = "nano"
    MICRO = "micro"
    MID = "mid"
    MACRO = "macro"
    CELEBRITY = "celebrity"


class TierThresholds(BaseModel):
    """Lower follower bounds of each tier above nano (a tier includes its lower bound)."""

    model_config = ConfigDict(frozen=True)

    micro: int = 1_000
    mid: int = 50_000
    macro: int = 200_000
    celebrity: int = 1_000_000

    @model_validator(mode="after")
    def _increasing(self) -> TierThresholds:
        if not 0 < self.micro < self.mid < self.macro < self.celebrity:
            raise ValueError("tier thresholds must increase: 0 < micro < mid < macro < celebrity")
        return self

    def bounds(self, tier: Tier) -> tuple[int, int | None]:
        """The follower range ``[low, high)`` of ``tier``; ``high`` is ``None`` for celebrity."""
        edges = [0, self.micro, self.mid, self.macro, self.celebrity, None]
        i = list(Tier).index(tier)
        low = edges[i]
        assert low is not None
        return low, edges[i + 1]


def tier_for(followers: int | None, thresholds: TierThresholds) -> Tier | None:
    """The tier of an account with ``followers``; ``None`` when the count is unknown.

    Examples
    --------
    >>> tier_for(49_999, TierThresholds()), tier_for(50_000, TierThresholds())
    (<Tier.MICRO: 'micro'>, <Tier.MID: 'mid'>)
    """
    if followers is None:
        return None
    if followers >= thresholds.celebrity:
        return Tier.CELEBRITY
    if followers >= thresholds.macro:
        return Tier.MACRO
    if followers >= thresholds.mid:
        return Tier.MID
    if followers >= thresholds.micro:
        return Tier.MICRO
    return Tier.NANO

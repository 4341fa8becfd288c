"""The campaign brief: what validates, what is refused and where."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from kolscope.core.discovery.tiers import Tier
from kolscope.core.matching.brief import Brief, ContentFormat
from kolscope.core.platforms import Platform, PostFormat

BASE: dict[str, Any] = {"goal": "conversion", "product": "Serum", "budget": "5000",
                        "currency": "usd"}


def brief(**extra: Any) -> Brief:
    return Brief.model_validate({**BASE, **extra})


def test_a_full_brief_normalises_codes_and_aliases() -> None:
    b = brief(niche="beauty", platforms=["RED", "ig"], formats=["short_video", "post"],
              audience={"markets": ["us", "cn"], "languages": ["EN", "zh"], "min_age": 18,
                        "max_age": 34},
              tier_mix={"micro": 0.6, "nano": 0.3, "mid": 0.1}, keywords=[" spf ", "spf", ""],
              competitors=["rivalco"], performance_pay=True)
    assert b.currency == "USD" and b.budget == Decimal("5000")
    assert b.platforms == (Platform.XIAOHONGSHU, Platform.INSTAGRAM)
    assert b.audience.markets == ("US", "CN") and b.audience.languages == ("en", "zh")
    assert b.tier_mix[Tier.MICRO] == 0.6 and b.keywords == ("spf",)
    assert b.post_formats == {PostFormat.SHORT_VIDEO, PostFormat.VIDEO, PostFormat.IMAGE,
                              PostFormat.CAROUSEL, PostFormat.STORY}
    assert brief().post_formats == frozenset()
    assert ContentFormat("podcast") is ContentFormat.PODCAST


@pytest.mark.parametrize(("extra", "where", "says"), [
    ({"budget": 12.5}, "budget", "not floats"),
    ({"budget": "0"}, "budget", "greater than 0"),
    ({"currency": "EURO"}, "currency", "three-letter"),
    ({"niche": "cooking-ish"}, "niche", "unknown niche"),
    ({"platforms": ["myspace"]}, "platforms", "unknown platform"),
    ({"formats": ["hologram"]}, "formats", "short_video"),
    ({"audience": {"markets": ["USA"]}}, "audience.markets", "ISO country"),
    ({"audience": {"languages": ["english"]}}, "audience.languages", "ISO 639-1"),
    ({"audience": {"min_age": 40, "max_age": 20}}, "audience", "is above max_age"),
    ({"tier_mix": {"micro": 0.5, "mid": 0.4}}, "", "add up to 1"),
    ({"tier_mix": {"giant": 1.0}}, "tier_mix.giant", "nano"),
    ({"starts_on": "2026-03-01", "ends_on": "2026-02-01"}, "", "is before starts_on"),
    ({"starts_on": "0001-01-01"}, "starts_on", "outside the years 1970 to 2200"),
    ({"product": "   "}, "product", "only spaces"),
    ({"product": "Serum\x1b[31m"}, "product", "control characters"),
    ({"colour": "red"}, "colour", "Extra inputs"),
    ({"goal": "vibes"}, "goal", "awareness"),
])
def test_refusals_name_the_field(extra: dict[str, Any], where: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        brief(**extra)
    error = caught.value.errors()[0]
    assert ".".join(str(p) for p in error["loc"]).startswith(where)
    assert says in str(caught.value)

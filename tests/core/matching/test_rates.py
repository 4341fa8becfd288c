"""The cost model: the default card's numbers and the order quotes, deals and cards win in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from kolscope.core.discovery.tiers import Tier
from kolscope.core.matching.brief import ContentFormat
from kolscope.core.matching.rates import PastDeal, Rate, default_card, estimate_cost
from kolscope.core.platforms import Platform

F = ContentFormat


def test_default_card_covers_everything_with_the_geometric_mean() -> None:
    card = default_card()
    assert len(card) == len(Platform) * len(Tier) * len(ContentFormat)
    micro_ig = next(r for r in card if r.key == (Platform.INSTAGRAM, Tier.MICRO, F.POST, "USD"))
    assert (micro_ig.low, micro_ig.typical, micro_ig.high) == (100, 224, 500)  # √(100·500)
    live = next(r for r in card if r.key == (Platform.YOUTUBE, Tier.MID, F.LIVE_STREAM, "USD"))
    assert (live.low, live.typical, live.high) == (1500, 4743, 15000)  # ×1.5 for a live stream


def test_quote_then_deals_then_workspace_card_then_default() -> None:
    own = Rate(platform="tiktok", tier="micro", format="short_video", currency="EUR", low="50",
               typical="80", high="120")
    args = {"platform": Platform.TIKTOK, "tier": Tier.MICRO, "fmt": F.SHORT_VIDEO}
    deals = [PastDeal(Decimal(300), "EUR", 2), PastDeal(Decimal(90), "EUR", 1),
             PastDeal(Decimal(999), "USD", 1)]
    quote = estimate_cost(**args, currency="EUR", quote=(Decimal(70), "EUR"), deals=deals)
    assert quote is not None and (quote.source, quote.amount) == ("quote", 70)
    past = estimate_cost(**args, currency="EUR", quote=(Decimal(70), "USD"), deals=deals)
    assert past is not None and past.source == "past_deals"
    assert (past.amount, past.low, past.high) == (Decimal("120.00"), 90, 150)
    card = estimate_cost(**args, currency="EUR", card={own.key: own})
    assert card is not None and (card.source, card.amount) == ("workspace_card", 80)
    default = estimate_cost(**args, currency="USD")
    assert default is not None and (default.source, default.amount) == ("default_card", 56)
    assert "published rate guides" in default.note
    assumed = estimate_cost(platform=Platform.XIAOHONGSHU, tier=Tier.MICRO, fmt=F.POST,
                            currency="USD")
    assert assumed is not None and "assumed as Instagram's" in assumed.note
    assert estimate_cost(**args, currency="EUR") is None  # never converted
    assert estimate_cost(platform=Platform.TIKTOK, tier=None, fmt=F.POST, currency="USD") is None


@pytest.mark.parametrize("bad", [{"low": "10", "typical": "5", "high": "20"},
                                 {"low": 1.5, "typical": "5", "high": "20"},
                                 {"currency": "EURO"}, {"tier": "giant"}])
def test_bad_rates_are_refused(bad: dict[str, object]) -> None:
    row = {"platform": "instagram", "tier": "micro", "format": "post", "currency": "EUR",
           "low": "10", "typical": "20", "high": "30", **bad}
    with pytest.raises(ValidationError):
        Rate.model_validate(row)

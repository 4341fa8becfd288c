"""What a KOL's deliverable is likely to cost: a quote, past deals, the workspace's rate card, or
the default rate card, in that order.

The default card is in US dollars per deliverable, with a low–high range and a typical value
(the geometric mean of the range, since rates spread multiplicatively). Its ranges for Instagram,
TikTok, YouTube and X follow published industry rate guides; every other platform's row is an
assumption (Instagram's ranges) to replace with the workspace's own card. Amounts are never
converted between currencies: a brief in euros needs a euro card, a quote or euro deals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kolscope.core.discovery.tiers import Tier
from kolscope.core.matching.brief import ContentFormat
from kolscope.core.money import Amount
from kolscope.core.platforms import Platform, parse_platform

RATES_METHOD_VERSION = "rates-1"
DEFAULT_CURRENCY = "USD"


class Rate(BaseModel):
    """One rate-card row: a deliverable of ``format`` by a ``tier`` account on ``platform``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: Platform
    tier: Tier
    format: ContentFormat
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    low: Amount
    typical: Amount
    high: Amount

    @field_validator("platform", mode="before")
    @classmethod
    def _platform(cls, value: object) -> Platform:
        return parse_platform(str(value))

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: object) -> str:
        return str(value).strip().upper()

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low <= self.typical <= self.high:
            raise ValueError("a rate needs low <= typical <= high")
        return self

    @property
    def key(self) -> tuple[Platform, Tier, ContentFormat, str]:
        return self.platform, self.tier, self.format, self.currency


# (low, high) in USD per deliverable of the platform's base format, by tier.
_RANGES: dict[Platform, tuple[tuple[int, int], ...]] = {
    Platform.INSTAGRAM: ((10, 100), (100, 500), (500, 5_000), (5_000, 10_000), (10_000, 50_000)),
    Platform.TIKTOK: ((5, 25), (25, 125), (125, 1_250), (1_250, 2_500), (2_500, 10_000)),
    Platform.YOUTUBE: ((20, 200), (200, 1_000), (1_000, 10_000), (10_000, 20_000),
                       (20_000, 100_000)),
    Platform.X: ((2, 20), (20, 100), (100, 1_000), (1_000, 2_000), (2_000, 10_000)),
}
MEASURED = frozenset(_RANGES)
# Price of a format relative to the platform's base deliverable (assumptions, documented).
FORMAT_FACTORS: dict[ContentFormat, Decimal] = {
    ContentFormat.POST: Decimal(1), ContentFormat.SHORT_VIDEO: Decimal(1),
    ContentFormat.LIVE_STREAM: Decimal("1.5"), ContentFormat.ARTICLE: Decimal("1.2"),
    ContentFormat.WEBINAR: Decimal(2), ContentFormat.PODCAST: Decimal(1),
}
_TIERS = (Tier.NANO, Tier.MICRO, Tier.MID, Tier.MACRO, Tier.CELEBRITY)


def _row(platform: Platform, tier: Tier, fmt: ContentFormat, low: int, high: int) -> Rate:
    factor = FORMAT_FACTORS[fmt]
    typical = (Decimal(low * high).sqrt() * factor).quantize(Decimal(1), ROUND_HALF_UP)
    return Rate(platform=platform, tier=tier, format=fmt, currency=DEFAULT_CURRENCY,
                low=Decimal(low) * factor, typical=typical, high=Decimal(high) * factor)


def default_card() -> list[Rate]:
    """The default rate card: every platform × tier × format, in US dollars."""
    rows = []
    for platform in Platform:
        ranges = _RANGES.get(platform, _RANGES[Platform.INSTAGRAM])
        for tier, (low, high) in zip(_TIERS, ranges, strict=True):
            rows += [_row(platform, tier, fmt, low, high) for fmt in ContentFormat]
    return rows


class CostEstimate(BaseModel):
    """One deliverable's likely cost with its range and where the figure comes from."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    low: Decimal
    high: Decimal
    currency: str
    source: str  # quote, past_deals, workspace_card or default_card
    note: str
    version: str = RATES_METHOD_VERSION


@dataclass(frozen=True)
class PastDeal:
    fee: Decimal
    currency: str
    deliverables: int


def _cost(amount: Decimal, low: Decimal, high: Decimal, currency: str, source: str,
          note: str) -> CostEstimate:
    return CostEstimate(amount=amount, low=low, high=high, currency=currency, source=source,
                        note=note)


def estimate_cost(*, platform: Platform, tier: Tier | None, fmt: ContentFormat, currency: str,
                  quote: tuple[Decimal, str] | None = None, deals: Sequence[PastDeal] = (),
                  card: Mapping[tuple[Platform, Tier, ContentFormat, str], Rate] | None = None
                  ) -> CostEstimate | None:
    """The cost of one deliverable in ``currency``; None when nothing prices it in that currency.

    A quote (the KOL's own rate) wins, then the median fee per deliverable of past deals, then
    the workspace's card, then the default card.
    """
    if quote is not None and quote[1] == currency and quote[0] > 0:
        return _cost(quote[0], quote[0], quote[0], currency, "quote", "the KOL's rate")
    fees = [d.fee / d.deliverables for d in deals if d.currency == currency and d.deliverables]
    if fees:
        mid = Decimal(median(fees)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return _cost(mid, min(fees), max(fees), currency, "past_deals",
                            f"median of {len(fees)} past deal(s) per deliverable")
    if tier is None:
        return None
    rate = (card or {}).get((platform, tier, fmt, currency))
    if rate is not None:
        return _cost(rate.typical, rate.low, rate.high, currency, "workspace_card",
                            f"workspace rate for {tier.value} {fmt.value} on {platform.value}")
    if currency != DEFAULT_CURRENCY:
        return None
    row = _row(platform, tier, fmt, *_RANGES.get(platform, _RANGES[Platform.INSTAGRAM])[
        _TIERS.index(tier)])
    basis = "published rate guides" if platform in MEASURED else "assumed as Instagram's"
    return _cost(row.typical, row.low, row.high, currency, "default_card",
                        f"default {tier.value} {fmt.value} rate on {platform.value} ({basis})")

"""Collaboration terms: what a KOL delivers, what the brand may do with it, and what it pays.

Terms are validated as a whole: at least one deliverable, something of value for the KOL (a fee,
seeded product or performance pay), amounts as exact decimals in one currency, and windows that
make sense. Every deliverable names the disclosure its posts must carry; Chinese platforms default
to 广告 and the rest to ``#ad``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kolscope.core.money import check_amount
from kolscope.core.platforms import CHINESE_PLATFORMS, Platform, PostFormat, parse_platform
from kolscope.core.platforms import parse_post_format as _parse_format

TERMS_VERSION = "terms-1"


def _decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise ValueError("amounts must be given as text or integers, not floats")
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValueError(f"not a decimal amount: {value!r}") from None
    return check_amount(amount)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeliverableSpec(_Model):
    """``count`` posts of one format on one platform, due by ``due``."""

    platform: Platform
    format: PostFormat
    count: int = Field(default=1, ge=1, le=100)
    due: date | None = None
    disclosures: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    brief: str = Field(default="", max_length=4000)

    @field_validator("platform", mode="before")
    @classmethod
    def _platform(cls, value: object) -> Platform:
        return parse_platform(str(value))

    @field_validator("format", mode="before")
    @classmethod
    def _format(cls, value: object) -> PostFormat:
        return _parse_format(str(value))

    @field_validator("links")
    @classmethod
    def _links(cls, links: tuple[str, ...]) -> tuple[str, ...]:
        for link in links:
            if not link.startswith(("https://", "http://")) or len(link) > 2000 or " " in link:
                raise ValueError(f"links must be http(s) URLs, got {link!r}")
        return links

    @model_validator(mode="after")
    def _default_disclosure(self) -> Self:
        if not self.disclosures:
            tag = "广告" if self.platform in CHINESE_PLATFORMS else "#ad"
            object.__setattr__(self, "disclosures", (tag,))
        return self


class UsageRights(_Model):
    """Where the brand may reuse the content, and for how many days (None: not at all)."""

    channels: tuple[str, ...] = ()
    duration_days: int | None = Field(default=None, ge=1, le=3650)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.channels and self.duration_days is None:
            raise ValueError("usage rights with channels need duration_days")
        return self


class Exclusivity(_Model):
    """No paid work for these categories or competitors in the window around the campaign."""

    categories: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    days_before: int = Field(default=0, ge=0, le=365)
    days_after: int = Field(default=0, ge=0, le=365)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.categories and not self.competitors:
            raise ValueError("exclusivity needs categories or competitors")
        return self


class Seeding(_Model):
    """Product sent to the KOL, with its value for the record."""

    product: str = Field(min_length=1, max_length=300)
    value: Decimal = Decimal(0)

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: object) -> Decimal:
        return _decimal(value)


class PerformancePay(_Model):
    """Pay per click, per conversion and a share of attributed revenue, optionally capped."""

    per_click: Decimal = Decimal(0)
    per_conversion: Decimal = Decimal(0)
    revenue_share: Decimal = Decimal(0)
    cap: Decimal | None = None

    @field_validator("per_click", "per_conversion", "cap", mode="before")
    @classmethod
    def _amounts(cls, value: object) -> Decimal | None:
        return None if value is None else _decimal(value)

    @field_validator("revenue_share", mode="before")
    @classmethod
    def _share(cls, value: object) -> Decimal:
        share = _decimal(value)
        if share > 1:
            raise ValueError("revenue_share is a fraction between 0 and 1 (0.1 for 10 %)")
        return share

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not (self.per_click or self.per_conversion or self.revenue_share):
            raise ValueError("performance pay needs per_click, per_conversion or revenue_share")
        return self


class Terms(_Model):
    """Everything agreed for one collaboration."""

    fee: Decimal = Decimal(0)
    currency: str
    deliverables: tuple[DeliverableSpec, ...] = Field(min_length=1, max_length=50)
    usage: UsageRights | None = None
    exclusivity: Exclusivity | None = None
    seeding: Seeding | None = None
    performance: PerformancePay | None = None
    payment_due_days: int = Field(default=30, ge=0, le=365)
    notes: str = Field(default="", max_length=4000)

    @field_validator("fee", mode="before")
    @classmethod
    def _fee(cls, value: object) -> Decimal:
        return _decimal(value)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: object) -> str:
        code = str(value).strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise ValueError(f"currency must be a three-letter ISO 4217 code, got {value!r}")
        return code

    @model_validator(mode="after")
    def _of_value(self) -> Self:
        if not self.fee and self.seeding is None and self.performance is None:
            raise ValueError("terms need a fee, product seeding or performance pay")
        return self

    @property
    def deliverable_count(self) -> int:
        return sum(d.count for d in self.deliverables)


def deliverable_slots(terms: Terms) -> list[tuple[int, int, DeliverableSpec]]:
    """One ``(spec index, number within it, spec)`` per post the terms call for."""
    return [(i, n, spec) for i, spec in enumerate(terms.deliverables)
            for n in range(1, spec.count + 1)]

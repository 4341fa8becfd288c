"""The campaign brief: what a campaign wants from KOLs, validated as a whole.

A brief is what matching, forecasting and planning read: the goal decides what counts (reach for
awareness, trust and niche fit for conversion), and the rest narrows and prices the candidates.
Briefs are stored as numbered versions; a plan names the version it was made from.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kolscope.core.discovery.niches import NICHES
from kolscope.core.discovery.tiers import Tier
from kolscope.core.money import Amount
from kolscope.core.platforms import Platform, PostFormat, parse_platform
from kolscope.core.records import Line, PlanDate
from kolscope.errors import FieldValueError

BRIEF_VERSION = "brief-1"
_LANG = re.compile(r"^[a-z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class Goal(StrEnum):
    AWARENESS = "awareness"
    EDUCATION = "education"  # education and consideration
    CONVERSION = "conversion"
    LAUNCH = "launch"
    SEEDING = "seeding"  # product seeding and gifting


class ContentFormat(StrEnum):
    """The formats a brief asks for, each standing for the post formats that deliver it."""

    SHORT_VIDEO = "short_video"
    LIVE_STREAM = "live_stream"
    POST = "post"
    ARTICLE = "article"
    WEBINAR = "webinar"
    PODCAST = "podcast"


FORMAT_POSTS: dict[ContentFormat, frozenset[PostFormat]] = {
    ContentFormat.SHORT_VIDEO: frozenset({PostFormat.SHORT_VIDEO, PostFormat.VIDEO}),
    ContentFormat.LIVE_STREAM: frozenset({PostFormat.LIVE_STREAM}),
    ContentFormat.POST: frozenset({PostFormat.IMAGE, PostFormat.CAROUSEL, PostFormat.STORY}),
    ContentFormat.ARTICLE: frozenset({PostFormat.ARTICLE}),
    ContentFormat.WEBINAR: frozenset({PostFormat.WEBINAR, PostFormat.LIVE_STREAM}),
    ContentFormat.PODCAST: frozenset({PostFormat.PODCAST_EPISODE}),
}


class Audience(BaseModel):
    """Who the campaign wants to reach."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    markets: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    languages: tuple[str, ...] = ()  # ISO 639-1
    min_age: int = Field(default=13, ge=13, le=100)
    max_age: int = Field(default=100, ge=13, le=100)

    @field_validator("markets", mode="before")
    @classmethod
    def _markets(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            codes = tuple(str(v).strip().upper() for v in value)
            bad = [c for c in codes if not _COUNTRY.match(c)]
            if bad:
                raise ValueError(f"markets are ISO country codes such as US or CN, got {bad[0]!r}")
            return codes
        return value

    @field_validator("languages", mode="before")
    @classmethod
    def _languages(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            codes = tuple(str(v).strip().lower() for v in value)
            bad = [c for c in codes if not _LANG.match(c)]
            if bad:
                raise ValueError(f"languages are ISO 639-1 codes such as en or zh, got {bad[0]!r}")
            return codes
        return value

    @model_validator(mode="after")
    def _ages(self) -> Self:
        if self.min_age > self.max_age:
            raise FieldValueError("min_age", "is above max_age")
        return self


class Brief(BaseModel):
    """A campaign brief; amounts are exact decimals and the tier mix shares add up to 1."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    goal: Goal
    product: Line = Field(max_length=300)
    niche: str | None = None
    keywords: tuple[str, ...] = Field(default=(), max_length=50)
    values: tuple[str, ...] = Field(default=(), max_length=50)
    red_lines: tuple[str, ...] = Field(default=(), max_length=50)
    audience: Audience = Audience()
    platforms: tuple[Platform, ...] = ()
    formats: tuple[ContentFormat, ...] = ()
    budget: Amount = Field(gt=0)
    currency: str
    starts_on: PlanDate | None = None
    ends_on: PlanDate | None = None
    tier_mix: dict[Tier, float] = Field(default_factory=dict)
    exclusivity_days: int = Field(default=0, ge=0, le=365)
    competitors: tuple[str, ...] = Field(default=(), max_length=50)
    performance_pay: bool = False
    average_order_value: Decimal | None = Field(default=None, gt=0, le=Decimal("1e9"))

    @field_validator("average_order_value", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, float):
            raise ValueError("give amounts as text or integers, not floats")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: object) -> str:
        code = str(value).strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise ValueError(f"currency must be a three-letter ISO 4217 code, got {value!r}")
        return code

    @field_validator("platforms", mode="before")
    @classmethod
    def _platforms(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(parse_platform(str(v)) for v in value)
        return value

    @field_validator("niche")
    @classmethod
    def _niche(cls, value: str | None) -> str | None:
        if value is not None and value not in NICHES:
            raise ValueError(f"unknown niche {value!r}; niches are {', '.join(sorted(NICHES))}")
        return value

    @field_validator("keywords", "values", "red_lines", "competitors")
    @classmethod
    def _terms(cls, terms: tuple[str, ...]) -> tuple[str, ...]:
        clean = tuple(dict.fromkeys(t.strip() for t in terms if t.strip()))
        if any(len(t) > 100 for t in clean):
            raise ValueError("each term is at most 100 characters")
        return clean

    @model_validator(mode="after")
    def _whole(self) -> Self:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise FieldValueError("ends_on", "is before starts_on")
        if self.tier_mix:
            if any(not 0 <= s <= 1 for s in self.tier_mix.values()):
                raise FieldValueError("tier_mix", "shares are between 0 and 1")
            if abs(sum(self.tier_mix.values()) - 1) > 1e-6:
                raise FieldValueError("tier_mix", "shares must add up to 1")
        return self

    @property
    def post_formats(self) -> frozenset[PostFormat]:
        """Every post format that delivers one of the brief's formats (empty: any)."""
        return frozenset().union(*(FORMAT_POSTS[f] for f in self.formats))

"""The campaign report as data: what every renderer (HTML, PDF, CSV, XLSX, JSON) draws.

Every number travels with ``sources``: references to the stored rows it was computed from.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from kolscope.core.matching.forecast import Interval
from kolscope.core.reporting.facts import RowRef

Unit = Literal["count", "share", "money", "ratio"]
Number = int | float | Decimal | None
Verdict = Literal["rehire", "consider", "pass", "not rated"]


class Kpi(BaseModel):
    """One KPI of the campaign, against its target and forecast where there are any."""

    key: str
    label: str
    unit: Unit
    value: Number
    target: float | None = None
    target_met: bool | None = None
    forecast: Interval | None = None
    estimated: bool = False  # computed with a documented assumption, not measured
    note: str = ""
    sources: list[RowRef] = Field(default_factory=list)


class KolLine(BaseModel):
    collaboration_id: int
    account_id: int
    handle: str
    platform: str
    followers: int | None
    stage: str
    posts: int
    engagements: int | None
    engagement_rate: float | None
    impressions: int | None
    views: int | None
    clicks: int
    unique_clicks: int
    orders: int | None
    revenue: Decimal | None
    spend: Decimal
    cpe: Decimal | None
    cpc: Decimal | None
    cpa: Decimal | None
    roas: Decimal | None
    roi: float | None
    negative_share: float | None
    sources: list[RowRef] = Field(default_factory=list)


class PlatformLine(BaseModel):
    platform: str
    kols: int
    posts: int
    engagements: int | None
    engagement_rate: float | None
    impressions: int | None
    views: int | None
    clicks: int
    orders: int | None
    revenue: Decimal | None
    spend: Decimal
    cpe: Decimal | None
    roi: float | None
    sources: list[RowRef] = Field(default_factory=list)


class ContentLine(BaseModel):
    deliverable_id: int
    collaboration_id: int
    post_id: int | None
    handle: str
    platform: str
    format: str
    url: str | None
    posted_at: datetime | None
    engagements: int | None
    engagement_rate: float | None
    views: int | None
    forecast: Interval | None
    sources: list[RowRef] = Field(default_factory=list)


class SentimentDay(BaseModel):
    day: date
    negative: int
    neutral: int
    positive: int
    sources: list[RowRef] = Field(default_factory=list)


class SampleComment(BaseModel):
    comment_id: int
    post_id: int
    handle: str  # the KOL whose post it is
    author: str
    text: str
    label: str
    score: float | None
    at: datetime | None


class SpendLine(BaseModel):
    """Spend of one collaboration: ledger lines due, plus the agreed fee not yet booked."""

    collaboration_id: int
    handle: str
    fees: Decimal
    performance: Decimal
    adjustments: Decimal
    committed: Decimal  # the terms' fee while no fee is on the ledger yet
    total: Decimal
    paid: Decimal
    sources: list[RowRef] = Field(default_factory=list)


class RehireLine(BaseModel):
    rank: int
    collaboration_id: int
    account_id: int
    handle: str
    verdict: Verdict
    cpe: Decimal | None
    roi: float | None
    negative_share: float | None
    reasons: list[str]
    sources: list[RowRef] = Field(default_factory=list)


class EvidenceTable(BaseModel):
    """An appendix table: stored rows, the first column their id."""

    table: str
    title: str
    columns: list[str]
    rows: list[list[str | int | float | None]]


class CampaignSummary(BaseModel):
    slug: str
    name: str
    brand: str
    goal: str
    status: str
    currency: str | None
    budget: Decimal | None
    starts_on: date | None
    ends_on: date | None


class CampaignReport(BaseModel):
    method_version: str
    kpi_method_version: str
    emv_method_version: str
    emv_rates: dict[str, Decimal]
    rehire_method_version: str
    generated_at: datetime
    campaign: CampaignSummary
    currency: str | None
    conversion_data: bool  # False: no orders stored or attribution could not run
    summary: list[str]
    notes: list[str]
    kpis: list[Kpi]
    kols: list[KolLine]
    platforms: list[PlatformLine]
    best_content: list[ContentLine]
    sentiment: list[SentimentDay]
    sample_comments: list[SampleComment]
    spend: list[SpendLine]
    rehire: list[RehireLine]
    evidence: list[EvidenceTable]

    def kpi(self, key: str) -> Kpi:
        """The KPI named ``key`` (KeyError when the report has none)."""
        for k in self.kpis:
            if k.key == key:
                return k
        raise KeyError(key)

"""Read models and commands of campaigns, collaborations, deliverables, the ledger and outreach."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kolscope.core.campaigns.pipeline import Stage
from kolscope.core.matching.brief import Brief, Goal
from kolscope.core.money import Amount
from kolscope.core.records import Line, PlanDate


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


KPI_NAMES = ("impressions", "reach", "engagements", "engagement_rate", "clicks", "ctr",
             "conversions", "conversion_rate", "revenue", "roi", "cpm", "cpe", "cpa")


class CampaignIn(BaseModel):
    """What a user gives to create a campaign; validated field by field."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")
    name: Line = Field(max_length=200)
    brand: Line = Field(max_length=200)
    goal: Goal = Goal.AWARENESS
    budget: Amount | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    starts_on: PlanDate | None = None
    ends_on: PlanDate | None = None
    kpi_targets: dict[str, float] = Field(default_factory=dict)
    offer: str = Field(default="", max_length=2000)
    audience_gain: str = Field(default="", max_length=2000)
    brief: str | None = Field(default=None, description="slug of the brief it follows; the "
                              "campaign keeps the version current when it is created")

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("kpi_targets")
    @classmethod
    def _kpis(cls, targets: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(targets) - set(KPI_NAMES))
        if unknown:
            raise ValueError(f"unknown KPI {', '.join(unknown)}; known: {', '.join(KPI_NAMES)}")
        if not all(math.isfinite(v) and v >= 0 for v in targets.values()):
            raise ValueError("KPI targets must be finite numbers, zero or more")
        return targets


class CampaignView(BaseModel):
    id: int
    slug: str
    name: str
    brand: str
    goal: Goal
    status: CampaignStatus
    budget: Decimal | None
    currency: str | None
    starts_on: date | None
    ends_on: date | None
    kpi_targets: dict[str, float]
    offer: str
    audience_gain: str
    brief: str | None = None
    brief_version: int | None = None
    created_at: datetime
    stages: dict[str, int] = Field(default_factory=dict)  # collaborations per stage
    committed: Decimal = Decimal(0)  # fees of agreed terms


class CollaborationView(BaseModel):
    id: int
    campaign_id: int
    campaign: str
    account_id: int
    platform: str
    handle: str
    display_name: str | None
    niche: str | None
    followers: int | None
    contact_email: str | None
    stage: Stage
    why_you: str
    terms: dict[str, Any] | None
    terms_revision: int
    rating: int | None
    updated_at: datetime


class EventView(BaseModel):
    id: int
    kind: str
    from_stage: str | None
    to_stage: str | None
    actor: str
    note: str
    at: datetime


class DraftView(BaseModel):
    id: int
    deliverable_id: int
    version: int
    url: str | None
    file_name: str | None
    file_sha256: str | None
    caption: str
    paid_partnership: bool
    check: dict[str, Any]
    status: str  # submitted, approved, changes_requested
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    comments: list[dict[str, Any]] = Field(default_factory=list)


class DeliverableView(BaseModel):
    id: int
    collaboration_id: int
    spec_index: int
    number: int
    platform: str
    format: str
    due_on: date | None
    status: str  # pending, in_review, changes_requested, approved, published
    post_id: int | None
    published_url: str | None
    published_at: datetime | None
    drafts: list[DraftView] = Field(default_factory=list)


class LedgerEntryView(BaseModel):
    id: int
    collaboration_id: int
    kind: str
    amount: Decimal
    currency: str
    due_on: date | None
    method: str | None
    reference: str | None
    note: str
    recorded_by: str
    recorded_at: datetime


class LedgerView(BaseModel):
    collaboration_id: int
    currency: str | None
    due: Decimal
    paid: Decimal
    outstanding: Decimal
    entries: list[LedgerEntryView]


class TemplateView(BaseModel):
    name: str
    subject: str
    body: str
    fields: list[str]
    updated_at: datetime


class SenderView(BaseModel):
    id: int
    address: str
    display_name: str
    daily_cap: int


class SequenceView(BaseModel):
    id: int
    campaign_id: int
    name: str
    channel: str  # email or dm
    sender: str | None
    steps: list[tuple[str, int]]


class MessageStatus(StrEnum):
    PENDING = "pending"  # drafted, waiting for a person's approval
    APPROVED = "approved"  # approved; goes out on the next send (a DM: a task to do by hand)
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"  # stopped by a reply, a suppression or a person


class MessageView(BaseModel):
    id: int
    collaboration_id: int
    campaign: str
    handle: str
    sequence: str | None
    step: int
    channel: str
    sender: str | None
    recipient: str
    subject: str
    body: str
    status: MessageStatus
    created_at: datetime
    approved_by: str | None
    sent_at: datetime | None
    message_id: str | None
    error: str | None


class ReplyView(BaseModel):
    id: int
    collaboration_id: int
    message_id: int | None
    channel: str
    from_address: str
    subject: str
    body: str
    source: str
    received_at: datetime


class SendReport(BaseModel):
    """What one send run did: sent, deferred by a cap, skipped as suppressed, failed."""

    sent: list[int] = Field(default_factory=list)
    deferred: list[int] = Field(default_factory=list)
    suppressed: list[int] = Field(default_factory=list)
    failed: list[int] = Field(default_factory=list)
    dm_tasks: list[int] = Field(default_factory=list)


class NoteView(BaseModel):
    id: int
    author: str
    body: str
    at: datetime


class HistoryRow(BaseModel):
    collaboration_id: int
    campaign: str
    campaign_name: str
    stage: str
    deliverables: int
    published: int
    on_time: int
    late: int
    rating: int | None
    fee: Decimal | None
    currency: str | None
    engagements: int  # likes + comments of the published posts linked to its deliverables


class RelationshipView(BaseModel):
    account_id: int
    platform: str
    handle: str
    history: list[HistoryRow]
    notes: list[NoteView]
    suggestion: str
    reasons: list[str]


class BriefView(BaseModel):
    """One stored version of a brief."""

    slug: str
    version: int
    brief: Brief
    created_by: str
    created_at: datetime


class StoredPlan(BaseModel):
    """A plan as stored: its brief version and the plan itself (``core.planning.Plan``)."""

    id: int
    brief: str
    brief_version: int
    body: dict[str, Any]
    created_at: datetime

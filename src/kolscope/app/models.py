"""Read models and commands the use cases exchange with shells and storage."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kolscope.core.discovery.kol_types import KolType
from kolscope.core.discovery.profile import ProfileMetrics
from kolscope.core.discovery.search import Reason
from kolscope.core.discovery.tiers import Tier
from kolscope.core.platforms import Platform, PostFormat
from kolscope.core.vetting.affinity import BrandAffinity, Conflict
from kolscope.core.vetting.audience import AudienceAuthenticity
from kolscope.core.vetting.comments import CommentQuality
from kolscope.core.vetting.engagement import Norm, Spike
from kolscope.core.vetting.report import Verdict, VettingReport
from kolscope.core.vetting.saturation import Saturation
from kolscope.core.vetting.sentiment import SentimentSummary

T = TypeVar("T")


class WorkspaceView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    kind: str
    is_synthetic: bool
    created_at: datetime
    data_version: int = 0  # bumped by every write to the workspace's data; keys search indexes


class AccountSort(StrEnum):
    """What search results are ordered by, largest first."""

    RELEVANCE = "relevance"  # the brief's relevance blended with authority and engagement
    ENGAGEMENT = "engagement"  # engagement rate by followers
    REACH = "reach"  # median views per post (accounts without views last)
    FOLLOWERS = "followers"
    RECENT = "recent"  # last post first
    AUTHORITY = "authority"  # PageRank in the interaction graph (unscored accounts last)


class AccountQuery(BaseModel):
    """Filters, order and page of an account search. Ranges are inclusive."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=2_000, description=(
        "a free-text brief, matched by keyword and meaning against bio, name and recent posts"))
    platform: Platform | None = None
    tier: Tier | None = None
    niche: str | None = None
    language: str | None = None
    country: str | None = None
    min_followers: int | None = Field(default=None, ge=0)
    max_followers: int | None = Field(default=None, ge=0)
    min_engagement_rate: float | None = Field(default=None, ge=0)
    max_engagement_rate: float | None = Field(default=None, ge=0)
    kol_type: KolType | None = Field(default=None,
                                     description="expert, celebrity, influencer or koc")
    min_authority_percentile: float | None = Field(
        default=None, ge=0, le=100, description="authority percentile within the platform")
    active_days: int | None = Field(default=None, ge=1, le=3_650,
                                    description="posted within the last N days")
    verdict: Verdict | None = Field(default=None, description=(
        "vetting verdict in force (a person's override, else the computed one): pass, review "
        "or fail"))
    exclude_flags: list[str] = Field(default_factory=list, max_length=20, description=(
        "leave out KOLs with stored post flags of these categories (gambling, alcohol, a red "
        "line's or competitor set's category ...); 'any' leaves out every flagged KOL"))
    sort: AccountSort = AccountSort.RELEVANCE
    limit: int = Field(default=20, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=10**9)

    @field_validator("kol_type", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("exclude_flags", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            return [p.strip().lower() for v in value for p in str(v).split(",") if p.strip()]
        return value

    @model_validator(mode="after")
    def _ranges(self) -> AccountQuery:
        if (self.min_followers is not None and self.max_followers is not None
                and self.min_followers > self.max_followers):
            raise ValueError("min_followers is larger than max_followers")
        if (self.min_engagement_rate is not None and self.max_engagement_rate is not None
                and self.min_engagement_rate > self.max_engagement_rate):
            raise ValueError("min_engagement_rate is larger than max_engagement_rate")
        return self


class AccountSummary(BaseModel):
    """One search result: who the account is and its headline metrics."""

    id: int
    platform: Platform
    handle: str
    display_name: str | None
    niche: str | None
    category: str | None
    language: str | None
    country: str | None
    is_verified: bool | None
    followers: int | None
    tier: Tier | None
    engagement_rate: float | None
    views_per_post: float | None
    comments_per_post: float | None
    posts_per_week: float | None
    sponsored_share: float | None
    last_post_at: datetime | None
    posts_analyzed: int | None
    authority_percentile: float | None = None
    niche_authority_percentile: float | None = None
    kol_type: str | None = None
    predicted_niche: str | None = None
    score: float | None = Field(default=None, description="the search score, 0 to 1")
    relevance: float | None = Field(default=None, description="relevance to the brief, 0 to 1")
    why: list[Reason] = Field(default_factory=list, description="why it matched, signal by signal")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class PostView(BaseModel):
    id: int
    platform_post_id: str
    url: str | None
    format: PostFormat
    posted_at: datetime | None
    caption: str
    likes: int | None
    comments_count: int | None
    views: int | None
    is_sponsored: bool
    is_paid_partnership: bool
    language: str | None
    engagement_rate: float | None = None


class MetricsView(ProfileMetrics):
    """Stored profile metrics: the core's result and when it was computed."""

    computed_at: datetime


class AuthorityScores(BaseModel):
    """An account's place in the interaction graph and the signals behind it."""

    model_config = ConfigDict(from_attributes=True)

    pagerank: float
    pagerank_percentile: float | None
    niche_pagerank: float | None
    niche_percentile: float | None
    hub: float
    authority: float
    k_core: int
    in_edges: int
    peer_endorsers: int


class AuthorityRow(AuthorityScores):
    """Scores to store for one account."""

    account_id: int


class AuthorityView(AuthorityScores):
    """Stored scores with the method, engine and time that produced them."""

    method_version: str
    engine: str
    computed_at: datetime


class Classification(BaseModel):
    """An account's KOL type and predicted niche, each with the reasons behind it."""

    model_config = ConfigDict(from_attributes=True)

    kol_type: str
    kol_type_scores: dict[str, float]
    kol_type_reasons: list[dict[str, Any]]
    credentials: list[str]
    is_virtual: bool
    kol_type_method: str
    niche: str | None
    niche_confidence: float | None
    niche_evidence: list[dict[str, Any]]
    niche_method: str


class ClassificationRow(Classification):
    """A classification to store for one account."""

    account_id: int


class ClassificationView(Classification):
    """A stored classification and when it was computed."""

    computed_at: datetime


class BreakdownRow(BaseModel):
    kol_type: str | None
    niche: str | None
    accounts: int


class AccountProfile(BaseModel):
    """An account with its metrics, its other accounts and its recent posts."""

    id: int
    platform: Platform
    handle: str
    platform_user_id: str | None
    display_name: str | None
    bio: str | None
    url: str | None
    followers: int | None
    following: int | None
    posts_count: int | None
    is_verified: bool | None
    is_private: bool | None
    category: str | None
    niche: str | None
    language: str | None
    country: str | None
    rate_amount: Decimal | None
    rate_currency: str | None
    source: str | None
    source_file: str | None
    imported_at: datetime | None
    metrics: MetricsView | None
    authority: AuthorityView | None = None
    classification: ClassificationView | None = None
    recent_posts: list[PostView]
    other_accounts: list[AccountSummary] = []
    stored_posts: int = 0
    stored_comments: int = 0


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class RejectView(BaseModel):
    file: str
    line: int | None
    field: str | None
    reason: str


class ImportJobView(BaseModel):
    id: int
    kind: str
    source_file: str
    status: JobStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    bytes_total: int | None
    bytes_done: int
    counts: dict[str, int]
    rejected: int
    error: str | None
    rejects: list[RejectView] = []

    @property
    def progress(self) -> float | None:
        """Share of the input read, from 0 to 1, where the size is known."""
        if self.status is JobStatus.SUCCEEDED:
            return 1.0
        if not self.bytes_total:
            return None
        return min(1.0, self.bytes_done / self.bytes_total)


class ApiKeyCreated(BaseModel):
    """A new API key; ``secret`` is shown this once and stored only as a hash."""

    id: int
    workspace: str
    name: str
    secret: str


class FlagView(BaseModel):
    """A stored brand-safety, value or competitor flag on one post."""

    id: int
    account_id: int
    handle: str
    platform: Platform
    post_id: int
    post_url: str | None
    posted_at: datetime | None
    set_name: str
    kind: str
    category: str
    term: str
    snippet: str
    matches: int
    method_version: str
    computed_at: datetime


class VettingDetails(BaseModel):
    """What a vetting report's signals were computed from, for people who want to look closer."""

    audience: AudienceAuthenticity
    saturation: Saturation
    sentiment: SentimentSummary
    comment_quality: CommentQuality
    spikes: list[Spike]
    affinity: list[BrandAffinity]
    conflicts: list[Conflict]
    norm: Norm | None


class VettingView(BaseModel):
    """A creator account's stored vetting report and its details."""

    account_id: int
    platform: Platform
    handle: str
    report: VettingReport
    details: VettingDetails
    flags: list[FlagView] = Field(default_factory=list, description="the posts' stored flags")
    flags_total: int = 0

    @property
    def verdict(self) -> Verdict:
        """The verdict in force: a person's override, else the computed one."""
        return self.report.effective_verdict

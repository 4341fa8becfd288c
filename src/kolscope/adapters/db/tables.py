"""The relational schema. Every row belongs to one workspace; imported rows carry provenance.

Change a table here, then add an Alembic revision (``docs/adr/0002-storage.md`` says how).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite's INTEGER PRIMARY KEY is its rowid; BigInteger on PostgreSQL for tables that grow large.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC times on every database; SQLite would hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


Time = UtcDateTime()


class ExactDecimal(TypeDecorator[Decimal]):
    """Money amounts kept exact: NUMERIC where the database has it, canonical text on SQLite
    (whose NUMERIC affinity would round-trip through a binary float)."""

    impl = Numeric(18, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(18, 4, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ProvenanceMixin:
    """Where an imported row came from: the source kind, the file and when it was imported."""

    source: Mapped[str | None] = mapped_column(String(40))
    source_file: Mapped[str | None] = mapped_column(String(500))
    imported_at: Mapped[datetime | None] = mapped_column(Time)


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="brand")
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(Time)
    # Bumped by every write to the workspace's data, so derived indexes know they are stale.
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Time)
    revoked_at: Mapped[datetime | None] = mapped_column(Time)


class Creator(ProvenanceMixin, Base):
    """A person or entity behind one or more accounts."""

    __tablename__ = "creators"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="person")
    is_virtual: Mapped[bool] = mapped_column(Boolean, default=False)


class Account(ProvenanceMixin, Base):
    """An account on one platform; KOL candidates have a creator, others are only seen around."""

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform", "handle"),
        Index("ix_accounts_platform_user", "workspace_id", "platform", "platform_user_id"),
        Index("ix_accounts_workspace_creator", "workspace_id", "creator_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(200))
    platform_user_id: Mapped[str | None] = mapped_column(String(100))
    display_name: Mapped[str | None] = mapped_column(String(300))
    bio: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))
    followers: Mapped[int | None] = mapped_column(BigInteger)
    following: Mapped[int | None] = mapped_column(BigInteger)
    posts_count: Mapped[int | None] = mapped_column(BigInteger)
    is_verified: Mapped[bool | None] = mapped_column(Boolean)
    is_private: Mapped[bool | None] = mapped_column(Boolean)
    has_profile_pic: Mapped[bool | None] = mapped_column(Boolean)
    external_url: Mapped[str | None] = mapped_column(String(1000))
    category: Mapped[str | None] = mapped_column(String(100))
    niche: Mapped[str | None] = mapped_column(String(40), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(2))
    rate_amount: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    rate_currency: Mapped[str | None] = mapped_column(String(3))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    updated_at: Mapped[datetime | None] = mapped_column(Time)


class Post(ProvenanceMixin, Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform", "platform_post_id"),
        Index("ix_posts_account_posted", "account_id", "posted_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    platform_post_id: Mapped[str] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(1000))
    format: Mapped[str] = mapped_column(String(20))
    posted_at: Mapped[datetime | None] = mapped_column(Time)
    caption: Mapped[str] = mapped_column(Text, default="")
    image_description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(300))
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments_count: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    saves: Mapped[int | None] = mapped_column(BigInteger)
    is_paid_partnership: Mapped[bool] = mapped_column(Boolean, default=False)
    is_sponsored: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(32))


class Comment(ProvenanceMixin, Base):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("post_id", "platform_comment_id"),
        Index("ix_comments_author", "author_account_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    platform_comment_id: Mapped[str] = mapped_column(String(100))
    author_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime | None] = mapped_column(Time)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    replies_count: Mapped[int | None] = mapped_column(BigInteger)


class Mention(ProvenanceMixin, Base):
    """A post tagging (``tag``) or @-mentioning (``mention``) another account."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("post_id", "account_id", "kind"),
        Index("ix_mentions_account", "account_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))


class Sponsorship(ProvenanceMixin, Base):
    """A post's sponsorship disclosure, with the brand's account where the source names it."""

    __tablename__ = "sponsorships"
    __table_args__ = (UniqueConstraint("post_id", "disclosure", "brand_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    disclosure: Mapped[str] = mapped_column(String(20))
    brand_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"))
    # The brand's handle, or "" when unknown: part of the key, so it cannot be NULL.
    brand_key: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[str | None] = mapped_column(String(300))


class MetricSnapshot(Base):
    """Counts of an account or a post as observed at one time; written only when they change."""

    __tablename__ = "metric_snapshots"
    __table_args__ = (
        Index("ix_snapshots_account", "account_id", "captured_at"),
        Index("ix_snapshots_post", "post_id", "captured_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    captured_at: Mapped[datetime] = mapped_column(Time)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    following: Mapped[int | None] = mapped_column(BigInteger)
    posts_count: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(String(40))


class ProfileMetricsRow(Base):
    """The latest profile metrics of an account and the method version that computed them."""

    __tablename__ = "profile_metrics"
    __table_args__ = (
        Index("ix_profile_metrics_ws_er", "workspace_id", "engagement_rate"),
        Index("ix_profile_metrics_ws_followers", "workspace_id", "followers"),
    )

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    method_version: Mapped[str] = mapped_column(String(20))
    computed_at: Mapped[datetime] = mapped_column(Time)
    posts_analyzed: Mapped[int] = mapped_column(Integer)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    tier: Mapped[str | None] = mapped_column(String(12), index=True)
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    engagement_rate_by_views: Mapped[float | None] = mapped_column(Float)
    views_per_post: Mapped[float | None] = mapped_column(Float)
    comments_per_post: Mapped[float | None] = mapped_column(Float)
    posts_per_week: Mapped[float | None] = mapped_column(Float)
    last_post_at: Mapped[datetime | None] = mapped_column(Time)
    sponsored_share: Mapped[float | None] = mapped_column(Float)


class ImportJob(Base):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_file: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(Time)
    started_at: Mapped[datetime | None] = mapped_column(Time)
    finished_at: Mapped[datetime | None] = mapped_column(Time)
    bytes_total: Mapped[int | None] = mapped_column(BigInteger)
    bytes_done: Mapped[int] = mapped_column(BigInteger, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class ImportReject(Base):
    __tablename__ = "import_rejects"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("import_jobs.id", ondelete="CASCADE"),
                                        index=True)
    file: Mapped[str] = mapped_column(String(500))
    line: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)


class AuthorityScore(Base):
    """A creator account's authority in the workspace's interaction graph, with its method."""

    __tablename__ = "authority_scores"
    __table_args__ = (Index("ix_authority_ws_pagerank", "workspace_id", "pagerank"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    method_version: Mapped[str] = mapped_column(String(20))
    engine: Mapped[str] = mapped_column(String(20))
    computed_at: Mapped[datetime] = mapped_column(Time)
    pagerank: Mapped[float] = mapped_column(Float)
    pagerank_percentile: Mapped[float | None] = mapped_column(Float)
    niche_pagerank: Mapped[float | None] = mapped_column(Float)
    niche_percentile: Mapped[float | None] = mapped_column(Float)
    hub: Mapped[float] = mapped_column(Float)
    authority: Mapped[float] = mapped_column(Float)
    k_core: Mapped[int] = mapped_column(Integer)
    in_edges: Mapped[int] = mapped_column(Integer)
    peer_endorsers: Mapped[int] = mapped_column(Integer)


class KolClassification(Base):
    """A creator account's KOL type and predicted niche, each with its reasons and method."""

    __tablename__ = "kol_classifications"
    __table_args__ = (Index("ix_kol_class_ws_type", "workspace_id", "kol_type"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    computed_at: Mapped[datetime] = mapped_column(Time)
    kol_type: Mapped[str] = mapped_column(String(20))
    kol_type_scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    kol_type_reasons: Mapped[list[Any]] = mapped_column(JSON)
    credentials: Mapped[list[Any]] = mapped_column(JSON)
    is_virtual: Mapped[bool] = mapped_column(Boolean, default=False)
    kol_type_method: Mapped[str] = mapped_column(String(20))
    niche: Mapped[str | None] = mapped_column(String(40), index=True)
    niche_confidence: Mapped[float | None] = mapped_column(Float)
    niche_evidence: Mapped[list[Any]] = mapped_column(JSON)
    niche_method: Mapped[str] = mapped_column(String(20))


class Follower(ProvenanceMixin, Base):
    """An account seen following a creator's account: the creator's audience sample."""

    __tablename__ = "followers"
    __table_args__ = (
        UniqueConstraint("account_id", "follower_account_id"),
        Index("ix_followers_follower", "follower_account_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    follower_account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"))
    observed_at: Mapped[datetime | None] = mapped_column(Time)


class CommentSentiment(Base):
    """A comment's sentiment under one method version."""

    __tablename__ = "comment_sentiments"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    label: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(8))
    method_version: Mapped[str] = mapped_column(String(20))
    computed_at: Mapped[datetime] = mapped_column(Time)


class KeywordSetRow(Base):
    """A workspace's own words to flag: brand-safety terms, brand values, red lines, rivals."""

    __tablename__ = "keyword_sets"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(60))
    language: Mapped[str | None] = mapped_column(String(8))
    terms: Mapped[list[Any]] = mapped_column(JSON)
    exceptions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(Time)
    updated_at: Mapped[datetime] = mapped_column(Time)


class PostFlagRow(Base):
    """A term of a keyword set found in a post, kept until the post is vetted again."""

    __tablename__ = "post_flags"
    __table_args__ = (
        UniqueConstraint("post_id", "set_name", "term"),
        Index("ix_post_flags_ws_category", "workspace_id", "kind", "category"),
        Index("ix_post_flags_account", "account_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    set_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(60))
    term: Mapped[str] = mapped_column(String(200))
    snippet: Mapped[str] = mapped_column(Text)
    matches: Mapped[int] = mapped_column(Integer)
    method_version: Mapped[str] = mapped_column(String(20))
    computed_at: Mapped[datetime] = mapped_column(Time)


class VettingReportRow(Base):
    """A creator account's latest vetting report: every signal, the risk and the verdict."""

    __tablename__ = "vetting_reports"
    __table_args__ = (Index("ix_vetting_reports_ws_verdict", "workspace_id", "verdict"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    method_version: Mapped[str] = mapped_column(String(20))
    computed_at: Mapped[datetime] = mapped_column(Time)
    verdict: Mapped[str] = mapped_column(String(10))
    risk: Mapped[float] = mapped_column(Float)
    coverage: Mapped[float] = mapped_column(Float)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)


class VettingOverride(Base):
    """A person's verdict on a creator account, with the reason; the latest one stands."""

    __tablename__ = "vetting_overrides"
    __table_args__ = (Index("ix_vetting_overrides_account", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    verdict: Mapped[str | None] = mapped_column(String(10))  # None: the override was withdrawn
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(Time)


class CampaignRow(Base):
    """A campaign: brand, goal, KPI targets, budget, dates, status and the outreach offer."""

    __tablename__ = "campaigns"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    budget: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    currency: Mapped[str | None] = mapped_column(String(3))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    kpi_targets: Mapped[dict[str, Any]] = mapped_column(JSON)
    offer: Mapped[str] = mapped_column(Text, default="")
    audience_gain: Mapped[str] = mapped_column(Text, default="")
    brief_slug: Mapped[str | None] = mapped_column(String(60))
    brief_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Time)
    updated_at: Mapped[datetime] = mapped_column(Time)


class BriefRow(Base):
    """One version of a campaign brief; a new version is stored whenever its content changes."""

    __tablename__ = "briefs"
    __table_args__ = (UniqueConstraint("workspace_id", "slug", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(Time)


class PlanRow(Base):
    """A stored plan: the brief version it was made for, its budget and every pick."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    brief_slug: Mapped[str] = mapped_column(String(60))
    brief_version: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(Time)


class RateCardRow(Base):
    """A workspace's rate for one platform × tier × format in one currency."""

    __tablename__ = "rate_cards"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "tier", "format", "currency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    tier: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    low: Mapped[Decimal] = mapped_column(ExactDecimal())
    typical: Mapped[Decimal] = mapped_column(ExactDecimal())
    high: Mapped[Decimal] = mapped_column(ExactDecimal())
    updated_at: Mapped[datetime] = mapped_column(Time)


class CollaborationRow(Base):
    """One account in one campaign, its pipeline stage and its terms."""

    __tablename__ = "collaborations"
    __table_args__ = (UniqueConstraint("campaign_id", "account_id"),
                      Index("ix_collaborations_account", "account_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    why_you: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    terms_revision: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Time)
    updated_at: Mapped[datetime] = mapped_column(Time)


class CollaborationEvent(Base):
    """Everything that happened to a collaboration, with who and when: moves, terms, touches."""

    __tablename__ = "collaboration_events"
    __table_args__ = (Index("ix_collaboration_events_collab", "collaboration_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str | None] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(Time)


class DeliverableRow(Base):
    """One post the terms call for, its review status and, once live, the published post."""

    __tablename__ = "deliverables"
    __table_args__ = (UniqueConstraint("collaboration_id", "spec_index", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"))
    spec_index: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    platform: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    published_url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None] = mapped_column(Time)


class DraftRow(Base):
    """A draft submitted for a deliverable (a link or a file), its check and the decision."""

    __tablename__ = "deliverable_drafts"
    __table_args__ = (UniqueConstraint("deliverable_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(ForeignKey("deliverables.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(String(2000))
    file_name: Mapped[str | None] = mapped_column(String(300))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    caption: Mapped[str] = mapped_column(Text, default="")
    paid_partnership: Mapped[bool] = mapped_column(Boolean, default=False)
    check: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime] = mapped_column(Time)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(Time)


class DraftComment(Base):
    __tablename__ = "draft_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("deliverable_drafts.id", ondelete="CASCADE"),
                                          index=True)
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(Time)


class LedgerEntryRow(Base):
    """An amount due (fee, performance, adjustment) or a payment made; append-only."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_collab", "collaboration_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal())
    currency: Mapped[str] = mapped_column(String(3))
    due_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(Time)


class OutreachTemplateRow(Base):
    __tablename__ = "outreach_templates"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(Time)


class SenderRow(Base):
    """An address outreach is sent from, with its daily cap."""

    __tablename__ = "outreach_senders"
    __table_args__ = (UniqueConstraint("workspace_id", "address"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(200))
    daily_cap: Mapped[int] = mapped_column(Integer)


class SequenceRow(Base):
    """A campaign's outreach sequence: a sender, a channel and its steps (template, delay)."""

    __tablename__ = "outreach_sequences"
    __table_args__ = (UniqueConstraint("campaign_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(10))
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_senders.id", ondelete="RESTRICT"))
    steps: Mapped[list[Any]] = mapped_column(JSON)


class OutreachMessageRow(Base):
    """One touch: an email or a manual DM task, from draft through approval to sent."""

    __tablename__ = "outreach_messages"
    __table_args__ = (Index("ix_outreach_messages_collab", "collaboration_id", "step"),
                      Index("ix_outreach_messages_sender_sent", "sender_id", "sent_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"))
    sequence_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_sequences.id", ondelete="SET NULL"))
    step: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(10))
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_senders.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(Time)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(Time)
    sent_at: Mapped[datetime | None] = mapped_column(Time)
    message_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    error: Mapped[str | None] = mapped_column(Text)


class ReplyRow(Base):
    """A reply from a KOL, captured from inbound mail or recorded by hand; it stops follow-ups."""

    __tablename__ = "outreach_replies"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_messages.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(10))
    from_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(Time)


class SuppressionRow(Base):
    """Do not contact: an email address or a platform handle (``platform:handle``)."""

    __tablename__ = "outreach_suppressions"
    __table_args__ = (UniqueConstraint("workspace_id", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(Time)


class AccountNote(Base):
    """A team note on a KOL, kept across campaigns."""

    __tablename__ = "account_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(Time)


class TrackingLinkRow(Base):
    """A tracked short link: a code unique across workspaces (one redirect host serves them
    all), the checked destination and the URL with UTM parameters the redirect sends to."""

    __tablename__ = "tracking_links"
    __table_args__ = (Index("ix_tracking_links_updated", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"))
    collaboration_id: Mapped[int | None] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"))
    deliverable_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliverables.id", ondelete="SET NULL"))
    destination: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    utm: Mapped[dict[str, Any]] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Time)
    updated_at: Mapped[datetime] = mapped_column(Time)


class TrackingClickRow(Base):
    """One request to a tracked link, as the redirect saw it; append-only, written in batches.

    No raw IP: ``ip_hash`` is salted per day and ``visitor`` combines it with the browser.
    ``bot`` says why a request is not counted (None for a person's click)."""

    __tablename__ = "tracking_clicks"
    # One index, by workspace and time: clicks arrive in time order, so it grows at its end
    # (an index by link or by visitor takes random pages on every batch, the dearest part of
    # writing clicks). Counts per link and a visitor's touches are read over a period.
    __table_args__ = (Index("ix_tracking_clicks_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    click_id: Mapped[str] = mapped_column(String(32), unique=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("tracking_links.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(Time)
    user_agent: Mapped[str] = mapped_column(String(512))
    referrer: Mapped[str] = mapped_column(String(1024))
    ip_hash: Mapped[str] = mapped_column(String(32))
    visitor: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    bot: Mapped[str | None] = mapped_column(String(40))
    is_unique: Mapped[bool] = mapped_column(Boolean)


class TrackingSettingsRow(Base):
    """A workspace's tracking set-up: UTM template, promo-code format, the shop's webhook
    secret and the public site key the conversion snippet sends with each order."""

    __tablename__ = "tracking_settings"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    utm: Mapped[dict[str, Any]] = mapped_column(JSON)
    promo: Mapped[dict[str, Any]] = mapped_column(JSON)
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    site_key: Mapped[str] = mapped_column(String(40), unique=True)
    updated_at: Mapped[datetime] = mapped_column(Time)


class PromoCodeRow(Base):
    """A promo code of one collaboration; ``key`` is the normalised form orders are matched by."""

    __tablename__ = "promo_codes"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"),
                                             index=True)
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(Time)


class ConversionRow(Base):
    """An order as the shop last reported it, one row per order id (re-sent orders replace
    it); ``refunded`` is what the order itself says was refunded."""

    __tablename__ = "conversions"
    __table_args__ = (UniqueConstraint("workspace_id", "order_id"),
                      Index("ix_conversions_workspace_at", "workspace_id", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(Time)
    revenue: Mapped[Decimal] = mapped_column(ExactDecimal())
    refunded: Mapped[Decimal] = mapped_column(ExactDecimal())
    currency: Mapped[str] = mapped_column(String(3))
    promo_code: Mapped[str | None] = mapped_column(String(40))
    click_id: Mapped[str | None] = mapped_column(String(32))
    visitor: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(Time)
    updated_at: Mapped[datetime] = mapped_column(Time)


class RefundRow(Base):
    """A refund reported on its own (Shopify's refunds/create, a generic refund event); kept
    by refund id so a re-sent refund counts once, and before its order arrives if need be."""

    __tablename__ = "conversion_refunds"
    __table_args__ = (UniqueConstraint("workspace_id", "refund_id"),
                      Index("ix_conversion_refunds_order", "workspace_id", "order_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(100))
    refund_id: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal())
    at: Mapped[datetime] = mapped_column(Time)


class LiveSessionRow(Base):
    """One live-commerce stream of a collaboration, as its platform's export gave it."""

    __tablename__ = "live_sessions"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "session_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"),
                                             index=True)
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    session_id: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(Time)
    viewers: Mapped[int | None] = mapped_column(Integer)
    peak_viewers: Mapped[int | None] = mapped_column(Integer)
    watch_seconds: Mapped[int | None] = mapped_column(BigInteger)
    orders: Mapped[int] = mapped_column(Integer)
    gmv: Mapped[Decimal] = mapped_column(ExactDecimal())
    refunds: Mapped[Decimal] = mapped_column(ExactDecimal())
    currency: Mapped[str] = mapped_column(String(3))
    source_name: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(Time)

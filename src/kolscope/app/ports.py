"""The ports use cases talk through. ``adapters/db`` implements them; tests use the real SQLite.

Write-side rows are plain dataclasses built by the ingest from core records, so the storage adapter
does SQL and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from kolscope.app.campaign_views import (
    BriefView,
    CampaignIn,
    CampaignView,
    CollaborationView,
    DeliverableView,
    DraftView,
    EventView,
    HistoryRow,
    LedgerEntryView,
    MessageView,
    NoteView,
    ReplyView,
    SenderView,
    SequenceView,
    StoredPlan,
    TemplateView,
)
from kolscope.app.models import (
    AccountProfile,
    AccountSummary,
    AuthorityRow,
    BreakdownRow,
    ClassificationRow,
    FlagView,
    ImportJobView,
    JobStatus,
    VettingView,
    WorkspaceView,
)
from kolscope.app.tracking_views import (
    ClickCounts,
    ClickRow,
    ConversionIn,
    ConversionView,
    LinkIn,
    LinkView,
    LiveSessionIn,
    LiveSessionView,
    PromoCodeIn,
    PromoCodeView,
    RedirectTarget,
    RefundIn,
    TouchRow,
    TrackingSettingsView,
)
from kolscope.core.campaigns.ledger import Entry
from kolscope.core.campaigns.outreach import Template
from kolscope.core.campaigns.terms import DeliverableSpec
from kolscope.core.discovery.graph import Degrees, Graph
from kolscope.core.discovery.profile import PostStats, ProfileMetrics
from kolscope.core.discovery.search import SearchIndex
from kolscope.core.matching.brief import Brief
from kolscope.core.matching.rates import PastDeal, Rate
from kolscope.core.records import Rejected
from kolscope.core.vetting.brand_safety import KeywordSet
from kolscope.core.vetting.report import Override
from kolscope.core.vetting.sentiment import ModelLanguage


@dataclass(frozen=True)
class Provenance:
    source: str
    source_file: str
    imported_at: datetime


@dataclass
class AccountRow:
    """An account to upsert; ``None`` fields keep what is stored."""

    platform: str
    handle: str
    platform_user_id: str | None = None
    display_name: str | None = None
    bio: str | None = None
    url: str | None = None
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None
    is_verified: bool | None = None
    is_private: bool | None = None
    has_profile_pic: bool | None = None
    external_url: str | None = None
    category: str | None = None
    niche: str | None = None
    language: str | None = None
    country: str | None = None
    rate_amount: Decimal | None = None
    rate_currency: str | None = None
    # True for creators' profiles (not only seen commenting or tagged); None otherwise, so that
    # merging rows of one batch never turns a profile back into a mere reference.
    is_profile: bool | None = None
    # The source's key grouping one creator's accounts; profiles without one get their own.
    creator_key: str | None = None
    creator_name: str | None = None


@dataclass
class PostRow:
    platform: str
    platform_post_id: str
    account_key: tuple[str, str]
    format: str
    posted_at: datetime | None
    url: str | None
    caption: str
    image_description: str | None
    location: str | None
    likes: int | None
    comments_count: int | None
    views: int | None
    shares: int | None
    saves: int | None
    is_paid_partnership: bool
    is_sponsored: bool
    language: str | None
    content_hash: str


@dataclass
class CommentRow:
    post_key: tuple[str, str]
    platform_comment_id: str
    author_key: tuple[str, str]
    text: str
    created_at: datetime | None
    likes: int | None
    replies_count: int | None


@dataclass
class MentionRow:
    post_key: tuple[str, str]
    account_key: tuple[str, str]
    kind: str  # "tag" or "mention"


@dataclass
class SponsorshipRow:
    post_key: tuple[str, str]
    disclosure: str
    brand_key: tuple[str, str] | None
    tags: str | None


@dataclass
class FollowerRow:
    account_key: tuple[str, str]
    follower_key: tuple[str, str]
    observed_at: datetime | None


@dataclass
class UpsertResult:
    """Ids of the rows written, keyed by their natural key, and how many were new or changed."""

    ids: dict[tuple[str, str], int] = field(default_factory=dict)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    written: set[tuple[str, str]] = field(default_factory=set)


class IngestStore(Protocol):
    """Batch writes of imported records, each keyed for idempotence."""

    def upsert_accounts(self, workspace_id: int, rows: Sequence[AccountRow],
                        provenance: Provenance) -> UpsertResult: ...

    def upsert_posts(self, workspace_id: int, rows: Sequence[PostRow],
                     account_ids: Mapping[tuple[str, str], int],
                     provenance: Provenance) -> UpsertResult: ...

    def upsert_comments(self, workspace_id: int, rows: Sequence[CommentRow],
                        post_ids: Mapping[tuple[str, str], int],
                        account_ids: Mapping[tuple[str, str], int],
                        provenance: Provenance) -> UpsertResult: ...

    def link_mentions(self, workspace_id: int, rows: Sequence[MentionRow],
                      post_ids: Mapping[tuple[str, str], int],
                      account_ids: Mapping[tuple[str, str], int],
                      provenance: Provenance) -> int: ...

    def link_sponsorships(self, workspace_id: int, rows: Sequence[SponsorshipRow],
                          post_ids: Mapping[tuple[str, str], int],
                          account_ids: Mapping[tuple[str, str], int],
                          provenance: Provenance) -> int: ...

    def link_followers(self, workspace_id: int, rows: Sequence[FollowerRow],
                       account_ids: Mapping[tuple[str, str], int],
                       provenance: Provenance) -> int: ...

    def existing_post_ids(self, workspace_id: int,
                          keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]: ...


class WorkspaceRepository(Protocol):
    def get(self, slug: str) -> WorkspaceView | None: ...
    def get_by_id(self, workspace_id: int) -> WorkspaceView | None: ...
    def add(self, *, slug: str, name: str, kind: str, is_synthetic: bool,
            now: datetime) -> WorkspaceView: ...
    def list(self) -> list[WorkspaceView]: ...
    def bump_version(self, workspace_id: int) -> None:
        """Mark the workspace's data changed, so indexes built from it are rebuilt."""
        ...


class AccountRepository(Protocol):
    def summaries(self, workspace_id: int, ids: Sequence[int]) -> dict[int, AccountSummary]: ...
    def profile(self, workspace_id: int, account_id: int, *,
                recent_posts: int) -> AccountProfile | None: ...
    def find(self, workspace_id: int, handle: str, platform: str | None) -> list[int]: ...
    def counts(self, workspace_id: int) -> dict[str, int]: ...
    def breakdown(self, workspace_id: int) -> list[BreakdownRow]: ...


@dataclass(frozen=True)
class PostSnapshot:
    """A post's counts observed at one time (an import, a connector, or typed in)."""

    post_id: int
    at: datetime
    likes: int | None
    comments: int | None
    views: int | None


@dataclass(frozen=True)
class PostCounts:
    """A post's stored shape and counts as the last import saw them (reports read these)."""

    post_id: int
    account_id: int
    platform: str
    format: str
    url: str | None
    posted_at: datetime | None
    likes: int | None
    comments: int | None
    views: int | None
    shares: int | None
    saves: int | None


class MetricsRepository(Protocol):
    def creator_account_ids(self, workspace_id: int, after_id: int, limit: int) -> list[int]: ...
    def post_stats(self, account_ids: Sequence[int]) -> dict[int, list[PostStats]]: ...
    def followers(self, account_ids: Sequence[int]) -> dict[int, int | None]: ...
    def save(self, workspace_id: int, metrics: Mapping[int, ProfileMetrics],
             computed_at: datetime) -> None: ...
    def set_languages(self, languages: Mapping[int, str]) -> None: ...
    def post_languages(self, account_ids: Sequence[int], per_account: int
                       ) -> dict[int, list[str | None]]: ...
    def post_snapshots(self, post_ids: Sequence[int]) -> dict[int, list[PostSnapshot]]:
        """Each post's stored counts over time, oldest first."""
        ...
    def add_post_snapshot(self, workspace_id: int, snapshot: PostSnapshot, *,
                          source: str) -> None: ...
    def post_times(self, post_ids: Sequence[int]) -> dict[int, datetime | None]:
        """When each post was published, where known."""
        ...
    def post_counts(self, post_ids: Sequence[int]) -> dict[int, PostCounts]:
        """Each post's format, link and counts as stored on the post itself."""
        ...


class ImportJobRepository(Protocol):
    def create(self, workspace_id: int, *, kind: str, source_file: str, bytes_total: int | None,
               now: datetime) -> int: ...
    def update(self, job_id: int, *, status: JobStatus | None = None,
               bytes_done: int | None = None, counts: Mapping[str, int] | None = None,
               rejected: int | None = None, error: str | None = None,
               started_at: datetime | None = None, finished_at: datetime | None = None) -> None: ...
    def add_rejects(self, job_id: int, rejects: Sequence[Rejected]) -> None: ...
    def get(self, workspace_id: int, job_id: int, *,
            rejects_limit: int) -> ImportJobView | None: ...
    def list(self, workspace_id: int, limit: int) -> list[ImportJobView]: ...


class ApiKeyRepository(Protocol):
    def add(self, workspace_id: int, *, name: str, prefix: str, key_hash: str,
            now: datetime) -> int: ...
    def workspace_for(self, key_hash: str) -> int | None: ...
    def revoke(self, workspace_id: int, key_id: int, now: datetime) -> bool: ...


@dataclass(frozen=True)
class Interactions:
    """Every interaction of a workspace as parallel arrays (account ids, kind codes, epoch
    seconds with NaN where unknown)."""

    sources: npt.NDArray[np.int64]
    targets: npt.NDArray[np.int64]
    kinds: npt.NDArray[np.int8]
    times: npt.NDArray[np.float64]


@dataclass(frozen=True)
class CreatorAccounts:
    """The workspace's KOL candidates: ids (sorted) with their platform and niche."""

    ids: npt.NDArray[np.int64]
    platforms: list[str]
    niches: list[str | None]


class SourceTally(BaseModel):
    """One number per table that interactions come from: a high-water mark (the largest row id
    folded into a graph) or a count of rows."""

    model_config = ConfigDict(frozen=True)

    comments: int = 0
    mentions: int = 0  # mentions and tags
    sponsorships: int = 0

    @property
    def total(self) -> int:
        return self.comments + self.mentions + self.sponsorships


@dataclass(frozen=True)
class InteractionBatch:
    """Interactions newer than some high-water marks: the marks after them, and how many rows of
    each table they hold."""

    interactions: Interactions
    marks: SourceTally
    rows: SourceTally


class GraphRepository(Protocol):
    def interactions(self, workspace_id: int) -> Interactions: ...
    def interactions_since(self, workspace_id: int, marks: SourceTally, *,
                           batch_size: int) -> Iterator[InteractionBatch]:
        """Interactions of rows above ``marks``, in batches of at most ``batch_size`` rows."""
        ...
    def interaction_rows(self, workspace_id: int, marks: SourceTally) -> SourceTally:
        """How many interaction rows of each table lie at or below ``marks``."""
        ...
    def creator_accounts(self, workspace_id: int) -> CreatorAccounts: ...
    def save_authority(self, workspace_id: int, rows: Sequence[AuthorityRow], *,
                       method_version: str, engine: str, computed_at: datetime) -> None: ...


@dataclass(frozen=True)
class AccountSignals:
    """What typing and niche classification read about one creator account."""

    account_id: int
    platform: str
    handle: str
    display_name: str | None
    bio: str | None
    followers: int | None
    source_niche: str | None
    captions: list[str]
    image_descriptions: list[str]
    posts_analyzed: int
    engagement_rate: float | None
    sponsored_share: float | None
    authority_percentile: float | None
    niche_percentile: float | None
    peer_endorsers: int
    endorser_niches: int
    is_virtual: bool


class ClassificationRepository(Protocol):
    def signals(self, workspace_id: int, after_id: int, limit: int, *,
                texts_per_account: int) -> list[AccountSignals]: ...
    def save(self, workspace_id: int, rows: Sequence[ClassificationRow],
             computed_at: datetime) -> None: ...
    def set_virtual(self, workspace_id: int, account_id: int, is_virtual: bool,
                    reason: dict[str, object]) -> bool:
        """Flag the account's creator, and its accounts' stored typings, as virtual or not;
        ``reason`` replaces the typings' ``is_virtual`` reason. False if no such creator
        account."""
        ...


@dataclass(frozen=True)
class SearchDocument:
    """What the search index holds of one creator account: facets and text."""

    account_id: int
    creator_id: int
    platform: str
    handle: str
    display_name: str | None
    bio: str | None
    category: str | None
    niche: str | None  # the source's, else the predicted one
    kol_type: str | None
    tier: str | None
    language: str | None
    country: str | None
    followers: int | None
    engagement_rate: float | None
    views_per_post: float | None
    last_post_at: datetime | None
    authority_percentile: float | None
    pagerank: float | None
    captions: list[str]
    verdict: str | None = None  # the vetting verdict in force
    flag_categories: list[str] = field(default_factory=list)  # of stored non-value flags


class SearchRepository(Protocol):
    def documents(self, workspace_id: int, after_id: int, limit: int, *,
                  texts_per_account: int) -> list[SearchDocument]:
        """Creator accounts with ids above ``after_id``, in id order, at most ``limit``."""
        ...
    def shared_audience(self, seed_id: int, candidate_ids: Sequence[int]
                        ) -> tuple[int, dict[int, int]]:
        """The seed's distinct commenters, and how many of them commented on each candidate."""
        ...
    def creator_accounts(self, account_id: int) -> list[int]:
        """The ids of every account of ``account_id``'s creator, itself included."""
        ...


class SearchIndexStore(Protocol):
    """Built search indexes, kept by workspace and the data version they were built from."""

    def get(self, workspace: str, version: int) -> SearchIndex | None: ...
    def put(self, workspace: str, version: int, index: SearchIndex) -> None: ...


class AudienceRepository(Protocol):
    def engagements(self, workspace_id: int
                    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Distinct (commenter, creator account commented on) pairs, as two arrays."""
        ...
    def comment_texts(self, workspace_id: int) -> Iterator[tuple[int, str]]:
        """(commenter, text) of every comment, streamed."""
        ...
    def accounts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(platform, handle) of the given accounts."""
        ...


@dataclass(frozen=True)
class VetSubject:
    """A creator account to vet and its stored profile metrics."""

    account_id: int
    platform: str
    handle: str
    followers: int | None
    tier: str | None
    engagement_rate: float | None
    posts_analyzed: int
    metrics_at: datetime | None


@dataclass(frozen=True)
class VetPost:
    """What vetting reads of one post."""

    post_id: int
    posted_at: datetime | None
    caption: str
    image_description: str | None
    likes: int | None
    comments_count: int | None
    views: int | None
    is_sponsored: bool
    sponsor_handles: tuple[str, ...]
    mentioned_handles: tuple[str, ...]  # tagged and @mentioned
    format: str = ""  # the post format (image, short_video ...)


@dataclass(frozen=True)
class VetComment:
    """A stored comment with its sentiment under the current method, where scored."""

    comment_id: int
    post_id: int
    author_handle: str
    text: str
    created_at: datetime | None
    label: str | None
    score: float | None


@dataclass(frozen=True)
class AudienceMember:
    """A sampled follower or commenter of a KOL, with its profile as far as it is stored."""

    account_id: int
    handle: str
    relation: str  # "follower" or "commenter"
    followers: int | None
    following: int | None
    posts_count: int | None
    has_profile_pic: bool | None
    is_private: bool | None
    bio: str | None
    external_url: str | None
    observed_at: datetime | None


@dataclass(frozen=True)
class SentimentRow:
    comment_id: int
    label: str
    score: float
    language: str | None


@dataclass(frozen=True)
class FlagRow:
    account_id: int
    post_id: int
    set_name: str
    kind: str
    category: str
    term: str
    snippet: str
    matches: int


class VettingRepository(Protocol):
    """Reads of what vetting measures, and writes of its results."""

    def subjects(self, workspace_id: int, after_id: int, limit: int) -> list[VetSubject]:
        """Creator accounts with ids above ``after_id``, in id order."""
        ...
    def subject(self, workspace_id: int, account_id: int) -> VetSubject | None: ...
    def engagement_rates(self, workspace_id: int) -> list[tuple[str, str, float]]:
        """(platform, tier, engagement rate) of every creator account that has them."""
        ...
    def posts(self, account_ids: Sequence[int], per_account: int) -> dict[int, list[VetPost]]:
        """Each account's most recent posts, newest first."""
        ...
    def comments(self, post_ids: Sequence[int], method_version: str) -> list[VetComment]: ...
    def follower_snapshots(self, account_ids: Sequence[int]
                           ) -> dict[int, list[tuple[datetime, int]]]: ...
    def audience(self, account_ids: Sequence[int], post_ids: Sequence[int], per_account: int
                 ) -> dict[int, list[AudienceMember]]:
        """Up to ``per_account`` followers, then commenters on ``post_ids``, of each account."""
        ...
    def known_brands(self, workspace_id: int) -> set[str]:
        """Handles of the accounts that sponsor any post of the workspace."""
        ...
    def save_sentiments(self, workspace_id: int, rows: Sequence[SentimentRow], *,
                        method_version: str, computed_at: datetime) -> None: ...
    def replace_flags(self, workspace_id: int, post_ids: Sequence[int], rows: Sequence[FlagRow],
                      *, method_version: str, computed_at: datetime) -> None:
        """Drop the stored flags of ``post_ids`` and store ``rows`` instead."""
        ...
    def flags(self, workspace_id: int, *, account_id: int | None, kind: str | None,
              category: str | None, limit: int, offset: int) -> tuple[int, list[FlagView]]: ...
    def save_report(self, workspace_id: int, view: VettingView) -> None: ...
    def report(self, workspace_id: int, account_id: int) -> VettingView | None:
        """The stored report with the latest override merged in."""
        ...
    def add_override(self, workspace_id: int, account_id: int, override: Override) -> None: ...
    def override(self, workspace_id: int, account_id: int) -> Override | None:
        """The latest override of the account (its verdict None when withdrawn)."""
        ...
    def verdicts(self, workspace_id: int) -> dict[str, int]:
        """How many stored reports there are per effective verdict."""
        ...


class KeywordSetRepository(Protocol):
    def list(self, workspace_id: int) -> list[KeywordSet]: ...
    def put(self, workspace_id: int, keyword_set: KeywordSet, now: datetime) -> bool:
        """Store the set under its name; True if it replaced one."""
        ...
    def delete(self, workspace_id: int, name: str) -> bool: ...


@dataclass(frozen=True)
class OutgoingMail:
    """One outreach email, ready for a transport; ``message_id`` threads the replies back."""

    sender: str
    sender_name: str
    recipient: str
    subject: str
    body: str
    message_id: str


@dataclass(frozen=True)
class InboundMail:
    """A reply as any inbound channel delivers it: webhook JSON, an .eml file or typed in."""

    from_address: str
    subject: str
    text: str
    message_id: str | None = None
    references: tuple[str, ...] = ()  # In-Reply-To first, then References
    received_at: datetime | None = None


class MailSender(Protocol):
    """Sends one email or raises ``OSError``; SMTP or an outbox folder."""

    def send(self, mail: OutgoingMail) -> None: ...


@dataclass(frozen=True)
class CostSubject:
    """What prices an account: its platform, tier and own quote (amount, currency)."""

    platform: str
    handle: str
    tier: str | None
    quote: tuple[Decimal, str] | None


class RateRepository(Protocol):
    def card(self, workspace_id: int) -> list[Rate]: ...
    def put(self, workspace_id: int, rates: Sequence[Rate], now: datetime) -> int: ...
    def subject(self, workspace_id: int, account_id: int) -> CostSubject | None: ...
    def deals(self, workspace_id: int, account_id: int) -> list[PastDeal]: ...


class TrackingRepository(Protocol):
    """Tracked links and the clicks the redirect service records (append-only, in batches)."""

    def upsert_links(self, workspace_id: int, links: Sequence[LinkIn], now: datetime) -> int: ...
    def code_taken(self, code: str) -> bool: ...
    def link(self, workspace_id: int, code: str) -> LinkView | None: ...
    def links(self, workspace_id: int, *, campaign_id: int | None = None,
              collaboration_id: int | None = None) -> list[LinkView]: ...
    def set_enabled(self, workspace_id: int, code: str, enabled: bool, now: datetime) -> bool: ...
    def links_changed_since(self, since: datetime | None) -> list[RedirectTarget]: ...
    def links_version(self) -> tuple[int, datetime | None]: ...
    def add_clicks(self, clicks: Sequence[ClickRow]) -> int: ...
    def clicks(self, workspace_id: int, *, since: datetime | None = None,
               limit: int | None = None) -> list[ClickRow]: ...
    def click_counts(self, workspace_id: int, *, link_ids: Sequence[int] | None = None,
                     since: datetime | None = None,
                     until: datetime | None = None) -> dict[int, ClickCounts]: ...
    def touches(self, workspace_id: int, *, click_ids: Sequence[str],
                visitors: Sequence[str] = (), since: datetime | None = None,
                until: datetime | None = None) -> list[TouchRow]: ...
    def visitor_touches(self, workspace_id: int, *, visitors: Sequence[str],
                        since: datetime | None = None,
                        until: datetime | None = None) -> list[TouchRow]: ...


class CommerceRepository(Protocol):
    """Promo codes, orders (one row per order id) with their refunds, live sessions and the
    workspace's tracking settings."""

    def settings(self, workspace_id: int) -> TrackingSettingsView | None: ...
    def save_settings(self, workspace_id: int, *, utm: dict[str, str], promo: dict[str, object],
                      site_key: str, now: datetime, webhook_secret: str | None = None,
                      clear_secret: bool = False) -> TrackingSettingsView: ...
    def webhook_secret(self, workspace_id: int) -> str | None: ...
    def workspace_of_site_key(self, site_key: str) -> int | None: ...
    def add_promo_codes(self, workspace_id: int, codes: Sequence[PromoCodeIn],
                        now: datetime) -> None: ...
    def promo_codes(self, workspace_id: int, *,
                    campaign_id: int | None = None) -> list[PromoCodeView]: ...
    def upsert_conversion(self, workspace_id: int, order: ConversionIn,
                          now: datetime) -> Literal["created", "updated", "unchanged"]: ...
    def add_refund(self, workspace_id: int, refund: RefundIn) -> bool: ...
    def conversions(self, workspace_id: int, *, since: datetime | None = None,
                    until: datetime | None = None) -> list[ConversionView]: ...
    def refunds(self, workspace_id: int, order_id: str) -> list[RefundIn]: ...
    def upsert_live_sessions(self, workspace_id: int, sessions: Sequence[LiveSessionIn],
                             now: datetime) -> tuple[int, int]: ...
    def live_sessions(self, workspace_id: int, *,
                      campaign_id: int | None = None) -> list[LiveSessionView]: ...


class BriefRepository(Protocol):
    def get(self, workspace_id: int, slug: str, version: int | None) -> BriefView | None: ...
    def add(self, workspace_id: int, slug: str, brief: Brief, actor: str,
            now: datetime) -> BriefView: ...
    def latest(self, workspace_id: int) -> list[BriefView]: ...
    def versions(self, workspace_id: int, slug: str) -> list[BriefView]: ...
    def save_plan(self, workspace_id: int, slug: str, version: int, body: dict[str, object],
                  now: datetime) -> int: ...
    def plan(self, workspace_id: int, plan_id: int) -> StoredPlan | None: ...


class CampaignRepository(Protocol):
    def create(self, workspace_id: int, campaign: CampaignIn, now: datetime,
               brief_version: int | None) -> CampaignView: ...
    def by_slug(self, workspace_id: int, slug: str) -> CampaignView | None: ...
    def all(self, workspace_id: int) -> list[CampaignView]: ...
    def set_status(self, campaign_id: int, status: str, now: datetime) -> None: ...
    def find_collaboration(self, campaign_id: int, account_id: int) -> int | None: ...
    def add_collaboration(self, workspace_id: int, campaign_id: int, account_id: int,
                          stage: str, why_you: str, now: datetime) -> int: ...
    def collaboration(self, workspace_id: int, collab_id: int) -> CollaborationView | None: ...
    def collaborations(self, campaign_id: int, stage: str | None
                       ) -> list[CollaborationView]: ...
    def set_stage(self, collab_id: int, stage: str, now: datetime) -> None: ...
    def set_terms(self, collab_id: int, terms: dict[str, Any], revision: int,
                  now: datetime) -> None: ...
    def set_rating(self, collab_id: int, rating: int) -> None: ...
    def set_contact_email(self, workspace_id: int, account_id: int,
                          email: str | None) -> None: ...
    def add_event(self, collab_id: int, kind: str, from_stage: str | None,
                  to_stage: str | None, actor: str, note: str, at: datetime) -> None: ...
    def events(self, collab_id: int) -> list[EventView]: ...
    def replace_deliverables(self, collab_id: int,
                             slots: Sequence[tuple[int, int, DeliverableSpec]]) -> None: ...
    def deliverables(self, collab_id: int) -> list[DeliverableView]: ...
    def deliverables_of(self, collab_ids: Sequence[int]
                        ) -> dict[int, list[DeliverableView]]: ...
    def deliverable(self, workspace_id: int, deliverable_id: int) -> DeliverableView | None: ...
    def set_deliverable_status(self, deliverable_id: int, status: str) -> None: ...
    def publish_deliverable(self, deliverable_id: int, *, url: str, post_id: int | None,
                            now: datetime) -> None: ...
    def post_by_url(self, workspace_id: int, url: str) -> int | None: ...
    def add_draft(self, deliverable_id: int, *, url: str | None, file_name: str | None,
                  file_sha256: str | None, caption: str, paid_partnership: bool,
                  check: dict[str, Any], actor: str, now: datetime) -> int: ...
    def draft(self, workspace_id: int, draft_id: int) -> DraftView | None: ...
    def decide_draft(self, draft_id: int, status: str, actor: str, now: datetime) -> None: ...
    def add_draft_comment(self, draft_id: int, author: str, body: str, now: datetime) -> None: ...
    def add_entry(self, collab_id: int, entry: Entry, actor: str, now: datetime) -> None: ...
    def entries(self, collab_id: int) -> list[Entry]: ...
    def entries_of(self, collab_ids: Sequence[int]) -> dict[int, list[Entry]]: ...
    def entry_views(self, collab_id: int) -> list[LedgerEntryView]: ...
    def entry_views_of(self, collab_ids: Sequence[int]
                       ) -> dict[int, list[LedgerEntryView]]: ...
    def account_name(self, workspace_id: int, account_id: int) -> tuple[str, str] | None: ...
    def history(self, workspace_id: int, account_id: int) -> list[HistoryRow]: ...
    def notes(self, workspace_id: int, account_id: int) -> list[NoteView]: ...
    def add_note(self, workspace_id: int, account_id: int, author: str, body: str,
                 now: datetime) -> NoteView: ...


class OutreachRepository(Protocol):
    def put_template(self, workspace_id: int, template: Template, now: datetime) -> None: ...
    def template(self, workspace_id: int, name: str) -> TemplateView | None: ...
    def templates(self, workspace_id: int) -> list[TemplateView]: ...
    def put_sender(self, workspace_id: int, address: str, display_name: str,
                   daily_cap: int) -> SenderView: ...
    def sender(self, workspace_id: int, address: str) -> SenderView | None: ...
    def senders(self, workspace_id: int) -> list[SenderView]: ...
    def put_sequence(self, campaign_id: int, name: str, channel: str, sender_id: int | None,
                     steps: list[tuple[str, int]]) -> SequenceView: ...
    def sequence(self, campaign_id: int, name: str) -> SequenceView | None: ...
    def sequences(self, campaign_id: int) -> list[SequenceView]: ...
    def suppress(self, workspace_id: int, value: str, reason: str, actor: str,
                 now: datetime) -> None: ...
    def unsuppress(self, workspace_id: int, value: str) -> bool: ...
    def suppressions(self, workspace_id: int) -> list[dict[str, object]]: ...
    def suppressed_set(self, workspace_id: int) -> set[str]: ...
    def add_message(self, workspace_id: int, collab_id: int, sequence_id: int | None,
                    step: int, channel: str, sender_id: int | None, recipient: str,
                    subject: str, body: str, now: datetime) -> int: ...
    def message(self, workspace_id: int, message_id: int) -> MessageView | None: ...
    def messages(self, workspace_id: int, campaign_id: int | None,
                 status: str | None) -> list[MessageView]: ...
    def messages_of(self, collab_id: int, sequence_id: int) -> list[MessageView]: ...
    def message_by_mail_id(self, workspace_id: int, mail_id: str) -> MessageView | None: ...
    def set_status(self, message_id: int, status: str, *, approved_by: str | None = None,
                   at: datetime | None = None, sent_at: datetime | None = None,
                   mail_id: str | None = None, error: str | None = None) -> None: ...
    def sent_count(self, sender_id: int, since: datetime) -> int: ...
    def cancel_open(self, collab_id: int, why: str) -> int: ...
    def has_reply(self, collab_id: int) -> bool: ...
    def latest_collaboration_for(self, workspace_id: int, address: str) -> int | None: ...
    def add_reply(self, workspace_id: int, collab_id: int, message_id: int | None,
                  channel: str, from_address: str, subject: str, body: str, source: str,
                  external_id: str, received_at: datetime) -> int | None: ...
    def reply(self, reply_id: int) -> ReplyView | None: ...
    def replies(self, collab_id: int) -> list[ReplyView]: ...


class GraphManifest(BaseModel):
    """What a stored graph was built from and how: enough to fold in only newer rows exactly."""

    model_config = ConfigDict(frozen=True)

    method_version: str
    half_life_days: float
    # The workspace's identity (id and creation time): a re-created workspace is a new source.
    source: str
    marks: SourceTally
    rows: SourceTally  # interaction rows folded in, per table
    reference_time: float | None  # newest dated interaction (epoch s), where ages count from
    oldest_time: float | None  # oldest dated interaction, which undated ones count as
    typed_edges: int  # stored (source, target, kind) aggregates


class GraphStore(Protocol):
    """Each workspace's interaction graph, kept between runs as aggregated typed edges so that a
    run folds in only the interactions added since the last one."""

    def manifest(self, key: str) -> GraphManifest | None:
        """The stored graph's manifest; None when there is none or it cannot be read."""
        ...
    def update(self, key: str, batches: Iterable[InteractionBatch], *,
               base: GraphManifest | None, half_life_days: float,
               source: str) -> GraphManifest:
        """Fold ``batches`` into the graph stored as ``base``; with None, build it afresh."""
        ...
    def load(self, key: str, *, extra_nodes: npt.NDArray[np.int64]) -> Graph:
        """The stored graph, with ``extra_nodes`` as nodes even where they have no edge."""
        ...


class GraphEngine(Protocol):
    """Graph algorithms over a built graph, returning one value per node in graph order."""

    name: str

    def pagerank(self, graph: Graph, *,
                 personalization: npt.NDArray[np.float64] | None = None
                 ) -> npt.NDArray[np.float64]: ...
    def hits(self, graph: Graph) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    def k_core(self, graph: Graph) -> npt.NDArray[np.int64]: ...
    def degrees(self, graph: Graph) -> Degrees: ...


class UnitOfWork(Protocol):
    """One transaction over every repository; leaving it without ``commit`` rolls back."""

    @property
    def workspaces(self) -> WorkspaceRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def ingest(self) -> IngestStore: ...
    @property
    def metrics(self) -> MetricsRepository: ...
    @property
    def imports(self) -> ImportJobRepository: ...
    @property
    def api_keys(self) -> ApiKeyRepository: ...
    @property
    def graph(self) -> GraphRepository: ...
    @property
    def classification(self) -> ClassificationRepository: ...
    @property
    def audience(self) -> AudienceRepository: ...
    @property
    def search(self) -> SearchRepository: ...
    @property
    def vetting(self) -> VettingRepository: ...
    @property
    def keyword_sets(self) -> KeywordSetRepository: ...
    @property
    def campaigns(self) -> CampaignRepository: ...
    @property
    def outreach(self) -> OutreachRepository: ...
    @property
    def briefs(self) -> BriefRepository: ...
    @property
    def rates(self) -> RateRepository: ...
    @property
    def tracking(self) -> TrackingRepository: ...
    @property
    def commerce(self) -> CommerceRepository: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
Clock = Callable[[], datetime]


class SentimentModels(Protocol):
    """Class probabilities of texts, one model per language (``adapters/nlp/sentiment.py``)."""

    method_version: str

    def probabilities(self, language: ModelLanguage, texts: Sequence[str]
                      ) -> npt.NDArray[np.float64]:
        """Rows of (P(negative), P(neutral), P(positive)), one per text, each adding up to 1."""
        ...

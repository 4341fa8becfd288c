"""Import use cases: stream records from a source into storage, a batch per unit of work.

Re-running an import is idempotent: rows are keyed by (platform, platform id or handle), new values
overwrite, missing ones keep what is stored, and unchanged posts are counted as such.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kolscope.app.metrics import refresh_profile_metrics
from kolscope.app.models import ImportJobView, JobStatus
from kolscope.app.ports import (
    AccountRow,
    Clock,
    CommentRow,
    FollowerRow,
    MentionRow,
    PostRow,
    Provenance,
    SponsorshipRow,
    UnitOfWork,
    UnitOfWorkFactory,
)
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.niches import niche_for_label
from kolscope.core.discovery.tiers import TierThresholds
from kolscope.core.records import (
    AccountRecord,
    FollowerRecord,
    PostRecord,
    Record,
    Rejected,
    SourceLocation,
    StandaloneComment,
)
from kolscope.core.text import detect_language, mentions
from kolscope.core.vetting.sponsorship import disclosure_tags
from kolscope.errors import KolscopeError, NotFound

Item = tuple[SourceLocation, Record] | Rejected


class RecordSource(Protocol):
    """A file (or generator) that yields located records and the lines it had to reject."""

    kind: str
    label: str

    def size(self) -> int | None:
        """Total bytes to read, where known, for progress."""
        ...

    def position(self) -> int:
        """Bytes read so far."""
        ...

    def read(self) -> Iterator[Item]:
        """Records in file order, each with where it came from, or a Rejected line."""
        ...


@dataclass(frozen=True)
class ImportOptions:
    batch_size: int = 500
    max_stored_rejects: int = 1_000
    thresholds: TierThresholds = field(default_factory=TierThresholds)
    recent_posts: int = 12


@dataclass(frozen=True)
class ImportProgress:
    bytes_done: int
    bytes_total: int | None
    records: int
    rejected: int


ProgressCallback = Callable[[ImportProgress], None]

COUNT_KEYS = ("records", "accounts_new", "accounts_known", "posts_new", "posts_updated",
              "posts_unchanged", "comments_new", "comments_updated", "comments_unchanged",
              "mentions", "sponsorships", "followers", "profiles_scored")


def start_import(uow: UnitOfWork, *, workspace: str, source: RecordSource, clock: Clock) -> int:
    """Record a queued import job for ``source`` and return its id."""
    ws = require_workspace(uow, workspace)
    return uow.imports.create(ws.id, kind=source.kind, source_file=source.label,
                              bytes_total=source.size(), now=clock())


def run_import(uow_factory: UnitOfWorkFactory, *, workspace: str, job_id: int,
               source: RecordSource, options: ImportOptions, clock: Clock,
               progress: ProgressCallback | None = None) -> ImportJobView:
    """Run a started import job to the end and return its final state.

    A batch is written and committed at a time, so a failure leaves every earlier batch stored and
    the job marked failed with the reason; running the same import again completes it.
    """
    with uow_factory() as uow:
        ws = require_workspace(uow, workspace)
        uow.imports.update(job_id, status=JobStatus.RUNNING, started_at=clock())
        uow.commit()
    counts = dict.fromkeys(COUNT_KEYS, 0)
    stored_rejects = 0
    rejected = 0
    touched: set[int] = set()
    provenance = Provenance(source=source.kind, source_file=source.label, imported_at=clock())
    batch: list[tuple[SourceLocation, Record]] = []
    pending_rejects: list[Rejected] = []

    def flush() -> None:
        nonlocal rejected, stored_rejects
        with uow_factory() as uow:
            late = _write_batch(uow, ws.id, batch, provenance, counts, touched)
            pending_rejects.extend(late)
            rejected += len(late)
            keep = pending_rejects[: max(0, options.max_stored_rejects - stored_rejects)]
            uow.imports.add_rejects(job_id, keep)
            stored_rejects += len(keep)
            uow.imports.update(job_id, bytes_done=source.position(), counts=counts,
                               rejected=rejected)
            uow.workspaces.bump_version(ws.id)
            uow.commit()
        batch.clear()
        pending_rejects.clear()
        if progress:
            progress(ImportProgress(source.position(), source.size(), counts["records"], rejected))

    try:
        for item in source.read():
            if isinstance(item, Rejected):
                pending_rejects.append(item)
                rejected += 1
                continue
            counts["records"] += 1
            batch.append(item)
            if len(batch) >= options.batch_size:
                flush()
        flush()
        counts["profiles_scored"] = refresh_profile_metrics(
            uow_factory, workspace_id=ws.id, account_ids=sorted(touched),
            thresholds=options.thresholds, window=options.recent_posts, clock=clock)
    except BaseException as exc:  # an interrupted job says so instead of staying "running"
        with uow_factory() as uow:
            reason = _failure(exc, source)
            uow.imports.update(job_id, status=JobStatus.FAILED, error=reason,
                               finished_at=clock(), counts=counts, rejected=rejected)
            uow.commit()
        raise
    with uow_factory() as uow:
        uow.imports.update(job_id, status=JobStatus.SUCCEEDED, finished_at=clock(),
                           counts=counts, rejected=rejected, bytes_done=source.position())
        uow.commit()
        return get_import(uow, workspace=workspace, job_id=job_id, rejects_limit=1_000)


def _failure(exc: BaseException, source: RecordSource) -> str:
    """Why a job failed, in the user's words: a kolscope error's own message, the uploaded
    file's name where the reader named the server's copy of it."""
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        return ("interrupted; what was stored before stays, and importing the file again adds "
                "only what is missing")
    reason = exc.message if isinstance(exc, KolscopeError) else f"{type(exc).__name__}: {exc}"
    path = getattr(source, "path", None)
    return reason.replace(str(path), source.label) if path is not None else reason


def get_import(uow: UnitOfWork, *, workspace: str, job_id: int,
               rejects_limit: int = 100) -> ImportJobView:
    """An import job with its progress, counts and first rejected lines."""
    ws = require_workspace(uow, workspace)
    job = uow.imports.get(ws.id, job_id, rejects_limit=rejects_limit)
    if job is None:
        raise NotFound(f"import job {job_id} not found", workspace=workspace, job_id=job_id)
    return job


def list_imports(uow: UnitOfWork, *, workspace: str, limit: int = 50) -> list[ImportJobView]:
    """The workspace's latest import jobs, newest first."""
    ws = require_workspace(uow, workspace)
    return uow.imports.list(ws.id, limit)


def _write_batch(uow: UnitOfWork, workspace_id: int, batch: Sequence[tuple[SourceLocation, Record]],
                 provenance: Provenance, counts: dict[str, int], touched: set[int]
                 ) -> list[Rejected]:
    plan = _BatchPlan()
    for location, record in batch:
        plan.add(location, record)
    accounts = uow.ingest.upsert_accounts(workspace_id, list(plan.accounts.values()), provenance)
    counts["accounts_new"] += accounts.new
    counts["accounts_known"] += accounts.updated + accounts.unchanged
    posts = uow.ingest.upsert_posts(workspace_id, list(plan.posts.values()), accounts.ids,
                                    provenance)
    counts["posts_new"] += posts.new
    counts["posts_updated"] += posts.updated
    counts["posts_unchanged"] += posts.unchanged + plan.duplicate_posts
    post_ids = dict(posts.ids)
    missing = {c.post_key for c, _ in plan.comments if c.post_key not in post_ids}
    if missing:
        post_ids.update(uow.ingest.existing_post_ids(workspace_id, missing))
    late: list[Rejected] = []
    comments: list[CommentRow] = []
    for row, where in plan.comments:
        if row.post_key in post_ids:
            comments.append(row)
        elif where is not None:
            late.append(Rejected(location=where, field="post_id",
                                 reason=f"post {row.post_key[1]!r} on {row.post_key[0]} is not "
                                        "stored; import the post first"))
    result = uow.ingest.upsert_comments(workspace_id, comments, post_ids, accounts.ids, provenance)
    counts["comments_new"] += result.new
    counts["comments_updated"] += result.updated
    counts["comments_unchanged"] += result.unchanged
    # Tags, mentions and disclosures come from a post's content: an unchanged post has them all.
    mentions_ = [m for m in plan.mentions if m.post_key in posts.written]
    sponsorships = [s for s in plan.sponsorships if s.post_key in posts.written]
    counts["mentions"] += uow.ingest.link_mentions(workspace_id, mentions_, post_ids,
                                                   accounts.ids, provenance)
    counts["sponsorships"] += uow.ingest.link_sponsorships(workspace_id, sponsorships,
                                                           post_ids, accounts.ids, provenance)
    counts["followers"] += uow.ingest.link_followers(workspace_id, plan.followers,
                                                     accounts.ids, provenance)
    touched.update(accounts.ids[key] for key in plan.profiles)
    return late


class _BatchPlan:
    """Turns a batch of records into de-duplicated rows for the store."""

    def __init__(self) -> None:
        self.accounts: dict[tuple[str, str], AccountRow] = {}
        self.profiles: set[tuple[str, str]] = set()
        self.posts: dict[tuple[str, str], PostRow] = {}
        self.duplicate_posts = 0
        self.comments: list[tuple[CommentRow, SourceLocation | None]] = []
        self.mentions: list[MentionRow] = []
        self.sponsorships: list[SponsorshipRow] = []
        self.followers: list[FollowerRow] = []

    def add(self, location: SourceLocation, record: Record) -> None:
        if isinstance(record, AccountRecord):
            self._account(record, profile=True)
        elif isinstance(record, PostRecord):
            self._post(record)
        elif isinstance(record, FollowerRecord):
            self._follower(record)
        else:
            self._standalone_comment(location, record)

    def _merge(self, row: AccountRow) -> tuple[str, str]:
        key = (row.platform, row.handle)
        seen = self.accounts.get(key)
        if seen is None:
            self.accounts[key] = row
        else:
            for name, value in vars(row).items():
                if value is not None:
                    setattr(seen, name, value)
        return key

    def _account(self, rec: AccountRecord, *, profile: bool) -> tuple[str, str]:
        row = AccountRow(
            platform=rec.platform.value, handle=rec.handle, platform_user_id=rec.platform_user_id,
            display_name=rec.display_name, bio=rec.bio, url=rec.url, followers=rec.followers,
            following=rec.following, posts_count=rec.posts_count, is_verified=rec.is_verified,
            is_private=rec.is_private, has_profile_pic=rec.has_profile_pic,
            external_url=rec.external_url, category=rec.category,
            niche=niche_for_label(rec.niche) or niche_for_label(rec.category),
            language=rec.language, country=rec.country,
            rate_amount=rec.rate.amount if rec.rate else None,
            rate_currency=rec.rate.currency if rec.rate else None,
            is_profile=True if profile else None,
            creator_key=rec.creator_key if profile else None,
            creator_name=rec.display_name if profile else None,
        )
        key = self._merge(row)
        if profile:
            self.profiles.add(key)
        return key

    def _handle(self, platform: str, handle: str, platform_user_id: str | None = None
                ) -> tuple[str, str]:
        return self._merge(AccountRow(platform=platform, handle=handle,
                                      platform_user_id=platform_user_id))

    def _post(self, rec: PostRecord) -> None:
        platform = rec.platform.value
        author = self._account(rec.author, profile=True)
        key = (platform, rec.platform_post_id)
        tags = disclosure_tags(rec.caption)
        paid = rec.is_paid_partnership or bool(rec.sponsor_handles)
        digest = hashlib.md5(rec.model_dump_json(exclude={"comments"}).encode(),
                             usedforsecurity=False).hexdigest()
        if key in self.posts:
            self.duplicate_posts += 1
        self.posts[key] = PostRow(
            platform=platform, platform_post_id=rec.platform_post_id, account_key=author,
            format=rec.format.value, posted_at=rec.posted_at, url=rec.url, caption=rec.caption,
            image_description=rec.image_description, location=rec.location, likes=rec.likes,
            comments_count=rec.comments_count, views=rec.views, shares=rec.shares,
            saves=rec.saves, is_paid_partnership=paid, is_sponsored=paid or bool(tags),
            language=detect_language(rec.caption), content_hash=digest)
        for handle in rec.tagged_handles:
            self.mentions.append(MentionRow(key, self._handle(platform, handle), "tag"))
        for handle in mentions(rec.caption):
            self.mentions.append(MentionRow(key, self._handle(platform, handle), "mention"))
        for handle in rec.sponsor_handles:
            self.sponsorships.append(SponsorshipRow(key, "paid_partnership",
                                                    self._handle(platform, handle), None))
        if rec.is_paid_partnership and not rec.sponsor_handles:
            self.sponsorships.append(SponsorshipRow(key, "paid_partnership", None, None))
        if tags:
            self.sponsorships.append(SponsorshipRow(key, "disclosure_tag", None, " ".join(tags)))
        for comment in rec.comments:
            author_key = self._handle(platform, comment.author_handle, comment.author_platform_id)
            self.comments.append((CommentRow(
                post_key=key, platform_comment_id=comment.platform_comment_id,
                author_key=author_key, text=comment.text, created_at=comment.created_at,
                likes=comment.likes, replies_count=comment.replies_count), None))

    def _follower(self, rec: FollowerRecord) -> None:
        """A follower is a profile of its own (not a creator) and an audience edge."""
        followed = self._handle(rec.platform.value, rec.account_handle)
        follower = self._account(rec.follower, profile=False)
        self.followers.append(FollowerRow(followed, follower, rec.observed_at))

    def _standalone_comment(self, location: SourceLocation, rec: StandaloneComment) -> None:
        platform = rec.platform.value
        c = rec.comment
        author_key = self._handle(platform, c.author_handle, c.author_platform_id)
        self.comments.append((CommentRow(
            post_key=(platform, rec.platform_post_id), platform_comment_id=c.platform_comment_id,
            author_key=author_key, text=c.text, created_at=c.created_at, likes=c.likes,
            replies_count=c.replies_count), location))


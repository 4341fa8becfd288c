"""Watch a running campaign: every published deliverable's counts over time against its
forecast, its comments' sentiment, and the alerts they raise (``monitor-1``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from kolscope.app.campaigns import require_campaign
from kolscope.app.deliverables import require_deliverable
from kolscope.app.forecasts import peer_prior
from kolscope.app.ports import PostSnapshot, UnitOfWork
from kolscope.app.workspaces import require_workspace
from kolscope.core.matching.forecast import Interval, engagement_forecast
from kolscope.core.metrics import engagements, sentiment_shares
from kolscope.core.records import Count, to_utc
from kolscope.core.reporting.monitoring import (
    MONITORING_METHOD_VERSION,
    Snapshot,
    accrued_share,
    behind_forecast,
    negative_turn,
)
from kolscope.core.vetting.sentiment import SENTIMENT_METHOD_VERSION
from kolscope.errors import InvalidInput

#: Recent posts of a KOL whose comments give its usual negative share.
BASELINE_POSTS = 12


class AlertView(BaseModel):
    kind: str
    at: datetime
    reason: str


class PostWatch(BaseModel):
    deliverable_id: int
    collaboration_id: int
    handle: str
    platform: str
    post_id: int
    posted_at: datetime | None
    snapshots: int
    latest_at: datetime | None
    likes: int | None
    comments: int | None
    views: int | None
    engagements: int | None
    forecast: Interval | None  # engagements of the post once it has levelled off
    expected_low_now: float | None
    comments_scored: int
    negative_share: float | None
    usual_negative_share: float | None  # the KOL's on its other recent posts
    alerts: list[AlertView] = Field(default_factory=list)


class CampaignWatch(BaseModel):
    campaign: str
    at: datetime
    method_version: str = MONITORING_METHOD_VERSION
    negative_share: float | None  # over the campaign's posts
    posts: list[PostWatch]
    unlinked: int  # published deliverables with no imported post to watch


CLOCK_SKEW = timedelta(minutes=10)  # how far ahead of ours a typist's clock may run


def _utc_if_zoned(value: datetime) -> datetime:
    # A time without a zone stays as it is, for record_snapshot to refuse with its reason.
    return to_utc(value) if value.tzinfo is not None else value


class SnapshotIn(BaseModel):
    """Counts typed in for a published deliverable's post, at a time."""

    at: Annotated[datetime, AfterValidator(_utc_if_zoned)]
    likes: Count | None = None
    comments: Count | None = None
    views: Count | None = None


def record_snapshot(uow: UnitOfWork, *, workspace: str, deliverable_id: int,
                    snapshot: SnapshotIn, now: datetime) -> None:
    """Store counts of a published deliverable's post, as observed by hand (not later than
    ``now``: a future snapshot would become the post's latest counts and raise alerts)."""
    ws = require_workspace(uow, workspace)
    d = require_deliverable(uow, workspace=workspace, deliverable_id=deliverable_id)
    if d.post_id is None:
        raise InvalidInput(f"deliverable {deliverable_id} has no imported post to record counts "
                           "of; link its published post first", field="deliverable")
    if snapshot.at.tzinfo is None:
        raise InvalidInput("at: give the time with its timezone (e.g. 2026-03-01T12:00Z)",
                           field="at")
    if snapshot.at > now + CLOCK_SKEW:
        raise InvalidInput(f"at: {snapshot.at.isoformat()} is in the future (it is "
                           f"{now.isoformat(timespec='seconds')})", field="at")
    if snapshot.likes is None and snapshot.comments is None and snapshot.views is None:
        raise InvalidInput("give at least one of likes, comments and views", field="likes")
    uow.metrics.add_post_snapshot(ws.id, PostSnapshot(
        post_id=d.post_id, at=snapshot.at, likes=snapshot.likes, comments=snapshot.comments,
        views=snapshot.views), source="manual")


def watch_campaign(uow: UnitOfWork, *, workspace: str, slug: str, now: datetime
                   ) -> CampaignWatch:
    """Every published deliverable's latest counts, forecast, sentiment and alerts."""
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    collabs = uow.campaigns.collaborations(campaign.id, None)
    deliverables = uow.campaigns.deliverables_of([c.id for c in collabs])
    rows = [(c, d) for c in collabs for d in deliverables[c.id] if d.status == "published"]
    linked = [(c, d) for c, d in rows if d.post_id is not None]
    post_ids = [d.post_id for _, d in linked if d.post_id is not None]
    snapshots = uow.metrics.post_snapshots(post_ids)
    times = uow.metrics.post_times(post_ids)
    history = uow.metrics.post_stats([c.account_id for c, _ in linked])
    rates = uow.vetting.engagement_rates(ws.id)
    # The usual negative share of each KOL: its comments on its other recent posts.
    recent = uow.vetting.posts([c.account_id for c, _ in linked], BASELINE_POSTS)
    watched = set(post_ids)
    others = {a: [p.post_id for p in ps if p.post_id not in watched]
              for a, ps in recent.items()}
    labels = _labels(uow, post_ids + [p for ps in others.values() for p in ps])
    usual = {a: sentiment_shares([x for p in ps for x in labels.get(p, [])])
             for a, ps in others.items()}
    campaign_share = sentiment_shares([x for p in post_ids for x in labels.get(p, [])])
    posts = []
    for c, d in linked:
        assert d.post_id is not None
        posted = times.get(d.post_id) or d.published_at
        subject = uow.vetting.subject(ws.id, c.account_id)
        earlier = [p for p in history.get(c.account_id, [])
                   if posted is None or (p.posted_at is not None and p.posted_at < posted)]
        forecast = None
        if subject is not None:
            prior = peer_prior(rates, subject.platform, subject.tier)
            if earlier or prior is not None:
                forecast = engagement_forecast(earlier, followers=subject.followers,
                                               prior=prior, at=posted).engagements
        snaps = [Snapshot(at=s.at, likes=s.likes, comments=s.comments, views=s.views)
                 for s in snapshots.get(d.post_id, [])]
        last = snaps[-1] if snaps else None
        alerts = []
        if forecast is not None and posted is not None:
            behind = behind_forecast(posted, snaps, forecast)
            if behind is not None:
                alerts.append(AlertView(kind=behind.kind, at=behind.at, reason=behind.reason))
        mine = labels.get(d.post_id, [])
        shares = usual.get(c.account_id)
        baseline = shares["negative"] if shares else None
        if baseline is not None:
            turn = negative_turn(mine, baseline_negative=baseline, at=now)
            if turn is not None:
                alerts.append(AlertView(kind=turn.kind, at=turn.at, reason=turn.reason))
        own = sentiment_shares(mine)
        posts.append(PostWatch(
            deliverable_id=d.id, collaboration_id=c.id, handle=c.handle, platform=c.platform,
            post_id=d.post_id, posted_at=posted, snapshots=len(snaps),
            latest_at=last.at if last else None, likes=last.likes if last else None,
            comments=last.comments if last else None, views=last.views if last else None,
            engagements=engagements(last.likes, last.comments) if last else None,
            forecast=forecast, expected_low_now=(
                forecast.low * accrued_share(now - posted)
                if forecast is not None and posted is not None else None),
            comments_scored=len(mine), negative_share=own["negative"] if own else None,
            usual_negative_share=baseline, alerts=alerts))
    return CampaignWatch(campaign=campaign.slug, at=now, posts=posts,
                         negative_share=campaign_share["negative"] if campaign_share else None,
                         unlinked=len(rows) - len(linked))


def _labels(uow: UnitOfWork, post_ids: list[int]) -> dict[int, list[str]]:
    """Each post's scored comment labels, oldest comment first."""
    labels: dict[int, list[str]] = {}
    comments = uow.vetting.comments(post_ids, SENTIMENT_METHOD_VERSION)
    for comment in sorted(comments, key=lambda c: (c.created_at is None, c.created_at,
                                                   c.comment_id)):
        if comment.label is not None:
            labels.setdefault(comment.post_id, []).append(comment.label)
    return labels

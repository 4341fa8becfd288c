"""Vetting reports: measure every signal of a KOL from stored data, weigh them, keep the report.

``vet_workspace`` vets every creator account in chunks (one unit of work each), ``vet_account``
one of them; both first score the sentiment of comments not yet scored by the current method and
flag posts with the built-in and the workspace's keyword sets, then store a report per account.
``get_report`` reads a stored report and ``override_verdict`` records a person's verdict.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from pydantic import BaseModel, Field

from kolscope.app.models import VettingDetails, VettingView
from kolscope.app.ports import (
    AudienceMember,
    Clock,
    FlagRow,
    SentimentModels,
    SentimentRow,
    UnitOfWork,
    UnitOfWorkFactory,
    VetComment,
    VetPost,
    VetSubject,
)
from kolscope.app.sentiment import analyse_texts
from kolscope.app.validation import parse_model
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.profile import PostStats
from kolscope.core.metrics import engagement_rate
from kolscope.core.vetting.account_features import AccountColumns
from kolscope.core.vetting.affinity import (
    PostBrands,
    affinity_signal,
    brand_affinity,
    exclusivity_conflicts,
)
from kolscope.core.vetting.audience import (
    MemberScore,
    audience_authenticity,
    audience_signal,
)
from kolscope.core.vetting.brand_safety import (
    BRAND_SAFETY_METHOD_VERSION,
    BUILTIN_SETS,
    Matcher,
    PostFlag,
    brand_safety_signal,
    flag_posts,
    value_signals,
)
from kolscope.core.vetting.comments import CommentItem, comment_quality, comment_signals
from kolscope.core.vetting.engagement import (
    Norm,
    engagement_norms,
    engagement_rate_signal,
    growth_signal,
    growth_spikes,
    like_comment_signal,
    norm_for,
)
from kolscope.core.vetting.fake_accounts import FakeAccountModel
from kolscope.core.vetting.report import VETTING_METHOD_VERSION, Override, Verdict, build_report
from kolscope.core.vetting.saturation import PostSponsorship, saturation, saturation_signals
from kolscope.core.vetting.sentiment import sentiment_signal, summarise
from kolscope.errors import NotFound

CHUNK = 200  # creator accounts vetted per unit of work
RECENT_POSTS = 30  # recent posts each signal reads
AUDIENCE_SAMPLE = 500  # followers, then commenters, scored per KOL
AFFINITY_SHOWN = 20  # brands kept with a report
FLAGS_SHOWN = 100  # flags listed with a report


class VetRun(BaseModel):
    """What a vetting run did."""

    accounts: int
    verdicts: dict[str, int]
    comments_scored: int
    posts_flagged: int
    flags: int
    method_versions: dict[str, str]
    seconds: float


@dataclass(frozen=True)
class Brief:
    """What a campaign asks of vetting beyond the workspace's own sets: rivals and a window."""

    competitors: tuple[str, ...] = ()
    window_days: int = 180


@dataclass(frozen=True)
class _Context:
    workspace_id: int
    model: FakeAccountModel
    sentiment: SentimentModels
    matcher: Matcher
    kinds: frozenset[str]  # kinds of keyword sets the workspace defines
    norms: dict[tuple[str, str], Norm]
    known_brands: set[str]
    brief: Brief
    now: datetime


def vet_workspace(uow_factory: UnitOfWorkFactory, *, workspace: str, model: FakeAccountModel,
                  sentiment: SentimentModels, clock: Clock, brief: Brief | None = None
                  ) -> VetRun:
    """Vet every creator account of ``workspace`` and store the reports."""
    started = time.perf_counter()
    with uow_factory() as uow:
        ctx = _context(uow, workspace, model, sentiment, brief or Brief(), clock())
    totals = {"accounts": 0, "comments_scored": 0, "posts_flagged": 0, "flags": 0}
    after = 0
    while True:
        with uow_factory() as uow:
            subjects = uow.vetting.subjects(ctx.workspace_id, after, CHUNK)
            if not subjects:
                verdicts = uow.vetting.verdicts(ctx.workspace_id)
                break
            for key, value in _vet_chunk(uow, ctx, subjects).items():
                totals[key] += value
            uow.commit()
        after = subjects[-1].account_id
    return VetRun(**totals, verdicts=verdicts, method_versions=_versions(sentiment),
                  seconds=time.perf_counter() - started)


def vet_account(uow: UnitOfWork, *, workspace: str, account_id: int, model: FakeAccountModel,
                sentiment: SentimentModels, now: datetime, brief: Brief | None = None
                ) -> VettingView:
    """Vet one creator account now, store its report and return it."""
    ctx = _context(uow, workspace, model, sentiment, brief or Brief(), now)
    subject = uow.vetting.subject(ctx.workspace_id, account_id)
    if subject is None:
        raise NotFound(f"creator account {account_id} not found", workspace=workspace,
                       account_id=account_id)
    _vet_chunk(uow, ctx, [subject])
    return get_report(uow, workspace=workspace, account_id=account_id)


def get_report(uow: UnitOfWork, *, workspace: str, account_id: int) -> VettingView:
    """The stored vetting report of an account, with the latest override."""
    ws = require_workspace(uow, workspace)
    view = uow.vetting.report(ws.id, account_id)
    if view is None:
        raise NotFound(f"account {account_id} has not been vetted yet; run `kolscope vet run` "
                       "or `kolscope vet report HANDLE`", workspace=workspace,
                       account_id=account_id)
    total, flags = uow.vetting.flags(ws.id, account_id=account_id, kind=None, category=None,
                                     limit=FLAGS_SHOWN, offset=0)
    return view.model_copy(update={"flags": flags, "flags_total": total})


def override_verdict(uow: UnitOfWork, *, workspace: str, account_id: int,
                     verdict: Verdict | None, reason: str, author: str, now: datetime
                     ) -> VettingView:
    """Record a person's verdict on a vetted account (None withdraws the last one)."""
    ws = require_workspace(uow, workspace)
    if uow.vetting.report(ws.id, account_id) is None:
        raise NotFound(f"account {account_id} has not been vetted yet; vet it before "
                       "overriding its verdict", workspace=workspace, account_id=account_id)
    override = parse_model(Override, {"verdict": verdict, "reason": reason.strip(),
                                      "author": author.strip(), "created_at": now})
    uow.vetting.add_override(ws.id, account_id, override)
    uow.workspaces.bump_version(ws.id)
    return get_report(uow, workspace=workspace, account_id=account_id)


def _versions(sentiment: SentimentModels) -> dict[str, str]:
    return {"vetting": VETTING_METHOD_VERSION, "sentiment": sentiment.method_version,
            "brand_safety": BRAND_SAFETY_METHOD_VERSION}


def _context(uow: UnitOfWork, workspace: str, model: FakeAccountModel,
             sentiment: SentimentModels, brief: Brief, now: datetime) -> _Context:
    ws = require_workspace(uow, workspace)
    own = uow.keyword_sets.list(ws.id)
    return _Context(workspace_id=ws.id, model=model, sentiment=sentiment,
                    matcher=Matcher([*BUILTIN_SETS, *own]),
                    kinds=frozenset(s.kind for s in own),
                    norms=engagement_norms(uow.vetting.engagement_rates(ws.id)),
                    known_brands=uow.vetting.known_brands(ws.id), brief=brief, now=now)


def _vet_chunk(uow: UnitOfWork, ctx: _Context, subjects: Sequence[VetSubject]
               ) -> dict[str, int]:
    ids = [s.account_id for s in subjects]
    posts = uow.vetting.posts(ids, RECENT_POSTS)
    post_ids = [p.post_id for rows in posts.values() for p in rows]
    comments, scored = _scored_comments(uow, ctx, post_ids)
    snapshots = uow.vetting.follower_snapshots(ids)
    audience = uow.vetting.audience(ids, post_ids, AUDIENCE_SAMPLE)
    by_post: dict[int, list[VetComment]] = {}
    for c in comments:
        by_post.setdefault(c.post_id, []).append(c)
    flag_rows: list[FlagRow] = []
    for subject in subjects:
        mine = posts.get(subject.account_id, [])
        flags = flag_posts([(p.post_id, _text(p)) for p in mine], ctx.matcher)
        flag_rows += [FlagRow(account_id=subject.account_id, post_id=f.post_id,
                              set_name=f.set_name, kind=f.kind, category=f.category,
                              term=f.term, snippet=f.snippet, matches=f.matches)
                      for f in flags]
        view = _assess(ctx, subject, mine, [c for p in mine for c in by_post.get(p.post_id, [])],
                       snapshots.get(subject.account_id, []),
                       audience.get(subject.account_id, []), flags)
        uow.vetting.save_report(ctx.workspace_id, view)
    uow.vetting.replace_flags(ctx.workspace_id, post_ids, flag_rows,
                              method_version=BRAND_SAFETY_METHOD_VERSION, computed_at=ctx.now)
    uow.workspaces.bump_version(ctx.workspace_id)  # search filters on verdicts and flags
    return {"accounts": len(subjects), "comments_scored": scored,
            "posts_flagged": len({r.post_id for r in flag_rows}), "flags": len(flag_rows)}


def _scored_comments(uow: UnitOfWork, ctx: _Context, post_ids: Sequence[int]
                     ) -> tuple[list[VetComment], int]:
    """The comments of ``post_ids``, those without a sentiment of this method scored now."""
    version = ctx.sentiment.method_version
    comments = uow.vetting.comments(post_ids, version)
    todo = [c for c in comments if c.label is None]
    if not todo:
        return comments, 0
    results = analyse_texts(ctx.sentiment, texts=[c.text for c in todo])
    uow.vetting.save_sentiments(ctx.workspace_id, [
        SentimentRow(comment_id=c.comment_id, label=r.label, score=r.score, language=r.language)
        for c, r in zip(todo, results, strict=True)], method_version=version,
        computed_at=ctx.now)
    fresh = {c.comment_id: r for c, r in zip(todo, results, strict=True)}
    return [c if c.comment_id not in fresh else VetComment(
        comment_id=c.comment_id, post_id=c.post_id, author_handle=c.author_handle, text=c.text,
        created_at=c.created_at, label=fresh[c.comment_id].label,
        score=fresh[c.comment_id].score) for c in comments], len(todo)


def _text(post: VetPost) -> str:
    return post.caption + (f"\n{post.image_description}" if post.image_description else "")


def _assess(ctx: _Context, subject: VetSubject, posts: Sequence[VetPost],
            comments: Sequence[VetComment], snapshots: Sequence[tuple[datetime, int]],
            members: Sequence[AudienceMember], flags: Sequence[PostFlag]) -> VettingView:
    newest_post = max((p.posted_at for p in posts if p.posted_at), default=None)
    newest_comment = max((c.created_at for c in comments if c.created_at), default=None)
    stats = [PostStats(posted_at=p.posted_at, likes=p.likes, comments=p.comments_count,
                       views=p.views, is_sponsored=p.is_sponsored) for p in posts]
    scores = _member_scores(ctx.model, members)
    audience = audience_authenticity(scores, sampled=len(members),
                                     threshold=ctx.model.threshold)
    quality = comment_quality([CommentItem(post_id=c.post_id, author=c.author_handle,
                                           text=c.text, created_at=c.created_at)
                               for c in comments])
    sentiment = summarise(
        (c.label, c.score) for c in comments  # type: ignore[misc]
        if c.label is not None and c.score is not None)
    sat = saturation([PostSponsorship(
        post_id=p.post_id, posted_at=p.posted_at, caption=p.caption, is_sponsored=p.is_sponsored,
        brand_handles=tuple(dict.fromkeys(p.sponsor_handles + p.mentioned_handles)),
        engagement_rate=engagement_rate(p.likes, p.comments_count, subject.followers))
        for p in posts], known_brands=ctx.known_brands)
    affinities = brand_affinity([PostBrands(
        post_id=p.post_id, posted_at=p.posted_at, caption=p.caption,
        sponsor_handles=p.sponsor_handles, mentioned_handles=p.mentioned_handles,
        is_sponsored=p.is_sponsored) for p in posts])
    conflicts = exclusivity_conflicts(affinities, competitors=ctx.brief.competitors,
                                      now=ctx.now, window_days=ctx.brief.window_days)
    norm = norm_for(ctx.norms, subject.platform, subject.tier) if subject.tier else None
    member_time = max((m.observed_at for m in members if m.observed_at), default=None)
    signals = [
        audience_signal(audience, data_as_of=member_time or newest_comment, examples=scores),
        engagement_rate_signal(subject.engagement_rate, norm,
                               posts_analyzed=subject.posts_analyzed, data_as_of=newest_post),
        like_comment_signal(stats, followers=subject.followers, data_as_of=newest_post),
        growth_signal(snapshots, stats, data_as_of=max((t for t, _ in snapshots), default=None)),
        *comment_signals(quality, data_as_of=newest_comment),
        brand_safety_signal(flags, posts_checked=len(posts), data_as_of=newest_post),
        *value_signals(flags, posts_checked=len(posts), data_as_of=newest_post,
                       configured=ctx.kinds),
        affinity_signal(conflicts, posts_checked=len(posts), data_as_of=newest_post,
                        competitors_given=bool(ctx.brief.competitors)),
        *saturation_signals(sat, data_as_of=newest_post),
        sentiment_signal(sentiment, data_as_of=newest_comment),
    ]
    report = build_report(subject.account_id, signals, computed_at=ctx.now)
    details = VettingDetails(
        audience=audience, saturation=sat, sentiment=sentiment,
        comment_quality=quality, spikes=growth_spikes(snapshots, stats),
        affinity=affinities[:AFFINITY_SHOWN], conflicts=conflicts, norm=norm)
    return VettingView(account_id=subject.account_id, platform=subject.platform,
                       handle=subject.handle, report=report, details=details)


def _member_scores(model: FakeAccountModel, members: Sequence[AudienceMember]
                   ) -> list[MemberScore]:
    """Fake probabilities of the members whose follower, following and post counts are known."""
    known = [m for m in members if m.followers is not None and m.following is not None
             and m.posts_count is not None]
    if not known:
        return []

    def column(values: Sequence[float | None]) -> np.ndarray:
        return np.array([math.nan if v is None else float(v) for v in values])

    columns = AccountColumns(
        followers=column([m.followers for m in known]),
        following=column([m.following for m in known]),
        posts=column([m.posts_count for m in known]),
        has_profile_pic=column([m.has_profile_pic for m in known]),
        is_private=column([m.is_private for m in known]),
        bio_length=column([None if m.bio is None else len(m.bio) for m in known]),
        username_length=column([len(m.handle) for m in known]),
        username_digits=column([sum(ch.isdigit() for ch in m.handle) for m in known]),
        has_external_url=column([None if m.external_url is None else True for m in known]))
    fake = model.predict_proba(columns)[:, 1]
    return [MemberScore(handle=m.handle, relation=m.relation, fake_probability=float(p))
            for m, p in zip(known, fake.tolist(), strict=True)]


class OverrideIn(BaseModel):
    """A person's verdict on a vetted account; ``verdict`` null withdraws the last one."""

    verdict: Verdict | None
    reason: str = Field(min_length=1, max_length=2_000)
    author: str = Field(default="api", min_length=1, max_length=200)

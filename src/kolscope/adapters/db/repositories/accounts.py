"""Account reads: summaries of search hits, profiles, counts, the type and niche breakdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kolscope.adapters.db.repositories._sql import chunks
from kolscope.adapters.db.tables import (
    Account,
    AuthorityScore,
    Comment,
    Creator,
    KolClassification,
    Post,
    ProfileMetricsRow,
)
from kolscope.app.models import (
    AccountProfile,
    AccountSummary,
    AuthorityView,
    BreakdownRow,
    ClassificationView,
    MetricsView,
    PostView,
)
from kolscope.core.metrics import engagement_rate
from kolscope.core.platforms import Platform

A, M, S, C = Account, ProfileMetricsRow, AuthorityScore, KolClassification
# A niche the source gave wins; a predicted one fills the gap.
niche_of = func.coalesce(A.niche, C.niche)
_SUMMARY_COLUMNS = (
    A.id, A.platform, A.handle, A.display_name, A.niche, A.category, A.language, A.country,
    A.is_verified, A.followers, M.tier, M.engagement_rate, M.views_per_post, M.comments_per_post,
    M.posts_per_week, M.sponsored_share, M.last_post_at, M.posts_analyzed,
    S.pagerank_percentile.label("authority_percentile"),
    S.niche_percentile.label("niche_authority_percentile"),
    C.kol_type, C.niche.label("predicted_niche"),
)


def _summary(row: Any) -> AccountSummary:
    return AccountSummary.model_validate(dict(row._mapping))


def _summaries(workspace_id: int) -> Select[*tuple[Any, ...]]:
    """Summary columns of the workspace's creator accounts."""
    return (select(*_SUMMARY_COLUMNS).select_from(A).outerjoin(M, M.account_id == A.id)
            .outerjoin(S, S.account_id == A.id).outerjoin(C, C.account_id == A.id)
            .where(A.workspace_id == workspace_id, A.creator_id.is_not(None)))


class SqlAccountRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def summaries(self, workspace_id: int, ids: Sequence[int]) -> dict[int, AccountSummary]:
        found: dict[int, AccountSummary] = {}
        for part in chunks(ids):
            found.update((r.id, _summary(r)) for r in self.s.execute(
                _summaries(workspace_id).where(A.id.in_(part))))
        return found

    def find(self, workspace_id: int, handle: str, platform: str | None) -> list[int]:
        # Every platform named, so that the (workspace, platform, handle) key is searched
        # once per platform instead of the workspace scanned for the handle.
        platforms = [platform] if platform else [p.value for p in Platform]
        stmt = select(A.id).where(A.workspace_id == workspace_id, A.platform.in_(platforms),
                                  A.handle == handle)
        return list(self.s.scalars(stmt.order_by(A.creator_id.is_(None), A.id)))

    def profile(self, workspace_id: int, account_id: int, *,
                recent_posts: int) -> AccountProfile | None:
        account = self.s.scalar(select(A).where(A.workspace_id == workspace_id,
                                                A.id == account_id))
        if account is None:
            return None
        metrics = self.s.get(M, account_id)
        authority = self.s.get(S, account_id)
        classification = self.s.get(C, account_id)
        posts = self.s.scalars(select(Post).where(Post.account_id == account_id)
                               .order_by(Post.posted_at.desc().nulls_last(), Post.id.desc())
                               .limit(recent_posts))
        others: list[AccountSummary] = []
        if account.creator_id is not None:
            # Sorted here: ORDER BY platform leads SQLite to the (workspace, platform) index,
            # a scan of the whole workspace, instead of (workspace, creator).
            others = sorted((_summary(r) for r in self.s.execute(
                _summaries(workspace_id)
                .where(A.creator_id == account.creator_id, A.id != account_id))),
                key=lambda a: (a.platform, a.id))
        stored_posts = self.s.scalar(select(func.count()).where(Post.account_id == account_id))
        stored_comments = self.s.scalar(select(func.count()).select_from(Comment).join(
            Post, Post.id == Comment.post_id).where(Post.account_id == account_id))
        fields = {c: getattr(account, c) for c in AccountProfile.model_fields
                  if hasattr(account, c)}
        return AccountProfile(
            **fields,
            metrics=MetricsView.model_validate(metrics, from_attributes=True) if metrics else None,
            authority=AuthorityView.model_validate(authority) if authority else None,
            classification=(ClassificationView.model_validate(classification)
                            if classification else None),
            recent_posts=[PostView.model_validate({
                **{c: getattr(p, c) for c in PostView.model_fields if hasattr(p, c)},
                "engagement_rate": engagement_rate(p.likes, p.comments_count, account.followers),
            }) for p in posts],
            other_accounts=others, stored_posts=stored_posts or 0,
            stored_comments=stored_comments or 0)

    def counts(self, workspace_id: int) -> dict[str, int]:
        def count(model: Any, *where: Any) -> int:
            return self.s.scalar(select(func.count()).select_from(model).where(
                model.workspace_id == workspace_id, *where)) or 0
        return {"creators": count(Creator), "accounts": count(A),
                "creator_accounts": count(A, A.creator_id.is_not(None)),
                "posts": count(Post), "comments": count(Comment)}

    def breakdown(self, workspace_id: int) -> list[BreakdownRow]:
        rows = self.s.execute(
            select(C.kol_type, niche_of, func.count()).select_from(A)
            .outerjoin(C, C.account_id == A.id)
            .where(A.workspace_id == workspace_id, A.creator_id.is_not(None))
            .group_by(C.kol_type, niche_of).order_by(C.kol_type, niche_of))
        return [BreakdownRow(kol_type=t, niche=n, accounts=c) for t, n, c in rows]

"""Account reads: search with filters and sorts, profiles, counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

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
    AccountQuery,
    AccountSort,
    AccountSummary,
    AuthorityView,
    BreakdownRow,
    ClassificationView,
    MetricsView,
    Page,
    PostView,
)
from kolscope.core.metrics import engagement_rate

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
_ORDER = {
    AccountSort.ENGAGEMENT: M.engagement_rate,
    AccountSort.REACH: M.views_per_post,
    AccountSort.FOLLOWERS: A.followers,
    AccountSort.RECENT: M.last_post_at,
    AccountSort.AUTHORITY: S.pagerank,
}


def _summary(row: Any) -> AccountSummary:
    return AccountSummary.model_validate(dict(row._mapping))


AnySelect = Select[*tuple[Any, ...]]


def _filtered(stmt: AnySelect, workspace_id: int, q: AccountQuery) -> AnySelect:
    """``stmt`` over creators' accounts and their metrics, narrowed by the query's filters."""
    stmt = stmt.select_from(A).outerjoin(M, M.account_id == A.id).outerjoin(
        S, S.account_id == A.id).outerjoin(C, C.account_id == A.id).where(
        A.workspace_id == workspace_id, A.creator_id.is_not(None))
    if q.text:
        for word in q.text.casefold().split():
            like = f"%{word}%"
            stmt = stmt.where(or_(A.handle.like(like), func.lower(A.display_name).like(like),
                                  func.lower(A.bio).like(like)))
    conditions = [
        A.platform == q.platform.value if q.platform else None,
        M.tier == q.tier.value if q.tier else None,
        niche_of == q.niche if q.niche else None,
        C.kol_type == q.kol_type if q.kol_type else None,
        A.language == q.language if q.language else None,
        A.country == q.country.upper() if q.country else None,
        A.followers >= q.min_followers if q.min_followers is not None else None,
        A.followers <= q.max_followers if q.max_followers is not None else None,
        M.engagement_rate >= q.min_engagement_rate
        if q.min_engagement_rate is not None else None,
        M.engagement_rate <= q.max_engagement_rate
        if q.max_engagement_rate is not None else None,
        S.pagerank_percentile >= q.min_authority_percentile
        if q.min_authority_percentile is not None else None,
    ]
    return stmt.where(*(c for c in conditions if c is not None))


class SqlAccountRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def search(self, workspace_id: int, query: AccountQuery) -> Page[AccountSummary]:
        total = self.s.scalar(_filtered(select(func.count()), workspace_id, query)) or 0
        stmt = (_filtered(select(*_SUMMARY_COLUMNS), workspace_id, query)
                .order_by(_ORDER[query.sort].desc().nulls_last(), A.id)
                .limit(query.limit).offset(query.offset))
        items = [_summary(r) for r in self.s.execute(stmt)]
        return Page[AccountSummary](items=items, total=total, limit=query.limit,
                                    offset=query.offset)

    def find(self, workspace_id: int, handle: str, platform: str | None) -> list[int]:
        stmt = select(A.id).where(A.workspace_id == workspace_id, A.handle == handle)
        if platform:
            stmt = stmt.where(A.platform == platform)
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
            others = [_summary(r) for r in self.s.execute(
                _filtered(select(*_SUMMARY_COLUMNS), workspace_id, AccountQuery())
                .where(A.creator_id == account.creator_id, A.id != account_id)
                .order_by(A.platform))]
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

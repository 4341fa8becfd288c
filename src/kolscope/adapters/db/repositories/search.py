"""Reads the search index is built from, and the shared audience lookalikes are ranked by."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from kolscope.adapters.db.repositories._sql import chunks
from kolscope.adapters.db.repositories.classification import recent_texts
from kolscope.adapters.db.tables import (
    Account,
    AuthorityScore,
    Comment,
    KolClassification,
    Post,
    PostFlagRow,
    ProfileMetricsRow,
    VettingOverride,
    VettingReportRow,
)
from kolscope.app.ports import SearchDocument

A, M, S, C = Account, ProfileMetricsRow, AuthorityScore, KolClassification
Rep, Ovr, Flag = VettingReportRow, VettingOverride, PostFlagRow


class SqlSearchRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def documents(self, workspace_id: int, after_id: int, limit: int, *,
                  texts_per_account: int) -> list[SearchDocument]:
        rows = self.s.execute(
            select(A.id.label("account_id"), A.creator_id, A.platform, A.handle,
                   A.display_name, A.bio, A.category,
                   func.coalesce(A.niche, C.niche).label("niche"), C.kol_type, M.tier,
                   A.language, A.country, A.followers, M.engagement_rate, M.views_per_post,
                   M.last_post_at, S.pagerank_percentile.label("authority_percentile"),
                   S.pagerank)
            .outerjoin(M, M.account_id == A.id).outerjoin(S, S.account_id == A.id)
            .outerjoin(C, C.account_id == A.id)
            .where(A.workspace_id == workspace_id, A.creator_id.is_not(None), A.id > after_id)
            .order_by(A.id).limit(limit)).all()
        ids = [r.account_id for r in rows]
        captions, descriptions = recent_texts(self.s, ids, texts_per_account)
        verdicts, flags = self._vetting(ids)
        return [SearchDocument(**r._mapping, captions=captions.get(r.account_id, [])
                               + descriptions.get(r.account_id, []),
                               verdict=verdicts.get(r.account_id),
                               flag_categories=sorted(flags.get(r.account_id, ())))
                for r in rows]

    def _vetting(self, ids: Sequence[int]) -> tuple[dict[int, str], dict[int, set[str]]]:
        """The verdict in force (the latest override, else the computed one) and the categories
        of stored flags other than brand values, per account."""
        computed: dict[int, str] = {}
        verdicts: dict[int, str | None] = {}
        flags: dict[int, set[str]] = {}
        for part in chunks(ids):
            computed.update(self.s.execute(select(Rep.account_id, Rep.verdict).where(
                Rep.account_id.in_(part))).all())
            verdicts.update(computed)
            for account_id, verdict in self.s.execute(
                    select(Ovr.account_id, Ovr.verdict).where(Ovr.account_id.in_(part))
                    .order_by(Ovr.created_at, Ovr.id)).all():
                verdicts[account_id] = verdict or computed.get(account_id)
            for account_id, category in self.s.execute(
                    select(Flag.account_id, Flag.category).distinct().where(
                        Flag.account_id.in_(part), Flag.kind != "value")).all():
                flags.setdefault(account_id, set()).add(category)
        return {a: v for a, v in verdicts.items() if v}, flags

    def shared_audience(self, seed_id: int, candidate_ids: Sequence[int]
                        ) -> tuple[int, dict[int, int]]:
        seed_posts = aliased(Post)
        seed_comments = aliased(Comment)
        audience = (select(seed_comments.author_account_id).distinct()
                    .join(seed_posts, seed_posts.id == seed_comments.post_id)
                    .where(seed_posts.account_id == seed_id,
                           seed_comments.author_account_id != seed_id))
        size = self.s.scalar(select(func.count()).select_from(audience.subquery())) or 0
        shared: dict[int, int] = {}
        if size == 0:
            return 0, shared
        for part in chunks(candidate_ids):
            shared.update(self.s.execute(
                select(Post.account_id, func.count(func.distinct(Comment.author_account_id)))
                .join(Post, Post.id == Comment.post_id)
                .where(Post.account_id.in_(part), Comment.author_account_id.in_(audience))
                .group_by(Post.account_id)).all())
        return size, shared

    def creator_accounts(self, account_id: int) -> list[int]:
        creator = select(A.creator_id).where(A.id == account_id).scalar_subquery()
        return list(self.s.scalars(select(A.id).where(A.creator_id == creator)
                                   .order_by(A.id)))

"""Reads of the signals KOL typing and niche classification need, and writes of their results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, union_all, update
from sqlalchemy.orm import Session, aliased

from kolscope.adapters.db.repositories._sql import chunks, insert_for, table
from kolscope.adapters.db.tables import (
    Account,
    AuthorityScore,
    Comment,
    Creator,
    KolClassification,
    Mention,
    Post,
    ProfileMetricsRow,
)
from kolscope.app.models import ClassificationRow
from kolscope.app.ports import AccountSignals

A, M, S = Account, ProfileMetricsRow, AuthorityScore


def recent_texts(session: Session, ids: Sequence[int], per_account: int
                 ) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The captions and image descriptions of each account's most recent posts."""
    captions: dict[int, list[str]] = defaultdict(list)
    descriptions: dict[int, list[str]] = defaultdict(list)
    seen: dict[int, int] = defaultdict(int)
    for part in chunks(ids):
        for account_id, caption, description in session.execute(
                select(Post.account_id, Post.caption, Post.image_description)
                .where(Post.account_id.in_(part))
                .order_by(Post.account_id, Post.posted_at.desc().nulls_last())):
            if seen[account_id] < per_account:
                seen[account_id] += 1
                if caption:
                    captions[account_id].append(caption)
                if description:
                    descriptions[account_id].append(description)
    return captions, descriptions


class SqlClassificationRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def signals(self, workspace_id: int, after_id: int, limit: int, *,
                texts_per_account: int) -> list[AccountSignals]:
        rows = self.s.execute(
            select(A.id, A.platform, A.handle, A.display_name, A.bio, A.followers, A.niche,
                   M.posts_analyzed, M.engagement_rate, M.sponsored_share,
                   S.pagerank_percentile, S.niche_percentile, S.peer_endorsers,
                   Creator.is_virtual)
            .join(Creator, Creator.id == A.creator_id)
            .outerjoin(M, M.account_id == A.id).outerjoin(S, S.account_id == A.id)
            .where(A.workspace_id == workspace_id, A.id > after_id)
            .order_by(A.id).limit(limit)).all()
        ids = [r[0] for r in rows]
        captions, descriptions = recent_texts(self.s, ids, texts_per_account)
        niches = self._endorser_niches(ids)
        return [AccountSignals(
            account_id=r[0], platform=r[1], handle=r[2], display_name=r[3], bio=r[4],
            followers=r[5], source_niche=r[6], captions=captions.get(r[0], []),
            image_descriptions=descriptions.get(r[0], []),
            posts_analyzed=r[7] or 0, engagement_rate=r[8], sponsored_share=r[9],
            authority_percentile=r[10], niche_percentile=r[11], peer_endorsers=r[12] or 0,
            endorser_niches=niches.get(r[0], 0), is_virtual=bool(r[13])) for r in rows]

    def _endorser_niches(self, ids: Sequence[int]) -> dict[int, int]:
        """How many distinct niches the creators endorsing each account belong to."""
        found: dict[int, int] = {}
        author = aliased(Post)
        source = aliased(Account)
        for part in chunks(ids):
            edges = union_all(
                select(Comment.author_account_id.label("src"), author.account_id.label("dst"))
                .join(author, author.id == Comment.post_id).where(author.account_id.in_(part)),
                select(author.account_id.label("src"), Mention.account_id.label("dst"))
                .join(author, author.id == Mention.post_id).where(Mention.account_id.in_(part)),
            ).subquery()
            rows = self.s.execute(
                select(edges.c.dst, func.count(func.distinct(source.niche)))
                .join(source, source.id == edges.c.src)
                .where(source.creator_id.is_not(None), source.niche.is_not(None),
                       edges.c.src != edges.c.dst)
                .group_by(edges.c.dst))
            found.update(dict(rows.all()))
        return found

    def save(self, workspace_id: int, rows: Sequence[ClassificationRow],
             computed_at: datetime) -> None:
        if not rows:
            return
        t = table(KolClassification)
        payload: list[dict[str, Any]] = [
            {**r.model_dump(), "workspace_id": workspace_id, "computed_at": computed_at}
            for r in rows]
        stmt = insert_for(self.s, t)
        self.s.execute(stmt.on_conflict_do_update(
            index_elements=[t.c.account_id],
            set_={c: stmt.excluded[c] for c in payload[0] if c != "account_id"}), payload)

    def set_virtual(self, workspace_id: int, account_id: int, is_virtual: bool,
                    reason: dict[str, object]) -> bool:
        creator_id = self.s.scalar(select(A.creator_id).where(
            A.workspace_id == workspace_id, A.id == account_id, A.creator_id.is_not(None)))
        if creator_id is None:
            return False
        self.s.execute(update(Creator).where(Creator.id == creator_id)
                       .values(is_virtual=is_virtual))
        accounts = select(A.id).where(A.creator_id == creator_id)
        for row in self.s.scalars(select(KolClassification).where(
                KolClassification.account_id.in_(accounts))):
            row.is_virtual = is_virtual
            row.kol_type_reasons = [reason if r.get("signal") == "is_virtual" else r
                                    for r in row.kol_type_reasons]
        self.s.flush()
        return True

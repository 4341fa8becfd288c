"""Reads of the interaction graph and writes of authority scores."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Select, case, delete, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from kolscope.adapters.db.repositories._sql import table
from kolscope.adapters.db.tables import Account, AuthorityScore, Comment, Mention, Post, Sponsorship
from kolscope.app.models import AuthorityRow
from kolscope.app.ports import CreatorAccounts, InteractionBatch, Interactions, SourceTally
from kolscope.core.discovery.graph import EdgeKind


class SqlGraphRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _sources(self, workspace_id: int) -> dict[str, tuple[Any, Select[*tuple[Any, ...]]]]:
        """Per table interactions come from: its id column, and the select of (row id, source,
        target, kind, time) of its interactions."""
        author = aliased(Post)
        kind = case((Mention.kind == "mention", literal(int(EdgeKind.MENTION))),
                    else_=literal(int(EdgeKind.TAG)))
        return {
            "comments": (Comment.id, select(
                Comment.id, Comment.author_account_id, author.account_id,
                literal(int(EdgeKind.COMMENT)), func.coalesce(Comment.created_at, author.posted_at))
                .join(author, author.id == Comment.post_id)
                .where(Comment.workspace_id == workspace_id)),
            "mentions": (Mention.id, select(
                Mention.id, author.account_id, Mention.account_id, kind, author.posted_at)
                .join(author, author.id == Mention.post_id)
                .where(Mention.workspace_id == workspace_id,
                       Mention.kind.in_(("mention", "tag")))),
            "sponsorships": (Sponsorship.id, select(
                Sponsorship.id, Sponsorship.brand_account_id, author.account_id,
                literal(int(EdgeKind.SPONSORSHIP)), author.posted_at)
                .join(author, author.id == Sponsorship.post_id)
                .where(Sponsorship.workspace_id == workspace_id,
                       Sponsorship.brand_account_id.is_not(None))),
        }

    def interactions(self, workspace_id: int) -> Interactions:
        queries = [q for _, q in self._sources(workspace_id).values()]
        return _arrays(self.s.execute(union_all(*queries)).all())

    def interactions_since(self, workspace_id: int, marks: SourceTally, *,
                           batch_size: int) -> Iterator[InteractionBatch]:
        # Keyset pages in id order: each batch ends at a row id, which becomes the mark, so the
        # reader never holds more than one batch however large the workspace.
        for name, (row_id, query) in self._sources(workspace_id).items():
            after = getattr(marks, name)
            while True:
                rows = self.s.execute(query.where(row_id > after).order_by(row_id)
                                      .limit(batch_size)).all()
                if not rows:
                    break
                after = rows[-1][0]
                marks = marks.model_copy(update={name: after})
                yield InteractionBatch(interactions=_arrays(rows), marks=marks,
                                       rows=SourceTally.model_validate({name: len(rows)}))
                if len(rows) < batch_size:
                    break

    def interaction_rows(self, workspace_id: int, marks: SourceTally) -> SourceTally:
        counts = {name: self.s.scalar(select(func.count()).select_from(
                      query.where(row_id <= getattr(marks, name)).subquery())) or 0
                  for name, (row_id, query) in self._sources(workspace_id).items()}
        return SourceTally.model_validate(counts)

    def creator_accounts(self, workspace_id: int) -> CreatorAccounts:
        rows = self.s.execute(select(Account.id, Account.platform, Account.niche).where(
            Account.workspace_id == workspace_id, Account.creator_id.is_not(None))
            .order_by(Account.id)).all()
        return CreatorAccounts(ids=np.array([r[0] for r in rows], dtype=np.int64),
                               platforms=[r[1] for r in rows], niches=[r[2] for r in rows])

    def save_authority(self, workspace_id: int, rows: Sequence[AuthorityRow], *,
                       method_version: str, engine: str, computed_at: datetime) -> None:
        t = table(AuthorityScore)
        # Authority is a property of the whole graph: a new run replaces the previous one.
        self.s.execute(delete(t).where(t.c.workspace_id == workspace_id))
        if rows:
            self.s.execute(t.insert(), [
                {**r.model_dump(), "workspace_id": workspace_id, "method_version": method_version,
                 "engine": engine, "computed_at": computed_at} for r in rows])


def _arrays(rows: Sequence[Sequence[Any]]) -> Interactions:
    """Interactions from rows of (row id, source, target, kind, time)."""
    return Interactions(
        sources=np.array([r[1] for r in rows], dtype=np.int64),
        targets=np.array([r[2] for r in rows], dtype=np.int64),
        kinds=np.array([r[3] for r in rows], dtype=np.int8),
        times=np.array([r[4].timestamp() if r[4] is not None else np.nan for r in rows],
                       dtype=np.float64))

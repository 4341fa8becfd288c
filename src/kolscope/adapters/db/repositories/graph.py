"""Reads of the interaction graph and writes of authority scores."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Select, delete, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from kolscope.adapters.db.repositories._sql import table
from kolscope.adapters.db.tables import Account, AuthorityScore, Comment, Mention, Post, Sponsorship
from kolscope.app.models import AuthorityRow
from kolscope.app.ports import CreatorAccounts, Interactions
from kolscope.core.discovery.graph import EdgeKind


class SqlGraphRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _edge_queries(self, workspace_id: int) -> list[Select[*tuple[Any, ...]]]:
        author = aliased(Post)
        queries: list[Select[*tuple[Any, ...]]] = [
            select(Comment.author_account_id, author.account_id, literal(int(EdgeKind.COMMENT)),
                   func.coalesce(Comment.created_at, author.posted_at))
            .join(author, author.id == Comment.post_id)
            .where(Comment.workspace_id == workspace_id),
            select(author.account_id, Mention.account_id,
                   literal(int(EdgeKind.MENTION)), author.posted_at)
            .join(author, author.id == Mention.post_id)
            .where(Mention.workspace_id == workspace_id, Mention.kind == "mention"),
            select(author.account_id, Mention.account_id, literal(int(EdgeKind.TAG)),
                   author.posted_at)
            .join(author, author.id == Mention.post_id)
            .where(Mention.workspace_id == workspace_id, Mention.kind == "tag"),
            select(Sponsorship.brand_account_id, author.account_id,
                   literal(int(EdgeKind.SPONSORSHIP)), author.posted_at)
            .join(author, author.id == Sponsorship.post_id)
            .where(Sponsorship.workspace_id == workspace_id,
                   Sponsorship.brand_account_id.is_not(None)),
        ]
        return queries

    def interactions(self, workspace_id: int) -> Interactions:
        sources: list[int] = []
        targets: list[int] = []
        kinds: list[int] = []
        times: list[float] = []
        for source, target, kind, at in self.s.execute(
                union_all(*self._edge_queries(workspace_id))):
            sources.append(source)
            targets.append(target)
            kinds.append(kind)
            times.append(at.timestamp() if at is not None else np.nan)
        return Interactions(sources=np.array(sources, dtype=np.int64),
                            targets=np.array(targets, dtype=np.int64),
                            kinds=np.array(kinds, dtype=np.int8),
                            times=np.array(times, dtype=np.float64))

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

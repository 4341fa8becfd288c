"""Reads for audience research: who commented on whom, and what they wrote."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from kolscope.adapters.db.repositories._sql import chunks
from kolscope.adapters.db.tables import Account, Comment, Post


class SqlAudienceRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def engagements(self, workspace_id: int
                    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        rows = self.s.execute(
            select(Comment.author_account_id, Post.account_id).distinct()
            .join(Post, Post.id == Comment.post_id)
            .where(Comment.workspace_id == workspace_id,
                   Comment.author_account_id != Post.account_id)).all()
        pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
        return pairs[:, 0], pairs[:, 1]

    def comment_texts(self, workspace_id: int) -> Iterator[tuple[int, str]]:
        result = self.s.execute(
            select(Comment.author_account_id, Comment.text)
            .where(Comment.workspace_id == workspace_id, Comment.text != "")
            .execution_options(yield_per=10_000))
        return ((author, text) for author, text in result)

    def accounts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        found: dict[int, tuple[str, str]] = {}
        for part in chunks(ids):
            for account_id, platform, handle in self.s.execute(
                    select(Account.id, Account.platform, Account.handle)
                    .where(Account.id.in_(part))):
                found[account_id] = (platform, handle)
        return found

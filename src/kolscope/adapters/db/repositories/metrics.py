"""Reads and writes of profile metrics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from kolscope.adapters.db.repositories._sql import chunks, insert_for, table
from kolscope.adapters.db.tables import Account, MetricSnapshot, Post, ProfileMetricsRow
from kolscope.app.ports import PostCounts, PostSnapshot
from kolscope.core.discovery.profile import PostStats, ProfileMetrics


class SqlMetricsRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def creator_account_ids(self, workspace_id: int, after_id: int, limit: int) -> list[int]:
        return list(self.s.scalars(select(Account.id).where(
            Account.workspace_id == workspace_id, Account.creator_id.is_not(None),
            Account.id > after_id).order_by(Account.id).limit(limit)))

    def post_stats(self, account_ids: Sequence[int]) -> dict[int, list[PostStats]]:
        stats: dict[int, list[PostStats]] = defaultdict(list)
        for part in chunks(account_ids):
            rows = self.s.execute(select(Post.account_id, Post.posted_at, Post.likes,
                                         Post.comments_count, Post.views, Post.is_sponsored)
                                  .where(Post.account_id.in_(part)))
            for account_id, posted_at, likes, comments, views, sponsored in rows:
                stats[account_id].append(PostStats(posted_at=posted_at, likes=likes,
                                                   comments=comments, views=views,
                                                   is_sponsored=sponsored))
        return stats

    def followers(self, account_ids: Sequence[int]) -> dict[int, int | None]:
        found: dict[int, int | None] = {}
        for part in chunks(account_ids):
            rows = self.s.execute(select(Account.id, Account.followers)
                                  .where(Account.id.in_(part)))
            found.update(dict(rows.all()))
        return found

    def post_languages(self, account_ids: Sequence[int], per_account: int
                       ) -> dict[int, list[str | None]]:
        languages: dict[int, list[str | None]] = defaultdict(list)
        for part in chunks(account_ids):
            rows = self.s.execute(select(Post.account_id, Post.language)
                                  .where(Post.account_id.in_(part))
                                  .order_by(Post.account_id, Post.posted_at.desc().nulls_last()))
            for account_id, language in rows:
                if len(languages[account_id]) < per_account:
                    languages[account_id].append(language)
        return languages

    def set_languages(self, languages: Mapping[int, str]) -> None:
        # Only fills a gap: a language the source gave is never overwritten by a guess.
        if languages:
            t = table(Account)
            self.s.execute(update(t).where(t.c.id == bindparam("aid"), t.c.language.is_(None))
                           .values(language=bindparam("lang")),
                           [{"aid": a, "lang": lang} for a, lang in languages.items()])

    def save(self, workspace_id: int, metrics: Mapping[int, ProfileMetrics],
             computed_at: datetime) -> None:
        if not metrics:
            return
        t = table(ProfileMetricsRow)
        payload = [{"account_id": account_id, "workspace_id": workspace_id,
                    "computed_at": computed_at, **m.model_dump()}
                   for account_id, m in metrics.items()]
        stmt = insert_for(self.s, t)
        self.s.execute(stmt.on_conflict_do_update(
            index_elements=[t.c.account_id],
            set_={c: stmt.excluded[c] for c in payload[0] if c != "account_id"}), payload)

    def post_snapshots(self, post_ids: Sequence[int]) -> dict[int, list[PostSnapshot]]:
        found: dict[int, list[PostSnapshot]] = defaultdict(list)
        for part in chunks(post_ids):
            rows = self.s.execute(
                select(MetricSnapshot.post_id, MetricSnapshot.captured_at, MetricSnapshot.likes,
                       MetricSnapshot.comments, MetricSnapshot.views)
                .where(MetricSnapshot.post_id.in_(part))
                .order_by(MetricSnapshot.post_id, MetricSnapshot.captured_at,
                          MetricSnapshot.id))
            for post_id, at, likes, comments, views in rows:
                if post_id is None:  # never: the query selects by post
                    continue
                found[post_id].append(PostSnapshot(post_id=post_id, at=at, likes=likes,
                                                   comments=comments, views=views))
        return found

    def add_post_snapshot(self, workspace_id: int, snapshot: PostSnapshot, *,
                          source: str) -> None:
        self.s.add(MetricSnapshot(workspace_id=workspace_id, post_id=snapshot.post_id,
                                  captured_at=snapshot.at, likes=snapshot.likes,
                                  comments=snapshot.comments, views=snapshot.views,
                                  source=source))
        self.s.flush()

    def post_times(self, post_ids: Sequence[int]) -> dict[int, datetime | None]:
        found: dict[int, datetime | None] = {}
        for part in chunks(post_ids):
            for post_id, at in self.s.execute(select(Post.id, Post.posted_at)
                                              .where(Post.id.in_(part))):
                found[post_id] = at
        return found

    def post_counts(self, post_ids: Sequence[int]) -> dict[int, PostCounts]:
        found: dict[int, PostCounts] = {}
        for part in chunks(post_ids):
            for row in self.s.execute(select(
                    Post.id, Post.account_id, Post.platform, Post.format, Post.url,
                    Post.posted_at, Post.likes, Post.comments_count, Post.views, Post.shares,
                    Post.saves).where(Post.id.in_(part))):
                found[row[0]] = PostCounts(*row)
        return found

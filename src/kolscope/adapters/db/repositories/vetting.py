"""Reads of what vetting measures (posts, comments, audiences, snapshots) and writes of its
results (comment sentiment, post flags, reports, overrides, keyword sets)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kolscope.adapters.db.repositories._sql import chunks, insert_for, table
from kolscope.adapters.db.tables import (
    Account,
    Comment,
    CommentSentiment,
    Follower,
    KeywordSetRow,
    Mention,
    MetricSnapshot,
    Post,
    PostFlagRow,
    ProfileMetricsRow,
    Sponsorship,
    VettingOverride,
    VettingReportRow,
)
from kolscope.app.models import FlagView, VettingView
from kolscope.app.ports import (
    AudienceMember,
    FlagRow,
    SentimentRow,
    VetComment,
    VetPost,
    VetSubject,
)
from kolscope.core.vetting.brand_safety import KeywordSet
from kolscope.core.vetting.report import Override

A, M = Account, ProfileMetricsRow


def _subject(row: Any) -> VetSubject:
    return VetSubject(account_id=row[0], platform=row[1], handle=row[2], followers=row[3],
                      tier=row[4], engagement_rate=row[5], posts_analyzed=row[6] or 0,
                      metrics_at=row[7])


class SqlVettingRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _subjects(self) -> Any:
        return (select(A.id, A.platform, A.handle, A.followers, M.tier, M.engagement_rate,
                       M.posts_analyzed, M.computed_at)
                .outerjoin(M, M.account_id == A.id).where(A.creator_id.is_not(None)))

    def subjects(self, workspace_id: int, after_id: int, limit: int) -> list[VetSubject]:
        rows = self.s.execute(self._subjects().where(A.workspace_id == workspace_id,
                                                     A.id > after_id)
                              .order_by(A.id).limit(limit))
        return [_subject(r) for r in rows]

    def subject(self, workspace_id: int, account_id: int) -> VetSubject | None:
        row = self.s.execute(self._subjects().where(A.workspace_id == workspace_id,
                                                    A.id == account_id)).first()
        return _subject(row) if row else None

    def engagement_rates(self, workspace_id: int) -> list[tuple[str, str, float]]:
        rows = self.s.execute(select(A.platform, M.tier, M.engagement_rate)
                              .join(M, M.account_id == A.id)
                              .where(M.workspace_id == workspace_id, M.tier.is_not(None),
                                     M.engagement_rate.is_not(None)))
        return [(p, str(t), float(er)) for p, t, er in rows if t is not None and er is not None]

    def posts(self, account_ids: Sequence[int], per_account: int) -> dict[int, list[VetPost]]:
        found: dict[int, list[Any]] = defaultdict(list)
        for part in chunks(account_ids):
            for row in self.s.execute(
                    select(Post.account_id, Post.id, Post.posted_at, Post.caption,
                           Post.image_description, Post.likes, Post.comments_count, Post.views,
                           Post.is_sponsored, Post.format)
                    .where(Post.account_id.in_(part))
                    .order_by(Post.account_id, Post.posted_at.desc().nulls_last(),
                              Post.id.desc())):
                if len(found[row[0]]) < per_account:
                    found[row[0]].append(row)
        post_ids = [r[1] for rows in found.values() for r in rows]
        sponsors, mentioned = self._brands(post_ids)
        return {account: [VetPost(post_id=r[1], posted_at=r[2], caption=r[3] or "",
                                  image_description=r[4], likes=r[5], comments_count=r[6],
                                  views=r[7], is_sponsored=bool(r[8]),
                                  sponsor_handles=tuple(sponsors.get(r[1], ())),
                                  mentioned_handles=tuple(mentioned.get(r[1], ())),
                                  format=r[9] or "")
                          for r in rows] for account, rows in found.items()}

    def _brands(self, post_ids: Sequence[int]
                ) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
        sponsors: dict[int, list[str]] = defaultdict(list)
        mentioned: dict[int, list[str]] = defaultdict(list)
        for part in chunks(post_ids):
            for post_id, key in self.s.execute(
                    select(Sponsorship.post_id, Sponsorship.brand_key)
                    .where(Sponsorship.post_id.in_(part), Sponsorship.brand_key != "")
                    .order_by(Sponsorship.id)):
                sponsors[post_id].append(key)
            for post_id, handle in self.s.execute(
                    select(Mention.post_id, A.handle).join(A, A.id == Mention.account_id)
                    .where(Mention.post_id.in_(part)).order_by(Mention.id)):
                if handle not in mentioned[post_id]:
                    mentioned[post_id].append(handle)
        return sponsors, mentioned

    def comments(self, post_ids: Sequence[int], method_version: str) -> list[VetComment]:
        found: list[VetComment] = []
        s = CommentSentiment
        for part in chunks(post_ids):
            rows = self.s.execute(
                select(Comment.id, Comment.post_id, A.handle, Comment.text, Comment.created_at,
                       s.label, s.score)
                .join(A, A.id == Comment.author_account_id)
                .outerjoin(s, (s.comment_id == Comment.id) & (s.method_version == method_version))
                .where(Comment.post_id.in_(part)).order_by(Comment.id))
            found += [VetComment(comment_id=r[0], post_id=r[1], author_handle=r[2],
                                 text=r[3] or "", created_at=r[4], label=r[5], score=r[6])
                      for r in rows]
        return found

    def follower_snapshots(self, account_ids: Sequence[int]
                           ) -> dict[int, list[tuple[datetime, int]]]:
        found: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
        for part in chunks(account_ids):
            for account, at, followers in self.s.execute(
                    select(MetricSnapshot.account_id, MetricSnapshot.captured_at,
                           MetricSnapshot.followers)
                    .where(MetricSnapshot.account_id.in_(part),
                           MetricSnapshot.followers.is_not(None))
                    .order_by(MetricSnapshot.account_id, MetricSnapshot.captured_at)):
                if account is not None and followers is not None:
                    found[account].append((at, int(followers)))
        return dict(found)

    def audience(self, account_ids: Sequence[int], post_ids: Sequence[int], per_account: int
                 ) -> dict[int, list[AudienceMember]]:
        found: dict[int, dict[int, AudienceMember]] = defaultdict(dict)
        cols = (A.id, A.handle, A.followers, A.following, A.posts_count, A.has_profile_pic,
                A.is_private, A.bio, A.external_url)
        for part in chunks(account_ids):
            for row in self.s.execute(
                    select(Follower.account_id, Follower.observed_at, *cols)
                    .join(A, A.id == Follower.follower_account_id)
                    .where(Follower.account_id.in_(part))
                    .order_by(Follower.account_id, Follower.id)):
                members = found[row[0]]
                if len(members) < per_account:
                    members[row[2]] = _member(row[2:], "follower", row[1])
        for part in chunks(post_ids):
            for row in self.s.execute(
                    select(Post.account_id, Comment.created_at, *cols)
                    .join(Comment, Comment.post_id == Post.id)
                    .join(A, A.id == Comment.author_account_id)
                    .where(Post.id.in_(part), A.id != Post.account_id)
                    .order_by(Post.account_id, Comment.id)):
                members = found[row[0]]
                if len(members) < per_account and row[2] not in members:
                    members[row[2]] = _member(row[2:], "commenter", row[1])
        return {account: list(members.values()) for account, members in found.items()}

    def known_brands(self, workspace_id: int) -> set[str]:
        return set(self.s.scalars(select(Sponsorship.brand_key).distinct().where(
            Sponsorship.workspace_id == workspace_id, Sponsorship.brand_key != "")))

    def save_sentiments(self, workspace_id: int, rows: Sequence[SentimentRow], *,
                        method_version: str, computed_at: datetime) -> None:
        if not rows:
            return
        t = table(CommentSentiment)
        stmt = insert_for(self.s, t)
        self.s.execute(stmt.on_conflict_do_update(
            index_elements=[t.c.comment_id],
            set_={c: stmt.excluded[c] for c in ("label", "score", "language", "method_version",
                                                "computed_at")}),
            [{"comment_id": r.comment_id, "workspace_id": workspace_id, "label": r.label,
              "score": r.score, "language": r.language, "method_version": method_version,
              "computed_at": computed_at} for r in rows])

    def replace_flags(self, workspace_id: int, post_ids: Sequence[int], rows: Sequence[FlagRow],
                      *, method_version: str, computed_at: datetime) -> None:
        for part in chunks(post_ids):
            self.s.execute(delete(PostFlagRow).where(PostFlagRow.post_id.in_(part)))
        if rows:
            self.s.execute(table(PostFlagRow).insert(), [
                {**vars(r), "workspace_id": workspace_id, "method_version": method_version,
                 "computed_at": computed_at} for r in rows])

    def flags(self, workspace_id: int, *, account_id: int | None, kind: str | None,
              category: str | None, limit: int, offset: int) -> tuple[int, list[FlagView]]:
        f = PostFlagRow
        where = [f.workspace_id == workspace_id]
        if account_id is not None:
            where.append(f.account_id == account_id)
        if kind is not None:
            where.append(f.kind == kind)
        if category is not None:
            where.append(f.category == category)
        total = self.s.scalar(select(func.count()).select_from(f).where(*where)) or 0
        rows = self.s.execute(
            select(f.id, f.account_id, A.handle, A.platform, f.post_id, Post.url, Post.posted_at,
                   f.set_name, f.kind, f.category, f.term, f.snippet, f.matches,
                   f.method_version, f.computed_at)
            .join(A, A.id == f.account_id).join(Post, Post.id == f.post_id)
            .where(*where).order_by(f.id).limit(limit).offset(offset))
        names = ("id", "account_id", "handle", "platform", "post_id", "post_url", "posted_at",
                 "set_name", "kind", "category", "term", "snippet", "matches", "method_version",
                 "computed_at")
        return total, [FlagView(**dict(zip(names, r, strict=True))) for r in rows]

    def save_report(self, workspace_id: int, view: VettingView) -> None:
        t = table(VettingReportRow)
        stmt = insert_for(self.s, t)
        report = view.report
        values = {"account_id": report.account_id, "workspace_id": workspace_id,
                  "method_version": report.method_version, "computed_at": report.computed_at,
                  "verdict": report.verdict, "risk": report.risk, "coverage": report.coverage,
                  "report": view.model_dump(mode="json", exclude={"report": {"override"},
                                                                 "flags": True,
                                                                 "flags_total": True})}
        self.s.execute(stmt.on_conflict_do_update(
            index_elements=[t.c.account_id],
            set_={c: stmt.excluded[c] for c in values if c != "account_id"}), [values])

    def report(self, workspace_id: int, account_id: int) -> VettingView | None:
        data = self.s.scalar(select(VettingReportRow.report).where(
            VettingReportRow.workspace_id == workspace_id,
            VettingReportRow.account_id == account_id))
        if data is None:
            return None
        view = VettingView.model_validate(data)
        report = view.report.model_copy(update={"override": self.override(workspace_id,
                                                                          account_id)})
        return view.model_copy(update={"report": report})

    def add_override(self, workspace_id: int, account_id: int, override: Override) -> None:
        self.s.add(VettingOverride(workspace_id=workspace_id, account_id=account_id,
                                   **override.model_dump()))
        self.s.flush()

    def override(self, workspace_id: int, account_id: int) -> Override | None:
        row = self.s.scalars(select(VettingOverride).where(
            VettingOverride.workspace_id == workspace_id,
            VettingOverride.account_id == account_id)
            .order_by(VettingOverride.created_at.desc(), VettingOverride.id.desc())
            .limit(1)).first()
        if row is None:
            return None
        return Override.model_validate({"verdict": row.verdict, "reason": row.reason,
                                        "author": row.author, "created_at": row.created_at})

    def verdicts(self, workspace_id: int) -> dict[str, int]:
        latest: dict[int, str | None] = {}
        for account_id, verdict in self.s.execute(
                select(VettingOverride.account_id, VettingOverride.verdict)
                .where(VettingOverride.workspace_id == workspace_id)
                .order_by(VettingOverride.created_at, VettingOverride.id)):
            latest[account_id] = verdict
        counts: dict[str, int] = defaultdict(int)
        for account_id, verdict in self.s.execute(
                select(VettingReportRow.account_id, VettingReportRow.verdict)
                .where(VettingReportRow.workspace_id == workspace_id)):
            counts[latest.get(account_id) or verdict] += 1
        return dict(counts)


def _member(row: Sequence[Any], relation: str, observed_at: datetime | None) -> AudienceMember:
    return AudienceMember(account_id=row[0], handle=row[1], relation=relation,
                          followers=row[2], following=row[3], posts_count=row[4],
                          has_profile_pic=row[5], is_private=row[6], bio=row[7],
                          external_url=row[8], observed_at=observed_at)


class SqlKeywordSetRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def list(self, workspace_id: int) -> list[KeywordSet]:
        rows = self.s.scalars(select(KeywordSetRow).where(
            KeywordSetRow.workspace_id == workspace_id).order_by(KeywordSetRow.name))
        return [KeywordSet.model_validate({
            "name": r.name, "kind": r.kind, "category": r.category, "terms": tuple(r.terms),
            "language": r.language, "exceptions": tuple(r.exceptions or ())}) for r in rows]

    def put(self, workspace_id: int, keyword_set: KeywordSet, now: datetime) -> bool:
        row = self.s.scalars(select(KeywordSetRow).where(
            KeywordSetRow.workspace_id == workspace_id,
            KeywordSetRow.name == keyword_set.name)).first()
        values = {"kind": keyword_set.kind, "category": keyword_set.category,
                  "language": keyword_set.language, "terms": list(keyword_set.terms),
                  "exceptions": list(keyword_set.exceptions), "updated_at": now}
        if row is None:
            self.s.add(KeywordSetRow(workspace_id=workspace_id, name=keyword_set.name,
                                     created_at=now, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
        self.s.flush()
        return row is not None

    def delete(self, workspace_id: int, name: str) -> bool:
        result = self.s.execute(delete(KeywordSetRow).where(
            KeywordSetRow.workspace_id == workspace_id, KeywordSetRow.name == name))
        return bool(getattr(result, "rowcount", 0))

"""Batch upserts of imported records, keyed for idempotence, with change detection."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kolscope.adapters.db.repositories._sql import chunks, insert_for, table
from kolscope.adapters.db.tables import (
    Account,
    Comment,
    Creator,
    Follower,
    Mention,
    MetricSnapshot,
    Post,
    Sponsorship,
)
from kolscope.app.ports import (
    AccountRow,
    CommentRow,
    FollowerRow,
    MentionRow,
    PostRow,
    Provenance,
    SponsorshipRow,
    UpsertResult,
)

Key = tuple[str, str]
_ACCOUNT_COUNTS = ("followers", "following", "posts_count")
_POST_FIELDS = ("url", "format", "posted_at", "caption", "image_description", "location",
                "likes", "comments_count", "views", "shares", "saves", "is_paid_partnership",
                "is_sponsored", "language", "content_hash")


_REFERENCE_FIELDS = frozenset({"platform", "handle", "platform_user_id"})


def _known_reference(row: AccountRow, stored: tuple[Any, ...] | None) -> bool:
    """A row that names a stored account and tells nothing new about it."""
    if stored is None or row.is_profile:
        return False
    if row.platform_user_id is not None and row.platform_user_id != stored[2]:
        return False
    return all(v is None for k, v in vars(row).items() if k not in _REFERENCE_FIELDS)


def _prov(p: Provenance) -> dict[str, Any]:
    return {"source": p.source, "source_file": p.source_file, "imported_at": p.imported_at}


class SqlIngestStore:
    def __init__(self, session: Session) -> None:
        self.s = session

    # -- accounts -------------------------------------------------------------------------
    def _account_state(self, workspace_id: int, keys: Iterable[Key]) -> dict[Key, tuple[Any, ...]]:
        """(id, creator_id, platform_user_id, followers, following, posts_count) by key."""
        by_platform: dict[str, list[str]] = defaultdict(list)
        for platform, handle in keys:
            by_platform[platform].append(handle)
        t = table(Account)
        found: dict[Key, tuple[Any, ...]] = {}
        for platform, handles in by_platform.items():
            for part in chunks(handles):
                rows = self.s.execute(
                    select(t.c.handle, t.c.id, t.c.creator_id, t.c.platform_user_id,
                           t.c.followers, t.c.following, t.c.posts_count)
                    .where(t.c.workspace_id == workspace_id, t.c.platform == platform,
                           t.c.handle.in_(part)))
                for handle, *rest in rows:
                    found[(platform, handle)] = tuple(rest)
        return found

    def _creator_ids(self, workspace_id: int, rows: Sequence[AccountRow],
                     before: Mapping[Key, tuple[Any, ...]],
                     provenance: Provenance) -> dict[Key, int]:
        """Creator ids for profile rows whose account has no creator yet (created as needed)."""
        keys: dict[Key, str] = {}
        wanted: dict[str, str | None] = {}
        for r in rows:
            stored = before.get((r.platform, r.handle))
            if r.is_profile and (stored is None or stored[1] is None):
                key = r.creator_key or f"{r.platform}:{r.handle}"
                keys[(r.platform, r.handle)] = key
                wanted[key] = wanted.get(key) or r.creator_name
        if not wanted:
            return {}
        t = table(Creator)
        stmt = insert_for(self.s, t)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c.workspace_id, t.c.key],
            set_={"name": func.coalesce(stmt.excluded.name, t.c.name)})
        self.s.execute(stmt, [{"workspace_id": workspace_id, "key": k, "name": n,
                               "kind": "person", "is_virtual": False, **_prov(provenance)}
                              for k, n in wanted.items()])
        ids: dict[str, int] = {}
        for part in chunks(list(wanted)):
            found = self.s.execute(select(t.c.key, t.c.id).where(
                t.c.workspace_id == workspace_id, t.c.key.in_(part)))
            ids.update(dict(found.all()))
        return {account: ids[key] for account, key in keys.items()}

    def upsert_accounts(self, workspace_id: int, rows: Sequence[AccountRow],
                        provenance: Provenance) -> UpsertResult:
        if not rows:
            return UpsertResult()
        before = self._account_state(workspace_id, ((r.platform, r.handle) for r in rows))
        # Most rows of a batch only reference an account (a commenter, a tag): when it is stored
        # already with nothing new to say, writing it again would only cost time.
        writes = [r for r in rows if not _known_reference(r, before.get((r.platform, r.handle)))]
        if writes:
            self._write_accounts(workspace_id, writes, before, provenance)
        after = {**before, **self._account_state(workspace_id,
                                                 ((r.platform, r.handle) for r in writes))}
        result = UpsertResult(ids={k: v[0] for k, v in after.items()})
        snapshots = []
        for r in rows:
            key = (r.platform, r.handle)
            old = before.get(key)
            if old is None:
                result.new += 1
            else:
                result.updated += 1
            counts = (r.followers, r.following, r.posts_count)
            if any(c is not None for c in counts) and (old is None or old[3:] != after[key][3:]):
                snapshots.append({"workspace_id": workspace_id, "account_id": after[key][0],
                                  "captured_at": provenance.imported_at,
                                  "followers": after[key][3], "following": after[key][4],
                                  "posts_count": after[key][5], "source": provenance.source})
        if snapshots:
            self.s.execute(table(MetricSnapshot).insert(), snapshots)
        return result

    def _write_accounts(self, workspace_id: int, rows: Sequence[AccountRow],
                        before: Mapping[Key, tuple[Any, ...]], provenance: Provenance) -> None:
        creators = self._creator_ids(workspace_id, rows, before, provenance)
        t = table(Account)
        payload = []
        for r in rows:
            values = dict(vars(r))
            for name in ("is_profile", "creator_key", "creator_name"):
                values.pop(name)
            values["creator_id"] = creators.get((r.platform, r.handle))
            payload.append({"workspace_id": workspace_id, "updated_at": provenance.imported_at,
                            **values, **_prov(provenance)})
        stmt = insert_for(self.s, t)
        keep = {"workspace_id", "platform", "handle"}
        update = {c: func.coalesce(stmt.excluded[c], t.c[c]) for c in payload[0] if c not in keep}
        # An account keeps the creator it was first given; provenance is of the latest import.
        update["creator_id"] = func.coalesce(t.c.creator_id, stmt.excluded.creator_id)
        self.s.execute(stmt.on_conflict_do_update(
            index_elements=[t.c.workspace_id, t.c.platform, t.c.handle], set_=update), payload)

    # -- posts ----------------------------------------------------------------------------
    def _post_state(self, workspace_id: int, keys: Iterable[Key]) -> dict[Key, tuple[int, str]]:
        by_platform: dict[str, list[str]] = defaultdict(list)
        for platform, post_id in keys:
            by_platform[platform].append(post_id)
        t = table(Post)
        found: dict[Key, tuple[int, str]] = {}
        for platform, ids in by_platform.items():
            for part in chunks(ids):
                rows = self.s.execute(select(t.c.platform_post_id, t.c.id, t.c.content_hash).where(
                    t.c.workspace_id == workspace_id, t.c.platform == platform,
                    t.c.platform_post_id.in_(part)))
                for post_id, pk, digest in rows:
                    found[(platform, post_id)] = (pk, digest)
        return found

    def existing_post_ids(self, workspace_id: int, keys: Iterable[Key]) -> dict[Key, int]:
        return {k: v[0] for k, v in self._post_state(workspace_id, keys).items()}

    def upsert_posts(self, workspace_id: int, rows: Sequence[PostRow],
                     account_ids: Mapping[Key, int], provenance: Provenance) -> UpsertResult:
        if not rows:
            return UpsertResult()
        before = self._post_state(workspace_id, ((r.platform, r.platform_post_id) for r in rows))
        result = UpsertResult()
        changed = []
        for r in rows:
            old = before.get((r.platform, r.platform_post_id))
            if old is not None and old[1] == r.content_hash:
                result.unchanged += 1
                continue
            if old is None:
                result.new += 1
            else:
                result.updated += 1
            changed.append(r)
        if changed:
            t = table(Post)
            stmt = insert_for(self.s, t)
            payload = [{"workspace_id": workspace_id, "platform": r.platform,
                        "platform_post_id": r.platform_post_id,
                        "account_id": account_ids[r.account_key],
                        **{f: getattr(r, f) for f in _POST_FIELDS}, **_prov(provenance)}
                       for r in changed]
            update = {c: func.coalesce(stmt.excluded[c], t.c[c])
                      for c in payload[0] if c not in {"workspace_id", "platform",
                                                       "platform_post_id"}}
            self.s.execute(stmt.on_conflict_do_update(
                index_elements=[t.c.workspace_id, t.c.platform, t.c.platform_post_id],
                set_=update), payload)
        after = self._post_state(workspace_id, ((r.platform, r.platform_post_id) for r in rows))
        result.ids = {k: v[0] for k, v in after.items()}
        result.written = {(r.platform, r.platform_post_id) for r in changed}
        snapshots = [{"workspace_id": workspace_id,
                      "post_id": result.ids[(r.platform, r.platform_post_id)],
                      "captured_at": provenance.imported_at, "likes": r.likes,
                      "comments": r.comments_count, "views": r.views, "source": provenance.source}
                     for r in changed
                     if any(v is not None for v in (r.likes, r.comments_count, r.views))]
        if snapshots:
            self.s.execute(table(MetricSnapshot).insert(), snapshots)
        return result

    # -- comments, mentions, sponsorships ---------------------------------------------------
    def upsert_comments(self, workspace_id: int, rows: Sequence[CommentRow],
                        post_ids: Mapping[Key, int], account_ids: Mapping[Key, int],
                        provenance: Provenance) -> UpsertResult:
        # A comment seen twice in one batch (a post repeated in the file) counts as unchanged.
        result = UpsertResult()
        wanted: dict[tuple[int, str], dict[str, Any]] = {}
        for r in rows:
            post_id = post_ids[r.post_key]
            wanted[(post_id, r.platform_comment_id)] = {
                "workspace_id": workspace_id, "post_id": post_id,
                "platform_comment_id": r.platform_comment_id,
                "author_account_id": account_ids[r.author_key], "text": r.text,
                "created_at": r.created_at, "likes": r.likes, "replies_count": r.replies_count,
                **_prov(provenance)}
        result.unchanged = len(rows) - len(wanted)
        if not wanted:
            return result
        t = table(Comment)
        existing: dict[tuple[int, str], tuple[Any, ...]] = {}
        for part in chunks(sorted({k[0] for k in wanted})):
            for post_id, cid, text, likes, replies in self.s.execute(select(
                    t.c.post_id, t.c.platform_comment_id, t.c.text, t.c.likes, t.c.replies_count)
                    .where(t.c.post_id.in_(part))):
                existing[(post_id, cid)] = (text, likes, replies)
        fresh, changed = [], []
        for key, values in wanted.items():
            old = existing.get(key)
            if old is None:
                fresh.append(values)
            elif old != (values["text"], values["likes"], values["replies_count"]):
                changed.append(values)
            else:
                result.unchanged += 1
        if fresh:
            self.s.execute(t.insert(), fresh)
        if changed:
            stmt = insert_for(self.s, t)
            self.s.execute(stmt.on_conflict_do_update(
                index_elements=[t.c.post_id, t.c.platform_comment_id],
                set_={c: func.coalesce(stmt.excluded[c], t.c[c])
                      for c in ("text", "likes", "replies_count", "created_at", "source",
                                "source_file", "imported_at")}), changed)
        result.new, result.updated = len(fresh), len(changed)
        return result

    def link_mentions(self, workspace_id: int, rows: Sequence[MentionRow],
                      post_ids: Mapping[Key, int], account_ids: Mapping[Key, int],
                      provenance: Provenance) -> int:
        values = {(post_ids[r.post_key], account_ids[r.account_key], r.kind) for r in rows}
        if values:
            t = table(Mention)
            self.s.execute(insert_for(self.s, t).on_conflict_do_nothing(), [
                {"workspace_id": workspace_id, "post_id": p, "account_id": a, "kind": k,
                 **_prov(provenance)} for p, a, k in values])
        return len(values)

    def link_sponsorships(self, workspace_id: int, rows: Sequence[SponsorshipRow],
                          post_ids: Mapping[Key, int], account_ids: Mapping[Key, int],
                          provenance: Provenance) -> int:
        values = {}
        for r in rows:
            brand_id = account_ids[r.brand_key] if r.brand_key else None
            key = (post_ids[r.post_key], r.disclosure, r.brand_key[1] if r.brand_key else "")
            values[key] = {"workspace_id": workspace_id, "post_id": key[0], "disclosure": key[1],
                           "brand_key": key[2], "brand_account_id": brand_id, "tags": r.tags,
                           **_prov(provenance)}
        if values:
            t = table(Sponsorship)
            self.s.execute(insert_for(self.s, t).on_conflict_do_nothing(), list(values.values()))
        return len(values)



    def link_followers(self, workspace_id: int, rows: Sequence[FollowerRow],
                       account_ids: Mapping[Key, int], provenance: Provenance) -> int:
        values: dict[tuple[int, int], dict[str, Any]] = {}
        for r in rows:
            key = (account_ids[r.account_key], account_ids[r.follower_key])
            if key[0] != key[1]:
                values[key] = {"workspace_id": workspace_id, "account_id": key[0],
                               "follower_account_id": key[1],
                               "observed_at": r.observed_at or provenance.imported_at,
                               **_prov(provenance)}
        if values:
            t = table(Follower)
            stmt = insert_for(self.s, t)
            # Seen again: the edge stays one row, dated by its latest sighting.
            self.s.execute(stmt.on_conflict_do_update(
                index_elements=[t.c.account_id, t.c.follower_account_id],
                set_={c: stmt.excluded[c] for c in ("observed_at", "source", "source_file",
                                                    "imported_at")}),
                list(values.values()))
        return len(values)

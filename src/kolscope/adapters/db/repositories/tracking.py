"""Tracked links and their clicks.

Links are few and change rarely; clicks are many and only ever appended, in batches of
thousands from the redirect service. A clash on ``click_id`` is skipped rather than failing
the batch, which makes retrying a batch after a failed commit safe. On PostgreSQL a batch is
one Core ``executemany``. On SQLite it is multi-row ``INSERT ... VALUES`` statements of
``SQLITE_ROWS`` rows: the same rows, but one call into SQLite per 500 instead of one per row,
so the writer thread gives up and takes back the GIL once per 500 rows instead of every row,
and the redirect's event loop is not starved while it writes (under load ``executemany``
there made each click cost several times the CPU, measured with ``benchmarks/redirect.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Integer, String, and_, any_, bindparam, case, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kolscope.adapters.db.repositories._sql import chunks, insert_for, table
from kolscope.adapters.db.tables import TrackingClickRow, TrackingLinkRow
from kolscope.app.tracking_views import (
    ClickCounts,
    ClickRow,
    LinkIn,
    LinkView,
    RedirectTarget,
    TouchRow,
)
from kolscope.errors import Conflict

L, C = TrackingLinkRow, TrackingClickRow
CLICK_COLUMNS = ClickRow._fields
_LINK_FIELDS = ("destination", "url", "utm", "campaign_id", "collaboration_id",
                "deliverable_id", "enabled")
_by_workspace = itemgetter(2)  # stable: each workspace's clicks keep their time order
_by_time = itemgetter(1, 0)  # a touch's (at, click_id)
# Rows per INSERT on SQLite: few enough that a statement compiles fast and stays in the
# driver's statement cache, many enough that crossing into SQLite costs nothing per row.
SQLITE_ROWS = 500


def _utc(at: datetime) -> datetime:
    """As the UtcDateTime column type reads a time: naive means UTC already."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


@lru_cache(maxsize=8)
def _sqlite_insert(rows: int) -> str:
    """One INSERT of ``rows`` rows (cached: most batches are cut into full-sized statements)."""
    one = "(" + ", ".join("?" * len(CLICK_COLUMNS)) + ")"
    return (f"INSERT INTO tracking_clicks ({', '.join(CLICK_COLUMNS)}) VALUES "
            f"{', '.join([one] * rows)} ON CONFLICT (click_id) DO NOTHING")


def _sqlite_params(clicks: Sequence[ClickRow]) -> tuple[object, ...]:
    """The rows' values in one flat tuple, times as SQLAlchemy stores them on SQLite
    (``2026-01-02 03:04:05.678901``, UTC).

    A batch's clicks fall in a few seconds, so each second is formatted once and only the
    microseconds per row: ``isoformat`` of an aware time costs more than the rest of a row.
    """
    out: list[object] = []
    extend = out.extend
    seconds: dict[int, str] = {}
    for click_id, link_id, workspace_id, code, at, agent, referrer, ip, visitor, country, bot, \
            unique in clicks:
        if at.tzinfo is not UTC:
            at = _utc(at)
        whole = int(at.timestamp())
        second = seconds.get(whole)
        if second is None:
            second = seconds[whole] = at.isoformat(" ", "seconds")[:19]
        extend((click_id, link_id, workspace_id, code, f"{second}.{at.microsecond:06d}", agent,
                referrer, ip, visitor, country, bot, unique))
    return tuple(out)


def _view(r: TrackingLinkRow) -> LinkView:
    return LinkView(id=r.id, workspace_id=r.workspace_id, code=r.code, destination=r.destination,
                    url=r.url, utm=dict(r.utm), campaign_id=r.campaign_id,
                    collaboration_id=r.collaboration_id, deliverable_id=r.deliverable_id,
                    enabled=r.enabled, created_at=r.created_at, updated_at=r.updated_at)


class SqlTrackingRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # --- links ------------------------------------------------------------------------------

    def upsert_links(self, workspace_id: int, links: Sequence[LinkIn], now: datetime) -> int:
        """Add links or replace them by code; a code another workspace holds is a Conflict."""
        existing: dict[str, tuple[int, int]] = {}
        for part in chunks(sorted({link.code for link in links})):
            existing.update((code, (id_, ws)) for id_, code, ws in self.s.execute(
                select(L.id, L.code, L.workspace_id).where(L.code.in_(part))))
        taken = sorted(code for code, (_, ws) in existing.items() if ws != workspace_id)
        if taken:
            raise Conflict(f"short code {taken[0]!r} is taken", code=taken[0], count=len(taken))
        new = [{"workspace_id": workspace_id, "code": link.code, "created_at": now,
                "updated_at": now, **{f: getattr(link, f) for f in _LINK_FIELDS}}
               for link in links if link.code not in existing]
        changed = [{"b_id": existing[link.code][0], "updated_at": now,
                    **{f: getattr(link, f) for f in _LINK_FIELDS}}
                   for link in links if link.code in existing]
        if new:
            self.s.execute(table(L).insert(), new)
        if changed:
            self.s.connection().execute(
                update(table(L)).where(table(L).c.id == bindparam("b_id")), changed)
        self.s.flush()
        return len(new) + len(changed)

    def code_taken(self, code: str) -> bool:
        """Whether any workspace holds ``code`` (one redirect host serves them all)."""
        return self.s.scalar(select(L.id).where(L.code == code)) is not None

    def link(self, workspace_id: int, code: str) -> LinkView | None:
        row = self.s.scalar(select(L).where(L.workspace_id == workspace_id, L.code == code))
        return None if row is None else _view(row)

    def links(self, workspace_id: int, *, campaign_id: int | None = None,
              collaboration_id: int | None = None) -> list[LinkView]:
        q = select(L).where(L.workspace_id == workspace_id)
        if campaign_id is not None:
            q = q.where(L.campaign_id == campaign_id)
        if collaboration_id is not None:
            q = q.where(L.collaboration_id == collaboration_id)
        return [_view(r) for r in self.s.scalars(q.order_by(L.id))]

    def set_enabled(self, workspace_id: int, code: str, enabled: bool, now: datetime) -> bool:
        """Switch a link on or off (the redirect notices within a second); False if unknown."""
        done = self.s.execute(update(L).where(L.workspace_id == workspace_id, L.code == code)
                              .values(enabled=enabled, updated_at=now))
        return bool(getattr(done, "rowcount", 0))

    def links_changed_since(self, since: datetime | None) -> list[RedirectTarget]:
        """Links of every workspace updated at or after ``since`` (all of them for None)."""
        q = select(L.id, L.workspace_id, L.code, L.url, L.enabled, L.updated_at)
        if since is not None:
            q = q.where(L.updated_at >= since)
        return [RedirectTarget(*row) for row in self.s.execute(q.order_by(L.updated_at, L.id))]

    def links_version(self) -> tuple[int, datetime | None]:
        """How many links exist in all workspaces and the newest change: a cheap signature
        that moves when a link is added, changed or deleted."""
        count, newest = self.s.execute(select(func.count(L.id), func.max(L.updated_at))).one()
        return int(count or 0), newest

    # --- clicks -----------------------------------------------------------------------------

    def add_clicks(self, clicks: Sequence[ClickRow]) -> int:
        """Append clicks in one statement; a click id stored already is skipped."""
        if not clicks:
            return 0
        # In (workspace_id, at) order, the index's, so each batch adds to its ends.
        ordered = sorted(clicks, key=_by_workspace)
        if self.s.get_bind().dialect.name == "sqlite":
            connection = self.s.connection()
            driver: Any = connection.connection.driver_connection
            per = max(1, min(SQLITE_ROWS, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
                             // len(CLICK_COLUMNS)))
            for start in range(0, len(ordered), per):
                part = ordered[start:start + per]
                connection.exec_driver_sql(_sqlite_insert(len(part)), _sqlite_params(part))
        else:
            stmt = insert_for(self.s, table(C)).on_conflict_do_nothing(
                index_elements=["click_id"])
            self.s.execute(stmt, [dict(zip(CLICK_COLUMNS, c, strict=True)) for c in ordered])
        return len(ordered)

    def clicks(self, workspace_id: int, *, since: datetime | None = None,
               limit: int | None = None) -> list[ClickRow]:
        """A workspace's clicks, oldest first."""
        q = select(*(getattr(C, name) for name in CLICK_COLUMNS)).where(
            C.workspace_id == workspace_id)
        if since is not None:
            q = q.where(C.at >= since)
        return [ClickRow(*row) for row in self.s.execute(q.order_by(C.id).limit(limit))]

    def click_counts(self, workspace_id: int, *, link_ids: Sequence[int] | None = None,
                     since: datetime | None = None,
                     until: datetime | None = None) -> dict[int, ClickCounts]:
        """People's clicks (all and unique) and bot requests per link, in ``[since, until)``."""
        if link_ids is not None and not link_ids:
            return {}
        person = C.bot.is_(None)
        q: Any = (select(C.link_id, func.sum(case((person, 1), else_=0)),
                         func.sum(case((and_(person, C.is_unique), 1), else_=0)),
                         func.sum(case((person, 0), else_=1)))
                  .where(*self._period(workspace_id, since, until)).group_by(C.link_id))
        if link_ids is not None:
            q = q.where(self._among(C.link_id, sorted(set(link_ids)), Integer))
        return {link_id: ClickCounts(int(total), int(unique), int(bots))
                for link_id, total, unique, bots in self.s.execute(q)}

    def touches(self, workspace_id: int, *, click_ids: Sequence[str],
                visitors: Sequence[str] = (), since: datetime | None = None,
                until: datetime | None = None) -> list[TouchRow]:
        """People's clicks with these ids, and every click in ``[since, until)`` by their
        visitors or by ``visitors``, oldest first: all that attribution needs to credit orders
        carrying click ids or visitor keys, in one pass over the period."""
        found: list[TouchRow] = []
        for part in chunks(sorted(set(click_ids))):
            # By click id alone (unique everywhere); workspace and bot are checked on the few
            # rows found, and the clicks themselves are found whenever they were made.
            found += (TouchRow(click_id, at, link_id, visitor)
                      for click_id, at, link_id, visitor, ws, bot in self.s.execute(
                          select(C.click_id, C.at, C.link_id, C.visitor, C.workspace_id, C.bot)
                          .where(C.click_id.in_(part)))
                      if ws == workspace_id and bot is None)
        seen = {t.click_id for t in found}
        found += (t for t in self.visitor_touches(
            workspace_id, visitors=[*visitors, *(t.visitor for t in found)], since=since,
            until=until) if t.click_id not in seen)
        return sorted(found, key=_by_time)

    def visitor_touches(self, workspace_id: int, *, visitors: Sequence[str],
                        since: datetime | None = None,
                        until: datetime | None = None) -> list[TouchRow]:
        """Every person's click by these visitors in ``[since, until)``, oldest first.

        One pass over the workspace's clicks of the period (the workspace-and-time index),
        however many visitors are asked for: there is no index by visitor, which would cost
        every click written more than the lookups it saves."""
        wanted = sorted(set(visitors))
        if not wanted:
            return []
        q = select(C.click_id, C.at, C.link_id, C.visitor).where(
            *self._period(workspace_id, since, until), C.bot.is_(None),
            self._among(C.visitor, wanted, String))
        return sorted((TouchRow(*row) for row in self.s.execute(q)), key=_by_time)

    @staticmethod
    def _period(workspace_id: int, since: datetime | None,
                until: datetime | None) -> list[ColumnElement[bool]]:
        where = [C.workspace_id == workspace_id]
        if since is not None:
            where.append(C.at >= since)
        if until is not None:
            where.append(C.at < until)
        return where

    def _among(self, column: Any, values: Sequence[object],
               kind: type[Integer] | type[String]) -> ColumnElement[bool]:
        """``column IN values`` with the values as one parameter (a JSON array on SQLite, an
        array on PostgreSQL), so a long list is still one statement and one pass."""
        among: ColumnElement[bool]
        if self.s.get_bind().dialect.name == "postgresql":
            among = column == any_(bindparam(None, list(values), type_=ARRAY(kind())))
        else:
            members = func.json_each(bindparam(None, json.dumps(list(values)))).table_valued(
                "value")
            among = column.in_(select(members.c.value))
        return among

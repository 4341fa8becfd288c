"""One click, from the facts of a request to a row in the writer's buffer.

The rules (bots, bursts, unique visitors, hashing) are ``core.tracking.clicks``; this class
holds their state for one process and the day's salt. State is per worker process: with
several workers a visitor's burst and unique window are counted in the worker that served
each click (the kernel spreads connections, so unique clicks can only be over-counted).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from kolscope.app.tracking_views import ClickRow
from kolscope.core.tracking.clicks import (
    BurstFilter,
    ClickIds,
    Headers,
    UniqueWindow,
    VisitorHasher,
    classify,
    country_from_headers,
    daily_salt,
)
from kolscope.redirect.links import Target

DAY = 86_400
EPOCH = date(1970, 1, 1)
MAX_USER_AGENT = 512
MAX_REFERRER = 1024
_VISITOR_CACHE = 4096
# A NamedTuple's own constructor is a Python function; the tuple built directly is the same
# object at a fifth of the cost, on a path that runs for every click.
_row = tuple.__new__


class ClickRecorder:
    """Turns requests into :class:`ClickRow` tuples and hands them to ``sink``."""

    def __init__(self, secret: bytes, sink: Callable[[ClickRow], object], *,
                 bursts: BurstFilter | None = None, unique: UniqueWindow | None = None,
                 click_ids: Callable[[float], str] | None = None) -> None:
        self._secret, self._sink = secret, sink
        self.bursts = bursts or BurstFilter()
        self.unique = unique or UniqueWindow()
        self._click_id = click_ids or ClickIds()
        self._day = -1
        self._hash = VisitorHasher(b"")
        self._visitors: dict[tuple[str, str], tuple[str, str]] = {}

    def _visitor(self, ip: str, user_agent: str, now: float) -> tuple[str, str]:
        """(ip hash, visitor key), cached for repeat visitors of the same day."""
        day = int(now // DAY)
        if day != self._day:
            self._day, self._visitors = day, {}
            self._hash = VisitorHasher(daily_salt(self._secret, EPOCH + timedelta(days=day)))
        key = (ip, user_agent)
        found = self._visitors.get(key)
        if found is None:
            found = self._hash(ip, user_agent)
            if len(self._visitors) >= _VISITOR_CACHE:
                self._visitors.clear()
            self._visitors[key] = found
        return found

    def record(self, target: Target, method: str, headers: Headers, ip: str,
               now: float, user_agent: str | None = None) -> str:
        """Record one request to ``target`` at ``now`` (epoch seconds); its click id.
        ``user_agent`` where the server read it already (default: from ``headers``)."""
        if user_agent is None:
            user_agent = headers.get("user-agent") or ""
        hashed, visitor = self._visitor(ip, user_agent, now)
        bot = classify(method, user_agent, headers)
        if self.bursts.hit(visitor, now) and bot is None:
            bot = "burst"
        unique = bot is None and self.unique.first(f"{target.link_id}:{visitor}", now)
        click_id = self._click_id(now)
        self._sink(_row(ClickRow, (click_id, target.link_id, target.workspace_id, target.code,
                                   datetime.fromtimestamp(now, UTC), user_agent[:MAX_USER_AGENT],
                                   (headers.get("referer") or "")[:MAX_REFERRER], hashed,
                                   visitor, country_from_headers(headers), bot, unique)))
        return click_id

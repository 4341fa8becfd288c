"""The links the redirect serves, held in memory and kept in step with the database.

A background thread asks every ``interval`` seconds (1 s by default) for a signature of the
links table: how many links exist and the newest ``updated_at``. Only when it moved does it
read the links changed at or after the newest change it had seen, less ``SKEW`` seconds so a
writer whose clock runs a little behind is not missed (rows it holds already are skipped).
Changed links go in or out of the table one by one, each a single dict operation (atomic
under the GIL). When the count disagrees with what the table holds (a link deleted, or one
stamped older than the window) the whole table is read again and swapped in at once, and it
is anyway every ``FULL_RELOAD`` seconds, the net under an edit stamped by a clock far behind.
So a new, edited or disabled link takes effect within about a second, and a request never
sees a half-built table.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple
from urllib.parse import quote

from kolscope.app.clicks import links_version, redirect_targets
from kolscope.app.ports import UnitOfWork
from kolscope.app.tracking_views import RedirectTarget
from kolscope.core.tracking.clicks import CLICK_PARAM

log = logging.getLogger(__name__)
SKEW = timedelta(seconds=5)
FULL_RELOAD = 300.0
# Kept as written in a Location header; anything else outside ASCII letters and digits is
# percent-encoded (existing %XX escapes included in "%").
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


class Target(NamedTuple):
    """A served link; the redirect goes to ``head + click_id + tail``."""

    link_id: int
    workspace_id: int
    code: str
    head: str
    tail: str


def target_of(link: RedirectTarget) -> Target | None:
    """The in-memory form of a link, or None where it must not be served."""
    if not link.enabled:
        return None
    url = quote(link.url.strip(), safe=_URL_SAFE)
    if not url.lower().startswith(("http://", "https://")):
        log.warning("link %s is not an http(s) URL; not served", link.code)
        return None
    base, hash_, fragment = url.partition("#")
    path, mark, query = base.partition("?")
    if mark:  # a click id already in the destination would be the one a shop reads first
        kept = [p for p in query.split("&") if p.partition("=")[0] != CLICK_PARAM]
        base = f"{path}?{'&'.join(kept)}" if kept else path
    joint = "" if base.endswith(("?", "&")) else "&" if "?" in base else "?"
    return Target(link.link_id, link.workspace_id, link.code,
                  f"{base}{joint}{CLICK_PARAM}=", hash_ + fragment)


class LinkTable:
    """``by_path`` maps ``"/" + code`` to a :class:`Target` for every enabled link."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], *, interval: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._uow, self._clock = uow_factory, clock
        self.interval = interval
        self.by_path: dict[str, Target] = {}
        self._stamps: dict[str, datetime] = {}  # every code read, enabled or not
        self._version: tuple[int, datetime | None] | None = None
        self._reloaded = -FULL_RELOAD
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def refresh(self) -> int:
        """Apply the links changed since the last refresh; how many changed."""
        with self._lock:
            if self._clock() - self._reloaded >= FULL_RELOAD:
                return self._reload()
            with self._uow() as uow:
                version = links_version(uow)
                if version == self._version:
                    return 0
                newest = self._version[1] if self._version else None
                changed = redirect_targets(uow, since=None if newest is None else newest - SKEW)
            done = 0
            for link in changed:
                if self._stamps.get(link.code) != link.updated_at:
                    self._put(link)
                    done += 1
            self._version = version
            if version[0] != len(self._stamps):
                return self._reload()
            return done

    def _put(self, link: RedirectTarget) -> None:
        self._stamps[link.code] = link.updated_at
        target = target_of(link)
        if target is None:
            self.by_path.pop("/" + link.code, None)
        else:
            self.by_path["/" + link.code] = target

    def _reload(self) -> int:
        with self._uow() as uow:
            version = links_version(uow)
            links = redirect_targets(uow, since=None)
        fresh = {}
        for link in links:
            target = target_of(link)
            if target is not None:
                fresh["/" + link.code] = target
        self.by_path = fresh
        self._stamps = {link.code: link.updated_at for link in links}
        self._version, self._reloaded = version, self._clock()
        return len(links)

    def start(self) -> None:
        """Load every link, then poll for changes in a background thread."""
        self.refresh()
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="link-refresh", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:
                log.exception("could not refresh the links; serving the ones held")

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

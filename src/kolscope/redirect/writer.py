"""Clicks buffered in memory and written in batches by a background thread.

The request path only appends a tuple to a list (one C call, no lock). Every ``interval``
seconds, on a fixed cadence, the writer copies the first ``n`` rows, stores them in one
transaction and only then deletes those ``n`` from the front of the list; rows appended
meanwhile stay behind for the next batch. Both steps are single C calls under the GIL, so no
row is lost or written twice between the two threads.

What a crash costs: rows are committed at most ``interval`` plus one write after they were
appended, and a row is appended before its redirect is answered, so a process killed at any
moment loses only clicks acknowledged in the last ``interval`` plus the write time (about
0.5 s by default; ``tests/redirect/test_crash.py`` checks it stays under a second). With SQLite
in WAL mode and ``synchronous=NORMAL`` a commit survives the process dying; after a power loss
the last commits before the checkpoint may roll back. A failed write keeps its rows for the
next try; past ``max_pending`` rows (the database gone for minutes) the oldest are dropped and
counted in ``dropped``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kolscope.app.clicks import record_clicks
from kolscope.app.ports import UnitOfWork
from kolscope.app.tracking_views import ClickRow

log = logging.getLogger(__name__)
MAX_BATCH = 50_000  # rows per transaction, so a backlog drains in bounded steps


class ClickWriter:
    """Collects :class:`ClickRow` tuples through :attr:`append`; writes them in batches."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], *, interval: float = 0.5,
                 max_pending: int = 2_000_000, max_batch: int = MAX_BATCH) -> None:
        self._uow = uow_factory
        self.interval, self.max_pending, self.max_batch = interval, max_pending, max_batch
        self.pending: list[ClickRow] = []
        self.append = self.pending.append  # the hot path's only call
        self.written = self.dropped = self.failures = 0
        self._lock = threading.Lock()  # one flush at a time: the thread's or close()'s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def flush(self) -> int:
        """Write every pending row now; the number written (0 when the write failed)."""
        with self._lock:
            done = 0
            while self.pending:
                n = min(len(self.pending), self.max_batch)
                batch = self.pending[:n]
                try:
                    with self._uow() as uow:
                        record_clicks(uow, clicks=batch)
                        uow.commit()
                except Exception:
                    self.failures += 1
                    log.exception("could not write %d clicks; they stay buffered", n)
                    self._shed()
                    return done
                del self.pending[:n]
                self.written += n
                done += n
            return done

    def _shed(self) -> None:
        excess = len(self.pending) - self.max_pending
        if excess > 0:
            del self.pending[:excess]
            self.dropped += excess
            log.error("click buffer full: dropped the %d oldest clicks", excess)

    def start(self) -> None:
        """Start the background writer (after a fork: threads do not survive one)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="click-writer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        due = time.monotonic() + self.interval
        while not self._stop.wait(max(0.0, due - time.monotonic())):
            self.flush()
            due = max(due + self.interval, time.monotonic())

    def close(self) -> None:
        """Stop the thread and write what is left (graceful shutdown)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.flush()

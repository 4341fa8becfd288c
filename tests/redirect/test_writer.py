"""The click writer: batches, retries after a failed write, a bounded buffer, the salt file."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app.ports import UnitOfWork
from kolscope.app.tracking_views import ClickRow
from kolscope.redirect.serve import SALT_FILE, click_secret
from kolscope.redirect.writer import ClickWriter
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW


def rows(linked: Database, n: int, start: int = 0) -> list[ClickRow]:
    with linked.uow() as uow:
        ws = uow.workspaces.get("acme")
        assert ws is not None
        link = uow.tracking.link(ws.id, "serum")
        assert link is not None
    return [ClickRow(f"c{start + i:08d}", link.id, ws.id, "serum", FIXED_NOW, "ua", "", "h",
                     "v", None, None, True) for i in range(n)]


def count(db: Database) -> int:
    with db.uow() as uow:
        ws = uow.workspaces.get("acme")
        assert ws is not None
        return len(uow.tracking.clicks(ws.id))


class Flaky:
    """Fails the first ``failures`` units of work it opens, then behaves."""

    def __init__(self, db: Database, failures: int) -> None:
        self.db, self.failures = db, failures

    def __call__(self) -> AbstractContextManager[UnitOfWork]:
        if self.failures:
            self.failures -= 1
            raise OSError("database unavailable")
        return self.db.uow()


def test_rows_are_written_once_and_in_batches(linked: Database) -> None:
    writer = ClickWriter(linked.uow, max_batch=1_000)
    for row in rows(linked, 2_500):
        writer.append(row)
    assert writer.flush() == 2_500  # three transactions of at most max_batch rows
    assert writer.flush() == 0 and writer.pending == []
    assert count(linked) == 2_500 and writer.written == 2_500


def test_a_failed_write_keeps_its_rows_for_the_next(linked: Database,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    writer = ClickWriter(Flaky(linked, failures=2), max_pending=150)
    for row in rows(linked, 100):
        writer.append(row)
    assert writer.flush() == 0
    for row in rows(linked, 100, start=100):
        writer.append(row)
    assert writer.flush() == 0  # 200 waiting, past max_pending: the 50 oldest go
    assert writer.failures == 2 and writer.dropped == 50 and len(writer.pending) == 150
    assert writer.flush() == 150
    assert count(linked) == 150
    assert "could not write" in caplog.text and "dropped the 50 oldest" in caplog.text


def test_the_thread_writes_every_interval_and_close_writes_the_rest(linked: Database) -> None:
    writer = ClickWriter(linked.uow, interval=0.05)
    writer.start()
    try:
        for row in rows(linked, 10):
            writer.append(row)
        deadline = time.monotonic() + 5
        while writer.written < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert writer.written == 10
        for row in rows(linked, 5, start=10):
            writer.append(row)
    finally:
        writer.close()
    assert count(linked) == 15 and writer.pending == []


def test_the_salt_secret_is_made_once_and_kept(settings: Settings, tmp_path: Path) -> None:
    first = click_secret(settings)
    assert len(first) == 64 and click_secret(settings) == first
    path = settings.data_dir / SALT_FILE
    assert path.read_text().strip().encode() == first
    assert path.stat().st_mode & 0o077 == 0
    assert not list(settings.data_dir.glob(f".{SALT_FILE}.*"))
    given = settings.model_copy(update={"redirect_salt": "from-the-environment"})
    assert click_secret(given) == b"from-the-environment"

"""Shared fixtures: a real, migrated SQLite database per test, a runtime and a workspace."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import orjson
import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.search import FileIndexStore
from kolscope.adapters.sources import open_source
from kolscope.app.imports import run_import, start_import
from kolscope.app.models import AccountQuery, AccountSummary, ImportJobView, Page
from kolscope.app.search import search_accounts
from kolscope.app.workspaces import create_workspace
from kolscope.jobs.imports import import_options
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KOLSCOPE_SHARED_DATASETS", REPO.parent / "shared" / "datasets"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXED_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED_NOW


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path, database_url=None)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.resolved_database_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def runtime(settings: Settings, db: Database) -> Iterator[Runtime]:
    rt = Runtime.start(settings, db)
    yield rt
    rt.runner.shutdown()


@pytest.fixture
def workspace(db: Database) -> str:
    with db.uow() as uow:
        create_workspace(uow, slug="acme", name="Acme Beauty", clock=fixed_clock)
        uow.commit()
    return "acme"


def search(db: Database, settings: Settings, query: AccountQuery, *,
           workspace: str = "acme") -> Page[AccountSummary]:
    """Run a KOL search with the index store of ``settings``, as the shells do."""
    with db.uow() as uow:
        return search_accounts(uow, FileIndexStore(settings.data_dir / "search"),
                               workspace=workspace, query=query, now=fixed_clock())


def do_import(db: Database, settings: Settings, kind: str, path: Path, *,
              workspace: str = "acme", **options: object) -> ImportJobView:
    """Run an import synchronously, as the CLI does."""
    source = open_source(kind, path, **options)
    with db.uow() as uow:
        job_id = start_import(uow, workspace=workspace, source=source, clock=fixed_clock)
        uow.commit()
    return run_import(db.uow, workspace=workspace, job_id=job_id, source=source,
                      options=import_options(settings), clock=fixed_clock)


@pytest.fixture
def shared_datasets() -> Path:
    """The shared real datasets; tests that need them skip where they are absent."""
    if not (SHARED / "instagram-influencers" / "posts.jsonl.gz").exists():
        pytest.skip(f"shared datasets not found at {SHARED} (set KOLSCOPE_SHARED_DATASETS); "
                    "these tests need the real Instagram data")
    return SHARED


class Inbox:
    """Messages a real SMTP server on loopback received, as parsed email messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, int, Inbox]]:
    """A real SMTP server (aiosmtpd) on a free loopback port: (host, port, inbox)."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, inbox
    finally:
        controller.stop()


def campaign_world(path: Path) -> Path:
    """Three instagram KOLs (mia and zoe in beauty, leo in fitness) with three posts each."""
    rows: list[dict[str, Any]] = []
    for handle, niche in (("mia", "beauty"), ("leo", "fitness"), ("zoe", "beauty")):
        rows.append({"type": "account", "platform": "instagram", "handle": handle,
                     "display_name": handle.title(), "followers": 12_000, "following": 300,
                     "posts": 50, "niche": niche})
        rows += [{"type": "post", "platform": "instagram", "post_id": f"{handle}-{i}",
                  "handle": handle, "format": "image", "caption": f"{niche} day {i}",
                  "posted_at": f"2025-12-{10 + i:02d}T08:00:00Z", "likes": 500,
                  "comments_count": 20, "url": f"https://instagram.com/p/{handle}{i}"}
                 for i in range(3)]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path

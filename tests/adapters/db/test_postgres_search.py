"""Brief search and lookalikes (their SQL: documents, shared audience) on real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.search import FileIndexStore
from kolscope.app.accounts import resolve_account
from kolscope.app.models import AccountQuery
from kolscope.app.search import find_lookalikes
from kolscope.app.workspaces import create_workspace
from kolscope.settings import Settings
from tests.app.test_search import WORLD
from tests.conftest import do_import, fixed_clock, search

pytestmark = pytest.mark.postgres


def test_search_and_lookalikes_on_postgres(pg_db: Database, settings: Settings,
                                           tmp_path: Path) -> None:
    with pg_db.uow() as uow:
        create_workspace(uow, slug="acme", clock=fixed_clock)
        uow.commit()
    path = tmp_path / "world.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in WORLD) + "\n")
    assert do_import(pg_db, settings, "generic", path).rejected == 0
    page = search(pg_db, settings, AccountQuery(text="sunscreen dermatologist", active_days=30))
    assert page.items[0].handle == "derm"
    with pg_db.uow() as uow:
        derm = resolve_account(uow, workspace="acme", handle="derm")
        similar = find_lookalikes(uow, FileIndexStore(settings.data_dir / "search"),
                                  workspace="acme", account_id=derm,
                                  query=AccountQuery(limit=2), now=fixed_clock())
    assert similar.items[0].handle == "glow"
    assert any(r.signal == "audience" and r.detail.startswith("6 of the seed's 8")
               for r in similar.items[0].why)

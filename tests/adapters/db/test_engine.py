"""Engines: a number too large for the database is the user's error on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app.tracking_views import ClickRow
from kolscope.app.workspaces import create_workspace
from kolscope.errors import InvalidInput


def _too_large(db: Database) -> None:
    with db.uow() as uow:
        ws = create_workspace(uow, slug="acme", clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
        uow.commit()
    click = ClickRow("c" * 16, 2**64, ws.id, "code", datetime(2026, 1, 1, tzinfo=UTC), "ua", "",
                     "h" * 16, "v" * 16, None, None, True)
    with db.uow() as uow, pytest.raises(InvalidInput, match="too large to store"):
        uow.tracking.add_clicks([click])


def test_a_number_past_64_bits_is_invalid_input_on_sqlite(tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/k.db")
    db.upgrade()
    _too_large(db)


def test_a_number_past_64_bits_is_invalid_input_on_postgresql(pg_db: Database) -> None:
    _too_large(pg_db)

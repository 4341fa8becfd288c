"""Migrations build exactly the schema the tables declare, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from kolscope.adapters.db.database import Database
from kolscope.adapters.db.migrate import current_revision, head_revision
from kolscope.adapters.db.tables import Base
from kolscope.errors import EngineError


def schema_diff(db: Database) -> list[object]:
    with db.engine.connect() as c:
        return list(compare_metadata(MigrationContext.configure(
            c, opts={"compare_type": True}), Base.metadata))


def test_sqlite_schema_matches_tables(db: Database) -> None:
    assert schema_diff(db) == []
    assert current_revision(db.engine) == head_revision(db.engine)


def test_sqlite_runs_in_wal_with_foreign_keys(db: Database) -> None:
    with db.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_unmigrated_database_is_refused_with_advice(tmp_path: object) -> None:
    fresh = Database(f"sqlite:///{tmp_path}/fresh.db")
    with pytest.raises(EngineError, match="kolscope db upgrade"):
        fresh.require_current()
    fresh.upgrade()
    fresh.require_current()
    fresh.dispose()


@pytest.mark.postgres
def test_postgres_schema_matches_tables(pg_db: Database) -> None:
    assert schema_diff(pg_db) == []
    assert current_revision(pg_db.engine) == head_revision(pg_db.engine)

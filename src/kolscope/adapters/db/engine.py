"""Engines and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL by URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker

from kolscope.core.records import MAX_COUNT
from kolscope.errors import InvalidInput


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and WAL switched on."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise InvalidInput(f"not a database URL: {exc}", field="KOLSCOPE_DATABASE_URL") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30},
                               **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
    else:
        raise InvalidInput("kolscope supports SQLite and PostgreSQL database URLs",
                           field="KOLSCOPE_DATABASE_URL", backend=parsed.get_backend_name())
    event.listen(engine, "handle_error", _out_of_range)
    return engine


def _out_of_range(context: ExceptionContext) -> None:
    """A number too large for a 64-bit column is a user's value, not a failure of ours: SQLite's
    driver refuses it before sending (OverflowError), PostgreSQL with SQLSTATE 22003."""
    original = context.original_exception
    if isinstance(original, OverflowError) or getattr(original, "sqlstate", None) == "22003":
        raise InvalidInput(f"a number is too large to store (integers go up to {MAX_COUNT:,})"
                           ) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the web UI) go on while an import writes; NORMAL sync is safe under WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Pages read from a memory map, not copied by a read() each: the redirect's writer checks
    # every click's link this way (docs/redirect.md, "Memory-mapped reads").
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)

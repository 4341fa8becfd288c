"""A database handle: the engine, the unit-of-work factory and migrations for one URL."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from kolscope.adapters.db.engine import make_engine, make_session_factory
from kolscope.adapters.db.migrate import current_revision, head_revision, upgrade
from kolscope.adapters.db.uow import SqlUnitOfWork
from kolscope.errors import EngineError


class Database:
    """Everything a shell needs from storage, built once per process from a URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self._sessions = make_session_factory(self.engine)

    def uow(self) -> SqlUnitOfWork:
        """A fresh unit of work (use it in a ``with`` block)."""
        return SqlUnitOfWork(self._sessions)

    def upgrade(self) -> str | None:
        """Apply pending migrations; return the revision in force."""
        return upgrade(self.engine)

    def require_current(self) -> None:
        """Refuse to run on a schema older than the code (say how to fix it)."""
        current, head = current_revision(self.engine), head_revision(self.engine)
        if current != head:
            raise EngineError(f"the database schema is at {current or 'nothing'}, the code needs "
                              f"{head}: run `kolscope db upgrade`", url=self.safe_url)

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

"""The process-wide runtime shells share: settings, the database and the import runner."""

from __future__ import annotations

from dataclasses import dataclass, field

from kolscope.adapters.db.database import Database
from kolscope.app.ports import Clock
from kolscope.jobs.imports import ImportRunner, utc_now
from kolscope.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    db: Database
    runner: ImportRunner
    clock: Clock = field(default=utc_now)

    @classmethod
    def start(cls, settings: Settings, db: Database | None = None) -> Runtime:
        """Open the database of ``settings`` (or the one given) and start the import worker."""
        db = db or Database(settings.resolved_database_url)
        return cls(settings=settings, db=db, runner=ImportRunner(db, settings))

    def close(self) -> None:
        self.runner.shutdown()
        self.db.dispose()

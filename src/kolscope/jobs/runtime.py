"""The process-wide runtime shells share: settings, the database, the import runner, the search
indexes and the shipped models."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from kolscope.adapters.db.database import Database
from kolscope.adapters.graphstore import DuckDbGraphStore
from kolscope.adapters.mail import OutboxMailSender, SmtpMailSender
from kolscope.adapters.models import fake_account_model
from kolscope.adapters.nlp.sentiment import ShippedSentimentModels
from kolscope.adapters.search import FileIndexStore
from kolscope.app.ports import Clock, GraphStore, MailSender, SentimentModels
from kolscope.core.vetting.fake_accounts import FakeAccountModel
from kolscope.jobs.imports import ImportRunner, utc_now
from kolscope.settings import Settings


def mail_sender(settings: Settings) -> MailSender:
    """The outreach transport the settings name: an outbox folder, or SMTP."""
    s = settings
    if s.mail_transport == "smtp":
        return SmtpMailSender(s.smtp_host, s.smtp_port, security=s.smtp_security,
                              username=s.smtp_username, password=s.smtp_password,
                              timeout=s.smtp_timeout)
    return OutboxMailSender(s.data_dir / "outbox")


def graph_store(settings: Settings) -> DuckDbGraphStore:
    """Interaction graphs kept under the data directory, built within the memory limit."""
    return DuckDbGraphStore(settings.data_dir / "graphs", memory_limit=settings.graph_memory_limit)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    runner: ImportRunner
    graphs: GraphStore
    indexes: FileIndexStore
    clock: Clock = field(default=utc_now)

    @classmethod
    def start(cls, settings: Settings, db: Database | None = None) -> Runtime:
        """Open the database of ``settings`` (or the one given) and start the import worker."""
        db = db or Database(settings.resolved_database_url)
        return cls(settings=settings, db=db, runner=ImportRunner(db, settings),
                   graphs=graph_store(settings),
                   indexes=FileIndexStore(settings.data_dir / "search"))

    @cached_property
    def sentiment(self) -> SentimentModels:
        """The shipped sentiment models, loaded on first use."""
        return ShippedSentimentModels()

    @cached_property
    def fake_model(self) -> FakeAccountModel:
        """The shipped fake-account model."""
        return fake_account_model()

    @cached_property
    def mail(self) -> MailSender:
        """The outreach transport the settings name."""
        return mail_sender(self.settings)

    def close(self) -> None:
        self.runner.shutdown()
        self.db.dispose()

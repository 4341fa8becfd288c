"""The SQLAlchemy unit of work: one session and transaction, every repository on it."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from kolscope.adapters.db.repositories.accounts import SqlAccountRepository
from kolscope.adapters.db.repositories.audience import SqlAudienceRepository
from kolscope.adapters.db.repositories.briefs import SqlBriefRepository
from kolscope.adapters.db.repositories.campaigns import SqlCampaignRepository
from kolscope.adapters.db.repositories.classification import SqlClassificationRepository
from kolscope.adapters.db.repositories.commerce import SqlCommerceRepository
from kolscope.adapters.db.repositories.graph import SqlGraphRepository
from kolscope.adapters.db.repositories.ingest import SqlIngestStore
from kolscope.adapters.db.repositories.jobs import SqlImportJobRepository
from kolscope.adapters.db.repositories.metrics import SqlMetricsRepository
from kolscope.adapters.db.repositories.outreach import SqlOutreachRepository
from kolscope.adapters.db.repositories.rates import SqlRateRepository
from kolscope.adapters.db.repositories.search import SqlSearchRepository
from kolscope.adapters.db.repositories.tracking import SqlTrackingRepository
from kolscope.adapters.db.repositories.vetting import (
    SqlKeywordSetRepository,
    SqlVettingRepository,
)
from kolscope.adapters.db.repositories.workspaces import (
    SqlApiKeyRepository,
    SqlWorkspaceRepository,
)


class SqlUnitOfWork:
    """Opens a session on enter; rolls back on exit unless :meth:`commit` was called."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._session_factory()
        self.workspaces = SqlWorkspaceRepository(self.session)
        self.api_keys = SqlApiKeyRepository(self.session)
        self.accounts = SqlAccountRepository(self.session)
        self.ingest = SqlIngestStore(self.session)
        self.metrics = SqlMetricsRepository(self.session)
        self.imports = SqlImportJobRepository(self.session)
        self.graph = SqlGraphRepository(self.session)
        self.classification = SqlClassificationRepository(self.session)
        self.audience = SqlAudienceRepository(self.session)
        self.search = SqlSearchRepository(self.session)
        self.vetting = SqlVettingRepository(self.session)
        self.keyword_sets = SqlKeywordSetRepository(self.session)
        self.campaigns = SqlCampaignRepository(self.session)
        self.outreach = SqlOutreachRepository(self.session)
        self.briefs = SqlBriefRepository(self.session)
        self.rates = SqlRateRepository(self.session)
        self.tracking = SqlTrackingRepository(self.session)
        self.commerce = SqlCommerceRepository(self.session)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

"""The same import, idempotence and search on the real PostgreSQL server."""

from __future__ import annotations

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.sources import open_source
from kolscope.app.accounts import workspace_counts
from kolscope.app.imports import run_import, start_import
from kolscope.app.models import AccountQuery, AccountSort, JobStatus
from kolscope.app.workspaces import create_workspace
from kolscope.jobs.imports import import_options
from kolscope.settings import Settings
from tests.conftest import FIXTURES, fixed_clock, search

pytestmark = pytest.mark.postgres


def run(db: Database, settings: Settings, kind: str, name: str) -> dict[str, int]:
    source = open_source(kind, FIXTURES / name)
    with db.uow() as uow:
        job_id = start_import(uow, workspace="acme", source=source, clock=fixed_clock)
        uow.commit()
    job = run_import(db.uow, workspace="acme", job_id=job_id, source=source,
                     options=import_options(settings), clock=fixed_clock)
    assert job.status is JobStatus.SUCCEEDED
    return job.counts


def test_import_is_idempotent_on_postgres(pg_db: Database, settings: Settings) -> None:
    with pg_db.uow() as uow:
        create_workspace(uow, slug="acme", clock=fixed_clock)
        uow.commit()
    run(pg_db, settings, "influencers", "influencers.tsv")
    first = run(pg_db, settings, "instagram", "instaloader_posts.jsonl")
    with pg_db.uow() as uow:
        stored = workspace_counts(uow, workspace="acme")
    again = run(pg_db, settings, "instagram", "instaloader_posts.jsonl")
    with pg_db.uow() as uow:
        assert workspace_counts(uow, workspace="acme") == stored
    page = search(pg_db, settings, AccountQuery(sort=AccountSort.FOLLOWERS, min_followers=1500))
    assert first["posts_new"] == 3 and again["posts_unchanged"] == 3
    assert stored["posts"] == 3 and stored["comments"] == 4
    assert [a.handle for a in page.items] == ["techwithtom", "glowwithmia"]

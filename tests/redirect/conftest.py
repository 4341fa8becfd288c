"""A migrated SQLite database with a workspace and tracked links, and the app built over it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app.ports import UnitOfWork
from kolscope.app.tracking_views import LinkIn
from kolscope.app.workspaces import create_workspace
from kolscope.redirect.app import RedirectApp
from kolscope.redirect.serve import build_app
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, fixed_clock

DESTINATION = "https://shop.example/serum?utm_source=instagram&utm_medium=influencer#buy"


def put_links(db: Database, *links: LinkIn, now: datetime = FIXED_NOW) -> None:
    with db.uow() as uow:
        ws = uow.workspaces.get("acme")
        assert ws is not None
        uow.tracking.upsert_links(ws.id, list(links), now)
        uow.commit()


@pytest.fixture
def linked(db: Database) -> Database:
    """Workspace acme with links ``serum`` (a URL with a query and a fragment), ``plain``
    (no query) and ``off`` (disabled)."""
    with db.uow() as uow:
        create_workspace(uow, slug="acme", name="Acme", clock=fixed_clock)
        uow.commit()
    put_links(db, LinkIn(code="serum", destination="https://shop.example/serum",
                         url=DESTINATION),
              LinkIn(code="plain", destination="https://shop.example/",
                     url="https://shop.example/"),
              LinkIn(code="off", destination="https://shop.example/", url="https://x.example/",
                     enabled=False))
    return db


class CountingUow:
    """A unit-of-work factory that counts how often the app opens one."""

    def __init__(self, db: Database) -> None:
        self.db, self.calls = db, 0

    def __call__(self) -> AbstractContextManager[UnitOfWork]:
        self.calls += 1
        return self.db.uow()


@pytest.fixture
def make_app(linked: Database, settings: Settings) -> Iterator[Callable[..., RedirectApp]]:
    """Build the app (links loaded, no background threads) with settings overridden."""
    built: list[RedirectApp] = []

    def make(**overrides: object) -> RedirectApp:
        app = build_app(settings.model_copy(update=overrides), linked)
        app.links.refresh()
        built.append(app)
        return app

    yield make
    for app in built:
        app.close()

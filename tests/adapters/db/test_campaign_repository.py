"""Campaign reads for many collaborations at once, on SQLite and on the real PostgreSQL server:
the same answers as one collaboration at a time, in a few queries."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app import campaigns as camp
from kolscope.app.workspaces import create_workspace
from kolscope.core.campaigns.ledger import Entry
from kolscope.core.campaigns.terms import DeliverableSpec
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, campaign_world, do_import, fixed_clock


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> Database:
    database: Database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    with database.uow() as uow:
        create_workspace(uow, slug="acme", name="Acme", clock=fixed_clock)
        uow.commit()
    do_import(database, settings, "generic", campaign_world(tmp_path / "w.jsonl"))
    with database.uow() as uow:
        camp.create_campaign(uow, workspace="acme", now=FIXED_NOW, campaign_in=camp.parse_campaign(
            {"slug": "spring", "name": "Spring", "brand": "Acme", "goal": "conversion"}))
        uow.commit()
    return database


def test_deliverables_and_entries_of_many_collaborations(store: Database) -> None:
    reel = DeliverableSpec.model_validate({"platform": "instagram", "format": "reel", "count": 2})
    with store.uow() as uow:
        added, _ = camp.add_kols(uow, workspace="acme", slug="spring",
                                 handles=["mia", "leo", "zoe"], actor="ana", now=FIXED_NOW)
        mia, leo, zoe = (c.id for c in added)
        uow.campaigns.replace_deliverables(mia, [(0, 2, reel), (0, 1, reel)])
        uow.campaigns.replace_deliverables(zoe, [(0, 1, reel)])
        for collab, kind, amount in ((mia, "fee", "800"), (leo, "fee", "300"),
                                     (mia, "payment", "400")):
            uow.campaigns.add_entry(collab, Entry(kind, Decimal(amount), "EUR"), "ana",
                                    FIXED_NOW)
        uow.commit()
    ids = [zoe, mia, leo]
    with store.uow() as uow:
        deliverables = uow.campaigns.deliverables_of(ids)
        entries = uow.campaigns.entries_of(ids)
        views = uow.campaigns.entry_views_of(ids)
        assert deliverables == {i: uow.campaigns.deliverables(i) for i in ids}
        assert entries == {i: uow.campaigns.entries(i) for i in ids}
        assert views == {i: uow.campaigns.entry_views(i) for i in ids}
        assert uow.campaigns.deliverables_of([]) == {} and uow.campaigns.entries_of([]) == {}
    assert [d.number for d in deliverables[mia]] == [1, 2] and deliverables[leo] == []
    assert [(e.kind, e.amount) for e in entries[mia]] == [("fee", Decimal("800")),
                                                         ("payment", Decimal("400"))]
    assert entries[zoe] == [] and [e.collaboration_id for e in views[leo]] == [leo]

"""Campaign monitoring through the HTTP API: counts recorded by hand, the watch view."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from kolscope.adapters.db.database import Database
from kolscope.app.api_keys import create_api_key
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings
from tests.api.test_campaigns_api import Api
from tests.app.test_monitoring import POSTED, monitored_world, publish_the_post, vet
from tests.conftest import do_import, fixed_clock


def test_snapshots_and_the_watch_view(runtime: Runtime, db: Database, settings: Settings,
                                      workspace: str, tmp_path: Path) -> None:
    do_import(db, settings, "generic", monitored_world(tmp_path / "w.jsonl", live_likes=150,
                                                       angry=25))
    deliverable = publish_the_post(db)
    vet(db)
    with db.uow() as uow:
        key = create_api_key(uow, workspace=workspace, name="tests", clock=fixed_clock).secret
        uow.commit()
    api = Api(runtime, key)
    at = (POSTED + timedelta(hours=20)).isoformat()
    api.call("POST", f"/deliverables/{deliverable}/snapshots", 204,
             json={"at": at, "likes": 150, "comments": 40})
    api.call("POST", f"/deliverables/{deliverable}/snapshots", 422,
             json={"at": at, "likes": -1})
    refused = api.call("POST", f"/deliverables/{deliverable}/snapshots", 400,
                       json={"at": "2026-01-01T10:00:00"}).json()
    assert "timezone" in str(refused)
    api.call("POST", "/deliverables/999/snapshots", 404, json={"at": at, "likes": 1})
    runtime.clock = lambda: POSTED + timedelta(hours=21)
    watch = api.get("/campaigns/glow/watch")
    (post,) = watch["posts"]
    assert post["snapshots"] == 2 and post["engagements"] == 190
    assert [a["kind"] for a in post["alerts"]] == ["behind_forecast", "negative_sentiment"]
    api.get("/campaigns/nope/watch", 404)

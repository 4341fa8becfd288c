"""`kolscope campaign watch` and `collab snapshot` on a campaign whose post lags and sours."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.adapters.db.database import Database
from kolscope.cli.main import app
from kolscope.settings import Settings
from tests.app.test_monitoring import POSTED, monitored_world, publish_the_post, vet
from tests.conftest import do_import


def test_watch_and_snapshot_from_the_cli(db: Database, settings: Settings, workspace: str,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    do_import(db, settings, "generic", monitored_world(tmp_path / "w.jsonl", live_likes=150,
                                                       angry=25))
    deliverable = str(publish_the_post(db))
    vet(db)
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KOLSCOPE_WORKSPACE", workspace)
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    cli = CliRunner()
    at = (POSTED + timedelta(hours=20)).isoformat()
    done = cli.invoke(app, ["collab", "snapshot", deliverable, "--at", at, "--likes", "150",
                            "--comments", "40"])
    assert done.exit_code == 0 and "recorded" in done.stdout, done.output
    naive = cli.invoke(app, ["collab", "snapshot", deliverable, "--at", "2026-01-01T10:00",
                             "--likes", "1"])
    assert naive.exit_code == 5 and "timezone" in naive.output
    shown = cli.invoke(app, ["campaign", "watch", "glow"])
    assert shown.exit_code == 0, shown.output
    assert "behind_forecast" in shown.stdout and "negative_sentiment" in shown.stdout
    view = json.loads(cli.invoke(app, ["campaign", "watch", "glow", "--json"]).stdout)
    assert view["posts"][0]["snapshots"] == 2

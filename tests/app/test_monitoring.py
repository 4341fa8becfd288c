"""Watching a running campaign: snapshots of a published post against its forecast, and its
comments' sentiment, on a real SQLite database."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.models import fake_account_model
from kolscope.adapters.nlp.sentiment import ShippedSentimentModels
from kolscope.app import campaigns as camp
from kolscope.app import deliverables as dl
from kolscope.app.monitoring import SnapshotIn, record_snapshot, watch_campaign
from kolscope.app.vetting_reports import vet_workspace
from kolscope.core.campaigns.pipeline import Stage
from kolscope.errors import InvalidInput
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, do_import, fixed_clock

POSTED = FIXED_NOW - timedelta(hours=10)  # the import saw it 10 h old
LATER = FIXED_NOW + timedelta(days=1)  # when the snapshots are typed in
TERMS: dict[str, Any] = {
    "fee": "500", "currency": "EUR",
    "deliverables": [{"platform": "instagram", "format": "image", "count": 1,
                      "hashtags": ["#ad"]}]}


def monitored_world(path: Path, *, live_likes: int, angry: int) -> Path:
    rows: list[dict[str, Any]] = [{"type": "account", "platform": "instagram", "handle": "mia",
                                   "followers": 20_000, "niche": "beauty"}]
    for i in range(6):  # her usual posts get about 1,000 engagements
        rows.append({"type": "post", "platform": "instagram", "post_id": f"old{i}",
                     "handle": "mia", "format": "image", "likes": 950, "comments_count": 50,
                     "posted_at": f"2025-11-{10 + i:02d}T08:00:00Z",
                     "comments": [{"comment_id": f"old{i}-{k}", "author": f"fan{k}",
                                   "text": "love this so much, beautiful"} for k in range(10)]})
    texts = ["this is awful, a scam, I hate it"] * angry + ["love it"] * (40 - angry)
    rows.append({"type": "post", "platform": "instagram", "post_id": "live", "handle": "mia",
                 "format": "image", "likes": live_likes, "comments_count": 40,
                 "posted_at": POSTED.isoformat(), "url": "https://instagram.com/p/live",
                 "caption": "my serum #ad",
                 "comments": [{"comment_id": f"live-{k}", "author": f"user{k}", "text": t}
                              for k, t in enumerate(texts)]})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def publish_the_post(db: Database) -> int:
    """A collaboration through to its deliverable published as the imported post."""
    with db.uow() as uow:
        camp.create_campaign(uow, workspace="acme", now=FIXED_NOW, campaign_in=camp.parse_campaign(
            {"slug": "glow", "name": "Glow", "brand": "Acme"}))
        (collab,), _ = camp.add_kols(uow, workspace="acme", slug="glow", handles=["mia"],
                                     actor="ana", now=FIXED_NOW)
        for stage in (Stage.CONTACTED, Stage.NEGOTIATING):
            camp.move(uow, workspace="acme", collab_id=collab.id, to=stage, actor="ana",
                      now=FIXED_NOW)
        camp.set_terms(uow, workspace="acme", collab_id=collab.id,
                       terms=camp.parse_terms(TERMS), actor="ana", now=FIXED_NOW)
        for stage in (Stage.AGREED, Stage.CONTRACTED):
            camp.move(uow, workspace="acme", collab_id=collab.id, to=stage, actor="ana",
                      now=FIXED_NOW)
        (d,) = dl.deliverables(uow, workspace="acme", collab_id=collab.id)
        draft = dl.submit_draft(uow, workspace="acme", deliverable_id=d.id,
                                caption="my serum #ad", url="https://d.test/1", actor="mia",
                                now=FIXED_NOW)
        dl.review_draft(uow, workspace="acme", draft_id=draft.id, decision="approve",
                        actor="ana", now=FIXED_NOW)
        dl.link_published(uow, workspace="acme", deliverable_id=d.id,
                          url="https://instagram.com/p/live", actor="ana", now=FIXED_NOW)
        uow.commit()
    return d.id


def vet(db: Database) -> None:
    vet_workspace(db.uow, workspace="acme", model=fake_account_model(),
                  sentiment=ShippedSentimentModels(), clock=fixed_clock)


@pytest.mark.parametrize(("live_likes", "angry", "kinds"), [
    (150, 25, ["behind_forecast", "negative_sentiment"]),
    (1_500, 2, []),
])
def test_a_weak_sour_post_alerts_and_a_good_one_does_not(
        db: Database, settings: Settings, workspace: str, tmp_path: Path, live_likes: int,
        angry: int, kinds: list[str]) -> None:
    assert do_import(db, settings, "generic",
                     monitored_world(tmp_path / "w.jsonl", live_likes=live_likes, angry=angry)
                     ).rejected == 0
    deliverable = publish_the_post(db)
    vet(db)
    with db.uow() as uow:
        record_snapshot(uow, workspace="acme", deliverable_id=deliverable, snapshot=SnapshotIn(
            at=POSTED + timedelta(hours=20), likes=live_likes, comments=40), now=LATER)
        uow.commit()
    with db.uow() as uow:
        watch = watch_campaign(uow, workspace="acme", slug="glow",
                               now=POSTED + timedelta(hours=21))
    (post,) = watch.posts
    assert post.snapshots == 2 and post.latest_at == POSTED + timedelta(hours=20)
    assert post.engagements == live_likes + 40
    assert post.forecast is not None and post.forecast.low < 1_000 < post.forecast.high
    assert [a.kind for a in post.alerts] == kinds
    assert post.comments_scored == 40 and watch.unlinked == 0


def test_snapshots_by_hand_are_validated(db: Database, settings: Settings, workspace: str,
                                         tmp_path: Path) -> None:
    do_import(db, settings, "generic",
              monitored_world(tmp_path / "w.jsonl", live_likes=10, angry=0))
    deliverable = publish_the_post(db)
    with db.uow() as uow:
        with pytest.raises(InvalidInput, match="timezone"):
            record_snapshot(uow, workspace="acme", deliverable_id=deliverable,
                            snapshot=SnapshotIn(at=datetime(2026, 1, 1), likes=3), now=LATER)
        with pytest.raises(InvalidInput, match="at least one of"):
            record_snapshot(uow, workspace="acme", deliverable_id=deliverable,
                            snapshot=SnapshotIn(at=POSTED), now=LATER)
        with pytest.raises(InvalidInput, match="in the future"):
            record_snapshot(uow, workspace="acme", deliverable_id=deliverable,
                            snapshot=SnapshotIn(at=LATER + timedelta(hours=1), likes=3),
                            now=LATER)

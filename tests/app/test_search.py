"""Search use cases on a real SQLite database: brief search, lookalikes and the index's life."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.search import FileIndexStore
from kolscope.app.accounts import resolve_account
from kolscope.app.models import AccountQuery, AccountSort, AccountSummary, Page
from kolscope.app.search import find_lookalikes, read_brief, search_accounts
from kolscope.errors import NotFound
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, do_import, fixed_clock, search


def account(handle: str, niche: str, followers: int, bio: str,
            **extra: object) -> dict[str, object]:
    return {"type": "account", "platform": "instagram", "handle": handle, "niche": niche,
            "followers": followers, "bio": bio, **extra}


def post(handle: str, post_id: str, caption: str, posted_at: str,
         commenters: Sequence[str] = ()) -> dict[str, object]:
    return {"type": "post", "platform": "instagram", "post_id": post_id, "handle": handle,
            "format": "image", "caption": caption, "posted_at": posted_at, "likes": 100,
            "comments_count": len(commenters),
            "comments": [{"comment_id": f"{post_id}-{c}", "author": c, "text": "love it"}
                         for c in commenters]}


FANS = [f"fan{i}" for i in range(10)]
WORLD = [
    account("derm", "beauty", 40_000, "Board-certified dermatologist, sunscreen nerd"),
    account("glow", "beauty", 35_000, "skincare diary", country="US"),
    account("lips", "beauty", 2_000_000, "makeup artist to the stars"),
    account("chef", "food", 30_000, "ramen and noodles in tokyo"),
    account("runner", "fitness", 20_000, "marathon training"),
    post("derm", "d1", "SPF 50 sunscreen every single day #skincare", "2025-12-20T10:00:00Z",
         FANS[:8]),
    post("derm", "d2", "how a dermatologist picks a serum #skincare", "2025-12-10T10:00:00Z"),
    post("glow", "g1", "my spf routine, skincare for sensitive skin", "2025-12-28T10:00:00Z",
         FANS[:6]),
    post("lips", "l1", "new lipstick shades, makeup tutorial", "2024-01-01T10:00:00Z",
         FANS[7:]),
    post("chef", "c1", "best ramen in tokyo, noodle tour", "2025-12-30T10:00:00Z", FANS[:2]),
    post("runner", "r1", "marathon training week 12", "2025-12-29T10:00:00Z"),
]


@pytest.fixture
def world(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> Database:
    path = tmp_path / "world.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in WORLD) + "\n")
    assert do_import(db, settings, "generic", path).rejected == 0
    return db


def handles(page: Page[AccountSummary]) -> list[str]:
    return [a.handle for a in page.items]


def test_a_brief_finds_the_accounts_it_is_about(world: Database, settings: Settings) -> None:
    page = search(world, settings, AccountQuery(text="sunscreen dermatologist"))
    assert handles(page)[0] == "derm"
    assert set(handles(page)) <= {"derm", "glow", "lips"}  # never the chef or the runner
    why = {r.signal: r.detail for r in page.items[0].why}
    assert "sunscreen" in why["keyword"] and "dermatologist" in why["keyword"]
    assert page.items[0].score is not None and 0 < page.items[0].score <= 1


def test_filters_sorts_and_active_days_apply(world: Database, settings: Settings) -> None:
    beauty = search(world, settings, AccountQuery(niche="beauty", sort=AccountSort.FOLLOWERS))
    assert handles(beauty) == ["lips", "derm", "glow"]
    # FIXED_NOW is 2026-01-01: lips last posted in 2024
    active = search(world, settings, AccountQuery(niche="beauty", active_days=30))
    assert set(handles(active)) == {"derm", "glow"}
    us = search(world, settings, AccountQuery(country="us"))
    assert handles(us) == ["glow"]
    assert search(world, settings, AccountQuery(tier="celebrity")).total == 1
    assert FIXED_NOW.year == 2026


def test_the_index_follows_new_data(world: Database, settings: Settings, tmp_path: Path) -> None:
    assert search(world, settings, AccountQuery(text="kombucha")).total == 0
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps(post("chef", "c2", "homemade kombucha brewing",
                                    "2025-12-31T10:00:00Z")) + "\n")
    do_import(world, settings, "generic", path)
    assert handles(search(world, settings, AccountQuery(text="kombucha"))) == ["chef"]


def test_an_index_is_kept_on_disk_and_reused(world: Database, settings: Settings) -> None:
    directory = settings.data_dir / "search"
    search(world, settings, AccountQuery(text="ramen"))
    stored = directory / "acme" / "index.npz"
    assert stored.exists()
    fresh = FileIndexStore(directory)
    with world.uow() as uow:
        version = uow.workspaces.get("acme").data_version  # type: ignore[union-attr]
    loaded = fresh.get("acme", version)
    assert loaded is not None and loaded.version == version
    assert fresh.get("acme", version + 1) is None  # stale: rebuilt by the next search
    stored.write_bytes(b"not an index")
    assert FileIndexStore(directory).get("acme", version) is None
    assert handles(search(world, settings, AccountQuery(text="ramen"))) == ["chef"]


def test_lookalikes_share_audience_and_niche(world: Database, settings: Settings) -> None:
    indexes = FileIndexStore(settings.data_dir / "search")
    with world.uow() as uow:
        derm = resolve_account(uow, workspace="acme", handle="derm")
        page = find_lookalikes(uow, indexes, workspace="acme", account_id=derm,
                               query=AccountQuery(limit=3), now=fixed_clock())
    assert handles(page)[0] == "glow"
    reasons = {r.signal: r.detail for r in page.items[0].why}
    # derm's commenters are fan0..fan7; glow's fan0..fan5
    assert reasons["audience"].startswith("6 of the seed's 8 engaged accounts")
    assert reasons["niche"] == "same niche: beauty"
    assert "derm" not in handles(page)


def test_lookalikes_of_an_unknown_account_are_refused(world: Database,
                                                      settings: Settings) -> None:
    indexes = FileIndexStore(settings.data_dir / "search")
    with world.uow() as uow, pytest.raises(NotFound):
        find_lookalikes(uow, indexes, workspace="acme", account_id=10**9,
                        query=AccountQuery(), now=fixed_clock())


def test_an_unknown_workspace_is_refused(world: Database, settings: Settings) -> None:
    indexes = FileIndexStore(settings.data_dir / "search")
    with world.uow() as uow, pytest.raises(NotFound):
        search_accounts(uow, indexes, workspace="nope", query=AccountQuery(),
                        now=fixed_clock())


def test_a_brief_is_read_for_its_niche_in_english_and_chinese() -> None:
    assert read_brief("sunscreen for sensitive skin").niche == "beauty"
    assert read_brief("护肤 防晒").niche == "beauty"
    assert read_brief("hello world").niche is None
    assert read_brief("   ").tokens == ()

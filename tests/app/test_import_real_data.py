"""Acceptance on the real shared Instagram dataset: every row in, nothing twice, numbers right.

The posts file holds 28,225 lines, of which 125 repeat an earlier line byte for byte (same post
id, same comments); keyed by post id they are 28,100 posts and 312,078 distinct comments of the
313,470 comment entries. All lines are read and accepted; repeats count as unchanged.
"""

from __future__ import annotations

import gzip
import json
import statistics
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.engines import get_engine
from kolscope.adapters.graphstore import DuckDbGraphStore
from kolscope.app.accounts import get_profile, resolve_account, workspace_counts
from kolscope.app.discovery import compute_authority
from kolscope.app.models import ImportJobView, JobStatus
from kolscope.app.workspaces import create_workspace, require_workspace
from kolscope.core.discovery.graph import build_graph, edge_weights
from kolscope.core.platforms import Platform
from kolscope.settings import Settings, load_settings
from tests.adapters.graphstore.test_store import assert_same
from tests.conftest import do_import, fixed_clock

pytestmark = pytest.mark.slow

INFLUENCERS = 23_822
POST_LINES, POSTS = 28_225, 28_100
COMMENT_ENTRIES, COMMENTS = 313_470, 312_078


class World:
    def __init__(self, db: Database, settings: Settings, data: Path) -> None:
        self.db, self.settings, self.data = db, settings, data
        self.jobs: list[ImportJobView] = []

    def run(self) -> None:
        folder = self.data / "instagram-influencers"
        for kind, name in (("influencers", "influencers.tsv"), ("instagram", "posts.jsonl.gz")):
            self.jobs.append(do_import(self.db, self.settings, kind, folder / name))

    def counts(self) -> dict[str, int]:
        with self.db.uow() as uow:
            return workspace_counts(uow, workspace="acme")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from tests.conftest import SHARED

    if not (SHARED / "instagram-influencers" / "posts.jsonl.gz").exists():
        pytest.skip(f"shared datasets not found at {SHARED}; the real-data tests need them")
    settings = load_settings(data_dir=tmp_path_factory.mktemp("real"), database_url=None)
    db = Database(settings.resolved_database_url)
    db.upgrade()
    with db.uow() as uow:
        create_workspace(uow, slug="acme", clock=fixed_clock)
        uow.commit()
    w = World(db, settings, SHARED)
    w.run()
    yield w
    db.dispose()


def test_every_row_is_read_and_stored_once(world: World) -> None:
    influencers, posts = world.jobs
    assert influencers.status is posts.status is JobStatus.SUCCEEDED
    assert influencers.counts["records"] == INFLUENCERS and influencers.rejected == 0
    assert posts.counts["records"] == POST_LINES and posts.rejected == 0
    assert posts.counts["posts_new"] == POSTS and posts.counts["posts_unchanged"] == 125
    seen = posts.counts["comments_new"] + posts.counts["comments_unchanged"]
    assert seen == COMMENT_ENTRIES and posts.counts["comments_new"] == COMMENTS
    counts = world.counts()
    assert counts["posts"] == POSTS and counts["comments"] == COMMENTS
    # every influencer row is a creator; 265 post owners are not in the list
    assert counts["creator_accounts"] == INFLUENCERS + 265


def test_second_import_changes_no_counts(world: World) -> None:
    before = world.counts()
    folder = world.data / "instagram-influencers"
    again = do_import(world.db, world.settings, "instagram", folder / "posts.jsonl.gz")
    assert again.counts["posts_new"] == again.counts["comments_new"] == 0
    assert again.counts["accounts_new"] == 0
    assert world.counts() == before


@pytest.mark.parametrize(("handle", "expected"), [
    # (likes + comments) / followers per post, median of the account's posts, worked by hand
    # from posts.jsonl.gz and influencers.tsv:
    ("berryuca", 8_357 / 130_079),  # 7,941  8,357  12,075
    ("carlinka_x", 232 / 7_927),  # 205  232  301 (two posts without a comment count)
    ("afashionnerd", 4_132.5 / 103_991),  # 3,427  3,734 | 4,531  6,052
])
def test_engagement_rate_matches_hand_computation(world: World, handle: str,
                                                  expected: float) -> None:
    with world.db.uow() as uow:
        account_id = resolve_account(uow, workspace="acme", handle=handle,
                                     platform=Platform.INSTAGRAM)
        metrics = get_profile(uow, workspace="acme", account_id=account_id).metrics
    assert metrics is not None and metrics.engagement_rate == pytest.approx(expected, rel=1e-12)


def test_engagement_rate_matches_the_raw_json_for_many_accounts(world: World) -> None:
    folder = world.data / "instagram-influencers"
    lines = (folder / "influencers.tsv").read_text().splitlines()[2:]
    followers = {row.split("\t")[0]: int(row.split("\t")[2]) for row in lines}
    posts: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    with gzip.open(folder / "posts.jsonl.gz", "rt") as f:
        for line in f:
            node = json.loads(line)
            comments = node["edge_media_to_parent_comment"].get("count") or 0
            posts[node["owner"]["username"]][node["id"]] = (
                node["taken_at_timestamp"], node["edge_media_preview_like"]["count"] + comments)
    handles = sorted(h for h in posts if h in followers)[::150]
    assert len(handles) > 90
    with world.db.uow() as uow:
        for handle in handles:
            recent = sorted(posts[handle].values(), reverse=True)[:world.settings.recent_posts]
            expected = statistics.median(e / followers[handle] for _, e in recent)
            account_id = resolve_account(uow, workspace="acme", handle=handle)
            metrics = get_profile(uow, workspace="acme", account_id=account_id).metrics
            assert metrics is not None
            assert metrics.engagement_rate == pytest.approx(expected, rel=1e-12), handle


def test_authority_over_the_stored_graph_matches_the_graph_built_in_memory(
        world: World, tmp_path: Path) -> None:
    store = DuckDbGraphStore(tmp_path / "graphs")
    summary = compute_authority(world.db.uow, workspace="acme", engine=get_engine("local"),
                                clock=fixed_clock, store=store)
    assert (summary.interactions, summary.nodes, summary.edges) == (405_649, 297_628, 358_228)
    with world.db.uow() as uow:
        workspace_id = require_workspace(uow, "acme").id
        every = uow.graph.interactions(workspace_id)
        creators = uow.graph.creator_accounts(workspace_id)
    weights = edge_weights(every.kinds, every.times)
    assert_same(store.load("acme", extra_nodes=creators.ids),
                build_graph(every.sources, every.targets, weights, extra_nodes=creators.ids))

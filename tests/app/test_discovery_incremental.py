"""Authority over a stored graph: a second run folds in only what was imported since, and gives
what a rebuild from every interaction gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select

from kolscope.adapters.db.database import Database
from kolscope.adapters.db.tables import AuthorityScore, Comment
from kolscope.adapters.engines import get_engine
from kolscope.adapters.graphstore import DuckDbGraphStore
from kolscope.app.discovery import AuthoritySummary, compute_authority
from kolscope.app.ports import GraphStore
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.graph import build_graph, edge_weights
from kolscope.settings import Settings
from tests.adapters.graphstore.test_store import assert_same
from tests.app.test_discovery import WORLD
from tests.conftest import do_import, fixed_clock

MORE = [
    # newer than anything before (the reference time moves), with a comment of unknown date
    '{"type": "post", "platform": "instagram", "post_id": "p4", "handle": "bea", '
    '"format": "image", "posted_at": "2024-11-02T10:00:00Z", "tagged": ["tom"], '
    '"paid_partnership": true, "sponsors": ["nyx"], "comments": ['
    '{"comment_id": "c4", "author": "derm", "text": "lovely", '
    '"created_at": "2024-11-03T08:00:00Z"}, {"comment_id": "c5", "author": "anna", "text": "!"}]}',
    # undated, so its mention and comment count as the oldest dated interaction
    '{"type": "post", "platform": "instagram", "post_id": "p5", "handle": "tom", '
    '"format": "image", "caption": "with @anna", "comments": ['
    '{"comment_id": "c6", "author": "fan2", "text": "nice"}]}',
    # older than anything before (the oldest dated interaction moves)
    '{"type": "post", "platform": "instagram", "post_id": "p6", "handle": "derm", '
    '"format": "image", "posted_at": "2023-01-01T10:00:00Z", "comments": ['
    '{"comment_id": "c7", "author": "tom", "text": "classic"}]}',
    # a new comment on a post of the first import
    '{"type": "comment", "platform": "instagram", "post_id": "p1", "comment_id": "c9", '
    '"author": "tom", "text": "agreed"}',
]
NEW_INTERACTIONS = 8  # c4, c5, the tag, the sponsorship, the mention, c6, c7, c9


def load(db: Database, settings: Settings, tmp_path: Path, lines: list[str], name: str) -> None:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    assert do_import(db, settings, "generic", path).rejected == 0


def authority(db: Database, store: GraphStore | None, *, full: bool = False,
              half_life_days: float = 180.0) -> AuthoritySummary:
    return compute_authority(db.uow, workspace="acme", engine=get_engine("local"),
                             clock=fixed_clock, store=store, full=full,
                             half_life_days=half_life_days)


def scores(db: Database) -> dict[int, tuple[float, ...]]:
    with db.engine.connect() as c:
        rows = c.execute(select(AuthorityScore.account_id, AuthorityScore.pagerank,
                                AuthorityScore.niche_pagerank, AuthorityScore.hub,
                                AuthorityScore.authority, AuthorityScore.k_core,
                                AuthorityScore.in_edges, AuthorityScore.peer_endorsers))
        return {r[0]: tuple(float("nan") if v is None else v for v in r[1:]) for r in rows}


@pytest.fixture
def store(settings: Settings) -> DuckDbGraphStore:
    return DuckDbGraphStore(settings.data_dir / "graphs", memory_limit="256MB")


@pytest.fixture
def first_run(db: Database, settings: Settings, workspace: str, tmp_path: Path,
              store: DuckDbGraphStore) -> Database:
    load(db, settings, tmp_path, WORLD, "world.jsonl")
    summary = authority(db, store)
    assert (summary.graph_build, summary.graph_build_reason) == ("full", "no stored graph")
    assert summary.interactions == summary.new_interactions == 4
    return db


def test_a_second_run_folds_in_the_new_interactions_only(
        first_run: Database, settings: Settings, tmp_path: Path,
        store: DuckDbGraphStore) -> None:
    db = first_run
    load(db, settings, tmp_path, MORE, "more.jsonl")
    incremental = authority(db, store)
    assert (incremental.graph_build, incremental.graph_build_reason) == ("incremental", None)
    assert incremental.new_interactions == NEW_INTERACTIONS
    assert incremental.interactions == 4 + NEW_INTERACTIONS
    folded = scores(db)

    with db.uow() as uow:
        workspace_id = require_workspace(uow, "acme").id
        every = uow.graph.interactions(workspace_id)
        creators = uow.graph.creator_accounts(workspace_id)
    assert len(every.sources) == incremental.interactions
    weights = edge_weights(every.kinds, every.times)
    assert_same(store.load("acme", extra_nodes=creators.ids),
                build_graph(every.sources, every.targets, weights, extra_nodes=creators.ids))

    rebuilt = authority(db, store, full=True)
    assert (rebuilt.graph_build, rebuilt.graph_build_reason) == ("full", "asked for")
    assert (rebuilt.nodes, rebuilt.edges, rebuilt.interactions) == (
        incremental.nodes, incremental.edges, incremental.interactions)
    in_memory = authority(db, None)
    assert in_memory.graph_build_reason == "no graph store"
    for other in (scores(db), folded):
        assert other.keys() == folded.keys()
        for account, values in other.items():
            assert values == pytest.approx(folded[account], rel=1e-9, nan_ok=True)


def test_nothing_new_is_an_incremental_run_of_nothing(first_run: Database,
                                                     store: DuckDbGraphStore) -> None:
    again = authority(first_run, store)
    assert (again.graph_build, again.new_interactions, again.interactions) == (
        "incremental", 0, 4)


def test_what_forces_a_rebuild(first_run: Database, settings: Settings,
                               store: DuckDbGraphStore) -> None:
    db = first_run
    other = authority(db, store, half_life_days=90.0)
    assert other.graph_build == "full"
    assert other.graph_build_reason == "half-life changed (180 -> 90 days)"
    assert authority(db, store, half_life_days=90.0).graph_build == "incremental"

    (settings.data_dir / "graphs" / "acme" / "manifest.json").write_text("{not json")
    broken = authority(db, store, half_life_days=90.0)
    assert (broken.graph_build, broken.graph_build_reason) == ("full", "no stored graph")

    with db.engine.begin() as c:  # rows already folded in disappear
        c.execute(delete(Comment).where(Comment.platform_comment_id == "c3"))
    fewer = authority(db, store, half_life_days=90.0)
    assert fewer.graph_build == "full" and fewer.interactions == 3
    assert fewer.graph_build_reason == "interactions already folded in were removed or changed"

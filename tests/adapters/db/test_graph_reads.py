"""Reading interactions past high-water marks, in batches, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.engines import get_engine
from kolscope.adapters.graphstore import DuckDbGraphStore
from kolscope.app.discovery import AuthoritySummary, compute_authority
from kolscope.app.ports import Interactions, SourceTally
from kolscope.app.workspaces import create_workspace, require_workspace
from kolscope.core.discovery.graph import build_graph, edge_weights
from kolscope.settings import Settings
from tests.adapters.graphstore.test_store import assert_same, concat
from tests.app.test_discovery import WORLD
from tests.app.test_discovery_incremental import MORE, NEW_INTERACTIONS
from tests.conftest import do_import, fixed_clock


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Database:
    name = "db" if request.param == "sqlite" else "pg_db"
    found: Database = request.getfixturevalue(name)
    with found.uow() as uow:
        create_workspace(uow, slug="acme", clock=fixed_clock)
        uow.commit()
    return found


def imported(db: Database, settings: Settings, tmp_path: Path, lines: list[str]) -> int:
    path = tmp_path / f"part-{len(list(tmp_path.glob('part-*')))}.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert do_import(db, settings, "generic", path).rejected == 0
    with db.uow() as uow:
        return require_workspace(uow, "acme").id


def as_set(it: Interactions) -> list[tuple[int, int, int, float]]:
    return sorted(zip(it.sources.tolist(), it.targets.tolist(), it.kinds.tolist(),
                      np.nan_to_num(it.times, nan=-1.0).tolist(), strict=True))


def test_batches_past_the_marks_hold_every_interaction_once(
        database: Database, settings: Settings, tmp_path: Path) -> None:
    workspace_id = imported(database, settings, tmp_path, WORLD + MORE)
    with database.uow() as uow:
        every = uow.graph.interactions(workspace_id)
        batches = list(uow.graph.interactions_since(workspace_id, SourceTally(), batch_size=2))
        assert all(len(b.interactions.sources) <= 2 for b in batches)
        assert as_set(concat([b.interactions for b in batches])) == as_set(every)
        marks = batches[-1].marks
        rows = SourceTally.model_validate(
            {k: sum(getattr(b.rows, k) for b in batches) for k in SourceTally.model_fields})
        assert rows.total == len(every.sources) == 4 + NEW_INTERACTIONS
        assert uow.graph.interaction_rows(workspace_id, marks) == rows
        assert uow.graph.interaction_rows(workspace_id, SourceTally()) == SourceTally()
        assert list(uow.graph.interactions_since(workspace_id, marks, batch_size=2)) == []
        # past a mark halfway, only the rows after it
        half = batches[len(batches) // 2 - 1].marks
        later = list(uow.graph.interactions_since(workspace_id, half, batch_size=100))
        done = sum(b.rows.total for b in batches[:len(batches) // 2])
        assert sum(b.rows.total for b in later) == rows.total - done


def test_an_incremental_authority_run_equals_a_rebuild(
        database: Database, settings: Settings, tmp_path: Path) -> None:
    store = DuckDbGraphStore(tmp_path / "graphs", memory_limit="256MB")
    imported(database, settings, tmp_path, WORLD)

    def run() -> AuthoritySummary:
        return compute_authority(database.uow, workspace="acme", engine=get_engine("local"),
                                 clock=fixed_clock, store=store)

    assert run().graph_build == "full"
    workspace_id = imported(database, settings, tmp_path, MORE)
    summary = run()
    assert (summary.graph_build, summary.new_interactions) == ("incremental", NEW_INTERACTIONS)
    with database.uow() as uow:
        every = uow.graph.interactions(workspace_id)
        creators = uow.graph.creator_accounts(workspace_id)
    assert_same(store.load("acme", extra_nodes=creators.ids),
                build_graph(every.sources, every.targets,
                            edge_weights(every.kinds, every.times), extra_nodes=creators.ids))

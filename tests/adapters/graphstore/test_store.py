"""The stored graph equals ``build_graph`` on the same interactions, however it was folded in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from kolscope.adapters.graphstore import DuckDbGraphStore
from kolscope.app.ports import GraphManifest, InteractionBatch, Interactions, SourceTally
from kolscope.core.discovery.graph import EdgeKind, Graph, build_graph, edge_weights
from kolscope.errors import Conflict, InvalidInput, NotFound

DAY = 86_400.0
T0 = 1_700_000_000.0
NO_NODES = np.zeros(0, dtype=np.int64)


def interactions(sources: list[int], targets: list[int], kinds: list[int],
                 days: list[float | None]) -> Interactions:
    return Interactions(sources=np.array(sources, dtype=np.int64),
                        targets=np.array(targets, dtype=np.int64),
                        kinds=np.array(kinds, dtype=np.int8),
                        times=np.array([np.nan if d is None else T0 + d * DAY for d in days]))


def generated(rng: np.random.Generator, n: int, *, nodes: int, days: tuple[float, float],
              undated: float = 0.1) -> Interactions:
    """Random interactions with repeats, self-loops and a share of undated ones."""
    times = T0 + rng.uniform(*days, n) * DAY
    times[rng.random(n) < undated] = np.nan
    return Interactions(sources=rng.integers(0, nodes, n), targets=rng.integers(0, nodes, n),
                        kinds=rng.integers(0, 4, n).astype(np.int8), times=times)


def concat(parts: list[Interactions]) -> Interactions:
    return Interactions(*(np.concatenate([getattr(p, f) for p in parts])
                          for f in ("sources", "targets", "kinds", "times")))


def as_batches(parts: list[Interactions], *, start: int = 0) -> list[InteractionBatch]:
    """Each part one batch of comment rows, numbered on from ``start``."""
    batches, mark = [], start
    for part in parts:
        mark += len(part.sources)
        batches.append(InteractionBatch(interactions=part, marks=SourceTally(comments=mark),
                                        rows=SourceTally(comments=len(part.sources))))
    return batches


def expected(every: Interactions, extra: npt.NDArray[np.int64] = NO_NODES, *,
             half_life_days: float = 180.0) -> Graph:
    weights = edge_weights(every.kinds, every.times, half_life_days=half_life_days)
    return build_graph(every.sources, every.targets, weights, extra_nodes=extra)


def assert_same(got: Graph, want: Graph) -> None:
    assert got.node_ids.tolist() == want.node_ids.tolist()
    assert got.adjacency.indptr.tolist() == want.adjacency.indptr.tolist()
    assert got.adjacency.indices.tolist() == want.adjacency.indices.tolist()
    np.testing.assert_allclose(got.adjacency.data, want.adjacency.data, rtol=1e-12, atol=0)


def update(store: DuckDbGraphStore, parts: list[Interactions], *,
           base: GraphManifest | None = None, half_life_days: float = 180.0) -> GraphManifest:
    start = base.marks.comments if base else 0
    return store.update("acme", as_batches(parts, start=start), base=base,
                        half_life_days=half_life_days, source="1@2026-01-01")


@pytest.fixture
def store(tmp_path: Path) -> DuckDbGraphStore:
    # A handful of edges per chunk, so that small graphs are written in many chunks too.
    return DuckDbGraphStore(tmp_path / "graphs", memory_limit="256MB", chunk_edges=5)


def test_a_full_build_equals_build_graph(store: DuckDbGraphStore) -> None:
    rng = np.random.default_rng(1)
    parts = [generated(rng, 400, nodes=60, days=(0, 700)) for _ in range(3)]
    extra = np.array([5, 1_000, 1_001], dtype=np.int64)
    manifest = update(store, parts)
    assert_same(store.load("acme", extra_nodes=extra), expected(concat(parts), extra))
    every = concat(parts)
    assert manifest.rows == manifest.marks == SourceTally(comments=1_200)
    assert manifest.reference_time == np.nanmax(every.times)
    assert manifest.oldest_time == np.nanmin(every.times)


def test_increments_give_the_graph_built_from_scratch(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    # Later increments hold newer interactions (the reference moves), older ones (the oldest,
    # which undated interactions count as, moves) and edges seen before.
    parts = [generated(rng, 500, nodes=80, days=(300, 400)),
             generated(rng, 300, nodes=80, days=(350, 650)),
             generated(rng, 300, nodes=120, days=(0, 900))]
    extra = np.array([3, 500], dtype=np.int64)
    once = DuckDbGraphStore(tmp_path / "once", chunk_edges=7)
    stepwise = DuckDbGraphStore(tmp_path / "stepwise", chunk_edges=7)
    whole = update(once, parts)
    manifest = None
    for part in parts:
        manifest = update(stepwise, [part], base=manifest)
    assert manifest == whole
    want = expected(concat(parts), extra)
    assert_same(stepwise.load("acme", extra_nodes=extra), want)
    assert_same(once.load("acme", extra_nodes=extra), want)


def test_stored_weights_move_to_a_newer_reference(store: DuckDbGraphStore) -> None:
    # a comments on b on day 0; c comments on b half a year later; then a mentions b.
    manifest = update(store, [interactions([1], [2], [EdgeKind.COMMENT], [0])])
    manifest = update(store, [interactions([3], [2], [EdgeKind.COMMENT], [180])], base=manifest)
    graph = store.load("acme", extra_nodes=NO_NODES)
    assert graph.adjacency.toarray().tolist() == [[0, 0.5, 0], [0, 0, 0], [0, 1.0, 0]]
    update(store, [interactions([1], [2], [EdgeKind.MENTION], [360])], base=manifest)
    graph = store.load("acme", extra_nodes=NO_NODES)
    # a -> b: 0.25 (the comment, a year old) + 2.0 (the mention, new); c -> b: 0.5
    assert graph.adjacency.toarray().tolist() == [[0, 2.25, 0], [0, 0, 0], [0, 0.5, 0]]


def test_undated_interactions_follow_the_oldest_dated_one(store: DuckDbGraphStore) -> None:
    first = interactions([1, 3], [2, 2], [EdgeKind.COMMENT, EdgeKind.COMMENT], [None, 100])
    manifest = update(store, [first], half_life_days=90)
    # the oldest dated interaction is the newest: the undated one counts in full
    assert store.load("acme", extra_nodes=NO_NODES).adjacency[0, 1] == 1.0
    older = interactions([4], [5], [EdgeKind.TAG], [10])
    update(store, [older], base=manifest, half_life_days=90)
    graph = store.load("acme", extra_nodes=NO_NODES)
    # now it counts as day 10, 90 days before the newest: half
    assert graph.adjacency[0, 1] == 0.5 and graph.adjacency[3, 4] == 0.75
    assert_same(graph, expected(concat([first, older]), half_life_days=90))


def test_without_any_date_the_kind_weights_stand(store: DuckDbGraphStore) -> None:
    manifest = update(store, [interactions([1, 1], [2, 2], [EdgeKind.MENTION, EdgeKind.TAG],
                                           [None, None])])
    assert manifest.reference_time is None and manifest.oldest_time is None
    assert store.load("acme", extra_nodes=NO_NODES).adjacency[0, 1] == 3.5


def test_nothing_new_keeps_the_stored_graph(store: DuckDbGraphStore, tmp_path: Path) -> None:
    manifest = update(store, [interactions([1], [2], [0], [0])])
    files = sorted(p.name for p in (tmp_path / "graphs" / "acme").iterdir())
    assert update(store, [], base=manifest) == manifest
    assert sorted(p.name for p in (tmp_path / "graphs" / "acme").iterdir()) == files


def test_an_empty_workspace_has_only_its_creators(store: DuckDbGraphStore) -> None:
    manifest = update(store, [])
    assert manifest.typed_edges == 0 and manifest.rows.total == 0
    graph = store.load("acme", extra_nodes=np.array([7, 3], dtype=np.int64))
    assert graph.node_ids.tolist() == [3, 7] and graph.edges == 0


def test_loading_again_reuses_the_csr_unless_the_nodes_change(store: DuckDbGraphStore,
                                                               tmp_path: Path) -> None:
    update(store, [interactions([1, 2], [2, 1], [0, 0], [0, 1])])
    folder = tmp_path / "graphs" / "acme"
    store.load("acme", extra_nodes=NO_NODES)
    first = {p.name for p in folder.glob("csr-*")}
    store.load("acme", extra_nodes=NO_NODES)
    assert {p.name for p in folder.glob("csr-*")} == first
    graph = store.load("acme", extra_nodes=np.array([9], dtype=np.int64))
    assert graph.node_ids.tolist() == [1, 2, 9] and len(list(folder.glob("csr-*"))) == 1


def test_a_corrupt_or_dangling_manifest_reads_as_none(store: DuckDbGraphStore,
                                                      tmp_path: Path) -> None:
    update(store, [interactions([1], [2], [0], [0])])
    folder = tmp_path / "graphs" / "acme"
    manifest = folder / "manifest.json"
    good = manifest.read_text()
    manifest.write_text(good[: len(good) // 2])
    assert store.manifest("acme") is None
    manifest.write_text(good.replace('"half_life_days":180.0', '"half_life_days":"long"'))
    assert store.manifest("acme") is None
    manifest.write_text(good)
    assert store.manifest("acme") is not None
    for edges in folder.glob("edges-*.parquet"):
        edges.unlink()
    assert store.manifest("acme") is None
    with pytest.raises(NotFound):
        store.load("acme", extra_nodes=NO_NODES)
    # and a full build starts over
    update(store, [interactions([1], [2], [0], [0])])
    assert store.load("acme", extra_nodes=NO_NODES).edges == 1


def test_folding_into_another_graph_than_the_one_read_is_refused(
        store: DuckDbGraphStore) -> None:
    first = update(store, [interactions([1], [2], [0], [0])])
    update(store, [interactions([2], [3], [0], [1])], base=first)
    with pytest.raises(Conflict):
        update(store, [interactions([3], [4], [0], [2])], base=first)
    latest = store.manifest("acme")
    with pytest.raises(InvalidInput):
        update(store, [interactions([3], [4], [0], [2])], base=latest, half_life_days=90)
    with pytest.raises(InvalidInput):
        store.manifest("../elsewhere")


def test_a_damaged_csr_cache_is_written_again(store: DuckDbGraphStore, tmp_path: Path) -> None:
    every = interactions([1, 2], [2, 1], [0, 0], [0, 1])
    update(store, [every])
    store.load("acme", extra_nodes=NO_NODES)
    (cached,) = (tmp_path / "graphs" / "acme").glob("csr-*")
    (cached / "indices.npy").write_bytes(b"not an array")
    assert_same(store.load("acme", extra_nodes=NO_NODES), expected(every))

"""A graph far larger than DuckDB's memory limit is built by spilling to disk, and is exact."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np

from kolscope.adapters.graphstore import DuckDbGraphStore
from tests.adapters.graphstore.test_store import (
    as_batches,
    assert_same,
    concat,
    expected,
    generated,
)

INTERACTIONS = 1_500_000


@contextmanager
def disk_use(folder: Path) -> Iterator[list[int]]:
    """The most bytes seen at once in DuckDB's spill folders under ``folder``, sampled."""
    peak, done = [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            size = 0
            for spill in folder.glob("**/spill-*"):
                for f in spill.rglob("*"):
                    with suppress(OSError):  # removed while looked at
                        size += f.stat().st_size
            peak[0] = max(peak[0], size)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield peak
    finally:
        done.set()
        watcher.join()


def test_a_graph_larger_than_the_memory_limit_spills_and_stays_exact(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    parts = [generated(rng, INTERACTIONS // 3, nodes=400_000, days=(0, 1_000))
             for _ in range(3)]
    # 1.5M interactions, nearly all distinct typed edges (some 50 MB as DuckDB holds them),
    # against a 64 MB limit: aggregating and sorting spill to disk, as the watcher sees.
    store = DuckDbGraphStore(tmp_path / "graphs", memory_limit="64MB", threads=2,
                             chunk_edges=200_000)
    with disk_use(tmp_path / "graphs") as peak:
        store.update("big", as_batches(parts), base=None, half_life_days=180.0, source="1@x")
        graph = store.load("big", extra_nodes=np.array([10**9], dtype=np.int64))
    assert peak[0] > 10 * 2**20
    assert_same(graph, expected(concat(parts), np.array([10**9], dtype=np.int64)))
    for array in (graph.node_ids, graph.adjacency.indices, graph.adjacency.data):
        assert mapped(array)


def mapped(array: object) -> bool:
    """Whether ``array`` is, or views, a memory map rather than memory of its own."""
    while isinstance(array, np.ndarray):
        if isinstance(array, np.memmap):
            return True
        array = array.base
    return False

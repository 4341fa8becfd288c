"""The CSR of a typed-edges file, written chunk by chunk to .npy files and opened as memory maps.

Python memory holds the node ids, the row pointers and one chunk of edges at a time; DuckDB
finds the nodes and counts each row's edges under its memory limit; the edges file is sorted,
so each chunk's query reads only the Parquet row groups of its sources.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
from scipy import sparse

from kolscope.adapters.graphstore._duck import path_literal
from kolscope.core.discovery.graph import Graph, aggregate_weights
from kolscope.errors import EngineError

FILES = ("node_ids", "indptr", "indices", "weights")


def write_csr(con: duckdb.DuckDBPyConnection, edges: Path, folder: Path, *,
              extra_nodes: npt.NDArray[np.int64], undated_decay: float, chunk_edges: int) -> None:
    """Write the graph of ``edges`` (typed aggregates, sorted) to ``folder``.

    The same graph as ``build_graph`` on the raw interactions: kinds of one pair summed into one
    edge, nodes sorted by account id, ``extra_nodes`` included.
    """
    src = f"read_parquet({path_literal(edges)})"
    # GROUP BY rather than DISTINCT or UNION: DuckDB's grouped aggregates spill to disk.
    per_source = con.execute(
        f"SELECT source, count(*) AS pairs FROM (SELECT source, target FROM {src} "
        "GROUP BY source, target) GROUP BY source ORDER BY source").fetchnumpy()
    targets = con.execute(f"SELECT target FROM {src} GROUP BY target").fetchnumpy()["target"]
    sources = np.asarray(per_source["source"], dtype=np.int64)
    pairs = np.asarray(per_source["pairs"], dtype=np.int64)
    nodes = _sorted_union(sources, np.asarray(targets, dtype=np.int64),
                          np.asarray(extra_nodes, dtype=np.int64))
    n, nnz = len(nodes), int(pairs.sum())
    # scipy keeps int32 indices where they fit; stored so, the maps are used without a copy.
    index = np.int32 if max(n, nnz) < 2**31 else np.int64
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[np.searchsorted(nodes, sources) + 1] = pairs
    indptr = np.cumsum(indptr).astype(index)
    np.save(folder / "node_ids.npy", nodes)
    np.save(folder / "indptr.npy", indptr)
    indices = np.lib.format.open_memmap(folder / "indices.npy", mode="w+", dtype=index,
                                        shape=(nnz,))
    weights = np.lib.format.open_memmap(folder / "weights.npy", mode="w+", dtype=np.float64,
                                        shape=(nnz,))
    at = 0
    for lo, hi in _chunks(sources, pairs, chunk_edges):
        chunk = con.execute(f"SELECT source, target, kind, decayed, undated FROM {src} "
                            "WHERE source BETWEEN ? AND ? ORDER BY source, target, kind",
                            [int(lo), int(hi)]).fetchnumpy()
        cols, values = _pair_edges(chunk, nodes, undated_decay)
        indices[at:at + len(cols)] = cols
        weights[at:at + len(cols)] = values
        at += len(cols)
    if at != nnz:
        raise EngineError(f"the graph's edge file changed while read: {at} edges of {nnz}",
                          file=str(edges))
    indices.flush()
    weights.flush()
    del indices, weights


def open_csr(folder: Path) -> Graph:
    """The graph in ``folder``, its arrays mapped copy-on-write: pages load as they are read, and
    an engine that writes to an array gets private pages, never changing the files."""
    nodes, indptr, indices, weights = (np.load(folder / f"{name}.npy", mmap_mode="c")
                                       for name in FILES)
    n = len(nodes)
    adjacency = sparse.csr_matrix((weights, indices, indptr), shape=(n, n))
    return Graph(node_ids=nodes, adjacency=adjacency)


def _sorted_union(*arrays: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values of ``arrays``, sorted (a sort and a mask: faster than np.unique's
    hash table on large id arrays)."""
    values = np.sort(np.concatenate(arrays))
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _chunks(sources: npt.NDArray[np.int64], pairs: npt.NDArray[np.int64],
            chunk_edges: int) -> list[tuple[int, int]]:
    """Ranges of source ids, in order, each holding at most ``chunk_edges`` edges plus those of
    its last source (a source is never split)."""
    if not len(sources):
        return []
    group = (np.cumsum(pairs) - pairs) // max(chunk_edges, 1)
    last = np.flatnonzero(np.append(group[1:] != group[:-1], True))
    first = np.append(0, last[:-1] + 1)
    return [(int(sources[a]), int(sources[b])) for a, b in zip(first, last, strict=True)]


def _pair_edges(chunk: dict[str, npt.NDArray[np.generic]], nodes: npt.NDArray[np.int64],
                undated_decay: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Column positions and weights of a chunk's (source, target) pairs, its kinds summed."""
    source = np.asarray(chunk["source"], dtype=np.int64)
    target = np.asarray(chunk["target"], dtype=np.int64)
    weight = aggregate_weights(np.asarray(chunk["kind"], dtype=np.int64),
                               np.asarray(chunk["decayed"], dtype=np.float64),
                               np.asarray(chunk["undated"], dtype=np.int64),
                               undated_decay=undated_decay)
    if not len(source):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    first = np.ones(len(source), dtype=bool)
    first[1:] = (source[1:] != source[:-1]) | (target[1:] != target[:-1])
    starts = np.flatnonzero(first)
    return np.searchsorted(nodes, target[starts]), np.add.reduceat(weight, starts)

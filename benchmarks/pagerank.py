"""PageRank speed: nanoseconds per edge-iteration of the local engine against networkit and
networkx, on the same generated power-law graphs, 20 iterations each.

    .venv/bin/python benchmarks/pagerank.py [--edges 1000000 10000000] [--networkx-max 1000000]

networkit comes with the `bench` extra (`pip install -e '.[bench]'`); a missing reference is
reported as such. Prints a table and writes benchmarks/results/pagerank.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from kolscope.core.discovery.authority import pagerank
from kolscope.errors import ConvergenceError

RESULTS = Path(__file__).resolve().parent / "results"
ITERATIONS = 20


def power_law_graph(edges: int, seed: int = 7) -> sparse.csr_matrix:
    """Edges from uniform sources to Zipf-distributed targets (a few hubs, a long tail)."""
    rng = np.random.default_rng(seed)
    nodes = max(edges // 10, 10)
    sources = rng.integers(0, nodes, size=edges, dtype=np.int64)
    targets = (rng.zipf(2.0, size=edges) - 1) % nodes
    targets = rng.permutation(nodes)[targets]
    weights = np.ones(edges)
    graph = sparse.csr_matrix((weights, (sources, targets)), shape=(nodes, nodes))
    graph.sum_duplicates()
    return graph


def time_local(graph: sparse.csr_matrix) -> float:
    started = time.perf_counter()
    # A tolerance no run can reach makes it do exactly ITERATIONS iterations.
    with contextlib.suppress(ConvergenceError):
        pagerank(graph, tol=1e-300, max_iter=ITERATIONS)
    return time.perf_counter() - started


def time_networkit(graph: sparse.csr_matrix) -> float | None:
    try:
        import networkit as nk
    except ImportError:
        return None
    coo = graph.tocoo()
    g = nk.Graph(graph.shape[0], weighted=False, directed=True)
    g.addEdges((coo.row.astype(np.uint64), coo.col.astype(np.uint64)), checkMultiEdge=False)
    algorithm = nk.centrality.PageRank(g, 0.85, 1e-300)
    algorithm.maxIterations = ITERATIONS
    started = time.perf_counter()
    algorithm.run()
    return time.perf_counter() - started


def time_networkx(graph: sparse.csr_matrix) -> float | None:
    import networkx as nx

    g = nx.from_scipy_sparse_array(graph, create_using=nx.DiGraph)
    started = time.perf_counter()
    with contextlib.suppress(nx.PowerIterationFailedConvergence):
        nx.pagerank(g, alpha=0.85, tol=1e-300, max_iter=ITERATIONS)
    return time.perf_counter() - started


def run(edges: int, networkx_max: int) -> dict[str, Any]:
    graph = power_law_graph(edges)
    work = graph.nnz * ITERATIONS
    timers: dict[str, Callable[[sparse.csr_matrix], float | None]] = {
        "kolscope local": time_local, "networkit": time_networkit}
    if edges <= networkx_max:
        timers["networkx"] = time_networkx
    row: dict[str, Any] = {"edges": int(graph.nnz), "nodes": int(graph.shape[0])}
    for name, timer in timers.items():
        seconds = timer(graph)
        row[name] = None if seconds is None else seconds * 1e9 / work
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--networkx-max", type=int, default=1_000_000)
    args = parser.parse_args()
    rows = [run(edges, args.networkx_max) for edges in args.edges]
    print(f"{'edges':>12}{'nodes':>11}{'local ns':>10}{'networkit ns':>14}{'networkx ns':>13}"
          f"{'networkit/local':>17}")
    def cell(r: dict[str, Any], key: str) -> str:
        return f"{r[key]:.2f}" if r.get(key) is not None else "—"

    for r in rows:
        ratio = (f"{r['networkit'] / r['kolscope local']:.1f}x" if r.get("networkit") else "—")
        print(f"{r['edges']:>12,}{r['nodes']:>11,}{cell(r, 'kolscope local'):>10}"
              f"{cell(r, 'networkit'):>14}{cell(r, 'networkx'):>13}{ratio:>17}")
    RESULTS.mkdir(exist_ok=True)
    out = {"machine": f"{platform.machine()} {platform.python_version()}",
           "iterations": ITERATIONS, "unit": "ns per edge-iteration", "runs": rows}
    (RESULTS / "pagerank.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {RESULTS / 'pagerank.json'}")


if __name__ == "__main__":
    main()

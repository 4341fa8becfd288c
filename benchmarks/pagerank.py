"""PageRank speed: nanoseconds per edge-iteration of the local engine against networkit, networkx
and Spark, on the same generated power-law graphs, 20 iterations each, in one run.

    .venv/bin/python benchmarks/pagerank.py                      # 1e7 and 1e8 edges, ~30 min
    .venv/bin/python benchmarks/pagerank.py --edges 1000000      # a quick run

Graphs: ``edges // 10`` nodes; sources and targets drawn from power laws (in-degree exponent about
2.25, out-degree about 3) through independent random relabellings, self-loops dropped, repeats
summed into weights (so every engine runs weighted PageRank). Edges are drawn in int32 chunks and
the CSR is built with int32 indices: about 1.2 GB for 1e8 edges, 10 GB at the peak of the run.

- **local**: ``LocalEngine().pagerank`` on a core ``Graph``. Its one-off preparation (the binned
  layout of ``kolscope.adapters.engines.kernels``, cached per graph) is timed apart from the
  iterations; the iterations are 20 exactly (a tolerance no run reaches, with the share type the
  engine picks at its default tolerance), the best of ``--repeats`` runs; the full call at the
  default tolerance is timed too and checked against core's scipy reference.
- **networkit**: ``nk.centrality.PageRank`` on the same weighted graph, ``maxIterations = 20``,
  with its thread count (the `bench` extra installs it).
- **networkx**: ``nx.pagerank`` (which converts to scipy inside each call) up to
  ``--networkx-max`` edges: slow, and its graph of 1e7 edges takes several GB.
- **Spark**: ``get_engine("spark").pagerank(graph)`` up to ``--spark-max`` edges: a call that
  moves the graph into Spark, then one that reuses it, divided by the iterations the local
  engine needs at the same default tolerance.

"Ranks" is the float64 rank vector (8 bytes a node), compared with the L3 cache read from /sys.
Measured in the same run as the ceiling for the local engine: memory bandwidth (a numpy copy and
a 2-thread read), the cost of one random read from a float32 vector of each graph's node count,
and the bytes the local engine streams per edge-iteration. Other processes on the machine slow
any run: the load average and the cores each engine got (CPU over wall time) are recorded. Prints
a table and writes benchmarks/results/pagerank.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numba import get_num_threads, njit, prange
from scipy import sparse

from kolscope.adapters.engines import get_engine, kernels
from kolscope.adapters.engines.local import LocalEngine
from kolscope.app.ports import GraphEngine
from kolscope.core.discovery.authority import DEFAULT_TOL
from kolscope.core.discovery.authority import pagerank as reference_pagerank
from kolscope.core.discovery.graph import Graph

RESULTS = Path(__file__).resolve().parent / "results"
ITERATIONS = 20
CHUNK = 10_000_000
TARGET_IN_CACHE_NS = 2.0
TARGET_BEYOND_CACHE_NS = 6.0
TARGET_VS_NETWORKIT = 3.0
SPARK_SECOND_CALL_MAX_S = 300.0


# --- graphs -----------------------------------------------------------------------------------

def _power_law(rng: np.random.Generator, count: int, nodes: int, exponent: float,
               relabel: np.ndarray) -> np.ndarray:
    """``count`` node ids with P(rank r) ∝ r^-exponent, through the random ``relabel``."""
    a = 1.0 - exponent
    r = np.floor((1.0 + rng.random(count) * ((nodes + 1.0) ** a - 1.0)) ** (1.0 / a)) - 1
    return relabel[np.clip(r, 0, nodes - 1).astype(np.int64)]


def power_law_graph(edges: int, seed: int = 7) -> Graph:
    """About ``edges`` weighted edges over ``edges // 10`` nodes, as a core ``Graph``."""
    rng = np.random.default_rng(seed)
    nodes = max(edges // 10, 10)
    out_ids = rng.permutation(nodes).astype(np.int32)
    in_ids = rng.permutation(nodes).astype(np.int32)
    src = np.empty(edges, dtype=np.int32)
    dst = np.empty(edges, dtype=np.int32)
    for start in range(0, edges, CHUNK):
        stop = min(edges, start + CHUNK)
        src[start:stop] = _power_law(rng, stop - start, nodes, 0.5, out_ids)
        dst[start:stop] = _power_law(rng, stop - start, nodes, 0.8, in_ids)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    adjacency = sparse.csr_matrix((np.ones(src.size), (src, dst)), shape=(nodes, nodes))
    del src, dst
    adjacency.sum_duplicates()
    return Graph(node_ids=np.arange(nodes, dtype=np.int64), adjacency=adjacency)


# --- the machine ------------------------------------------------------------------------------

def cache_sizes() -> dict[str, int]:
    """Bytes of each data/unified cache level seen by CPU 0, from /sys."""
    sizes: dict[str, int] = {}
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        with contextlib.suppress(OSError):
            kind = (index / "type").read_text().strip()
            if kind == "Instruction":
                continue
            text = (index / "size").read_text().strip()
            unit = {"K": 1024, "M": 1024**2}.get(text[-1], 1)
            sizes[f"L{(index / 'level').read_text().strip()}"] = int(text.rstrip("KM")) * unit
    return sizes


@njit(parallel=True, cache=True, fastmath=True)  # type: ignore[untyped-decorator]
def _parallel_sum(values: np.ndarray) -> float:  # pragma: no cover - compiled
    total = 0.0
    for i in prange(values.size):
        total += values[i]
    return total


@njit(parallel=True, cache=True)  # type: ignore[untyped-decorator]
def _gather_sum(values: np.ndarray, at: np.ndarray) -> float:  # pragma: no cover - compiled
    total = 0.0
    for i in prange(at.size):
        total += values[at[i]]
    return total


def best_of(repeats: int, work: Callable[[], object],
            cpu: list[float] | None = None) -> list[float]:
    """Seconds of each of ``repeats`` calls of ``work``; their CPU seconds (all threads of this
    process) appended to ``cpu``: CPU over wall time says how much of the cores a run got."""
    times = []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - cpu_started)
    return times


def bandwidth(repeats: int) -> tuple[float, float]:
    """GB/s of a numpy copy of 512 MB (bytes read plus written) and of a parallel read."""
    source, target = np.ones(512 * 1024**2 // 8), np.empty(512 * 1024**2 // 8)
    copy_s = min(best_of(repeats, lambda: np.copyto(target, source)))
    _parallel_sum(source[:16])
    read_s = min(best_of(repeats, lambda: _parallel_sum(source)))
    return 2 * source.nbytes / copy_s / 1e9, source.nbytes / read_s / 1e9


def memory_figures(rank_nodes: list[int], repeats: int) -> dict[str, Any]:
    """Stream bandwidth (GB/s) and ns per random float32 read from vectors of those sizes."""
    copy_gb_s, read_gb_s = bandwidth(repeats)
    rng = np.random.default_rng(0)
    gathers: dict[str, float] = {}
    for nodes in rank_nodes:
        vector = np.ones(nodes, dtype=np.float32)
        at = rng.integers(0, nodes, size=10_000_000).astype(np.int32)
        _gather_sum(vector, at[:16])
        gathers[str(nodes)] = min(best_of(repeats, lambda v=vector, a=at: _gather_sum(v, a)))
        gathers[str(nodes)] *= 1e9 / at.size
    return {"numpy_copy_gb_s": copy_gb_s, "parallel_read_gb_s": read_gb_s,
            "read_threads": get_num_threads(),
            "random_read_ns_by_rank_nodes": gathers}


# --- the engines ------------------------------------------------------------------------------

def time_local(graph: Graph, repeats: int, check: bool) -> dict[str, Any]:
    """Preparation, 20 iterations (each repeat) and the full call, of the local engine."""
    started = time.perf_counter()
    layout = kernels.prepared(graph.adjacency)  # what LocalEngine.pagerank does first, cached
    prepare_s = time.perf_counter() - started
    # What the engine runs at its default tolerance; tol=1e-300 then makes exactly 20 iterations.
    float32 = layout.nodes * DEFAULT_TOL >= kernels.FLOAT32_MIN_STOP

    def twenty() -> None:
        kernels.solve(layout, tol=1e-300, max_iter=ITERATIONS, float32=float32)

    twenty()  # loads the compiled kernel from numba's cache (or compiles it)
    cpu: list[float] = []
    times = best_of(repeats, twenty, cpu)
    started = time.perf_counter()
    ranks = LocalEngine().pagerank(graph)
    full_s = time.perf_counter() - started
    row = {"prepare_s": prepare_s, "iterations_s": times, "cpu_s": cpu, "full_call_s": full_s,
           "converged_in": kernels.solve(layout).iterations,
           "threads": kernels.available_threads(), "bins": int(layout.bin_ptr.size - 1),
           "weighted": bool(layout.weights.size), "float32_shares": float32}
    if check:
        reference = reference_pagerank(graph.adjacency)
        row["l1_vs_reference"] = float(np.abs(ranks - reference).sum())
    return row


def time_networkit(graph: Graph, repeats: int) -> dict[str, Any] | None:
    try:
        import networkit as nk
    except ImportError:
        return None
    coo = graph.adjacency.tocoo()
    g = nk.Graph(graph.adjacency.shape[0], weighted=True, directed=True)
    g.addEdges((coo.data, (coo.row.astype(np.uint64), coo.col.astype(np.uint64))),
               checkMultiEdge=False)
    del coo

    def twenty() -> None:
        algorithm = nk.centrality.PageRank(g, 0.85, 1e-300)
        algorithm.maxIterations = ITERATIONS
        algorithm.run()

    twenty()
    cpu: list[float] = []
    times = best_of(repeats, twenty, cpu)
    return {"iterations_s": times, "cpu_s": cpu, "threads": nk.getMaxNumberOfThreads(),
            "version": nk.__version__}


def time_networkx(graph: Graph) -> dict[str, Any]:
    import networkx as nx

    g = nx.from_scipy_sparse_array(graph.adjacency, create_using=nx.DiGraph)

    def twenty() -> None:
        with contextlib.suppress(nx.PowerIterationFailedConvergence):
            nx.pagerank(g, alpha=0.85, tol=1e-300, max_iter=ITERATIONS)

    return {"iterations_s": best_of(1, twenty), "version": nx.__version__}


def spark_engine() -> tuple[GraphEngine | None, str]:
    """The Spark engine with its session started (on a tiny graph), or why there is none."""
    try:
        engine = get_engine("spark")
        engine.pagerank(power_law_graph(1_000))
    except Exception as error:  # an engine being written: any failure is a result to report
        return None, f"{type(error).__name__}: {error}".splitlines()[0]
    return engine, ""


def time_spark(engine: GraphEngine, graph: Graph, iterations: int) -> dict[str, Any]:
    """Full calls of the Spark engine: the first moves the graph into Spark, a second (unless
    the first took over SPARK_SECOND_CALL_MAX_S) reuses it; per edge-iteration from the last,
    over the local engine's iteration count (both stop at the same tolerance)."""
    try:
        calls = []
        for _ in range(2):
            started = time.perf_counter()
            engine.pagerank(graph)
            calls.append(time.perf_counter() - started)
            if calls[0] > SPARK_SECOND_CALL_MAX_S:
                break
    except Exception as error:
        return {"unavailable": f"{type(error).__name__}: {error}".splitlines()[0]}
    return {"iterations_s": [calls[-1] * ITERATIONS / iterations], "calls_s": calls,
            "timed_call_includes_loading": len(calls) == 1, "assumed_iterations": iterations}


# --- one run ----------------------------------------------------------------------------------

def ns_per_edge_iteration(seconds: list[float], edges: int) -> dict[str, float]:
    scale = 1e9 / (edges * ITERATIONS)
    return {"best": min(seconds) * scale, "median": statistics.median(seconds) * scale}


def measure(edges: int, args: argparse.Namespace, l3: int, spark: GraphEngine | None,
            spark_why: str) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    graph = power_law_graph(edges)
    m, n = graph.edges, len(graph.node_ids)
    row: dict[str, Any] = {"requested_edges": edges, "edges": m, "nodes": n,
                           "generate_s": time.perf_counter() - started,
                           "rank_vector_bytes": 8 * n, "fits_in_l3": 8 * n <= l3}
    local = time_local(graph, args.repeats, check=m <= args.check_max)
    row["local"] = {**local, "ns": ns_per_edge_iteration(local["iterations_s"], m)}
    networkit = time_networkit(graph, args.repeats if m <= 20_000_000 else 2)  # ~1 min a run
    if networkit is not None:
        row["networkit"] = {**networkit, "ns": ns_per_edge_iteration(networkit["iterations_s"], m)}
    if m <= args.networkx_max:
        networkx = time_networkx(graph)
        row["networkx"] = {**networkx, "ns": ns_per_edge_iteration(networkx["iterations_s"], m)}
    if m <= args.spark_max:
        spark = (time_spark(spark, graph, local["converged_in"]) if spark is not None
                 else {"unavailable": spark_why})
        if "iterations_s" in spark:
            spark["ns"] = ns_per_edge_iteration(spark["iterations_s"], m)
        row["spark"] = spark
    row["load_average"] = [load_before, os.getloadavg()[0]]
    return with_verdict(row)


def cores_used(engine: dict[str, Any]) -> float:
    """CPU seconds over wall seconds of the fastest run: 2.0 is both cores of this machine."""
    best = int(np.argmin(engine["iterations_s"]))
    return float(engine["cpu_s"][best] / engine["iterations_s"][best])


def with_verdict(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("local", "networkit"):
        if "cpu_s" in row.get(key, {}):
            row[key]["cores_used"] = cores_used(row[key])
    local = row["local"]["ns"]["best"]
    target = TARGET_IN_CACHE_NS if row["fits_in_l3"] else TARGET_BEYOND_CACHE_NS
    row["target_ns"] = target
    row["meets_ns_target"] = local <= target
    if "networkit" in row:
        ratio = row["networkit"]["ns"]["best"] / local
        row["networkit_over_local"] = ratio
        row["meets_networkit_target"] = ratio >= TARGET_VS_NETWORKIT
    return row


def streaming_floor(row: dict[str, Any], read_gb_s: float) -> dict[str, float]:
    """The local engine's bytes per edge-iteration (its fixed layout and the shares written and
    read back; ranks, 1/d and the teleport per node) and the ns they take at ``read_gb_s``."""
    per_edge = 2 + 2 + 4 + 4 + 4 + (4 if row["local"]["weighted"] else 0)
    per_node = 8 + 8 + 16 + 8
    total = per_edge + per_node * row["nodes"] / row["edges"]
    return {"bytes": total, "ns": total / read_gb_s}


def print_table(rows: list[dict[str, Any]], memory: dict[str, Any]) -> None:
    def ns(row: dict[str, Any], key: str) -> str:
        found = row.get(key, {})
        return f"{found['ns']['best']:.2f}" if "ns" in found else "—"

    head = ("edges", "nodes", "ranks", "in L3", "prep s", "local ns", "cores", "networkit ns",
            "networkx ns", "spark ns", "nk/local", "target", "met", "load")
    print(("{:>12}{:>11}{:>8}{:>6}{:>8}{:>10}{:>6}{:>13}{:>12}{:>10}{:>9}{:>7}{:>5}{:>6}")
          .format(*head))
    for r in rows:
        ratio = f"{r['networkit_over_local']:.1f}x" if "networkit_over_local" in r else "—"
        met = r["meets_ns_target"] and r.get("meets_networkit_target", False)
        print(f"{r['edges']:>12,}{r['nodes']:>11,}{r['rank_vector_bytes'] / 2**20:>6.0f}MB"
              f"{'yes' if r['fits_in_l3'] else 'no':>6}{r['local']['prepare_s']:>8.2f}"
              f"{ns(r, 'local'):>10}{r['local']['cores_used']:>6.2f}{ns(r, 'networkit'):>13}"
              f"{ns(r, 'networkx'):>12}{ns(r, 'spark'):>10}{ratio:>9}{r['target_ns']:>5.0f}ns"
              f"{'yes' if met else 'no':>5}{max(r['load_average']):>6.1f}")
        if "unavailable" in r.get("spark", {}):
            print(f"  spark: unavailable ({r['spark']['unavailable']})")
    gathers = ", ".join(f"{int(k):,} nodes {v:.2f} ns"
                        for k, v in memory["random_read_ns_by_rank_nodes"].items())
    print(f"memory: numpy copy {memory['numpy_copy_gb_s']:.1f} GB/s, {memory['read_threads']}-"
          f"thread read {memory['parallel_read_gb_s']:.1f} GB/s; random float32 read: {gathers}")
    for r in rows:
        floor = r["local"]["streaming_floor"]
        print(f"  {r['edges']:,} edges: the local engine streams {floor['bytes']:.1f} bytes per "
              f"edge-iteration, {floor['ns']:.2f} ns at that read speed")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--edges", type=int, nargs="+", default=[10_000_000, 100_000_000])
    parser.add_argument("--networkx-max", type=int, default=10_000_000)
    parser.add_argument("--spark-max", type=int, default=10_000_000)
    parser.add_argument("--check-max", type=int, default=20_000_000,
                        help="compare with core's scipy reference up to this many edges")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS / "pagerank.json")
    args = parser.parse_args()
    caches = cache_sizes()
    l3 = caches.get("L3", caches.get("L2", 0))
    spark, spark_why = (spark_engine() if any(e <= args.spark_max for e in args.edges)
                        else (None, "not asked for"))
    if spark is None:
        print(f"spark: unavailable ({spark_why})")
    rows = [measure(edges, args, l3, spark, spark_why) for edges in args.edges]
    memory = memory_figures([r["nodes"] for r in rows], args.repeats)
    for r in rows:
        r["local"]["streaming_floor"] = streaming_floor(r, memory["parallel_read_gb_s"])
    print_table(rows, memory)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    out = {"machine": f"{platform.machine()} {platform.processor() or ''} "
                      f"{os.cpu_count()} cpus, python {platform.python_version()}",
           "caches_bytes": caches, "threads": get_num_threads(), "iterations": ITERATIONS,
           "unit": "ns per edge-iteration (best of repeats; median beside)",
           "load_note": "load_average is the 1-minute load before and after each graph; on 2 "
                        "cores anything above 2 means other processes shared the machine",
           "targets": {"in_cache_ns": TARGET_IN_CACHE_NS, "beyond_cache_ns": TARGET_BEYOND_CACHE_NS,
                       "networkit_over_local": TARGET_VS_NETWORKIT},
           "memory": memory, "runs": rows}
    args.output.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

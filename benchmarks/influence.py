"""Influence maximisation: IMM's seeds against top-degree and Monte-Carlo CELF, on NetHEPT and a
generated graph of 1e7 edges, every spread measured by independent simulations, in one run.

    .venv/bin/python benchmarks/influence.py                     # both graphs, ~2 min
    .venv/bin/python benchmarks/influence.py --edges 1000000     # a smaller generated graph

- **NetHEPT** (``$KOLSCOPE_SHARED_DATASETS/graphs/NetHEPT.txt``, default ``../shared/datasets``;
  first line ``nodes edges``, then ``u v p`` with weighted-cascade chances p = 1/in-degree):
  IMM for k = 50 at epsilon 0.1 (ell 1) with the compiled kernels, the best of ``--repeats``
  selections timed, and core's numpy kernels once (the reference: same method, same
  distributions); top out-degree, by count and weighted by the chances (the expected number of
  nodes a seed activates directly); and at ``--small-k`` seeds Monte-Carlo CELF
  (``--celf-runs`` simulations per evaluation) beside IMM at the same k.
- **Budgets** on NetHEPT: a cost per node of ``1 + out-degree * U(0.5, 1.5)`` (dearer with more
  followers; fixed seed) and a budget of ``--budget``: cost-ratio and plain greedy on the same
  RR sets, sized for k_max, the most of the cheapest nodes that fit.
- **Generated**: about ``--edges`` distinct edges over ``edges // 10`` nodes, sources and targets
  drawn from the power laws of ``benchmarks/pagerank.py`` (fixed seed), self-loops dropped,
  weighted-cascade chances; IMM for k = 50 at epsilon 0.1, top weighted degree beside it.

Every spread in the table is the mean of ``--runs`` (NetHEPT; ``--big-runs`` on the generated
graph) cascades simulated with a generator that chose nothing (seed ``CHECK_SEED``), with its
standard error; ``estimate`` is what the RR sets that chose the seeds say (it leans high).
Selection times are wall seconds of the whole call (model, sampling, selection), with the CPU
seconds of this process beside them: other processes on the machine slow a run, and the load
average is recorded. Prints one table and writes benchmarks/results/influence.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit
from scipy import sparse

from kolscope.adapters.engines.influence_kernels import KERNELS
from kolscope.adapters.engines.kernels import available_threads
from kolscope.core.discovery.graph import Graph
from kolscope.core.planning.influence import (
    INFLUENCE_METHOD_VERSION,
    NUMPY_KERNELS,
    Kernels,
    budgeted_imm,
    celf,
    imm,
    monte_carlo_spread,
    top_degree,
    weighted_cascade,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KOLSCOPE_SHARED_DATASETS", ROOT.parent / "shared" / "datasets"))
RESULTS = ROOT / "benchmarks" / "results"
K = 50
EPSILON = 0.1
SELECT_SEED = 1
CHECK_SEED = 20_240_601
TARGET_NETHEPT_SPREAD = 1_290.0
TARGET_NETHEPT_S = 2.0
TARGET_GENERATED_S = 10.0
PUBLISHED_NETHEPT_SPREAD = 1_295.0  # snowgy/Influence_Maximization, IMM at epsilon 0.1, k = 50

Row = dict[str, Any]


# --- graphs -------------------------------------------------------------------------------------

def nethept_path() -> Path:
    """Where NetHEPT is; exits with a message when it is not there."""
    path = SHARED / "graphs" / "NetHEPT.txt"
    if not path.is_file():
        sys.exit(f"NetHEPT not found at {path} (set KOLSCOPE_SHARED_DATASETS to the folder that "
                 "holds graphs/NetHEPT.txt)")
    return path


def load_nethept(path: Path) -> tuple[Graph, np.ndarray]:
    """The graph and its chances; repeated edges combine as independent chances."""
    with path.open() as handle:
        nodes = int(handle.readline().split()[0])
        table = np.loadtxt(handle, dtype=np.float64, ndmin=2)
    u, v, p = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64), table[:, 2]
    key, inverse = np.unique(u * nodes + v, return_inverse=True)
    missed = np.ones(key.size)
    np.multiply.at(missed, inverse, 1.0 - p)  # chance that no copy of the edge is live
    adjacency = sparse.csr_matrix((1.0 - missed, (key // nodes, key % nodes)),
                                  shape=(nodes, nodes))
    adjacency.sort_indices()
    return Graph(node_ids=np.arange(nodes, dtype=np.int64), adjacency=adjacency), adjacency.data


def _power_law(rng: np.random.Generator, count: int, nodes: int, exponent: float,
               relabel: np.ndarray) -> np.ndarray:
    """``count`` node ids with P(rank r) ∝ r^-exponent, through the random ``relabel``."""
    a = 1.0 - exponent
    r = np.floor((1.0 + rng.random(count) * ((nodes + 1.0) ** a - 1.0)) ** (1.0 / a)) - 1
    return relabel[np.clip(r, 0, nodes - 1).astype(np.int64)]


def generated_graph(edges: int, seed: int = 7) -> Graph:
    """``edges`` distinct edges over ``edges // 10`` nodes (pagerank.py's power laws)."""
    rng = np.random.default_rng(seed)
    nodes = max(edges // 10, 10)
    out_ids, in_ids = rng.permutation(nodes), rng.permutation(nodes)
    keys = np.zeros(0, dtype=np.int64)
    while keys.size < edges:
        draw = int((edges - keys.size) * 1.2) + 1_000
        src = _power_law(rng, draw, nodes, 0.5, out_ids)
        dst = _power_law(rng, draw, nodes, 0.8, in_ids)
        keys = np.union1d(keys, (src * nodes + dst)[src != dst])
    keys = np.sort(keys[rng.permutation(keys.size)[:edges]])
    indptr = np.zeros(nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // nodes, minlength=nodes), out=indptr[1:])
    adjacency = sparse.csr_matrix((np.ones(edges), (keys % nodes).astype(np.int32), indptr),
                                  shape=(nodes, nodes))
    return Graph(node_ids=np.arange(nodes, dtype=np.int64), adjacency=adjacency)


# --- measuring ----------------------------------------------------------------------------------

def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result of ``work``, its wall seconds and the CPU seconds of this process."""
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - started, time.process_time() - cpu


def checked(graph: Graph, probs: np.ndarray, seeds: np.ndarray, runs: int) -> dict[str, float]:
    """The spread of ``seeds`` by ``runs`` fresh simulations."""
    found, wall, _ = timed(lambda: monte_carlo_spread(
        graph, probs, seeds, runs, np.random.default_rng(CHECK_SEED), kernels=KERNELS))
    return {"spread": found.mean, "stderr": found.stderr, "runs": runs, "seconds": wall}


def imm_row(name: str, graph: Graph, probs: np.ndarray, k: int, runs: int, repeats: int,
            kernels: Kernels, epsilon: float = EPSILON) -> Row:
    """IMM timed ``repeats`` times on generators of one seed; the first run's seeds checked."""
    times, cpu, found = [], [], None
    for _ in range(repeats):
        result, wall, used = timed(lambda: imm(graph, probs, k, np.random.default_rng(
            SELECT_SEED), epsilon=epsilon, kernels=kernels))
        found = found or result
        times.append(wall)
        cpu.append(used)
    assert found is not None
    method = "IMM" if kernels is KERNELS else "IMM, numpy kernels"
    return {"graph": name, "method": method if epsilon == EPSILON else f"{method}, ε {epsilon:g}",
            "k": k, "epsilon": epsilon, "seeds": found.seeds.tolist(),
            "gains": found.gains.tolist(),
            "select_s": min(times), "select_s_median": statistics.median(times),
            "select_s_all": times, "cpu_s": cpu[int(np.argmin(times))],
            "rr_sets": found.rr_sets, "sampling_rr_sets": found.sampling_rr_sets,
            "lower_bound": found.lower_bound, "estimate": found.spread,
            "check": checked(graph, probs, found.seeds, runs)}


def baseline_rows(name: str, graph: Graph, probs: np.ndarray, k: int, runs: int) -> list[Row]:
    rows = []
    for weighted in (True, False):
        seeds, wall, used = timed(lambda w=weighted: top_degree(graph, probs, k, weighted=w))
        rows.append({"graph": name, "method": "top degree, weighted" if weighted
                     else "top degree, count", "k": k, "seeds": seeds.tolist(),
                     "select_s": wall, "cpu_s": used, "check": checked(graph, probs, seeds, runs)})
    return rows


def celf_row(graph: Graph, probs: np.ndarray, k: int, celf_runs: int, runs: int) -> Row:
    found, wall, used = timed(lambda: celf(graph, probs, k, celf_runs, np.random.default_rng(
        SELECT_SEED), kernels=KERNELS))
    return {"graph": "NetHEPT", "method": f"CELF ({celf_runs} runs/eval)", "k": k,
            "seeds": found.seeds.tolist(), "gains": found.gains.tolist(), "select_s": wall,
            "cpu_s": used, "evaluations": found.evaluations, "estimate": found.spread,
            "check": checked(graph, probs, found.seeds, runs)}


def budget_rows(graph: Graph, probs: np.ndarray, budget: float, runs: int) -> tuple[Row, ...]:
    rng = np.random.default_rng(11)
    out_degree = np.diff(graph.adjacency.indptr)
    costs = 1.0 + out_degree * rng.uniform(0.5, 1.5, size=out_degree.size)
    found, wall, used = timed(lambda: budgeted_imm(graph, probs, costs, budget,
                                                   np.random.default_rng(SELECT_SEED),
                                                   epsilon=EPSILON, kernels=KERNELS))
    rows = []
    for selection in (found.cost_ratio, found.greedy):
        rows.append({"graph": "NetHEPT",
                     "method": f"budget {budget:g}, {selection.rule}",
                     "k": int(selection.seeds.size), "seeds": selection.seeds.tolist(),
                     "cost": selection.cost, "select_s": wall, "cpu_s": used,
                     "rr_sets": selection.rr_sets,
                     "sampling_rr_sets": selection.sampling_rr_sets, "estimate": selection.spread,
                     "chosen": selection is found.best, "k_max": found.k_max,
                     "check": checked(graph, probs, selection.seeds, runs)})
    return tuple(rows)


# --- one run ------------------------------------------------------------------------------------

def warm_up() -> float:
    """Seconds to load (or compile) the kernels, on a graph of three nodes."""
    tiny = Graph(node_ids=np.arange(3), adjacency=sparse.csr_matrix(
        ([1.0, 1.0], ([0, 1], [1, 2])), shape=(3, 3)))
    started = time.perf_counter()
    imm(tiny, [0.5, 0.5], 1, np.random.default_rng(0), kernels=KERNELS)
    monte_carlo_spread(tiny, [0.5, 0.5], [0], 10, np.random.default_rng(0), kernels=KERNELS)
    return time.perf_counter() - started


def nethept_rows(args: argparse.Namespace) -> list[Row]:
    graph, probs = load_nethept(nethept_path())
    rows = [imm_row("NetHEPT", graph, probs, K, args.runs, args.repeats, KERNELS),
            imm_row("NetHEPT", graph, probs, K, args.runs, 1, NUMPY_KERNELS)]
    rows += baseline_rows("NetHEPT", graph, probs, K, args.runs)
    rows.append(celf_row(graph, probs, args.small_k, args.celf_runs, args.runs))
    rows.append(imm_row("NetHEPT", graph, probs, args.small_k, args.runs, 1, KERNELS))
    rows += budget_rows(graph, probs, args.budget, args.runs)
    rows[0]["target"] = {"spread": TARGET_NETHEPT_SPREAD, "select_s": TARGET_NETHEPT_S}
    return rows


def generated_rows(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    graph, wall, _ = timed(lambda: generated_graph(args.edges))
    probs = weighted_cascade(graph)
    name = f"generated {graph.edges / 1e6:g}M"
    rows = [imm_row(name, graph, probs, K, args.big_runs, 1, KERNELS),
            imm_row(name, graph, probs, K, args.big_runs, 1, KERNELS, epsilon=0.5)]
    seeds = top_degree(graph, probs, K)
    rows.append({"graph": name, "method": "top degree, weighted", "k": K,
                 "seeds": seeds.tolist(), "check": checked(graph, probs, seeds, args.big_runs)})
    rows[0]["target"] = {"select_s": TARGET_GENERATED_S}
    return rows, {"nodes": len(graph.node_ids), "edges": graph.edges, "generate_s": wall}


@njit(nogil=True, cache=True)  # type: ignore[untyped-decorator]
def _busy(steps: int) -> float:  # pragma: no cover - compiled
    total = 0.0
    for i in range(steps):
        total += math.sqrt(i)
    return total


def second_core() -> float:
    """How much a second thread adds to one (1.0: a whole core; 0: nothing, the machine is
    busy with other work), from a compiled busy loop on one thread and then on two."""
    _busy(10)
    steps = 100_000_000
    one = timed(lambda: _busy(steps))[1]
    with ThreadPoolExecutor(2) as pool:
        two = timed(lambda: list(pool.map(_busy, [steps, steps])))[1]
    return max(0.0, 2.0 * one / two - 1.0)


def ratios(rows: list[Row]) -> dict[str, float]:
    """The comparisons the table is for, each as one number."""
    def row(graph: str, method: str, k: int = K) -> Row:
        return next(r for r in rows if r["graph"].startswith(graph) and r["method"] == method
                    and r["k"] == k)

    def spread(r: Row) -> float:
        return float(r["check"]["spread"])

    by_celf = next(r for r in rows if r["method"].startswith("CELF"))
    small = row("NetHEPT", "IMM", by_celf["k"])
    out = {"nethept_imm_over_top_weighted_degree":
           spread(row("NetHEPT", "IMM")) / spread(row("NetHEPT", "top degree, weighted")),
           "nethept_imm_over_celf_at_small_k": spread(small) / spread(by_celf),
           "nethept_celf_time_over_imm_at_small_k": by_celf["select_s"] / small["select_s"],
           "nethept_numpy_time_over_compiled":
           row("NetHEPT", "IMM, numpy kernels")["select_s"] / row("NetHEPT", "IMM")["select_s"]}
    budget = [r for r in rows if "k_max" in r]
    out["budget_cost_ratio_over_greedy"] = spread(budget[0]) / spread(budget[1])
    generated = [r for r in rows if r["graph"].startswith("generated")]
    if generated:
        out["generated_imm_over_top_weighted_degree"] = spread(generated[0]) / spread(
            generated[-1])
    return out


def verdicts(rows: list[Row]) -> None:
    for row in rows:
        target = row.get("target")
        if target:
            met = row["select_s"] <= target["select_s"]
            if "spread" in target:
                met = met and row["check"]["spread"] >= target["spread"]
            row["met"] = met


def print_table(rows: list[Row]) -> None:
    head = ("graph", "method", "k", "select s", "cpu s", "RR sets", "estimate", "MC spread",
            "± se", "runs", "target", "met")
    line = "{:<14}{:<30}{:>4}{:>10}{:>8}{:>12}{:>10}{:>11}{:>7}{:>7}{:>15}{:>5}"
    print(line.format(*head))
    for r in rows:
        target = r.get("target", {})
        wanted = " ".join(filter(None, (f"≥{target['spread']:,.0f}" if "spread" in target else "",
                                        f"≤{target['select_s']:g}s" if target else "")))
        rr = r.get("rr_sets")
        print(line.format(
            r["graph"], r["method"], r["k"],
            f"{r['select_s']:.2f}" if "select_s" in r else "—",
            f"{r['cpu_s']:.2f}" if "cpu_s" in r else "—",
            f"{rr + r['sampling_rr_sets']:,}" if rr else "—",
            f"{r['estimate']:,.1f}" if "estimate" in r else "—",
            f"{r['check']['spread']:,.1f}", f"{r['check']['stderr']:.1f}", r["check"]["runs"],
            wanted or "—", {True: "yes", False: "no"}.get(r.get("met"), "")))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=10_000, help="simulations per NetHEPT check")
    parser.add_argument("--big-runs", type=int, default=200,
                        help="simulations per check on the generated graph")
    parser.add_argument("--small-k", type=int, default=10)
    parser.add_argument("--celf-runs", type=int, default=500)
    parser.add_argument("--budget", type=float, default=200.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS / "influence.json")
    args = parser.parse_args()
    nethept_path()
    load_before = os.getloadavg()[0]
    compile_s = warm_up()
    spare = second_core()
    rows = nethept_rows(args)
    generated, graph_facts = generated_rows(args) if args.edges > 0 else ([], {})
    rows += generated
    verdicts(rows)
    print_table(rows)
    load = [load_before, os.getloadavg()[0]]
    compared = ratios(rows)
    print("ratios: " + ", ".join(f"{k} {v:.3f}" for k, v in compared.items()))
    budgeted = next(r for r in rows if "k_max" in r)
    print(f"budget: k_max {budgeted['k_max']}, better of the two: "
          f"{next(r['method'] for r in rows if r.get('chosen'))}")
    print(f"RR sets: the selection's plus the sampling phase's; kernels loaded in {compile_s:.1f}"
          f" s; {available_threads()} threads; load average {load[0]:.1f} before, "
          f"{load[1]:.1f} after; a second thread added {spare:.2f} of a core")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    out = {"machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus, "
                      f"python {platform.python_version()}",
           "method_version": INFLUENCE_METHOD_VERSION, "epsilon": EPSILON, "ell": 1.0,
           "check_seed": CHECK_SEED, "select_seed": SELECT_SEED,
           "published_nethept_spread": PUBLISHED_NETHEPT_SPREAD, "kernels_load_s": compile_s,
           "threads": available_threads(), "load_average": load,
           "second_core": spare, "ratios": compared,
           "second_core_note": "what a second thread added to one on a compiled busy loop, at "
                               "the start (1.0: a whole free core)",
           "load_note": "1-minute load before and after the run; on 2 cores anything above 2 "
                        "means other processes shared the machine",
           "generated_graph": graph_facts,
           "select_note": "select_s is the best of select_s_all (wall seconds of the call)",
           "rows": rows}
    args.output.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.output}")
    if any(r.get("met") is False for r in rows):
        print("missed: " + "; ".join(f"{r['graph']} {r['method']}" for r in rows
                                     if r.get("met") is False))


if __name__ == "__main__":
    main()

"""Compiled PageRank for the local engine: power iteration with propagation blocking (numba).

Core's :func:`kolscope.core.discovery.authority.pagerank` is the reference (scipy, float64); this
is the same method made fast for large graphs, and tested to agree with it. Method and
measurements: ``docs/methods/authority.md``.

A plain sparse product reads the rank of each edge's source at a random place: once the rank
vector outgrows the cache, every edge waits on memory. Propagation blocking turns those reads
into streams. Nodes are relabelled by descending out-degree and cut into *bins* of 65,536
targets; once per graph (:func:`prepare`, cached per graph by :func:`prepared`) every edge gets
a fixed *slot*, bin by bin. Each iteration then has two passes:

1. **scatter**: for each source in order, its share ``x[u] / d[u]`` times the edge weight is
   written to the slot of each of its edges; the slots of one bin are written in order, so
   every write goes to one of a few hundred streams;
2. **gather**: bin by bin, the slots are added to their targets in an accumulator of 512 KiB,
   which stays in the core's own cache, and the new ranks, their L1 change and the dangling mass
   are computed in the same pass.

Per edge that is 10 bytes of fixed layout (bin and in-bin target as uint16, weight as float32)
and one 4-byte share written and read back, all in sequence. Sources are cut into chunks and
bins into groups of about equal work that threads take in turn (the compiled passes release the
GIL); every chunk writes its own slots, so no atomics are needed and the sums are added in the
same order on every run.
"""

from __future__ import annotations

import os
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit

from kolscope.core.discovery.authority import (
    DEFAULT_ALPHA,
    DEFAULT_MAX_ITER,
    DEFAULT_TOL,
    checked_adjacency,
    teleport_distribution,
)
from kolscope.errors import ConvergenceError, InvalidInput

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Targets per bin, as a power of two: a float64 accumulator of 2^16 targets is 512 KiB, within
#: the private L2 cache of a core here (1 MiB), and in-bin targets fit in uint16.
BIN_SHIFT = 16
#: Graphs with fewer edges plus nodes run on the calling thread: handing work to threads every
#: iteration costs more than it saves there.
PARALLEL_MIN_SIZE = 200_000
#: The shares that edges carry are float32 when the stopping threshold ``n * tol`` is at least
#: this, 16 times the float32 rounding of a vector summing to 1, so that rounding can neither
#: stall convergence nor show in the result; float64 otherwise.
FLOAT32_MIN_STOP = 1e-6
#: Chunks of sources and groups of bins per thread: more than one lets a thread slowed down by
#: another process on its core leave work to the others.
TASKS_PER_THREAD = 4


def available_threads() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - not Linux


@dataclass(frozen=True)
class BinnedGraph:
    """A graph laid out for propagation blocking, nodes relabelled by descending out-degree.

    The out-edges of new node ``u`` are ``out_ptr[u]:out_ptr[u + 1]``, each with its target's
    ``bins`` and ``weights`` (empty when every weight is equal: the scatter then reads none).
    Slots ``bin_ptr[k]:bin_ptr[k + 1]`` belong to bin ``k``; ``local`` is each slot's target
    within its bin. Sources are cut into chunks ``chunks[c]:chunks[c + 1]`` whose edges to bin
    ``k`` start at slot ``cursors[c, k]``; ``groups`` cuts the bins into runs of about equal
    work. ``inv_out`` is ``1 / d`` per new label (0 for dangling nodes) and ``label[i]`` the new
    label of original node ``i``.
    """

    out_ptr: IntArray
    bins: npt.NDArray[np.uint16]
    weights: npt.NDArray[np.float32]
    local: npt.NDArray[np.uint16]
    bin_ptr: IntArray
    cursors: IntArray
    chunks: IntArray
    groups: IntArray
    inv_out: FloatArray
    label: IntArray

    @property
    def nodes(self) -> int:
        return int(self.inv_out.size)

    @property
    def edges(self) -> int:
        return int(self.bins.size)


def _cuts(work: IntArray, parts: int) -> IntArray:
    """Indices cutting the cumulative ``work`` (starting at 0) into ``parts`` about equal runs."""
    goals = np.linspace(0, work[-1], parts + 1)
    cuts = np.searchsorted(work, goals).astype(np.int64)
    cuts[0], cuts[-1] = 0, work.size - 1
    return np.maximum.accumulate(cuts)


def prepare(adjacency: Any, *, relabel: bool = True, tasks: int | None = None) -> BinnedGraph:
    """Lay out ``adjacency`` (``A[i, j]`` = weight of i → j) for :func:`pagerank`.

    ``relabel=False`` keeps the original node order; ``tasks`` sets the number of source chunks
    and bin groups (default :data:`TASKS_PER_THREAD` per available CPU). Costs O(n log n + m)
    once per graph and 10 bytes per edge; refuses what core's ``pagerank`` refuses.
    """
    a = checked_adjacency(adjacency)
    n = a.shape[0]
    data = a.data.astype(np.float64, copy=False)
    out_weight = np.asarray(a.sum(axis=1), dtype=np.float64).ravel()
    inv = np.divide(1.0, out_weight, out=np.zeros(n), where=out_weight > 0)
    equal = data.size == 0 or bool((data == data[0]).all())
    if equal and data.size:
        inv *= data[0]  # every weight c: shares are x[u] / d[u] * c, and no weight is read
    out_degree = np.diff(a.indptr).astype(np.int64)
    ranked = (np.argsort(-out_degree, kind="stable") if relabel
              else np.arange(n, dtype=np.int64))
    label = np.empty(n, dtype=np.int64)
    label[ranked] = np.arange(n, dtype=np.int64)
    out_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(out_degree[ranked], out=out_ptr[1:])
    count = tasks or TASKS_PER_THREAD * available_threads()
    chunks = _cuts(out_ptr + np.arange(n + 1, dtype=np.int64), count)
    bins, weights, local, cursors, bin_ptr = _binned(a, data, ranked, label, out_ptr, chunks,
                                                     keep_weights=not equal)
    n_bins = bin_ptr.size - 1
    targets = np.minimum(np.arange(n_bins + 1, dtype=np.int64) << BIN_SHIFT, n)
    groups = _cuts(bin_ptr + targets, min(count, max(n_bins, 1)))
    return BinnedGraph(out_ptr=out_ptr, bins=bins, weights=weights, local=local,
                       bin_ptr=bin_ptr, cursors=cursors, chunks=chunks, groups=groups,
                       inv_out=inv[ranked], label=label)


def _binned(a: Any, data: FloatArray, ranked: IntArray, label: IntArray, out_ptr: IntArray,
            chunks: IntArray, *, keep_weights: bool) -> tuple[Any, ...]:
    """Bins, weights and in-bin targets per edge in new source order, then each slot's target;
    chunks write disjoint ranges, so they run side by side."""
    m, n = data.size, label.size
    bins = np.empty(m, dtype=np.uint16)
    low = np.empty(m, dtype=np.uint16)
    weights = np.empty(m if keep_weights else 0, dtype=np.float32)
    local = np.empty(m, dtype=np.uint16)
    n_bins = (n + (1 << BIN_SHIFT) - 1) >> BIN_SHIFT
    counts = np.zeros((chunks.size - 1, max(n_bins, 1)), dtype=np.int64)
    indptr = a.indptr.astype(np.int64, copy=False)

    def binned(c: int) -> None:
        _bin_edges(indptr, a.indices, data, ranked, label, out_ptr, bins, low, weights,
                   chunks[c], chunks[c + 1])
        _count(out_ptr, bins, chunks, c, counts)

    with ThreadPoolExecutor(available_threads()) as pool:
        for _ in pool.map(binned, range(chunks.size - 1)):
            pass
        cursors, bin_ptr = _slots(counts, n_bins)
        for _ in pool.map(lambda c: _place(out_ptr, bins, low, chunks, cursors, c, local),
                          range(chunks.size - 1)):
            pass
    return bins, weights, local, cursors, bin_ptr


def _slots(counts: IntArray, n_bins: int) -> tuple[IntArray, IntArray]:
    """First slot of each (chunk, bin), bin-major, and the slot ranges of the bins, from the
    edges each chunk sends to each bin."""
    flat = counts.T.ravel()  # bin-major: bin 0 of every chunk, then bin 1 ...
    starts = np.zeros(flat.size + 1, dtype=np.int64)
    np.cumsum(flat, out=starts[1:])
    cursors = starts[:-1].reshape(counts.shape[1], counts.shape[0]).T.copy()
    bin_ptr = np.append(starts[:-1:counts.shape[0]], starts[-1])[: n_bins + 1]
    return cursors, np.ascontiguousarray(bin_ptr, dtype=np.int64)


@njit(cache=True, nogil=True)
def _bin_edges(indptr: Any, indices: Any, data: Any, ranked: Any, label: Any, out_ptr: Any,
               bins: Any, low: Any, weights: Any, first: int,
               last: int) -> None:  # pragma: no cover - compiled
    """Out-edges of new sources ``first:last``: each target's bin, place in the bin, weight."""
    keep_weights = weights.size > 0
    for new_u in range(first, last):
        u = ranked[new_u]
        at = out_ptr[new_u]
        for e in range(indptr[u], indptr[u + 1]):
            target = label[indices[e]]
            bins[at] = target >> BIN_SHIFT
            low[at] = target & 0xFFFF
            if keep_weights:
                weights[at] = data[e]
            at += 1


@njit(cache=True, nogil=True)
def _count(out_ptr: Any, bins: Any, chunks: Any, c: int,
           counts: Any) -> None:  # pragma: no cover - compiled
    for e in range(out_ptr[chunks[c]], out_ptr[chunks[c + 1]]):
        counts[c, bins[e]] += 1


@njit(cache=True, nogil=True)
def _place(out_ptr: Any, bins: Any, low: Any, chunks: Any, cursors: Any, c: int,
           local: Any) -> None:  # pragma: no cover - compiled
    """Chunk ``c``'s in-bin targets at their slots: the order the scatter writes shares in."""
    cursor = cursors[c].copy()
    for e in range(out_ptr[chunks[c]], out_ptr[chunks[c + 1]]):
        k = bins[e]
        local[cursor[k]] = low[e]
        cursor[k] += 1


_CACHE: dict[int, BinnedGraph] = {}


def prepared(adjacency: Any) -> BinnedGraph:
    """:func:`prepare` once per adjacency object, kept while that object lives.

    Per-niche PageRank runs many times on one graph; the layout is built for the first run only.
    The adjacency must not be changed in place afterwards (core's ``Graph`` is frozen).
    """
    key = id(adjacency)
    found = _CACHE.get(key)
    if found is None:
        found = prepare(adjacency)
        _CACHE[key] = found
        weakref.finalize(adjacency, _CACHE.pop, key, None)
    return found


def _teleport(personalization: npt.ArrayLike | None, graph: BinnedGraph) -> FloatArray:
    """The teleport vector in new labels, normalised; empty for uniform."""
    if personalization is None:
        return np.zeros(0)
    moved = np.empty(graph.nodes)
    moved[graph.label] = teleport_distribution(personalization, graph.nodes)
    return moved


def _check(alpha: float, tol: float, max_iter: int) -> None:
    if not 0 < alpha < 1:
        raise InvalidInput(f"alpha must lie in (0, 1), got {alpha}", field="alpha")
    if not tol > 0:
        raise InvalidInput(f"tol must be positive, got {tol}", field="tol")
    if max_iter < 1:
        raise InvalidInput(f"max_iter must be at least 1, got {max_iter}", field="max_iter")


class Solution(NamedTuple):
    """What :func:`solve` reached: unnormalised ranks in new labels, iterations, last L1 change."""

    x: FloatArray
    iterations: int
    error: float


def solve(graph: BinnedGraph, *, alpha: float = DEFAULT_ALPHA,
          personalization: npt.ArrayLike | None = None, tol: float = DEFAULT_TOL,
          max_iter: int = DEFAULT_MAX_ITER, threads: int | None = None,
          float32: bool | None = None) -> Solution:
    """The power iterations of :func:`pagerank`, stopping at ``tol`` or ``max_iter``, not raising.

    ``threads`` (default: every available CPU from :data:`PARALLEL_MIN_SIZE` edges plus nodes,
    else 1) and ``float32`` (the type of the shares; default: float32 where ``n * tol`` is at
    least :data:`FLOAT32_MIN_STOP`) override the choices made by size.
    """
    _check(alpha, tol, max_iter)
    n = graph.nodes
    teleport = _teleport(personalization, graph)
    if n == 0:
        return Solution(np.zeros(0), 0, 0.0)
    if threads is None:
        threads = available_threads() if graph.edges + n >= PARALLEL_MIN_SIZE else 1
    narrow = float32 if float32 is not None else n * tol >= FLOAT32_MIN_STOP
    run = _Run(graph, teleport, float(alpha), np.float32 if narrow else np.float64)
    if threads > 1:
        with ThreadPoolExecutor(threads, thread_name_prefix="pagerank") as pool:
            iterations, err = run.threaded(max_iter, n * tol, pool)
    else:
        iterations, err = run.serial(max_iter, n * tol)
    return Solution(run.x, iterations, err)


class _Run:
    """The state of one power iteration: ranks updated in place, shares in their slots."""

    def __init__(self, graph: BinnedGraph, teleport: FloatArray, alpha: float,
                 share_type: type[np.floating[Any]]) -> None:
        self.graph, self.teleport, self.alpha = graph, teleport, alpha
        self.x = np.full(graph.nodes, 1.0 / graph.nodes)
        self.shares = np.empty(graph.edges, dtype=share_type)
        self.dangling = float(self.x[graph.inv_out == 0].sum())
        self.scale = 0.0
        self.accumulators = [np.empty(1 << BIN_SHIFT) for _ in range(graph.groups.size - 1)]

    def scatter(self, chunk: int) -> None:
        g = self.graph
        _scatter(g.out_ptr, g.bins, g.weights, self.x, g.inv_out, g.cursors, g.chunks, chunk,
                 chunk + 1, self.shares)

    def gather(self, group: int) -> tuple[float, float]:
        g = self.graph
        return _gather(g.local, self.shares, g.bin_ptr, g.groups, group, group + 1, self.x,
                       g.inv_out, self.teleport, self.alpha, self.scale,
                       self.accumulators[group])

    def threaded(self, max_iter: int, stop: float,
                 pool: ThreadPoolExecutor) -> tuple[int, float]:
        err = float("inf")
        chunks, groups = range(self.graph.chunks.size - 1), range(self.graph.groups.size - 1)
        for it in range(max_iter):
            self.scale = self.alpha * self.dangling + 1.0 - self.alpha
            for _ in pool.map(self.scatter, chunks):  # every share written before any is read
                pass
            parts = list(pool.map(self.gather, groups))  # in group order: the same sums
            err = float(sum(part[0] for part in parts))
            self.dangling = float(sum(part[1] for part in parts))
            if err < stop:
                return it + 1, err
        return max_iter, err

    def serial(self, max_iter: int, stop: float) -> tuple[int, float]:
        g = self.graph
        iterations, err = _iterate(g.out_ptr, g.bins, g.weights, g.local, g.bin_ptr,
                                   g.cursors, g.chunks, g.groups, self.x, g.inv_out,
                                   self.teleport, self.alpha, self.shares,
                                   self.accumulators[0], max_iter, stop, self.dangling)
        return int(iterations), float(err)


def pagerank(graph: BinnedGraph, *, alpha: float = DEFAULT_ALPHA,
             personalization: npt.ArrayLike | None = None, tol: float = DEFAULT_TOL,
             max_iter: int = DEFAULT_MAX_ITER, threads: int | None = None) -> FloatArray:
    """PageRank of a prepared graph, in original node order: core's method, compiled.

    Same parameters, semantics and errors as :func:`kolscope.core.discovery.authority.pagerank`
    (uniform start, dangling mass along the teleport vector, stop when the L1 change of one
    iteration is below ``n * tol``, :class:`~kolscope.errors.ConvergenceError` after
    ``max_iter``). Ranks are summed in float64 and edge weights stored in float32; the shares
    ``x[u] / d[u] * w`` that edges carry are float32 where ``n * tol`` is at least
    :data:`FLOAT32_MIN_STOP` (large graphs), float64 otherwise. Either moves results by at most
    about 7e-7 in L1 (1e-8 on the tests' graphs) from the float64 reference. ``threads`` as in
    :func:`solve`.
    """
    found = solve(graph, alpha=alpha, personalization=personalization, tol=tol,
                  max_iter=max_iter, threads=threads)
    if graph.nodes and not found.error < graph.nodes * tol:
        raise ConvergenceError(f"PageRank did not converge in {max_iter} iterations",
                               method="pagerank", iterations=found.iterations, error=found.error)
    result: FloatArray = found.x[graph.label]
    return result / float(result.sum()) if result.size else result


@njit(cache=True, nogil=True)
def _scatter(out_ptr: Any, bins: Any, weights: Any, x: Any, inv_out: Any, cursors: Any,
             chunks: Any, first: int, last: int,
             shares: Any) -> None:  # pragma: no cover - compiled
    """Write the share of every edge of chunks ``first:last`` to its slot."""
    weighted = weights.size > 0
    for c in range(first, last):
        cursor = cursors[c].copy()
        for u in range(chunks[c], chunks[c + 1]):
            share = x[u] * inv_out[u]
            if weighted:
                for e in range(out_ptr[u], out_ptr[u + 1]):
                    k = bins[e]
                    shares[cursor[k]] = share * weights[e]
                    cursor[k] += 1
            else:
                for e in range(out_ptr[u], out_ptr[u + 1]):
                    k = bins[e]
                    shares[cursor[k]] = share
                    cursor[k] += 1


@njit(cache=True, nogil=True)
def _gather(local: Any, shares: Any, bin_ptr: Any, groups: Any, first: int, last: int, x: Any,
            inv_out: Any, teleport: Any, alpha: float, scale: float,
            acc: Any) -> tuple[float, float]:  # pragma: no cover - compiled
    """Add the shares of the bins of groups ``first:last`` to their targets; new ranks in place.

    Returns the L1 change and the dangling mass of those targets.
    """
    n = x.size
    uniform = teleport.size == 0
    base = scale / n
    err = 0.0
    dangling = 0.0
    for k in range(groups[first], groups[last]):
        t0 = k << BIN_SHIFT
        width = min(n - t0, 1 << BIN_SHIFT)
        acc[:width] = 0.0
        for i in range(bin_ptr[k], bin_ptr[k + 1]):
            acc[local[i]] += np.float64(shares[i])
        for j in range(width):
            t = t0 + j
            new = alpha * acc[j] + (base if uniform else scale * teleport[t])
            err += abs(new - x[t])
            x[t] = new
            if inv_out[t] == 0.0:
                dangling += new
    return err, dangling


@njit(cache=True, nogil=True)
def _iterate(out_ptr: Any, bins: Any, weights: Any, local: Any, bin_ptr: Any, cursors: Any,
             chunks: Any, groups: Any, x: Any, inv_out: Any, teleport: Any, alpha: float,
             shares: Any, acc: Any, max_iter: int, stop: float,
             dangling: float) -> tuple[int, float]:  # pragma: no cover - compiled
    """Both passes on the calling thread until the L1 change is below ``stop``."""
    err = np.inf
    for it in range(max_iter):
        scale = alpha * dangling + 1.0 - alpha
        _scatter(out_ptr, bins, weights, x, inv_out, cursors, chunks, 0, chunks.size - 1,
                 shares)
        err, dangling = _gather(local, shares, bin_ptr, groups, 0, groups.size - 1, x, inv_out,
                                teleport, alpha, scale, acc)
        if err < stop:
            return it + 1, err
    return max_iter, err

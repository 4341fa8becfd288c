"""Compiled kernels for influence maximisation: RR sets, cascades and counting over RR sets.

Core's :data:`~kolscope.core.planning.influence.NUMPY_KERNELS` is the reference; :data:`KERNELS`
draws from the same distributions and counts the same, faster, and is tested to agree with it.
Pass it as the ``kernels`` of any function of :mod:`kolscope.core.planning.influence`. Method
and measurements: ``docs/methods/influence.md``.

- **Streams per object.** A generator hands over one 64-bit seed per call; RR set (or cascade)
  ``i`` draws from its own SplitMix64 stream, started from a mix of the seed and ``i``. What a
  call returns depends on the generator alone, not on the threads or how work is split.
- **One search per object.** Each RR set is a breadth-first search backwards from its root,
  whose queue is its output. A bit per node (125 KB for a million nodes: the core's own cache)
  says what the current set holds; the set's own nodes clear it afterwards.
- **One read per node.** A 16-byte record per node holds where its in-edges start and end and
  the chance they share, if they do. A node's record is prefetched when it joins the queue and
  its in-edges when it is :data:`LOOKAHEAD` places from the head, so that the waits on memory of
  queued nodes overlap (twice as fast on a million nodes as without).
- **Coins or jumps.** Where a node's in-edges share one chance ``p`` (the weighted cascade gives
  them ``1 / in-degree``) and there are more than :data:`COIN_MAX`, the live ones are found by
  geometric jumps, ``floor(log(U) / log(1 - p))`` edges at a time: the same distribution at a
  cost of one draw per live edge, which keeps hubs of thousands of in-edges cheap. Fewer
  in-edges, or differing chances, toss a coin per edge.
- **Threads.** Objects are cut into chunks, several per thread, that threads take in turn (the
  compiled loops release the GIL); results are joined in chunk order.
"""

from __future__ import annotations

import itertools
import math
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from kolscope.adapters.engines.kernels import available_threads
from kolscope.core.planning.influence import Cascade, IntArray, NodeArray, RRSets
from kolscope.errors import EngineError

FloatArray = npt.NDArray[np.float64]

#: Calls for fewer RR sets, or fewer cascades times seeds, than these run on the calling thread.
PARALLEL_MIN_SETS = 4_096
PARALLEL_MIN_SEED_RUNS = 4_096
#: Counting over fewer entries of RR sets than this runs on the calling thread.
PARALLEL_MIN_ENTRIES = 1_000_000
#: Nodes with at most this many in-edges of one chance toss a coin per edge; above it, the
#: live edges are found by geometric jumps (two logarithms each, and one more to stop).
COIN_MAX = 32
#: How far ahead of the head of a search the edges of a queued node are prefetched.
LOOKAHEAD = 3
#: How far ahead of the entry being uncovered its node's gain is prefetched.
UNCOVER_AHEAD = 32
#: Chunks per thread, so that a thread slowed by another process leaves work to the others.
TASKS_PER_THREAD = 4

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S11, _S27, _S30, _S31 = np.uint64(11), np.uint64(27), np.uint64(30), np.uint64(31)
_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always")
def _mix(z: Any) -> Any:  # pragma: no cover - compiled
    """SplitMix64's finaliser."""
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def _stream(seed: Any, i: int) -> Any:  # pragma: no cover - compiled
    """The start of object ``i``'s stream."""
    return _mix(seed ^ _mix(np.uint64(i) * _GOLDEN + _GOLDEN))


@njit(cache=True, inline="always")
def _uniform(state: Any) -> tuple[Any, float]:  # pragma: no cover - compiled
    """The next state and a float in [0, 1)."""
    state = state + _GOLDEN
    return state, float(_mix(state) >> _S11) * _UNIT


def _prefetch_intrinsic(typingctx: Any, array: Any,
                        index: Any) -> Any:  # pragma: no cover - compiled
    """Ask the CPU to start loading ``array[index]`` into its caches (LLVM's prefetch)."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        kind = signature.args[0]
        view = context.make_array(kind)(context, builder, args[0])
        at = context.cast(builder, args[1], signature.args[1], types.intp)
        pointer = _cgutils.get_item_pointer(context, builder, kind, view, [at], wraparound=False)
        byte_pointer = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        function = _cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte_pointer, i32, i32, i32]),
            "llvm.prefetch.p0")
        # read, keep in all cache levels, data
        builder.call(function, [builder.bitcast(pointer, byte_pointer), ir.Constant(i32, 0),
                                ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return types.void(array, index), codegen


_prefetch: Any = intrinsic(_prefetch_intrinsic)
_cgutils: Any = cgutils


@njit(cache=True, inline="always")
def _claim(bits: Any, node: int) -> bool:  # pragma: no cover - compiled
    """Set ``node``'s bit; whether it was clear."""
    word, bit = node >> 6, np.uint64(1) << np.uint64(node & 63)
    if bits[word] & bit:
        return False
    bits[word] |= bit
    return True


@njit(cache=True)
def _grown(out: Any, used: int, room: int) -> Any:  # pragma: no cover - compiled
    """``out`` with space for ``room`` more after ``used``: itself, or a copy twice as big."""
    size = out.size
    while used + room > size:
        size *= 2
    if size == out.size:
        return out
    grown = np.empty(size, dtype=np.int32)
    grown[:used] = out[:used]
    return grown


@njit(cache=True, nogil=True)
def _rr_chunk(record: Any, in_src: Any, in_prob: Any, seed: Any, first: int, last: int,
              bits: Any, coin_max: int) -> tuple[Any, Any]:  # pragma: no cover - compiled
    """RR sets ``first:last``: their sizes and their nodes, one set after another.

    A node's record is prefetched when it joins the queue, and its in-edges when it is
    :data:`LOOKAHEAD` places from the head: most of the waiting on memory then overlaps.
    """
    chance, flat = record.view(np.float64), record.ravel()
    n = record.shape[0]
    sizes = np.empty(last - first, dtype=np.int64)
    out = np.empty(max(1024, 8 * (last - first)), dtype=np.int32)
    used = 0
    for i in range(first, last):
        state, u = _uniform(_stream(seed, i))
        root = min(int(u * n), n - 1)
        begin = used
        _claim(bits, root)
        out[used] = root
        used += 1
        head = begin
        while head < used:
            v = out[head]
            if head + LOOKAHEAD < used:
                _prefetch(in_src, record[out[head + LOOKAHEAD], 0])
            head += 1
            lo, hi, p = record[v, 0], record[v, 1], chance[v, 1]
            if used + hi - lo > out.size:
                out = _grown(out, used, hi - lo)
            if p < 0.0:  # chances differ: a coin per edge
                for e in range(lo, hi):
                    state, u = _uniform(state)
                    if u < in_prob[e] and _claim(bits, in_src[e]):
                        _prefetch(flat, 4 * in_src[e])
                        out[used] = in_src[e]
                        used += 1
            elif hi - lo <= coin_max or p >= 1.0:
                for e in range(lo, hi):
                    state, u = _uniform(state)
                    if u < p and _claim(bits, in_src[e]):
                        _prefetch(flat, 4 * in_src[e])
                        out[used] = in_src[e]
                        used += 1
            elif p > 0.0:  # the next live edge after a geometric number of dead ones
                log_q, e = math.log1p(-p), lo
                while True:
                    state, u = _uniform(state)
                    jump = math.log(1.0 - u) / log_q
                    if jump >= hi - e:
                        break
                    e += int(jump)
                    if _claim(bits, in_src[e]):
                        _prefetch(flat, 4 * in_src[e])
                        out[used] = in_src[e]
                        used += 1
                    e += 1
        for j in range(begin, used):
            bits[out[j] >> 6] = 0
        sizes[i - first] = used - begin
    return sizes, out[:used]


@njit(cache=True, nogil=True)
def _spread_chunk(out_ptr: Any, out_dst: Any, out_prob: Any, seeds: Any, seed: Any,
                  first: int, last: int, bits: Any,
                  queue: Any) -> Any:  # pragma: no cover - compiled
    """The number of nodes activated in cascades ``first:last`` of ``seeds``."""
    counts = np.empty(last - first, dtype=np.int64)
    for r in range(first, last):
        state = _stream(seed, r)
        used = 0
        for s in seeds:
            if _claim(bits, s):
                queue[used] = s
                used += 1
        head = 0
        while head < used:
            v = queue[head]
            if head + LOOKAHEAD < used:
                ahead = out_ptr[queue[head + LOOKAHEAD]]
                _prefetch(out_dst, ahead)
                _prefetch(out_prob, ahead)
            head += 1
            for e in range(out_ptr[v], out_ptr[v + 1]):
                w = out_dst[e]
                if not bits[w >> 6] & (np.uint64(1) << np.uint64(w & 63)):
                    state, u = _uniform(state)
                    if u < out_prob[e]:
                        _claim(bits, w)
                        _prefetch(out_ptr, w)
                        queue[used] = w
                        used += 1
        for j in range(used):
            bits[queue[j] >> 6] = 0
        counts[r - first] = used
    return counts


@njit(cache=True, nogil=True)
def _count(nodes: Any, first: int, last: int, counts: Any) -> None:  # pragma: no cover
    for j in range(first, last):
        counts[nodes[j]] += 1


@njit(cache=True, nogil=True)
def _member_lists(offsets: Any, nodes: Any, row: Any,
                  rows: int) -> tuple[Any, Any]:  # pragma: no cover - compiled
    """Counting sort of the entries of candidate nodes by row: pointers and set ids.

    A bit per node marks the candidates, so that the entries of the others (most of them)
    cost a read of the core's own cache.
    """
    marked = np.zeros((row.size + 63) // 64, dtype=np.uint64)
    for v in range(row.size):
        if row[v] >= 0:
            marked[v >> 6] |= np.uint64(1) << np.uint64(v & 63)
    ptr = np.zeros(rows + 1, dtype=np.int64)
    for j in range(nodes.size):
        v = nodes[j]
        if marked[v >> 6] & (np.uint64(1) << np.uint64(v & 63)):
            ptr[row[v] + 1] += 1
    for r in range(rows):
        ptr[r + 1] += ptr[r]
    ids = np.empty(ptr[rows], dtype=np.int32)
    cursor = ptr[:-1].copy()
    for s in range(offsets.size - 1):
        for j in range(offsets[s], offsets[s + 1]):
            v = nodes[j]
            if marked[v >> 6] & (np.uint64(1) << np.uint64(v & 63)):
                r = row[v]
                ids[cursor[r]] = s
                cursor[r] += 1
    return ptr, ids


@njit(cache=True, nogil=True)
def _uncover(offsets: Any, nodes: Any, covered: Any,
             gain: Any) -> None:  # pragma: no cover - compiled
    for s in covered:
        lo, hi = offsets[s], offsets[s + 1]
        for j in range(lo, hi):
            if j + UNCOVER_AHEAD < hi:
                _prefetch(gain, nodes[j + UNCOVER_AHEAD])
            gain[nodes[j]] -= 1


def equal_in_chances(model: Cascade) -> FloatArray:
    """Per node, the chance all its in-edges share, or -1 where they differ (0 with none)."""
    equal = np.zeros(model.nodes)
    has = np.flatnonzero(np.diff(model.in_ptr))
    if has.size:
        starts = model.in_ptr[has]
        high = np.maximum.reduceat(model.in_prob, starts)
        low = np.minimum.reduceat(model.in_prob, starts)
        equal[has] = np.where(high == low, high, -1.0)
    return equal


def node_records(model: Cascade) -> npt.NDArray[np.int32]:
    """One 16-byte record per node, read at once: where its in-edges start and end (int32),
    and the chance they share, or -1 (:func:`equal_in_chances`; float64, as ``.view``)."""
    if model.in_ptr[-1] >= 2**31:
        raise EngineError("the compiled sampler takes graphs of fewer than 2**31 edges; use "
                          "core's numpy sampler", engine="influence")
    record = np.empty((model.nodes, 4), dtype=np.int32)
    record[:, 0] = model.in_ptr[:-1]
    record[:, 1] = model.in_ptr[1:]
    record.view(np.float64)[:, 1] = equal_in_chances(model)
    return record


_RECORDS: dict[int, npt.NDArray[np.int32]] = {}


def _records(model: Cascade) -> npt.NDArray[np.int32]:
    """:func:`node_records`, once per model while the model lives."""
    key = id(model)
    found = _RECORDS.get(key)
    if found is None:
        found = node_records(model)
        _RECORDS[key] = found
        weakref.finalize(model, _RECORDS.pop, key, None)
    return found


def _bits(nodes: int) -> npt.NDArray[np.uint64]:
    return np.zeros((nodes + 63) // 64, dtype=np.uint64)


def _chunks(count: int, threads: int, smallest: int) -> list[tuple[int, int]]:
    tasks = 1 if threads == 1 or count < smallest else threads * TASKS_PER_THREAD
    bounds = np.linspace(0, count, tasks + 1).astype(np.int64)
    return [(int(a), int(b)) for a, b in itertools.pairwise(bounds) if b > a]


class NumbaKernels:
    """Compiled :class:`~kolscope.core.planning.influence.Kernels`; ``threads`` defaults to
    every CPU this process may use."""

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads

    def _map(self, work: Any, count: int, smallest: int) -> list[Any]:
        threads = self.threads or available_threads()
        chunks = _chunks(count, threads, smallest)
        if len(chunks) <= 1:
            return [work(*c) for c in chunks]
        with ThreadPoolExecutor(threads, thread_name_prefix="influence") as pool:
            return list(pool.map(lambda c: work(*c), chunks))

    def rr_sets(self, model: Cascade, count: int, rng: np.random.Generator) -> RRSets:
        if count <= 0 or model.nodes == 0:
            return RRSets.from_sizes([], [])
        seed, record = _seed(rng), _records(model)

        def work(first: int, last: int) -> tuple[IntArray, NodeArray]:
            sizes, nodes = _rr_chunk(record, model.in_src, model.in_prob, seed, first, last,
                                     _bits(model.nodes), COIN_MAX)
            return sizes, nodes

        parts = self._map(work, count, PARALLEL_MIN_SETS)
        return RRSets.from_sizes([p[0] for p in parts], [p[1] for p in parts])

    def spreads(self, model: Cascade, seeds: NodeArray, runs: int,
                rng: np.random.Generator) -> IntArray:
        if seeds.size == 0 or runs <= 0:
            return np.zeros(max(runs, 0), dtype=np.int64)
        seed, start = _seed(rng), np.ascontiguousarray(seeds, dtype=np.int32)

        def work(first: int, last: int) -> IntArray:
            counts: IntArray = _spread_chunk(
                model.out_ptr, model.out_dst, model.out_prob, start, seed, first, last,
                _bits(model.nodes), np.empty(model.nodes, dtype=np.int32))
            return counts

        return np.concatenate(self._map(work, runs, -(-PARALLEL_MIN_SEED_RUNS // start.size)))

    def node_counts(self, sets: RRSets, nodes: int) -> IntArray:
        threads = self.threads or available_threads()
        if sets.nodes.size < PARALLEL_MIN_ENTRIES:
            threads = 1
        bounds = np.linspace(0, sets.nodes.size, threads + 1).astype(np.int64)

        def work(part: int) -> npt.NDArray[np.int32]:
            counts = np.zeros(nodes, dtype=np.int32)  # half the cache of int64
            _count(sets.nodes, int(bounds[part]), int(bounds[part + 1]), counts)
            return counts

        if threads == 1:
            return work(0).astype(np.int64)
        with ThreadPoolExecutor(threads, thread_name_prefix="influence") as pool:
            parts = list(pool.map(work, range(threads)))
        total = parts[0].astype(np.int64)
        for part in parts[1:]:
            total += part
        return total

    def member_lists(self, sets: RRSets, row: NodeArray,
                     rows: int) -> tuple[IntArray, NodeArray]:
        ptr, ids = _member_lists(sets.offsets, sets.nodes, row, rows)
        return ptr, ids

    def uncover(self, sets: RRSets, covered: npt.NDArray[np.integer],
                gain: IntArray) -> None:
        _uncover(sets.offsets, sets.nodes, covered, gain)


def _seed(rng: np.random.Generator) -> np.uint64:
    return np.uint64(rng.integers(0, 2**63, dtype=np.int64))


KERNELS = NumbaKernels()

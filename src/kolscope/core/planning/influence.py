"""Influence spread under the independent-cascade model, and the seed sets that maximise it.

A seed set's *spread* is the expected number of accounts it activates when each edge u → v,
once u is active, activates v with its own probability, once and independently (Kempe et al.
2003). Seeds are chosen on reverse-reachable (RR) sets (Borgs et al. 2014), as many as IMM
(Tang et al. 2015) needs for its guarantee: for a number of seeds (:func:`imm`), or for per-KOL
costs and a budget (:func:`budgeted_imm`). Every spread claim is checked by
:func:`monte_carlo_spread` on fresh randomness, never on the samples that chose the seeds.
Method: ``docs/methods/influence.md``.

Randomness is injected: every function takes a ``numpy.random.Generator``. The heavy loops
(drawing RR sets and cascades, counting over RR sets) go through :class:`Kernels`;
:data:`NUMPY_KERNELS` is the pure-numpy reference, and adapters supply compiled kernels that
draw from the same distributions and count the same.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.special import gammaln, logsumexp

from kolscope.core.discovery.graph import Graph
from kolscope.errors import InvalidInput

INFLUENCE_METHOD_VERSION = "imm-1"
DEFAULT_EPSILON = 0.1
DEFAULT_ELL = 1.0
#: What greedy max coverage guarantees for a number of seeds: 1 - 1/e of the best coverage.
GREEDY_FACTOR = 1.0 - 1.0 / math.e
#: What the better of cost-ratio and plain greedy guarantees under a budget: half of that.
BUDGETED_FACTOR = GREEDY_FACTOR / 2.0

IntArray = npt.NDArray[np.int64]
NodeArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Cascades of one batch of the numpy kernels advance together; this many start nodes a batch.
_BATCH_KEYS = 1 << 16
#: Subtracted from the gain of a node greedy may no longer pick: below any count of RR sets.
_CLOSED = np.int64(1 << 50)


# --- the model ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Cascade:
    """A graph under the independent-cascade model: its live-edge chances in both directions.

    The out-edges of ``u`` are ``out_ptr[u]:out_ptr[u + 1]`` (targets ``out_dst``, chances
    ``out_prob``); the in-edges of ``v`` are ``in_ptr[v]:in_ptr[v + 1]`` (sources ``in_src``,
    chances ``in_prob``). Edges of chance 0 are left out; parallel edges are kept, each its own
    chance.
    """

    nodes: int
    out_ptr: IntArray
    out_dst: NodeArray
    out_prob: FloatArray
    in_ptr: IntArray
    in_src: NodeArray
    in_prob: FloatArray


def cascade(graph: Graph, probs: npt.ArrayLike) -> Cascade:
    """The independent-cascade model of ``graph`` with one activation chance per edge.

    Parameters
    ----------
    graph : Graph
        Its CSR ``adjacency`` gives the edges u → v ("u influences v"); weights are not read.
    probs : array_like
        The chance of each edge, in the order of ``graph.adjacency.indices``; in [0, 1].

    Returns
    -------
    Cascade
        Both directions of the live-edge chances, for the kernels.

    Raises
    ------
    InvalidInput
        A non-square or non-CSR adjacency, or ``probs`` of the wrong length or outside [0, 1].
    """
    a = graph.adjacency
    if not sparse.issparse(a) or a.format != "csr" or a.shape[0] != a.shape[1]:
        raise InvalidInput("the graph's adjacency must be a square CSR matrix", field="graph")
    p = np.asarray(probs, dtype=np.float64)
    if p.shape != (a.nnz,):
        raise InvalidInput(f"probs must have one entry per edge ({a.nnz}), got shape {p.shape}",
                           field="probs")
    if p.size and not (np.isfinite(p).all() and p.min() >= 0.0 and p.max() <= 1.0):
        raise InvalidInput("edge probabilities must lie in [0, 1]", field="probs")
    n = int(a.shape[0])
    some_zero = bool(p.size and p.min() == 0.0)
    forward = sparse.csr_matrix((p, a.indices, a.indptr), shape=(n, n), copy=some_zero)
    if some_zero:
        forward.eliminate_zeros()
    backward = forward.tocsc()
    return Cascade(nodes=n, out_ptr=forward.indptr.astype(np.int64, copy=False),
                   out_dst=forward.indices.astype(np.int32, copy=False), out_prob=forward.data,
                   in_ptr=backward.indptr.astype(np.int64, copy=False),
                   in_src=backward.indices.astype(np.int32, copy=False),
                   in_prob=np.asarray(backward.data, dtype=np.float64))


def weighted_cascade(graph: Graph) -> FloatArray:
    """Weighted-cascade chances: each edge u → v gets one over the number of edges into v.

    Examples
    --------
    >>> from scipy import sparse
    >>> a = sparse.csr_matrix(([1.0, 1.0, 1.0], ([0, 1, 0], [2, 2, 1])), shape=(3, 3))
    >>> weighted_cascade(Graph(np.arange(3), a)).tolist()
    [1.0, 0.5, 0.5]

    References
    ----------
    .. [1] D. Kempe, J. Kleinberg and É. Tardos, "Maximizing the Spread of Influence through a
       Social Network", KDD 2003.
    """
    a = graph.adjacency
    in_degree = np.bincount(a.indices, minlength=a.shape[0])
    return np.asarray(1.0 / in_degree[a.indices], dtype=np.float64)


# --- random objects -----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class RRSets:
    """Reverse-reachable sets: set ``i`` holds ``nodes[offsets[i]:offsets[i + 1]]``, each once.

    The RR set of a root ``v`` is every node that reaches ``v`` by live edges in one random
    draw of the live-edge graph; a seed set covers it exactly when the seeds would activate
    ``v`` in that draw.
    """

    offsets: IntArray
    nodes: NodeArray

    @property
    def count(self) -> int:
        return int(self.offsets.size - 1)

    @classmethod
    def from_sizes(cls, sizes: list[IntArray], nodes: list[NodeArray]) -> RRSets:
        """The sets of the given sizes, one after another, their nodes concatenated."""
        offsets = np.zeros(sum(s.size for s in sizes) + 1, dtype=np.int64)
        if sizes:
            np.cumsum(np.concatenate(sizes), out=offsets[1:])
        flat = (np.concatenate(nodes).astype(np.int32, copy=False) if nodes
                else np.zeros(0, dtype=np.int32))
        return cls(offsets=offsets, nodes=flat)

    def joined(self, other: RRSets) -> RRSets:
        """These sets followed by ``other``'s."""
        offsets = np.concatenate((self.offsets, other.offsets[1:] + self.offsets[-1]))
        return RRSets(offsets=offsets, nodes=np.concatenate((self.nodes, other.nodes)))


class Kernels(Protocol):
    """The heavy loops of the method: drawing from the model's distributions, and counting
    over RR sets. :data:`NUMPY_KERNELS` is the reference; compiled ones must agree with it."""

    def rr_sets(self, model: Cascade, count: int, rng: np.random.Generator) -> RRSets:
        """``count`` independent RR sets, each of a root drawn uniformly from the nodes."""
        ...

    def spreads(self, model: Cascade, seeds: NodeArray, runs: int,
                rng: np.random.Generator) -> IntArray:
        """The number of nodes ``seeds`` activate in each of ``runs`` independent cascades."""
        ...

    def node_counts(self, sets: RRSets, nodes: int) -> IntArray:
        """How many of ``sets`` hold each node."""
        ...

    def member_lists(self, sets: RRSets, row: NodeArray,
                     rows: int) -> tuple[IntArray, NodeArray]:
        """For each ``r < rows``, the sets holding the node ``v`` with ``row[v] == r``, in
        ascending order, as CSR (pointers, set ids); nodes with ``row[v] < 0`` are left out."""
        ...

    def uncover(self, sets: RRSets, covered: npt.NDArray[np.integer],
                gain: IntArray) -> None:
        """Take one off ``gain[v]`` for every node ``v`` of every set in ``covered``."""
        ...


def _ranges(starts: IntArray, lengths: IntArray) -> tuple[IntArray, IntArray]:
    """Every index of the ranges ``starts[i]:starts[i] + lengths[i]`` in order, and its ``i``."""
    owner = np.repeat(np.arange(starts.size), lengths)
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if ends.size else 0
    return np.arange(total) + np.repeat(starts - ends + lengths, lengths), owner


def _reach(ptr: IntArray, nbr: NodeArray, prob: FloatArray, keys: IntArray, n: int,
           rng: np.random.Generator) -> IntArray:
    """Sorted keys ``group * n + node`` of all that the start ``keys`` reach by live edges.

    Cascades of many groups advance together, a level a step; every node of a group enters a
    level once, so each of its edges is tried once.
    """
    seen = np.unique(keys)
    frontier = seen
    while frontier.size:
        group, node = np.divmod(frontier, n)
        edge, owner = _ranges(ptr[node], ptr[node + 1] - ptr[node])
        live = rng.random(edge.size) < prob[edge]
        found = np.unique(group[owner[live]] * n + nbr[edge[live]])
        at = np.minimum(np.searchsorted(seen, found), seen.size - 1)
        frontier = found[seen[at] != found]
        seen = np.sort(np.concatenate((seen, frontier)), kind="stable")
    return seen


class NumpyKernels:
    """The reference kernels in numpy; cascades of a batch advance level by level together."""

    def rr_sets(self, model: Cascade, count: int, rng: np.random.Generator) -> RRSets:
        n, sizes, nodes = model.nodes, [], []
        if n == 0:
            return RRSets.from_sizes([], [])
        for start in range(0, count, _BATCH_KEYS):
            size = min(_BATCH_KEYS, count - start)
            roots = rng.integers(0, n, size=size)
            keys = _reach(model.in_ptr, model.in_src, model.in_prob,
                          np.arange(size, dtype=np.int64) * n + roots, n, rng)
            group, node = np.divmod(keys, n)
            sizes.append(np.bincount(group, minlength=size).astype(np.int64))
            nodes.append(node.astype(np.int32))
        return RRSets.from_sizes(sizes, nodes)

    def spreads(self, model: Cascade, seeds: NodeArray, runs: int,
                rng: np.random.Generator) -> IntArray:
        if seeds.size == 0:
            return np.zeros(runs, dtype=np.int64)
        n, batch = model.nodes, max(1, _BATCH_KEYS // seeds.size)
        counts = []
        for start in range(0, runs, batch):
            size = min(batch, runs - start)
            keys = (np.arange(size, dtype=np.int64)[:, None] * n + seeds[None, :]).ravel()
            reached = _reach(model.out_ptr, model.out_dst, model.out_prob, keys, n, rng)
            counts.append(np.bincount(reached // n, minlength=size).astype(np.int64))
        return np.concatenate(counts)

    def node_counts(self, sets: RRSets, nodes: int) -> IntArray:
        return np.bincount(sets.nodes, minlength=nodes).astype(np.int64)

    def member_lists(self, sets: RRSets, row: NodeArray,
                     rows: int) -> tuple[IntArray, NodeArray]:
        where = row[sets.nodes]
        keep = where >= 0
        kept = np.zeros(sets.count + 1, dtype=np.int64)
        if sets.count:
            np.cumsum(np.add.reduceat(keep, sets.offsets[:-1], dtype=np.int64), out=kept[1:])
        by_set = sparse.csr_matrix((np.ones(int(kept[-1]), dtype=np.bool_), where[keep], kept),
                                   shape=(sets.count, rows)).tocsc()
        return by_set.indptr.astype(np.int64), by_set.indices.astype(np.int32)

    def uncover(self, sets: RRSets, covered: npt.NDArray[np.integer],
                gain: IntArray) -> None:
        offsets = sets.offsets
        entries, _ = _ranges(offsets[covered], offsets[covered + 1] - offsets[covered])
        members = sets.nodes[entries]
        if members.size * 8 >= gain.size:
            gain -= np.bincount(members, minlength=gain.size)
        else:
            np.subtract.at(gain, members, 1)


NUMPY_KERNELS: Kernels = NumpyKernels()


# --- checks ---------------------------------------------------------------------------------------

def _nodes(values: npt.ArrayLike | None, n: int, field: str) -> IntArray:
    """Node positions given as ``field``: integers in [0, n), each once, in the order given."""
    if values is None:
        return np.zeros(0, dtype=np.int64)
    a = np.asarray(values)
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    if a.ndim != 1 or not np.issubdtype(a.dtype, np.integer):
        raise InvalidInput(f"{field} must be a list of node positions", field=field)
    if a.min() < 0 or a.max() >= n:
        raise InvalidInput(f"{field} must be node positions in [0, {n})", field=field)
    if np.unique(a).size != a.size:
        raise InvalidInput(f"{field} must not repeat a node", field=field)
    return a.astype(np.int64)


def _positive_int(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InvalidInput(f"{field} must be a whole number of at least 1, got {value!r}",
                           field=field)
    return int(value)


def _check_accuracy(epsilon: float, ell: float, max_rr_sets: int | None) -> None:
    if not 0.0 < epsilon < 1.0:
        raise InvalidInput(f"epsilon must lie in (0, 1), got {epsilon}", field="epsilon")
    if not (math.isfinite(ell) and ell > 0.0):
        raise InvalidInput(f"ell must be positive, got {ell}", field="ell")
    if max_rr_sets is not None:
        _positive_int(max_rr_sets, "max_rr_sets")


# --- checking a spread --------------------------------------------------------------------------

@dataclass(frozen=True)
class SpreadEstimate:
    """A Monte-Carlo estimate of a spread: mean activated nodes and its standard error."""

    mean: float
    stderr: float
    runs: int


def monte_carlo_spread(graph: Graph, probs: npt.ArrayLike, seeds: npt.ArrayLike, runs: int,
                       rng: np.random.Generator, *,
                       kernels: Kernels | None = None) -> SpreadEstimate:
    """The spread of ``seeds`` estimated by simulating ``runs`` independent cascades.

    The independent check of every spread claim: give it a generator that chose nothing.

    Parameters
    ----------
    graph, probs
        The model, as for :func:`cascade`.
    seeds : array_like of int
        Node positions in the graph, each once (``Graph.index_of`` maps account ids).
    runs : int
        Cascades to simulate, at least 1.
    rng : numpy.random.Generator
        The randomness of the simulations.
    kernels : Kernels, optional
        Simulate the cascades; :data:`NUMPY_KERNELS` by default.

    Returns
    -------
    SpreadEstimate
        The mean number of activated nodes (seeds included) and its standard error (``nan``
        for one run).

    Raises
    ------
    InvalidInput
        A bad model, seeds out of range or repeated, ``runs`` below 1.

    Examples
    --------
    On a path 0 → 1 → 2 with certain edges, node 0 activates all three:

    >>> from scipy import sparse
    >>> path = Graph(np.arange(3), sparse.csr_matrix(([1.0, 1.0], ([0, 1], [1, 2])),
    ...                                                shape=(3, 3)))
    >>> monte_carlo_spread(path, [1.0, 1.0], [0], 10, np.random.default_rng(0)).mean
    3.0

    References
    ----------
    .. [1] D. Kempe, J. Kleinberg and É. Tardos, "Maximizing the Spread of Influence through a
       Social Network", KDD 2003.
    """
    model = cascade(graph, probs)
    chosen = _nodes(seeds, model.nodes, "seeds").astype(np.int32)
    runs = _positive_int(runs, "runs")
    counts = (kernels or NUMPY_KERNELS).spreads(model, chosen, runs, rng).astype(np.float64)
    stderr = float(counts.std(ddof=1) / math.sqrt(runs)) if runs > 1 else math.nan
    return SpreadEstimate(mean=float(counts.mean()), stderr=stderr, runs=runs)


def rr_sets(graph: Graph, probs: npt.ArrayLike, count: int, rng: np.random.Generator, *,
            kernels: Kernels | None = None) -> RRSets:
    """``count`` independent RR sets of the model, for :func:`rr_spread`."""
    model = cascade(graph, probs)
    return (kernels or NUMPY_KERNELS).rr_sets(model, _positive_int(count, "count"), rng)


def rr_spread(sets: RRSets, seeds: npt.ArrayLike, nodes: int) -> float:
    """The spread of ``seeds`` estimated on ``sets``: ``nodes`` times the share they cover.

    Unbiased on sets drawn independently of the seeds (Borgs et al. 2014); optimistic on the
    sets that chose them.

    Examples
    --------
    >>> sets = RRSets(offsets=np.array([0, 2, 3]), nodes=np.array([0, 1, 2], dtype=np.int32))
    >>> rr_spread(sets, [1], nodes=3)
    1.5
    """
    chosen = _nodes(seeds, nodes, "seeds")
    mask = np.zeros(nodes, dtype=np.bool_)
    mask[chosen] = True
    owner = np.repeat(np.arange(sets.count), np.diff(sets.offsets))
    hit = np.zeros(sets.count, dtype=np.bool_)
    hit[owner[mask[sets.nodes]]] = True
    return float(nodes * hit.sum() / max(sets.count, 1))


# --- greedy max coverage over RR sets -----------------------------------------------------------

@dataclass(frozen=True)
class _Plan:
    """What may be picked: forced nodes first, then up to ``picks`` of the ``open`` nodes."""

    forced: IntArray
    open: BoolArray
    picks: int
    #: Log of how many seed sets the sample must be accurate for (IMM's union bound).
    log_sets: float
    costs: FloatArray | None = None
    budget: float = math.inf


#: Nodes whose RR sets are listed up front: this many per seed to pick, and at least the minimum.
_CANDIDATES_PER_PICK = 16
_MIN_CANDIDATES = 1024


def _top(score: npt.NDArray[np.int64] | FloatArray, count: int) -> IntArray:
    """The ``count`` nodes of the highest scores (all of them when there are no more)."""
    if count >= score.size:
        return np.arange(score.size, dtype=np.int64)
    return np.argpartition(-score, count)[:count].astype(np.int64)


@dataclass(frozen=True, eq=False)
class _Index:
    """RR sets, how many each node is in, and the sets of the *candidates*, the nodes likeliest
    to be picked: ``member_sets[member_ptr[r]:member_ptr[r + 1]]`` for the node in row
    ``r = row[v]`` (-1 for the rest, whose sets are found by a scan when one is picked)."""

    sets: RRSets
    counts: IntArray
    row: npt.NDArray[np.int32]
    member_ptr: IntArray
    member_sets: NodeArray
    kernels: Kernels

    @classmethod
    def of(cls, sets: RRSets, nodes: int, plan: _Plan, kernels: Kernels,
           counts: IntArray | None = None) -> _Index:
        """Candidates: the forced nodes, those in most sets and, with costs, those in most sets
        per cost; :data:`_CANDIDATES_PER_PICK` per pick of each kind. ``counts``, how many
        sets hold each node, when known already."""
        wanted = max(_MIN_CANDIDATES, _CANDIDATES_PER_PICK * plan.picks)
        if counts is None:
            counts = kernels.node_counts(sets, nodes)
        chosen = np.union1d(plan.forced, _top(counts, wanted))
        if plan.costs is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                per_cost = np.where(counts > 0, counts / plan.costs, 0.0)
            chosen = np.union1d(chosen, _top(per_cost, wanted))
        row = np.full(nodes, -1, dtype=np.int32)
        row[chosen] = np.arange(chosen.size, dtype=np.int32)
        member_ptr, member_sets = kernels.member_lists(sets, row, chosen.size)
        return cls(sets=sets, counts=counts, row=row, member_ptr=member_ptr,
                   member_sets=member_sets, kernels=kernels)

    @property
    def nodes(self) -> int:
        return int(self.counts.size)

    def sets_of(self, node: int) -> npt.NDArray[np.integer]:
        """The RR sets that hold ``node``."""
        r = int(self.row[node])
        if r >= 0:
            return self.member_sets[self.member_ptr[r]:self.member_ptr[r + 1]]
        entries = np.flatnonzero(self.sets.nodes == node)
        return np.searchsorted(self.sets.offsets, entries, side="right") - 1


class _Coverage:
    """Greedy state: for each node, how many RR sets not yet covered it is in (its gain).

    Gains are kept exact: when a pick covers sets, every node of those sets loses one per set,
    so each entry of the RR sets is visited once over a whole run. A node that may no longer be
    picked has :data:`_CLOSED` taken off its gain.
    """

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.gain = index.counts.copy()
        self.covered = np.zeros(index.sets.count, dtype=np.bool_)
        self.closed = np.zeros(index.nodes, dtype=np.bool_)

    def close(self, nodes: IntArray) -> None:
        nodes = nodes[~self.closed[nodes]]
        self.closed[nodes] = True
        self.gain[nodes] -= _CLOSED

    def take(self, node: int) -> int:
        """Pick ``node``: cover its sets, update the gains; the number of sets newly covered."""
        ix = self.index
        found = ix.sets_of(node)
        new = found[~self.covered[found]]
        self.covered[new] = True
        ix.kernels.uncover(ix.sets, new, self.gain)
        self.close(np.array([node], dtype=np.int64))
        return int(new.size)

    def best(self) -> int:
        """The open node of the largest gain (the first on ties); -1 when none gains."""
        v = int(np.argmax(self.gain))
        return v if self.gain[v] > 0 else -1

    def best_ratio(self, costs: FloatArray, free: IntArray, paid: IntArray) -> int:
        """The open node of the largest gain per cost: free nodes first, by gain."""
        if free.size:
            i = int(np.argmax(self.gain[free]))
            if self.gain[free[i]] > 0:
                return int(free[i])
        if not paid.size:
            return -1
        ratio = self.gain[paid] / costs[paid]
        i = int(np.argmax(ratio))
        return int(paid[i]) if ratio[i] > 0 else -1


@dataclass(frozen=True)
class _Picks:
    """A rule's seeds in pick order, with the RR sets each newly covered."""

    rule: str
    seeds: IntArray
    newly: IntArray

    @property
    def covered(self) -> int:
        return int(self.newly.sum())


def _start(index: _Index, plan: _Plan) -> tuple[_Coverage, list[int], list[int]]:
    """Coverage after the forced nodes, with every node greedy may not pick closed."""
    coverage = _Coverage(index)
    seeds = [int(v) for v in plan.forced]
    newly = [coverage.take(v) for v in seeds]
    coverage.close(np.flatnonzero(~plan.open))
    return coverage, seeds, newly


def _greedy(index: _Index, plan: _Plan) -> _Picks:
    """Plain greedy max coverage: ``plan.picks`` times the node that covers most new sets."""
    coverage, seeds, newly = _start(index, plan)
    for _ in range(plan.picks):
        v = coverage.best()
        if v < 0:
            break
        seeds.append(v)
        newly.append(coverage.take(v))
    return _Picks("greedy", np.array(seeds, dtype=np.int64), np.array(newly, dtype=np.int64))


def _budgeted(index: _Index, plan: _Plan, *, ratio: bool) -> _Picks:
    """Greedy within the budget, by gain per cost (``ratio``) or by gain alone."""
    assert plan.costs is not None
    costs = plan.costs
    coverage, seeds, newly = _start(index, plan)
    by_cost = np.argsort(costs, kind="stable")
    sorted_costs, fitting = costs[by_cost], costs.size
    free, paid = np.flatnonzero(costs == 0), np.flatnonzero(costs > 0)
    while len(seeds) - plan.forced.size < plan.picks:
        remaining = plan.budget - math.fsum(costs[seeds])
        now = int(np.searchsorted(sorted_costs, remaining, side="right"))
        coverage.close(by_cost[now:fitting])
        fitting = now
        v = coverage.best_ratio(costs, free, paid) if ratio else coverage.best()
        if v < 0:
            break
        seeds.append(v)
        newly.append(coverage.take(v))
    return _Picks("cost-ratio" if ratio else "greedy", np.array(seeds, dtype=np.int64),
                  np.array(newly, dtype=np.int64))


# --- IMM ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Accuracy:
    epsilon: float
    ell: float
    factor: float
    max_rr_sets: int | None


@dataclass(frozen=True)
class _Sample:
    """How the RR sets were sized."""

    rr_sets: int
    sampling_rr_sets: int
    lower_bound: float
    guaranteed: bool


def _bounds(n: int, log_sets: float, accuracy: _Accuracy) -> tuple[float, float, float]:
    """IMM's λ' (sampling phase), λ* (final sets times a lower bound on the optimum) and ε'.

    With the approximation factor γ of the selection rule in place of 1 - 1/e throughout.
    """
    eps, gamma = accuracy.epsilon, accuracy.factor
    log_n = math.log(n) if n > 1 else 0.0
    ell = accuracy.ell * (1.0 + math.log(2.0) / log_n) if log_n > 0 else accuracy.ell
    eps_p = math.sqrt(2.0) * eps
    log_log = math.log(max(math.log2(max(n, 1)), 1.0))
    lam_p = (2.0 + 2.0 * eps_p / 3.0) * (log_sets + ell * log_n + log_log) * n / eps_p**2
    alpha = math.sqrt(ell * log_n + math.log(2.0))
    beta = math.sqrt(gamma * (log_sets + ell * log_n + math.log(2.0)))
    lam_s = 2.0 * n * (gamma * alpha + beta) ** 2 / eps**2
    return lam_p, lam_s, eps_p


Rules = Callable[[_Index], list[_Picks]]


def _capped(count: float, accuracy: _Accuracy) -> tuple[int, bool]:
    wanted = max(1, math.ceil(count))
    cap = accuracy.max_rr_sets
    return (wanted, False) if cap is None or wanted <= cap else (cap, True)


def _lower_bound(model: Cascade, plan: _Plan, rules: Rules, accuracy: _Accuracy,
                 rng: np.random.Generator, kernels: Kernels) -> tuple[float, int, bool]:
    """IMM's sampling phase: a lower bound on the best spread, the sets drawn, whether capped.

    Halves a guess ``x`` of the optimum until the selection covers enough of ``λ'/x`` sets.
    """
    n = model.nodes
    lam_p, _, eps_p = _bounds(n, plan.log_sets, accuracy)
    floor = float(plan.forced.size + plan.picks)  # so many seeds activate at least themselves
    sets, capped = RRSets.from_sizes([], []), False
    counts = np.zeros(n, dtype=np.int64)
    for i in range(1, max(2, math.ceil(math.log2(max(n, 1))))):
        x = n / 2.0**i
        wanted, cut = _capped(lam_p / x, accuracy)
        capped |= cut
        if wanted > sets.count:
            more = kernels.rr_sets(model, wanted - sets.count, rng)
            counts += kernels.node_counts(more, n)
            sets = sets.joined(more)
        covered = max(p.covered for p in rules(_Index.of(sets, n, plan, kernels, counts)))
        if n * covered / sets.count >= (1.0 + eps_p) * x:
            return max(n * covered / sets.count / (1.0 + eps_p), floor), sets.count, capped
        if cut:
            break
    return max(floor, 1.0), sets.count, capped


def _sized_sets(model: Cascade, plan: _Plan, rules: Rules, accuracy: _Accuracy,
                rng: np.random.Generator, kernels: Kernels) -> tuple[RRSets, _Sample]:
    """RR sets as many as IMM needs for ``plan`` under ``rules``, drawn afresh after sizing."""
    if plan.picks == 0 and plan.forced.size == 0:
        return (RRSets.from_sizes([], []),
                _Sample(rr_sets=0, sampling_rr_sets=0, lower_bound=0.0, guaranteed=True))
    lower, drawn, capped = _lower_bound(model, plan, rules, accuracy, rng, kernels)
    _, lam_s, _ = _bounds(model.nodes, plan.log_sets, accuracy)
    theta, cut = _capped(lam_s / lower, accuracy)
    sets = kernels.rr_sets(model, theta, rng)
    return sets, _Sample(rr_sets=theta, sampling_rr_sets=drawn, lower_bound=lower,
                         guaranteed=not (capped or cut))


def _imm(model: Cascade, plan: _Plan, rules: Rules, accuracy: _Accuracy,
         rng: np.random.Generator, kernels: Kernels) -> tuple[list[_Picks], _Sample]:
    """Size the RR sets as IMM does, draw them afresh and select on them by every rule."""
    sets, sample = _sized_sets(model, plan, rules, accuracy, rng, kernels)
    return rules(_Index.of(sets, model.nodes, plan, kernels)), sample


@dataclass(frozen=True)
class SeedSelection:
    """Seeds chosen on RR sets, each with the spread it adds: the explanation of every pick.

    Attributes
    ----------
    seeds : numpy.ndarray
        Node positions in the order picked, forced nodes first.
    gains : numpy.ndarray
        The estimated spread each seed adds to those before it (nodes); they sum to ``spread``.
    spread : float
        The estimated spread, ``n`` times the share of ``rr_sets`` the seeds cover. Measured on
        the sets that chose the seeds, it leans high: check it with :func:`monte_carlo_spread`.
    cost : float
        The seeds' total cost (0 without costs).
    rule : str
        ``"greedy"`` (largest gain first) or ``"cost-ratio"`` (largest gain per cost first).
    rr_sets : int
        RR sets the seeds were chosen on, drawn after and apart from ``sampling_rr_sets``.
    sampling_rr_sets : int
        RR sets drawn to find ``lower_bound``, then set aside.
    lower_bound : float
        The lower bound on the best spread that sized ``rr_sets``.
    sized_for : int
        The most seeds (forced ones included) the sample was sized for.
    guaranteed : bool
        False when ``max_rr_sets`` held the sample below what the guarantee needs.
    epsilon, ell : float
        The accuracy asked for.
    method_version : str
        :data:`INFLUENCE_METHOD_VERSION`.
    """

    seeds: IntArray
    gains: FloatArray
    spread: float
    cost: float
    rule: str
    rr_sets: int
    sampling_rr_sets: int
    lower_bound: float
    sized_for: int
    guaranteed: bool
    epsilon: float
    ell: float
    method_version: str = INFLUENCE_METHOD_VERSION


def _selection(picks: _Picks, sample: _Sample, plan: _Plan, accuracy: _Accuracy,
               n: int) -> SeedSelection:
    scale = n / sample.rr_sets if sample.rr_sets else 0.0
    cost = math.fsum(plan.costs[picks.seeds]) if plan.costs is not None else 0.0
    return SeedSelection(
        seeds=picks.seeds, gains=picks.newly.astype(np.float64) * scale,
        spread=picks.covered * scale, cost=cost, rule=picks.rule, rr_sets=sample.rr_sets,
        sampling_rr_sets=sample.sampling_rr_sets,
        lower_bound=sample.lower_bound, sized_for=plan.forced.size + plan.picks,
        guaranteed=sample.guaranteed, epsilon=accuracy.epsilon, ell=accuracy.ell)


def _log_choose(n: int, k: int) -> float:
    return float(gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1))


def _constraints(n: int, forced: npt.ArrayLike | None,
                 excluded: npt.ArrayLike | None) -> tuple[IntArray, BoolArray]:
    """The forced nodes and the mask of the others greedy may pick."""
    must = _nodes(forced, n, "forced")
    never = _nodes(excluded, n, "excluded")
    if np.intersect1d(must, never).size:
        raise InvalidInput("a node cannot be both forced and excluded", field="forced")
    allowed = np.ones(n, dtype=np.bool_)
    allowed[must] = False
    allowed[never] = False
    return must, allowed


def imm(graph: Graph, probs: npt.ArrayLike, k: int, rng: np.random.Generator, *,
        epsilon: float = DEFAULT_EPSILON, ell: float = DEFAULT_ELL,
        forced: npt.ArrayLike | None = None, excluded: npt.ArrayLike | None = None,
        kernels: Kernels | None = None, max_rr_sets: int | None = None) -> SeedSelection:
    """The ``k`` seeds of (nearly) largest spread, by IMM: greedy max coverage on RR sets.

    Parameters
    ----------
    graph, probs
        The model, as for :func:`cascade`.
    k : int
        Seeds to choose, forced ones included; at least 1. Fewer come back when fewer nodes
        may be picked, or when no further node covers a new RR set.
    rng : numpy.random.Generator
        The randomness of the RR sets.
    epsilon, ell : float
        Accuracy: the guarantee holds up to ``epsilon`` with probability ``1 - n**-ell``.
    forced : array_like of int, optional
        Nodes always in the seed set (picked first, in this order).
    excluded : array_like of int, optional
        Nodes never picked.
    kernels : Kernels, optional
        Draw and count the RR sets; :data:`NUMPY_KERNELS` by default.
    max_rr_sets : int, optional
        The most RR sets to draw at once; when it binds, ``guaranteed`` is False.

    Returns
    -------
    SeedSelection
        Seeds in pick order with the spread each adds, the estimated spread and the sample.

    Raises
    ------
    InvalidInput
        A bad model, ``k`` below 1, more forced nodes than ``k``, a node both forced and
        excluded, ``epsilon`` outside (0, 1) or a non-positive ``ell``.

    Notes
    -----
    The sampling phase halves a guess of the optimum until greedy covers enough RR sets; the
    lower bound it yields sizes the final sample, which is drawn afresh (Chen 2018) and greedy
    picks on it. The result's spread is at least ``(1 - 1/e - epsilon)`` times the best of any
    ``k``-seed set with the forced nodes and none of the excluded, with probability at least
    ``1 - n**-ell``.

    References
    ----------
    .. [1] Y. Tang, Y. Shi and X. Xiao, "Influence Maximization in Near-Linear Time: A
       Martingale Approach", SIGMOD 2015.
    .. [2] C. Borgs, M. Brautbar, J. Chayes and B. Lucier, "Maximizing Social Influence in
       Nearly Optimal Time", SODA 2014.
    .. [3] W. Chen, "An Issue in the Martingale Analysis of the Influence Maximization
       Algorithm IMM", CSoNet 2018.
    """
    model = cascade(graph, probs)
    k = _positive_int(k, "k")
    _check_accuracy(epsilon, ell, max_rr_sets)
    must, allowed = _constraints(model.nodes, forced, excluded)
    if must.size > k:
        raise InvalidInput(f"{must.size} forced nodes do not fit in k = {k}", field="forced")
    picks = min(k - must.size, int(allowed.sum()))
    plan = _Plan(forced=must, open=allowed, picks=picks,
                 log_sets=_log_choose(int(allowed.sum()), picks))
    accuracy = _Accuracy(epsilon, ell, GREEDY_FACTOR, max_rr_sets)
    found, sample = _imm(model, plan, lambda index: [_greedy(index, plan)], accuracy, rng,
                         kernels or NUMPY_KERNELS)
    return _selection(found[0], sample, plan, accuracy, model.nodes)


@dataclass(frozen=True)
class BudgetedSelection:
    """Cost-ratio and plain greedy on the same RR sets, and the better of the two.

    Attributes
    ----------
    best : SeedSelection
        The one of ``cost_ratio`` and ``greedy`` that covers more RR sets (the cheaper on ties).
    cost_ratio, greedy : SeedSelection
        Seeds by the largest gain per cost, and by the largest gain, within the budget.
    budget : float
        The budget.
    k_max : int
        The most nodes besides the forced ones that fit in the budget (the cheapest ones); the
        sample was sized for sets of that many.
    """

    best: SeedSelection
    cost_ratio: SeedSelection
    greedy: SeedSelection
    budget: float
    k_max: int


def _budget_plan(n: int, costs: npt.ArrayLike, budget: float, forced: npt.ArrayLike | None,
                 excluded: npt.ArrayLike | None) -> _Plan:
    """Forced, open and affordable nodes; ``picks`` is k_max, the cheapest that fit."""
    c = np.asarray(costs, dtype=np.float64)
    if c.shape != (n,):
        raise InvalidInput(f"costs must have one entry per node ({n}), got shape {c.shape}",
                           field="costs")
    if not (np.isfinite(c).all() and (c >= 0).all()):
        raise InvalidInput("costs must be finite and non-negative", field="costs")
    if not (math.isfinite(budget) and budget >= 0):
        raise InvalidInput(f"the budget must be finite and non-negative, got {budget}",
                           field="budget")
    must, allowed = _constraints(n, forced, excluded)
    left = budget - math.fsum(c[must])
    if left < 0:
        raise InvalidInput("the forced nodes cost more than the budget", field="forced")
    cheapest = np.sort(c[allowed])
    k_max = int(np.searchsorted(np.cumsum(cheapest), left, side="right"))
    sizes = np.arange(k_max + 1)
    log_sets = float(logsumexp(gammaln(cheapest.size + 1) - gammaln(sizes + 1)
                               - gammaln(cheapest.size - sizes + 1)))
    return _Plan(forced=must, open=allowed, picks=k_max, log_sets=log_sets, costs=c,
                 budget=float(budget))


def _budgeted_setup(graph: Graph, probs: npt.ArrayLike, costs: npt.ArrayLike, budget: float,
                    forced: npt.ArrayLike | None, excluded: npt.ArrayLike | None,
                    epsilon: float, ell: float, max_rr_sets: int | None
                    ) -> tuple[Cascade, _Plan, _Accuracy, Rules]:
    """The model, plan and accuracy of a budgeted run, and its two rules (by cost ratio and by
    plain gain) that size the sample."""
    model = cascade(graph, probs)
    _check_accuracy(epsilon, ell, max_rr_sets)
    plan = _budget_plan(model.nodes, costs, budget, forced, excluded)

    def rules(index: _Index) -> list[_Picks]:
        return [_budgeted(index, plan, ratio=True), _budgeted(index, plan, ratio=False)]

    return model, plan, _Accuracy(epsilon, ell, BUDGETED_FACTOR, max_rr_sets), rules


def budgeted_imm(graph: Graph, probs: npt.ArrayLike, costs: npt.ArrayLike, budget: float,
                 rng: np.random.Generator, *, epsilon: float = DEFAULT_EPSILON,
                 ell: float = DEFAULT_ELL, forced: npt.ArrayLike | None = None,
                 excluded: npt.ArrayLike | None = None, kernels: Kernels | None = None,
                 max_rr_sets: int | None = None) -> BudgetedSelection:
    """Seeds of (nearly) largest spread whose costs fit in ``budget``: IMM with costs.

    Cost-ratio greedy (largest gain per cost that still fits) and plain greedy (largest gain
    that still fits) run on the same RR sets, sized as IMM sizes them for ``k_max`` seeds, the
    most of the cheapest nodes that fit; the better of the two is ``best``.

    Parameters
    ----------
    graph, probs
        The model, as for :func:`cascade`.
    costs : array_like of float
        The cost of each node; finite and non-negative. Free nodes are picked first.
    budget : float
        The most the seeds may cost together, forced ones included.
    rng : numpy.random.Generator
        The randomness of the RR sets.
    epsilon, ell, forced, excluded, kernels, max_rr_sets
        As for :func:`imm`.

    Returns
    -------
    BudgetedSelection
        Both selections and the better one; each pick's gain explains it.

    Raises
    ------
    InvalidInput
        A bad model, ``costs`` of the wrong length, negative or not finite, a negative budget,
        forced nodes over the budget, and the rest as for :func:`imm`.

    Notes
    -----
    On the RR sets the better of the two covers at least ``(1 - 1/e) / 2`` of the best
    coverage within the budget [3]_; the sample sizes of [1]_ with that factor make the result's
    spread at least ``((1 - 1/e) / 2 - epsilon)`` times the best within the budget, with
    probability at least ``1 - n**-ell``. Plain greedy's first pick is the best single node
    that fits, so the better of the two also holds the guarantee of [4]_.

    References
    ----------
    .. [1] Y. Tang, Y. Shi and X. Xiao, "Influence Maximization in Near-Linear Time: A
       Martingale Approach", SIGMOD 2015.
    .. [2] H. T. Nguyen, M. T. Thai and T. N. Dinh, "Stop-and-Stare: Optimal Sampling
       Algorithms for Viral Marketing in Billion-scale Networks", SIGMOD 2016.
    .. [3] J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen and N. Glance,
       "Cost-effective Outbreak Detection in Networks", KDD 2007.
    .. [4] S. Khuller, A. Moss and J. Naor, "The Budgeted Maximum Coverage Problem",
       Information Processing Letters 70(1), 1999.
    """
    model, plan, accuracy, rules = _budgeted_setup(graph, probs, costs, budget, forced,
                                                   excluded, epsilon, ell, max_rr_sets)
    (by_ratio, by_gain), sample = _imm(model, plan, rules, accuracy, rng,
                                       kernels or NUMPY_KERNELS)
    ratio_pick = _selection(by_ratio, sample, plan, accuracy, model.nodes)
    gain_pick = _selection(by_gain, sample, plan, accuracy, model.nodes)
    better = by_gain.covered > by_ratio.covered or (
        by_gain.covered == by_ratio.covered and gain_pick.cost < ratio_pick.cost)
    return BudgetedSelection(best=gain_pick if better else ratio_pick, cost_ratio=ratio_pick,
                             greedy=gain_pick, budget=float(budget), k_max=plan.picks)


@dataclass(frozen=True, eq=False)
class InfluenceSample:
    """RR sets sized by IMM for a budgeted selection, for a planner with its own constraints.

    Attributes
    ----------
    sets : RRSets
        Drawn after and apart from the sets that sized them.
    nodes : int
        Nodes of the graph; a seed set's spread is ``nodes`` times the share it covers.
    lower_bound, sampling_rr_sets, guaranteed
        As in :class:`SeedSelection`.
    k_max : int
        The most of the cheapest open nodes that fit in the budget: what the sample is sized for.
    """

    sets: RRSets
    nodes: int
    lower_bound: float
    sampling_rr_sets: int
    k_max: int
    guaranteed: bool
    epsilon: float
    ell: float
    method_version: str = INFLUENCE_METHOD_VERSION


def budgeted_sample(graph: Graph, probs: npt.ArrayLike, costs: npt.ArrayLike, budget: float,
                    rng: np.random.Generator, *, epsilon: float = DEFAULT_EPSILON,
                    ell: float = DEFAULT_ELL, excluded: npt.ArrayLike | None = None,
                    kernels: Kernels | None = None,
                    max_rr_sets: int | None = None) -> InfluenceSample:
    """The RR sets :func:`budgeted_imm` would choose on, without choosing.

    A planner whose constraints go beyond a budget (tier mix, platform shares) picks on these
    sets itself; they are sized, as in :func:`budgeted_imm`, for ``k_max`` seeds, the most the
    budget can buy. Arguments as for :func:`budgeted_imm`.
    """
    model, plan, accuracy, rules = _budgeted_setup(graph, probs, costs, budget, None, excluded,
                                                   epsilon, ell, max_rr_sets)
    sets, sample = _sized_sets(model, plan, rules, accuracy, rng, kernels or NUMPY_KERNELS)
    return InfluenceSample(sets=sets, nodes=model.nodes, lower_bound=sample.lower_bound,
                           sampling_rr_sets=sample.sampling_rr_sets, k_max=plan.picks,
                           guaranteed=sample.guaranteed, epsilon=epsilon, ell=ell)


# --- baselines ------------------------------------------------------------------------------------

def top_degree(graph: Graph, probs: npt.ArrayLike, k: int, *, weighted: bool = True,
               excluded: npt.ArrayLike | None = None) -> IntArray:
    """The ``k`` nodes of largest out-degree, a baseline: by default weighted by the chances.

    The weighted out-degree of ``u`` is the sum of its out-edges' chances: the expected number
    of nodes it activates directly. Ties go to the lower position.

    Examples
    --------
    >>> from scipy import sparse
    >>> a = sparse.csr_matrix(([1.0, 1.0, 1.0], ([0, 0, 1], [1, 2, 2])), shape=(3, 3))
    >>> top_degree(Graph(np.arange(3), a), [0.1, 0.1, 0.9], 1).tolist()
    [1]
    >>> top_degree(Graph(np.arange(3), a), [0.1, 0.1, 0.9], 1, weighted=False).tolist()
    [0]
    """
    model = cascade(graph, probs)
    k = _positive_int(k, "k")
    n = model.nodes
    if weighted:
        score = np.bincount(np.repeat(np.arange(n), np.diff(model.out_ptr)),
                            weights=model.out_prob, minlength=n)
    else:
        score = np.diff(graph.adjacency.indptr).astype(np.float64)
    score[_nodes(excluded, n, "excluded")] = -np.inf
    order = np.argsort(-score, kind="stable")
    return order[:min(k, int(np.isfinite(score).sum()))].astype(np.int64)


@dataclass(frozen=True)
class GreedyTrace:
    """Seeds chosen by Monte-Carlo greedy, with the spread each added and the work it took."""

    seeds: IntArray
    gains: FloatArray
    spread: float
    evaluations: int
    runs: int


def celf(graph: Graph, probs: npt.ArrayLike, k: int, runs: int, rng: np.random.Generator, *,
         kernels: Kernels | None = None) -> GreedyTrace:
    """Greedy on Monte-Carlo spreads with lazy evaluations (CELF), a baseline.

    Each evaluation simulates ``runs`` cascades of the seeds so far plus a candidate. By
    submodularity a gain only shrinks as seeds are added, so a candidate's old gain bounds its
    new one: the candidates wait in a heap by their last gain, and only the top one is
    evaluated again until it stays on top.

    Parameters
    ----------
    graph, probs
        The model, as for :func:`cascade`.
    k : int
        Seeds to choose; at least 1.
    runs : int
        Cascades simulated per evaluation; at least 1.
    rng : numpy.random.Generator
        The randomness of the simulations.
    kernels : Kernels, optional
        Simulate the cascades; :data:`NUMPY_KERNELS` by default.

    Returns
    -------
    GreedyTrace
        Seeds in pick order, the simulated gain of each, their sum and the evaluations made.

    References
    ----------
    .. [1] J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen and N. Glance,
       "Cost-effective Outbreak Detection in Networks", KDD 2007.
    .. [2] D. Kempe, J. Kleinberg and É. Tardos, "Maximizing the Spread of Influence through a
       Social Network", KDD 2003.
    """
    model = cascade(graph, probs)
    k, runs = _positive_int(k, "k"), _positive_int(runs, "runs")
    draw = kernels or NUMPY_KERNELS

    def spread(nodes: list[int]) -> float:
        return float(draw.spreads(model, np.array(nodes, dtype=np.int32), runs, rng).mean())

    heap = [(-spread([v]), v, 0) for v in range(model.nodes)]
    heapq.heapify(heap)
    seeds: list[int] = []
    gains: list[float] = []
    evaluations = model.nodes
    while heap and len(seeds) < k:
        negative, v, fresh_at = heapq.heappop(heap)
        if fresh_at == len(seeds):
            seeds.append(v)
            gains.append(-negative)
            continue
        heapq.heappush(heap, (-(spread([*seeds, v]) - math.fsum(gains)), v, len(seeds)))
        evaluations += 1
    return GreedyTrace(seeds=np.array(seeds, dtype=np.int64), gains=np.array(gains),
                       spread=math.fsum(gains), evaluations=evaluations, runs=runs)

"""The interaction graph: who endorses whom, weighted by the kind and the age of each interaction.

An edge i → j says account i endorses account j: i commented on j's post, i's post mentioned or
tagged j, or brand i sponsored creator j. Method: ``docs/methods/authority.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
from scipy import sparse

from kolscope.errors import InvalidInput

GRAPH_METHOD_VERSION = "graph-1"
HALF_LIFE_DAYS = 180.0
_DAY = 86_400.0


class EdgeKind(IntEnum):
    """Kinds of interaction, as stored codes."""

    COMMENT = 0  # commenter → post author
    MENTION = 1  # post author → @mentioned account
    TAG = 2  # post author → tagged account
    SPONSORSHIP = 3  # brand → sponsored creator


DEFAULT_WEIGHTS: dict[EdgeKind, float] = {
    EdgeKind.COMMENT: 1.0, EdgeKind.MENTION: 2.0, EdgeKind.TAG: 1.5, EdgeKind.SPONSORSHIP: 0.5}


def edge_weights(kinds: npt.NDArray[np.integer], times: npt.NDArray[np.floating], *,
                 weights: dict[EdgeKind, float] | None = None,
                 half_life_days: float = HALF_LIFE_DAYS) -> npt.NDArray[np.float64]:
    """Weight of each interaction: its kind's weight, halved every ``half_life_days`` of age.

    Age is counted back from the newest interaction, not from today, so an archive scraped years
    ago keeps the relative recency of its interactions. Undated interactions count as the oldest
    dated one.

    Examples
    --------
    >>> edge_weights(np.array([0, 1]), np.array([0.0, 180 * 86_400.0])).tolist()
    [0.5, 2.0]
    """
    _check_half_life(half_life_days)
    base: npt.NDArray[np.float64] = kind_weights(weights)[kinds]
    known = ~np.isnan(times)
    if not known.any():
        return base
    filled = np.where(known, times, np.nanmin(times))
    return base * decay(filled, float(np.nanmax(times)), half_life_days=half_life_days)


def kind_weights(weights: dict[EdgeKind, float] | None = None) -> npt.NDArray[np.float64]:
    """The weight of each edge kind, indexed by its code: the defaults with ``weights`` over them.

    Examples
    --------
    >>> kind_weights({EdgeKind.TAG: 3.0}).tolist()
    [1.0, 2.0, 3.0, 0.5]
    """
    table = {**DEFAULT_WEIGHTS, **(weights or {})}
    return np.array([table[k] for k in EdgeKind], dtype=np.float64)


def decay(times: npt.ArrayLike, reference: float, *,
          half_life_days: float = HALF_LIFE_DAYS) -> npt.NDArray[np.float64]:
    """How much interactions at ``times`` count at ``reference``: halved every half-life of age.

    The one definition of recency: :func:`edge_weights` uses it, and so does an incremental graph
    build, which stores sums of decays at one reference time and moves them to a later one with
    ``decay(old_reference, new_reference)``: since ``0.5 ** (a + b) == 0.5 ** a * 0.5 ** b``, the
    moved sum equals the sum recomputed at the new reference, up to rounding.

    Parameters
    ----------
    times : array_like
        Epoch seconds of the interactions (or of an older reference time).
    reference : float
        Epoch seconds at which ages are counted (the newest interaction).
    half_life_days : float
        Age in days at which an interaction counts half; must be positive.

    Returns
    -------
    numpy.ndarray
        ``0.5 ** (age_days / half_life_days)``, 1 at the reference, above 1 after it.

    Examples
    --------
    >>> decay([0.0, 90 * 86_400.0], 180 * 86_400.0, half_life_days=90).tolist()
    [0.25, 0.5]
    """
    _check_half_life(half_life_days)
    age_days = (reference - np.asarray(times, dtype=np.float64)) / _DAY
    return np.asarray(np.power(0.5, age_days / half_life_days), dtype=np.float64)


def aggregate_weights(kinds: npt.NDArray[np.integer], decayed: npt.NDArray[np.floating],
                      undated: npt.NDArray[np.integer], *, undated_decay: float,
                      weights: dict[EdgeKind, float] | None = None) -> npt.NDArray[np.float64]:
    """Weights of aggregated typed edges: what :func:`edge_weights` sums to, per (i, j, kind).

    An aggregated edge keeps the sum of the :func:`decay` of its dated interactions and the count
    of its undated ones; undated interactions count as the oldest dated one, whose decay is
    ``undated_decay`` (1 when nothing is dated).

    Parameters
    ----------
    kinds : numpy.ndarray
        Edge kind codes (:class:`EdgeKind`).
    decayed : numpy.ndarray
        Sum of the decays of each edge's dated interactions at the reference time.
    undated : numpy.ndarray
        Number of each edge's undated interactions.
    undated_decay : float
        Decay of the oldest dated interaction at the reference time.
    weights : dict, optional
        Kind weights over :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    numpy.ndarray
        ``kind_weight × (decayed + undated × undated_decay)``.

    Examples
    --------
    >>> aggregate_weights(np.array([0, 1]), np.array([1.5, 0.0]), np.array([1, 2]),
    ...                   undated_decay=0.5).tolist()
    [2.0, 2.0]
    """
    total = np.asarray(decayed, dtype=np.float64) + undated * undated_decay
    return np.asarray(kind_weights(weights)[kinds] * total, dtype=np.float64)


def _check_half_life(half_life_days: float) -> None:
    if half_life_days <= 0:
        raise InvalidInput("the half-life must be positive", field="half_life_days")


@dataclass(frozen=True)
class Graph:
    """A weighted directed graph over accounts: ``adjacency[i, j]`` is the weight of i → j."""

    node_ids: npt.NDArray[np.int64]
    adjacency: sparse.csr_matrix

    @property
    def edges(self) -> int:
        return int(self.adjacency.nnz)

    def index_of(self, account_ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Positions of ``account_ids`` in the graph; -1 for accounts not in it."""
        pos = np.searchsorted(self.node_ids, account_ids)
        pos = np.clip(pos, 0, max(len(self.node_ids) - 1, 0))
        found = (len(self.node_ids) > 0) & (self.node_ids[pos] == account_ids)
        return np.where(found, pos, -1).astype(np.int64)


def build_graph(sources: npt.NDArray[np.int64], targets: npt.NDArray[np.int64],
                weights: npt.NDArray[np.float64],
                extra_nodes: npt.NDArray[np.int64] | None = None) -> Graph:
    """The graph of the given edges (parallel edges summed, self-loops dropped).

    ``extra_nodes`` are accounts to include even without edges (creators nobody interacted with).
    """
    if not len(sources) == len(targets) == len(weights):
        raise InvalidInput("sources, targets and weights must have one entry per edge")
    keep = sources != targets
    sources, targets, weights = sources[keep], targets[keep], weights[keep]
    pool = [sources, targets] + ([extra_nodes] if extra_nodes is not None else [])
    node_ids = np.unique(np.concatenate(pool)).astype(np.int64)
    n = len(node_ids)
    rows = np.searchsorted(node_ids, sources)
    cols = np.searchsorted(node_ids, targets)
    adjacency = sparse.csr_matrix((weights, (rows, cols)), shape=(n, n), dtype=np.float64)
    adjacency.sum_duplicates()
    return Graph(node_ids=node_ids, adjacency=adjacency)


@dataclass(frozen=True)
class Degrees:
    """Per node, in graph order: edges in and out (counts) and their summed weights (strength)."""

    in_degree: npt.NDArray[np.int64]
    out_degree: npt.NDArray[np.int64]
    in_strength: npt.NDArray[np.float64]
    out_strength: npt.NDArray[np.float64]


def degrees(adjacency: sparse.csr_matrix | sparse.csr_array) -> Degrees:
    """In- and out-degree and in- and out-strength of every node.

    The reference that every graph engine's ``degrees`` agrees with: how many accounts an account
    endorses and is endorsed by, and with what total weight.

    Parameters
    ----------
    adjacency : scipy.sparse matrix
        Square; ``A[i, j] > 0`` is an edge i → j of that weight. Weights must be finite and
        non-negative.

    Returns
    -------
    Degrees
        int64 edge counts and float64 weight sums per node. Parallel entries count as one edge
        (their weights summed); zero-weight entries count as none.

    Raises
    ------
    InvalidInput
        A matrix that is not sparse and square, or has negative or non-finite weights.

    Examples
    --------
    1 and 2 endorse 0, 2 twice as strongly:

    >>> g = sparse.csr_array(([1.0, 2.0], ([1, 2], [0, 0])), shape=(3, 3))
    >>> d = degrees(g)
    >>> d.in_degree.tolist(), d.out_degree.tolist(), d.in_strength.tolist()
    ([2, 0, 0], [0, 1, 1], [3.0, 0.0, 0.0])

    Notes
    -----
    Out-degree and out-strength are the row counts and sums of the CSR matrix, in-degree and
    in-strength the column ones; O(n + m). PageRank divides by out-strength; a node with none
    is dangling.
    """
    if not sparse.issparse(adjacency) or adjacency.ndim != 2 or (
            adjacency.shape[0] != adjacency.shape[1]):
        raise InvalidInput("adjacency must be a square 2-D scipy sparse matrix", field="adjacency")
    a = sparse.csr_array(adjacency, dtype=np.float64, copy=True)
    a.sum_duplicates()
    if a.data.size and not (np.isfinite(a.data).all() and a.data.min() >= 0):
        raise InvalidInput("edge weights must be finite and non-negative", field="adjacency")
    a.eliminate_zeros()
    n = a.shape[0]
    return Degrees(
        in_degree=np.bincount(a.indices, minlength=n).astype(np.int64),
        out_degree=np.diff(a.indptr).astype(np.int64),
        in_strength=np.bincount(a.indices, weights=a.data, minlength=n).astype(np.float64),
        out_strength=np.asarray(a.sum(axis=1), dtype=np.float64).ravel())

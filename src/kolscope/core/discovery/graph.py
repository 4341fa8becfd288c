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
    if half_life_days <= 0:
        raise InvalidInput("the half-life must be positive", field="half_life_days")
    table = {**DEFAULT_WEIGHTS, **(weights or {})}
    by_kind = np.array([table[k] for k in EdgeKind], dtype=np.float64)
    base: npt.NDArray[np.float64] = by_kind[kinds]
    known = ~np.isnan(times)
    if not known.any():
        return base
    filled = np.where(known, times, np.nanmin(times))
    age_days = (np.nanmax(times) - filled) / _DAY
    return np.asarray(base * np.power(0.5, age_days / half_life_days), dtype=np.float64)


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

"""Discovery use cases: authority of KOLs in the workspace's interaction graph."""

from __future__ import annotations

import time

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from kolscope.app.models import AuthorityRow
from kolscope.app.ports import Clock, CreatorAccounts, GraphEngine, UnitOfWorkFactory
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.authority import AUTHORITY_METHOD_VERSION, percentile_ranks
from kolscope.core.discovery.graph import HALF_LIFE_DAYS, Graph, build_graph, edge_weights

# A percentile says where an account stands among its peers; with fewer than this many creators
# in a platform (or platform and niche) there is no standing to speak of, so none is given.
MIN_PEERS = 3


class AuthoritySummary(BaseModel):
    """What an authority run looked at and produced."""

    method_version: str
    engine: str
    nodes: int
    edges: int
    interactions: int
    creators_scored: int
    niches: int
    seconds: float


def compute_authority(uow_factory: UnitOfWorkFactory, *, workspace: str, engine: GraphEngine,
                      clock: Clock, half_life_days: float = HALF_LIFE_DAYS) -> AuthoritySummary:
    """Build the interaction graph, score every creator account's authority and store it.

    Global PageRank and HITS say who the whole graph listens to; topic-sensitive PageRank (one per
    niche, teleporting to the niche's creators) says who a niche listens to; percentiles place
    each account within its platform, and within its platform and niche.
    """
    started = time.perf_counter()
    with uow_factory() as uow:
        workspace_id = require_workspace(uow, workspace).id
        interactions = uow.graph.interactions(workspace_id)
        creators = uow.graph.creator_accounts(workspace_id)
    weights = edge_weights(interactions.kinds, interactions.times, half_life_days=half_life_days)
    graph = build_graph(interactions.sources, interactions.targets, weights,
                        extra_nodes=creators.ids)
    rows, niches = _score(graph, creators, engine)
    with uow_factory() as uow:
        uow.graph.save_authority(workspace_id, rows, method_version=AUTHORITY_METHOD_VERSION,
                                 engine=engine.name, computed_at=clock())
        uow.commit()
    return AuthoritySummary(
        method_version=AUTHORITY_METHOD_VERSION, engine=engine.name,
        nodes=len(graph.node_ids), edges=graph.edges, interactions=len(interactions.sources),
        creators_scored=len(rows), niches=niches, seconds=time.perf_counter() - started)


def _score(graph: Graph, creators: CreatorAccounts, engine: GraphEngine
           ) -> tuple[list[AuthorityRow], int]:
    at = graph.index_of(creators.ids)
    rank = engine.pagerank(graph)
    hubs, authorities = engine.hits(graph)
    cores = engine.k_core(graph)
    adjacency = graph.adjacency
    in_edges = np.bincount(adjacency.indices, minlength=adjacency.shape[0])
    # Recognition by peers: distinct creators among an account's endorsers.
    from_creators = adjacency[at]
    peers = np.bincount(from_creators.indices, minlength=adjacency.shape[0])
    niche_rank, niches = _niche_ranks(graph, creators, at, engine)
    platforms = np.array(creators.platforms, dtype=object)
    niche_groups = np.array([f"{p}|{n}" for p, n in zip(creators.platforms, creators.niches,
                                                          strict=True)], dtype=object)
    rank_pct = _among_peers(percentile_ranks(rank[at], groups=platforms), platforms)
    niche_pct = _among_peers(percentile_ranks(niche_rank, groups=niche_groups), niche_groups)
    rows = [AuthorityRow(
        account_id=int(account_id), pagerank=float(rank[i]),
        pagerank_percentile=_finite(rank_pct[k]), niche_pagerank=_finite(niche_rank[k]),
        niche_percentile=_finite(niche_pct[k]), hub=float(hubs[i]),
        authority=float(authorities[i]), k_core=int(cores[i]), in_edges=int(in_edges[i]),
        peer_endorsers=int(peers[i]))
        for k, (account_id, i) in enumerate(zip(creators.ids, at, strict=True))]
    return rows, niches


def _niche_ranks(graph: Graph, creators: CreatorAccounts, at: npt.NDArray[np.int64],
                 engine: GraphEngine) -> tuple[npt.NDArray[np.float64], int]:
    """Each creator's topic-sensitive PageRank in its own niche (NaN without a niche)."""
    ranks = np.full(len(creators.ids), np.nan)
    niches = np.array(creators.niches, dtype=object)
    names = sorted({n for n in creators.niches if n is not None})
    for name in names:
        members = niches == name
        teleport = np.zeros(len(graph.node_ids))
        teleport[at[members]] = 1.0
        ranks[members] = engine.pagerank(graph, personalization=teleport)[at[members]]
    return ranks, len(names)


def _among_peers(percentiles: npt.NDArray[np.float64],
                 groups: npt.NDArray[np.object_]) -> npt.NDArray[np.float64]:
    """``percentiles`` with those of groups smaller than MIN_PEERS set to NaN."""
    _, inverse, sizes = np.unique(groups.astype(str), return_inverse=True, return_counts=True)
    return np.where(sizes[inverse] >= MIN_PEERS, percentiles, np.nan)


def _finite(value: float) -> float | None:
    return None if np.isnan(value) else float(value)

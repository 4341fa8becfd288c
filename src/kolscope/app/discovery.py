"""Discovery use cases: authority of KOLs in the workspace's interaction graph."""

from __future__ import annotations

import time
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from kolscope.app.models import AuthorityRow, WorkspaceView
from kolscope.app.ports import (
    Clock,
    CreatorAccounts,
    GraphEngine,
    GraphManifest,
    GraphStore,
    SourceTally,
    UnitOfWork,
    UnitOfWorkFactory,
)
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.authority import AUTHORITY_METHOD_VERSION, percentile_ranks
from kolscope.core.discovery.graph import (
    GRAPH_METHOD_VERSION,
    HALF_LIFE_DAYS,
    Graph,
    build_graph,
    edge_weights,
)

# A percentile says where an account stands among its peers; with fewer than this many creators
# in a platform (or platform and niche) there is no standing to speak of, so none is given.
MIN_PEERS = 3
# Interactions read from the database per batch while folding them into the stored graph.
INTERACTION_BATCH = 100_000


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
    # How the graph was had: rebuilt from every interaction, or the stored one with the new
    # interactions folded in; and why a rebuild was needed.
    graph_build: Literal["full", "incremental"] = "full"
    graph_build_reason: str | None = None
    new_interactions: int = 0
    graph_seconds: float = 0.0  # of ``seconds``, those spent reading and building the graph


class GraphBuild(BaseModel):
    """How the interaction graph of a run was had."""

    mode: Literal["full", "incremental"]
    reason: str | None
    interactions: int
    new_interactions: int


def compute_authority(uow_factory: UnitOfWorkFactory, *, workspace: str, engine: GraphEngine,
                      clock: Clock, half_life_days: float = HALF_LIFE_DAYS,
                      store: GraphStore | None = None, full: bool = False) -> AuthoritySummary:
    """Build the interaction graph, score every creator account's authority and store it.

    Global PageRank and HITS say who the whole graph listens to; topic-sensitive PageRank (one per
    niche, teleporting to the niche's creators) says who a niche listens to; percentiles place
    each account within its platform, and within its platform and niche. With a ``store`` the
    graph is kept between runs and only interactions added since the last run are read (all of
    them with ``full``); without one it is built in memory from every interaction.
    """
    started = time.perf_counter()
    with uow_factory() as uow:
        ws = require_workspace(uow, workspace)
        creators = uow.graph.creator_accounts(ws.id)
        if store is None:
            graph, build = _graph_in_memory(uow, ws.id, creators, half_life_days)
        else:
            build = _update_graph(uow, store, ws, half_life_days=half_life_days, full=full)
    if store is not None:
        graph = store.load(ws.slug, extra_nodes=creators.ids)
    graph_seconds = time.perf_counter() - started
    rows, niches = _score(graph, creators, engine)
    with uow_factory() as uow:
        uow.graph.save_authority(ws.id, rows, method_version=AUTHORITY_METHOD_VERSION,
                                 engine=engine.name, computed_at=clock())
        uow.workspaces.bump_version(ws.id)
        uow.commit()
    return AuthoritySummary(
        method_version=AUTHORITY_METHOD_VERSION, engine=engine.name,
        nodes=len(graph.node_ids), edges=graph.edges, interactions=build.interactions,
        creators_scored=len(rows), niches=niches, seconds=time.perf_counter() - started,
        graph_build=build.mode, graph_build_reason=build.reason,
        new_interactions=build.new_interactions, graph_seconds=graph_seconds)


def _graph_in_memory(uow: UnitOfWork, workspace_id: int, creators: CreatorAccounts,
                     half_life_days: float) -> tuple[Graph, GraphBuild]:
    interactions = uow.graph.interactions(workspace_id)
    weights = edge_weights(interactions.kinds, interactions.times, half_life_days=half_life_days)
    graph = build_graph(interactions.sources, interactions.targets, weights,
                        extra_nodes=creators.ids)
    count = len(interactions.sources)
    return graph, GraphBuild(mode="full", reason="no graph store", interactions=count,
                             new_interactions=count)


def _update_graph(uow: UnitOfWork, store: GraphStore, ws: WorkspaceView, *,
                  half_life_days: float, full: bool) -> GraphBuild:
    """Fold the interactions added since the stored graph was built into it, or rebuild it
    where folding would not give the graph built from scratch."""
    source = f"{ws.id}@{ws.created_at.timestamp():.6f}"
    base = store.manifest(ws.slug)
    reason = "asked for" if full else rebuild_reason(
        base, source=source, half_life_days=half_life_days,
        rows_now=uow.graph.interaction_rows(ws.id, base.marks) if base else None)
    if reason is not None:
        base = None
    batches = uow.graph.interactions_since(ws.id, base.marks if base else SourceTally(),
                                           batch_size=INTERACTION_BATCH)
    built = store.update(ws.slug, batches, base=base, half_life_days=half_life_days,
                         source=source)
    return GraphBuild(mode="full" if base is None else "incremental", reason=reason,
                      interactions=built.rows.total,
                      new_interactions=built.rows.total - (base.rows.total if base else 0))


def rebuild_reason(base: GraphManifest | None, *, source: str, half_life_days: float,
                   rows_now: SourceTally | None) -> str | None:
    """Why the stored graph ``base`` cannot be updated by folding in newer rows, or None.

    Folding is exact only for the same method and half-life, the same workspace, and when the
    rows at or below the marks are still the rows folded in: fewer means rows were deleted,
    more means rows with older ids were committed after the last build read past them.
    """
    if base is None:
        return "no stored graph"
    if base.method_version != GRAPH_METHOD_VERSION:
        return f"graph method changed ({base.method_version} -> {GRAPH_METHOD_VERSION})"
    if base.half_life_days != half_life_days:
        return f"half-life changed ({base.half_life_days:g} -> {half_life_days:g} days)"
    if base.source != source:
        return "the workspace was re-created"
    if rows_now != base.rows:
        return "interactions already folded in were removed or changed"
    return None


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

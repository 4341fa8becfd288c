"""The engine contract: every engine agrees with networkx, the reference, on the same graph."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from kolscope.adapters.engines import ENGINES, get_engine
from kolscope.app.ports import GraphEngine
from kolscope.core.discovery.graph import Graph, build_graph
from kolscope.errors import InvalidInput


@pytest.fixture(params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest) -> GraphEngine:
    return get_engine(request.param)


@pytest.fixture
def graph() -> Graph:
    rng = np.random.default_rng(3)
    n, m = 300, 1_500
    # ids far apart, as account ids are, with a power-law-ish target choice
    ids = np.sort(rng.choice(10**7, size=n, replace=False))
    targets = ids[np.minimum(rng.zipf(1.8, size=m) - 1, n - 1)]
    return build_graph(ids[rng.integers(0, n, size=m)], targets, rng.uniform(0.1, 2.0, size=m))


def as_networkx(graph: Graph) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(range(len(graph.node_ids)))
    coo = graph.adjacency.tocoo()
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(),
                                  strict=True))
    return g


def test_pagerank_agrees_with_networkx(engine: GraphEngine, graph: Graph) -> None:
    expected = nx.pagerank(as_networkx(graph), alpha=0.85, tol=1e-12, max_iter=1000)
    ours = engine.pagerank(graph)
    assert np.abs(ours - np.array([expected[i] for i in range(len(ours))])).sum() < 1e-6


def test_personalised_pagerank_agrees(engine: GraphEngine, graph: Graph) -> None:
    teleport = np.zeros(len(graph.node_ids))
    teleport[:10] = 1.0
    expected = nx.pagerank(as_networkx(graph), personalization=dict(enumerate(teleport)),
                           dangling=dict(enumerate(teleport)), tol=1e-12, max_iter=1000)
    ours = engine.pagerank(graph, personalization=teleport)
    assert np.abs(ours - np.array([expected[i] for i in range(len(ours))])).sum() < 1e-6


def test_hits_and_k_core_agree(engine: GraphEngine, graph: Graph) -> None:
    hubs, authorities = nx.hits(as_networkx(graph), max_iter=10_000, tol=1e-12)
    ours_hubs, ours_auth = engine.hits(graph)
    n = len(graph.node_ids)
    assert np.abs(ours_auth - np.array([authorities[i] for i in range(n)])).sum() < 1e-5
    assert np.abs(ours_hubs - np.array([hubs[i] for i in range(n)])).sum() < 1e-5
    undirected = nx.Graph(as_networkx(graph))
    undirected.remove_edges_from(nx.selfloop_edges(undirected))
    cores = nx.core_number(undirected)
    assert engine.k_core(graph).tolist() == [cores[i] for i in range(n)]


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(InvalidInput, match="local"):
        get_engine("gremlin")

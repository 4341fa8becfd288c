"""The engine contract: every engine agrees with networkx, the reference, and with the others."""

from __future__ import annotations

import subprocess
import sys
from functools import cached_property

import networkx as nx
import numpy as np
import numpy.typing as npt
import pytest
import scipy.sparse as sp

from kolscope.adapters.engines import ENGINES, get_engine
from kolscope.app.ports import GraphEngine
from kolscope.core.discovery.graph import Degrees, Graph, build_graph, degrees
from kolscope.errors import ConvergenceError, InvalidInput
from tests.conftest import REPO

FloatArray = npt.NDArray[np.float64]


@pytest.fixture(params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest) -> GraphEngine:
    if request.param == "spark":
        return request.getfixturevalue("spark_engine")  # type: ignore[no-any-return]
    return get_engine(request.param)


@pytest.fixture(scope="module")
def graph() -> Graph:
    rng = np.random.default_rng(3)
    n, m = 300, 1_500
    # ids far apart, as account ids are, with a power-law-ish target choice
    ids = np.sort(rng.choice(10**7, size=n, replace=False))
    targets = ids[np.minimum(rng.zipf(1.8, size=m) - 1, n - 1)]
    return build_graph(ids[rng.integers(0, n, size=m)], targets, rng.uniform(0.1, 2.0, size=m))


@pytest.fixture(scope="module")
def teleport(graph: Graph) -> FloatArray:
    p = np.zeros(len(graph.node_ids))
    p[:10] = 1.0
    return p


class Results:
    """One engine's results on the shared graph, each computed once: several tests compare them,
    and a Spark run takes seconds."""

    def __init__(self, engine: GraphEngine, graph: Graph, teleport: FloatArray) -> None:
        self.engine, self.graph, self.teleport = engine, graph, teleport

    @cached_property
    def pagerank(self) -> FloatArray:
        return self.engine.pagerank(self.graph)

    @cached_property
    def personalised(self) -> FloatArray:
        return self.engine.pagerank(self.graph, personalization=self.teleport)

    @cached_property
    def hits(self) -> tuple[FloatArray, FloatArray]:
        return self.engine.hits(self.graph)

    @cached_property
    def k_core(self) -> npt.NDArray[np.int64]:
        return self.engine.k_core(self.graph)

    @cached_property
    def degrees(self) -> Degrees:
        return self.engine.degrees(self.graph)


_RESULTS: dict[str, Results] = {}


@pytest.fixture
def results(engine: GraphEngine, graph: Graph, teleport: FloatArray) -> Results:
    return _results(engine, graph, teleport)


def _results(engine: GraphEngine, graph: Graph, teleport: FloatArray) -> Results:
    if engine.name not in _RESULTS:
        _RESULTS[engine.name] = Results(engine, graph, teleport)
    return _RESULTS[engine.name]


def as_networkx(graph: Graph) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(range(len(graph.node_ids)))
    coo = graph.adjacency.tocoo()
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(),
                                  strict=True))
    return g


def in_order(values: dict[int, float], n: int) -> FloatArray:
    return np.array([values[i] for i in range(n)], dtype=np.float64)


def l1(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    return float(np.abs(np.asarray(a) - np.asarray(b)).sum())


def test_pagerank_agrees_with_networkx(results: Results, graph: Graph) -> None:
    expected = nx.pagerank(as_networkx(graph), alpha=0.85, tol=1e-12, max_iter=1000)
    assert l1(results.pagerank, in_order(expected, len(graph.node_ids))) < 1e-6


def test_personalised_pagerank_agrees(results: Results, graph: Graph,
                                      teleport: FloatArray) -> None:
    expected = nx.pagerank(as_networkx(graph), personalization=dict(enumerate(teleport)),
                           dangling=dict(enumerate(teleport)), tol=1e-12, max_iter=1000)
    assert l1(results.personalised, in_order(expected, len(graph.node_ids))) < 1e-6


def test_hits_agrees_with_networkx(results: Results, graph: Graph) -> None:
    hubs, authorities = nx.hits(as_networkx(graph), max_iter=10_000, tol=1e-12)
    ours_hubs, ours_auth = results.hits
    n = len(graph.node_ids)
    assert l1(ours_auth, in_order(authorities, n)) < 1e-5
    assert l1(ours_hubs, in_order(hubs, n)) < 1e-5


def test_k_core_agrees_with_networkx(results: Results, graph: Graph) -> None:
    undirected = nx.Graph(as_networkx(graph))
    undirected.remove_edges_from(nx.selfloop_edges(undirected))
    cores = nx.core_number(undirected)
    assert results.k_core.dtype == np.int64
    assert results.k_core.tolist() == [cores[i] for i in range(len(graph.node_ids))]


def test_degrees_agree_with_networkx(results: Results, graph: Graph) -> None:
    g = as_networkx(graph)
    n = len(graph.node_ids)
    ours = results.degrees
    assert ours.in_degree.tolist() == [g.in_degree(i) for i in range(n)]
    assert ours.out_degree.tolist() == [g.out_degree(i) for i in range(n)]
    assert l1(ours.in_strength, [g.in_degree(i, weight="weight") for i in range(n)]) < 1e-9
    assert l1(ours.out_strength, [g.out_degree(i, weight="weight") for i in range(n)]) < 1e-9
    assert ours.in_degree.dtype == ours.out_degree.dtype == np.int64


def test_engines_agree_with_each_other(results: Results, graph: Graph,
                                       teleport: FloatArray) -> None:
    local = _results(get_engine("local"), graph, teleport)
    assert l1(results.pagerank, local.pagerank) < 1e-6
    assert l1(results.personalised, local.personalised) < 1e-6
    assert l1(results.hits[0], local.hits[0]) < 1e-6
    assert l1(results.hits[1], local.hits[1]) < 1e-6
    assert results.k_core.tolist() == local.k_core.tolist()
    reference = degrees(graph.adjacency)
    for field in ("in_degree", "out_degree"):
        assert getattr(results.degrees, field).tolist() == getattr(reference, field).tolist()
    for field in ("in_strength", "out_strength"):
        assert l1(getattr(results.degrees, field), getattr(reference, field)) < 1e-9


def test_an_empty_and_an_edgeless_graph(engine: GraphEngine) -> None:
    empty = Graph(node_ids=np.zeros(0, dtype=np.int64), adjacency=sp.csr_matrix((0, 0)))
    assert engine.pagerank(empty).shape == engine.k_core(empty).shape == (0,)
    assert [part.shape for part in engine.hits(empty)] == [(0,), (0,)]
    assert engine.degrees(empty).in_strength.shape == (0,)
    alone = Graph(node_ids=np.arange(4, dtype=np.int64), adjacency=sp.csr_matrix((4, 4)))
    assert np.allclose(engine.pagerank(alone), 0.25)
    # without edges every node is dangling: all mass follows the teleport vector
    assert np.allclose(engine.pagerank(alone, personalization=np.array([3.0, 1.0, 0.0, 0.0])),
                       [0.75, 0.25, 0.0, 0.0])
    assert all(np.allclose(part, 0.25) for part in engine.hits(alone))
    assert engine.k_core(alone).tolist() == [0, 0, 0, 0]
    assert engine.degrees(alone).out_degree.tolist() == [0, 0, 0, 0]


def two_stars(gap: float) -> Graph:
    """Two disjoint stars of three hubs each, the second's weights ``1 - gap`` times the first's
    (squared): HITS converges at the ratio of their top singular values, so slowly."""
    leaves = [1, 2, 3, 5, 6, 7]
    weights = [1.0] * 3 + [np.sqrt(1.0 - gap)] * 3
    adjacency = sp.csr_matrix((weights, (leaves, [0, 0, 0, 4, 4, 4])), shape=(8, 8))
    return Graph(node_ids=np.arange(8, dtype=np.int64), adjacency=adjacency)


def with_low_limits(engine: GraphEngine) -> tuple[GraphEngine, int]:
    """The engine with a HITS iteration limit it reaches fast, and that limit: the local engine's
    5,000 iterations take milliseconds; Spark's engine takes a limit."""
    if engine.name == "spark":
        from kolscope.adapters.engines.spark import SparkEngine

        return SparkEngine(max_iter=3, hits_max_iter=4), 4
    return engine, 5_000


def test_not_converging_raises_convergence_error(engine: GraphEngine) -> None:
    limited, limit = with_low_limits(engine)
    with pytest.raises(ConvergenceError) as caught:
        limited.hits(two_stars(gap=1e-3))
    assert caught.value.context["method"] == "hits"
    assert caught.value.context["iterations"] == limit
    assert float(caught.value.context["error"]) > 1e-8  # type: ignore[arg-type]


def test_spark_pagerank_past_its_iteration_limit_raises(spark_engine: GraphEngine) -> None:
    # a cycle with a tail: the error falls by 0.85 an iteration, far from 4e-10 after three
    cycle = sp.csr_matrix(([1.0] * 4, ([0, 1, 2, 3], [1, 2, 0, 0])), shape=(4, 4))
    limited, _ = with_low_limits(spark_engine)
    with pytest.raises(ConvergenceError, match="3 iterations") as caught:
        limited.pagerank(Graph(node_ids=np.arange(4, dtype=np.int64), adjacency=cycle))
    assert caught.value.context["method"] == "pagerank"


def test_bad_input_is_refused_as_core_refuses_it(engine: GraphEngine, graph: Graph) -> None:
    with pytest.raises(InvalidInput, match="personalization"):
        engine.pagerank(graph, personalization=np.zeros(len(graph.node_ids)))
    negative = Graph(node_ids=np.arange(2, dtype=np.int64),
                     adjacency=sp.csr_matrix(([-1.0], ([0], [1])), shape=(2, 2)))
    with pytest.raises(InvalidInput, match="non-negative"):
        engine.degrees(negative)


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(InvalidInput, match="local"):
        get_engine("gremlin")


def test_spark_without_pyspark_says_how_to_install_it() -> None:
    """In a Python where pyspark cannot be imported, asking for the engine is an EngineError."""
    script = (
        "import sys\n"
        "class Refuse:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] == 'pyspark':\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Refuse())\n"
        "from kolscope.adapters.engines import get_engine\n"
        "from kolscope.errors import EngineError\n"
        "try:\n"
        "    get_engine('spark')\n"
        "except EngineError as error:\n"
        "    print(error.message)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, check=True, timeout=120)
    assert "pip install 'kolscope[spark]'" in done.stdout

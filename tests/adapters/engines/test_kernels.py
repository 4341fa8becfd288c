"""The compiled PageRank agrees with core's scipy reference, on every path through it."""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from kolscope.adapters.engines import kernels
from kolscope.adapters.engines.local import LocalEngine
from kolscope.core.discovery.authority import DEFAULT_TOL
from kolscope.core.discovery.authority import pagerank as reference
from kolscope.core.discovery.graph import Graph
from kolscope.errors import ConvergenceError, InvalidInput

# In L1. Weights stored in float32 move results by about 1e-8 here; the contract between
# engines is 1e-6, and a wrong formula shows as 1e-3 or more.
TOLERANCE = 1e-7


def random_graph(seed: int, n: int = 400, m: int = 3_000, *, loops: bool = True,
                 weighted: bool = True) -> sp.csr_matrix:
    """A power-law-ish graph with dangling nodes (sources only from the first 80%), isolated
    nodes (the last 5% take no edges at all), self loops and repeated edges."""
    rng = np.random.default_rng(seed)
    active = int(n * 0.95)
    src = rng.integers(0, int(n * 0.8), size=m)
    dst = np.minimum(rng.zipf(1.7, size=m) - 1, active - 1)
    dst = rng.permutation(active)[dst]
    if not loops:
        src, dst = src[src != dst], dst[src != dst]
    weights = rng.uniform(0.1, 3.0, size=src.size) if weighted else np.ones(src.size)
    return sp.csr_matrix((weights, (src, dst)), shape=(n, n))


def assert_agrees(adjacency: sp.csr_matrix, **options: object) -> None:
    personalization = options.pop("personalization", None)
    graph = kernels.prepare(adjacency, **options)  # type: ignore[arg-type]
    for threads in (1, 3):
        for tol in (DEFAULT_TOL, 1e-14):  # the default, and near the exact fixed point
            ours = kernels.pagerank(graph, personalization=personalization, threads=threads,
                                    tol=tol, max_iter=2_000)
            expected = reference(adjacency, personalization=personalization, tol=tol,
                                 max_iter=2_000)
            assert ours.dtype == np.float64 and ours.shape == expected.shape
            assert np.abs(ours - expected).sum() < TOLERANCE
            assert ours.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_reference_on_random_graphs(seed: int) -> None:
    adjacency = random_graph(seed)
    out_degree = np.diff(adjacency.indptr)
    assert (out_degree == 0).any() and adjacency.diagonal().any()  # dangling nodes, self loops
    assert_agrees(adjacency)


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("relabel", [True, False])
def test_index_types_and_orders_agree(index_dtype: type[np.integer[Any]], relabel: bool) -> None:
    adjacency = random_graph(4)
    adjacency.indices = adjacency.indices.astype(index_dtype)
    adjacency.indptr = adjacency.indptr.astype(index_dtype)
    assert_agrees(adjacency, relabel=relabel)


def test_equal_weights_are_not_stored_and_still_agree() -> None:
    adjacency = random_graph(5, loops=False, weighted=False)
    adjacency.sum_duplicates()
    adjacency.data[:] = 2.5  # every weight equal, not 1
    assert kernels.prepare(adjacency).weights.size == 0
    assert_agrees(adjacency)


def test_personalisation_agrees_and_is_normalised() -> None:
    adjacency = random_graph(6)
    teleport = np.zeros(adjacency.shape[0])
    teleport[[3, 10, 50, 399]] = [1.0, 2.0, 0.5, 4.0]  # 399 is isolated
    assert_agrees(adjacency, personalization=teleport)
    graph = kernels.prepare(adjacency)
    np.testing.assert_allclose(kernels.pagerank(graph, personalization=teleport * 7),
                               kernels.pagerank(graph, personalization=teleport), atol=1e-12)


def test_isolated_nodes_get_teleport_and_dangling_mass_only() -> None:
    # 0 -> 1, node 2 isolated: x2 = (alpha (x1 + x2) + 1 - alpha) / 3 by hand
    adjacency = sp.csr_matrix(([1.0], ([0], [1])), shape=(3, 3))
    ours = kernels.pagerank(kernels.prepare(adjacency))
    np.testing.assert_allclose(ours, reference(adjacency), atol=1e-12)
    assert ours[0] == pytest.approx(ours[2])


@pytest.mark.parametrize("n", [0, 1, 5])
def test_graphs_without_edges(n: int) -> None:
    adjacency = sp.csr_matrix((n, n))
    ours = kernels.pagerank(kernels.prepare(adjacency))
    assert ours.shape == (n,)
    np.testing.assert_allclose(ours, np.full(n, 1.0 / n) if n else np.zeros(0))


def test_tasks_split_the_work_and_any_count_agrees() -> None:
    adjacency = random_graph(7)
    graph = kernels.prepare(adjacency, tasks=5)
    assert graph.chunks.tolist()[::5] == [0, adjacency.shape[0]] and graph.chunks.size == 6
    assert (np.diff(graph.chunks) >= 0).all()
    assert graph.groups.tolist() == [0, 1]  # one bin: one group
    for tasks in (1, 3, 50):
        assert_agrees(adjacency, tasks=tasks)


def test_slots_hold_every_edge_once_bin_by_bin() -> None:
    adjacency = random_graph(8, n=150_000, m=400_000)
    graph = kernels.prepare(adjacency, tasks=4)
    assert graph.bin_ptr.tolist()[0] == 0 and graph.bin_ptr[-1] == adjacency.nnz
    assert graph.bin_ptr.size == 4  # 150,000 targets: bins of 65,536
    in_degree = np.bincount(graph.label[adjacency.indices], minlength=150_000)
    for k in range(3):  # the slots of bin k name each of its targets once per in-edge
        slots = graph.local[graph.bin_ptr[k]:graph.bin_ptr[k + 1]]
        width = min(65_536, 150_000 - k * 65_536)
        expected = in_degree[k * 65_536: k * 65_536 + width]
        assert np.bincount(slots, minlength=width).tolist() == expected.tolist()


@pytest.mark.parametrize("personalised", [False, True])
def test_large_graphs_carry_float32_shares_and_still_agree(personalised: bool) -> None:
    adjacency = random_graph(8, n=150_000, m=400_000)  # three bins
    assert adjacency.shape[0] * DEFAULT_TOL >= kernels.FLOAT32_MIN_STOP  # the float32 path
    teleport = np.arange(150_000.0) % 7 if personalised else None
    assert_agrees(adjacency, personalization=teleport)


def test_tiny_graphs_converge_to_a_tight_tolerance() -> None:
    # float32 rounding would stall at n * tol = 5e-14; these shares are float64
    adjacency = random_graph(9, n=5, m=12)
    ours = kernels.pagerank(kernels.prepare(adjacency), tol=1e-14, max_iter=2_000)
    assert np.abs(ours - reference(adjacency, tol=1e-14, max_iter=2_000)).sum() < TOLERANCE


def test_not_converging_raises_convergence_error() -> None:
    graph = kernels.prepare(random_graph(10))
    with pytest.raises(ConvergenceError) as caught:
        kernels.pagerank(graph, max_iter=3)
    assert caught.value.context["iterations"] == 3
    assert caught.value.context["error"] > 0


@pytest.mark.parametrize(("options", "field"), [
    ({"alpha": 1.0}, "alpha"), ({"tol": 0.0}, "tol"), ({"max_iter": 0}, "max_iter"),
    ({"personalization": np.zeros(400)}, "personalization"),
    ({"personalization": np.ones(3)}, "personalization"),
    ({"personalization": -np.ones(400)}, "personalization")])
def test_bad_parameters_are_refused(options: dict[str, object], field: str) -> None:
    graph = kernels.prepare(random_graph(11))
    with pytest.raises(InvalidInput) as caught:
        kernels.pagerank(graph, **options)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize("adjacency", [
    np.eye(3), sp.csr_matrix((2, 3)), sp.csr_matrix(([-1.0], ([0], [1])), shape=(2, 2)),
    sp.csr_matrix(([np.inf], ([0], [1])), shape=(2, 2))])
def test_bad_graphs_are_refused(adjacency: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        kernels.prepare(adjacency)
    assert caught.value.field == "adjacency"


def test_layout_is_built_once_per_graph_and_dropped_with_it() -> None:
    adjacency = random_graph(12)
    graph = Graph(node_ids=np.arange(adjacency.shape[0], dtype=np.int64), adjacency=adjacency)
    assert kernels.prepared(graph.adjacency) is kernels.prepared(graph.adjacency)
    engine = LocalEngine()
    np.testing.assert_allclose(engine.pagerank(graph), reference(adjacency), atol=1e-9)
    key = id(adjacency)
    assert key in kernels._CACHE
    del graph, adjacency
    gc.collect()
    assert key not in kernels._CACHE

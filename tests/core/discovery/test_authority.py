"""Authority on the interaction graph: PageRank, HITS, k-core and percentile ranks.

Small graphs are checked by hand; random graphs against networkx, the reference.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx  # type: ignore[import-untyped]
import numpy as np
import pytest
import scipy.sparse as sp  # type: ignore[import-untyped]

from kolscope.core.discovery.authority import (
    AUTHORITY_METHOD_VERSION,
    DEFAULT_ALPHA,
    hits,
    k_core,
    pagerank,
    percentile_ranks,
)
from kolscope.errors import ConvergenceError, EngineError, InvalidInput

ALPHA = 0.85


def graph(n: int, edges: list[tuple[int, int]], weights: list[float] | None = None) -> sp.csr_array:
    """An n-node CSR graph of edges i → j (weight 1 unless given)."""
    rows = [i for i, _ in edges]
    cols = [j for _, j in edges]
    data = weights if weights is not None else [1.0] * len(edges)
    return sp.csr_array((data, (rows, cols)), shape=(n, n))


def random_graph(seed: int, n: int = 200, m: int = 1_000) -> sp.csr_array:
    """Random weighted digraph with repeated edges, self-loops and about 1% dangling nodes."""
    rng = np.random.default_rng(seed)
    rows, cols = rng.integers(0, n, m), rng.integers(0, n, m)
    a = sp.csr_array((rng.uniform(0.1, 3.0, m), (rows, cols)), shape=(n, n))
    a.sum_duplicates()
    dangling = rng.choice(n, size=n // 100, replace=False)
    a = sp.csr_array(sp.diags_array(np.isin(np.arange(n), dangling, invert=True) * 1.0) @ a)
    a.eliminate_zeros()
    return a


def to_nx(a: sp.csr_array) -> nx.DiGraph:
    return nx.from_scipy_sparse_array(a, create_using=nx.DiGraph)


def test_constants() -> None:
    assert AUTHORITY_METHOD_VERSION == "authority-1"
    assert DEFAULT_ALPHA == 0.85


# --- PageRank: by hand ---------------------------------------------------------------------------

def test_cycle_is_uniform() -> None:
    x = pagerank(graph(3, [(0, 1), (1, 2), (2, 0)]))
    np.testing.assert_allclose(x, [1 / 3] * 3, atol=1e-12)


def test_star_centre_by_hand() -> None:
    # 1 → 0 and 2 → 0; 0 is dangling, so its mass is spread uniformly like a teleport.
    # Leaves get only teleport + dangling mass: c = (a·x0 + 1 − a) / 3; centre x0 = 2a·c + c.
    # With x0 + 2c = 1: c = 1 / (3 + 2a), x0 = (1 + 2a) / (3 + 2a) = 2.7 / 4.7 ≈ 0.574468 at a=0.85.
    x = pagerank(graph(3, [(1, 0), (2, 0)]), alpha=ALPHA)
    assert x[0] == pytest.approx(2.7 / 4.7, abs=1e-10)
    assert x[1] == x[2] == pytest.approx(1 / 4.7, abs=1e-10)
    assert x.argmax() == 0


def test_dangling_mass_follows_uniform_teleport() -> None:
    # 0 → 1, 1 dangling. c = (a·x1 + 1 − a) / 2 = x0, x1 = a·x0 + c = c(1 + a); sum 1 →
    # c = 1 / (2 + a): x = [1/2.85, 1.85/2.85].
    x = pagerank(graph(2, [(0, 1)]))
    np.testing.assert_allclose(x, [1 / 2.85, 1.85 / 2.85], atol=1e-10)


def test_dangling_mass_follows_personalization() -> None:
    # Teleport and dangling mass all go to 0: x0 = a·x1 + (1 − a), x1 = a·x0;
    # with x0 + x1 = 1, x0 = 1 / (1 + a) = 1 / 1.85 and x1 = a / (1 + a) = 0.85 / 1.85.
    x = pagerank(graph(2, [(0, 1)]), personalization=[2.0, 0.0])
    np.testing.assert_allclose(x, [1 / 1.85, 0.85 / 1.85], atol=1e-10)


def test_weights_split_out_mass() -> None:
    # 0 gives 3/4 of its vote to 1 and 1/4 to 2; 1 and 2 are dangling.
    x = pagerank(graph(3, [(0, 1), (0, 2)], [3.0, 1.0]))
    assert x[1] > x[2] > x[0]
    assert x.sum() == pytest.approx(1.0)


def test_no_edges_is_teleport() -> None:
    np.testing.assert_allclose(pagerank(graph(4, [])), [0.25] * 4)
    np.testing.assert_allclose(pagerank(graph(2, []), personalization=[1, 3]), [0.25, 0.75])


def test_empty_graph() -> None:
    assert pagerank(graph(0, [])).shape == (0,)


def test_accepts_csr_matrix_and_keeps_input() -> None:
    a = graph(3, [(0, 1), (1, 2), (2, 0), (0, 2)], [1.0, 2.0, 3.0, 4.0])
    before = a.toarray().copy()
    np.testing.assert_allclose(pagerank(sp.csr_matrix(a)), pagerank(a))
    np.testing.assert_array_equal(a.toarray(), before)


# --- PageRank: against networkx -----------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pagerank_matches_networkx(seed: int) -> None:
    a = random_graph(seed)
    expected = nx.pagerank(to_nx(a), alpha=ALPHA, weight="weight", tol=1e-13, max_iter=1_000)
    x = pagerank(a, alpha=ALPHA, tol=1e-13, max_iter=1_000)
    np.testing.assert_allclose(x, [expected[i] for i in range(a.shape[0])], atol=1e-8, rtol=0)
    assert x.sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("seed", [4, 5])
def test_topic_sensitive_pagerank_matches_networkx(seed: int) -> None:
    a = random_graph(seed)
    n = a.shape[0]
    rng = np.random.default_rng(seed)
    niche = np.zeros(n)
    niche[rng.choice(n, size=20, replace=False)] = rng.uniform(0.5, 2.0, 20)
    p = {i: float(niche[i]) for i in range(n)}
    expected = nx.pagerank(to_nx(a), alpha=0.7, personalization=p, dangling=p,
                           weight="weight", tol=1e-13, max_iter=1_000)
    x = pagerank(a, alpha=0.7, personalization=niche, tol=1e-13, max_iter=1_000)
    np.testing.assert_allclose(x, [expected[i] for i in range(n)], atol=1e-8, rtol=0)


def test_pagerank_convergence_error() -> None:
    with pytest.raises(ConvergenceError) as caught:
        pagerank(random_graph(6), max_iter=1)
    assert isinstance(caught.value, EngineError)
    assert caught.value.context["iterations"] == 1
    assert caught.value.context["error"] > 0  # type: ignore[operator]


# --- Preconditions --------------------------------------------------------------------------------

@pytest.mark.parametrize(("adjacency", "field"), [
    (sp.csr_array(np.ones((2, 3))), "adjacency"),
    (graph(2, [(0, 1)], [-1.0]), "adjacency"),
    (graph(2, [(0, 1)], [math.nan]), "adjacency"),
    (np.ones((2, 2)), "adjacency"),
])
def test_bad_adjacency(adjacency: object, field: str) -> None:
    for func in (pagerank, hits, k_core):
        with pytest.raises(InvalidInput) as caught:
            func(adjacency)
        assert caught.value.field == field


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, 1.5])
def test_bad_alpha(alpha: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        pagerank(graph(2, [(0, 1)]), alpha=alpha)
    assert caught.value.field == "alpha"


@pytest.mark.parametrize("personalization", [[1.0], [1.0, 2.0, 3.0], [0.0, 0.0], [1.0, -1.0],
                                             [1.0, math.nan]])
def test_bad_personalization(personalization: list[float]) -> None:
    with pytest.raises(InvalidInput) as caught:
        pagerank(graph(2, [(0, 1)]), personalization=personalization)
    assert caught.value.field == "personalization"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"tol": 0.0}, "tol"),
    ({"max_iter": 0}, "max_iter"),
])
def test_bad_iteration_settings(kwargs: dict[str, Any], field: str) -> None:
    for func in (pagerank, hits):
        with pytest.raises(InvalidInput) as caught:
            func(graph(2, [(0, 1)]), **kwargs)
        assert caught.value.field == field


# --- HITS ---------------------------------------------------------------------------------------

def test_hits_star_by_hand() -> None:
    hubs, authorities = hits(graph(3, [(1, 0), (2, 0)]))
    np.testing.assert_allclose(hubs, [0.0, 0.5, 0.5])
    np.testing.assert_allclose(authorities, [1.0, 0.0, 0.0])


def test_hits_without_edges_is_uniform() -> None:
    hubs, authorities = hits(graph(4, []))
    np.testing.assert_allclose(hubs, [0.25] * 4)
    np.testing.assert_allclose(authorities, [0.25] * 4)
    assert [v.shape for v in hits(graph(0, []))] == [(0,), (0,)]


@pytest.mark.parametrize("seed", [7, 8])
def test_hits_matches_networkx(seed: int) -> None:
    a = random_graph(seed)
    n = a.shape[0]
    exp_hubs, exp_auth = nx.hits(to_nx(a), max_iter=1_000, tol=1e-14)
    hubs, authorities = hits(a, tol=1e-14, max_iter=20_000)
    np.testing.assert_allclose(hubs, [exp_hubs[i] for i in range(n)], atol=1e-8, rtol=0)
    np.testing.assert_allclose(authorities, [exp_auth[i] for i in range(n)], atol=1e-8, rtol=0)
    assert hubs.sum() == pytest.approx(1.0) and authorities.sum() == pytest.approx(1.0)


def test_hits_convergence_error() -> None:
    with pytest.raises(ConvergenceError) as caught:
        hits(random_graph(9), max_iter=1)
    assert caught.value.context["iterations"] == 1


# --- k-core -------------------------------------------------------------------------------------

def test_k_core_by_hand() -> None:
    # Triangle 0-1-2 (one edge both ways), tail 2-3, a self-loop on 3, an explicit zero 3 → 4.
    a = graph(5, [(0, 1), (1, 0), (1, 2), (2, 0), (2, 3), (3, 3), (3, 4)],
              [1.0, 1.0, 1.0, 1.0, 5.0, 1.0, 0.0])
    assert k_core(a).tolist() == [2, 2, 2, 1, 0]


def test_k_core_clique_and_empty() -> None:
    clique = graph(5, [(i, j) for i in range(5) for j in range(5) if i != j])
    assert k_core(clique).tolist() == [4] * 5
    assert k_core(graph(3, [])).tolist() == [0, 0, 0]
    assert k_core(graph(0, [])).shape == (0,)


@pytest.mark.parametrize("seed", [10, 11, 12])
def test_k_core_matches_networkx(seed: int) -> None:
    a = random_graph(seed, m=1_500)
    g = to_nx(a).to_undirected()
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    expected = nx.core_number(g)
    assert k_core(a).tolist() == [expected[i] for i in range(a.shape[0])]


# --- Percentile ranks ---------------------------------------------------------------------------

def test_percentiles_by_hand_with_ties() -> None:
    # Ranks 1, 2.5, 2.5, 4 of 4 values.
    assert percentile_ranks([10.0, 20.0, 20.0, 40.0]).tolist() == [25.0, 62.5, 62.5, 100.0]


def test_percentiles_within_groups_and_nan() -> None:
    values = [3.0, 1.0, math.nan, 2.0, 7.0, 7.0, 5.0]
    groups = ["ig:beauty", "ig:beauty", "ig:beauty", "ig:beauty", "tt:food", "tt:food", "tt:food"]
    result = percentile_ranks(values, groups)
    # ig:beauty counts 3 known values (1, 2, 3); tt:food ranks 5 → 1, 7 and 7 → 2.5 of 3.
    np.testing.assert_allclose(result, [100.0, 100 / 3, math.nan, 200 / 3, 250 / 3, 250 / 3,
                                        100 / 3])


def test_percentiles_integer_groups_and_lone_values() -> None:
    result = percentile_ranks([5.0, 1.0, 9.0, math.nan], groups=np.array([2, 1, 2, 3]))
    np.testing.assert_allclose(result, [50.0, 100.0, 100.0, math.nan])
    assert percentile_ranks([]).shape == (0,)


@pytest.mark.parametrize(("values", "groups", "field"), [
    ([[1.0, 2.0]], None, "values"),
    ([1.0, 2.0], [1], "groups"),
])
def test_percentiles_bad_input(values: object, groups: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        percentile_ranks(values, groups)  # type: ignore[arg-type]
    assert caught.value.field == field

"""The compiled influence kernels draw from the same distributions as core's numpy reference,
and count exactly as it does."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse

from kolscope.adapters.engines import influence_kernels
from kolscope.adapters.engines.influence_kernels import KERNELS, NumbaKernels
from kolscope.core.discovery.graph import Graph
from kolscope.core.planning.influence import (
    NUMPY_KERNELS,
    RRSets,
    budgeted_imm,
    cascade,
    imm,
    monte_carlo_spread,
    rr_sets,
    weighted_cascade,
)


def graph(n: int, sources: np.ndarray, targets: np.ndarray) -> Graph:
    adjacency = sparse.csr_matrix((np.ones(sources.size), (sources, targets)), shape=(n, n))
    adjacency.sum_duplicates()
    return Graph(node_ids=np.arange(n, dtype=np.int64), adjacency=adjacency)


def random_graph(seed: int, n: int = 300, m: int = 2_000) -> Graph:
    """A skewed random graph: a few nodes take many in-edges (more than COIN_MAX)."""
    rng = np.random.default_rng(seed)
    sources = rng.integers(0, n, m)
    targets = np.minimum(rng.zipf(1.6, m) - 1, n - 1)
    keep = sources != targets
    return graph(n, sources[keep], targets[keep])


def fan_in(parents: int) -> Graph:
    """Nodes 1..parents all point to node 0, and to nothing else."""
    return graph(parents + 1, np.arange(1, parents + 1), np.zeros(parents, dtype=np.int64))


def sizes(sets: RRSets) -> np.ndarray:
    return np.diff(sets.offsets)


def mean_and_stderr(values: np.ndarray) -> tuple[float, float]:
    return float(values.mean()), float(values.std(ddof=1) / math.sqrt(values.size))


def test_a_deep_fan_in_draws_binomially_many_parents() -> None:
    # Root 0 holds itself and each of its 100 parents with chance p: 1 + 100 p on average.
    parents = 100
    assert parents > influence_kernels.COIN_MAX  # the geometric jumps, not a coin per edge
    for p in (0.01, 0.3, 1.0):
        g = fan_in(parents)
        sets = rr_sets(g, np.full(g.edges, p), 60_000, np.random.default_rng(1), kernels=KERNELS)
        from_root = sizes(sets)[sizes(sets) > 1] - 1
        rooted = sets.count * (1 - (1 - p) ** parents) / (parents + 1)
        assert abs(from_root.size - rooted) < 5 * math.sqrt(rooted) + 1
        if p < 1:
            conditional = parents * p / (1 - (1 - p) ** parents)  # given at least one parent
            mean, stderr = mean_and_stderr(from_root)
            assert abs(mean - conditional) < 5 * stderr
        else:
            assert (from_root == parents).all()


@pytest.mark.parametrize("weighted", [True, False])
def test_rr_set_sizes_agree_with_the_numpy_reference(weighted: bool) -> None:
    g = random_graph(2)
    p = (weighted_cascade(g) if weighted
         else np.random.default_rng(3).uniform(0.0, 0.4, size=g.edges))
    ours = sizes(rr_sets(g, p, 50_000, np.random.default_rng(4), kernels=KERNELS))
    reference = sizes(rr_sets(g, p, 50_000, np.random.default_rng(5)))
    (a, sa), (b, sb) = mean_and_stderr(ours), mean_and_stderr(reference)
    assert abs(a - b) < 5 * math.hypot(sa, sb)
    va, vb = ours.var(), reference.var()
    assert abs(va - vb) < 0.15 * max(va, vb)


def test_node_frequencies_in_rr_sets_agree_with_the_reference() -> None:
    g = random_graph(6)
    p = weighted_cascade(g)
    count = 40_000
    ours = np.bincount(rr_sets(g, p, count, np.random.default_rng(7), kernels=KERNELS).nodes,
                       minlength=300) / count
    reference = np.bincount(rr_sets(g, p, count, np.random.default_rng(8)).nodes,
                            minlength=300) / count
    stderr = np.sqrt(np.maximum(ours, reference) * (1 + 1e-9) / count) + 1e-4
    assert (np.abs(ours - reference) < 5 * stderr).all()


def test_certain_edges_give_the_same_spread_as_the_reference_exactly() -> None:
    g = random_graph(9)
    certain = np.ones(g.edges)
    for seeds in ([0], [5, 17], [250, 251, 299]):
        ours = monte_carlo_spread(g, certain, seeds, 300, np.random.default_rng(0),
                                  kernels=KERNELS)
        reference = monte_carlo_spread(g, certain, seeds, 3, np.random.default_rng(0))
        assert ours.mean == reference.mean and ours.stderr == 0.0


def test_monte_carlo_agrees_with_the_reference() -> None:
    g = random_graph(10)
    p = np.random.default_rng(11).uniform(0.05, 0.3, size=g.edges)
    seeds = [0, 1, 2, 3]
    ours = monte_carlo_spread(g, p, seeds, 20_000, np.random.default_rng(12), kernels=KERNELS)
    reference = monte_carlo_spread(g, p, seeds, 20_000, np.random.default_rng(13))
    assert abs(ours.mean - reference.mean) < 5 * math.hypot(ours.stderr, reference.stderr)


def test_results_depend_on_the_generator_not_on_the_threads() -> None:
    g = random_graph(14)
    model = cascade(g, weighted_cascade(g))
    count = 3 * influence_kernels.PARALLEL_MIN_SETS  # enough to be split between threads
    one = NumbaKernels(threads=1).rr_sets(model, count, np.random.default_rng(15))
    three = NumbaKernels(threads=3).rr_sets(model, count, np.random.default_rng(15))
    assert one.offsets.tolist() == three.offsets.tolist()
    assert one.nodes.tolist() == three.nodes.tolist()
    seeds = np.array([0, 9], dtype=np.int32)
    runs = influence_kernels.PARALLEL_MIN_SEED_RUNS
    a = NumbaKernels(threads=1).spreads(model, seeds, runs, np.random.default_rng(16))
    b = NumbaKernels(threads=3).spreads(model, seeds, runs, np.random.default_rng(16))
    assert a.tolist() == b.tolist()


def test_counting_over_rr_sets_matches_the_reference_exactly() -> None:
    g = random_graph(17)
    model = cascade(g, weighted_cascade(g))
    sets = KERNELS.rr_sets(model, 5_000, np.random.default_rng(18))
    n = model.nodes
    many = NumbaKernels(threads=2)
    assert many.node_counts(sets, n).tolist() == NUMPY_KERNELS.node_counts(sets, n).tolist()
    row = np.full(n, -1, dtype=np.int32)
    row[[3, 0, 77]] = [0, 1, 2]
    ptr, ids = KERNELS.member_lists(sets, row, 3)
    ref_ptr, ref_ids = NUMPY_KERNELS.member_lists(sets, row, 3)
    assert ptr.tolist() == ref_ptr.tolist() and ids.tolist() == ref_ids.tolist()
    covered = np.array([0, 5, 4_999])
    gain, ref_gain = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    KERNELS.uncover(sets, covered, gain)
    NUMPY_KERNELS.uncover(sets, covered, ref_gain)
    assert gain.tolist() == ref_gain.tolist()


def test_imm_with_compiled_kernels_picks_as_the_reference_would() -> None:
    g = random_graph(19)
    p = weighted_cascade(g)
    ours = imm(g, p, 3, np.random.default_rng(20), epsilon=0.2, kernels=KERNELS)
    check = monte_carlo_spread(g, p, ours.seeds, 20_000, np.random.default_rng(21),
                               kernels=KERNELS)
    assert abs(ours.spread - check.mean) < 0.2 * check.mean
    costs = np.random.default_rng(22).uniform(1, 5, size=300)
    budgeted = budgeted_imm(g, p, costs, 6.0, np.random.default_rng(23), epsilon=0.3,
                            kernels=KERNELS)
    assert budgeted.best.cost <= 6.0

"""Influence spread and seed selection on small graphs whose answers are known by hand.

Graphs with certain edges (chance 1) have an exact spread, the number of nodes the seeds reach;
elsewhere the RR-set estimates are checked against Monte-Carlo on fresh randomness.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse

from kolscope.core.discovery.graph import Graph
from kolscope.core.planning.influence import (
    INFLUENCE_METHOD_VERSION,
    budgeted_imm,
    cascade,
    celf,
    imm,
    monte_carlo_spread,
    rr_sets,
    rr_spread,
    top_degree,
    weighted_cascade,
)
from kolscope.errors import InvalidInput

# A fast accuracy for tests that check the choice, not the guarantee's sample size.
QUICK = 0.3


def graph(n: int, edges: list[tuple[int, int]]) -> Graph:
    """An n-node graph of edges u → v, in CSR order (sorted by u, then v)."""
    ordered = sorted(edges)
    rows = [u for u, _ in ordered]
    cols = [v for _, v in ordered]
    adjacency = sparse.csr_matrix((np.ones(len(ordered)), (rows, cols)), shape=(n, n))
    adjacency.sort_indices()
    return Graph(node_ids=np.arange(n, dtype=np.int64), adjacency=adjacency)


def certain(g: Graph) -> np.ndarray:
    return np.ones(g.edges)


# 0 → 1 → 2, 3 → 2, 5 → 6 → 0, and 4 alone: what each node reaches is plain to see.
REACH = graph(7, [(0, 1), (1, 2), (3, 2), (5, 6), (6, 0)])
REACHED = {0: {0, 1, 2}, 1: {1, 2}, 2: {2}, 3: {2, 3}, 4: {4}, 5: {5, 6, 0, 1, 2},
           6: {6, 0, 1, 2}}

# 0 → 1..5, and 6 → 7: the centre of the star is the one seed to take.
STAR = graph(8, [(0, leaf) for leaf in range(1, 6)] + [(6, 7)])


def random_graph(seed: int, n: int = 30, m: int = 90) -> tuple[Graph, np.ndarray]:
    rng = np.random.default_rng(seed)
    edges = {(int(u), int(v)) for u, v in zip(rng.integers(0, n, m), rng.integers(0, n, m),
                                              strict=True) if u != v}
    g = graph(n, sorted(edges))
    return g, rng.uniform(0.05, 0.5, size=g.edges)


# --- the model ----------------------------------------------------------------------------------

@pytest.mark.parametrize("seeds", [[0], [1], [3], [4], [5], [0, 3], [4, 5], [2, 3, 4]])
def test_certain_edges_spread_exactly_to_what_the_seeds_reach(seeds: list[int]) -> None:
    expected = len(set().union(*(REACHED[s] for s in seeds)))
    found = monte_carlo_spread(REACH, certain(REACH), seeds, 20, np.random.default_rng(0))
    assert found.mean == expected and found.stderr == 0.0 and found.runs == 20


def test_rr_sets_of_certain_edges_are_the_nodes_that_reach_the_root() -> None:
    reaching = {frozenset(v for v, r in REACHED.items() if root in r) for root in REACHED}
    sets = rr_sets(REACH, certain(REACH), 200, np.random.default_rng(1))
    assert sets.count == 200
    for i in range(sets.count):
        assert frozenset(sets.nodes[sets.offsets[i]:sets.offsets[i + 1]].tolist()) in reaching


def test_a_seed_with_no_live_edges_activates_only_itself() -> None:
    none = np.zeros(REACH.edges)
    assert monte_carlo_spread(REACH, none, [0, 5], 10, np.random.default_rng(0)).mean == 2.0


def test_half_chances_spread_as_computed_by_hand() -> None:
    # The star's centre with chance 1/2 per leaf: 1 + 5 / 2 = 3.5 on average.
    found = monte_carlo_spread(STAR, np.full(STAR.edges, 0.5), [0], 20_000,
                               np.random.default_rng(2))
    assert abs(found.mean - 3.5) < 4 * found.stderr
    assert found.stderr == pytest.approx(math.sqrt(5 * 0.25 / 20_000), rel=0.1)


def test_weighted_cascade_gives_each_node_one_over_its_in_degree() -> None:
    g = graph(3, [(0, 2), (1, 2), (0, 1)])  # 2 has two in-edges, 1 one
    assert weighted_cascade(g).tolist() == [1.0, 0.5, 0.5]


def test_zero_chance_edges_are_left_out_of_the_model() -> None:
    model = cascade(REACH, [1.0, 0.0, 1.0, 0.0, 1.0])
    assert model.out_dst.size == model.in_src.size == 3


def test_rr_coverage_agrees_with_monte_carlo_on_fresh_samples() -> None:
    g, p = random_graph(3)
    seeds = [0, 7, 11]
    sets = rr_sets(g, p, 40_000, np.random.default_rng(4))
    estimate = rr_spread(sets, seeds, nodes=30)
    share = estimate / 30
    rr_stderr = 30 * math.sqrt(share * (1 - share) / sets.count)
    mc = monte_carlo_spread(g, p, seeds, 20_000, np.random.default_rng(5))
    assert abs(estimate - mc.mean) < 4 * math.hypot(rr_stderr, mc.stderr)


# --- IMM ------------------------------------------------------------------------------------------

def test_the_centre_of_a_star_is_the_one_seed() -> None:
    found = imm(STAR, np.full(STAR.edges, 0.5), 1, np.random.default_rng(0), epsilon=QUICK)
    assert found.seeds.tolist() == [0]
    assert found.method_version == INFLUENCE_METHOD_VERSION == "imm-1"
    assert found.rule == "greedy" and found.guaranteed and found.sized_for == 1


def test_the_head_of_a_path_is_the_one_seed() -> None:
    path = graph(6, [(i, i + 1) for i in range(5)])
    found = imm(path, np.full(path.edges, 0.9), 1, np.random.default_rng(0), epsilon=QUICK)
    assert found.seeds.tolist() == [0]


def test_certain_edges_are_covered_by_the_nodes_reaching_most() -> None:
    # 5 reaches five nodes; then 3 and 4 add one each (themselves), as the sample estimates.
    found = imm(REACH, certain(REACH), 2, np.random.default_rng(0), epsilon=QUICK)
    assert found.seeds[0] == 5 and found.seeds[1] in (3, 4)
    assert found.gains.sum() == pytest.approx(found.spread)
    assert found.spread == pytest.approx(6.0, abs=0.3)


def test_greedy_stops_when_nothing_more_is_covered() -> None:
    found = imm(REACH, certain(REACH), 7, np.random.default_rng(0), epsilon=QUICK)
    assert sorted(found.seeds.tolist()) == [3, 4, 5]  # every node is reached: no fourth seed
    assert found.spread == pytest.approx(7.0)


def test_imm_picks_spread_as_estimated_on_independent_simulations() -> None:
    g, p = random_graph(6, n=40, m=140)
    found = imm(g, p, 3, np.random.default_rng(7), epsilon=0.2)
    check = monte_carlo_spread(g, p, found.seeds, 20_000, np.random.default_rng(8))
    assert found.rr_sets > 1_000 and found.sampling_rr_sets > 0 and found.lower_bound >= 3
    # The estimate leans high (the sets chose the seeds) but within epsilon of the truth.
    assert abs(found.spread - check.mean) < 0.2 * check.mean


def test_excluded_nodes_are_never_picked() -> None:
    found = imm(STAR, np.full(STAR.edges, 0.5), 2, np.random.default_rng(0), epsilon=QUICK,
                excluded=[0])
    assert 0 not in found.seeds.tolist() and found.seeds.tolist()[0] == 6


def test_forced_nodes_come_first_and_count_toward_k() -> None:
    found = imm(STAR, np.full(STAR.edges, 0.5), 2, np.random.default_rng(0), epsilon=QUICK,
                forced=[7])
    assert found.seeds.tolist() == [7, 0]
    assert found.gains[0] == pytest.approx(1.0, abs=0.2)  # 7 reaches nobody but itself


def test_a_fixed_generator_gives_the_same_selection() -> None:
    g, p = random_graph(9)
    first = imm(g, p, 4, np.random.default_rng(11), epsilon=QUICK)
    again = imm(g, p, 4, np.random.default_rng(11), epsilon=QUICK)
    assert first.seeds.tolist() == again.seeds.tolist()
    assert first.gains.tolist() == again.gains.tolist() and first.rr_sets == again.rr_sets


def test_max_rr_sets_caps_the_sample_and_says_so() -> None:
    found = imm(STAR, np.full(STAR.edges, 0.5), 1, np.random.default_rng(0), max_rr_sets=50)
    assert found.rr_sets == 50 and not found.guaranteed


def test_an_empty_graph_has_no_seeds() -> None:
    empty = Graph(node_ids=np.zeros(0, dtype=np.int64), adjacency=sparse.csr_matrix((0, 0)))
    found = imm(empty, [], 3, np.random.default_rng(0))
    assert found.seeds.size == 0 and found.spread == 0.0 and found.rr_sets == 0


# --- budgets ------------------------------------------------------------------------------------

def stars(sizes: list[int]) -> Graph:
    """Disjoint stars with certain edges: centre ``i`` of each is followed by its leaves."""
    edges, at = [], len(sizes)
    for centre, leaves in enumerate(sizes):
        edges += [(centre, leaf) for leaf in range(at, at + leaves)]
        at += leaves
    return graph(at, edges)


def test_cost_ratio_wins_when_two_cheap_seeds_beat_one_dear_one() -> None:
    g = stars([9, 5, 5])  # centres 0, 1, 2 reach 10, 6 and 6 nodes
    costs = np.full(len(g.node_ids), 1_000.0)
    costs[:3] = [10.0, 5.0, 5.0]
    found = budgeted_imm(g, certain(g), costs, 10.0, np.random.default_rng(0), epsilon=QUICK)
    assert found.k_max == 2
    assert found.greedy.seeds.tolist() == [0]
    assert sorted(found.cost_ratio.seeds.tolist()) == [1, 2]
    assert found.best is found.cost_ratio and found.best.spread == pytest.approx(12.0, abs=1.0)


def test_plain_greedy_wins_when_the_cheap_seed_is_small() -> None:
    g = stars([9, 1])  # centres 0 and 1 reach 10 and 2 nodes
    costs = np.full(len(g.node_ids), 1_000.0)
    costs[:2] = [10.0, 1.0]
    found = budgeted_imm(g, certain(g), costs, 10.0, np.random.default_rng(0), epsilon=QUICK)
    assert found.cost_ratio.seeds.tolist() == [1]  # 0 no longer fits after it
    assert found.greedy.seeds.tolist() == [0]
    assert found.best is found.greedy


def test_every_selection_keeps_to_the_budget() -> None:
    g, p = random_graph(12, n=40, m=150)
    costs = np.random.default_rng(13).uniform(1.0, 10.0, size=40)
    found = budgeted_imm(g, p, costs, 17.5, np.random.default_rng(14), epsilon=QUICK,
                         forced=[3], excluded=[5, 6])
    for selection in (found.best, found.cost_ratio, found.greedy):
        assert math.fsum(costs[selection.seeds]) <= 17.5
        assert selection.cost == pytest.approx(math.fsum(costs[selection.seeds]))
        assert selection.seeds[0] == 3 and not {5, 6} & set(selection.seeds.tolist())
    cheapest = np.sort(np.delete(costs, [3, 5, 6]))
    assert found.k_max == int((np.cumsum(cheapest) <= 17.5 - costs[3]).sum())


def test_free_nodes_are_taken_first() -> None:
    g = stars([2, 3])
    costs = np.array([0.0, 4.0] + [100.0] * 5)
    found = budgeted_imm(g, certain(g), costs, 4.0, np.random.default_rng(0), epsilon=QUICK)
    assert found.cost_ratio.seeds.tolist() == [0, 1]


# --- baselines ----------------------------------------------------------------------------------

def test_celf_takes_the_centre_then_the_next_best() -> None:
    found = celf(STAR, np.full(STAR.edges, 0.5), 2, 200, np.random.default_rng(0))
    assert found.seeds.tolist() == [0, 6]
    assert found.spread == pytest.approx(found.gains.sum())
    assert found.evaluations >= len(STAR.node_ids)


def test_top_degree_skips_excluded_nodes() -> None:
    assert top_degree(STAR, np.full(STAR.edges, 0.5), 1, excluded=[0]).tolist() == [6]


# --- preconditions ------------------------------------------------------------------------------

@pytest.mark.parametrize("probs", [[1.0] * 4, [1.0] * 6, [1.0, 1.5, 1.0, 1.0, 1.0],
                                   [1.0, -0.1, 1.0, 1.0, 1.0], [1.0, math.nan, 1.0, 1.0, 1.0]])
def test_probabilities_must_fit_the_edges_and_lie_in_0_1(probs: list[float]) -> None:
    with pytest.raises(InvalidInput) as caught:
        monte_carlo_spread(REACH, probs, [0], 10, np.random.default_rng(0))
    assert caught.value.field == "probs"


@pytest.mark.parametrize(("arguments", "field"), [
    ({"k": 0}, "k"), ({"k": -2}, "k"), ({"k": 1.5}, "k"), ({"epsilon": 0.0}, "epsilon"),
    ({"epsilon": 1.0}, "epsilon"), ({"ell": 0.0}, "ell"), ({"forced": [1, 2], "k": 1}, "forced"),
    ({"forced": [1], "excluded": [1]}, "forced"), ({"excluded": [9]}, "excluded"),
    ({"forced": [2, 2], "k": 3}, "forced"), ({"max_rr_sets": 0}, "max_rr_sets")])
def test_imm_refuses_bad_arguments(arguments: dict[str, object], field: str) -> None:
    options: dict[str, object] = {"k": 2, **arguments}
    with pytest.raises(InvalidInput) as caught:
        imm(REACH, certain(REACH), rng=np.random.default_rng(0), **options)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(("costs", "budget", "field"), [
    ([1.0] * 6, 5.0, "costs"), ([1.0, -1.0, 1, 1, 1, 1, 1], 5.0, "costs"),
    ([1.0, math.inf, 1, 1, 1, 1, 1], 5.0, "costs"), ([1.0] * 7, -1.0, "budget"),
    ([1.0] * 7, math.nan, "budget")])
def test_budgets_refuse_bad_costs(costs: list[float], budget: float, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        budgeted_imm(REACH, certain(REACH), costs, budget, np.random.default_rng(0))
    assert caught.value.field == field


def test_forced_nodes_must_fit_in_the_budget() -> None:
    with pytest.raises(InvalidInput) as caught:
        budgeted_imm(REACH, certain(REACH), [3.0] * 7, 5.0, np.random.default_rng(0),
                     forced=[0, 1])
    assert caught.value.field == "forced"


@pytest.mark.parametrize(("seeds", "runs", "field"), [
    ([7], 10, "seeds"), ([-1], 10, "seeds"), ([0, 0], 10, "seeds"), ([0.5], 10, "seeds"),
    ([0], 0, "runs")])
def test_monte_carlo_refuses_bad_seeds_and_runs(seeds: list[float], runs: int,
                                                field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        monte_carlo_spread(REACH, certain(REACH), seeds, runs, np.random.default_rng(0))
    assert caught.value.field == field


def test_a_graph_must_be_square_csr() -> None:
    odd = Graph(node_ids=np.arange(2), adjacency=sparse.csr_matrix((2, 3)))
    with pytest.raises(InvalidInput) as caught:
        cascade(odd, [])
    assert caught.value.field == "graph"

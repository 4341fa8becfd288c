"""The planner's objectives: reach across platforms and parts, and spread on RR sets."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from scipy import sparse

from kolscope.core.discovery.graph import Graph
from kolscope.core.planning.influence import (
    budgeted_imm,
    budgeted_sample,
    monte_carlo_spread,
    rr_spread,
    weighted_cascade,
)
from kolscope.core.planning.objectives import (
    Additive,
    PlatformReach,
    ReachPart,
    SpreadCoverage,
    population_of,
)
from kolscope.core.planning.portfolio import Constraints, Option, plan
from kolscope.core.planning.reach import CountReach, EngagerReach, split_sample
from kolscope.errors import InvalidInput


def test_additive_sums_values() -> None:
    a = Additive([1.0, 2.5])
    a.add(1)
    assert (a.gain(0), a.value()) == (1.0, 2.5)
    a.reset()
    assert a.value() == 0.0


def test_parts_of_one_platform_combine_as_independent_draws_by_hand() -> None:
    pop = {"instagram": 1000.0, "tiktok": 1000.0, "other": 1000.0}
    sampled = EngagerReach([np.arange(10), np.arange(5, 15)], [400.0, 400.0])
    counted = CountReach([500.0], population=1000.0)
    other = CountReach([100.0], population=1000.0)
    reach = PlatformReach([ReachPart("instagram", sampled, [0, 1], "samples"),
                           ReachPart("instagram", counted, [2], "counts"),
                           ReachPart("tiktok", other, [3], "counts")], 4, population=pop)
    assert reach.gain(0) == pytest.approx(400)
    reach.add(0)
    # each sampled person stands for 40; 5 of the second sample's 10 are new
    assert reach.gain(1) == pytest.approx(200)
    reach.add(1)
    # the counted part draws independently: half its 500 is new beside the 600 reached
    assert reach.gain(2) == pytest.approx(500 * (1 - 600 / 1000))
    reach.add(2)
    assert reach.value() == pytest.approx(1000 * (1 - 0.4 * 0.5))
    assert reach.gain(3) == pytest.approx(100)  # another platform: all new
    assert reach.how(2) == "counts"
    reach.reset()
    assert reach.value() == 0.0
    assert population_of("mastodon", pop) == 1000.0


def test_reach_parts_are_validated() -> None:
    one = CountReach([1.0], population=10.0)
    with pytest.raises(InvalidInput, match="one member per KOL"):
        PlatformReach([ReachPart("x", one, [0, 1], "counts")], 2)
    with pytest.raises(InvalidInput, match="two reach parts"):
        PlatformReach([ReachPart("x", one, [0], "a"), ReachPart("y", one, [0], "b")], 1)
    with pytest.raises(InvalidInput, match="at least one id"):
        EngagerReach([np.array([], dtype=np.int64)], [1.0])


def test_engager_reach_weights_each_sampled_person_by_its_kol() -> None:
    # a: 100 people sampled 10 (weight 10); b: the same 10 sampled for 1000 people (weight 100)
    r = EngagerReach([np.arange(10), np.arange(10), np.arange(10, 15)], [100.0, 1000.0, 50.0])
    assert [r.union_size([k]) for k in range(3)] == [100.0, 1000.0, 50.0]
    assert r.union_size([0, 1]) == 1000.0  # b covers a's people with more weight
    assert r.union_size([1, 0]) == 1000.0 and r.union_size([0, 2]) == 150.0
    state = r.add(r.empty(), 1)
    assert r.marginal_gain(state, 0) == 0.0 and r.marginal_gain(state, 2) == 50.0
    state = r.add(r.empty(), 0)
    assert r.marginal_gain(state, 1) == 900.0
    # submodular on every pair of nested selections of this example
    for k in range(3):
        for small, large in (([], [0]), ([0], [0, 2]), ([2], [1, 2])):
            if k in large:
                continue
            gain = r.union_size([*small, k]) - r.union_size(small)
            assert gain >= r.union_size([*large, k]) - r.union_size(large)
    a, b = split_sample(np.arange(20_000))
    assert abs(a.size - b.size) < 600 and np.intersect1d(a, b).size == 0


def _star(n: int = 40) -> Graph:
    """Hub 0 reaches 1..n-1 with certainty; node n-1 reaches nobody; 1 → 2 certain."""
    rows = [0] * (n - 1) + [1]
    cols = [*range(1, n), 2]
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return Graph(np.arange(n, dtype=np.int64), a)


def test_spread_coverage_plans_within_every_constraint_and_checks_fresh() -> None:
    rng = np.random.default_rng(7)
    n = 200
    a = sparse.random(n, n, density=0.03, random_state=1, format="csr")
    a.data[:] = 1.0
    g = Graph(np.arange(n, dtype=np.int64), a)
    probs = weighted_cascade(g)
    costs = rng.uniform(1, 10, n)
    sample = budgeted_sample(g, probs, costs, 30.0, np.random.default_rng(1))
    assert sample.k_max >= 3 and sample.guaranteed and sample.sets.count > 0
    options = [Option(account_id=i, handle=f"k{i}", platform=("x", "weibo")[i % 2],
                      tier=None, cost=Decimal(str(round(costs[i], 2)))) for i in range(n)]
    spread = SpreadCoverage(sample, np.arange(n))
    p = plan(options, spread, Constraints(budget=Decimal(30), max_platform_share=0.5),
             name="influence")
    chosen = [k.account_id for k in p.picks]
    assert p.picks and p.spent <= Decimal(30)
    assert sum(float(k.cost) for k in p.picks if k.platform == "x") <= 15
    assert p.value == pytest.approx(rr_spread(sample.sets, chosen, n))
    assert sum(k.gain for k in p.picks) == pytest.approx(p.value)
    # the claim holds up on cascades the RR sets never saw, within a few standard errors
    check = monte_carlo_spread(g, probs, chosen, 4000, np.random.default_rng(99))
    assert abs(check.mean - p.value) < 4 * check.stderr + 0.05 * p.value
    # without extra constraints it does as well as budgeted IMM on its own sets
    free = plan(options, spread, Constraints(budget=Decimal(30)), name="influence")
    best = budgeted_imm(g, probs, costs, 30.0, np.random.default_rng(1)).best
    assert free.value >= 0.9 * best.spread


def test_spread_coverage_of_options_outside_the_graph_is_nothing() -> None:
    g = _star()
    sample = budgeted_sample(g, np.ones(g.edges), np.ones(40), 2.0, np.random.default_rng(0))
    spread = SpreadCoverage(sample, [0, -1, 39])
    assert spread.gain(1) == 0.0
    assert spread.gain(0) == pytest.approx(40, rel=0.2)
    spread.add(0)
    assert spread.gain(2) == pytest.approx(0.0, abs=1.0)  # the hub already reaches 39
    with pytest.raises(InvalidInput, match="share a graph node"):
        SpreadCoverage(sample, [0, 0])
    with pytest.raises(InvalidInput, match="positions"):
        SpreadCoverage(sample, [40])


def test_engager_reach_is_the_same_for_dense_and_sparse_ids() -> None:
    rng = np.random.default_rng(5)
    samples = [rng.integers(0, 500, 40) for _ in range(6)]
    counts = rng.uniform(100, 1000, 6)
    dense = EngagerReach(samples, counts)
    sparse_ids = EngagerReach([s.astype(np.uint64) * np.uint64(2**40) for s in samples], counts)
    assert dense.people == max(int(s.max()) for s in samples) + 1  # indexed by id
    assert sparse_ids.people < 500
    for picks in ([0], [1, 2], [0, 3, 5], list(range(6))):
        assert dense.union_size(picks) == pytest.approx(sparse_ids.union_size(picks))

"""Unique reach: HyperLogLog sketches, sample scaling, the count-only model and lazy greedy.

Small cases are checked by hand; sketch errors against exact counts, within three standard
errors (1.04 / sqrt(m)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from kolscope.core.planning.reach import (
    DEFAULT_PRECISION,
    REACH_METHOD_VERSION,
    CountReach,
    ReachEstimator,
    ReachObjective,
    SketchReach,
    as_ids,
    coordinated_sample,
    distinct_ids,
    effective_population,
    estimate,
    greedy_reach,
    merge,
    overlap_lift,
    sketch,
    sketch_audience,
    splitmix64,
    standard_error,
)
from kolscope.errors import InvalidInput

MASK = (1 << 64) - 1


def reference_splitmix64(x: int) -> int:
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def scrambled(start: int, stop: int) -> np.ndarray:
    """Ids ``start..stop`` spread over a 64-bit space, distinct, like platform ids."""
    return (np.arange(start, stop, dtype=np.uint64) * np.uint64(2_654_435_761)) + np.uint64(7)


class SetReach:
    """A reach estimator over Python sets, the plainest implementation of the protocol."""

    def __init__(self, audiences: Sequence[set[int]]) -> None:
        self.audiences = list(audiences)

    @property
    def kols(self) -> int:
        return len(self.audiences)

    def empty(self) -> frozenset[int]:
        return frozenset()

    def add(self, state: frozenset[int], kol: int) -> frozenset[int]:
        return state | self.audiences[kol]

    def reach(self, state: frozenset[int]) -> float:
        return float(len(state))

    def marginal_gain(self, state: frozenset[int], kol: int) -> float:
        return float(len(self.audiences[kol] - state))

    def union_size(self, selected: Sequence[int]) -> float:
        return float(len(set().union(*(self.audiences[k] for k in selected))))


def test_version_and_defaults() -> None:
    assert REACH_METHOD_VERSION == "reach-1"
    assert DEFAULT_PRECISION == 14
    assert standard_error(14) == pytest.approx(1.04 / 128)


# --- ids and hashing ----------------------------------------------------------------------------

def test_splitmix64_matches_the_reference_mixer() -> None:
    assert int(splitmix64([0])[0]) == 0xE220A8397B1DCDAF  # splitmix64's first output, seed 0
    values = [1, 2, 12345, 2**32 + 1, 2**63 - 1, 2**64 - 1]
    got = splitmix64(np.array(values, dtype=np.uint64))
    assert [int(v) for v in got] == [reference_splitmix64(v) for v in values]


@pytest.mark.parametrize("bad", [[[1, 2]], [1.5, 2.0], [-1, 2], ["a"]])
def test_ids_must_be_non_negative_integers_in_one_dimension(bad: object) -> None:
    with pytest.raises(InvalidInput) as error:
        as_ids(bad)  # type: ignore[arg-type]
    assert error.value.field == "ids"


def test_distinct_ids_sorts_and_drops_repeats() -> None:
    assert distinct_ids([5, 1, 5, 3, 1]).tolist() == [1, 3, 5]
    assert distinct_ids([]).size == 0
    assert distinct_ids(np.array([2**64 - 1, 0], dtype=np.uint64)).tolist() == [0, 2**64 - 1]


# --- HyperLogLog -------------------------------------------------------------------------------

@pytest.mark.parametrize("precision", [12, 14, 16])
def test_estimate_of_1e5_ids_is_within_three_standard_errors(precision: int) -> None:
    ids = scrambled(0, 100_000)
    error = sketch(ids, precision).estimate() / ids.size - 1.0
    assert abs(error) < 3 * standard_error(precision)


def test_small_sets_use_linear_counting_and_are_nearly_exact() -> None:
    assert sketch([]).estimate() == 0.0
    assert sketch([42]).estimate() == pytest.approx(1.0, abs=1e-3)
    # Linear counting's standard deviation, sqrt(m (e^t - t - 1)) with t = n / m: 2.8 of 500.
    m, n = 1 << DEFAULT_PRECISION, 500
    spread = math.sqrt(m * (math.exp(n / m) - n / m - 1))
    assert abs(sketch(scrambled(0, n)).estimate() - n) < 3 * spread


def test_repeats_and_order_do_not_change_a_sketch() -> None:
    ids = scrambled(0, 20_000)
    shuffled = np.random.default_rng(0).permutation(np.concatenate([ids, ids[:5_000]]))
    assert np.array_equal(sketch(ids).registers, sketch(shuffled).registers)
    assert np.array_equal(sketch(ids).registers, sketch(ids.copy()).registers)


def test_merge_is_the_sketch_of_the_union() -> None:
    a, b, c = scrambled(0, 30_000), scrambled(20_000, 60_000), scrambled(100, 200)
    merged = merge([sketch(a), sketch(b), sketch(c)])
    assert np.array_equal(merged.registers, sketch(np.concatenate([a, b, c])).registers)
    assert np.array_equal(sketch(a).merge(sketch(b)).registers,
                          sketch(np.concatenate([a, b])).registers)
    assert abs(merged.estimate() / 60_000 - 1) < 3 * standard_error()


@pytest.mark.parametrize("precision", [4, 10, 11, 14, 18])
def test_registers_keep_the_rank_of_the_first_one_bit(precision: int) -> None:
    # The rank reads the q = min(64 - p, 53) hash bits after the index.
    p, q = precision, min(64 - precision, 53)
    for x in (7, 123_456_789, 2**40 + 3):
        h = int(splitmix64([x])[0])
        top = (h & ((1 << (64 - p)) - 1)) >> (64 - p - q)
        registers = sketch([x], p).registers
        assert registers[h >> (64 - p)] == q - top.bit_length() + 1
        assert np.count_nonzero(registers) == 1


def test_precision_is_checked() -> None:
    for bad in (3, 19, 14.0, True):
        with pytest.raises(InvalidInput) as error:
            sketch([1], bad)  # type: ignore[arg-type]
        assert error.value.field == "precision"
    with pytest.raises(InvalidInput):
        merge([sketch([1], 12), sketch([1], 14)])
    with pytest.raises(InvalidInput):
        merge([])


def test_raw_estimate_above_the_small_range() -> None:
    registers = np.full(1 << 4, 10, dtype=np.uint8)
    assert estimate(registers) == pytest.approx(0.673 * 256 / (16 * 2.0**-10))


# --- samples -----------------------------------------------------------------------------------

def test_coordinated_samples_keep_shared_ids_in_both_and_nest() -> None:
    ids = scrambled(0, 200_000)
    tenth, twentieth = coordinated_sample(ids, 0.1), coordinated_sample(ids, 0.05)
    assert abs(tenth.size / ids.size - 0.1) < 0.005
    assert set(twentieth.tolist()) <= set(tenth.tolist())
    kept_of_half = coordinated_sample(ids[100_000:], 0.1)
    assert set(kept_of_half.tolist()) == set(tenth.tolist()) & set(ids[100_000:].tolist())
    assert coordinated_sample(ids, 1.0).size == ids.size
    for bad in (0.0, -0.1, 1.5, math.nan):
        with pytest.raises(InvalidInput):
            coordinated_sample(ids, bad)


def test_sample_scaling_recovers_a_known_overlap() -> None:
    # A and B share 100k of their 200k followers each; C is apart. Union 400k. A 5% sample keeps
    # every sketch in linear counting's range, where it is unbiased (see the method page).
    a, b, c = scrambled(0, 200_000), scrambled(100_000, 300_000), scrambled(500_000, 600_000)
    audiences = [sketch_audience(coordinated_sample(ids, 0.05), count=float(ids.size))
                 for ids in (a, b, c)]
    reach = SketchReach(audiences)
    assert reach.union_size([0]) == pytest.approx(200_000)
    assert reach.union_size([0, 1]) == pytest.approx(300_000, rel=0.03)
    assert reach.union_size([0, 1, 2]) == pytest.approx(400_000, rel=0.03)
    after_a = reach.add(reach.empty(), 0)
    assert reach.marginal_gain(after_a, 1) == pytest.approx(100_000, abs=0.03 * 300_000)
    assert reach.marginal_gain(after_a, 2) == pytest.approx(100_000, abs=0.03 * 300_000)


def test_independent_samples_hide_overlap() -> None:
    a, b = scrambled(0, 200_000), scrambled(100_000, 300_000)
    rng = np.random.default_rng(1)
    samples = [rng.choice(ids, 20_000, replace=False) for ids in (a, b)]
    reach = SketchReach([sketch_audience(s, count=200_000.0) for s in samples])
    assert reach.union_size([0, 1]) > 0.9 * 400_000  # the 300k union reads as near-disjoint


def test_full_lists_give_the_merged_estimate() -> None:
    lists = [scrambled(0, 40_000), scrambled(30_000, 90_000), scrambled(85_000, 100_000)]
    reach = SketchReach([sketch_audience(ids) for ids in lists])
    assert reach.union_size([0, 1, 2]) == pytest.approx(
        merge([sketch(ids) for ids in lists]).estimate())
    assert abs(reach.union_size([0, 1, 2]) / 100_000 - 1) < 3 * standard_error()
    assert reach.union_size([]) == 0.0
    assert reach.union_size([1, 1, 0]) == reach.union_size([0, 1])


def test_sketch_audience_is_checked() -> None:
    for ids, count in (([1, 2, 3], 2.0), ([1], -1.0), ([], 10.0), ([1], math.nan)):
        with pytest.raises(InvalidInput):
            sketch_audience(ids, count=count)
    assert sketch_audience([], count=0.0).count == 0.0
    with pytest.raises(InvalidInput):
        SketchReach([])
    with pytest.raises(InvalidInput):
        SketchReach([sketch_audience([1], precision=12), sketch_audience([1])])
    reach = SketchReach([sketch_audience([1, 2])])
    for kol in (1, -1, True):
        with pytest.raises(InvalidInput) as error:
            reach.add(reach.empty(), kol)
        assert error.value.field == "kol"


# --- counts only -------------------------------------------------------------------------------

def test_independent_audiences_from_counts() -> None:
    # 1000 * (1 - 0.9 * 0.8) = 280: 100 + 200 less the 20 they share at random.
    reach = CountReach([100, 200], population=1_000)
    assert reach.union_size([0, 1]) == pytest.approx(280)
    assert reach.union_size([0]) == pytest.approx(100)
    assert reach.marginal_gain(reach.add(reach.empty(), 0), 1) == pytest.approx(180)


def test_same_niche_overlap_uplift() -> None:
    # Lift 2: one niche draws from a pool of 500. Share 2 * 100 * 200 / 1000 = 40, so 260;
    # 1000 * (1 - (1 - 0.5 * (1 - 0.8 * 0.6))) = 260.
    same = CountReach([100, 200], population=1_000, niches=["beauty", "beauty"], lift=2.0)
    assert same.union_size([0, 1]) == pytest.approx(260)
    assert same.union_size([1]) == pytest.approx(200)
    assert same.marginal_gain(same.add(same.empty(), 0), 1) == pytest.approx(160)
    apart = CountReach([100, 200], population=1_000, niches=["beauty", "gaming"], lift=2.0)
    assert apart.union_size([0, 1]) == pytest.approx(280)
    # A third account of no niche: 1000 * (1 - 0.74 * 0.7) = 482.
    mixed = CountReach([100, 200, 300], population=1_000, niches=["beauty", "beauty", None],
                       lift=2.0)
    assert mixed.union_size([0, 1, 2]) == pytest.approx(482)
    state = mixed.add(mixed.add(mixed.empty(), 2), 0)
    assert mixed.marginal_gain(state, 1) == pytest.approx(482 - mixed.union_size([0, 2]))


def test_lift_is_capped_so_no_pool_is_smaller_than_an_audience() -> None:
    # Lift 4 would make a pool of 250 for an audience of 600: capped at 1000/600, the pool is
    # that audience, and the other account of the niche lies inside it.
    reach = CountReach([600, 100], population=1_000, niches=["a", "a"], lift=4.0)
    assert reach.union_size([0]) == pytest.approx(600)
    assert reach.union_size([0, 1]) == pytest.approx(600)


def test_an_audience_of_the_whole_population_leaves_nothing_to_gain() -> None:
    reach = CountReach([1_000, 200], population=1_000)
    state = reach.add(reach.empty(), 0)
    assert reach.reach(state) == pytest.approx(1_000)
    assert reach.marginal_gain(state, 1) == pytest.approx(0)


@pytest.mark.parametrize(("counts", "kwargs"), [
    ([100, 2_000], {"population": 1_000}),
    ([-1, 5], {"population": 1_000}),
    ([math.nan], {"population": 1_000}),
    ([[1, 2]], {"population": 1_000}),
    ([], {"population": 1_000}),
    ([1, 2], {"population": 0.0}),
    ([1, 2], {"population": 1_000, "lift": 0.5}),
    ([1, 2], {"population": 1_000, "niches": ["a"]}),
])
def test_count_model_inputs_are_checked(counts: object, kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        CountReach(counts, **kwargs)  # type: ignore[arg-type]


def test_population_and_lift_fitted_from_known_overlaps() -> None:
    # Pairs (100, 200) sharing 20 and (300, 100) sharing 30: 50000 / 50 = 1000.
    assert effective_population([100, 300], [200, 100], [20, 30]) == pytest.approx(1_000)
    assert overlap_lift([100, 300], [200, 100], [40, 60], population=1_000) == pytest.approx(2)
    assert overlap_lift([100], [200], [5], population=1_000) == 1.0  # never below independence
    for args in (([100], [200], [300]), ([100], [200], [-1]), ([100], [200, 1], [5]),
                 ([], [], [])):
        with pytest.raises(InvalidInput):
            effective_population(*args)
    with pytest.raises(InvalidInput):
        effective_population([100], [200], [0])
    with pytest.raises(InvalidInput):
        overlap_lift([100], [200], [5], population=0.0)


# --- greedy ------------------------------------------------------------------------------------

def test_greedy_picks_the_largest_gain_each_time() -> None:
    a, b, c, d = set(range(1, 11)), set(range(1, 7)), set(range(7, 13)), {13}
    estimator: ReachEstimator[frozenset[int]] = SetReach([a, b, c, d])
    plan = greedy_reach(estimator, 3)
    assert plan.selected == (0, 2, 3)
    assert plan.gains == (10.0, 2.0, 1.0)
    assert plan.reach == 13.0
    assert plan.evaluations <= 4 + 3 * 3
    assert greedy_reach(estimator, 0).selected == ()
    for bad in (-1, 5, True):
        with pytest.raises(InvalidInput):
            greedy_reach(estimator, bad)


def test_greedy_on_counts_prefers_an_account_outside_the_crowded_niche() -> None:
    reach = CountReach([300, 250, 200], population=1_000, niches=["a", "a", "b"], lift=3.0)
    plan = greedy_reach(reach, 2)
    assert plan.selected == (0, 2)
    assert plan.reach == pytest.approx(reach.union_size([0, 2]))


def test_reach_objective_keeps_the_state_of_the_picks() -> None:
    objective = ReachObjective(SetReach([{1, 2, 3}, {3, 4}, {5}]))
    assert objective.gain(0) == 3.0
    objective.add(0)
    assert (objective.gain(1), objective.gain(0), objective.value()) == (1.0, 0.0, 3.0)
    objective.add(1)
    assert objective.value() == 4.0
    objective.reset()
    assert objective.value() == 0.0 and objective.gain(1) == 2.0

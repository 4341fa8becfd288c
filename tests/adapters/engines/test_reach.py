"""Exact unique reach with compressed bitmaps: hand-checked small sets, Python sets as the
reference on random ones, and the sketch estimator against it."""

from __future__ import annotations

import numpy as np
import pytest
from pyroaring import FrozenBitMap

from kolscope.adapters.engines.reach import ExactReach, _numbering
from kolscope.core.planning.reach import (
    ReachEstimator,
    SketchReach,
    greedy_reach,
    sketch_audience,
    standard_error,
)
from kolscope.errors import InvalidInput

BIG = 2**64 - 1


def random_audiences(seed: int, kols: int = 30) -> list[np.ndarray]:
    """Overlapping audiences over a sparse 64-bit id space, with repeats and in no order."""
    rng = np.random.default_rng(seed)
    space = rng.choice(2**62, size=5_000, replace=False).astype(np.uint64)
    return [space[rng.integers(0, rng.integers(50, 5_000), rng.integers(0, 800))]
            for _ in range(kols)]


def test_hand_checked_unions_and_gains() -> None:
    wide = np.array([10**12, BIG], dtype=np.uint64)  # ids of 2^63 and up come as uint64
    reach = ExactReach([[1, 2, 3, 3], [3, 4], wide, []])
    assert reach.kols == 4
    assert reach.union_size([0, 1]) == 4.0
    assert reach.union_size([0, 1, 2, 3]) == 6.0
    assert reach.union_size([]) == 0.0 and reach.union_size([3]) == 0.0
    assert reach.union_size([1, 1]) == 2.0
    state = reach.add(reach.empty(), 0)
    assert reach.reach(state) == 3.0
    assert reach.marginal_gain(state, 1) == 1.0  # only 4 is new
    assert reach.marginal_gain(state, 0) == 0.0
    assert reach.marginal_gain(state, 2) == 2.0
    assert reach.union_ids([0, 1, 2]).tolist() == [1, 2, 3, 4, 10**12, BIG]


def test_states_are_not_changed_by_adding() -> None:
    reach = ExactReach([[1, 2], [2, 3], [4]])
    first = reach.add(reach.empty(), 0)
    second = reach.add(first, 1)
    assert isinstance(first, FrozenBitMap)
    assert (reach.reach(first), reach.reach(second), reach.reach(reach.empty())) == (2, 3, 0)
    assert reach.marginal_gain(first, 2) == reach.marginal_gain(second, 2) == 1.0


def test_large_audiences_are_numbered_first() -> None:
    reach = ExactReach([[9], [5, 6, 7, 9], [6, 8]])
    # 9 and 6 are in the largest audience and one more; then 5 and 7; then 8.
    assert reach.ids.tolist() == [6, 9, 5, 7, 8]
    assert [list(b) for b in reach.bitmaps] == [[1], [0, 1, 2, 3], [0, 4]]


def test_both_numberings_agree() -> None:
    key = np.random.default_rng(0).integers(0, 7, 1_000)
    assert np.array_equal(_numbering(key, packed=True), _numbering(key, packed=False))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_python_sets(seed: int) -> None:
    audiences = random_audiences(seed)
    sets = [set(a.tolist()) for a in audiences]
    reach = ExactReach(audiences)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        selected = rng.choice(len(audiences), rng.integers(1, 12), replace=False).tolist()
        union = set().union(*(sets[k] for k in selected))
        assert reach.union_size(selected) == len(union)
        assert reach.union_ids(selected).tolist() == sorted(union)
        state = reach.empty()
        for k in selected:
            state = reach.add(state, k)
        candidate = int(rng.integers(len(audiences)))
        assert reach.marginal_gain(state, candidate) == len(sets[candidate] - union)


def test_greedy_on_bitmaps_matches_greedy_on_sets() -> None:
    audiences = random_audiences(4)
    sets = [set(a.tolist()) for a in audiences]
    estimator: ReachEstimator[FrozenBitMap] = ExactReach(audiences)
    plan = greedy_reach(estimator, 8)
    covered: set[int] = set()
    for pick, gain in zip(plan.selected, plan.gains, strict=True):
        best = max(len(s - covered) for s in sets)
        assert gain == len(sets[pick] - covered) == best
        covered |= sets[pick]
    assert plan.reach == len(covered)


def test_sketches_agree_with_exact_unions() -> None:
    rng = np.random.default_rng(5)
    audiences = [rng.integers(0, 2**60, rng.integers(20_000, 60_000)) for _ in range(6)]
    audiences[1][:10_000] = audiences[0][:10_000]
    exact, sketched = ExactReach(audiences), SketchReach([sketch_audience(a) for a in audiences])
    for selected in ([0, 1], [0, 1, 2, 3, 4, 5], [2, 5]):
        error = sketched.union_size(selected) / exact.union_size(selected) - 1
        assert abs(error) < 3 * standard_error()


@pytest.mark.parametrize("bad", [[[1, 2]], [1.5], [-3, 1], ["x"]])
def test_ids_are_checked(bad: object) -> None:
    with pytest.raises(InvalidInput) as error:
        ExactReach([[1, 2], bad])  # type: ignore[list-item]
    assert error.value.field == "audiences[1]"


def test_selections_are_checked() -> None:
    with pytest.raises(InvalidInput):
        ExactReach([])
    reach = ExactReach([[1], [2]])
    for kol in (2, -1, True):
        with pytest.raises(InvalidInput) as error:
            reach.union_size([kol])
        assert error.value.field == "kol"
    with pytest.raises(InvalidInput):
        reach.marginal_gain(reach.empty(), 5)

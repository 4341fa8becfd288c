"""Unique reach of a set of KOLs whose audiences overlap, and the greedy selection that grows it.

Three estimators answer the same questions (:class:`ReachEstimator`), chosen by the data at hand:

- full follower or engager lists: exact set unions with compressed bitmaps, in
  ``kolscope.adapters.engines.reach`` (pyroaring);
- samples of the lists (or lists too large to keep): HyperLogLog sketches (:class:`SketchReach`,
  Flajolet et al. 2007; Heule et al. 2013), scaled to each account's known count;
- follower counts only: a random-audience overlap model with a same-niche uplift
  (:class:`CountReach`).

A planner keeps a *state* per selection: ``add`` returns a new state with one more KOL and
``marginal_gain`` says how much new reach a candidate brings to a state, without rebuilding the
union. States are never changed in place, so a planner may branch from any of them.
Method: ``docs/methods/reach.md``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from kolscope.errors import InvalidInput

REACH_METHOD_VERSION = "reach-1"
DEFAULT_PRECISION = 14
MIN_PRECISION = 4
MAX_PRECISION = 18

Ids = npt.NDArray[np.uint64]
Registers = npt.NDArray[np.uint8]
FloatArray = npt.NDArray[np.float64]

StateT = TypeVar("StateT")

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
#: Added to an id before hashing it for :func:`coordinated_sample`, so that which ids a sample
#: keeps is independent of the register and rank their sketch gives them.
SAMPLE_SALT = np.uint64(0x5851F42D4C957F2D)
_CHUNK = 1 << 16
_INVERSE_POWERS = np.ldexp(1.0, -np.arange(66))


class ReachEstimator(Protocol[StateT]):
    """What a planner asks of a set of audiences, KOL ``i`` being audience ``i``."""

    @property
    def kols(self) -> int:
        """The number of audiences."""
        ...

    def empty(self) -> StateT:
        """The state of an empty selection."""
        ...

    def add(self, state: StateT, kol: int) -> StateT:
        """A new state: ``state``'s selection with ``kol`` added (``state`` is unchanged)."""
        ...

    def reach(self, state: StateT) -> float:
        """The unique reach of ``state``'s selection."""
        ...

    def marginal_gain(self, state: StateT, kol: int) -> float:
        """The reach ``kol`` adds to ``state``'s selection."""
        ...

    def union_size(self, selected: Sequence[int]) -> float:
        """The unique reach of the KOLs ``selected``, from scratch."""
        ...


# --- ids and hashing ----------------------------------------------------------------------------

def as_ids(values: npt.ArrayLike, field: str = "ids") -> Ids:
    """``values`` as a 1-D uint64 array of non-negative integer ids (repeats kept).

    Ids of 2^63 and above must come as a uint64 array: numpy reads a list holding them as
    floats, which are refused.

    Raises
    ------
    InvalidInput
        When ``values`` is not one-dimensional, not integer, or holds a negative id.
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise InvalidInput(f"{field} must be one-dimensional", field=field, shape=array.shape)
    if array.size == 0:
        return np.empty(0, dtype=np.uint64)
    if array.dtype.kind not in "iu":
        raise InvalidInput(f"{field} must be integers, not {array.dtype}", field=field)
    if array.dtype.kind == "i" and int(array.min()) < 0:
        raise InvalidInput(f"{field} must be non-negative", field=field)
    return array.astype(np.uint64, copy=False)


def distinct_ids(values: npt.ArrayLike, field: str = "ids") -> Ids:
    """The distinct ids of ``values`` (:func:`as_ids`), sorted.

    Sorts and drops repeats: numpy 2.4's ``np.unique`` hashes integers instead, which
    ``benchmarks/reach.py`` measures many times slower on follower ids.
    """
    ids = np.sort(as_ids(values, field))
    if ids.size < 2:
        return ids
    keep = np.empty(ids.size, dtype=np.bool_)
    keep[0] = True
    np.not_equal(ids[1:], ids[:-1], out=keep[1:])
    return ids[keep]


def splitmix64(ids: npt.ArrayLike) -> Ids:
    """The splitmix64 finaliser (Steele et al. 2014) of each id: a fixed 64-bit mix.

    ``z = x + 0x9E3779B97F4A7C15; z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9;
    z = (z ^ z >> 27) * 0x94D049BB133111EB; z ^ z >> 31``, all modulo 2^64.

    Examples
    --------
    >>> hex(int(splitmix64([0])[0]))
    '0xe220a8397b1dcdaf'
    """
    z = as_ids(ids) + _GOLDEN
    z ^= z >> np.uint64(30)
    z *= _MIX_1
    z ^= z >> np.uint64(27)
    z *= _MIX_2
    z ^= z >> np.uint64(31)
    return z


def coordinated_sample(ids: npt.ArrayLike, rate: float) -> Ids:
    """The ids whose salted hash falls in the lowest ``rate`` of the hash range.

    Every account sampled at the same rate keeps the same followers, so an overlap of two
    audiences is kept in both samples; this is what :class:`SketchReach` scales from.

    Parameters
    ----------
    ids : array_like
        Non-negative integer follower ids.
    rate : float
        The share of ids kept, in (0, 1]. A sample at a lower rate is a subset of one at a
        higher rate, so samples can be brought down to a common rate.

    Returns
    -------
    numpy.ndarray
        The kept ids (uint64), in their input order.
    """
    if not 0.0 < rate <= 1.0:
        raise InvalidInput("rate must lie in (0, 1]", field="rate", rate=rate)
    values = as_ids(ids)
    if rate == 1.0:
        return values
    threshold = np.uint64(min(int(rate * 2.0**64), 2**64 - 1))
    return values[splitmix64(values + SAMPLE_SALT) < threshold]


# --- HyperLogLog -------------------------------------------------------------------------------

def _check_precision(precision: int) -> int:
    if isinstance(precision, bool) or not isinstance(precision, int | np.integer) or not (
            MIN_PRECISION <= precision <= MAX_PRECISION):
        raise InvalidInput(f"precision must be an integer in [{MIN_PRECISION}, {MAX_PRECISION}]",
                           field="precision", precision=precision)
    return int(precision)


def standard_error(precision: int = DEFAULT_PRECISION) -> float:
    """The relative standard error of a HyperLogLog estimate, 1.04 / sqrt(2^precision)."""
    return 1.04 / math.sqrt(1 << _check_precision(precision))


@dataclass(frozen=True, eq=False)
class Sketch:
    """A HyperLogLog sketch: ``2**precision`` registers, each the largest rank seen there."""

    precision: int
    registers: Registers

    def estimate(self) -> float:
        """The estimated number of distinct ids sketched (:func:`estimate`)."""
        return estimate(self.registers)

    def merge(self, other: Sketch) -> Sketch:
        """The sketch of the union of both sketches' ids."""
        return merge([self, other])


def _update(registers: Registers, hashes: Ids, precision: int) -> None:
    rank_bits = min(64 - precision, 53)
    index = (hashes >> np.uint64(64 - precision)).astype(np.intp)
    skipped = 64 - precision - rank_bits
    rest = hashes >> np.uint64(skipped) if skipped else hashes
    # Below 2^53 the float is exact, and its exponent field is 1022 + the bit length (0 for 0).
    as_float = (rest & np.uint64((1 << rank_bits) - 1)).view(np.int64).astype(np.float64)
    exponent = (as_float.view(np.uint64) >> np.uint64(52)).astype(np.int16)
    np.maximum(exponent, 1022, out=exponent)
    np.subtract(rank_bits + 1023, exponent, out=exponent)
    np.maximum.at(registers, index, exponent.astype(np.uint8))


def sketch(ids: npt.ArrayLike, precision: int = DEFAULT_PRECISION) -> Sketch:
    """The HyperLogLog sketch of ``ids``.

    Parameters
    ----------
    ids : array_like
        Non-negative integer ids; repeats do not count twice.
    precision : int
        ``p``: the sketch has ``m = 2**p`` one-byte registers, in [4, 18]; default 14
        (16 KiB, standard error 1.04 / sqrt(m) = 0.81%).

    Returns
    -------
    Sketch

    Notes
    -----
    Each id is hashed by :func:`splitmix64`. The top ``p`` bits of the hash pick a register; the
    next ``q = min(64 - p, 53)`` bits (all of the rest for ``p >= 11``) give the rank, the
    position of their first 1-bit (``q + 1`` when they are all zero); a register keeps its
    largest rank.

    References
    ----------
    .. [1] P. Flajolet, É. Fusy, O. Gandouet, F. Meunier, "HyperLogLog: the analysis of a
       near-optimal cardinality estimation algorithm", AofA 2007.
    .. [2] S. Heule, M. Nunkesser, A. Hall, "HyperLogLog in practice", EDBT 2013.

    Examples
    --------
    >>> round(sketch(range(1000)).estimate())
    995
    """
    p = _check_precision(precision)
    values = as_ids(ids)
    registers = np.zeros(1 << p, dtype=np.uint8)
    for start in range(0, values.size, _CHUNK):
        _update(registers, splitmix64(values[start:start + _CHUNK]), p)
    return Sketch(precision=p, registers=registers)


def _alpha(m: int) -> float:
    return {16: 0.673, 32: 0.697, 64: 0.709}.get(m, 0.7213 / (1.0 + 1.079 / m))


def estimate(registers: Registers) -> float:
    """The HyperLogLog estimate of the distinct ids behind ``registers``.

    The raw estimate ``alpha_m * m^2 / sum(2^-M[j])``; at or below ``5m / 2``, while some
    registers are still zero, linear counting ``m * ln(m / zeros)`` instead. No large-range
    correction: with a 64-bit hash, collisions matter only near 2^64 ids.
    """
    m = registers.size
    raw = _alpha(m) * m * m / float(_INVERSE_POWERS[registers].sum())
    zeros = m - int(np.count_nonzero(registers))
    if raw <= 2.5 * m and zeros:
        return m * math.log(m / zeros)
    return raw


def merge(sketches: Sequence[Sketch]) -> Sketch:
    """The sketch of the union of the ids of ``sketches``: the register-wise maximum.

    Raises
    ------
    InvalidInput
        When there are no sketches or their precisions differ.
    """
    if not sketches:
        raise InvalidInput("merge needs at least one sketch", field="sketches")
    precision = sketches[0].precision
    if any(s.precision != precision for s in sketches):
        raise InvalidInput("sketches of different precisions cannot be merged",
                           field="sketches", precisions=sorted({s.precision for s in sketches}))
    registers = sketches[0].registers.copy()
    for s in sketches[1:]:
        np.maximum(registers, s.registers, out=registers)
    return Sketch(precision=precision, registers=registers)


# --- sketched audiences ------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class AudienceSketch:
    """One account's audience as a sketch of a sample of it, with its known size.

    ``sketch`` holds the sampled ids, whose estimated number is ``sketched``; ``count`` is the
    size of the whole audience the sample stands for.
    """

    sketch: Sketch
    count: float
    sketched: float


def sketch_audience(ids: npt.ArrayLike, *, count: float | None = None,
                    precision: int = DEFAULT_PRECISION) -> AudienceSketch:
    """Sketch an audience from its full list or from a sample of it.

    Parameters
    ----------
    ids : array_like
        The follower (or engager) ids: all of them, or a sample drawn by
        :func:`coordinated_sample` at one rate for every account.
    count : float, optional
        The size of the whole audience (the follower count) when ``ids`` is a sample; at least
        the number of distinct ids given. Left out, ``ids`` is the whole audience and its size is
        the sketch's own estimate.
    precision : int
        The sketch's precision (:func:`sketch`).

    Returns
    -------
    AudienceSketch
    """
    values = as_ids(ids)
    s = sketch(values, precision)
    sketched = s.estimate()
    if count is None:
        return AudienceSketch(sketch=s, count=sketched, sketched=sketched)
    if not math.isfinite(count) or count < 0:
        raise InvalidInput("count must be finite and non-negative", field="count", count=count)
    distinct = int(distinct_ids(values).size)
    if count < distinct:
        raise InvalidInput("count is smaller than the number of distinct ids sampled",
                           field="count", count=count, sampled=distinct)
    if count > 0 and distinct == 0:
        raise InvalidInput("a non-empty audience needs a non-empty sample", field="ids")
    return AudienceSketch(sketch=s, count=float(count), sketched=sketched)


@dataclass(frozen=True, eq=False)
class SketchState:
    """A selection under :class:`SketchReach`: its merged registers, summed sizes and reach."""

    registers: Registers
    sketched: float
    count: float
    reach: float = 0.0


class SketchReach:
    """Unique reach from HyperLogLog sketches of (samples of) each audience.

    The reach of a selection is ``estimate(merged sketches) / sum(sketched) * sum(count)``: the
    share of sampled memberships that are distinct people, applied to the known counts. With
    full lists (``count`` left out in :func:`sketch_audience`) it is the estimate of the merged
    sketch itself. With samples drawn at one rate by :func:`coordinated_sample`, the merged
    sample is that rate's sample of the union, and the ratio is unbiased to first order.

    Parameters
    ----------
    audiences : sequence of AudienceSketch
        One per KOL, all of one precision.
    """

    def __init__(self, audiences: Sequence[AudienceSketch]) -> None:
        if not audiences:
            raise InvalidInput("at least one audience is needed", field="audiences")
        precisions = {a.sketch.precision for a in audiences}
        if len(precisions) != 1:
            raise InvalidInput("audience sketches of different precisions",
                               field="audiences", precisions=sorted(precisions))
        self.audiences = tuple(audiences)
        self.precision = precisions.pop()

    @property
    def kols(self) -> int:
        return len(self.audiences)

    def _audience(self, kol: int) -> AudienceSketch:
        return self.audiences[_check_kol(kol, self.kols)]

    def empty(self) -> SketchState:
        return SketchState(registers=np.zeros(1 << self.precision, dtype=np.uint8),
                           sketched=0.0, count=0.0)

    def add(self, state: SketchState, kol: int) -> SketchState:
        audience = self._audience(kol)
        registers = np.maximum(state.registers, audience.sketch.registers)
        sketched, count = state.sketched + audience.sketched, state.count + audience.count
        reach = estimate(registers) / sketched * count if sketched > 0.0 else 0.0
        return SketchState(registers=registers, sketched=sketched, count=count, reach=reach)

    def reach(self, state: SketchState) -> float:
        return state.reach

    def marginal_gain(self, state: SketchState, kol: int) -> float:
        return self.add(state, kol).reach - state.reach

    def union_size(self, selected: Sequence[int]) -> float:
        return self.reach(_state_of(self, selected))


@dataclass(frozen=True, eq=False)
class EngagerState:
    """A selection under :class:`EngagerReach`: the weight each sampled person carries now."""

    weight: FloatArray
    reach: float


class EngagerReach:
    """Unique reach from samples of each audience drawn at unequal rates (who engaged).

    KOL ``i`` has an audience of ``counts[i]`` people and a sample ``s_i`` of them; each
    sampled person stands for ``w_i = counts[i] / |s_i|`` people of that audience. A selection
    reaches ``sum over sampled people p of max w_i over the selected i with p in s_i``: one KOL
    reaches its count, a KOL whose sample is all already covered by KOLs of larger weight adds
    nothing, and one of larger weight adds the difference. Unlike :class:`SketchReach`, whose
    ratio needs one sampling rate for all, this holds with any rates; it is a weighted coverage
    (facility-location) function, so monotone and submodular, and greedy's bound holds. Counted
    exactly: the samples are a workspace's commenters, small enough to hold.

    Parameters
    ----------
    samples : sequence of array_like
        Each KOL's sampled ids, non-empty (repeats are dropped).
    counts : array_like
        Each KOL's audience size (finite, non-negative).
    """

    def __init__(self, samples: Sequence[npt.ArrayLike], counts: npt.ArrayLike) -> None:
        distinct = [distinct_ids(x, "samples") for x in samples]
        values = np.asarray(counts, dtype=np.float64)
        if not distinct or values.shape != (len(distinct),):
            raise InvalidInput("one count per sample, and at least one sample", field="counts")
        if any(x.size == 0 for x in distinct):
            raise InvalidInput("every sample needs at least one id", field="samples")
        if not np.isfinite(values).all() or values.min() < 0:
            raise InvalidInput("counts must be finite and non-negative", field="counts")
        sizes = np.array([x.size for x in distinct], dtype=np.int64)
        flat = np.concatenate(distinct)
        top = int(flat.max())
        if top < 4 * flat.size + (1 << 20):  # dense ids (database keys): index by the id itself
            self.people = top + 1
            self.members = [x.astype(np.intp) for x in distinct]
        else:  # sparse ids: rank them once
            universe, rank = np.unique(flat, return_inverse=True)
            self.people = int(universe.size)
            self.members = np.split(rank.astype(np.intp), np.cumsum(sizes)[:-1])
        self.weights = values / sizes.astype(np.float64)

    @property
    def kols(self) -> int:
        return len(self.members)

    def empty(self) -> EngagerState:
        return EngagerState(weight=np.zeros(self.people), reach=0.0)

    def add(self, state: EngagerState, kol: int) -> EngagerState:
        k = _check_kol(kol, self.kols)
        gain = self.marginal_gain(state, k)
        weight = state.weight.copy()
        weight[self.members[k]] = np.maximum(state.weight[self.members[k]], self.weights[k])
        return EngagerState(weight=weight, reach=state.reach + gain)

    def reach(self, state: EngagerState) -> float:
        return state.reach

    def marginal_gain(self, state: EngagerState, kol: int) -> float:
        k = _check_kol(kol, self.kols)
        return float(np.maximum(self.weights[k] - state.weight[self.members[k]], 0.0).sum())

    def union_size(self, selected: Sequence[int]) -> float:
        return self.reach(_state_of(self, selected))


def split_sample(ids: npt.ArrayLike) -> tuple[Ids, Ids]:
    """Two disjoint halves of a sample by a salted hash of each id: one to choose on, one to
    check the choice with. The same person falls in the same half for every KOL.

    Examples
    --------
    >>> a, b = split_sample(np.arange(1000))
    >>> a.size + b.size, bool(np.intersect1d(a, b).size)
    (1000, False)
    """
    values = distinct_ids(ids)
    odd = (splitmix64(values + SAMPLE_SALT + np.uint64(1)) & np.uint64(1)).astype(np.bool_)
    return values[~odd], values[odd]


# --- counts only -------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class CountState:
    """A selection under :class:`CountReach`: per niche group, ``log`` of the share of its pool
    not reached, and ``log`` of the share of the population that group leaves unreached."""

    pool_log: FloatArray
    group_log: FloatArray


class CountReach:
    """Unique reach from follower counts alone, under a random-audience overlap model.

    Each account's audience is a uniform random draw from a pool of the platform's active
    population ``P``. Accounts without a niche draw from all of ``P``; the accounts of one niche
    draw from that niche's pool, a random ``1 / lift`` of ``P``, independent of other niches'
    pools. A person is unreached when, for every niche, they are outside its pool or missed by
    all its accounts::

        reach = P * (1 - prod_g (1 - s_g * (1 - prod_{i in g} (1 - n_i / (s_g * P)))))

    with ``s_g = 1 / lift_g`` (``s = 1`` for no niche). Two accounts of one niche then share
    ``lift * n_i * n_j / P`` people on average, ``lift`` times the random overlap
    ``n_i * n_j / P`` of accounts in different niches, and one account's reach is its count.
    A niche's lift is capped at ``P / max n_i`` of its accounts, so that no pool is smaller
    than an audience in it.

    Parameters
    ----------
    counts : array_like
        Follower counts, finite, in [0, population].
    population : float
        ``P``: the active population the audiences are drawn from (see the method page).
    niches : sequence of hashable or None, optional
        One niche label per account (``None`` for none); by default no account has a niche.
    lift : float
        How many times the random overlap two accounts of one niche share; at least 1,
        default 1 (pure independence).
    """

    def __init__(self, counts: npt.ArrayLike, *, population: float,
                 niches: Sequence[Hashable | None] | None = None, lift: float = 1.0) -> None:
        values = np.asarray(counts, dtype=np.float64)
        if values.ndim != 1 or values.size == 0:
            raise InvalidInput("counts must be a non-empty 1-D array", field="counts")
        if not math.isfinite(population) or population <= 0:
            raise InvalidInput("population must be finite and positive", field="population",
                               population=population)
        if not np.isfinite(values).all() or values.min() < 0 or values.max() > population:
            raise InvalidInput("counts must be finite and lie in [0, population]",
                               field="counts")
        if not math.isfinite(lift) or lift < 1.0:
            raise InvalidInput("lift must be finite and at least 1", field="lift", lift=lift)
        labels = [None] * values.size if niches is None else list(niches)
        if len(labels) != values.size:
            raise InvalidInput("niches must give one label per account", field="niches",
                               counts=values.size, niches=len(labels))
        groups: dict[Hashable | None, int] = {None: 0}
        self.group = np.array([groups.setdefault(g, len(groups)) for g in labels], dtype=np.intp)
        largest = np.zeros(len(groups))
        np.maximum.at(largest, self.group, values)
        lifts = np.minimum(lift, population / np.maximum(largest, 1e-300))
        lifts[0] = 1.0
        self.counts, self.population, self.lift = values, float(population), float(lift)
        self.share: FloatArray = 1.0 / lifts
        with np.errstate(divide="ignore"):
            self.step: FloatArray = np.log1p(-np.minimum(
                values / (self.share[self.group] * population), 1.0))

    @property
    def kols(self) -> int:
        return int(self.counts.size)

    def empty(self) -> CountState:
        return CountState(pool_log=np.zeros(self.share.size), group_log=np.zeros(self.share.size))

    def add(self, state: CountState, kol: int) -> CountState:
        g = self.group[_check_kol(kol, self.kols)]
        pool_log, group_log = state.pool_log.copy(), state.group_log.copy()
        pool_log[g] += self.step[kol]
        group_log[g] = self._group_log(g, float(pool_log[g]))
        return CountState(pool_log=pool_log, group_log=group_log)

    def _group_log(self, g: int | np.intp, pool_log: float) -> float:
        unreached = float(self.share[g]) * math.expm1(pool_log)
        return math.log1p(unreached) if unreached > -1.0 else -math.inf

    def reach(self, state: CountState) -> float:
        return self.population * -math.expm1(float(state.group_log.sum()))

    def marginal_gain(self, state: CountState, kol: int) -> float:
        g = self.group[_check_kol(kol, self.kols)]
        after = self._group_log(g, float(state.pool_log[g] + self.step[kol]))
        total, own = float(state.group_log.sum()), float(state.group_log[g])
        others = total - own if math.isfinite(total) else float(
            np.delete(state.group_log, g).sum())
        return self.population * (math.expm1(others + float(state.group_log[g]))
                                  - math.expm1(others + after))

    def union_size(self, selected: Sequence[int]) -> float:
        return self.reach(_state_of(self, selected))


def _pairs(counts_a: npt.ArrayLike, counts_b: npt.ArrayLike,
           overlaps: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    a, b = np.asarray(counts_a, dtype=np.float64), np.asarray(counts_b, dtype=np.float64)
    shared = np.asarray(overlaps, dtype=np.float64)
    if not (a.ndim == 1 and a.shape == b.shape == shared.shape and a.size):
        raise InvalidInput("counts and overlaps must be 1-D arrays of one non-zero length",
                           field="overlaps")
    if not (np.isfinite(a).all() and np.isfinite(b).all() and np.isfinite(shared).all()) or (
            shared < 0).any() or (shared > np.minimum(a, b)).any():
        raise InvalidInput("overlaps must be finite, in [0, the smaller count]",
                           field="overlaps")
    return a * b, shared


def effective_population(counts_a: npt.ArrayLike, counts_b: npt.ArrayLike,
                         overlaps: npt.ArrayLike) -> float:
    """The population ``P`` under which pairs of audiences overlap as much as measured.

    ``sum(n_a * n_b) / sum(overlap)`` over pairs of accounts (of different niches, to fit ``P``
    alone), from accounts whose full lists are known: the random overlap of ``n_a`` and ``n_b``
    people drawn from ``P`` is ``n_a * n_b / P``.

    Examples
    --------
    >>> effective_population([100, 300], [200, 100], [20, 30])
    1000.0
    """
    products, shared = _pairs(counts_a, counts_b, overlaps)
    if shared.sum() <= 0:
        raise InvalidInput("no overlap to fit a population to", field="overlaps")
    return float(products.sum() / shared.sum())


def overlap_lift(counts_a: npt.ArrayLike, counts_b: npt.ArrayLike, overlaps: npt.ArrayLike, *,
                 population: float) -> float:
    """How many times the random overlap ``n_a * n_b / P`` pairs of one niche share.

    ``sum(overlap) / sum(n_a * n_b / P)`` over same-niche pairs whose full lists are known: the
    ``lift`` of :class:`CountReach`, at least 1.

    Examples
    --------
    >>> overlap_lift([100], [200], [40], population=1_000)
    2.0
    """
    if not math.isfinite(population) or population <= 0:
        raise InvalidInput("population must be finite and positive", field="population")
    products, shared = _pairs(counts_a, counts_b, overlaps)
    return max(1.0, float(shared.sum() * population / max(products.sum(), 1e-300)))


# --- selection ---------------------------------------------------------------------------------

def _check_kol(kol: int, kols: int) -> int:
    if isinstance(kol, bool) or not isinstance(kol, int | np.integer) or not 0 <= kol < kols:
        raise InvalidInput(f"kol must be an index in [0, {kols})", field="kol", kol=kol)
    return int(kol)


def _state_of(estimator: ReachEstimator[StateT], selected: Sequence[int]) -> StateT:
    state = estimator.empty()
    for kol in dict.fromkeys(int(_check_kol(k, estimator.kols)) for k in selected):
        state = estimator.add(state, kol)
    return state


class ReachObjective(Generic[StateT]):
    """A reach estimator as a stateful objective over the picks so far: ``gain(i)``, ``add(i)``,
    ``value()`` and ``reset()``, the shape of the portfolio planner's objectives.

    Examples
    --------
    >>> objective = ReachObjective(CountReach([100, 200], population=1_000))
    >>> objective.add(0)
    >>> round(objective.gain(1), 6), round(objective.value(), 6)
    (180.0, 100.0)
    """

    def __init__(self, estimator: ReachEstimator[StateT]) -> None:
        self.estimator = estimator
        self.state = estimator.empty()

    def gain(self, i: int) -> float:
        """The reach KOL ``i`` adds to the picks so far."""
        return self.estimator.marginal_gain(self.state, i)

    def add(self, i: int) -> None:
        """Pick KOL ``i``."""
        self.state = self.estimator.add(self.state, i)

    def value(self) -> float:
        """The unique reach of the picks so far."""
        return self.estimator.reach(self.state)

    def reset(self) -> None:
        """Forget the picks."""
        self.state = self.estimator.empty()


@dataclass(frozen=True)
class ReachPlan:
    """A greedy selection: the KOLs in the order picked, the reach each added, and the total."""

    selected: tuple[int, ...]
    gains: tuple[float, ...]
    reach: float
    evaluations: int


def greedy_reach(estimator: ReachEstimator[StateT], k: int) -> ReachPlan:
    """Pick ``k`` KOLs one at a time, each the one adding the most reach (lazy greedy).

    Parameters
    ----------
    estimator : ReachEstimator
        Any of the reach estimators.
    k : int
        How many KOLs to pick, in [0, estimator.kols].

    Returns
    -------
    ReachPlan
        ``evaluations`` counts the marginal-gain queries made.

    Notes
    -----
    Unique reach is a coverage function, so a KOL's gain only shrinks as the selection grows:
    a candidate whose last gain, computed for an earlier selection, still tops the queue is
    re-evaluated, and taken if it stays on top (Minoux 1978). Greedy reaches at least
    1 - 1/e of the best reach of ``k`` KOLs (Nemhauser et al. 1978); on sketch estimates the
    gains are noisy, and the bound holds up to that noise.
    """
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= estimator.kols:
        raise InvalidInput(f"k must be an integer in [0, {estimator.kols}]", field="k", k=k)
    state = estimator.empty()
    queue = [(-estimator.marginal_gain(state, j), j, 0) for j in range(estimator.kols)]
    heapq.heapify(queue)
    evaluations = len(queue)
    selected: list[int] = []
    gains: list[float] = []
    while len(selected) < k:
        gain, j, fresh_at = heapq.heappop(queue)
        if fresh_at == len(selected):
            selected.append(j)
            gains.append(-gain)
            state = estimator.add(state, j)
            continue
        evaluations += 1
        heapq.heappush(queue, (-estimator.marginal_gain(state, j), j, len(selected)))
    return ReachPlan(selected=tuple(selected), gains=tuple(gains),
                     reach=estimator.reach(state), evaluations=evaluations)

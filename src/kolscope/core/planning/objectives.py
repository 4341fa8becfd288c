"""What the portfolio planner maximises: stateful set functions with cheap marginal gains.

Each objective answers ``gain(i)`` (what option ``i`` adds to the picks so far), ``add(i)``,
``value()`` and ``reset()``: the :class:`~kolscope.core.planning.portfolio.Objective` shape.
Method: ``docs/methods/planning.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kolscope.core.planning.influence import NUMPY_KERNELS, InfluenceSample, Kernels
from kolscope.core.planning.reach import ReachEstimator, ReachObjective
from kolscope.errors import InvalidInput

# People on each platform that reach estimates draw audiences from (monthly active users,
# rounded, public company figures 2024).
PLATFORM_POPULATION: dict[str, float] = {
    "instagram": 2.0e9, "tiktok": 1.5e9, "youtube": 2.5e9, "x": 5.5e8, "linkedin": 3.1e8,
    "weibo": 5.9e8, "wechat": 1.38e9, "douyin": 7.5e8, "xiaohongshu": 3.0e8,
    "bilibili": 3.4e8, "podcast": 5.0e8, "blog": 1.0e9, "forum": 5.0e8, "other": 1.0e9,
}


def population_of(platform: str, population: Mapping[str, float] = PLATFORM_POPULATION
                  ) -> float:
    return population.get(platform, population["other"])


class Additive:
    """The sum of per-option values (expected conversions, weighted engagements)."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = list(values)
        self.total = 0.0

    def gain(self, i: int) -> float:
        return self.values[i]

    def add(self, i: int) -> None:
        self.total += self.values[i]

    def value(self) -> float:
        return self.total

    def reset(self) -> None:
        self.total = 0.0


@dataclass(frozen=True)
class ReachPart:
    """Some options of one platform whose overlaps one reach estimator models.

    ``members[j]`` is the option that is the estimator's KOL ``j``; ``how`` says in words how
    the estimator knows the overlaps (for the plan's explanation).
    """

    platform: str
    estimator: ReachEstimator[Any]
    members: Sequence[int]
    how: str


class PlatformReach:
    """Unique reach across platforms, each platform's options split into parts by what is
    known of their audiences (engager samples, counts only).

    Within a platform of ``P`` people, the parts' reaches ``R_q`` combine as independent draws:
    ``P · (1 − Π_q (1 − R_q / P))``; platforms add up. So an option's gain is its part's own
    marginal gain times the share of the platform the platform's other parts leave unreached.
    """

    def __init__(self, parts: Sequence[ReachPart], options: int,
                 population: Mapping[str, float] = PLATFORM_POPULATION) -> None:
        self.parts = list(parts)
        self.where = np.full((options, 2), -1, dtype=np.int64)
        for q, part in enumerate(self.parts):
            if len(part.members) != part.estimator.kols:
                raise InvalidInput("a reach part needs one member per KOL of its estimator",
                                   field="parts")
            for j, i in enumerate(part.members):
                if self.where[i, 0] >= 0:
                    raise InvalidInput(f"option {i} is in two reach parts", field="parts")
                self.where[i] = (q, j)
        self.size = [population_of(p.platform, population) for p in self.parts]
        self.siblings = [[r for r, other in enumerate(self.parts)
                          if r != q and other.platform == part.platform]
                         for q, part in enumerate(self.parts)]
        self.objectives = [ReachObjective(p.estimator) for p in self.parts]

    def _unreached(self, q: int) -> float:
        return max(0.0, 1.0 - self.objectives[q].value() / self.size[q])

    def gain(self, i: int) -> float:
        q, j = (int(x) for x in self.where[i])
        if q < 0:
            return 0.0
        left = math.prod(self._unreached(r) for r in self.siblings[q])
        return self.objectives[q].gain(j) * left

    def add(self, i: int) -> None:
        q, j = (int(x) for x in self.where[i])
        if q >= 0:
            self.objectives[q].add(j)

    def value(self) -> float:
        total, seen = 0.0, set()
        for q, part in enumerate(self.parts):
            if part.platform in seen:
                continue
            seen.add(part.platform)
            group = [q, *self.siblings[q]]
            total += self.size[q] * (1.0 - math.prod(self._unreached(r) for r in group))
        return total

    def reset(self) -> None:
        for o in self.objectives:
            o.reset()

    def how(self, i: int) -> str:
        q = int(self.where[i, 0])
        return self.parts[q].how if q >= 0 else "no audience known"


class SpreadCoverage:
    """Influence spread estimated on RR sets: ``nodes`` times the share of sets the picks cover.

    ``positions[i]`` is option ``i``'s node in the sample's graph (-1 when it is not in the
    graph: it spreads to nobody there). Estimated on the sets that choose the picks, the value
    leans high; the plan checks it by simulation on fresh randomness.
    """

    def __init__(self, sample: InfluenceSample, positions: npt.ArrayLike, *,
                 kernels: Kernels | None = None) -> None:
        pos = np.asarray(positions, dtype=np.int64)
        if pos.ndim != 1 or (pos.size and (pos.min() < -1 or pos.max() >= sample.nodes)):
            raise InvalidInput("positions must be graph nodes or -1", field="positions")
        placed = np.flatnonzero(pos >= 0)
        if np.unique(pos[placed]).size != placed.size:
            raise InvalidInput("two options share a graph node", field="positions")
        row = np.full(sample.nodes, -1, dtype=np.int32)
        row[pos[placed]] = np.arange(placed.size, dtype=np.int32)
        self.rows = np.full(pos.size, -1, dtype=np.int64)
        self.rows[placed] = np.arange(placed.size)
        self.ptr, self.members = (kernels or NUMPY_KERNELS).member_lists(
            sample.sets, row, int(placed.size))
        self.scale = sample.nodes / sample.sets.count if sample.sets.count else 0.0
        self.covered = np.zeros(sample.sets.count, dtype=np.bool_)
        self.count = 0

    def _sets(self, i: int) -> npt.NDArray[np.integer]:
        r = int(self.rows[i])
        return self.members[self.ptr[r]:self.ptr[r + 1]] if r >= 0 else self.members[:0]

    def gain(self, i: int) -> float:
        return self.scale * int(np.count_nonzero(~self.covered[self._sets(i)]))

    def add(self, i: int) -> None:
        found = self._sets(i)
        self.count += int(np.count_nonzero(~self.covered[found]))
        self.covered[found] = True

    def value(self) -> float:
        return self.scale * self.count

    def reset(self) -> None:
        self.covered[:] = False
        self.count = 0

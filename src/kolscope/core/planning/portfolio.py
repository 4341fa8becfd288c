"""The portfolio planner: pick KOLs under a budget for the most of a goal's objective.

Greedy selection on a monotone objective (unique reach, expected conversions, weighted
engagements) under a budget and constraints, run twice — by gain per unit cost and by plain gain
— keeping the better plan; for budgeted coverage problems the better of the two is within a
constant factor of the best plan (Khuller, Moss and Naor 1999; Leskovec et al. 2007). Each pick
records its marginal gain, its cost and the objective so far, so a plan explains itself.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from pydantic import BaseModel, Field

from kolscope.errors import InvalidInput

PLAN_METHOD_VERSION = "plan-1"
# People on each platform that a count-only reach estimate draws audiences from (monthly active
# users, rounded, public company figures 2024); audiences are taken as independent draws.
PLATFORM_POPULATION: dict[str, float] = {
    "instagram": 2.0e9, "tiktok": 1.5e9, "youtube": 2.5e9, "x": 5.5e8, "linkedin": 3.1e8,
    "weibo": 5.9e8, "wechat": 1.38e9, "douyin": 7.5e8, "xiaohongshu": 3.0e8,
    "bilibili": 3.4e8, "podcast": 5.0e8, "blog": 1.0e9, "forum": 5.0e8, "other": 1.0e9,
}


@dataclass(frozen=True)
class Option:
    """A KOL that can be picked: one deliverable at ``cost``."""

    account_id: int
    handle: str
    platform: str
    tier: str | None
    cost: Decimal
    audience: float = 0.0  # people reached by one deliverable (count-only reach)
    value: float = 0.0  # additive objectives: expected conversions, weighted engagements
    is_koc: bool = False


class Constraints(BaseModel):
    budget: Decimal = Field(gt=0)
    tier_caps: dict[str, float] = Field(default_factory=dict)  # max share of budget per tier
    max_platform_share: float = Field(default=1.0, gt=0, le=1)
    max_kol_share: float = Field(default=1.0, gt=0, le=1)
    min_kocs: int = Field(default=0, ge=0)


class Objective(Protocol):
    """A monotone set function with cheap marginal gains, stateful over the picks so far."""

    def gain(self, i: int) -> float: ...
    def add(self, i: int) -> None: ...
    def value(self) -> float: ...
    def reset(self) -> None: ...


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


class CountReach:
    """Unique reach from audience sizes alone: within a platform of P people, audiences are
    independent draws, so n KOLs reach P·(1 − Π(1 − aᵢ/P)); platforms add up."""

    def __init__(self, options: Sequence[Option],
                 population: Mapping[str, float] = PLATFORM_POPULATION) -> None:
        self.options = options
        self.population = population
        self.missed: dict[str, float] = {}  # platform → Π(1 − aᵢ/P) so far

    def _size(self, platform: str) -> float:
        return self.population.get(platform, self.population["other"])

    def gain(self, i: int) -> float:
        o = self.options[i]
        p = self._size(o.platform)
        share = min(o.audience / p, 1.0)
        return p * self.missed.get(o.platform, 1.0) * share

    def add(self, i: int) -> None:
        o = self.options[i]
        share = min(o.audience / self._size(o.platform), 1.0)
        self.missed[o.platform] = self.missed.get(o.platform, 1.0) * (1 - share)

    def value(self) -> float:
        return sum(self._size(p) * (1 - m) for p, m in self.missed.items())

    def reset(self) -> None:
        self.missed = {}


class Pick(BaseModel):
    account_id: int
    handle: str
    platform: str
    tier: str | None
    cost: Decimal
    gain: float
    total: float
    reason: str


class Plan(BaseModel):
    objective: str
    rule: str  # which greedy won: cost-ratio or plain
    budget: Decimal
    spent: Decimal
    value: float
    picks: list[Pick]
    skipped: list[str] = Field(default_factory=list)
    method_version: str = PLAN_METHOD_VERSION


@dataclass
class _Spend:
    total: Decimal = Decimal(0)
    tiers: dict[str, Decimal] = field(default_factory=dict)
    platforms: dict[str, Decimal] = field(default_factory=dict)

    def add(self, o: Option) -> None:
        self.total += o.cost
        self.tiers[o.tier or ""] = self.tiers.get(o.tier or "", Decimal(0)) + o.cost
        self.platforms[o.platform] = self.platforms.get(o.platform, Decimal(0)) + o.cost


def _fits(o: Option, spend: _Spend, c: Constraints) -> str | None:
    """Why ``o`` cannot be added now, or None."""
    if spend.total + o.cost > c.budget:
        return "over the budget"
    if o.cost > c.budget * Decimal(str(c.max_kol_share)):
        return f"costs more than {c.max_kol_share:.0%} of the budget"
    cap = c.tier_caps.get(o.tier or "")
    if c.tier_caps and (cap is None or spend.tiers.get(o.tier or "", Decimal(0)) + o.cost
                        > c.budget * Decimal(str(cap))):
        return f"the {o.tier} tier's share of the budget is used up"
    if spend.platforms.get(o.platform, Decimal(0)) + o.cost > \
            c.budget * Decimal(str(c.max_platform_share)):
        return f"{o.platform} would pass {c.max_platform_share:.0%} of the budget"
    return None


def _greedy(options: Sequence[Option], objective: Objective, c: Constraints, *, ratio: bool,
            first: Sequence[int] = ()) -> tuple[list[Pick], _Spend]:
    objective.reset()
    spend, picks, chosen = _Spend(), [], set()

    def take(i: int, why: str) -> None:
        gain = objective.gain(i)
        objective.add(i)
        spend.add(options[i])
        chosen.add(i)
        o = options[i]
        picks.append(Pick(account_id=o.account_id, handle=o.handle, platform=o.platform,
                          tier=o.tier, cost=o.cost, gain=gain, total=objective.value(),
                          reason=why))

    for i in first:
        if _fits(options[i], spend, c) is None:
            take(i, "a KOC, to meet the minimum number of KOCs")

    def key(i: int, gain: float) -> float:
        return gain / max(float(options[i].cost), 1e-9) if ratio else gain

    # Lazy greedy: gains only shrink as picks are added, so a stale key is an upper bound and
    # only the top of the heap needs re-evaluating; what does not fit now never will.
    heap = [(-key(i, g), i) for i in range(len(options)) if i not in chosen
            if (g := objective.gain(i)) > 0]
    heapq.heapify(heap)
    while heap:
        _, i = heapq.heappop(heap)
        if _fits(options[i], spend, c) is not None:
            continue
        gain = objective.gain(i)
        if gain <= 0:
            continue
        fresh = -key(i, gain)
        if heap and fresh > heap[0][0]:
            heapq.heappush(heap, (fresh, i))
            continue
        take(i, "most gain per unit of cost" if ratio else "most gain")
    return picks, spend


def plan(options: Sequence[Option], objective: Objective, constraints: Constraints, *,
         name: str) -> Plan:
    """The better of cost-ratio and plain greedy under ``constraints``; picks in order."""
    if not options:
        raise InvalidInput("no candidates to plan with", field="candidates")
    kocs = sorted((i for i, o in enumerate(options) if o.is_koc),
                  key=lambda i: -objective.gain(i) / max(float(options[i].cost), 1e-9))
    first = kocs[:constraints.min_kocs]
    runs = []
    for ratio in (True, False):
        picks, spend = _greedy(options, objective, constraints, ratio=ratio, first=first)
        runs.append((objective.value(), ratio, picks, spend))
    value, ratio, picks, spend = max(runs, key=lambda r: (r[0], r[1]))
    skipped = []
    if sum(1 for p in picks if options_by_id(options)[p.account_id].is_koc) < \
            constraints.min_kocs:
        skipped.append(f"only {len(kocs)} KOC(s) fit; {constraints.min_kocs} were asked for")
    return Plan(objective=name, rule="cost-ratio greedy" if ratio else "plain greedy",
                budget=constraints.budget, spent=spend.total, value=value if math.isfinite(
                    value) else 0.0, picks=picks, skipped=skipped)


def options_by_id(options: Sequence[Option]) -> dict[int, Option]:
    return {o.account_id: o for o in options}

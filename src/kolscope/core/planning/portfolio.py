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
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from pydantic import BaseModel, Field

from kolscope.errors import InvalidInput

PLAN_METHOD_VERSION = "plan-2"


@dataclass(frozen=True)
class Option:
    """A KOL that can be picked: one deliverable at ``cost``."""

    account_id: int
    handle: str
    platform: str
    tier: str | None
    cost: Decimal
    audience: float = 0.0  # people reached by one deliverable
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


class Check(BaseModel):
    """The plan's objective measured again, apart from what chose the picks."""

    method: str
    value: float
    stderr: float | None = None
    runs: int | None = None
    note: str = ""


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
    estimate: str = ""  # how the objective was computed
    check: Check | None = None
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


@dataclass(frozen=True)
class _Limits:
    """The constraints as amounts, computed once per plan."""

    budget: Decimal
    kol: Decimal
    platform: Decimal
    tiers: dict[str, Decimal] | None  # None: no tier mix

    @classmethod
    def of(cls, c: Constraints) -> _Limits:
        return cls(budget=c.budget, kol=c.budget * Decimal(str(c.max_kol_share)),
                   platform=c.budget * Decimal(str(c.max_platform_share)),
                   tiers={t: c.budget * Decimal(str(s)) for t, s in c.tier_caps.items()}
                   if c.tier_caps else None)

    def ever(self, o: Option) -> bool:
        """Whether ``o`` fits an empty plan: what does not, never will."""
        return (o.cost <= self.budget and o.cost <= self.kol and o.cost <= self.platform
                and (self.tiers is None or o.cost <= self.tiers.get(o.tier or "", -1)))


def _fits(o: Option, spend: _Spend, c: Constraints, limits: _Limits) -> str | None:
    """Why ``o`` cannot be added now, or None."""
    if spend.total + o.cost > limits.budget:
        return "over the budget"
    if o.cost > limits.kol:
        return f"costs more than {c.max_kol_share:.0%} of the budget"
    tier = o.tier or ""
    if limits.tiers is not None and (tier not in limits.tiers or spend.tiers.get(
            tier, Decimal(0)) + o.cost > limits.tiers[tier]):
        return f"the {o.tier} tier's share of the budget is used up"
    if spend.platforms.get(o.platform, Decimal(0)) + o.cost > limits.platform:
        return f"{o.platform} would pass {c.max_platform_share:.0%} of the budget"
    return None


def _greedy(options: Sequence[Option], objective: Objective, c: Constraints, *, ratio: bool,
            alone: Sequence[float], first: Sequence[int] = ()) -> tuple[list[Pick], _Spend]:
    """Lazy greedy from ``alone``, each option's gain on its own (an upper bound on its gain
    after any picks, since gains only shrink)."""
    objective.reset()
    limits = _Limits.of(c)
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
        if _fits(options[i], spend, c, limits) is None:
            take(i, "a KOC, to meet the minimum number of KOCs")

    def key(i: int, gain: float) -> float:
        return gain / max(float(options[i].cost), 1e-9) if ratio else gain

    # Lazy greedy: gains only shrink as picks are added, so a stale key is an upper bound and
    # only the top of the heap needs re-evaluating; what does not fit now never will. Once
    # what is left of the budget is below the cheapest option, nothing more fits.
    heap = [(-key(i, g), i) for i, g in enumerate(alone)
            if g > 0 and i not in chosen and limits.ever(options[i])]
    cheapest = min((options[i].cost for _, i in heap), default=Decimal(0))
    heapq.heapify(heap)
    while heap and limits.budget - spend.total >= cheapest:
        _, i = heapq.heappop(heap)
        if _fits(options[i], spend, c, limits) is not None:
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
    objective.reset()
    alone = [objective.gain(i) for i in range(len(options))]
    kocs = sorted((i for i, o in enumerate(options) if o.is_koc),
                  key=lambda i: -alone[i] / max(float(options[i].cost), 1e-9))
    first = kocs[:constraints.min_kocs]
    runs = []
    for ratio in (True, False):
        picks, spend = _greedy(options, objective, constraints, ratio=ratio, alone=alone,
                               first=first)
        runs.append((objective.value(), ratio, picks, spend))
    value, ratio, picks, spend = max(runs, key=lambda r: (r[0], r[1]))
    skipped = []
    by_id = options_by_id(options)
    if sum(1 for p in picks if by_id[p.account_id].is_koc) < constraints.min_kocs:
        skipped.append(f"only {len(kocs)} KOC(s) fit; {constraints.min_kocs} were asked for")
    return Plan(objective=name, rule="cost-ratio greedy" if ratio else "plain greedy",
                budget=constraints.budget, spent=spend.total, value=value if math.isfinite(
                    value) else 0.0, picks=picks, skipped=skipped)


def options_by_id(options: Sequence[Option]) -> dict[int, Option]:
    return {o.account_id: o for o in options}

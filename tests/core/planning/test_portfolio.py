"""The portfolio planner: budgets, constraints, the better of two greedy rules, explanations."""

from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
import pytest

from kolscope.core.planning.objectives import Additive, PlatformReach, ReachPart
from kolscope.core.planning.portfolio import Constraints, Option, plan
from kolscope.core.planning.reach import CountReach
from kolscope.errors import InvalidInput


def opt(i: int, cost: int, value: float = 0.0, audience: float = 0.0, *,
        platform: str = "instagram", tier: str = "micro", koc: bool = False) -> Option:
    return Option(account_id=i, handle=f"k{i}", platform=platform, tier=tier,
                  cost=Decimal(cost), audience=audience, value=value, is_koc=koc)


def test_additive_respects_the_budget_and_explains_each_pick() -> None:
    options = [opt(1, 60, 6.0), opt(2, 50, 5.5), opt(3, 50, 5.5)]
    p = plan(options, Additive([o.value for o in options]), Constraints(budget=Decimal(100)),
             name="conversions")
    # ratio greedy takes 2 and 3 (0.11 per unit) for 11.0; plain greedy takes 1 for 6.0
    assert [k.account_id for k in p.picks] == [2, 3] and p.value == pytest.approx(11.0)
    assert p.rule == "cost-ratio greedy" and p.spent == Decimal(100)
    assert [k.total for k in p.picks] == [5.5, 11.0]


def test_plain_greedy_wins_when_ratio_greedy_is_fooled() -> None:
    # a tiny cheap option with the best ratio blocks the big one under the ratio rule
    options = [opt(1, 1, 2.0), opt(2, 100, 100.0)]
    p = plan(options, Additive([o.value for o in options]), Constraints(budget=Decimal(100)),
             name="conversions")
    assert p.rule == "plain greedy" and [k.account_id for k in p.picks] == [2]


def test_constraints_tier_platform_kol_share_and_kocs() -> None:
    options = [opt(1, 40, 10.0, tier="macro"), opt(2, 30, 9.0, tier="micro"),
               opt(3, 30, 8.0, tier="micro", platform="tiktok"),
               opt(4, 10, 0.5, tier="nano", koc=True), opt(5, 45, 50.0, tier="mid")]
    c = Constraints(budget=Decimal(100), tier_caps={"macro": 0.4, "micro": 0.3, "nano": 0.1,
                                                    "mid": 0.2},
                    max_platform_share=0.8, max_kol_share=0.4, min_kocs=1)
    p = plan(options, Additive([o.value for o in options]), c, name="conversions")
    ids = [k.account_id for k in p.picks]
    assert ids[0] == 4 and "minimum number of KOCs" in p.picks[0].reason
    assert 5 not in ids  # 45 is over the KOL share (40) and the mid cap (20)
    assert sum(1 for k in p.picks if k.tier == "micro") == 1  # the micro cap is 30
    assert p.spent <= c.budget


def test_refusals() -> None:
    with pytest.raises(InvalidInput, match="no candidates"):
        plan([], Additive([]), Constraints(budget=Decimal(10)), name="x")


def test_a_hundred_thousand_candidates_plan_fast() -> None:
    rng = np.random.default_rng(3)
    followers = 10 ** rng.uniform(3, 6.5, 100_000)
    options = [opt(i, int(f ** 0.8 / 10) + 10, audience=float(f) * 0.3,
                   platform=("instagram", "tiktok", "weibo")[i % 3])
               for i, f in enumerate(followers)]
    started = time.perf_counter()
    parts = [ReachPart(p, CountReach([options[i].audience for i in members], population=2e9),
                       members, "counts")
             for p in ("instagram", "tiktok", "weibo")
             if (members := [i for i, o in enumerate(options) if o.platform == p])]
    p = plan(options, PlatformReach(parts, len(options)),
             Constraints(budget=Decimal(100_000), max_platform_share=0.5), name="reach")
    assert time.perf_counter() - started < 15  # the benchmark holds the 5 s target
    assert p.picks and p.spent <= Decimal(100_000)
    per_platform: dict[str, Decimal] = {}
    for k in p.picks:
        per_platform[k.platform] = per_platform.get(k.platform, Decimal(0)) + k.cost
    assert max(per_platform.values()) <= Decimal(50_000)


def test_a_reach_estimator_plans_with_its_exact_overlaps() -> None:
    from kolscope.core.planning.reach import CountReach as NicheCountReach
    from kolscope.core.planning.reach import ReachObjective

    options = [opt(1, 10), opt(2, 10), opt(3, 10)]
    # two big audiences in one niche overlap lift times more than a third, smaller one outside it
    estimator = NicheCountReach([600, 600, 400], population=1000, niches=["a", "a", None],
                                lift=1.5)
    p = plan(options, ReachObjective(estimator), Constraints(budget=Decimal(20)), name="reach")
    assert p.picks[0].account_id == 1
    assert p.value == pytest.approx(estimator.union_size([i - 1 for i in
                                                          (k.account_id for k in p.picks)]))

"""Portfolio planner speed over 100,000 candidate KOLs, next to eager greedy in the same run.

Candidates are generated (seeded): follower counts log-uniform from 1K to 3M, spread over three
platforms, a tier from the count, a cost from the default rate card's shape (cost grows as
followers^0.8), 10 % of them KOCs, and for one candidate in ten an engager sample (ids drawn
from a shared pool, so that samples overlap). Each objective is planned under a budget with a
platform cap, a tier mix and a minimum number of KOCs, as ``plan_brief`` plans:

- **reach, counts**: unique reach from audience sizes alone (``CountReach`` per platform);
- **reach, samples**: engager samples weighted by their KOL (``EngagerReach``) where they
  exist, counts for the rest (``PlatformReach``);
- **conversions**: an additive objective.

The reference is eager greedy: the same selection without lazy evaluation (every candidate's
gain recomputed at every step), run on the first ``--reference-candidates`` candidates (with
the budget scaled down alike) next to the planner on the same ones; it must pick the same KOLs.
Target: a plan over 100,000 candidates in under 5 s, objective built included.
Prints a table, writes benchmarks/results/planner.json.

    .venv/bin/python benchmarks/planner.py [--candidates 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from kolscope.core.planning.objectives import (
    Additive,
    PlatformReach,
    ReachPart,
    population_of,
)
from kolscope.core.planning.portfolio import (
    PLAN_METHOD_VERSION,
    Constraints,
    Objective,
    Option,
    _fits,
    _Limits,
    _Spend,
    plan,
)
from kolscope.core.planning.reach import CountReach, EngagerReach

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 11
TARGET_S = 5.0
PLATFORMS = ("instagram", "tiktok", "xiaohongshu")
TIERS = ((1_000, "nano"), (50_000, "micro"), (200_000, "mid"), (1_000_000, "macro"))


def tier_of(followers: float) -> str:
    name = "nano"
    for floor, label in TIERS:
        if followers >= floor:
            name = label
    return "celebrity" if followers >= 1_000_000 else name


def candidates(n: int, rng: np.random.Generator) -> tuple[list[Option], dict[int, np.ndarray]]:
    followers = 10 ** rng.uniform(3, 6.5, n)
    koc = rng.random(n) < 0.1
    options = [Option(account_id=i, handle=f"k{i}", platform=PLATFORMS[i % 3],
                      tier=tier_of(f), cost=Decimal(int(f ** 0.8 / 10) + 20),
                      audience=float(f) * 0.3, value=float(f) * 3e-4, is_koc=bool(k))
               for i, (f, k) in enumerate(zip(followers, koc, strict=True))]
    pool = 2_000_000
    samples = {i: rng.integers(0, pool, int(min(followers[i] * 0.01, 5_000)) + 20)
               for i in range(0, n, 10)}
    return options, samples


def reach_objective(options: list[Option], samples: dict[int, np.ndarray] | None
                    ) -> PlatformReach:
    parts = []
    for p in PLATFORMS:
        here = [i for i, o in enumerate(options) if o.platform == p]
        sampled = [i for i in here if samples and i in samples]
        counted = [i for i in here if not (samples and i in samples)]
        if sampled and samples:
            parts.append(ReachPart(p, EngagerReach([samples[i] for i in sampled],
                                                   [options[i].audience for i in sampled]),
                                   sampled, "samples"))
        parts.append(ReachPart(p, CountReach([options[i].audience for i in counted],
                                             population=population_of(p)), counted, "counts"))
    return PlatformReach(parts, len(options))


def eager(options: list[Option], objective: Objective, c: Constraints) -> list[int]:
    """The reference: at every step, every candidate's gain recomputed; best ratio or gain."""
    objective.reset()
    alone = [objective.gain(i) for i in range(len(options))]
    first = sorted((i for i, o in enumerate(options) if o.is_koc),
                   key=lambda i: -alone[i] / float(options[i].cost))[:c.min_kocs]
    best_value, best, limits = -1.0, [], _Limits.of(c)
    for ratio in (True, False):
        objective.reset()
        spend, chosen = _Spend(), []
        for i in first:
            if _fits(options[i], spend, c, limits) is None:
                objective.add(i)
                spend.add(options[i])
                chosen.append(i)
        while True:
            top, top_key = -1, 0.0
            for i, o in enumerate(options):
                if i in chosen or _fits(o, spend, c, limits) is not None:
                    continue
                g = objective.gain(i)
                k = g / max(float(o.cost), 1e-9) if ratio else g
                if g > 0 and k > top_key:
                    top, top_key = i, k
            if top < 0:
                break
            objective.add(top)
            spend.add(options[top])
            chosen.append(top)
        if objective.value() > best_value:
            best_value, best = objective.value(), chosen
    return best


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - started


def objectives(options: list[Option], samples: dict[int, np.ndarray]
               ) -> dict[str, Callable[[], Objective]]:
    return {"reach, counts": lambda: reach_objective(options, None),
            "reach, samples": lambda: reach_objective(options, samples),
            "conversions": lambda: Additive([o.value for o in options])}


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    options, samples = candidates(args.candidates, rng)
    c = Constraints(budget=Decimal(args.budget), max_platform_share=0.5, max_kol_share=0.2,
                    min_kocs=5, tier_caps={"nano": 0.2, "micro": 0.4, "mid": 0.3,
                                           "macro": 0.3, "celebrity": 0.2})
    few = options[:args.reference_candidates]
    few_c = c.model_copy(update={"budget": c.budget * len(few) / len(options)})
    small = objectives(few, {i: s for i, s in samples.items() if i < len(few)})
    rows = []
    for name, build in objectives(options, samples).items():
        objective, build_s = timed(build)
        result, plan_s = timed(partial(plan, options, objective, c, name=name))
        lazy, lazy_s = timed(partial(plan, few, small[name](), few_c, name=name))
        ref, ref_s = timed(partial(eager, few, small[name](), few_c))
        rows.append({"objective": name, "candidates": len(options), "build_s": build_s,
                     "plan_s": plan_s, "total_s": build_s + plan_s, "picks": len(result.picks),
                     "value": result.value, "spent": str(result.spent), "rule": result.rule,
                     "meets_target": build_s + plan_s < TARGET_S,
                     "reference_candidates": len(few), "lazy_s": lazy_s, "eager_s": ref_s,
                     "same_picks_as_eager": sorted(ref) == sorted(
                         k.account_id for k in lazy.picks),
                     "speedup_vs_eager": ref_s / lazy_s})
    return {"rows": rows, "budget": args.budget}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--budget", type=int, default=250_000)
    parser.add_argument("--reference-candidates", type=int, default=5_000,
                        help="candidates for the lazy-against-eager comparison")
    parser.add_argument("--output", type=Path, default=RESULTS / "planner.json")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    result = run(args)
    print(f"{'objective':<16} {'candidates':>10} {'plan s':>7} {'target':>7} {'picks':>6} "
          f"{'value':>14} | {'at':>6} {'lazy s':>7} {'eager s':>8} {'same':>5} {'ratio':>7}")
    for r in result["rows"]:
        print(f"{r['objective']:<16} {r['candidates']:>10,} {r['total_s']:>7.2f} "
              f"{'met' if r['meets_target'] else 'MISSED':>7} {r['picks']:>6} "
              f"{r['value']:>14,.1f} | {r['reference_candidates']:>6,} {r['lazy_s']:>7.2f} "
              f"{r['eager_s']:>8.2f} {r['same_picks_as_eager']!s:>5} "
              f"{r['speedup_vs_eager']:>6.1f}x")
    out = {"machine": f"{platform.machine()} {os.cpu_count()} cpus, python "
                      f"{platform.python_version()}, numpy {np.__version__}",
           "method_version": PLAN_METHOD_VERSION, "seed": SEED, "target_s": TARGET_S,
           "load_average": [load, os.getloadavg()[0]], **result}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

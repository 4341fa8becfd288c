"""Unique reach: exact unions of 50 audiences with pyroaring against numpy, Python sets and
64-bit bitmaps; HyperLogLog errors at p = 12, 14, 16; sampled sketches and the count-only model;
greedy marginal-gain queries; on one generated set of 500 audiences, in one run.

    .venv/bin/python benchmarks/reach.py                     # 25M follower edges, ~1-2 min
    .venv/bin/python benchmarks/reach.py --edges 2500000     # a quick run

Audiences (fixed seed, generated here): ``--people`` (30M) accounts with distinct ids spread over
[0, 6e10), about where Instagram's ids lie (64-bit, far above 2^32), in a random order of
activity. 500 KOL audience sizes are Pareto (alpha 1.1, at least 2,000, at most 2M) scaled to
``--edges`` in total. Each KOL belongs to one of 12 niches; a niche's pool is a 3M-person slice
of the activity order, neighbouring niches' pools overlapping. 70% of a KOL's followers are drawn
without replacement from the most active ``0.7 n / 0.35`` people of its niche pool and 30% from
the most active ``0.3 n / 0.08`` people of everyone, so big accounts of a niche share most of
their fans and every niche shares the platform's most active followers.

- **exact**: ``ExactReach`` (``kolscope.adapters.engines.reach``) built once (timed apart); the
  union of 50 audiences, best of ``--repeats``, for 50 picked at random and for the 50 greedy
  picks, against, in the same run on the random 50: ``np.unique`` of the concatenated ids
  (numpy's hash-based unique), the same by sorting (``distinct_ids``), Python ``set().union``
  of prebuilt sets, and ``BitMap64`` on the raw 64-bit ids (prebuilt).
- **HyperLogLog**: every full audience sketched at p = 12, 14, 16; the merged sketch of each
  selection against its exact size, and the mean and largest error over ``--selections`` random
  selections of 50.
- **samples**: coordinated samples (``coordinated_sample``) at 10% and 1% of every audience,
  sketched at p = 14 with the true follower counts, scaled by ``SketchReach``.
- **counts**: ``CountReach`` with ``P = --people``, without niches (lift 1) and with the
  same-niche lift measured on the exact audiences (the ratio of summed same-niche overlaps to
  their random expectation ``n_i n_j / P``).
- **greedy**: ``greedy_reach`` for 50 KOLs under each estimator (time, marginal-gain queries,
  and the exact reach of its picks over that of the exact greedy picks), and one query against
  the state of the first 49 greedy picks, for every candidate, in microseconds.

Other processes on the machine slow any run: the load average is recorded. Prints one table and
writes benchmarks/results/reach.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyroaring
from pyroaring import FrozenBitMap64

from kolscope.adapters.engines.reach import ExactReach
from kolscope.core.planning import reach as core
from kolscope.core.planning.reach import (
    CountReach,
    ReachEstimator,
    SketchReach,
    greedy_reach,
    sketch_audience,
)

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20260101
KOLS = 500
NICHES = 12
POOL = 3_000_000
ID_STRIDE = 2_000
PICKS = 50
PRECISIONS = (12, 14, 16)
SAMPLE_RATES = (0.1, 0.01)
TARGET_UNION_MS = 10.0
TARGET_HLL_ERROR = 0.01


# --- audiences --------------------------------------------------------------------------------

def audience_sizes(rng: np.random.Generator, edges: int) -> np.ndarray:
    raw = (1.0 - rng.random(KOLS)) ** (-1.0 / 1.1)
    smallest, largest = min(2_000, edges // (2 * KOLS)), max(edges // 12, 2_000)
    low, high = 1e-3, 1e9
    for _ in range(100):
        scale = (low * high) ** 0.5
        low, high = ((scale, high) if np.clip(raw * scale, smallest, largest).sum() < edges
                     else (low, scale))
    sizes = np.clip(raw * scale, smallest, largest).astype(np.int64)
    sizes[np.argmin(sizes)] += edges - int(sizes.sum())
    return sizes


def generate(edges: int, people: int) -> tuple[list[np.ndarray], np.ndarray]:
    """The audiences (uint64 ids, each distinct, in no order) and each KOL's niche."""
    rng = np.random.default_rng(SEED)
    sizes = audience_sizes(rng, edges)
    ids = (np.arange(people, dtype=np.uint64) * np.uint64(ID_STRIDE)
           + rng.integers(0, ID_STRIDE, people).astype(np.uint64))
    by_activity = rng.permutation(people).astype(np.uint64)
    niche = rng.integers(0, NICHES, KOLS)
    pool = min(POOL, people)
    step = (people - pool) // (NICHES - 1)
    audiences = []
    for i, n in enumerate(sizes.tolist()):
        inside = round(n * 0.7)
        near = min(pool, max(inside, int(inside / 0.35)))
        wide = min(people, max(n - inside, int((n - inside) / 0.08)))
        drawn = np.concatenate([
            by_activity[niche[i] * step + rng.choice(near, inside, replace=False, shuffle=False)],
            by_activity[rng.choice(wide, n - inside, replace=False, shuffle=False)]])
        members = core.distinct_ids(drawn)
        while members.size < n:
            more = rng.choice(people, n - members.size, replace=False, shuffle=False)
            members = core.distinct_ids(np.concatenate([members, by_activity[more]]))
        audiences.append(rng.permutation(ids[members]))
    return audiences, niche


# --- timing -----------------------------------------------------------------------------------

def best_of(repeats: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


# --- the measurements -------------------------------------------------------------------------

def exact_unions(exact: ExactReach, audiences: list[np.ndarray], picks: dict[str, list[int]],
                 repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, selected in picks.items():
        out[name] = {"union_ms": 1e3 * best_of(repeats, lambda s=selected: exact.union_size(s)),
                     "distinct": int(exact.union_size(selected)),
                     "memberships": int(sum(audiences[i].size for i in selected))}
    chosen = [audiences[i] for i in picks["random"]]
    sets = [set(a.tolist()) for a in chosen]
    wide = [FrozenBitMap64(core.distinct_ids(a)) for a in chosen]
    references = {
        "np.unique": lambda: np.unique(np.concatenate(chosen)).size,
        "sort+dedupe": lambda: core.distinct_ids(np.concatenate(chosen)).size,
        "python set": lambda: len(set().union(*sets)),
        "BitMap64 raw ids": lambda: len(FrozenBitMap64.union(*wide)),
    }
    counts = {name: work() for name, work in references.items()}
    assert set(counts.values()) == {out["random"]["distinct"]}, counts
    out["references_ms"] = {name: 1e3 * best_of(1 if name == "np.unique" else min(repeats, 3),
                                                work) for name, work in references.items()}
    return out


def sketch_errors(audiences: list[np.ndarray], picks: dict[str, list[int]],
                  exact: ExactReach, selections: list[list[int]]) -> dict[str, Any]:
    edges = sum(a.size for a in audiences)
    out: dict[str, Any] = {}
    for p in PRECISIONS:
        sketches, seconds = timed(lambda p=p: [core.sketch(a, p) for a in audiences])
        row: dict[str, Any] = {"bytes_per_sketch": 1 << p,
                               "sketch_ns_per_id": seconds * 1e9 / edges,
                               "standard_error": core.standard_error(p)}
        for name, selected in picks.items():
            merged = core.merge([sketches[i] for i in selected])
            row[name] = merged.estimate() / exact.union_size(selected) - 1.0
        errors = [abs(core.merge([sketches[i] for i in s]).estimate() / exact.union_size(s) - 1)
                  for s in selections]
        row["mean_abs_error"], row["max_abs_error"] = float(np.mean(errors)), float(max(errors))
        row["merge_estimate_us"] = 1e6 * best_of(
            5, lambda sk=sketches: core.merge([sk[i] for i in picks["random"]]).estimate())
        out[str(p)] = row
    return out


def sampled_errors(audiences: list[np.ndarray], picks: dict[str, list[int]],
                   exact: ExactReach) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for rate in SAMPLE_RATES:
        estimator = SketchReach([sketch_audience(core.coordinated_sample(a, rate),
                                                 count=float(a.size)) for a in audiences])
        out[str(rate)] = {name: estimator.union_size(s) / exact.union_size(s) - 1.0
                          for name, s in picks.items()}
    return out


def pair_overlaps(exact: ExactReach, niche: np.ndarray) -> dict[str, np.ndarray]:
    """Every pair's sizes and exact overlap, and whether the two share a niche."""
    i, j = np.triu_indices(exact.kols, k=1)
    sizes = np.array([len(b) for b in exact.bitmaps], dtype=np.float64)
    shared = np.array([exact.bitmaps[a].intersection_cardinality(exact.bitmaps[b])
                       for a, b in zip(i.tolist(), j.tolist(), strict=True)], dtype=np.float64)
    return {"a": sizes[i], "b": sizes[j], "shared": shared, "same": niche[i] == niche[j]}


def count_models(counts: np.ndarray, niche: np.ndarray, people: int,
                 pairs: dict[str, np.ndarray]) -> dict[str, tuple[CountReach, dict[str, float]]]:
    """The count-only model three ways: independence in the whole population; with the
    same-niche lift measured against it; with the population and the lift both fitted to the
    exact overlaps (what lists of some accounts allow)."""
    same, apart = pairs["same"], ~pairs["same"]
    lift = core.overlap_lift(pairs["a"][same], pairs["b"][same], pairs["shared"][same],
                             population=people)
    fitted = core.effective_population(pairs["a"][apart], pairs["b"][apart],
                                       pairs["shared"][apart])
    fitted = max(fitted, float(counts.max()))
    fitted_lift = core.overlap_lift(pairs["a"][same], pairs["b"][same], pairs["shared"][same],
                                    population=fitted)
    niches = niche.tolist()
    return {
        "independent": (CountReach(counts, population=people),
                        {"population": people, "lift": 1.0}),
        "measured lift": (CountReach(counts, population=people, niches=niches, lift=lift),
                          {"population": people, "lift": lift}),
        "fitted P and lift": (CountReach(counts, population=fitted, niches=niches,
                                         lift=fitted_lift),
                              {"population": fitted, "lift": fitted_lift}),
    }


def count_errors(models: dict[str, tuple[CountReach, dict[str, float]]],
                 picks: dict[str, list[int]], exact: ExactReach) -> dict[str, Any]:
    return {name: {**params, **{pick: model.union_size(s) / exact.union_size(s) - 1.0
                                for pick, s in picks.items()}}
            for name, (model, params) in models.items()}


def greedy_run(estimator: ReachEstimator[Any], exact: ExactReach,
               best_reach: float | None) -> dict[str, Any]:
    plan, seconds = timed(lambda: greedy_reach(estimator, PICKS))
    state = estimator.empty()
    for kol in plan.selected[:-1]:
        state = estimator.add(state, kol)
    one = best_of(3, lambda: [estimator.marginal_gain(state, j) for j in range(estimator.kols)])
    reach = exact.union_size(plan.selected)
    return {"seconds": seconds, "queries": plan.evaluations,
            "us_per_query_in_greedy": 1e6 * seconds / plan.evaluations,
            "us_per_query_at_49": 1e6 * one / estimator.kols,
            "exact_reach": reach, "selected": list(plan.selected),
            "exact_reach_over_exact_greedy": None if best_reach is None else reach / best_reach}


# --- one run ----------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> dict[str, Any]:
    load = [os.getloadavg()[0]]
    (audiences, niche), generate_s = timed(lambda: generate(args.edges, args.people))
    exact, build_s = timed(lambda: ExactReach(audiences))
    counts = np.array([a.size for a in audiences], dtype=np.float64)
    rng = np.random.default_rng(SEED + 1)
    selections = [sorted(rng.choice(KOLS, PICKS, replace=False).tolist())
                  for _ in range(args.selections)]
    greedy: dict[str, Any] = {"exact": greedy_run(exact, exact, None)}
    picks = {"random": selections[0], "greedy": greedy["exact"]["selected"]}
    unions = exact_unions(exact, audiences, picks, args.repeats)
    sketches = sketch_errors(audiences, picks, exact, selections)
    models, pairs_s = timed(lambda: count_models(counts, niche, args.people,
                                                 pair_overlaps(exact, niche)))
    best = greedy["exact"]["exact_reach"]
    greedy["hll p=14"] = greedy_run(
        SketchReach([sketch_audience(a) for a in audiences]), exact, best)
    greedy["sample 1%"] = greedy_run(
        SketchReach([sketch_audience(core.coordinated_sample(a, 0.01), count=float(a.size))
                     for a in audiences]), exact, best)
    for name, (model, _) in models.items():
        greedy[f"counts, {name}"] = greedy_run(model, exact, best)
    load.append(os.getloadavg()[0])
    return {
        "edges": int(counts.sum()), "kols": KOLS, "people": args.people,
        "distinct_followers": int(exact.ids.size),
        "audience_sizes": {q: int(np.quantile(counts, float(q))) for q in ("0", "0.5", "0.9", "1")},
        "generate_s": generate_s, "exact_build_s": build_s,
        "exact": unions, "hll": sketches,
        "samples": sampled_errors(audiences, picks, exact),
        "counts": count_errors(models, picks, exact), "pair_overlaps_s": pairs_s,
        "greedy": greedy, "load_average": load,
    }


def with_verdict(result: dict[str, Any]) -> dict[str, Any]:
    exact = result["exact"]
    result["meets_union_target"] = {k: exact[k]["union_ms"] < TARGET_UNION_MS
                                    for k in ("random", "greedy")}
    result["meets_hll_target"] = result["hll"]["14"]["mean_abs_error"] < TARGET_HLL_ERROR
    result["reference_over_roaring"] = {k: v / exact["random"]["union_ms"]
                                        for k, v in exact["references_ms"].items()}
    return result


def pct(x: float) -> str:
    return f"{100 * x:+.2f}%"


def print_table(r: dict[str, Any]) -> None:
    rows: list[tuple[str, str, str]] = []
    ex = r["exact"]
    rows.append(("build ExactReach (500 audiences)", f"{r['exact_build_s']:.1f} s",
                 f"{r['edges']:,} edges, {r['distinct_followers']:,} distinct followers"))
    for k in ("random", "greedy"):
        met = "met" if r["meets_union_target"][k] else "MISSED"
        rows.append((f"exact union, 50 {k}", f"{ex[k]['union_ms']:.2f} ms",
                     f"{ex[k]['distinct']:,} distinct of {ex[k]['memberships']:,}; "
                     f"target {TARGET_UNION_MS:.0f} ms {met}"))
    for name, ms in ex["references_ms"].items():
        rows.append((f"  reference: {name} (random 50)", f"{ms:,.1f} ms",
                     f"{r['reference_over_roaring'][name]:,.0f}x the roaring union"))
    for p, h in r["hll"].items():
        rows.append((f"HLL p={p} ({h['bytes_per_sketch'] // 1024} KiB)",
                     f"{pct(h['random'])} / {pct(h['greedy'])}",
                     f"random / greedy 50; mean |err| {100 * h['mean_abs_error']:.2f}%, max "
                     f"{100 * h['max_abs_error']:.2f}% over {r['selections']} selections; "
                     f"SE {100 * h['standard_error']:.2f}%"))
        rows.append((f"  sketch, merge 50 + estimate p={p}", f"{h['sketch_ns_per_id']:.1f} ns/id",
                     f"{h['merge_estimate_us']:.0f} us"))
    for rate, s in r["samples"].items():
        rows.append((f"sample {100 * float(rate):g}%, p=14, scaled",
                     f"{pct(s['random'])} / {pct(s['greedy'])}", "random / greedy 50"))
    for name, c in r["counts"].items():
        rows.append((f"counts only, {name}", f"{pct(c['random'])} / {pct(c['greedy'])}",
                     f"random / greedy 50; P {c['population']:,.0f}, lift {c['lift']:.2f}"))
    for name, g in r["greedy"].items():
        quality = ("" if g["exact_reach_over_exact_greedy"] is None
                   else f"; picks reach {100 * g['exact_reach_over_exact_greedy']:.2f}% of exact")
        rows.append((f"greedy 50, {name}", f"{g['seconds']:.2f} s",
                     f"{g['queries']} queries, {g['us_per_query_in_greedy']:.0f} us each; "
                     f"{g['us_per_query_at_49']:.0f} us at 49 picks{quality}"))
    width = max(len(a) for a, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>18}  notes")
    for a, b, c_ in rows:
        print(f"{a:<{width}}  {b:>18}  {c_}")
    print(f"load average {r['load_average'][0]:.1f} before, {r['load_average'][1]:.1f} after; "
          f"generating took {r['generate_s']:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--edges", type=int, default=25_000_000)
    parser.add_argument("--people", type=int, default=30_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--selections", type=int, default=20)
    parser.add_argument("--output", type=Path, default=RESULTS / "reach.json")
    args = parser.parse_args()
    started = time.perf_counter()
    result = with_verdict(run(args))
    result["selections"] = args.selections
    result["total_s"] = time.perf_counter() - started
    print_table(result)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    out = {"machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus, "
                      f"python {platform.python_version()}, numpy {np.__version__}, "
                      f"pyroaring {pyroaring.__version__}",
           "method_version": core.REACH_METHOD_VERSION, "seed": SEED,
           "targets": {"union_ms": TARGET_UNION_MS, "hll_p14_mean_abs_error": TARGET_HLL_ERROR},
           "load_note": "1-minute load average before and after; on 2 cores anything above 2 "
                        "means other processes shared the machine",
           **result}
    args.output.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.output} in {result['total_s']:.0f} s")


if __name__ == "__main__":
    main()

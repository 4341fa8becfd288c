"""Engagement forecast back-test on the shared Instagram posts (Kim et al., WWW 2020).

Each account's posts are ordered by time; for every account with at least 4 posts and a follower
count, every post after the first is predicted from the account's earlier posts only (rolling
origin), and the first from the prior alone (cold start). Accounts are split in halves by
``zlib.crc32(username) % 2``: 0 is fit, 1 is test. On the fit half only: the tier priors
(``engagement_prior`` of the accounts' profile engagement rates, all fit accounts), the global
median engagement rate of baseline (c), the pooled log spread, a grid search of the half-life,
shrinkage and growth constants (lowest mean absolute log error), of the pooled weight (lowest
80 % interval score, with the interval scale set to give 80 % coverage), and the residual
quantiles that give the baselines their 80 % intervals. Reported on the test half, in one run:
forecast-1 next to (a) the previous post's engagements, (b) the mean of all earlier posts,
(c) followers × the global median engagement rate, two ablations, and a reference that is not a
forecast: the geometric mean of the account's other posts, later ones included. Prints one
table, writes benchmarks/results/forecast.json.

    .venv/bin/python benchmarks/forecast.py [--data ../shared/datasets]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import math
import os
import platform
import statistics
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from kolscope.core.discovery.profile import PostStats, compute_profile_metrics
from kolscope.core.discovery.tiers import Tier, TierThresholds, tier_for
from kolscope.core.matching.forecast import (
    DEFAULT_PARAMS,
    FORECAST_METHOD_VERSION,
    EngagementPrior,
    Factor,
    ForecastParams,
    Funnel,
    deliverable_forecast,
    engagement_forecast,
    engagement_prior,
)
from kolscope.core.metrics import engagement_rate, engagements
from kolscope.core.platforms import Platform, PostFormat

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KOLSCOPE_SHARED_DATASETS", ROOT.parent / "shared" / "datasets"))
RESULTS = ROOT / "benchmarks" / "results"
MIN_POSTS = 4
LEVEL = 0.8
GRID = {"half_life_posts": (0.5, 1.0, 2.0, 4.0, 1e9),
        "shrinkage_posts": (0.05, 0.1, 0.25, 0.5, 1.0, 2.0),
        "growth_per_year": (0.0, 0.1, 0.2, 0.3, 0.4)}
POOLED_WEIGHTS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
BOOTSTRAP = 1000


@dataclass(frozen=True)
class Case:
    """One post to predict: the account's earlier posts, its follower count and prior."""

    account: str
    history: tuple[PostStats, ...]
    followers: int
    prior: EngagementPrior
    at: datetime
    actual: int


def load(folder: Path) -> tuple[dict[str, int], dict[str, list[PostStats]]]:
    """Follower counts from influencers.tsv and each account's posts, oldest first."""
    followers: dict[str, int] = {}
    with (folder / "influencers.tsv").open(encoding="utf-8") as f:
        for line in itertools.islice(f, 2, None):
            cells = line.rstrip("\n").split("\t")
            if len(cells) >= 3 and cells[2].strip().isdigit():
                followers[cells[0]] = int(cells[2])
    posts: dict[str, list[PostStats]] = defaultdict(list)
    with gzip.open(folder / "posts.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            node = json.loads(line)
            posts[node["owner"]["username"]].append(PostStats(
                posted_at=datetime.fromtimestamp(node["taken_at_timestamp"], UTC),
                likes=node["edge_media_preview_like"].get("count"),
                comments=node.get("edge_media_to_parent_comment", {}).get("count"),
                views=node.get("video_view_count"),
                is_sponsored=bool(node.get("edge_media_to_sponsor_user", {}).get("edges"))))
    for own in posts.values():
        own.sort(key=lambda p: p.posted_at or datetime.min.replace(tzinfo=UTC))
    return followers, dict(posts)


def is_fit(username: str) -> bool:
    return zlib.crc32(username.encode("utf-8")) % 2 == 0


def fit_priors(followers: dict[str, int], posts: dict[str, list[PostStats]],
               ) -> tuple[dict[Tier | None, EngagementPrior], float, float]:
    """Per-tier priors (``None``: all tiers), the global median per-post engagement rate and
    the pooled within-account log sd, all from the fit half."""
    by_tier: dict[Tier | None, list[float]] = defaultdict(list)
    per_post: list[float] = []
    squares, dof = 0.0, 0
    thresholds = TierThresholds()
    for user, own in posts.items():
        count = followers.get(user)
        if not is_fit(user) or not count:
            continue
        profile = compute_profile_metrics(own, followers=count, thresholds=thresholds,
                                          window=len(own))
        if profile.engagement_rate is not None:
            by_tier[profile.tier].append(profile.engagement_rate)
            by_tier[None].append(profile.engagement_rate)
        per_post += [r for p in own if (r := engagement_rate(p.likes, p.comments, count))]
        logs = [math.log1p(engagements(p.likes, p.comments) or 0) for p in own]
        if len(logs) >= 2:
            squares += statistics.variance(logs) * (len(logs) - 1)
            dof += len(logs) - 1
    priors = {t: engagement_prior(r, platform=Platform.INSTAGRAM, tier=t)
              for t, r in by_tier.items() if len(r) >= 20}
    return priors, float(statistics.median(per_post)), math.sqrt(squares / dof)


def cases(followers: dict[str, int], posts: dict[str, list[PostStats]],
          priors: dict[Tier | None, EngagementPrior]) -> Iterator[Case]:
    """Every post of the accounts with enough posts, with its history (possibly empty)."""
    thresholds = TierThresholds()
    for user in sorted(posts):
        own, count = posts[user], followers.get(user)
        if len(own) < MIN_POSTS or not count:
            continue
        prior = priors.get(tier_for(count, thresholds), priors[None])
        for i, post in enumerate(own):
            assert post.posted_at is not None
            yield Case(user, tuple(own[:i]), count, prior, post.posted_at,
                       engagements(post.likes, post.comments) or 0)


Prediction = tuple[float, float, float]
Predictor = Callable[[Case], Prediction]


def ours(params: ForecastParams, *, use_prior: bool = True, level: float = LEVEL) -> Predictor:
    def predict(case: Case) -> Prediction:
        e = engagement_forecast(case.history, followers=case.followers,
                                prior=case.prior if use_prior else None, at=case.at,
                                level=level, params=params).engagements
        return e.point, e.low, e.high
    return predict


def previous_post(case: Case) -> float:
    last = case.history[-1]
    return float(engagements(last.likes, last.comments) or 0)


def mean_of_earlier(case: Case) -> float:
    return statistics.fmean(engagements(p.likes, p.comments) or 0 for p in case.history)


def followers_times(rate: float) -> Callable[[Case], float]:
    return lambda case: case.followers * rate


def leave_one_out(posts: dict[str, list[PostStats]]) -> Callable[[Case], float]:
    """Not a forecast: the geometric mean of all the account's other posts, later ones too,
    a reference for how much of a post's engagement its account's level explains."""
    def point(case: Case) -> float:
        logs = [math.log1p(engagements(p.likes, p.comments) or 0) for p in posts[case.account]]
        return math.expm1((sum(logs) - math.log1p(case.actual)) / (len(logs) - 1))
    return point


def with_interval(point: Callable[[Case], float], fit: list[Case]) -> Predictor:
    """A baseline's point with the 10 % and 90 % quantiles of its fit-half log residuals."""
    residuals = [math.log1p(c.actual) - math.log1p(point(c)) for c in fit]
    low_q, high_q = np.quantile(residuals, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])

    def predict(case: Case) -> Prediction:
        p = point(case)
        return (p, max(0.0, math.expm1(math.log1p(p) + low_q)),
                math.expm1(math.log1p(p) + high_q))
    return predict


def scores(predictions: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    """Point errors (log space, percentage, absolute) and the interval's coverage, width and
    interval score (width plus 2 / (1 - level) times the miss, in log1p space)."""
    point, low, high = predictions.T
    log_error = np.abs(np.log1p(point) - np.log1p(actual))
    positive = actual > 0
    y, lo, hi = np.log1p(actual), np.log1p(low), np.log1p(high)
    miss = np.maximum(lo - y, 0) + np.maximum(y - hi, 0)
    return {"log_mdae": float(np.median(log_error)), "log_mae": float(np.mean(log_error)),
            "mdape": float(np.median(np.abs(point - actual)[positive] / actual[positive])),
            "mae": float(np.mean(np.abs(point - actual))),
            "coverage": float(np.mean((low <= actual) & (actual <= high))),
            "mean_log_width": float(np.mean(hi - lo)),
            "log_interval_score": float(np.mean(hi - lo + 2 / (1 - LEVEL) * miss)),
            "median_relative_width": float(np.median((high - low) / np.maximum(point, 1.0))),
            "mean_width": float(np.mean(high - low))}


def run(predict: Predictor, chosen: list[Case]) -> np.ndarray:
    return np.array([predict(c) for c in chosen], dtype=float)


def log_errors(predict: Predictor, chosen: list[Case]) -> np.ndarray:
    actual = np.log1p(np.array([c.actual for c in chosen], dtype=float))
    errors: np.ndarray = np.abs(np.log1p(run(predict, chosen)[:, 0]) - actual)
    return errors


def search_point(fit: list[Case]) -> tuple[dict[str, float], list[dict[str, float]]]:
    """The half-life, shrinkage and growth with the lowest mean absolute log error on fit."""
    tried = []
    for values in itertools.product(*GRID.values()):
        chosen = dict(zip(GRID, values, strict=True))
        params = DEFAULT_PARAMS.model_copy(update=chosen)
        tried.append({**chosen, "log_mae": float(np.mean(log_errors(ours(params), fit)))})
    best = min(tried, key=lambda t: t["log_mae"])
    return {k: best[k] for k in GRID}, tried


def search_interval(fit: list[Case], params: ForecastParams,
                    ) -> tuple[dict[str, float], list[dict[str, float]]]:
    """The pooled weight with the lowest 80 % interval score on fit, each with the interval
    scale that makes its fit coverage 80 %."""
    z = statistics.NormalDist().inv_cdf((1 + LEVEL) / 2)
    actual = np.log1p([c.actual for c in fit])
    tried = []
    for nu in POOLED_WEIGHTS:
        trial = params.model_copy(update={"pooled_weight_posts": nu, "interval_scale": 1.0})
        made = [engagement_forecast(c.history, followers=c.followers, prior=c.prior, at=c.at,
                                    params=trial) for c in fit]
        mu = np.array([m.log_mean for m in made])
        sd = np.array([m.log_sd for m in made])
        scale = float(np.quantile(np.abs(actual - mu) / sd, LEVEL) / z)
        low, high = np.maximum(mu - z * scale * sd, 0.0), mu + z * scale * sd
        alpha = 1 - LEVEL
        score = (high - low + 2 / alpha * (np.maximum(low - actual, 0)
                                           + np.maximum(actual - high, 0)))
        tried.append({"pooled_weight_posts": nu, "interval_scale": scale,
                      "interval_score": float(score.mean())})
    best = min(tried, key=lambda t: t["interval_score"])
    return {k: best[k] for k in ("pooled_weight_posts", "interval_scale")}, tried


def bootstrap_ratio(ours_errors: np.ndarray, base_errors: np.ndarray, accounts: list[str],
                    ) -> dict[str, list[float]]:
    """95 % intervals of ours / baseline (mean and median absolute log error), resampling
    test accounts with replacement (paired: the same posts for both)."""
    names = sorted(set(accounts))
    index = {a: i for i, a in enumerate(names)}
    groups: list[list[int]] = [[] for _ in names]
    for row, account in enumerate(accounts):
        groups[index[account]].append(row)
    rng = np.random.default_rng(0)
    means, medians = [], []
    for _ in range(BOOTSTRAP):
        rows = np.concatenate([groups[g] for g in rng.integers(0, len(names), len(names))])
        means.append(ours_errors[rows].mean() / base_errors[rows].mean())
        medians.append(np.median(ours_errors[rows]) / np.median(base_errors[rows]))
    return {"log_mae_ratio_95": np.quantile(means, [0.025, 0.975]).tolist(),
            "log_mdae_ratio_95": np.quantile(medians, [0.025, 0.975]).tolist()}


def throughput(test: list[Case], params: ForecastParams) -> dict[str, float]:
    """Engagement and deliverable forecasts per second over the test posts (best of 3)."""
    funnel = Funnel(average_order_value=Factor.between(25.0, 60.0))
    best_e, best_d = math.inf, math.inf
    for _ in range(3):
        started = time.perf_counter()
        made = [engagement_forecast(c.history, followers=c.followers, prior=c.prior, at=c.at,
                                    params=params) for c in test]
        best_e = min(best_e, time.perf_counter() - started)
        started = time.perf_counter()
        for m in made:
            deliverable_forecast(m, post_format=PostFormat.IMAGE, funnel=funnel,
                                 cost=Decimal(100))
        best_d = min(best_d, time.perf_counter() - started)
    return {"engagement_forecasts_per_s": len(test) / best_e,
            "deliverable_forecasts_per_s": len(test) / best_d}


def by_history(methods: dict[str, np.ndarray], test: list[Case]) -> dict[str, dict[str, Any]]:
    """Median absolute log error of each method by the number of earlier posts."""
    counts = np.array([min(len(c.history), 4) for c in test])
    out: dict[str, dict[str, Any]] = {}
    for n in (1, 2, 3, 4):
        rows = counts == n
        out["4+" if n == 4 else str(n)] = {"posts": int(rows.sum()), **{
            name: float(np.median(errors[rows])) for name, errors in methods.items()}}
    return out


def example(test: list[Case], params: ForecastParams) -> dict[str, Any]:
    """One deliverable forecast on a test account, for the method page."""
    case = max(test, key=lambda c: (len(c.history), c.account))
    made = engagement_forecast(case.history, followers=case.followers, prior=case.prior,
                               at=case.at, params=params)
    funnel = Funnel(average_order_value=Factor.between(25.0, 60.0))
    result = deliverable_forecast(made, post_format=PostFormat.IMAGE, funnel=funnel,
                                  cost=Decimal(100))
    return {"followers": case.followers, "earlier_posts": len(case.history),
            "actual_engagements": case.actual,
            **{k: v.model_dump() for k, v in result if k in {
                "impressions", "unique_reach", "engagements", "clicks", "conversions",
                "revenue", "roi"}},
            "shrinkage_weight": made.explanation.shrinkage_weight}


def agrees(fitted: ForecastParams, shipped: ForecastParams) -> bool:
    """Whether the shipped constants are this run's fit, rounded to two significant digits."""
    return all(math.isclose(a, b, rel_tol=0.03)
               for a, b in zip(fitted.model_dump().values(), shipped.model_dump().values(),
                               strict=True))


def evaluate(fit: list[Case], test: list[Case], params: ForecastParams, rate: float,
             posts: dict[str, list[PostStats]]) -> dict[str, Any]:
    """Every method's test scores, the ratios to the best baseline and their bootstrap."""
    no_growth = params.model_copy(update={"growth_per_year": 0.0})
    methods: dict[str, Predictor] = {
        FORECAST_METHOD_VERSION: ours(params),
        "  without prior": ours(params, use_prior=False),
        "  without growth": ours(no_growth),
        "(a) previous post": with_interval(previous_post, fit),
        "(b) mean of earlier posts": with_interval(mean_of_earlier, fit),
        "(c) followers x median ER": with_interval(followers_times(rate), fit),
        "ref: other posts, later too": with_interval(leave_one_out(posts), fit)}
    actual = np.array([c.actual for c in test], dtype=float)
    made = {name: run(predict, test) for name, predict in methods.items()}
    rows = {name: scores(p, actual) for name, p in made.items()}
    baselines = [n for n in rows if n[:3] in {"(a)", "(b)", "(c)"}]
    ratios = {m: rows[FORECAST_METHOD_VERSION][m] / min(rows[b][m] for b in baselines)
              for m in ("log_mdae", "log_mae", "mdape", "mae", "log_interval_score")}
    best = min(baselines, key=lambda b: rows[b]["log_mae"])
    errors = {n: np.abs(np.log1p(p[:, 0]) - np.log1p(actual)) for n, p in made.items()}
    return {"rows": rows, "ratios_to_best_baseline": ratios, "best_baseline_by_log_mae": best,
            "width_ratio_to_best_baseline": rows[FORECAST_METHOD_VERSION]["mean_log_width"]
            / rows[best]["mean_log_width"],
            "bootstrap_vs_best_baseline": bootstrap_ratio(
                errors[FORECAST_METHOD_VERSION], errors[best], [c.account for c in test]),
            "by_earlier_posts_log_mdae": by_history(
                {k: errors[k] for k in (FORECAST_METHOD_VERSION, *baselines)}, test),
            "coverage_by_level": {str(level): scores(run(ours(params, level=level), test),
                                                     actual)["coverage"]
                                  for level in (0.5, 0.8, 0.95)}}


def cold_start(fit: list[Case], test: list[Case], params: ForecastParams,
               rate: float) -> dict[str, dict[str, float]]:
    """First posts, predicted from the tier prior alone, next to baseline (c)."""
    actual = np.array([c.actual for c in test], dtype=float)
    return {FORECAST_METHOD_VERSION: scores(run(ours(params), test), actual),
            "(c) followers x median ER": scores(
                run(with_interval(followers_times(rate), fit), test), actual)}


def print_table(result: dict[str, Any]) -> None:
    head = ("method", "log MdAE", "log MAE", "MdAPE", "MAE", "cover 80%", "log width",
            "int score")
    print(f"\n{head[0]:<28}" + "".join(f"{h:>11}" for h in head[1:]))

    def line(name: str, r: dict[str, float]) -> None:
        print(f"{name:<28}{r['log_mdae']:>11.3f}{r['log_mae']:>11.3f}{r['mdape']:>10.1%} "
              f"{r['mae']:>10,.0f}{r['coverage']:>11.1%}{r['mean_log_width']:>11.2f}"
              f"{r['log_interval_score']:>11.2f}")

    ev = result["test"]
    for name, r in ev["rows"].items():
        line(name, r)
    ratio = ev["ratios_to_best_baseline"]
    print(f"{'ours / best baseline':<28}{ratio['log_mdae']:>11.3f}{ratio['log_mae']:>11.3f}"
          f"{ratio['mdape']:>11.3f}{ratio['mae']:>11.3f}{'':>11}"
          f"{ev['width_ratio_to_best_baseline']:>11.3f}{ratio['log_interval_score']:>11.3f}")
    print(f"cold start ({result['counts']['test_cold']} first posts, prior only):")
    for name, r in result["cold_start"].items():
        line(f"  {name}", r)
    boot = ev["bootstrap_vs_best_baseline"]
    print(f"95% bootstrap over test accounts, ours / {ev['best_baseline_by_log_mae']}: log MAE "
          f"{boot['log_mae_ratio_95'][0]:.3f}-{boot['log_mae_ratio_95'][1]:.3f}, log MdAE "
          f"{boot['log_mdae_ratio_95'][0]:.3f}-{boot['log_mdae_ratio_95'][1]:.3f}")
    print("coverage at 50/80/95%: " + ", ".join(
        f"{float(k):.0%} {v:.1%}" for k, v in ev["coverage_by_level"].items()))
    print("log MdAE by earlier posts: " + "; ".join(
        f"{n} ({v['posts']}): ours {v[FORECAST_METHOD_VERSION]:.3f}, (a) "
        f"{v['(a) previous post']:.3f}, (b) {v['(b) mean of earlier posts']:.3f}"
        for n, v in ev["by_earlier_posts_log_mdae"].items()))
    speed = result["throughput"]
    print(f"speed: {speed['engagement_forecasts_per_s']:,.0f} engagement forecasts/s, "
          f"{speed['deliverable_forecasts_per_s']:,.0f} deliverable forecasts/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--output", type=Path, default=RESULTS / "forecast.json")
    args = parser.parse_args()
    folder = args.data / "instagram-influencers"
    if not (folder / "posts.jsonl.gz").exists():
        sys.exit(f"dataset not found at {folder} (pass --data or set KOLSCOPE_SHARED_DATASETS); "
                 "nothing measured")
    started = time.perf_counter()
    followers, posts = load(folder)
    priors, rate, pooled = fit_priors(followers, posts)
    every = list(cases(followers, posts, priors))
    fit = [c for c in every if is_fit(c.account) and c.history]
    test = [c for c in every if not is_fit(c.account) and c.history]
    cold = [c for c in every if not is_fit(c.account) and not c.history]
    chosen, point_grid = search_point(fit)
    params = DEFAULT_PARAMS.model_copy(update={**chosen, "pooled_log_sd": pooled})
    interval, interval_grid = search_interval(fit, params)
    fitted = params.model_copy(update=interval)
    params = DEFAULT_PARAMS
    result = {
        "method_version": FORECAST_METHOD_VERSION, "level": LEVEL,
        "split": "zlib.crc32(username) % 2: 0 fit, 1 test",
        "counts": {"posts": sum(map(len, posts.values())), "accounts": len(posts),
                   "accounts_with_4_posts": len({c.account for c in every}),
                   "fit_posts": len(fit), "test_posts": len(test), "test_cold": len(cold),
                   "test_accounts": len({c.account for c in test})},
        "fitted": {"params": fitted.model_dump(), "global_median_engagement_rate": rate,
                   "priors": {str(t): p.model_dump(mode="json") for t, p in priors.items()},
                   "shipped_defaults": DEFAULT_PARAMS.model_dump(),
                   "shipped_agree_with_fit": agrees(fitted, DEFAULT_PARAMS),
                   "point_grid": point_grid, "interval_grid": interval_grid},
        "test": evaluate(fit, test, params, rate, posts),
        "cold_start": cold_start(fit, cold, params, rate),
        "throughput": throughput(test, params), "example": example(test, params)}
    result["seconds"] = time.perf_counter() - started
    result["python"] = platform.python_version()
    print(f"counts {result['counts']}\nfitted on the fit half: {fitted.model_dump()}")
    print("the shipped defaults, scored below, " + (
        "agree with this fit to rounding" if agrees(fitted, DEFAULT_PARAMS)
        else f"DIFFER from this fit: {DEFAULT_PARAMS.model_dump()}"))
    print_table(result)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"wrote {args.output} in {result['seconds']:.0f} s")


if __name__ == "__main__":
    main()

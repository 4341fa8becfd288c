"""Calibration of the synthetic world against the real Instagram influencer data.

Computes the same statistics on the real data (influencers.tsv joined to posts.jsonl.gz by owner)
and on the Instagram accounts of a generated world with at least 1,000 followers (the real list's
floor), prints a table (statistic, real, synthetic, ratio) and writes
benchmarks/results/calibration.json. ``--fit`` prints the fitted constants that
src/kolscope/adapters/sources/synthetic.py hard-codes; ``--stream N`` instead measures the time
and peak memory of streaming N accounts to a .jsonl.gz and adds the run to
benchmarks/results/synthetic_stream.json.

    .venv/bin/python benchmarks/calibrate_synth.py [--data ../shared/datasets] [--accounts 40000]
    .venv/bin/python benchmarks/calibrate_synth.py --fit
    .venv/bin/python benchmarks/calibrate_synth.py --stream 100000
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from kolscope.adapters.sources.synthetic import (
    GENERATOR_VERSION,
    SyntheticWorld,
    write_generic_jsonl,
)
from kolscope.core.text import mentions
from kolscope.core.vetting.sponsorship import disclosure_tags

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TIERS = (("micro", 1_000, 50_000), ("mid", 50_000, 200_000), ("macro", 200_000, 1_000_000),
         ("celebrity", 1_000_000, 10**12))
BANDS = ((1_000, 2_000), (2_000, 5_000), (5_000, 20_000), (20_000, 50_000), (50_000, 200_000),
         (200_000, 1_000_000), (1_000_000, 10**12))
NANO_FOLLOWERS = 400
KNOTS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98,
         0.99, 0.995, 0.999, 1.0)

Accounts = dict[str, tuple[int, int, int]]  # handle -> (followers, following, posts)
Posts = list[tuple[str, int, int, bool, bool, bool, bool]]
# (owner, likes, comments, paid-partnership label, tags someone, disclosure tag, mentions someone)


def load_real(data: Path) -> tuple[Accounts, Posts]:
    """The influencer list and its posts with both counts known, joined by owner."""
    folder = data / "instagram-influencers"
    accounts: Accounts = {}
    with (folder / "influencers.tsv").open(encoding="utf-8") as f:
        next(f), next(f)  # the header and the ruler line of '='
        for line in f:
            name, _, followers, following, media = line.rstrip("\n").split("\t")
            accounts[name.lower()] = (int(followers), int(following), int(media))
    posts: Posts = []
    with gzip.open(folder / "posts.jsonl.gz", "rb") as g:
        for raw in g:
            node = orjson.loads(raw)
            comments = node["edge_media_to_parent_comment"].get("count")
            likes = node["edge_media_preview_like"].get("count")
            owner = node["owner"]["username"].lower()
            if comments is None or likes is None or owner not in accounts:
                continue
            caption = " ".join(e["node"]["text"] for e in node["edge_media_to_caption"]["edges"])
            posts.append((owner, likes, comments, bool(node["edge_media_to_sponsor_user"]["edges"]),
                          bool(node["edge_media_to_tagged_user"]["edges"]),
                          bool(disclosure_tags(caption)), bool(mentions(caption))))
    return accounts, posts


def load_synthetic(accounts: int, seed: int) -> tuple[Accounts, Posts]:
    """The Instagram accounts of a generated world with 1,000 followers or more, and their posts."""
    world = SyntheticWorld(accounts=accounts, seed=seed)
    found: Accounts = {}
    posts: Posts = []
    for row in world.rows():
        if row["platform"] != "instagram":
            continue
        if row["type"] == "account":
            if row["followers"] >= 1_000:
                found[row["handle"]] = (row["followers"], row["following"], row["posts"])
        elif row["handle"] in found:
            posts.append((row["handle"], row["likes"], row["comments_count"],
                          row["paid_partnership"], bool(row["tagged"]),
                          bool(disclosure_tags(row["caption"])), bool(mentions(row["caption"]))))
    return found, posts


def summarise(accounts: Accounts, posts: Posts) -> dict[str, float]:
    """The calibration statistics, the same for real and synthetic data."""
    followers = np.array([a[0] for a in accounts.values()], dtype=float)
    stats: dict[str, float] = {"accounts": len(accounts), "posts": len(posts)}
    for q in (10, 25, 50, 75, 90, 99):
        stats[f"followers_p{q}"] = float(np.percentile(followers, q))
    for name, low, high in TIERS:
        stats[f"share_{name}"] = float(np.mean((followers >= low) & (followers < high)))
    stats["following_median"] = float(np.median([a[1] for a in accounts.values()]))
    stats["posts_count_median"] = float(np.median([a[2] for a in accounts.values()]))
    owner_followers = np.array([accounts[p[0]][0] for p in posts], dtype=float)
    likes = np.array([p[1] for p in posts], dtype=float)
    comments = np.array([p[2] for p in posts], dtype=float)
    er = (likes + comments) / owner_followers
    stats["er_median"] = float(np.median(er))
    for name, low, high in TIERS:
        tier = er[(owner_followers >= low) & (owner_followers < high)]
        stats[f"er_median_{name}"] = float(np.median(tier))
        stats[f"er_p10_{name}"], stats[f"er_p90_{name}"] = map(float, np.percentile(tier, [10, 90]))
    for q in (25, 50, 75, 90):
        stats[f"comments_p{q}"] = float(np.percentile(comments, q))
    stats["comments_zero_share"] = float(np.mean(comments == 0))
    liked = likes > 0
    stats["comment_like_ratio_median"] = float(np.median(comments[liked] / likes[liked]))
    stats["comment_like_ratio_pooled"] = float(comments.sum() / likes.sum())
    for i, name in ((3, "paid_label"), (4, "tagging"), (5, "disclosure_tag"), (6, "mentioning")):
        stats[f"share_posts_{name}"] = float(np.mean([p[i] for p in posts]))
    return stats


def fit(accounts: Accounts, posts: Posts) -> dict[str, Any]:
    """The constants the generator hard-codes, fitted on the real data."""
    followers = np.array([a[0] for a in accounts.values()], dtype=float)
    log_following = np.log([max(a[1], 1) for a in accounts.values()])
    log_posts = np.log([max(a[2], 1) for a in accounts.values()])
    engaged = [(o, np.log10(accounts[o][0]), np.log((lk + c) / accounts[o][0]))
               for o, lk, c, *_ in posts if lk + c > 0]
    knots = []
    for low, high in BANDS:
        band = [(x, y) for _, x, y in engaged if low <= 10**x < high]
        knots.append((round(float(np.median([x for x, _ in band])), 3),
                      round(float(np.exp(np.median([y for _, y in band]))), 4)))
    (x0, y0), (x1, y1) = knots[:2]
    nano_x = float(np.log10(NANO_FOLLOWERS))  # below the list's floor: extrapolated, an assumption
    knots.insert(0, (round(nano_x, 3), round(float(y0 * (y1 / y0) ** ((nano_x - x0) / (x1 - x0))),
                                             4)))
    xs, ys = zip(*knots, strict=True)
    residual = _spread([(o, y - np.log(np.interp(x, xs, ys))) for o, x, y in engaged])
    ratios = [(o, np.log10(accounts[o][0]), np.log(c / lk)) for o, lk, c, *_ in posts
              if lk > 0 and c > 0]
    slope, intercept = np.polyfit([x for _, x, _ in ratios], [y for _, _, y in ratios], 1)
    q25, q75 = np.percentile([y - intercept - slope * x for _, x, y in ratios], [25, 75])
    return {
        "follower_log10_quantiles": [(q, round(float(np.log10(np.quantile(followers, q))), 3))
                                     for q in KNOTS],
        "following_median": float(np.exp(np.median(log_following))),
        "following_log_sd": float(np.std(log_following)),
        "posts_median": float(np.exp(np.median(log_posts))),
        "posts_log_sd": float(np.std(log_posts)),
        "er_knots_log10_followers": knots,
        "er_residual_log_sd": residual,
        "comment_ratio_log_intercept": float(intercept),
        "comment_ratio_log_slope_per_log10_followers": float(slope),
        "comment_ratio_residual_log_sd": float((q75 - q25) / 1.349),
    }


def _spread(residuals: list[tuple[str, float]]) -> dict[str, float]:
    """Spread of log engagement rate once its trend with followers is taken out: the robust total
    (IQR / 1.349, as the real tail is longer below than above), split between and within accounts
    in the proportion of their variances."""
    by_owner: dict[str, list[float]] = defaultdict(list)
    for owner, value in residuals:
        by_owner[owner].append(value)
    values = [v for _, v in residuals]
    q25, q75 = np.percentile(values, [25, 75])
    robust, total = float((q75 - q25) / 1.349), float(np.std(values))
    within = float(np.sqrt(np.mean([np.var(v, ddof=1) for v in by_owner.values() if len(v) > 1])))
    between = float(np.sqrt(max(total**2 - within**2, 0.0)))
    return {"std": total, "robust": robust, "within_account": within * robust / total,
            "between_accounts": between * robust / total}


def stream(accounts: int, seed: int) -> dict[str, Any]:
    """Time and peak memory of streaming ``accounts`` accounts to a .jsonl.gz file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "world.jsonl.gz"
        start = time.perf_counter()
        counts = write_generic_jsonl(SyntheticWorld(accounts=accounts, seed=seed), path)
        seconds = time.perf_counter() - start
        size = path.stat().st_size
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"accounts": accounts, "seconds": round(seconds, 1), "peak_rss_mib": round(peak_mib),
            "file_mib": round(size / 2**20, 1), **counts,
            "accounts_per_second": round(accounts / seconds),
            "interactions_per_second": round(counts["interactions"] / seconds)}


def table(real: dict[str, float], synthetic: dict[str, float]) -> list[dict[str, Any]]:
    rows = []
    for key, value in real.items():
        other = synthetic[key]
        ratio = other / value if value else float("nan")
        rows.append({"statistic": key, "real": value, "synthetic": other, "ratio": ratio})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--accounts", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fit", action="store_true", help="print the fitted constants")
    parser.add_argument("--stream", type=int, metavar="N", help="measure streaming N accounts")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.stream:
        result = stream(args.stream, args.seed) | {"generator": GENERATOR_VERSION,
                                                   "python": platform.python_version()}
        print(json.dumps(result, indent=2))
        out = RESULTS / "synthetic_stream.json"
        runs = json.loads(out.read_text()) if out.exists() else {}
        out.write_text(json.dumps(runs | {str(args.stream): result}, indent=2) + "\n")
        return
    if not (args.data / "instagram-influencers" / "posts.jsonl.gz").exists():
        sys.exit(f"real data not found at {args.data}/instagram-influencers; pass --data with the "
                 "shared datasets folder (see ../shared/datasets/README.md)")
    real_accounts, real_posts = load_real(args.data)
    if args.fit:
        print(json.dumps(fit(real_accounts, real_posts)))
        return
    start = time.perf_counter()
    real = summarise(real_accounts, real_posts)
    synthetic = summarise(*load_synthetic(args.accounts, args.seed))
    rows = table(real, synthetic)
    print(f"{'statistic':<28} {'real':>12} {'synthetic':>12} {'ratio':>7}")
    for r in rows:
        print(f"{r['statistic']:<28} {r['real']:>12.4g} {r['synthetic']:>12.4g} {r['ratio']:>7.2f}")
    result = {"generator": GENERATOR_VERSION, "world": {"accounts": args.accounts,
                                                        "seed": args.seed},
              "seconds": round(time.perf_counter() - start, 1), "rows": rows}
    (RESULTS / "calibration.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

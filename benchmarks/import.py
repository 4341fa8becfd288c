"""Import speed and memory on the real Instagram dataset (issue target: under 60 s here).

Runs, each in a fresh process so peak memory is the import's own:
  1. the floor: decompress and JSON-parse posts.jsonl.gz, nothing else;
  2. the influencer list import; 3. the posts import; 4. the posts import again (idempotent).
Prints a table and writes benchmarks/results/import.json.

    .venv/bin/python benchmarks/import.py [--data ../shared/datasets] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TARGET_SECONDS = 60.0

CHILD = r"""
import gzip, json, resource, sys, time
from datetime import UTC, datetime
from pathlib import Path
mode, path, url = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
clock = lambda: datetime.now(UTC)
start = time.perf_counter()
counts = {}
if mode == "parse":
    import orjson
    with gzip.open(path, "rb") as f:
        counts["records"] = sum(1 for line in f if orjson.loads(line))
else:
    from kolscope.adapters.db.database import Database
    from kolscope.adapters.sources import open_source
    from kolscope.app.imports import run_import, start_import
    from kolscope.app.workspaces import ensure_workspace
    from kolscope.jobs.imports import import_options
    from kolscope.settings import load_settings
    db = Database(url)
    db.upgrade()
    with db.uow() as uow:
        ensure_workspace(uow, slug="bench", clock=clock)
        uow.commit()
    source = open_source(mode, path)
    with db.uow() as uow:
        job_id = start_import(uow, workspace="bench", source=source, clock=clock)
        uow.commit()
    job = run_import(db.uow, workspace="bench", job_id=job_id, source=source,
                     options=import_options(load_settings()), clock=clock)
    counts = job.counts
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "counts": counts}))
"""


def child(mode: str, path: Path, url: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), url], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--database-url", default=None,
                        help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()
    folder = args.data / "instagram-influencers"
    if not (folder / "posts.jsonl.gz").exists():
        sys.exit(f"no dataset at {folder}: pass --data PATH to the shared datasets")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        runs = [("parse only (floor)", "parse", folder / "posts.jsonl.gz"),
                ("influencers.tsv", "influencers", folder / "influencers.tsv"),
                ("posts.jsonl.gz", "instagram", folder / "posts.jsonl.gz"),
                ("posts.jsonl.gz again", "instagram", folder / "posts.jsonl.gz")]
        rows = []
        for label, mode, path in runs:
            started = time.perf_counter()
            result = child(mode, path, url)
            result["wall_seconds"] = time.perf_counter() - started
            rows.append({"run": label, **result})
    floor = float(rows[0]["seconds"])  # type: ignore[arg-type]
    posts = rows[2]
    counts = posts["counts"]
    assert isinstance(counts, dict)
    seconds = float(posts["seconds"])  # type: ignore[arg-type]
    summary = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "database": "sqlite" if args.database_url is None else args.database_url.split(":")[0],
        "posts_per_second": counts["records"] / seconds,
        "comments_per_second": (counts["comments_new"] + counts["comments_unchanged"]) / seconds,
        "posts_import_seconds": seconds,
        "target_seconds": TARGET_SECONDS,
        "ratio_to_target": seconds / TARGET_SECONDS,
        "ratio_to_parse_floor": seconds / floor,
        "peak_memory_mb": posts["peak_mb"],
        "runs": rows,
    }
    print(f"{'run':<24}{'seconds':>10}{'peak MB':>10}{'records':>10}")
    for row in rows:
        c = row["counts"]
        assert isinstance(c, dict)
        print(f"{row['run']:<24}{float(row['seconds']):>10.1f}"  # type: ignore[arg-type]
              f"{float(row['peak_mb']):>10.0f}{c.get('records', 0):>10,}")  # type: ignore[arg-type]
    print(f"\nposts import: {summary['posts_per_second']:,.0f} posts/s, "
          f"{summary['comments_per_second']:,.0f} comments/s, "
          f"{seconds:.1f} s = {summary['ratio_to_target']:.2f} x the {TARGET_SECONDS:.0f} s "
          f"target, {summary['ratio_to_parse_floor']:.1f} x the parse-only floor, "
          f"peak {float(posts['peak_mb']):.0f} MB")  # type: ignore[arg-type]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"wrote {RESULTS / 'import.json'}")


if __name__ == "__main__":
    main()

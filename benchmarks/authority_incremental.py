"""Authority on the real Instagram data: a full graph build against an incremental one.

Imports influencers.tsv and all but the last ``--tail`` lines of posts.jsonl.gz into a fresh
SQLite database under a temporary KOLSCOPE_DATA_DIR, runs authority with the graph store (a full
build), imports the last lines (a small second import), then times:
  1. authority, folding in only the new interactions (incremental);
  2. authority with ``full=True`` (the stored graph rebuilt from every interaction);
  3. authority without a store (the graph built in memory, as before the store existed);
and checks that the three give the same scores. "graph s" is the part of a run spent reading the
interactions and building the graph; the rest is scoring (PageRank, per-niche PageRank, HITS,
k-core), the same in every run. Other processes slow any run: the load average is recorded.
Prints a table and writes benchmarks/results/authority_incremental.json.

    .venv/bin/python benchmarks/authority_incremental.py [--data ../shared/datasets] [--tail 500]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def clock() -> datetime:
    return datetime.now(UTC)


def split_posts(posts: Path, folder: Path, tail: int) -> tuple[Path, Path, int]:
    """posts.jsonl.gz as two files: every line but the last ``tail``, and those."""
    with gzip.open(posts, "rb") as f:
        lines = f.readlines()
    head_path, tail_path = folder / "head.jsonl.gz", folder / "tail.jsonl.gz"
    with gzip.open(head_path, "wb") as f:
        f.writelines(lines[:-tail])
    with gzip.open(tail_path, "wb") as f:
        f.writelines(lines[-tail:])
    return head_path, tail_path, len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--tail", type=int, default=500,
                        help="post lines held back for the second import")
    args = parser.parse_args()
    folder = args.data / "instagram-influencers"
    if not (folder / "posts.jsonl.gz").exists():
        sys.exit(f"no dataset at {folder}: pass --data PATH to the shared datasets")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KOLSCOPE_DATA_DIR"] = tmp
        summary = measure(Path(tmp), folder, args.tail)
    print_table(summary)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "authority_incremental.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"wrote {RESULTS / 'authority_incremental.json'}")


def measure(tmp: Path, folder: Path, tail: int) -> dict[str, Any]:
    from kolscope.adapters.db.database import Database
    from kolscope.adapters.engines import get_engine
    from kolscope.adapters.sources import open_source
    from kolscope.app.discovery import compute_authority
    from kolscope.app.imports import run_import, start_import
    from kolscope.app.workspaces import ensure_workspace
    from kolscope.jobs.imports import import_options
    from kolscope.jobs.runtime import graph_store
    from kolscope.settings import load_settings

    settings = load_settings()
    db = Database(settings.resolved_database_url)
    db.upgrade()
    with db.uow() as uow:
        ensure_workspace(uow, slug="bench", clock=clock)
        uow.commit()

    def ingest(kind: str, path: Path) -> dict[str, int]:
        source = open_source(kind, path)
        with db.uow() as uow:
            job_id = start_import(uow, workspace="bench", source=source, clock=clock)
            uow.commit()
        return run_import(db.uow, workspace="bench", job_id=job_id, source=source,
                          options=import_options(settings), clock=clock).counts

    store = graph_store(settings)

    def authority(**options: Any) -> dict[str, Any]:
        started = time.perf_counter()
        summary = compute_authority(db.uow, workspace="bench", engine=get_engine("local"),
                                    clock=clock, half_life_days=settings.authority_half_life_days,
                                    **options)
        return {**summary.model_dump(), "wall_seconds": time.perf_counter() - started,
                "load_average_1min": os.getloadavg()[0], "scores": scores(db)}

    head, rest, lines = split_posts(folder / "posts.jsonl.gz", tmp, tail)
    ingest("influencers", folder / "influencers.tsv")
    ingest("instagram", head)
    first = authority(store=store)
    second_import = ingest("instagram", rest)
    runs = {"first (full, empty store)": first,
            "incremental after the second import": authority(store=store),
            "full rebuild (--full)": authority(store=store, full=True),
            "in memory, no store": authority(store=None)}
    db.dispose()
    incremental = runs["incremental after the second import"]["scores"]
    for run in runs.values():
        run["max_relative_difference_to_incremental"] = max_difference(run["scores"], incremental)
        del run["scores"]
    runs["first (full, empty store)"]["max_relative_difference_to_incremental"] = None
    return {"machine": f"{platform.machine()} {platform.python_version()}, {os.cpu_count()} cpus",
            "post_lines": lines, "second_import_lines": tail,
            "second_import_counts": second_import, "memory_limit": settings.graph_memory_limit,
            "runs": runs}


def scores(db: Any) -> dict[int, tuple[float, ...]]:
    from sqlalchemy import select

    from kolscope.adapters.db.tables import AuthorityScore as A

    with db.engine.connect() as c:
        rows = c.execute(select(A.account_id, A.pagerank, A.niche_pagerank, A.hub, A.authority))
        return {r[0]: tuple(math.nan if v is None else float(v) for v in r[1:]) for r in rows}


def max_difference(a: dict[int, tuple[float, ...]], b: dict[int, tuple[float, ...]]) -> float:
    if a.keys() != b.keys():
        return math.inf
    worst = 0.0
    for key, values in a.items():
        for x, y in zip(values, b[key], strict=True):
            if math.isnan(x) and math.isnan(y):
                continue
            worst = max(worst, abs(x - y) / max(abs(y), 1e-300))
    return worst


def print_table(summary: dict[str, Any]) -> None:
    print(f"{'run':<38}{'build':>12}{'new':>9}{'interactions':>13}{'edges':>9}{'graph s':>9}"
          f"{'total s':>9}{'load':>6}{'max rel diff':>13}")
    for name, run in summary["runs"].items():
        diff = run["max_relative_difference_to_incremental"]
        print(f"{name:<38}{run['graph_build']:>12}{run['new_interactions']:>9,}"
              f"{run['interactions']:>13,}{run['edges']:>9,}{run['graph_seconds']:>9.2f}"
              f"{run['wall_seconds']:>9.2f}{run['load_average_1min']:>6.1f}"
              f"{'' if diff is None else f'{diff:.1e}':>13}")


if __name__ == "__main__":
    main()

"""Campaign report speed: a campaign with 1,000 KOLs, 1,000,000 clicks and 5,000 orders.

A temporary SQLite database gets 1,000 instagram KOLs with three posts each (imported as a
generic JSONL file), a campaign whose every KOL goes through terms, review and publication
through the use cases, one tracked link per deliverable, 1M clicks bulk-inserted with
``uow.tracking.add_clicks`` (one in ten a repeat visitor, one in fifty a bot) and 5,000 orders
carrying click ids. Then the report is built from the stored rows (``campaign_report``: every
query, attribution and the KPIs) and rendered to HTML, PDF, CSV and XLSX, each timed on its own.
The report is timed twice: as the database is after the bulk load, and again after
``ANALYZE`` gives SQLite's planner statistics, to show the queries do not depend on them.
Target: the report in under 10 s. Setup is not timed. Prints a table, writes
benchmarks/results/report.json; ``--profile`` prints where the time goes.

    .venv/bin/python benchmarks/report.py [--kols 1000] [--clicks 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import text

from kolscope.adapters.db.database import Database
from kolscope.adapters.documents import (
    render_report_csv,
    render_report_html,
    render_report_pdf,
    render_report_xlsx,
)
from kolscope.adapters.sources import open_source
from kolscope.app import campaigns as camp
from kolscope.app import deliverables as dl
from kolscope.app import tracking as trk
from kolscope.app.imports import run_import, start_import
from kolscope.app.reports import campaign_report
from kolscope.app.tracking_views import ClickRow, ConversionIn
from kolscope.app.workspaces import create_workspace
from kolscope.core.campaigns.pipeline import Stage
from kolscope.core.reporting.report import REPORT_METHOD_VERSION
from kolscope.jobs.imports import import_options
from kolscope.settings import load_settings

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_S = 10.0
NOW = datetime(2026, 1, 10, tzinfo=UTC)
POSTED = datetime(2026, 1, 2, tzinfo=UTC)
BATCH = 50_000
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def world(path: Path, kols: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(kols):
            out.write(json.dumps({"type": "account", "platform": "instagram",
                                  "handle": f"kol{i}", "followers": 5_000 + 37 * i,
                                  "niche": "beauty"}) + "\n")
            for j in range(3):
                out.write(json.dumps({
                    "type": "post", "platform": "instagram", "post_id": f"kol{i}-{j}",
                    "handle": f"kol{i}", "format": "image", "likes": 200 + (i * 7 + j) % 500,
                    "comments_count": 10 + (i + j) % 40, "url": f"https://i.test/p/{i}-{j}",
                    "posted_at": (POSTED - timedelta(days=2 - j)).isoformat()}) + "\n")
    return path


def campaign(db: Database, kols: int) -> list[tuple[int, str]]:
    """The campaign with every KOL published; returns its links as (id, code)."""
    with db.uow() as uow:
        camp.create_campaign(uow, workspace="bench", now=NOW, campaign_in=camp.parse_campaign(
            {"slug": "big", "name": "Big launch", "brand": "Acme", "goal": "conversion",
             "currency": "USD", "kpi_targets": {"engagement_rate": 0.03}}))
        added, _ = camp.add_kols(uow, workspace="bench", slug="big",
                                 handles=[f"kol{i}" for i in range(kols)], actor="b", now=NOW)
        for i, c in enumerate(added):
            for stage in (Stage.CONTACTED, Stage.NEGOTIATING):
                camp.move(uow, workspace="bench", collab_id=c.id, to=stage, actor="b", now=NOW)
            camp.set_terms(uow, workspace="bench", collab_id=c.id, actor="b", now=NOW,
                           terms=camp.parse_terms({"fee": str(100 + i % 400), "currency": "USD",
                                                   "deliverables": [{"platform": "instagram",
                                                                     "format": "image"}]}))
            for stage in (Stage.AGREED, Stage.CONTRACTED):
                camp.move(uow, workspace="bench", collab_id=c.id, to=stage, actor="b", now=NOW)
            (d,) = dl.deliverables(uow, workspace="bench", collab_id=c.id)
            draft = dl.submit_draft(uow, workspace="bench", deliverable_id=d.id, caption="#ad",
                                    url="https://d.test/x", actor="b", now=NOW)
            dl.review_draft(uow, workspace="bench", draft_id=draft.id, decision="approve",
                            actor="b", now=NOW)
            dl.link_published(uow, workspace="bench", deliverable_id=d.id,
                              url=f"https://i.test/p/{i}-2", actor="b", now=NOW)
        links = trk.create_links(uow, workspace="bench", slug="big",
                                 destination="https://shop.test/x", now=POSTED)
        uow.commit()
    return [(link.id, link.code) for link in links]


def clicks_and_orders(db: Database, links: list[tuple[int, str]], clicks: int,
                      orders: int) -> None:
    with db.uow() as uow:
        ws_id = uow.workspaces.get("bench").id  # type: ignore[union-attr]
    every = max(clicks // orders, 1)
    for start in range(0, clicks, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, clicks)):
            link_id, code = links[n % len(links)]
            visitor = f"v{n // 10 if n % 10 == 9 else n}"
            rows.append(ClickRow(f"c{n}", link_id, ws_id, code, POSTED + timedelta(seconds=n),
                                 "Mozilla/5.0", "", "h", visitor, "US",
                                 "bot" if n % 50 == 0 else None, n % 10 != 9))
        with db.uow() as uow:
            uow.tracking.add_clicks(rows)
            if orders:
                for n in range(start + 1, start + len(rows), every):
                    uow.commerce.upsert_conversion(ws_id, ConversionIn(
                        order_id=f"o{n}", source="bench",
                        at=POSTED + timedelta(seconds=n, minutes=5), revenue=Decimal("40.00"),
                        refunded=Decimal(0), currency="USD", click_id=f"c{n}",
                        visitor=f"v{n}"), NOW)
            uow.commit()


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp), database_url=None)
        db = Database(settings.resolved_database_url)
        db.upgrade()
        with db.uow() as uow:
            create_workspace(uow, slug="bench", name="Bench", clock=lambda: NOW)
            uow.commit()
        source = open_source("generic", world(Path(tmp) / "w.jsonl", args.kols))
        with db.uow() as uow:
            job = start_import(uow, workspace="bench", source=source, clock=lambda: NOW)
            uow.commit()
        run_import(db.uow, workspace="bench", job_id=job, source=source,
                   options=import_options(settings), clock=lambda: NOW)
        (links, setup_s) = timed(lambda: campaign(db, args.kols))
        _, clicks_s = timed(lambda: clicks_and_orders(db, links, args.clicks, args.orders))
        if args.profile:
            import cProfile
            import pstats

            with db.uow() as uow, cProfile.Profile() as prof:
                campaign_report(uow, workspace="bench", slug="big", now=NOW)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        with db.uow() as uow:
            report, report_s = timed(lambda: campaign_report(uow, workspace="bench",
                                                             slug="big", now=NOW))
        with db.engine.begin() as conn:  # planner statistics, as after `PRAGMA optimize`
            conn.execute(text("ANALYZE"))
        with db.uow() as uow:
            _, analyzed_s = timed(lambda: campaign_report(uow, workspace="bench", slug="big",
                                                          now=NOW))
        rows = [{"step": "report (stored rows to KPIs)", "seconds": report_s},
                {"step": "report, after ANALYZE", "seconds": analyzed_s}]
        for name, render in (("html", render_report_html), ("pdf", render_report_pdf),
                             ("csv", render_report_csv), ("xlsx", render_report_xlsx)):
            body, seconds = timed(lambda r=render: r(report))  # type: ignore[misc]
            rows.append({"step": f"render {name}", "seconds": seconds, "bytes": len(body)})
        db.dispose()
    k = {x.key: x.value for x in report.kpis}
    return {"kols": args.kols, "clicks_stored": args.clicks, "orders_stored": args.orders,
            "setup_s": {"campaign": setup_s, "clicks_and_orders": clicks_s},
            "report_clicks": k["clicks"], "report_orders": k["orders"],
            "report_s": report_s, "meets_target": report_s < TARGET_S,
            "report_analyzed_s": analyzed_s, "analyzed_meets_target": analyzed_s < TARGET_S,
            "report_and_html_pdf_s": report_s + rows[2]["seconds"] + rows[3]["seconds"],
            "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kols", type=int, default=1_000)
    parser.add_argument("--clicks", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=5_000)
    parser.add_argument("--output", type=Path, default=RESULTS / "report.json")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    result = run(args)
    print(f"{args.kols:,} KOLs, {result['report_clicks']:,} people's clicks of "
          f"{args.clicks:,} stored, {result['report_orders']:,} orders")
    print(f"{'step':<30} {'seconds':>8} {'bytes':>10}")
    for r in result["rows"]:
        print(f"{r['step']:<30} {r['seconds']:>8.2f} {r.get('bytes', ''):>10}")
    for name, key in (("report", "report_s"), ("report after ANALYZE", "report_analyzed_s")):
        print(f"{name} {result[key]:.2f} s: target {TARGET_S:.0f} s "
              f"{'met' if result[key] < TARGET_S else 'MISSED'}")
    out = {"machine": f"{platform.machine()} {os.cpu_count()} cpus, python "
                      f"{platform.python_version()}",
           "method_version": REPORT_METHOD_VERSION, "target_s": TARGET_S,
           "load_average": [load, os.getloadavg()[0]], **result}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(out, indent=2, default=str) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

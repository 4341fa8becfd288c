"""Vetting quality in one table: the fake-account model, sentiment, and whole reports.

1. Fake-account model on InstaFake, stratified 5-fold CV: AUC, accuracy, sensitivity and
   specificity of fake-account-1 next to scikit-learn logistic regression and random forest
   (``fake_accounts_eval.cross_validate``, same folds).
2. Sentiment: TweetEval macro-recall (5-fold CV) next to VADER, and Chinese review accuracy on
   the fixed held-out split next to SnowNLP on the same 1,000 reviews (``sentiment_eval``).
3. Whole vetting reports on a synthetic world of a seed no threshold was chosen on (11): how
   well the risk separates accounts that bought followers (AUC), how many of them fail or need
   review, how many honest accounts do, and how well ``undisclosed_sponsorship`` finds the
   world's undisclosed ads (precision and recall per post), with the vetting throughput.

Writes benchmarks/results/vetting.json.

    .venv/bin/python benchmarks/vetting_eval.py [--data ../shared/datasets] [--accounts 1500]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import fake_accounts_eval, sentiment_eval  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sqlalchemy import select  # noqa: E402

from kolscope.adapters.db.database import Database  # noqa: E402
from kolscope.adapters.db.tables import Post  # noqa: E402
from kolscope.adapters.models import fake_account_model  # noqa: E402
from kolscope.adapters.nlp.sentiment import ShippedSentimentModels  # noqa: E402
from kolscope.adapters.sources.instafake import has_instafake, load_instafake  # noqa: E402
from kolscope.adapters.sources.synthetic import SyntheticWorld  # noqa: E402
from kolscope.app.imports import ImportOptions, run_import, start_import  # noqa: E402
from kolscope.app.vetting_reports import get_report, vet_workspace  # noqa: E402
from kolscope.app.workspaces import create_workspace, require_workspace  # noqa: E402
from kolscope.core.vetting.account_features import feature_matrix  # noqa: E402
from kolscope.jobs.imports import utc_now  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SEED = 11


def synthetic_reports(accounts: int) -> dict[str, Any]:
    """Vet a synthetic world and compare each report with the world's ground truth."""
    world = SyntheticWorld(accounts=accounts, seed=SEED, posts_per_account=10)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/eval.db")
        db.upgrade()
        with db.uow() as uow:
            create_workspace(uow, slug="eval", name="eval", clock=utc_now, is_synthetic=True)
            job = start_import(uow, workspace="eval", source=world, clock=utc_now)
            uow.commit()
        run_import(db.uow, workspace="eval", job_id=job, source=world, options=ImportOptions(),
                   clock=utc_now)
        started = time.perf_counter()
        run = vet_workspace(db.uow, workspace="eval", model=fake_account_model(),
                            sentiment=ShippedSentimentModels(), clock=utc_now)
        seconds = time.perf_counter() - started
        rows = _truth_rows(db, world)
        db.dispose()
    bought = [r for r in rows if r["bought"]]
    honest = [r for r in rows if not r["bought"]]
    tp = sum(len(r["found"] & r["undisclosed"]) for r in rows)
    found = sum(len(r["found"]) for r in rows)
    actual = sum(len(r["undisclosed"]) for r in rows)
    return {
        "seed": SEED, "accounts": len(rows), "bought": len(bought),
        "risk_auc_bought": float(roc_auc_score([r["bought"] for r in rows],
                                               [r["risk"] for r in rows])),
        "bought_fail": _share(bought, "fail"), "bought_fail_or_review": 1 - _share(bought, "pass"),
        "honest_fail": _share(honest, "fail"), "honest_review": _share(honest, "review"),
        "undisclosed_precision": tp / found if found else None,
        "undisclosed_recall": tp / actual if actual else None,
        "undisclosed_posts": actual, "vetting_s": seconds,
        "accounts_per_s": run.accounts / seconds, "comments_scored": run.comments_scored}


def _truth_rows(db: Database, world: SyntheticWorld) -> list[dict[str, Any]]:
    with db.uow() as uow:
        workspace_id = require_workspace(uow, "eval").id
        ids = {s.handle: s.account_id for s in uow.vetting.subjects(workspace_id, 0, 10**9)}
        rows = []
        for index in range(world.accounts):
            account = world.account(index)
            view = get_report(uow, workspace="eval", account_id=ids[account.handle])
            posts = {p.post_id: p for p in uow.vetting.posts([view.account_id], 10**6).get(
                view.account_id, [])}
            platform_ids = _platform_ids(uow, list(posts))
            rows.append({
                "bought": world.has_bought_followers(index), "risk": view.report.risk,
                "verdict": view.verdict,
                "found": {platform_ids[p] for p in view.details.saturation.likely_posts},
                "undisclosed": {t.post_id for t in world.post_truth(index)
                                if t.sponsorship == "undisclosed"}})
    return rows


def _platform_ids(uow: Any, post_ids: list[int]) -> dict[int, str]:
    rows = uow.session.execute(select(Post.id, Post.platform_post_id)
                               .where(Post.id.in_(post_ids)))
    return dict(rows.all())


def _share(rows: list[dict[str, Any]], verdict: str) -> float:
    return sum(r["verdict"] == verdict for r in rows) / len(rows) if rows else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--accounts", type=int, default=1_500)
    parser.add_argument("--snownlp", type=int, default=1_000)
    args = parser.parse_args()
    if not has_instafake(args.data):
        sys.exit(f"shared datasets not found at {args.data} (pass --data); nothing measured")
    columns, labels = load_instafake(args.data)
    fake = fake_accounts_eval.cross_validate(feature_matrix(columns), labels, 5)
    models = ShippedSentimentModels()
    senti = (sentiment_eval.english(args.data, models)
             + sentiment_eval.chinese(args.data, models, args.snownlp))
    synth = synthetic_reports(args.accounts)
    table: list[tuple[str, str, str, float | None]] = []
    for r in fake:
        for metric in ("auc", "accuracy", "sensitivity", "specificity"):
            table.append(("fake accounts, InstaFake 5-fold CV", r["method"], metric, r[metric]))
    for r in senti:
        table.append((f"sentiment {r['task']}", r["method"], r["metric"], r["value"]))
    for metric in ("risk_auc_bought", "bought_fail", "bought_fail_or_review", "honest_fail",
                   "honest_review", "undisclosed_precision", "undisclosed_recall",
                   "accounts_per_s"):
        table.append((f"vetting reports, synthetic seed {SEED}", "vetting-1", metric,
                      synth[metric]))
    print(f"\n{'what':<40} {'method':<52} {'metric':<24} {'value':>10}")
    for what, method, metric, value in table:
        shown = "—" if value is None else f"{value:,.4f}" if value < 100 else f"{value:,.0f}"
        print(f"{what:<40} {method[:52]:<52} {metric:<24} {shown:>10}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"fake_accounts": fake, "sentiment": senti, "synthetic_reports": synth,
           "python": platform.python_version(), "machine": platform.machine(),
           "command": f"python benchmarks/vetting_eval.py --accounts {args.accounts}"}
    (RESULTS / "vetting.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {(RESULTS / 'vetting.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()

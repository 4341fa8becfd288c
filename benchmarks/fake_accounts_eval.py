"""Fake-account model on InstaFake: cross-validated quality against baselines, and throughput.

Stratified 5-fold cross-validation (scikit-learn ``StratifiedKFold``, shuffled with seeds 0 to
``--repeats - 1``), every method on the same features (``feature_matrix``; the link flag, unknown
in InstaFake, is 0 for the baselines) and the same folds:
  (a) fake-account-1 (``FakeAccountModel``, the shipped defaults);
  (b) scikit-learn LogisticRegression (C=1) on standardised features;
  (c) scikit-learn RandomForestClassifier (500 trees).
AUC, accuracy, sensitivity (fakes caught) and specificity (real accounts passed) at probability
0.5, pooled over each repeat's out-of-fold predictions, then averaged over repeats. Then the
scoring throughput of fake-account-1 on 1M generated accounts (features + probabilities), of its
explanations, and of the whole `kolscope vet accounts` path (CSV in, CSV with reasons out).
Writes benchmarks/results/fake_accounts.json.

    .venv/bin/python benchmarks/fake_accounts_eval.py [--data ../shared/datasets] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from kolscope.adapters.sources.instafake import FAKE_V1, has_instafake, load_instafake
from kolscope.adapters.sources.vet_accounts import AccountFileSource
from kolscope.app.vetting import vet_accounts
from kolscope.cli.vet import render_csv
from kolscope.core.vetting.account_features import AccountColumns, feature_matrix
from kolscope.core.vetting.fake_accounts import FAKE_ACCOUNT_METHOD_VERSION, FakeAccountModel

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
Matrix = NDArray[np.float64]
Fitter = Callable[[Matrix, NDArray[np.int64], Matrix], Matrix]


def ours(train: Matrix, labels: NDArray[np.int64], test: Matrix) -> Matrix:
    result: Matrix = FakeAccountModel().fit(train, labels).predict_proba(test)[:, 1]
    return result


def logreg(train: Matrix, labels: NDArray[np.int64], test: Matrix) -> Matrix:
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=5000))
    result: Matrix = model.fit(np.nan_to_num(train), labels).predict_proba(
        np.nan_to_num(test))[:, 1]
    return result


def forest(train: Matrix, labels: NDArray[np.int64], test: Matrix) -> Matrix:
    model = RandomForestClassifier(n_estimators=500, random_state=0, n_jobs=1)
    result: Matrix = model.fit(np.nan_to_num(train), labels).predict_proba(
        np.nan_to_num(test))[:, 1]
    return result


METHODS: dict[str, Fitter] = {FAKE_ACCOUNT_METHOD_VERSION: ours,
                              "sklearn LogisticRegression": logreg,
                              "sklearn RandomForest (500)": forest}


def scores(y: NDArray[np.int64], p: Matrix) -> dict[str, float]:
    hit = p >= 0.5
    return {"auc": float(roc_auc_score(y, p)), "accuracy": float(np.mean(hit == (y == 1))),
            "sensitivity": float(hit[y == 1].mean()), "specificity": float((~hit)[y == 0].mean())}


def cross_validate(x: Matrix, y: NDArray[np.int64], repeats: int) -> list[dict[str, Any]]:
    per_method: dict[str, list[dict[str, float]]] = {name: [] for name in METHODS}
    fit_s: dict[str, float] = dict.fromkeys(METHODS, 0.0)
    for seed in range(repeats):
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(x, y)
        pooled = {name: np.zeros(len(y)) for name in METHODS}
        for train, test in folds:
            for name, method in METHODS.items():
                start = time.perf_counter()
                pooled[name][test] = method(x[train], y[train], x[test])
                fit_s[name] += time.perf_counter() - start
        for name in METHODS:
            per_method[name].append(scores(y, pooled[name]))
    rows = []
    for name, runs in per_method.items():
        mean = {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}
        rows.append({"method": name, **mean,
                     "auc_sd_over_repeats": float(np.std([r["auc"] for r in runs])),
                     "fit_and_score_s_per_fold": fit_s[name] / (5 * repeats)})
    return rows


def generated(n: int, seed: int = 7) -> AccountColumns:
    """``n`` plausible accounts: log-normal counts, a few flags, some unknown bios and links."""
    rng = np.random.default_rng(seed)
    length = rng.integers(5, 23, n).astype(np.float64)
    bio = np.floor(rng.exponential(20.0, n))
    bio[rng.random(n) < 0.2] = np.nan
    return AccountColumns(
        followers=np.floor(rng.lognormal(5.5, 1.5, n)),
        following=np.floor(rng.lognormal(6.0, 1.0, n)),
        posts=np.floor(rng.lognormal(2.5, 1.8, n)) * (rng.random(n) > 0.1),
        has_profile_pic=(rng.random(n) < 0.9).astype(np.float64),
        is_private=(rng.random(n) < 0.5).astype(np.float64), bio_length=bio,
        username_length=length, username_digits=np.floor(length * rng.random(n) * 0.3),
        has_external_url=np.where(rng.random(n) < 0.5, np.nan, rng.random(n) < 0.2))


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def throughput(model: FakeAccountModel, n: int) -> dict[str, Any]:
    columns = generated(n)
    score_s = best_of(3, lambda: model.predict_proba(columns))
    sample = generated(100_000, seed=8)
    explain_s = best_of(1, lambda: model.explain(sample))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "accounts.csv"
        _write_csv(path, sample)
        cli_s = best_of(1, lambda: render_csv(vet_accounts(AccountFileSource(path),
                                                           model=model)))
    return {"scored_accounts": n, "score_s": score_s, "accounts_per_s": n / score_s,
            "explained_accounts": len(sample), "explain_accounts_per_s": len(sample) / explain_s,
            "cli_path_accounts": len(sample), "cli_path_accounts_per_s": len(sample) / cli_s}


def _write_csv(path: Path, c: AccountColumns) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("username,followers,following,posts,has_profile_pic,is_private,bio_length\n")
        for i in range(len(c)):
            name = "u" * int(c.username_length[i] - c.username_digits[i]) + "7" * int(
                c.username_digits[i])
            bio = "" if np.isnan(c.bio_length[i]) else int(c.bio_length[i])
            f.write(f"{name},{int(c.followers[i])},{int(c.following[i])},{int(c.posts[i])},"
                    f"{int(c.has_profile_pic[i])},{int(c.is_private[i])},{bio}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--repeats", type=int, default=5, help="5-fold CV repeats (seeds)")
    parser.add_argument("--accounts", type=int, default=1_000_000,
                        help="generated accounts for the throughput measurement")
    args = parser.parse_args()
    if not has_instafake(args.data):
        sys.exit(f"InstaFake not found at {args.data / FAKE_V1} (pass --data); nothing measured")
    columns, labels = load_instafake(args.data)
    rows = cross_validate(feature_matrix(columns), labels, args.repeats)
    speed = throughput(FakeAccountModel().fit(columns, labels), args.accounts)
    print(f"InstaFake fake-v1.0: {len(labels)} accounts ({int(labels.sum())} fake); stratified "
          f"5-fold CV x {args.repeats} seeds; threshold 0.5\n")
    print(f"{'method':<30}{'AUC':>8}{'(sd)':>8}{'accuracy':>10}{'sensitivity':>13}"
          f"{'specificity':>13}{'s/fold':>8}")
    for r in rows:
        print(f"{r['method']:<30}{r['auc']:>8.4f}{r['auc_sd_over_repeats']:>8.4f}"
              f"{r['accuracy']:>10.4f}{r['sensitivity']:>13.4f}{r['specificity']:>13.4f}"
              f"{r['fit_and_score_s_per_fold']:>8.3f}")
    print(f"\nscoring {speed['scored_accounts']:,} generated accounts: "
          f"{speed['accounts_per_s']:,.0f} accounts/s (features + probabilities)")
    print(f"explanations (every feature's contribution): "
          f"{speed['explain_accounts_per_s']:,.0f} accounts/s")
    print(f"`vet accounts` path (CSV in, scores with reasons out, 100k rows): "
          f"{speed['cli_path_accounts_per_s']:,.0f} accounts/s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"method_version": FAKE_ACCOUNT_METHOD_VERSION, "data": "InstaFake fake-v1.0",
           "accounts": len(labels), "fakes": int(labels.sum()),
           "cv": f"stratified 5-fold, shuffled, seeds 0..{args.repeats - 1}", "threshold": 0.5,
           "methods": rows, "throughput": speed, "python": platform.python_version(),
           "machine": platform.machine()}
    (RESULTS / "fake_accounts.json").write_text(json.dumps(out, indent=2) + "\n",
                                                encoding="utf-8")
    print(f"wrote {RESULTS / 'fake_accounts.json'}")


if __name__ == "__main__":
    main()

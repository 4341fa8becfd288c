"""Niche classification accuracy on the real Instagram influencer dataset (Kim et al., WWW 2020).

One text per influencer (captions with their hashtags, image descriptions, the first
three comments of each post), labelled with the dataset's category mapped onto the taxonomy. Fixed
split: ``zlib.crc32(username) % 5 == 0`` is test, the rest train. Compared in one run:
  (a) TF-IDF (word 1-2 grams, sublinear tf, min_df 2) + LogisticRegression (C=10,
      class_weight="balanced"), scikit-learn;
  (b) NicheClassifier fitted on train, alpha and lexicon_weight chosen by 3-fold
      cross-validation within train (macro-F1);
  (c) NicheClassifier unfitted (the lexicon alone).
Prints a table and per-class F1, writes benchmarks/results/niche_eval.json.

    .venv/bin/python benchmarks/niche_eval.py [--data ../shared/datasets] [--comments 3]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import platform
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

from kolscope.core.discovery.niche_classifier import (
    NICHE_METHOD_VERSION,
    NicheClassifier,
    account_text,
)
from kolscope.core.discovery.niches import niche_for_label

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
GRID = {"alpha": (1.0, 3.0, 10.0, 30.0), "lexicon_weight": (0.0, 5.0, 20.0, 50.0)}


def load(folder: Path, comments: int) -> tuple[list[str], list[str], list[str], dict[str, int]]:
    """Usernames, texts and taxonomy labels of the influencers with posts and a mapped category."""
    labels: dict[str, str | None] = {}
    with (folder / "influencers.tsv").open(encoding="utf-8") as f:
        for line in itertools.islice(f, 2, None):
            cells = line.rstrip("\n").split("\t")
            if len(cells) >= 2:
                labels[cells[0]] = niche_for_label(cells[1])
    parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    with gzip.open(folder / "posts.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            node = json.loads(line)
            own = parts[node["owner"]["username"]]
            own["captions"] += [e["node"]["text"] for e in node["edge_media_to_caption"]["edges"]]
            own["image_descriptions"].append(node.get("accessibility_caption") or "")
            edges = node.get("edge_media_to_parent_comment", {}).get("edges", [])
            own["comments"] += [e["node"]["text"] for e in edges[:comments]]
    counts = {"influencers": len(labels), "with_posts": len(parts),
              "no_category_mapping": sum(v is None for v in labels.values()),
              "posts_without_listed_influencer": sum(u not in labels for u in parts)}
    users = sorted(u for u in parts if labels.get(u))
    counts["used"] = len(users)
    texts = [account_text(captions=parts[u]["captions"], comments=parts[u]["comments"],
                          image_descriptions=parts[u]["image_descriptions"]) for u in users]
    return users, texts, [labels[u] or "" for u in users], counts


def is_test(username: str) -> bool:
    return zlib.crc32(username.encode("utf-8")) % 5 == 0


def scores(y_true: list[str], y_pred: list[str]) -> dict[str, float]:
    return {"accuracy": accuracy_score(y_true, y_pred),
            "macro_f1": f1_score(y_true, y_pred, average="macro",
                                 labels=sorted(set(y_true)), zero_division=0)}


def tune(texts: list[str], labels: list[str]) -> dict[str, Any]:
    """The grid point with the best mean macro-F1 over 3 folds of train (folds by position)."""
    folds = np.arange(len(texts)) % 3
    best: tuple[float, dict[str, Any]] = (-1.0, {})
    for alpha, weight in itertools.product(GRID["alpha"], GRID["lexicon_weight"]):
        f1s = []
        for k in range(3):
            fit = [i for i in range(len(texts)) if folds[i] != k]
            held = [i for i in range(len(texts)) if folds[i] == k]
            clf = NicheClassifier(alpha=alpha, lexicon_weight=weight)
            clf.fit([texts[i] for i in fit], [labels[i] for i in fit])
            f1s.append(scores([labels[i] for i in held],
                              clf.predict([texts[i] for i in held]))["macro_f1"])
        print(f"  cv alpha={alpha:<5} lexicon_weight={weight:<5} macro-F1 {np.mean(f1s):.4f}")
        best = max(best, (float(np.mean(f1s)), {"alpha": alpha, "lexicon_weight": weight}),
                   key=lambda b: b[0])
    return best[1]


def timed(name: str, fit: Any, predict: Any, test_x: list[str], test_y: list[str],
          ) -> dict[str, Any]:
    start = time.perf_counter()
    fit()
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    pred = predict(test_x)
    predict_ms = (time.perf_counter() - start) * 1000 / len(test_x)
    return {"method": name, **scores(test_y, pred), "fit_s": fit_s,
            "predict_ms_per_account": predict_ms, "predictions": pred}


def log_loss(labels: list[str], proba: np.ndarray, classes: list[str]) -> float:
    """Mean negative log-probability of the true niche."""
    cols = [classes.index(y) for y in labels]
    return float(-np.mean(np.log(proba[np.arange(len(labels)), cols])))


def ece(proba: np.ndarray, hits: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top probability, equal-width bins."""
    top = proba.max(axis=1)
    which = np.minimum((top * bins).astype(int), bins - 1)
    return float(sum(abs(top[which == b].mean() - hits[which == b].mean()) * (which == b).mean()
                     for b in range(bins) if (which == b).any()))


def calibration(best: dict[str, Any], train: tuple[list[str], list[str]],
                ours: NicheClassifier, test: tuple[list[str], list[str]]) -> dict[str, float]:
    """Temperature from a fit on 80% of train scored on the other 20%; applied to ``ours``."""
    x, y = train
    hold = [zlib.crc32(t.encode("utf-8")) % 5 == 1 for t in x]
    part = NicheClassifier(**best).fit([t for t, h in zip(x, hold, strict=True) if not h],
                                       [c for c, h in zip(y, hold, strict=True) if not h])
    part.calibrate([t for t, h in zip(x, hold, strict=True) if h],
                   [c for c, h in zip(y, hold, strict=True) if h])
    raw = ours.predict_proba(test[0])
    hits = np.array([ours.classes_[i] == c for i, c in zip(raw.argmax(1), test[1], strict=True)])
    ours.temperature_ = part.temperature_
    cal = ours.predict_proba(test[0])
    return {"temperature": part.temperature_,
            "log_loss_raw": log_loss(test[1], raw, ours.classes_),
            "log_loss_calibrated": log_loss(test[1], cal, ours.classes_),
            "ece_raw": ece(raw, hits), "ece_calibrated": ece(cal, hits),
            "mean_confidence_raw": float(raw.max(1).mean()),
            "mean_confidence_calibrated": float(cal.max(1).mean())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--comments", type=int, default=3, help="comments per post to include")
    args = parser.parse_args()
    folder = args.data / "instagram-influencers"
    if not (folder / "posts.jsonl.gz").exists():
        sys.exit(f"dataset not found at {folder} (pass --data); nothing measured")
    users, texts, labels, counts = load(folder, args.comments)
    test = [is_test(u) for u in users]
    train_x = [t for t, s in zip(texts, test, strict=True) if not s]
    train_y = [c for c, s in zip(labels, test, strict=True) if not s]
    test_x = [t for t, s in zip(texts, test, strict=True) if s]
    test_y = [c for c, s in zip(labels, test, strict=True) if s]
    counts |= {"train": len(train_x), "test": len(test_x)}
    print(f"accounts {counts}")
    best = tune(train_x, train_y)
    print(f"chosen by cross-validation on train: {best}")
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    logreg = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
    ours, cold = NicheClassifier(**best), NicheClassifier()
    rows = [
        timed("baseline tfidf+logreg",
              lambda: logreg.fit(vectorizer.fit_transform(train_x), train_y),
              lambda x: list(logreg.predict(vectorizer.transform(x))), test_x, test_y),
        timed(f"{NICHE_METHOD_VERSION} fitted", lambda: ours.fit(train_x, train_y),
              ours.predict, test_x, test_y),
        timed(f"{NICHE_METHOD_VERSION} lexicon", lambda: None, cold.predict, test_x, test_y),
    ]
    report(rows, test_y, counts, best, calibration(best, (train_x, train_y), ours,
                                                     (test_x, test_y)), args.comments)


def report(rows: list[dict[str, Any]], test_y: list[str], counts: dict[str, int],
           best: dict[str, Any], calibrated: dict[str, float], comments: int) -> None:
    print(f"\n{'method':<26}{'accuracy':>9}{'macro-F1':>10}{'fit s':>8}{'ms/account':>12}")
    for r in rows:
        print(f"{r['method']:<26}{r['accuracy']:>9.3f}{r['macro_f1']:>10.3f}{r['fit_s']:>8.2f}"
              f"{r['predict_ms_per_account']:>12.3f}")
    classes = sorted(set(test_y))
    per_class = {r["method"]: dict(zip(classes, f1_score(
        test_y, r.pop("predictions"), labels=classes, average=None, zero_division=0).tolist(),
        strict=True)) for r in rows}
    support = {c: test_y.count(c) for c in classes}
    names = "".join(f"{r['method'].split()[-1]:>14}" for r in rows)
    print(f"\n{'niche':<12}{'support':>8}{names}")
    for c in classes:
        print(f"{c:<12}{support[c]:>8}" + "".join(f"{per_class[r['method']][c]:>14.3f}"
                                                 for r in rows))
    print(f"\ncalibration of the fitted model on test: {calibrated}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"method_version": NICHE_METHOD_VERSION, "split": "zlib.crc32(username) % 5 == 0 is test",
           "comments_per_post": comments, "counts": counts, "chosen_params": best,
           "methods": rows, "per_class_f1": per_class, "test_support": support,
           "calibration": calibrated, "python": platform.python_version()}
    (RESULTS / "niche_eval.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'niche_eval.json'}")


if __name__ == "__main__":
    main()

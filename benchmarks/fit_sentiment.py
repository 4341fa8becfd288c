"""Fit the shipped sentiment models (method sentiment-2) and write their parameters.

English: SentimentLogit("en") over character n-grams plus VADER features, fitted on all 2,000
TweetEval validation tweets; C is chosen by 5-fold cross-validated macro-averaged recall (fixed
folds, see sentiment_data.py), and the cross-validated figures are printed. Chinese:
SentimentLogit("zh") over character uni+bigrams, fitted on the train part of the fixed split of
the online-shopping reviews (the test part stays unseen). Deterministic: the same data gives the
same files.

    .venv/bin/python benchmarks/fit_sentiment.py [--data ../shared/datasets]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.sentiment_data import (  # noqa: E402
    FOLDS,
    SHARED,
    fold,
    load_reviews,
    load_tweets,
    split_reviews,
)

from kolscope.adapters.nlp.sentiment import MODELS, VaderFeatures  # noqa: E402
from kolscope.core.vetting.sentiment import SENTIMENT_METHOD_VERSION  # noqa: E402
from kolscope.core.vetting.sentiment_model import SentimentLogit  # noqa: E402

EN_GRID = (0.3, 1.0, 3.0)
EN_PARAMS = {"min_df": 2, "balanced": True, "dense_scale": 2.0}
ZH_PARAMS = {"C": 3.0, "min_df": 5, "balanced": False}


def macro_recall(y_true: list[int], y_pred: list[int]) -> float:
    classes = sorted(set(y_true))
    recalls = [np.mean([p == c for t, p in zip(y_true, y_pred, strict=True) if t == c])
               for c in classes]
    return float(np.mean(recalls))


def cross_validate(texts: list[str], labels: list[int], dense: np.ndarray, c: float
                   ) -> tuple[float, list[int]]:
    """Macro-recall of out-of-fold predictions, and the predictions."""
    folds = [fold(t) for t in texts]
    pred = [0] * len(texts)
    for k in range(FOLDS):
        tr = [i for i, f in enumerate(folds) if f != k]
        te = [i for i, f in enumerate(folds) if f == k]
        clf = SentimentLogit("en", C=c, **EN_PARAMS).fit(  # type: ignore[arg-type]
            [texts[i] for i in tr], [labels[i] for i in tr], dense[tr])
        proba = clf.predict_proba([texts[i] for i in te], dense[te])
        for i, row in zip(te, proba.argmax(axis=1), strict=True):
            pred[i] = clf.classes_[int(row)]
    return macro_recall(labels, pred), pred


def fit_english(data: Path) -> SentimentLogit:
    texts, labels = load_tweets(data)
    dense = VaderFeatures()(texts)
    scores = {c: cross_validate(texts, labels, dense, c)[0] for c in EN_GRID}
    for c, score in scores.items():
        print(f"  en C={c:<4} 5-fold macro-recall {score:.4f}")
    best = max(EN_GRID, key=lambda c: scores[c])
    print(f"en: C={best} chosen; cross-validated macro-recall {scores[best]:.4f}")
    return SentimentLogit("en", C=best, **EN_PARAMS).fit(  # type: ignore[arg-type]
        texts, labels, dense)


def fit_chinese(data: Path) -> SentimentLogit:
    train_x, train_y, _, _ = split_reviews(*load_reviews(data))
    start = time.perf_counter()
    clf = SentimentLogit("zh", **ZH_PARAMS).fit(train_x, train_y)  # type: ignore[arg-type]
    print(f"zh: {len(train_x):,} train reviews, {len(clf.vocabulary_):,} n-grams, "
          f"fitted in {time.perf_counter() - start:.0f} s")
    return clf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--only", choices=("en", "zh"))
    args = parser.parse_args()
    MODELS.mkdir(parents=True, exist_ok=True)
    for lang, fit in (("en", fit_english), ("zh", fit_chinese)):
        if args.only in (None, lang):
            path = MODELS / f"{SENTIMENT_METHOD_VERSION}-{lang}.npz"
            np.savez_compressed(path, **fit(args.data).to_params())
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()

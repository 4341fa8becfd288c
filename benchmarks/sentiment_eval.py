"""Comment sentiment (sentiment-2) against VADER and SnowNLP on the shared data, and throughput.

One table, in one run:
  English, TweetEval validation tweets (2,000), macro-averaged recall (TweetEval's metric).
  Ours was TRAINED ON THIS SAME SPLIT (there is no other labelled English data here), so its
  headline figure is 5-fold cross-validated (fixed folds, fit_sentiment.py's C); the in-sample
  figure of the shipped model is printed for reference only. VADER: compound >= 0.05 positive,
  <= -0.05 negative, else neutral (its authors' thresholds).
  Chinese, online-shopping reviews, accuracy on the fixed held-out split (crc32 % 5 == 0, never
  used in fitting), labels as the CLI prints them (a neutral label counts as wrong); also by the
  sign of the score. SnowNLP (P > 0.5 positive) is slow (about 100 reviews/s here), so it runs on
  a fixed subset of the test split (every k-th review), where ours is reported too.
  Social comments: accuracy on the hand-labelled sanity set tests/fixtures/social_comments.tsv
  (short comments written for the product, labels fixed before sentiment-2; a sanity check,
  not a benchmark), with the learned models alone (no emoji or phrase corrections) beside it.
  Throughput: texts/s through the use case behind `kolscope text sentiment` (routing, both
  models, corrections, labels), models loaded beforehand; model load time reported apart.
Writes benchmarks/results/sentiment.json.

    .venv/bin/python benchmarks/sentiment_eval.py [--data ../shared/datasets] [--snownlp 1000]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fit_sentiment import cross_validate, macro_recall  # noqa: E402
from benchmarks.sentiment_data import SHARED, load_reviews, load_tweets, split_reviews  # noqa: E402

from kolscope.adapters.nlp.sentiment import ShippedSentimentModels, VaderFeatures  # noqa: E402
from kolscope.app.sentiment import analyse_texts  # noqa: E402
from kolscope.core.vetting.sentiment import SENTIMENT_METHOD_VERSION, Sentiment  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SOCIAL = ROOT / "tests" / "fixtures" / "social_comments.tsv"
EN_CODES = {"negative": 0, "neutral": 1, "positive": 2}
OURS = f"ours ({SENTIMENT_METHOD_VERSION})"


def load_social(path: Path = SOCIAL) -> list[tuple[str, str, str]]:
    """(language, label, text) rows of the social sanity set, comment lines left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return [(lang, label, text) for lang, label, text in rows]


def social(models: ShippedSentimentModels) -> list[dict[str, Any]]:
    """Accuracy per language on the social sanity set, corrected and learned models alone."""
    rows = load_social()
    out: list[dict[str, Any]] = []
    alone = ShippedSentimentModels(corrections=False)
    for name, m in ((OURS, models), ("learned models alone (no emoji/phrase mixing)", alone)):
        results = analyse_texts(m, texts=[text for _, _, text in rows])
        for lang in ("en", "zh"):
            pairs = [(label, r.label) for (ln, label, _), r in zip(rows, results, strict=True)
                     if ln == lang]
            out.append({"task": f"social-{lang}", "method": f"{name}, sanity set",
                        "metric": "accuracy", "n": len(pairs),
                        "value": sum(a == b for a, b in pairs) / len(pairs)})
    return out


def vader_labels(texts: list[str]) -> list[int]:
    vader = VaderFeatures()
    scores = [vader.compound(t) for t in texts]
    return [2 if s >= 0.05 else 0 if s <= -0.05 else 1 for s in scores]


def english(data: Path, models: ShippedSentimentModels) -> list[dict[str, Any]]:
    texts, labels = load_tweets(data)
    clf = models._english[0]
    cv, _ = cross_validate(texts, labels, VaderFeatures()(texts), clf.C)
    shipped = [EN_CODES[r.label] for r in analyse_texts(models, texts=texts)]
    return [
        {"task": "en", "method": f"{OURS}, 5-fold CV on the same split",
         "metric": "macro_recall", "value": cv, "n": len(texts)},
        {"task": "en", "method": "VADER 3.3.2 (compound +-0.05)", "metric": "macro_recall",
         "value": macro_recall(labels, vader_labels(texts)), "n": len(texts)},
        {"task": "en", "method": "ours shipped, in-sample (trained on it; not a test)",
         "metric": "macro_recall", "value": macro_recall(labels, shipped), "n": len(texts)},
    ]


def zh_scores(results: list[Sentiment], labels: list[int]) -> tuple[float, float, float]:
    """Accuracy of labels (neutral wrong), accuracy of the score's sign, share neutral."""
    n = len(labels)
    by_label = sum((r.label == "positive") == bool(y) and r.label != "neutral"
                   for r, y in zip(results, labels, strict=True)) / n
    by_sign = sum((r.score > 0) == bool(y) for r, y in zip(results, labels, strict=True)) / n
    return by_label, by_sign, sum(r.label == "neutral" for r in results) / n


def chinese(data: Path, models: ShippedSentimentModels, snownlp_n: int) -> list[dict[str, Any]]:
    _, _, test_x, test_y = split_reviews(*load_reviews(data))
    ours = analyse_texts(models, texts=test_x)
    acc, sign, neutral = zh_scores(ours, test_y)
    alone, _, _ = zh_scores(analyse_texts(ShippedSentimentModels(corrections=False),
                                          texts=test_x), test_y)
    rows = [{"task": "zh", "method": f"{OURS}, held-out split", "metric": "accuracy",
             "value": acc, "n": len(test_x), "accuracy_by_score_sign": sign,
             "neutral_share": neutral},
            {"task": "zh", "method": "learned model alone (no corrections), held-out split",
             "metric": "accuracy", "value": alone, "n": len(test_x)}]
    if snownlp_n:
        from snownlp import SnowNLP

        step = max(1, len(test_x) // snownlp_n)
        idx = list(range(0, len(test_x), step))[:snownlp_n]
        sub_y = [test_y[i] for i in idx]
        start = time.perf_counter()
        snow = [SnowNLP(test_x[i]).sentiments > 0.5 for i in idx]
        snow_rate = len(idx) / (time.perf_counter() - start)
        sub_acc, _, _ = zh_scores([ours[i] for i in idx], sub_y)
        rows += [{"task": "zh", "method": f"ours, same {len(idx)}-review subset",
                  "metric": "accuracy", "value": sub_acc, "n": len(idx)},
                 {"task": "zh", "method": f"SnowNLP 0.12.3, same {len(idx)}-review subset",
                  "metric": "accuracy", "n": len(idx), "texts_per_s": snow_rate,
                  "value": sum(p == bool(y) for p, y in zip(snow, sub_y, strict=True)) / len(idx)}]
    return rows


def throughput(data: Path, repeats: int = 3) -> dict[str, Any]:
    tweets, _ = load_tweets(data)
    reviews = split_reviews(*load_reviews(data))[2][:2000]
    start = time.perf_counter()
    models = ShippedSentimentModels()
    analyse_texts(models, texts=["warm up", "预热"])
    out: dict[str, Any] = {"model_load_s": time.perf_counter() - start}
    comments = [text for _, _, text in load_social()] * 16  # short comments, about 2,000
    for name, texts in (("en_tweets", tweets), ("zh_reviews", reviews),
                        ("mixed", [t for pair in zip(tweets, reviews, strict=False)
                                   for t in pair]), ("social_comments", comments)):
        best = min(_timed(models, texts) for _ in range(repeats))
        out[name] = {"texts": len(texts), "texts_per_s": len(texts) / best}
    return out


def _timed(models: ShippedSentimentModels, texts: list[str]) -> float:
    start = time.perf_counter()
    analyse_texts(models, texts=texts)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--snownlp", type=int, default=1000,
                        help="reviews of the test split SnowNLP reads (0 skips it)")
    args = parser.parse_args()
    models = ShippedSentimentModels()
    rows = (english(args.data, models) + chinese(args.data, models, args.snownlp)
            + social(models))
    speed = throughput(args.data)
    print(f"\n{'task':<9}  {'method':<55} {'metric':<13} {'value':>6} {'n':>7}")
    for r in rows:
        print(f"{r['task']:<9}  {r['method']:<55} {r['metric']:<13} {r['value']:>6.4f} "
              f"{r['n']:>7,}")
    print(f"\nthroughput (texts/s, this machine, models loaded in {speed['model_load_s']:.2f} s): "
          + ", ".join(f"{k} {v['texts_per_s']:,.0f}" for k, v in speed.items()
                      if isinstance(v, dict)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"method_version": SENTIMENT_METHOD_VERSION, "rows": rows, "throughput": speed,
           "machine": {"python": platform.python_version(), "processor": platform.machine(),
                       "cpus": __import__("os").cpu_count()},
           "command": "python benchmarks/sentiment_eval.py --snownlp " + str(args.snownlp)}
    (RESULTS / "sentiment.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {(RESULTS / 'sentiment.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()

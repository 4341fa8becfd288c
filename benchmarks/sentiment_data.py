"""The shared sentiment data and its fixed splits (fit_sentiment.py, sentiment_eval.py, tests).

English: the 2,000 TweetEval validation tweets (0 negative, 1 neutral, 2 positive), with five
fixed cross-validation folds ``crc32(text) % 5``. Chinese: the online-shopping reviews (1
positive, 0 negative), blank reviews dropped; a review is test when ``crc32(review) % 5 == 0``
(duplicates of a text therefore fall on the same side), train otherwise.
"""

from __future__ import annotations

import csv
import os
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KOLSCOPE_SHARED_DATASETS", ROOT.parent / "shared" / "datasets"))
TWEETS = Path("sentiment") / "tweeteval"
REVIEWS = Path("sentiment") / "zh-online-shopping" / "online_shopping_10_cats.csv"
FOLDS = 5


def fold(text: str) -> int:
    """The fixed fold (0-4) of a text; Chinese fold 0 is the held-out test split."""
    return zlib.crc32(text.encode("utf-8")) % FOLDS


def load_tweets(data: Path = SHARED) -> tuple[list[str], list[int]]:
    """TweetEval validation tweets and labels (0 negative, 1 neutral, 2 positive)."""
    folder = data / TWEETS
    texts = (folder / "val_text.txt").read_text(encoding="utf-8").split("\n")
    labels = [int(x) for x in (folder / "val_labels.txt").read_text().split()]
    return texts[:len(labels)], labels


def load_reviews(data: Path = SHARED) -> tuple[list[str], list[int]]:
    """Chinese reviews and labels (1 positive, 0 negative), blank reviews left out."""
    with (data / REVIEWS).open(encoding="utf-8-sig", newline="") as f:
        rows = [(r["review"].lstrip("\ufeff"), int(r["label"])) for r in csv.DictReader(f)
                if (r["review"] or "").strip()]
    return [r for r, _ in rows], [y for _, y in rows]


def split_reviews(texts: list[str], labels: list[int]
                  ) -> tuple[list[str], list[int], list[str], list[int]]:
    """(train texts, train labels, test texts, test labels) of the fixed Chinese split."""
    test = [fold(t) == 0 for t in texts]
    return ([t for t, s in zip(texts, test, strict=True) if not s],
            [y for y, s in zip(labels, test, strict=True) if not s],
            [t for t, s in zip(texts, test, strict=True) if s],
            [y for y, s in zip(labels, test, strict=True) if s])

"""The shipped sentiment models (sentiment-2) and a fake beside them, behind ``SentimentModels``.

Parameters are package data (``models/sentiment-2-{en,zh}.npz``, written by
``benchmarks/fit_sentiment.py``), loaded once on first use; nothing is downloaded. Each model's
class probabilities are then corrected for social comments
(:func:`~kolscope.core.vetting.sentiment_lexicon.social_adjust`): by the emoji table
(``emoji.py``) on both routes, by the phrase lexicon (``zh_lexicon.py``) on the Chinese one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from kolscope.adapters.nlp.emoji import emoji_table
from kolscope.adapters.nlp.vader import VaderFeatures
from kolscope.adapters.nlp.zh_lexicon import social_lexicon
from kolscope.core.vetting.sentiment import SENTIMENT_METHOD_VERSION, ModelLanguage
from kolscope.core.vetting.sentiment_lexicon import PhraseLexicon, Probs, social_adjust
from kolscope.core.vetting.sentiment_model import SentimentLogit
from kolscope.errors import EngineError

MODELS = Path(__file__).resolve().parent / "models"

__all__ = ["MODELS", "FakeSentimentModels", "ShippedSentimentModels", "VaderFeatures"]


def _load(language: ModelLanguage) -> SentimentLogit:
    path = MODELS / f"{SENTIMENT_METHOD_VERSION}-{language}.npz"
    try:
        with np.load(path, allow_pickle=False) as stored:
            return SentimentLogit.from_params({k: stored[k] for k in stored.files})
    except OSError as exc:
        raise EngineError(f"sentiment model file missing or unreadable: {path}",
                          path=str(path)) from exc


def _three_columns(clf: SentimentLogit, proba: NDArray[np.float64]) -> NDArray[np.float64]:
    """Columns negative, neutral, positive whatever classes the model has (0/1 or 0/1/2)."""
    out = np.zeros((proba.shape[0], 3))
    where = {0: 0, 1: 2} if clf.classes_ == [0, 1] else {0: 0, 1: 1, 2: 2}
    for col, cls in enumerate(clf.classes_):
        out[:, where[cls]] = proba[:, col]
    return out


def _adjust(texts: Sequence[str], proba: NDArray[np.float64], table: dict[str, Probs],
            lexicon: PhraseLexicon | None) -> NDArray[np.float64]:
    """Each row corrected by emoji and, for Chinese, the phrase lexicon (``social_adjust``)."""
    rows = [social_adjust(text, (neg, neu, pos), emoji_table=table, lexicon=lexicon)
            for text, (neg, neu, pos) in zip(texts, proba.tolist(), strict=True)]
    return np.array(rows, dtype=np.float64).reshape(len(texts), 3)


class ShippedSentimentModels:
    """English: character n-grams + VADER features; Chinese: character uni+bigrams.

    Both then corrected by emoji valence, and Chinese by the social phrase lexicon.
    """

    method_version = SENTIMENT_METHOD_VERSION

    def __init__(self, *, corrections: bool = True) -> None:
        # corrections=False gives the learned models alone, for the benchmark's ablation.
        self.corrections = corrections

    @cached_property
    def _emoji(self) -> dict[str, Probs]:
        return emoji_table()

    @cached_property
    def _english(self) -> tuple[SentimentLogit, VaderFeatures]:
        return _load("en"), VaderFeatures()

    @cached_property
    def _chinese(self) -> SentimentLogit:
        return _load("zh")

    def probabilities(self, language: ModelLanguage, texts: Sequence[str]
                      ) -> NDArray[np.float64]:
        """Rows of (P(negative), P(neutral), P(positive)), one per text."""
        if not texts:
            return np.zeros((0, 3))
        if language == "zh":
            proba = _three_columns(self._chinese, self._chinese.predict_proba(texts))
        else:
            clf, vader = self._english
            proba = _three_columns(clf, clf.predict_proba(texts, vader(texts)))
        if not self.corrections:
            return proba
        return _adjust(texts, proba, self._emoji, social_lexicon() if language == "zh" else None)


class FakeSentimentModels:
    """A keyword model for tests: 'good'/'好' positive, 'bad'/'差' negative, else neutral."""

    method_version = "fake-sentiment"

    def __init__(self) -> None:
        self.calls: list[tuple[ModelLanguage, int]] = []

    def probabilities(self, language: ModelLanguage, texts: Sequence[str]
                      ) -> NDArray[np.float64]:
        self.calls.append((language, len(texts)))
        rows = [[0.1, 0.1, 0.8] if ("good" in t or "好" in t) else
                [0.8, 0.1, 0.1] if ("bad" in t or "差" in t) else [0.1, 0.8, 0.1]
                for t in texts]
        return np.array(rows, dtype=np.float64).reshape(len(texts), 3)

"""VADER's lexicon and rules as dense features for the English sentiment model.

VADER (MIT licence) ships its lexicon inside the ``vaderSentiment`` package, so this works
offline. Each text gives the 15 numbers of :data:`FEATURES`: VADER's scores of the whole text,
of its last, best and worst sentence, sums and counts of lexicon valences, and punctuation cues.
Emoji are taken out first: VADER reads an emoji through the words of its Unicode name (🔥 as
``fire``, negative), which is wrong for comments; emoji have their own component
(``adapters/nlp/emoji.py``). The TweetEval tweets the model was fitted on contain no emoji, so
this changes nothing there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from kolscope.core.vetting.sentiment_lexicon import strip_emoji

FEATURES = ("neg", "neu", "pos", "compound", "last_sentence", "best_sentence",
            "worst_sentence", "positive_valence", "negative_valence", "positive_words",
            "negative_words", "exclamations", "questions", "has_link", "no_lexicon_word")

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[a-z']+")


class VaderFeatures:
    """VADER scores and lexicon counts of texts, as an ``(n, 15)`` float array."""

    def __init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()

    def compound(self, text: str) -> float:
        """VADER's own compound score in [-1, 1] (its documented baseline use)."""
        return float(self._vader.polarity_scores(text)["compound"])

    def _row(self, raw: str) -> list[float]:
        text = strip_emoji(raw)
        whole = self._vader.polarity_scores(text)
        sentences = [s for s in _SENTENCE.split(text) if s.strip()] or [text]
        per = ([whole["compound"]] if len(sentences) == 1 else
               [self._vader.polarity_scores(s)["compound"] for s in sentences])
        lexicon = self._vader.lexicon
        vals = [lexicon[w] for w in _WORD.findall(text.casefold().replace("#", " "))
                if w in lexicon]
        return [whole["neg"], whole["neu"], whole["pos"], whole["compound"], per[-1], max(per),
                min(per), sum(v for v in vals if v > 0) / 4, sum(v for v in vals if v < 0) / 4,
                sum(v > 0 for v in vals) / 3, sum(v < 0 for v in vals) / 3,
                text.count("!") / 3, text.count("?") / 3, float("http" in text),
                float(not vals)]

    def __call__(self, texts: Sequence[str]) -> NDArray[np.float64]:
        return np.array([self._row(t) for t in texts], dtype=np.float64).reshape(
            len(texts), len(FEATURES))

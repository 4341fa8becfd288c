"""Sentiment of texts: route each to its language's model and label it (method sentiment-2)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from kolscope.app.ports import SentimentModels
from kolscope.core.vetting.sentiment import (
    ModelLanguage,
    Sentiment,
    empty_text,
    label_rule,
    polarity,
    route,
)


def analyse_texts(models: SentimentModels, *, texts: Sequence[str]) -> list[Sentiment]:
    """One :class:`Sentiment` per text, in order; blank texts are neutral with score 0.

    Texts are batched per model, so each model is called at most once; an emoji-only text is
    labelled by its score alone (:func:`~kolscope.core.vetting.sentiment.label_rule`).
    """
    results: list[Sentiment | None] = [None] * len(texts)
    languages: list[str | None] = [None] * len(texts)
    batches: dict[ModelLanguage, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        if empty_text(text):
            results[i] = Sentiment(label="neutral", score=0.0, language=None, model=None)
            continue
        languages[i], model = route(text)
        batches[model].append(i)
    for model, rows in batches.items():
        proba = models.probabilities(model, [texts[i] for i in rows])
        for i, (neg, neu, pos) in zip(rows, proba.tolist(), strict=True):
            band, neutral_class = label_rule(texts[i], model)
            label, score = polarity(neg, neu, pos, neutral_band=band,
                                    neutral_class=neutral_class)
            results[i] = Sentiment(label=label, score=score, language=languages[i], model=model)
    return [r for r in results if r is not None]

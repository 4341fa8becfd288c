"""The sentiment use case routes texts to their language's model and keeps their order."""

from __future__ import annotations

from kolscope.adapters.nlp.sentiment import FakeSentimentModels
from kolscope.app.sentiment import analyse_texts


def test_texts_are_routed_batched_and_kept_in_order() -> None:
    models = FakeSentimentModels()
    results = analyse_texts(models, texts=["so good", "这个很好", "", "bad bad", "差"])
    assert [r.label for r in results] == ["positive", "positive", "neutral", "negative",
                                          "negative"]
    assert [r.model for r in results] == ["en", "zh", None, "en", "zh"]
    assert results[2].score == 0.0 and results[2].language is None
    assert results[0].score == 0.7  # 0.8 - 0.1
    assert sorted(models.calls) == [("en", 2), ("zh", 2)]  # one call per model


def test_no_texts_no_calls() -> None:
    models = FakeSentimentModels()
    assert [r.label for r in analyse_texts(models, texts=["", "  "])] == ["neutral", "neutral"]
    assert models.calls == []

"""The n-gram logistic regression: tokenizers, fitting, storing and loading."""

from __future__ import annotations

import numpy as np
import pytest

from kolscope.core.vetting.sentiment_model import (
    SentimentLogit,
    chinese_grams,
    english_grams,
)
from kolscope.errors import InvalidInput


def test_english_grams_normalise_tweets() -> None:
    assert english_grams("Sooooo", 2, 2) == [" s", "so", "oo", "o "]
    assert english_grams("@Mia see https://x.co/a", 5, 5) == [" @use", "@user", "user ",
                                                               " see ", " http", "http "]


def test_chinese_grams_are_unigrams_and_bigrams() -> None:
    assert chinese_grams("好评！") == ["好", "评", "！", "好评", "评！"]
    assert chinese_grams("") == []


def _toy() -> SentimentLogit:
    texts = ["很好", "非常好", "好用", "很差", "太差", "差劲"]
    return SentimentLogit("zh", C=10.0, min_df=1).fit(texts, [1, 1, 1, 0, 0, 0])


def test_fit_learns_the_obvious_and_probabilities_add_up() -> None:
    clf = _toy()
    proba = clf.predict_proba(["好", "差", "未知"])
    assert clf.classes_ == [0, 1]
    assert proba[0, 1] > 0.7 and proba[1, 0] > 0.7
    assert proba[2, 1] == pytest.approx(0.5, abs=0.05)  # nothing known: the (balanced) prior
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_dense_features_are_used_and_checked() -> None:
    texts = ["a b", "a c", "a d", "a e"]
    dense = np.array([[1.0], [1.0], [-1.0], [-1.0]])
    clf = SentimentLogit("en", C=10.0, min_df=1).fit(texts, [2, 2, 0, 0], dense)
    proba = clf.predict_proba(["a z", "a z"], np.array([[1.0], [-1.0]]))
    assert proba[0, 1] > 0.6 and proba[1, 0] > 0.6
    with pytest.raises(InvalidInput):
        clf.predict_proba(["a z"])


def test_params_round_trip_predicts_the_same() -> None:
    clf = _toy()
    again = SentimentLogit.from_params(clf.to_params())
    texts = ["很好用", "太差了"]
    assert np.allclose(again.predict_proba(texts), clf.predict_proba(texts), atol=1e-5)


def test_bad_input_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        SentimentLogit("fr", min_df=1).fit(["x"], [0])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        SentimentLogit("zh").fit(["x", "y"], [0])
    with pytest.raises(InvalidInput):
        _toy().predict_proba("很好")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        SentimentLogit.from_params({"analyzer": "zh"})

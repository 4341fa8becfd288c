"""The shipped sentiment models load offline from package data and read known sentences."""

from __future__ import annotations

import numpy as np
import pytest

from kolscope.adapters.nlp.sentiment import MODELS, ShippedSentimentModels
from kolscope.adapters.nlp.vader import FEATURES, VaderFeatures
from kolscope.app.sentiment import analyse_texts


@pytest.fixture(scope="module")
def models() -> ShippedSentimentModels:
    return ShippedSentimentModels()


def test_parameter_files_ship_with_the_package() -> None:
    for lang in ("en", "zh"):
        path = MODELS / f"sentiment-1-{lang}.npz"
        assert path.is_file() and path.stat().st_size < 3_000_000


def test_vader_features_have_the_documented_shape() -> None:
    values = VaderFeatures()(["Great day!", "Terrible. Just terrible?"])
    assert values.shape == (2, len(FEATURES))
    assert values[0, FEATURES.index("compound")] > 0 > values[1, FEATURES.index("compound")]


def test_probabilities_are_rows_adding_up_to_one(models: ShippedSentimentModels) -> None:
    en = models.probabilities("en", ["I love it", "meh"])
    zh = models.probabilities("zh", ["很好", "很差"])
    assert en.shape == zh.shape == (2, 3)
    assert np.allclose(en.sum(axis=1), 1) and np.allclose(zh.sum(axis=1), 1)
    assert np.all(zh[:, 1] == 0)  # the Chinese model has no neutral class
    assert models.probabilities("en", []).shape == (0, 3)


@pytest.mark.parametrize(("text", "label"), [
    ("I love this so much, best day ever!", "positive"),
    ("This is awful, worst customer service I have ever had.", "negative"),
    ("The meeting is at 3pm on Tuesday.", "neutral"),
    ("物流很快，东西质量也不错，推荐购买", "positive"),
    ("用了两天就坏了，客服也不理人，差评", "negative"),
])
def test_known_sentences(models: ShippedSentimentModels, text: str, label: str) -> None:
    assert analyse_texts(models, texts=[text])[0].label == label

"""The niche classifier: tokenizer, lexicon-only predictions, fitting, explanations, storage."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from kolscope.core.discovery.niche_classifier import (
    NICHE_METHOD_VERSION,
    NicheClassifier,
    account_text,
    tokens,
)
from kolscope.core.discovery.niche_lexicon import LEXICON
from kolscope.core.discovery.niches import NICHES
from kolscope.errors import InvalidInput

TRAIN = (
    ["matcha latte and croissant", "espresso latte art", "latte with oat milk",
     "marathon training week", "morning run and marathon pace"],
    ["food", "food", "food", "sports", "sports"],
)


def test_tokens_of_english_text_are_folded_words_without_stop_words() -> None:
    assert tokens("The BEST Ramen in Tokyo! #Foodie 2024") == ["best", "ramen", "tokyo", "foodie"]


def test_a_hashtag_adds_the_lexicon_terms_inside_it() -> None:
    assert tokens("#skincareroutine") == ["skincareroutine", "skincare"]


def test_tokens_of_chinese_text_are_bigrams_plus_lexicon_terms() -> None:
    assert tokens("这款口红") == ["这款", "款口", "口红"]
    # a three-character lexicon term is found whole; a lone character stays itself
    assert tokens("护肤品") == ["护肤", "肤品", "护肤品"]
    assert tokens("猫") == ["猫"]


def test_mixed_text_keeps_both_scripts() -> None:
    assert tokens("OOTD 穿搭") == ["ootd", "穿搭"]


def test_account_text_joins_the_signals_and_drops_image_boilerplate() -> None:
    text = account_text(bio="Chef in Osaka", captions=["ramen night"], hashtags=["foodie"],
                        image_descriptions=["Image may contain: food"], comments=["yum"])
    assert text == "Chef in Osaka\nramen night\n#foodie\n food\nyum"


def test_the_lexicon_covers_every_niche_of_the_taxonomy() -> None:
    assert set(LEXICON) == set(NICHES)
    assert all(len(terms) >= 15 for key, terms in LEXICON.items() if key != "other")


@pytest.mark.parametrize(("text", "niche"), [
    ("new serum and lipstick haul", "beauty"),
    ("这款口红很好看", "beauty"),
    ("best ramen in tokyo #foodie", "food"),
    ("托福备考经验", "education"),
    ("my puppy loves the beach #dogsofinstagram", "pets"),
    ("gold and silver", "other"),  # no evidence at all
])
def test_the_unfitted_classifier_predicts_from_the_lexicon(text: str, niche: str) -> None:
    assert NicheClassifier().predict([text]) == [niche]


def test_probabilities_cover_all_niches_and_sum_to_one() -> None:
    proba = NicheClassifier().predict_proba(["new serum", "", "托福备考"])
    assert proba.shape == (3, len(NICHES))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_fitting_learns_words_the_lexicon_lacks() -> None:
    assert NicheClassifier().predict(["latte"]) != ["food"]  # not a lexicon term
    clf = NicheClassifier(min_df=1).fit(*TRAIN)
    assert clf.predict(["latte", "marathon pace"]) == ["food", "sports"]
    assert clf.classes_ == list(NICHES)
    assert clf.feature_log_prob_.shape == (len(NICHES), len(clf.vocabulary_))


def test_niches_absent_from_training_keep_their_lexicon_evidence() -> None:
    clf = NicheClassifier(min_df=1, fit_prior=False).fit(*TRAIN)
    assert clf.predict(["托福备考经验"]) == ["education"]


def test_explain_names_the_terms_that_drove_the_prediction() -> None:
    clf = NicheClassifier()
    evidence = clf.explain("new serum and lipstick haul in tokyo", top=5)
    assert {e.term for e in evidence} == {"serum", "lipstick"}
    assert all(e.niche == "beauty" and e.contribution > 0 for e in evidence)


def test_contributions_add_up_to_the_log_odds() -> None:
    clf = NicheClassifier(min_df=1).fit(*TRAIN)
    text = "latte latte marathon"
    proba = clf.predict_proba([text])[0]
    best, runner_up = np.argsort(-proba)[:2]
    evidence = clf.explain(text, top=100)
    prior = clf.class_log_prior_[best] - clf.class_log_prior_[runner_up]
    # every token here favours one side; only the positive ones are reported
    against = sum(min(0.0, float(clf.feature_log_prob_[best, clf.vocabulary_.index(t)]
                                 - clf.feature_log_prob_[runner_up, clf.vocabulary_.index(t)]))
                  for t in tokens(text))
    total = sum(e.contribution for e in evidence) + against + prior
    assert total == pytest.approx(math.log(proba[best] / proba[runner_up]))


def test_stored_parameters_round_trip_through_json() -> None:
    clf = NicheClassifier(min_df=1).fit(*TRAIN)
    clf.temperature_ = 1.7
    stored = json.loads(json.dumps(clf.to_params()))
    assert stored["method_version"] == NICHE_METHOD_VERSION
    again = NicheClassifier.from_params(stored)
    texts = ["latte", "marathon", "这款口红很好看"]
    assert np.array_equal(again.predict_proba(texts), clf.predict_proba(texts))


def _log_loss(clf: NicheClassifier, texts: list[str], labels: list[str]) -> float:
    proba = clf.predict_proba(texts)
    return -float(np.mean([math.log(p[clf.classes_.index(y)]) for p, y in zip(proba, labels,
                                                                          strict=True)]))


def test_calibration_fits_a_temperature_that_lowers_held_out_log_loss() -> None:
    clf = NicheClassifier(min_df=1).fit(*TRAIN)
    held_out = (["latte", "latte", "marathon", "marathon pace"], ["food", "sports", "sports",
                                                                   "sports"])
    before = _log_loss(clf, *held_out)
    clf.calibrate(*held_out)
    assert clf.temperature_ != 1.0 and _log_loss(clf, *held_out) < before


@pytest.mark.parametrize("kwargs", [{"alpha": 0}, {"lexicon_weight": -1}, {"min_df": 0},
                                    {"max_features": 0}])
def test_invalid_parameters_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        NicheClassifier(**kwargs).predict(["serum"])


def test_invalid_inputs_are_refused() -> None:
    clf = NicheClassifier()
    with pytest.raises(InvalidInput):
        clf.predict_proba("one string, not a list")
    with pytest.raises(InvalidInput):
        clf.fit(["a", "b"], ["food"])
    with pytest.raises(InvalidInput, match="taxonomy"):
        clf.fit(["a"], ["cooking"])
    with pytest.raises(InvalidInput):
        clf.calibrate(["a"], ["food"])  # not fitted
    with pytest.raises(InvalidInput):
        NicheClassifier.from_params({"method_version": "niche-0"})
    with pytest.raises(InvalidInput):
        NicheClassifier.from_params({"method_version": NICHE_METHOD_VERSION, "params": {}})

"""The fake-account model: scikit-learn conventions, explanations and stored parameters."""

from __future__ import annotations

import doctest
import json
import math

import numpy as np
import pytest

from kolscope.core.vetting import account_features, fake_accounts
from kolscope.core.vetting.account_features import (
    FEATURE_NAMES,
    AccountColumns,
    AccountProfile,
    feature_matrix,
)
from kolscope.core.vetting.fake_accounts import (
    FAKE_ACCOUNT_METHOD_VERSION,
    FakeAccountModel,
    describe,
    roc_auc,
)
from kolscope.errors import InvalidInput


def toy(n: int = 200, seed: int = 3) -> tuple[AccountColumns, np.ndarray]:
    """Fakes follow many and post little; real accounts the other way round."""
    rng = np.random.default_rng(seed)
    fake = rng.random(n) < 0.3
    return AccountColumns(
        followers=np.floor(np.where(fake, rng.lognormal(3, 1, n), rng.lognormal(6, 1, n))),
        following=np.floor(np.where(fake, rng.lognormal(7, 0.5, n), rng.lognormal(6, 1, n))),
        posts=np.floor(np.where(fake, rng.lognormal(0, 1, n), rng.lognormal(3, 1, n))),
        has_profile_pic=(rng.random(n) < np.where(fake, 0.6, 0.98)).astype(float),
        is_private=(rng.random(n) < 0.5).astype(float),
        bio_length=np.floor(rng.exponential(15, n)),
        username_length=rng.integers(5, 20, n).astype(float),
        username_digits=np.where(fake, rng.integers(0, 4, n), 0).astype(float),
        has_external_url=np.full(n, np.nan)), fake.astype(int)


def test_init_stores_parameters_unchanged_and_fit_learns_underscored_attributes() -> None:
    model = FakeAccountModel(l2=2.0, threshold=0.7)
    assert (model.l2, model.threshold) == (2.0, 0.7)
    assert not [k for k in vars(model) if k.endswith("_")]
    x, y = toy()
    assert model.fit(x, y) is model
    assert model.feature_names_ == list(FEATURE_NAMES) and model.coef_.shape == (12,)
    assert model.n_samples_ == 200 and model.n_fake_ == int(y.sum()) and model.n_iter_ >= 1
    # the link flag is unknown in training: its weight stays 0 and it is not standardised
    assert model.coef_[-1] == 0.0 and model.mean_[-1] == 0.0 and model.scale_[-1] == 1.0


def test_predict_proba_rows_sum_to_one_and_separate_the_classes() -> None:
    x, y = toy()
    model = FakeAccountModel().fit(x, y)
    proba = model.predict_proba(x)
    assert proba.shape == (200, 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert roc_auc(y, proba[:, 1]) > 0.95
    assert model.predict(x) == ["fake" if p >= 0.5 else "real" for p in proba[:, 1]]
    # a feature matrix scores as the columns do
    assert np.allclose(model.predict_proba(feature_matrix(x)), proba)


def test_matches_scikit_learn_logistic_regression() -> None:
    sklearn = pytest.importorskip("sklearn.linear_model")
    x, y = toy()
    z = feature_matrix(x)[:, :-1]
    z = (z - z.mean(axis=0)) / z.std(axis=0)
    ref = sklearn.LogisticRegression(C=1.0, tol=1e-12, max_iter=10_000).fit(z, y)
    ours = FakeAccountModel(l2=1.0).fit(x, y)
    assert np.allclose(ours.coef_[:-1], ref.coef_[0], atol=1e-6)
    assert ours.intercept_ == pytest.approx(ref.intercept_[0], abs=1e-6)


def test_threshold_decides_the_label() -> None:
    x, y = toy()
    strict = FakeAccountModel(threshold=0.99).fit(x, y)
    assert strict.predict(x).count("fake") < FakeAccountModel().fit(x, y).predict(x).count("fake")


def test_explanations_add_up_to_the_log_odds() -> None:
    x, y = toy()
    model = FakeAccountModel().fit(x, y)
    explained = model.explain(x)
    log_odds = model.decision_function(x)
    for e, lo in zip(explained[:20], log_odds[:20], strict=True):
        assert e.baseline + sum(c.contribution for c in e.contributions()) == pytest.approx(lo)
        assert e.fake_probability == pytest.approx(1 / (1 + math.exp(-lo)))
        assert e.label == ("fake" if e.fake_probability >= 0.5 else "real")
        sign = 1 if e.label == "fake" else -1
        reasons = e.reasons()
        assert len(reasons) <= 3 and all(sign * r.contribution > 0 for r in reasons)
        ranked = [sign * c.contribution for c in e.ranked()]
        assert ranked == sorted(ranked, reverse=True)


def test_unknown_values_contribute_nothing() -> None:
    x, y = toy()
    model = FakeAccountModel().fit(x, y)
    p = AccountProfile(username="a", followers=10, following=10, posts=1, has_profile_pic=True,
                       is_private=False)
    bio = next(c for c in model.explain(AccountColumns.from_profiles([p]))[0].contributions()
               if c.feature == "log_bio_length")
    assert bio.contribution == 0.0 and bio.value is None and bio.text == "bio unknown"


def test_hand_checked_explanation_of_a_tiny_model() -> None:
    model = FakeAccountModel.from_params({
        "method_version": FAKE_ACCOUNT_METHOD_VERSION, "params": {},
        "feature_names": list(FEATURE_NAMES), "mean": [0.0] * 12, "scale": [1.0] * 12,
        "coef": [0.0] * 9 + [1.0, 0.0, 0.0], "intercept": -2.0,
        "n_samples": 2, "n_fake": 1, "n_iter": 1})
    p = AccountProfile(username="a", followers=99, following=1999, posts=0,
                       has_profile_pic=True, is_private=False)
    e = model.explain(AccountColumns.from_profiles([p]))[0]
    # log-odds = -2 + log(2000 / 100) = 0.99573; probability 1 / (1 + e^-0.99573) = 0.73022
    assert e.log_odds == pytest.approx(-2 + math.log(20))
    assert e.fake_probability == pytest.approx(0.73022, abs=1e-5) and e.label == "fake"
    assert e.summary() == "follows 20.0x as many as follow it (+3.00)"


def test_describe_puts_values_into_words() -> None:
    inputs = [1234, 56, 0, 0, 1, 0, 8, 2, 1]
    assert describe("log_followers", inputs) == "1,234 followers"
    assert describe("following_excess", inputs) == "followed at least as much as it follows"
    assert describe("no_posts", inputs) == "no posts"
    assert describe("has_profile_pic", inputs) == "no profile picture"
    assert describe("is_private", inputs) == "private"
    assert describe("log_bio_length", inputs) == "no bio"
    assert describe("username_digit_share", inputs) == "2 of 8 username characters are digits"
    assert describe("has_external_url", inputs) == "link in profile"
    assert describe("mass_following", inputs) == "follows at most 1,000"
    with pytest.raises(InvalidInput):
        describe("shoe_size", inputs)


def test_params_round_trip_through_json() -> None:
    x, y = toy()
    model = FakeAccountModel(l2=0.5, threshold=0.4).fit(x, y)
    params = json.loads(json.dumps(model.to_params()))
    loaded = FakeAccountModel.from_params(params)
    assert (loaded.l2, loaded.threshold) == (0.5, 0.4)
    assert np.array_equal(loaded.predict_proba(x), model.predict_proba(x))
    assert loaded.to_params() == model.to_params()


@pytest.mark.parametrize(("change", "field"), [
    ({"method_version": "fake-account-0"}, "method_version"),
    ({"feature_names": ["log_followers"]}, "feature_names"),
    ({"coef": [1.0, 2.0]}, "coef"),
    ({"intercept": "high"}, "params"),
    ({"params": {"threshold": 2.0}}, "threshold"),
])
def test_from_params_refuses_malformed_models(change: dict[str, object], field: str) -> None:
    x, y = toy()
    params = {**FakeAccountModel().fit(x, y).to_params(), **change}
    with pytest.raises(InvalidInput) as caught:
        FakeAccountModel.from_params(params)
    assert caught.value.field == field


def test_preconditions() -> None:
    x, y = toy()
    with pytest.raises(InvalidInput, match="fit the model"):
        FakeAccountModel().predict_proba(x)
    with pytest.raises(InvalidInput, match="fake and real"):
        FakeAccountModel().fit(x, np.zeros(200))
    with pytest.raises(InvalidInput, match="one label per account"):
        FakeAccountModel().fit(x, y[:10])
    with pytest.raises(InvalidInput, match="l2"):
        FakeAccountModel(l2=0).fit(x, y)
    with pytest.raises(InvalidInput, match="threshold"):
        FakeAccountModel(threshold=1.0).fit(x, y)
    with pytest.raises(InvalidInput, match="feature columns"):
        FakeAccountModel().fit(np.zeros((3, 4)), [0, 1, 0])


def test_roc_auc_counts_ties_half() -> None:
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert roc_auc([1, 0], [0.9, 0.1]) == 1.0


def test_docstring_examples() -> None:
    for module in (fake_accounts, account_features):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0

"""The shipped fake-account parameters: loadable, reproducible from InstaFake, and good on it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kolscope.adapters.models import fake_account_model, shipped_fake_account_params, write_params
from kolscope.adapters.sources.instafake import has_instafake, load_instafake
from kolscope.core.vetting.account_features import AccountColumns, feature_matrix
from kolscope.core.vetting.fake_accounts import (
    FAKE_ACCOUNT_METHOD_VERSION,
    FakeAccountModel,
    roc_auc,
)
from kolscope.errors import InvalidInput, SourceError
from tests.conftest import SHARED

# benchmarks/fake_accounts_eval.py measured 0.991 (5-fold CV, 5 seeds); the margin allows for
# other fold draws. The target is 0.95 on data the project has not seen.
MEASURED_CV_AUC, MARGIN = 0.991, 0.01


@pytest.fixture
def instafake() -> Path:
    if not has_instafake(SHARED):
        pytest.skip(f"InstaFake not found at {SHARED}/fake-accounts/instafake/fake-v1.0 (set "
                    "KOLSCOPE_SHARED_DATASETS); these tests need the real fake-account data")
    return SHARED


def test_shipped_parameters_load_and_note_their_training_data() -> None:
    params = shipped_fake_account_params()
    assert params["method_version"] == FAKE_ACCOUNT_METHOD_VERSION
    assert "CC BY-NC 4.0" in params["training_data"]["licence"]
    model = fake_account_model()
    assert model.threshold == 0.5 and model.n_samples_ == 1194 and model.n_fake_ == 200


def test_parameter_files_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    write_params(path, fake_account_model().to_params())
    assert fake_account_model(path).to_params() == fake_account_model().to_params()


def test_bad_parameter_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        fake_account_model(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a JSON parameters file"):
        fake_account_model(tmp_path / "bad.json")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InvalidInput, match="JSON object"):
        fake_account_model(tmp_path / "list.json")


def test_shipped_parameters_are_what_the_fitting_script_writes(instafake: Path) -> None:
    from benchmarks.fit_fake_accounts import PARAMS_FILE, fitted_params

    fresh = fitted_params(instafake)
    shipped = json.loads(PARAMS_FILE.read_text(encoding="utf-8"))
    assert {k: v for k, v in fresh.items() if k not in ("mean", "scale", "coef", "intercept")} \
        == {k: v for k, v in shipped.items() if k not in ("mean", "scale", "coef", "intercept")}
    for key in ("mean", "scale", "coef", "intercept"):
        assert np.allclose(fresh[key], shipped[key], rtol=1e-9, atol=1e-12), key


def _folds(labels: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Stratified folds: each class shuffled, then dealt round-robin."""
    rng = np.random.default_rng(seed)
    folds = np.empty(len(labels), dtype=int)
    for value in (0, 1):
        members = rng.permutation(np.flatnonzero(labels == value))
        folds[members] = np.arange(len(members)) % k
    return folds


def test_cross_validated_auc_on_instafake(instafake: Path) -> None:
    columns, labels = load_instafake(instafake)
    x = feature_matrix(columns)
    for seed in (0, 1):
        folds, scores = _folds(labels, 5, seed), np.zeros(len(labels))
        for k in range(5):
            held = folds == k
            model = FakeAccountModel().fit(x[~held], labels[~held])
            scores[held] = model.predict_proba(x[held])[:, 1]
        assert roc_auc(labels, scores) >= MEASURED_CV_AUC - MARGIN
        assert np.mean((scores >= 0.5) == (labels == 1)) >= 0.94


def test_instafake_columns(instafake: Path) -> None:
    columns, labels = load_instafake(instafake)
    assert isinstance(columns, AccountColumns) and len(columns) == 1194
    assert labels.sum() == 200 and labels[:200].all()
    assert np.isnan(columns.has_external_url).all()

"""Is an account fake? An L2-regularised logistic regression over profile features.

One versioned method (``docs/methods/fake-accounts.md``). The features are those of
:mod:`kolscope.core.vetting.account_features`, standardised with the training mean and standard
deviation; :class:`FakeAccountModel` learns one weight per feature by Newton's method. An
account is labelled ``fake`` when its probability is at least ``threshold`` (0.5 by default), and
every score explains itself: the log-odds is the intercept (an average training account) plus one
contribution per feature, ``coef * (value - mean) / scale``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit
from scipy.stats import rankdata

from kolscope.core.vetting.account_features import (
    FEATURE_NAMES,
    MASS_FOLLOWING,
    AccountColumns,
    FloatArray,
    feature_matrix,
)
from kolscope.errors import ConvergenceError, InvalidInput

FAKE_ACCOUNT_METHOD_VERSION = "fake-account-1"
LABELS = ("real", "fake")


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's share of an account's log-odds of being fake (positive: towards fake)."""

    feature: str
    value: float | None
    contribution: float
    text: str


@dataclass(frozen=True, slots=True, eq=False)
class Explanation:
    """Why an account got its probability: ``log_odds = baseline + sum(contributions)``.

    Contributions are put into words only when asked for (:meth:`contributions`,
    :meth:`reasons`), so that explaining a million accounts costs no million sentences.
    """

    fake_probability: float
    label: str
    threshold: float
    log_odds: float
    baseline: float
    values: tuple[float, ...]
    parts: tuple[float, ...]
    inputs: tuple[float, ...]

    def _contribution(self, j: int) -> Contribution:
        value = self.values[j]
        return Contribution(feature=FEATURE_NAMES[j],
                            value=None if math.isnan(value) else value,
                            contribution=self.parts[j],
                            text=describe(FEATURE_NAMES[j], self.inputs))

    def _order(self) -> list[int]:
        sign = 1.0 if self.label == "fake" else -1.0
        return sorted(range(len(self.parts)), key=lambda j: -sign * self.parts[j])

    def contributions(self) -> list[Contribution]:
        """Every feature's contribution, in feature order."""
        return [self._contribution(j) for j in range(len(self.parts))]

    def ranked(self) -> list[Contribution]:
        """Every contribution, those that push hardest towards the label first."""
        return [self._contribution(j) for j in self._order()]

    def reasons(self, top: int = 3) -> list[Contribution]:
        """The (at most) ``top`` contributions that push towards the label, strongest first."""
        sign = 1.0 if self.label == "fake" else -1.0
        return [self._contribution(j) for j in self._order()[:top]
                if sign * self.parts[j] > 0]

    def summary(self, top: int = 3) -> str:
        """One line for people: ``follows 1,937 (+2.10); no posts (+1.31)``."""
        parts = [f"{c.text} ({c.contribution:+.2f})" for c in self.reasons(top)]
        return "; ".join(parts) or "no signal stands out"


def _check_labels(y: Sequence[int] | NDArray[Any], n: int) -> NDArray[np.float64]:
    labels = np.asarray(y, dtype=np.float64)
    if labels.shape != (n,) or not np.isin(labels, (0.0, 1.0)).all():
        raise InvalidInput("need one label per account, each 0 (real) or 1 (fake)", field="y")
    if n == 0 or labels.min() == labels.max():
        raise InvalidInput("need fake and real accounts to learn from", field="y")
    return labels


def roc_auc(y: Sequence[int] | NDArray[Any], scores: Sequence[float] | FloatArray) -> float:
    """Area under the ROC curve: the chance that a random fake outscores a random real account.

    Ties count half (the Mann-Whitney U statistic over both classes' sizes).

    Examples
    --------
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    labels = _check_labels(y, len(scores))
    ranks = rankdata(np.asarray(scores, dtype=np.float64))
    n_fake = labels.sum()
    n_real = len(labels) - n_fake
    return float((ranks[labels == 1].sum() - n_fake * (n_fake + 1) / 2) / (n_fake * n_real))


class FakeAccountModel:
    """Logistic regression on standardised account features, with an L2 penalty.

    Parameters
    ----------
    l2
        Penalty on the squared weights of the standardised features (not the intercept), > 0:
        the fit minimises the summed log-loss plus ``l2 / 2 * |coef|^2`` (scikit-learn's
        ``LogisticRegression(C=1 / l2)``).
    threshold
        Probability at or above which an account is labelled ``fake``, in (0, 1).
    max_iter, tol
        Newton iterations allowed, and the largest step (in weights) that counts as converged.

    Attributes
    ----------
    feature_names_ : list of str
        The features, in column order (``account_features.FEATURE_NAMES``).
    mean_, scale_ : ndarray
        Training mean and standard deviation of each feature (0 and 1 for a feature that was
        unknown or constant in training, whose weight then stays 0).
    coef_ : ndarray
        Log-odds per standard deviation of each feature.
    intercept_ : float
        Log-odds of a fake for an average training account.
    n_samples_, n_fake_, n_iter_ : int
        Accounts and fakes trained on; Newton iterations used.

    Examples
    --------
    >>> import numpy as np
    >>> from kolscope.core.vetting.account_features import AccountColumns
    >>> def cols(followers, following, posts):
    ...     n = len(followers)
    ...     return AccountColumns(
    ...         followers=np.array(followers, float), following=np.array(following, float),
    ...         posts=np.array(posts, float), has_profile_pic=np.ones(n), is_private=np.zeros(n),
    ...         bio_length=np.full(n, np.nan), username_length=np.full(n, 8.0),
    ...         username_digits=np.zeros(n), has_external_url=np.full(n, np.nan))
    >>> model = FakeAccountModel().fit(cols([10, 20, 500, 900], [3000, 2500, 300, 400],
    ...                                     [0, 1, 80, 120]), [1, 1, 0, 0])
    >>> model.predict(cols([15, 700], [4000, 350], [0, 50]))
    ['fake', 'real']

    Notes
    -----
    A linear model on log-scaled counts, with two hinge features for following far more than
    being followed, matches a random forest on the InstaFake data to within a hundredth of AUC
    (``benchmarks/fake_accounts_eval.py``) while every prediction stays explainable, and its
    dozen weights are all there is to ship. Probabilities are calibrated to the training base
    rate of fakes (17% on InstaFake); a population with another rate shifts them.

    References
    ----------
    F. C. Akyon and M. E. Kalfaoglu, "Instagram Fake and Automated Account Detection", Innovations
    in Intelligent Systems and Applications Conference (ASYU), 2019. arXiv:1910.03090.
    """

    def __init__(self, *, l2: float = 1.0, threshold: float = 0.5, max_iter: int = 100,
                 tol: float = 1e-10) -> None:
        self.l2 = l2
        self.threshold = threshold
        self.max_iter = max_iter
        self.tol = tol

    def _check_params(self) -> None:
        if not self.l2 > 0:
            raise InvalidInput("l2 must be positive", field="l2", value=self.l2)
        if not 0 < self.threshold < 1:
            raise InvalidInput("threshold must be between 0 and 1", field="threshold",
                               value=self.threshold)
        if self.max_iter < 1 or not self.tol > 0:
            raise InvalidInput("max_iter must be >= 1 and tol > 0", field="max_iter")

    @staticmethod
    def _features(x: AccountColumns | FloatArray) -> FloatArray:
        if isinstance(x, AccountColumns):
            return feature_matrix(x)
        features = np.asarray(x, dtype=np.float64)
        if features.ndim != 2 or features.shape[1] != len(FEATURE_NAMES):
            raise InvalidInput(f"expected account columns or a matrix of {len(FEATURE_NAMES)} "
                               "feature columns", field="X")
        return features

    def _standardised(self, features: FloatArray) -> FloatArray:
        z = (features - self.mean_) / self.scale_
        z[np.isnan(z)] = 0.0  # unknown: as the average training account
        return z

    def fit(self, x: AccountColumns | FloatArray, y: Sequence[int] | NDArray[Any]) -> Self:
        """Learn the standardisation and the weights from labelled accounts (1 = fake)."""
        self._check_params()
        features = self._features(x)
        labels = _check_labels(y, len(features))
        known = ~np.isnan(features)
        counts = known.sum(axis=0)
        mean = np.where(counts > 0, np.nansum(features, axis=0) / np.maximum(counts, 1), 0.0)
        var = np.where(known, (features - mean) ** 2, 0.0).sum(axis=0) / np.maximum(counts, 1)
        self.mean_, self.scale_ = mean, np.where(var > 0, np.sqrt(var), 1.0)
        z = np.column_stack([np.ones(len(features)), self._standardised(features)])
        weights = self._newton(z, labels)
        self.intercept_, self.coef_ = float(weights[0]), weights[1:]
        self.feature_names_ = list(FEATURE_NAMES)
        self.n_samples_, self.n_fake_ = len(labels), int(labels.sum())
        return self

    def _newton(self, z: FloatArray, y: FloatArray) -> FloatArray:
        """Penalised maximum likelihood by Newton's method; the first column is the intercept."""
        penalty = np.full(z.shape[1], float(self.l2))
        penalty[0] = 0.0
        weights = np.zeros(z.shape[1])
        weights[0] = math.log(y.mean() / (1 - y.mean()))
        for iteration in range(1, self.max_iter + 1):
            p = expit(z @ weights)
            gradient = z.T @ (p - y) + penalty * weights
            hessian = (z.T * (p * (1 - p))) @ z + np.diag(penalty)
            step = np.linalg.solve(hessian + 1e-12 * np.eye(len(weights)), gradient)
            weights -= step
            if np.abs(step).max() < self.tol:
                self.n_iter_ = iteration
                return weights
        raise ConvergenceError(f"the fake-account model did not converge in {self.max_iter} "
                               "Newton iterations", iterations=self.max_iter)

    def _require_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise InvalidInput("fit the model (or load fitted parameters) before scoring",
                               field="model")

    def decision_function(self, x: AccountColumns | FloatArray) -> FloatArray:
        """The log-odds that each account is fake."""
        self._require_fitted()
        scores: FloatArray = self._standardised(self._features(x)) @ self.coef_ + self.intercept_
        return scores

    def predict_proba(self, x: AccountColumns | FloatArray) -> FloatArray:
        """Probabilities of ``real`` and ``fake`` (columns in the order of :data:`LABELS`)."""
        fake = expit(self.decision_function(x))
        return np.column_stack([1.0 - fake, fake])

    def predict(self, x: AccountColumns | FloatArray) -> list[str]:
        """``fake`` where the probability of fake is at least ``threshold``, else ``real``."""
        fake = expit(self.decision_function(x)) >= self.threshold
        return [LABELS[int(f)] for f in fake]

    def explain(self, columns: AccountColumns) -> list[Explanation]:
        """Each account's probability, label and every feature's contribution to its log-odds."""
        self._require_fitted()
        features = feature_matrix(columns)
        parts = self._standardised(features) * self.coef_
        log_odds = parts.sum(axis=1) + self.intercept_
        proba = expit(log_odds)
        fake = proba >= self.threshold
        return [Explanation(fake_probability=p, label=LABELS[f], threshold=self.threshold,
                            log_odds=lo, baseline=self.intercept_, values=tuple(v),
                            parts=tuple(c), inputs=tuple(r))
                for p, f, lo, v, c, r in zip(
                    proba.tolist(), fake.tolist(), log_odds.tolist(), features.tolist(),
                    parts.tolist(), _inputs(columns).tolist(), strict=True)]

    def to_params(self) -> dict[str, Any]:
        """A JSON-ready dict of the parameters and everything predictions use."""
        self._require_fitted()
        return {"method_version": FAKE_ACCOUNT_METHOD_VERSION,
                "params": {"l2": self.l2, "threshold": self.threshold,
                           "max_iter": self.max_iter, "tol": self.tol},
                "feature_names": list(self.feature_names_), "mean": self.mean_.tolist(),
                "scale": self.scale_.tolist(), "coef": self.coef_.tolist(),
                "intercept": self.intercept_, "n_samples": self.n_samples_,
                "n_fake": self.n_fake_, "n_iter": self.n_iter_}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> FakeAccountModel:
        """The model :meth:`to_params` stored, predicting exactly as it did."""
        if params.get("method_version") != FAKE_ACCOUNT_METHOD_VERSION:
            raise InvalidInput("stored model is of another method version",
                               field="method_version", value=params.get("method_version"))
        if list(params.get("feature_names", [])) != list(FEATURE_NAMES):
            raise InvalidInput("stored model has other features than this version",
                               field="feature_names")
        try:
            model = cls(**params["params"])
            model._check_params()
            model.mean_, model.scale_, model.coef_ = (
                np.asarray(params[k], dtype=np.float64) for k in ("mean", "scale", "coef"))
            model.intercept_ = float(params["intercept"])
            model.n_samples_, model.n_fake_, model.n_iter_ = (
                int(params[k]) for k in ("n_samples", "n_fake", "n_iter"))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"malformed stored model: {exc}", field="params") from exc
        shape = (len(FEATURE_NAMES),)
        if any(a.shape != shape for a in (model.mean_, model.scale_, model.coef_)):
            raise InvalidInput("mean, scale and coef need one value per feature", field="coef")
        model.feature_names_ = list(FEATURE_NAMES)
        return model


INPUTS = ("followers", "following", "posts", "has_profile_pic", "is_private", "bio_length",
          "username_length", "username_digits", "has_external_url")
"""The account values reasons put into words, in the order of ``Explanation.inputs``."""
_AT = {name: j for j, name in enumerate(INPUTS)}


def _inputs(columns: AccountColumns) -> FloatArray:
    return np.column_stack([getattr(columns, name) for name in INPUTS])


def describe(feature: str, inputs: Sequence[float]) -> str:
    """The plain-words value of one feature of an account whose :data:`INPUTS` are ``inputs``.

    Examples
    --------
    >>> describe("following_excess", [99, 1999, 0, 1, 0, 0, 9, 4, math.nan])
    'follows 20.0x as many as follow it'
    """

    def get(name: str) -> float:
        return inputs[_AT[name]]

    match feature:
        case "log_followers":
            return f"{int(get('followers')):,} followers"
        case "log_following":
            return f"follows {int(get('following')):,}"
        case "mass_following":
            more = "over" if get("following") > MASS_FOLLOWING else "at most"
            return f"follows {more} {MASS_FOLLOWING:,}"
        case "log_posts":
            return f"{int(get('posts')):,} posts"
        case "no_posts":
            return "no posts" if get("posts") == 0 else "has posts"
        case "log_bio_length":
            bio = get("bio_length")
            return ("bio unknown" if math.isnan(bio) else "no bio" if bio == 0
                    else f"bio of {int(bio)} characters")
        case "has_profile_pic":
            return "profile picture" if get("has_profile_pic") else "no profile picture"
        case "is_private":
            return "private" if get("is_private") else "public"
        case "username_length":
            return f"username of {int(get('username_length'))} characters"
        case "username_digit_share":
            return (f"{int(get('username_digits'))} of {int(get('username_length'))} username "
                    "characters are digits")
        case "following_excess":
            ratio = (get("following") + 1) / (get("followers") + 1)
            return (f"follows {ratio:.1f}x as many as follow it" if ratio > 1
                    else "followed at least as much as it follows")
        case "has_external_url":
            url = get("has_external_url")
            return "link unknown" if math.isnan(url) else "link in profile" if url else "no link"
    raise InvalidInput(f"unknown feature {feature!r}", field="feature")

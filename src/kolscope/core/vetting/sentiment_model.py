"""The learned half of comment sentiment: TF-IDF n-grams and logistic regression, in numpy/scipy.

One estimator, :class:`SentimentLogit`, serves both languages of ``docs/methods/sentiment.md``:
English tweets and comments are read as character n-grams within words (:func:`english_grams`)
plus dense lexicon features computed by the caller (VADER's scores, in the adapter); Chinese
reviews as character unigrams and bigrams (:func:`chinese_grams`). Weights are learned by
multinomial logistic regression with an L2 penalty (L-BFGS), classes optionally balanced, so the
same code fits the shipped parameters (``benchmarks/fit_sentiment.py``) and predicts with them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Self

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax

from kolscope.errors import ConvergenceError, InvalidInput

FloatArray = NDArray[np.float64]
Analyzer = Literal["en", "zh"]

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_ELONGATED = re.compile(r"(.)\1{2,}")


def english_grams(text: str, low: int = 2, high: int = 5) -> list[str]:
    """Character n-grams of each word padded with spaces, after light tweet normalisation.

    Case is folded, links become ``http``, @handles ``@user`` and letters repeated three times
    or more are cut to two (``sooooo`` reads as ``soo``), so unseen spellings share n-grams.

    Examples
    --------
    >>> english_grams("Sooo good", 2, 3)[:6]
    [' s', 'so', 'oo', 'o ', ' so', 'soo']
    """
    norm = _ELONGATED.sub(r"\1\1", _MENTION.sub("@user", _URL.sub("http", text.casefold())))
    grams: list[str] = []
    for word in norm.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


def chinese_grams(text: str) -> list[str]:
    """Character unigrams and bigrams of the whole text (punctuation and spaces included).

    Examples
    --------
    >>> chinese_grams("很好用")
    ['很', '好', '用', '很好', '好用']
    """
    chars = text.casefold()
    return list(chars) + [chars[i:i + 2] for i in range(len(chars) - 1)]


_ANALYZERS = {"en": english_grams, "zh": chinese_grams}


def _counts(texts: Sequence[str], analyzer: Analyzer, index: Mapping[str, int]
            ) -> sparse.csr_matrix:
    grams = _ANALYZERS[analyzer]
    rows: list[int] = []
    cols: list[int] = []
    for row, text in enumerate(texts):
        ids = [index[g] for g in grams(text) if g in index]
        rows += [row] * len(ids)
        cols += ids
    matrix = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)),
                               shape=(len(texts), len(index)))
    matrix.sum_duplicates()
    return matrix


class SentimentLogit:
    """Multinomial logistic regression over sublinear TF-IDF n-grams and optional dense features.

    Parameters
    ----------
    analyzer
        ``"en"`` (:func:`english_grams`) or ``"zh"`` (:func:`chinese_grams`).
    C
        Inverse L2 penalty, > 0 (as in scikit-learn: loss times ``C`` plus half the squared
        weights; intercepts are not penalised).
    min_df
        Keep n-grams found in at least this many training texts.
    balanced
        Weight each class inversely to its frequency (``n / (k * n_class)``), which is what
        macro-averaged recall rewards.
    dense_scale
        Factor applied to the dense features the caller passes beside the texts.

    Attributes
    ----------
    classes_, vocabulary_, idf_, coef_, intercept_, n_dense_
        Set by :meth:`fit` or :meth:`from_params`.

    Examples
    --------
    >>> clf = SentimentLogit("zh", min_df=1).fit(["很好", "很差", "好用", "太差"], [1, 0, 1, 0])
    >>> clf.predict_proba(["好"]).argmax(axis=1).tolist()
    [1]

    References
    ----------
    S. Wang and C. Manning, "Baselines and bigrams: simple, good sentiment and topic
    classification", ACL 2012.
    """

    def __init__(self, analyzer: Analyzer, *, C: float = 1.0, min_df: int = 2,  # noqa: N803
                 balanced: bool = True, dense_scale: float = 2.0) -> None:
        self.analyzer = analyzer
        self.C = C
        self.min_df = min_df
        self.balanced = balanced
        self.dense_scale = dense_scale

    def _check(self) -> None:
        if self.analyzer not in _ANALYZERS:
            raise InvalidInput("analyzer must be 'en' or 'zh'", field="analyzer")
        if not self.C > 0 or self.min_df < 1:
            raise InvalidInput("need C > 0 and min_df >= 1", field="C")

    def _design(self, texts: Sequence[str], dense: FloatArray | None) -> sparse.csr_matrix:
        if isinstance(texts, str):
            raise InvalidInput("texts must be a sequence of strings, not one string",
                               field="texts")
        tf = _counts(texts, self.analyzer, self._index)
        tf.data = 1.0 + np.log(tf.data)
        tf = tf.multiply(self.idf_).tocsr()
        norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
        tf = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ tf
        n_dense = 0 if dense is None else dense.shape[1]
        if n_dense != self.n_dense_:
            raise InvalidInput(f"expected {self.n_dense_} dense features, got {n_dense}",
                               field="dense")
        if dense is None or not n_dense:
            return tf.tocsr()
        return sparse.hstack([tf, sparse.csr_matrix(dense * self.dense_scale)]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[int],
            dense: FloatArray | None = None) -> Self:
        """Learn the vocabulary, IDF and weights from labelled texts (integer class labels)."""
        self._check()
        if len(texts) != len(labels) or not texts:
            raise InvalidInput("need one label per text, and at least one text", field="labels")
        grams = _ANALYZERS[self.analyzer]
        df = Counter(g for text in texts for g in set(grams(text)))
        self.vocabulary_ = sorted(g for g, n in df.items() if n >= self.min_df)
        self._index = {g: i for i, g in enumerate(self.vocabulary_)}
        n = len(texts)
        dfs = np.array([df[g] for g in self.vocabulary_], dtype=np.float64)
        self.idf_ = np.log((1.0 + n) / (1.0 + dfs)) + 1.0
        self.n_dense_ = 0 if dense is None else int(dense.shape[1])
        self.classes_ = sorted(set(labels))
        y = np.searchsorted(self.classes_, labels)
        counts = np.bincount(y, minlength=len(self.classes_)).astype(np.float64)
        weights = (n / (len(self.classes_) * counts))[y] if self.balanced else np.ones(n)
        self.coef_, self.intercept_ = _train(self._design(texts, dense), y,
                                             len(self.classes_), weights, self.C)
        return self

    def predict_proba(self, texts: Sequence[str], dense: FloatArray | None = None
                      ) -> FloatArray:
        """Probability of each class (columns in the order of ``classes_``) for each text."""
        logits = self._design(texts, dense) @ self.coef_.T + self.intercept_
        proba: FloatArray = softmax(logits, axis=1)
        return proba

    def to_params(self) -> dict[str, Any]:
        """Parameters and learned arrays, ready for ``numpy.savez_compressed``."""
        return {"analyzer": self.analyzer, "C": self.C, "min_df": self.min_df,
                "balanced": self.balanced, "dense_scale": self.dense_scale,
                "classes": np.asarray(self.classes_), "vocabulary": "\n".join(self.vocabulary_),
                "idf": self.idf_.astype(np.float32), "coef": self.coef_.astype(np.float32),
                "intercept": self.intercept_, "n_dense": self.n_dense_}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SentimentLogit:
        """The estimator :meth:`to_params` stored (arrays may be numpy scalars or arrays)."""
        try:
            clf = cls(str(params["analyzer"]), C=float(params["C"]),  # type: ignore[arg-type]
                      min_df=int(params["min_df"]), balanced=bool(params["balanced"]),
                      dense_scale=float(params["dense_scale"]))
            vocabulary = str(params["vocabulary"])
            clf.vocabulary_ = vocabulary.split("\n") if vocabulary else []
            clf.classes_ = [int(c) for c in np.asarray(params["classes"]).tolist()]
            clf.idf_ = np.asarray(params["idf"], dtype=np.float64)
            clf.coef_ = np.asarray(params["coef"], dtype=np.float64)
            clf.intercept_ = np.asarray(params["intercept"], dtype=np.float64)
            clf.n_dense_ = int(params["n_dense"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"malformed stored sentiment model: {exc}", field="params") from exc
        clf._check()
        width = len(clf.vocabulary_) + clf.n_dense_
        if clf.coef_.shape != (len(clf.classes_), width) or clf.idf_.shape != (
                len(clf.vocabulary_),):
            raise InvalidInput("stored weights do not match the vocabulary", field="coef")
        clf._index = {g: i for i, g in enumerate(clf.vocabulary_)}
        return clf


def _train(x: sparse.csr_matrix, y: NDArray[np.intp], k: int, weights: FloatArray, c: float,
           ) -> tuple[FloatArray, FloatArray]:
    """Weighted multinomial logistic regression by L-BFGS: ``c * loss + |W|^2 / 2``."""
    n, d = x.shape
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        w, b = theta[:k * d].reshape(k, d), theta[k * d:]
        logits = np.asarray(x @ w.T) + b
        logp = log_softmax(logits, axis=1)
        loss = -float(np.sum(weights * np.sum(onehot * logp, axis=1)))
        resid = (np.exp(logp) - onehot) * weights[:, None]
        grad_w = c * np.asarray((x.T @ resid).T) + w
        value = c * loss + 0.5 * float(np.sum(w * w))
        return value, np.concatenate([grad_w.ravel(), c * resid.sum(axis=0)])

    result = minimize(objective, np.zeros(k * d + k), jac=True, method="L-BFGS-B",
                      options={"maxiter": 3000, "maxcor": 20})
    if not math.isfinite(result.fun):
        raise ConvergenceError(f"sentiment model did not converge: {result.message}",
                               iterations=int(result.nit))
    theta = result.x
    return theta[:k * d].reshape(k, d), theta[k * d:]

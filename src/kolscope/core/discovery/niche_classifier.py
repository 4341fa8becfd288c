"""What an account is about: a naive Bayes niche classifier seeded by a bilingual lexicon.

One versioned method (``docs/methods/niche-classification.md``): an account's bio, captions,
hashtags, image descriptions and comments become one text (:func:`account_text`), the text
becomes tokens (:func:`tokens`), and :class:`NicheClassifier` scores the 22 niches of the
taxonomy. Unfitted, it predicts from the built-in lexicon alone (cold start, Chinese); fitted on
labelled accounts, the learned word counts are added to the lexicon's pseudo-counts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import logsumexp

from kolscope.core.discovery.niche_lexicon import LEXICON, STOP_WORDS
from kolscope.core.discovery.niches import TAXONOMY
from kolscope.errors import InvalidInput

NICHE_METHOD_VERSION = "niche-1"

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_HASHTAG = re.compile(r"#([^\W_]{5,})")
_BOILERPLATE = re.compile(r"image may contain:?", re.IGNORECASE)
_LATIN_TERMS = frozenset(t for terms in LEXICON.values() for t in terms if t.isascii())
_HAN_TERMS = frozenset(t for terms in LEXICON.values() for t in terms if not t.isascii())
_MAX_LATIN = max(map(len, _LATIN_TERMS))
_MAX_HAN = max(map(len, _HAN_TERMS))

FloatArray = NDArray[np.float64]


class Evidence(BaseModel):
    """One term's share of a prediction: log-odds it adds to ``niche`` against ``versus``."""

    model_config = ConfigDict(frozen=True)

    term: str
    niche: str
    versus: str
    count: int
    contribution: float


def account_text(*, bio: str = "", captions: Iterable[str] = (), hashtags: Iterable[str] = (),
                 image_descriptions: Iterable[str] = (), comments: Iterable[str] = ()) -> str:
    """One text of everything an account says about itself, as :func:`tokens` reads it.

    Hashtags are given a ``#`` when they lack one; the "Image may contain:" preamble of
    platform-generated image descriptions is dropped.

    Examples
    --------
    >>> account_text(bio="Chef", hashtags=["ramen"], image_descriptions=["Image may contain: food"])
    'Chef\\n#ramen\\n food'
    """
    tags = [t if t.startswith("#") else f"#{t}" for t in hashtags if t]
    described = [_BOILERPLATE.sub("", d) for d in image_descriptions]
    parts = [bio, *captions, " ".join(tags), *described, *comments]
    return "\n".join(p for p in parts if p)


def _substrings(text: str, terms: frozenset[str], shortest: int, longest: int) -> list[str]:
    """Lexicon terms found inside ``text`` (every start, every length in range)."""
    return [text[i:j] for i in range(len(text))
            for j in range(i + shortest, min(len(text), i + longest) + 1) if text[i:j] in terms]


def tokens(text: str) -> list[str]:
    """The tokens of a text: what the classifier counts.

    Latin-script (and other spaced-script) words of two letters or more, case-folded, without
    stop words; hashtag words count as words, and lexicon terms of five letters or more found
    inside a hashtag are added (``#skincareroutine`` adds ``skincare``). Chinese runs give
    character bigrams (a lone character stays itself) plus lexicon terms of another length found
    inside them.

    Examples
    --------
    >>> tokens("New serum haul #skincareroutine")
    ['serum', 'haul', 'skincareroutine', 'skincare']
    >>> tokens("这款口红")
    ['这款', '款口', '口红']
    """
    lowered = text.casefold()
    spaced = _HAN_RUN.sub(" ", lowered)
    found = [w for w in _WORD.findall(spaced) if w not in STOP_WORDS]
    for tag in _HASHTAG.findall(spaced):
        found += [t for t in _substrings(tag, _LATIN_TERMS, 5, _MAX_LATIN) if t != tag]
    for run in _HAN_RUN.findall(lowered):
        found += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        # bigrams (or the lone character) are there already; add terms of the other lengths
        have = min(2, len(run))
        found += [t for t in _substrings(run, _HAN_TERMS, 1, _MAX_HAN) if len(t) != have]
    return found


def _check_texts(texts: object) -> Sequence[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise InvalidInput("texts must be a sequence of strings, not one string", field="texts")
    if not all(isinstance(t, str) for t in texts):
        raise InvalidInput("every text must be a string", field="texts")
    return texts


def _vectorize(docs: Iterable[list[str]], index: Mapping[str, int]) -> sparse.csr_matrix:
    """Token counts of each tokenized text over the vocabulary (other tokens are ignored)."""
    rows: list[int] = []
    cols: list[int] = []
    n_docs = 0
    for row, doc in enumerate(docs):
        n_docs += 1
        ids = [index[t] for t in doc if t in index]
        rows += [row] * len(ids)
        cols += ids
    data = np.ones(len(cols), dtype=np.float64)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n_docs, len(index)))
    matrix.sum_duplicates()
    return matrix


def _estimate(counts: FloatArray, class_docs: FloatArray, *, alpha: float, fit_prior: bool,
              ) -> tuple[FloatArray, FloatArray]:
    """Feature log-probabilities and class log-priors from pseudo-counts plus observed counts.

    Smoothing adds ``alpha`` per feature on average, spread like the corpus-wide (background)
    distribution, so a niche with lexicon evidence only falls back to the corpus for other words.
    """
    n_features = counts.shape[1]
    background = (counts.sum(axis=0) + 1.0) / (counts.sum() + n_features)
    smoothed = counts + alpha * n_features * background
    feature_log_prob = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
    if fit_prior and class_docs.sum() > 0:
        prior = np.log(class_docs + 1.0) - math.log(class_docs.sum() + len(class_docs))
    else:
        prior = np.full(len(class_docs), -math.log(len(class_docs)))
    return feature_log_prob, prior


def _lexicon_counts(classes: Sequence[str], vocabulary: Sequence[str], weight: float) -> FloatArray:
    index = {term: i for i, term in enumerate(vocabulary)}
    counts = np.zeros((len(classes), len(vocabulary)))
    for row, niche in enumerate(classes):
        counts[row, [index[t] for t in LEXICON[niche]]] = weight
    return counts


@lru_cache(maxsize=8)
def _lexicon_model(alpha: float, weight: float) -> tuple[tuple[str, ...], FloatArray, FloatArray]:
    """The unfitted model: vocabulary, feature log-probabilities and priors from the lexicon."""
    classes = [n.key for n in TAXONOMY]
    vocabulary = tuple(sorted(_LATIN_TERMS | _HAN_TERMS))
    counts = _lexicon_counts(classes, vocabulary, weight)
    flp, _ = _estimate(counts, np.zeros(len(classes)), alpha=alpha, fit_prior=False)
    # With no evidence at all, an account is "other": its prior is twice another niche's.
    weights = np.array([2.0 if key == "other" else 1.0 for key in classes])
    prior = np.log(weights / weights.sum())
    flp.flags.writeable = prior.flags.writeable = False
    return vocabulary, flp, prior


class NicheClassifier:
    """Multinomial naive Bayes over :func:`tokens`, with the niche lexicon as prior counts.

    Parameters
    ----------
    alpha
        Smoothing pseudo-count per feature (spread like the corpus), > 0.
    lexicon_weight
        Pseudo-count each lexicon term adds to its niche(s), >= 0.
    min_df
        Learned words must occur in at least this many training texts (lexicon terms always kept).
    max_features
        Keep at most this many learned words, the most frequent; ``None`` keeps all.
    fit_prior
        Learn class priors from label frequencies (Laplace-smoothed); else uniform.

    Attributes
    ----------
    classes_, vocabulary_, feature_log_prob_, class_log_prior_, temperature_
        Set by :meth:`fit` (``temperature_`` refined by :meth:`calibrate`). Before ``fit`` the
        classifier predicts from the lexicon alone, over all 22 niches, with equal priors but
        for ``other``, twice as likely (a text without evidence is ``other``).

    Examples
    --------
    >>> NicheClassifier().predict(["new serum and lipstick haul", "best ramen in tokyo #foodie"])
    ['beauty', 'food']
    >>> clf = NicheClassifier(min_df=1).fit(["espresso latte art", "sourdough bread"],
    ...                                     ["food", "food"])
    >>> clf.classes_[clf.predict_proba(["latte"]).argmax()]
    'food'

    Notes
    -----
    Naive Bayes treats the words of a text as independent, so its probabilities are
    over-confident, the more so the longer the text. :meth:`calibrate` fits a temperature on
    held-out labelled texts (log-joint divided by ``temperature_``), which repairs much of that.

    References
    ----------
    A. McCallum and K. Nigam, "A comparison of event models for naive Bayes text
    classification", AAAI-98 Workshop on Learning for Text Categorization, 1998.
    """

    def __init__(self, *, alpha: float = 1.0, lexicon_weight: float = 5.0, min_df: int = 2,
                 max_features: int | None = 50_000, fit_prior: bool = True) -> None:
        self.alpha = alpha
        self.lexicon_weight = lexicon_weight
        self.min_df = min_df
        self.max_features = max_features
        self.fit_prior = fit_prior

    def _check_params(self) -> None:
        if not self.alpha > 0:
            raise InvalidInput("alpha must be positive", field="alpha", value=self.alpha)
        if not self.lexicon_weight >= 0:
            raise InvalidInput("lexicon_weight must be >= 0", field="lexicon_weight")
        if self.min_df < 1:
            raise InvalidInput("min_df must be at least 1", field="min_df", value=self.min_df)
        if self.max_features is not None and self.max_features < 1:
            raise InvalidInput("max_features must be at least 1", field="max_features")

    def _learned_vocabulary(self, docs: Sequence[list[str]]) -> list[str]:
        df = Counter(t for doc in docs for t in set(doc))
        total = Counter(t for doc in docs for t in doc)
        kept = sorted((t for t, n in df.items() if n >= self.min_df), key=lambda t: -total[t])
        return kept[:self.max_features] if self.max_features is not None else kept

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> Self:
        """Learn word counts per niche from labelled texts; labels are taxonomy keys."""
        self._check_params()
        texts = _check_texts(texts)
        classes = [n.key for n in TAXONOMY]
        if len(labels) != len(texts) or not texts:
            raise InvalidInput("need one label per text, and at least one text", field="labels")
        unknown = sorted(set(labels) - set(classes))
        if unknown:
            raise InvalidInput("labels must be taxonomy keys", field="labels", unknown=unknown)
        docs = [tokens(t) for t in texts]
        learned = self._learned_vocabulary(docs)
        vocabulary = sorted(set(learned) | _LATIN_TERMS | _HAN_TERMS)
        index = {t: i for i, t in enumerate(vocabulary)}
        onehot = np.zeros((len(texts), len(classes)))
        onehot[np.arange(len(texts)), [classes.index(label) for label in labels]] = 1.0
        observed = np.asarray((_vectorize(docs, index).T @ onehot).T)
        counts = observed + _lexicon_counts(classes, vocabulary, self.lexicon_weight)
        self.feature_log_prob_, self.class_log_prior_ = _estimate(
            counts, onehot.sum(axis=0), alpha=self.alpha, fit_prior=self.fit_prior)
        self.classes_, self.vocabulary_ = classes, vocabulary
        self.temperature_ = 1.0
        return self

    def _model(self) -> tuple[Sequence[str], FloatArray, FloatArray, float]:
        vocabulary, _, flp, prior, temperature = self._indexed()
        return vocabulary, flp, prior, temperature

    def _indexed(self) -> tuple[Sequence[str], dict[str, int], FloatArray, FloatArray, float]:
        """The model in use with its term index, built once per fitted state: rebuilding a
        vocabulary-sized index per text would dominate the cost of classifying many texts."""
        fitted = getattr(self, "feature_log_prob_", None)
        key = (id(fitted), self.alpha, self.lexicon_weight, getattr(self, "temperature_", 1.0))
        cache = self.__dict__.get("_cache")
        if cache is None or cache[0] != key:
            model: tuple[Sequence[str], FloatArray, FloatArray, float]
            if fitted is not None:
                model = (self.vocabulary_, fitted, self.class_log_prior_, self.temperature_)
            else:
                self._check_params()
                vocabulary, flp, prior = _lexicon_model(float(self.alpha),
                                                        float(self.lexicon_weight))
                model = (vocabulary, flp, prior, 1.0)
            index = {t: i for i, t in enumerate(model[0])}
            self._cache = (key, model[0], index, *model[1:])
        cached: tuple[Sequence[str], dict[str, int], FloatArray, FloatArray, float] = (
            self._cache[1:])
        return cached

    @property
    def _classes(self) -> list[str]:
        return list(getattr(self, "classes_", [n.key for n in TAXONOMY]))

    def _joint(self, texts: Sequence[str]) -> FloatArray:
        """Uncalibrated log-joint, shape (n, classes)."""
        _, index, flp, prior, _ = self._indexed()
        counts = _vectorize((tokens(t) for t in _check_texts(texts)), index)
        return np.asarray(counts @ flp.T) + prior

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        """Probability of each niche (columns in the order of ``classes_``) for each text."""
        scaled = self._joint(texts) / self._model()[3]
        proba: FloatArray = np.exp(scaled - logsumexp(scaled, axis=1, keepdims=True))
        return proba

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most probable niche of each text; its probability is the confidence."""
        return [label for label, _ in self.predict_best(texts)]

    def predict_best(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """The most probable niche of each text with its probability, in one pass."""
        classes = self._classes
        proba = self.predict_proba(texts)
        return [(classes[i], float(proba[k, i])) for k, i in enumerate(proba.argmax(axis=1))]

    def calibrate(self, texts: Sequence[str], labels: Sequence[str]) -> Self:
        """Fit ``temperature_`` on held-out labelled texts by minimising their log-loss."""
        if not hasattr(self, "feature_log_prob_"):
            raise InvalidInput("fit the classifier before calibrating it", field="texts")
        classes = self._classes
        if len(labels) != len(texts) or not texts or not set(labels) <= set(classes):
            raise InvalidInput("need one taxonomy key per text", field="labels")
        joint = self._joint(texts)
        rows, cols = np.arange(len(texts)), np.array([classes.index(y) for y in labels])

        def loss(log_t: float) -> float:
            scaled = joint / math.exp(log_t)
            return float(np.mean(logsumexp(scaled, axis=1) - scaled[rows, cols]))

        self.temperature_ = math.exp(minimize_scalar(loss, bounds=(-3, 6), method="bounded").x)
        return self

    def explain(self, text: str, top: int = 5) -> list[Evidence]:
        """The terms that most favour the predicted niche over the runner-up, strongest first.

        A term's contribution is ``count * (log P(term|niche) - log P(term|runner-up))``
        divided by ``temperature_``; all contributions plus the prior difference add up to
        the log-odds of the two niches' probabilities.
        """
        if not isinstance(text, str) or top < 1:
            raise InvalidInput("explain takes one text and top >= 1", field="text")
        vocabulary, index, flp, prior, temperature = self._indexed()
        counts = _vectorize([tokens(text)], index)
        joint = np.asarray(counts @ flp.T)[0] + prior
        best, runner_up = np.argsort(-joint, kind="stable")[:2]
        classes = self._classes
        found = [Evidence(term=vocabulary[j], niche=classes[best], versus=classes[runner_up],
                          count=int(n), contribution=float(n * (flp[best, j] - flp[runner_up, j])
                                                           / temperature))
                 for j, n in zip(counts.indices, counts.data, strict=True)]
        found = sorted((e for e in found if e.contribution > 0), key=lambda e: -e.contribution)
        return found[:top]

    def to_params(self) -> dict[str, Any]:
        """A JSON-ready dict of the parameters and the model predictions use."""
        vocabulary, flp, prior, temperature = self._model()
        return {"method_version": NICHE_METHOD_VERSION,
                "params": {"alpha": self.alpha, "lexicon_weight": self.lexicon_weight,
                           "min_df": self.min_df, "max_features": self.max_features,
                           "fit_prior": self.fit_prior},
                "classes": self._classes, "vocabulary": list(vocabulary),
                "feature_log_prob": flp.tolist(), "class_log_prior": prior.tolist(),
                "temperature": temperature}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> NicheClassifier:
        """The classifier :meth:`to_params` stored, predicting exactly as it did."""
        if params.get("method_version") != NICHE_METHOD_VERSION:
            raise InvalidInput("stored model is of another method version",
                               field="method_version", value=params.get("method_version"))
        try:
            clf = cls(**params["params"])
            flp = np.asarray(params["feature_log_prob"], dtype=np.float64)
            clf.classes_, clf.vocabulary_ = list(params["classes"]), list(params["vocabulary"])
            clf.class_log_prior_ = np.asarray(params["class_log_prior"], dtype=np.float64)
            clf.temperature_ = float(params["temperature"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"malformed stored model: {exc}", field="params") from exc
        if flp.shape != (len(clf.classes_), len(clf.vocabulary_)):
            raise InvalidInput("feature_log_prob does not match classes x vocabulary",
                               field="feature_log_prob")
        clf.feature_log_prob_ = flp
        return clf

"""Comment sentiment: labels, the score in [-1, 1], language routing and aggregation.

One versioned method (``docs/methods/sentiment.md``). A model gives each text the probabilities
of negative, neutral and positive (a two-class model gives neutral 0); this module turns them
into a score and a label, decides which model reads a text, and sums labelled comments up per
post, account or campaign. The models themselves sit behind a port (``app/ports.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kolscope.core.text import detect_language
from kolscope.errors import InvalidInput

SENTIMENT_METHOD_VERSION = "sentiment-1"

Label = Literal["negative", "neutral", "positive"]
LABELS: tuple[Label, ...] = ("negative", "neutral", "positive")
ModelLanguage = Literal["en", "zh"]
Key = int | str

_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA = re.compile(r"[\u3040-\u30ff]")

# A two-class model (Chinese) says neutral when P(positive) is within 0.05 of 0.5: the score's
# magnitude is then under 0.1. The three-class model (English) has a neutral class of its own.
NEUTRAL_BAND: Mapping[ModelLanguage, float] = {"en": 0.0, "zh": 0.1}


class Sentiment(BaseModel):
    """One text's sentiment: label, score in [-1, 1], detected language and the model used."""

    model_config = ConfigDict(frozen=True)

    label: Label
    score: float
    language: str | None
    model: ModelLanguage | None


def model_language(language: str | None) -> ModelLanguage:
    """Which model reads a text of ``language`` (ISO 639-1, or ``None`` when undetected).

    Chinese goes to the Chinese model; every other language, and text too short to tell (emoji,
    one word), to the English one, whose lexicon covers emoji and emoticons. Japanese text
    with kana is therefore read by the English model, which mostly says neutral.

    Examples
    --------
    >>> model_language("zh"), model_language("en"), model_language(None)
    ('zh', 'en', 'en')
    """
    return "zh" if language == "zh" else "en"


def route(text: str) -> tuple[str | None, ModelLanguage]:
    """The detected language of ``text`` and the model that reads it.

    :func:`~kolscope.core.text.detect_language` needs two Han characters to say Chinese; a
    shorter text with Han characters and no kana (``赞``, ``好!!``) is taken as Chinese too, as
    one-character comments are common there.

    Examples
    --------
    >>> route("赞"), route("ok 👍")
    (('zh', 'zh'), (None, 'en'))
    """
    language = detect_language(text)
    if language is None and _HAN.search(text) and not _KANA.search(text):
        language = "zh"
    return language, model_language(language)


def polarity(p_negative: float, p_neutral: float, p_positive: float, *,
             neutral_band: float = 0.0) -> tuple[Label, float]:
    """Label and score of one text from its class probabilities.

    The score is ``P(positive) - P(negative)``, in [-1, 1]. The label is neutral when neutral is
    the most probable class or the score's magnitude is under ``neutral_band``; otherwise the
    sign of the score decides.

    Examples
    --------
    >>> polarity(0.1, 0.2, 0.7)
    ('positive', 0.6)
    >>> polarity(0.3, 0.4, 0.3)
    ('neutral', 0.0)
    >>> polarity(0.52, 0.0, 0.48, neutral_band=0.1)
    ('neutral', -0.04)
    """
    probs = (p_negative, p_neutral, p_positive)
    if any(not 0.0 <= p <= 1.0 for p in probs) or abs(sum(probs) - 1.0) > 1e-6:
        raise InvalidInput("class probabilities must lie in [0, 1] and add up to 1",
                           field="probabilities", value=probs)
    score = round(max(-1.0, min(1.0, p_positive - p_negative)), 6)
    if p_neutral >= max(p_negative, p_positive) or abs(score) < neutral_band:
        return "neutral", score
    return ("positive" if score > 0 else "negative"), score


def empty_text(text: str) -> bool:
    """A line with nothing to read (empty or blank): it is neutral with score 0."""
    return not text.strip()


class SentimentSummary(BaseModel):
    """Sentiment of a group of comments (a post, an account, a campaign).

    ``net`` is the share of positive minus the share of negative comments; ``mean_score`` the
    mean of the scores. Both are ``None`` for a group without comments.
    """

    model_config = ConfigDict(frozen=True)

    comments: int
    counts: dict[Label, int]
    shares: dict[Label, float]
    mean_score: float | None
    net: float | None
    method_version: str = SENTIMENT_METHOD_VERSION


def summarise(items: Iterable[Sentiment | tuple[Label, float]]) -> SentimentSummary:
    """Counts, shares, mean score and net sentiment of labelled comments.

    Examples
    --------
    >>> s = summarise([("positive", 0.8), ("positive", 0.4), ("negative", -0.6)])
    >>> s.counts["positive"], round(s.shares["positive"], 3), round(s.mean_score, 3)
    (2, 0.667, 0.2)
    >>> round(s.net, 3)
    0.333
    """
    counts: dict[Label, int] = dict.fromkeys(LABELS, 0)
    total = 0.0
    for item in items:
        label, score = (item.label, item.score) if isinstance(item, Sentiment) else item
        if label not in counts:
            raise InvalidInput("unknown sentiment label", field="label", value=label)
        counts[label] += 1
        total += score
    n = sum(counts.values())
    shares: dict[Label, float] = {k: (v / n if n else 0.0) for k, v in counts.items()}
    return SentimentSummary(comments=n, counts=counts, shares=shares,
                            mean_score=total / n if n else None,
                            net=shares["positive"] - shares["negative"] if n else None)


class CommentSentiment(BaseModel):
    """A stored comment's sentiment with the post, account and campaign it belongs to."""

    model_config = ConfigDict(frozen=True)

    post_id: Key
    account_id: Key
    campaign_id: Key | None = None
    label: Label
    score: float


Level = Literal["post", "account", "campaign"]


def aggregate(comments: Iterable[CommentSentiment], *, by: Level
              ) -> dict[Key, SentimentSummary]:
    """One :class:`SentimentSummary` per post, account or campaign.

    Every comment counts once, so an account's figures weigh its posts by their comment counts;
    comments without a campaign are left out of the campaign level.

    Examples
    --------
    >>> rows = [CommentSentiment(post_id=1, account_id="a", label="positive", score=0.5),
    ...         CommentSentiment(post_id=2, account_id="a", label="negative", score=-1.0)]
    >>> {k: v.comments for k, v in aggregate(rows, by="post").items()}
    {1: 1, 2: 1}
    >>> aggregate(rows, by="account")["a"].mean_score
    -0.25
    """
    if by not in ("post", "account", "campaign"):
        raise InvalidInput("by must be post, account or campaign", field="by", value=by)
    groups: dict[Key, list[tuple[Label, float]]] = defaultdict(list)
    for c in comments:
        key = {"post": c.post_id, "account": c.account_id, "campaign": c.campaign_id}[by]
        if key is not None:
            groups[key].append((c.label, c.score))
    return {key: summarise(items) for key, items in groups.items()}

"""Comment sentiment: labels, the score in [-1, 1], language routing and aggregation.

One versioned method (``docs/methods/sentiment.md``). A model gives each text the probabilities
of negative, neutral and positive (a two-class model gives neutral 0), corrected for emoji and
social phrases (``sentiment_lexicon.py``); this module turns them into a score and a label,
decides which model reads a text, and sums labelled comments up per post, account or campaign.
The models themselves sit behind a port (``app/ports.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kolscope.core.text import detect_language
from kolscope.core.vetting.sentiment_lexicon import emoji_only
from kolscope.core.vetting.signals import Signal, graded, unknown
from kolscope.errors import InvalidInput

SENTIMENT_METHOD_VERSION = "sentiment-2"

Label = Literal["negative", "neutral", "positive"]
LABELS: tuple[Label, ...] = ("negative", "neutral", "positive")
ModelLanguage = Literal["en", "zh"]
Key = int | str

_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA = re.compile(r"[\u3040-\u30ff]")

# A two-class model (Chinese) says neutral when P(positive) is within 0.05 of 0.5: the score's
# magnitude is then under 0.1. The three-class model (English) has a neutral class of its own.
NEUTRAL_BAND: Mapping[ModelLanguage, float] = {"en": 0.0, "zh": 0.1}
# An emoji-only comment is labelled by the sign of its emoji score, neutral under 0.1: the
# ranking's neutral share counts the tweets around an emoji, mostly neutral text, so it says
# little about the emoji itself (🔥: 61% neutral tweets, score +0.14).
EMOJI_NEUTRAL_BAND = 0.1


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
    one word), to the English one, whose VADER lexicon covers emoticons (emoji are read by their
    own component on both routes). Japanese text with kana is therefore read by the English
    model, which mostly says neutral.

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
             neutral_band: float = 0.0, neutral_class: bool = True) -> tuple[Label, float]:
    """Label and score of one text from its class probabilities.

    The score is ``P(positive) - P(negative)``, in [-1, 1]. The label is neutral when neutral is
    the most probable class (unless ``neutral_class`` is false) or the score's magnitude is under
    ``neutral_band``; otherwise the sign of the score decides.

    Examples
    --------
    >>> polarity(0.1, 0.2, 0.7)
    ('positive', 0.6)
    >>> polarity(0.3, 0.4, 0.3)
    ('neutral', 0.0)
    >>> polarity(0.52, 0.0, 0.48, neutral_band=0.1)
    ('neutral', -0.04)
    >>> polarity(0.12, 0.61, 0.27, neutral_band=0.1, neutral_class=False)
    ('positive', 0.15)
    """
    probs = (p_negative, p_neutral, p_positive)
    if any(not 0.0 <= p <= 1.0 for p in probs) or abs(sum(probs) - 1.0) > 1e-6:
        raise InvalidInput("class probabilities must lie in [0, 1] and add up to 1",
                           field="probabilities", value=probs)
    score = round(max(-1.0, min(1.0, p_positive - p_negative)), 6)
    if (neutral_class and p_neutral >= max(p_negative, p_positive)) or abs(score) < neutral_band:
        return "neutral", score
    return ("positive" if score > 0 else "negative"), score


def label_rule(text: str, model: ModelLanguage) -> tuple[float, bool]:
    """The ``neutral_band`` and ``neutral_class`` of :func:`polarity` for ``text``.

    A text's model decides its band, except that an emoji-only text is labelled by its emoji
    score alone (:data:`EMOJI_NEUTRAL_BAND`).

    Examples
    --------
    >>> label_rule("🔥🔥", "en"), label_rule("很好", "zh")
    ((0.1, False), (0.1, True))
    """
    if emoji_only(text):
        return EMOJI_NEUTRAL_BAND, False
    return NEUTRAL_BAND[model], True


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


MIN_COMMENTS = 20  # fewer scored comments than this and a share says little
NEGATIVE_WARN, NEGATIVE_FAIL = 0.25, 0.40


def sentiment_signal(summary: SentimentSummary, *, data_as_of: datetime | None) -> Signal:
    """The share of negative comments under a KOL's recent posts, as a vetting signal.

    Examples
    --------
    >>> s = summarise([("negative", -0.8)] * 6 + [("positive", 0.5)] * 14)
    >>> signal = sentiment_signal(s, data_as_of=None)
    >>> signal.status, round(signal.value, 2)
    ('warn', 0.3)
    """
    label = "Share of negative comments under recent posts"
    threshold = (f"warn at >= {NEGATIVE_WARN:.0%} negative, fail at >= {NEGATIVE_FAIL:.0%}; "
                 f"needs {MIN_COMMENTS} comments")
    if summary.comments < MIN_COMMENTS:
        return unknown("negative_sentiment", "sentiment", label, threshold=threshold,
                       sample_size=summary.comments,
                       note=f"{summary.comments} comments scored")
    share = summary.shares["negative"]
    status, severity = graded(share, warn=NEGATIVE_WARN, fail=NEGATIVE_FAIL)
    net = summary.net or 0.0
    return Signal(key="negative_sentiment", group="sentiment", label=label, value=share,
                  display=f"{share:.0%} negative, {summary.shares['positive']:.0%} positive "
                          f"(net {net:+.2f})",
                  threshold=threshold, status=status, severity=severity,
                  sample_size=summary.comments, data_as_of=data_as_of,
                  note=f"method {summary.method_version}")

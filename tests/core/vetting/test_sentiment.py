"""Sentiment labels, scores, routing and aggregation, with hand-checked numbers."""

from __future__ import annotations

import pytest

from kolscope.core.vetting.sentiment import (
    EMOJI_NEUTRAL_BAND,
    CommentSentiment,
    aggregate,
    label_rule,
    model_language,
    polarity,
    route,
    summarise,
)
from kolscope.errors import InvalidInput


def test_score_is_positive_minus_negative_probability() -> None:
    assert polarity(0.1, 0.2, 0.7) == ("positive", 0.6)
    assert polarity(0.7, 0.2, 0.1) == ("negative", -0.6)
    assert polarity(0.0, 0.0, 1.0) == ("positive", 1.0)
    assert polarity(1.0, 0.0, 0.0) == ("negative", -1.0)


def test_neutral_when_most_probable_or_inside_the_band() -> None:
    assert polarity(0.35, 0.4, 0.25) == ("neutral", -0.1)
    # two-class model: P(positive) 0.54 -> score 0.08, inside the 0.1 band
    assert polarity(0.46, 0.0, 0.54, neutral_band=0.1) == ("neutral", 0.08)
    assert polarity(0.44, 0.0, 0.56, neutral_band=0.1) == ("positive", 0.12)


def test_emoji_only_texts_are_labelled_by_their_score() -> None:
    # 🔥's ranking: 61% of its tweets neutral, score +0.14 -> positive by the score alone
    assert polarity(0.12, 0.61, 0.27, neutral_band=0.1) == ("neutral", 0.15)
    assert polarity(0.12, 0.61, 0.27, neutral_band=0.1, neutral_class=False) == (
        "positive", 0.15)
    assert polarity(0.30, 0.4, 0.30, neutral_band=0.1, neutral_class=False)[0] == "neutral"
    assert label_rule("🔥🔥", "en") == (EMOJI_NEUTRAL_BAND, False)
    assert label_rule("太好看了 😍", "zh") == (0.1, True)
    assert label_rule("great 👍", "en") == (0.0, True)


@pytest.mark.parametrize("probs", [(0.5, 0.5, 0.5), (-0.1, 0.6, 0.5), (1.2, 0.0, -0.2)])
def test_probabilities_are_checked(probs: tuple[float, float, float]) -> None:
    with pytest.raises(InvalidInput):
        polarity(*probs)


def test_routing_sends_chinese_to_the_chinese_model_and_the_rest_to_english() -> None:
    assert route("这款面霜真的很好用") == ("zh", "zh")
    assert route("This is the best serum for dry skin") == ("en", "en")
    assert route("😍😍") == (None, "en")
    assert model_language("es") == "en"
    assert route("赞") == ("zh", "zh")


def test_summary_counts_shares_mean_and_net() -> None:
    s = summarise([("positive", 0.8), ("positive", 0.4), ("neutral", 0.0), ("negative", -0.6)])
    assert s.comments == 4
    assert s.counts == {"negative": 1, "neutral": 1, "positive": 2}
    assert s.shares == {"negative": 0.25, "neutral": 0.25, "positive": 0.5}
    assert s.mean_score == pytest.approx(0.15)  # (0.8 + 0.4 + 0 - 0.6) / 4
    assert s.net == pytest.approx(0.25)  # 0.5 - 0.25
    assert s.method_version == "sentiment-2"


def test_empty_summary_has_no_mean() -> None:
    s = summarise([])
    assert s.comments == 0 and s.mean_score is None and s.net is None
    assert s.shares == {"negative": 0.0, "neutral": 0.0, "positive": 0.0}


def test_aggregate_per_post_account_and_campaign() -> None:
    rows = [CommentSentiment(post_id=1, account_id="a", campaign_id="c1", label="positive",
                             score=1.0),
            CommentSentiment(post_id=1, account_id="a", campaign_id="c1", label="negative",
                             score=-0.5),
            CommentSentiment(post_id=2, account_id="a", label="positive", score=0.5),
            CommentSentiment(post_id=3, account_id="b", campaign_id="c1", label="neutral",
                             score=0.0)]
    posts = aggregate(rows, by="post")
    assert {k: v.comments for k, v in posts.items()} == {1: 2, 2: 1, 3: 1}
    assert posts[1].mean_score == pytest.approx(0.25) and posts[1].net == 0.0
    accounts = aggregate(rows, by="account")
    assert accounts["a"].comments == 3
    assert accounts["a"].mean_score == pytest.approx(1.0 / 3)  # (1 - 0.5 + 0.5) / 3
    assert accounts["a"].net == pytest.approx(1.0 / 3)  # 2/3 - 1/3
    campaigns = aggregate(rows, by="campaign")
    assert list(campaigns) == ["c1"]  # the comment without a campaign is left out
    assert campaigns["c1"].counts == {"negative": 1, "neutral": 1, "positive": 1}


def test_aggregate_rejects_an_unknown_level() -> None:
    with pytest.raises(InvalidInput):
        aggregate([], by="country")  # type: ignore[arg-type]

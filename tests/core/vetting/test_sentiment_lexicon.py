"""Emoji valence and the phrase lexicon, with hand-checked numbers."""

from __future__ import annotations

import pytest

from kolscope.core.vetting.sentiment_lexicon import (
    NEGATION,
    NEUTRAL,
    UNIFORM,
    PhraseLexicon,
    blend,
    emoji_only,
    emoji_probabilities,
    emoji_units,
    read_phrases,
    social_adjust,
    strip_emoji,
    text_tokens,
)

LEX = PhraseLexicon({"好看": 2.0, "差": -2.0, "互关": 0.0, "什么": 0.0, "问题": -1.0},
                    {"太": 1.5}, frozenset({"不", "没"}), frozenset({"了", "吧", "的"}))
TABLE = {"😍": (0.1, 0.2, 0.7), "😡": (0.7, 0.2, 0.1)}


def test_emoji_are_found_without_their_modifiers() -> None:
    assert emoji_units("👍🏽 ❤️ 👨‍👩‍👧 ok") == ["👍", "❤", "👨", "👩", "👧"]
    assert emoji_units("no emoji :)") == []
    assert strip_emoji("so❤️good").split() == ["so", "good"]
    assert emoji_only("😍😍!!") and emoji_only(" 🔥 ")
    assert not emoji_only("太好看了 😍") and not emoji_only("") and not emoji_only("...")


def test_tokens_count_words_and_han_characters_by_two() -> None:
    assert text_tokens("love this 😍") == 2.0
    assert text_tokens("好看") == 1.0
    assert text_tokens("😍") == 0.0


def test_emoji_distribution_is_the_mean_with_unknown_emoji_uniform() -> None:
    assert emoji_probabilities([], TABLE) is None
    assert emoji_probabilities(["😍", "😍"], TABLE) == (0.1, 0.2, 0.7)
    mean = emoji_probabilities(["😍", "🫠"], TABLE)
    assert mean == pytest.approx(((0.1 + UNIFORM[0]) / 2, (0.2 + UNIFORM[1]) / 2,
                                  (0.7 + UNIFORM[2]) / 2))


def test_intensified_praise_is_positive_and_covers_the_text() -> None:
    r = read_phrases("太好看了吧", LEX)
    assert r.valence == pytest.approx(3.0) and r.coverage == 1.0
    p = r.probabilities()
    assert p is not None and p[2] > 0.8 and p[1] == 0.0
    assert read_phrases("太差了", LEX).valence == pytest.approx(-3.0)


def test_negation_flips_and_reaches_past_non_evaluative_terms() -> None:
    assert read_phrases("不好看", LEX).valence == pytest.approx(2.0 * NEGATION)
    assert read_phrases("没什么问题", LEX).valence == pytest.approx(-1.0 * NEGATION)
    # punctuation ends the negation's reach
    assert read_phrases("没，好看", LEX).valence == pytest.approx(2.0)


def test_non_evaluative_terms_alone_read_neutral_and_coverage_is_partial() -> None:
    r = read_phrases("互关", LEX)
    assert r.probabilities() == NEUTRAL and r.coverage == 1.0
    assert read_phrases("房间好看但是贵", LEX).coverage == pytest.approx(2 / 7)
    assert read_phrases("完全不知道", LEX).probabilities() is None


def test_social_adjust_mixes_by_coverage_then_by_emoji_share() -> None:
    model = (0.7, 0.0, 0.3)
    assert social_adjust("天气", model, emoji_table=TABLE, lexicon=LEX) == model
    assert social_adjust("😍", model, emoji_table=TABLE, lexicon=LEX) == TABLE["😍"]
    neutral = social_adjust("互关", model, emoji_table=TABLE, lexicon=LEX)
    assert neutral == NEUTRAL
    # one emoji beside two words: weight 1 / 3
    mixed = social_adjust("meh ok 😡", (0.0, 1.0, 0.0), emoji_table=TABLE)
    assert mixed == pytest.approx(blend((0.0, 1.0, 0.0), TABLE["😡"], 1 / 3))

"""Text signals: hashtags (incl. Weibo #topics#), @mentions and language identification."""

from __future__ import annotations

import pytest

from kolscope.core.text import LANGUAGE_METHOD_VERSION, detect_language, dominant_language, hashtags
from kolscope.core.text import mentions as find_mentions


def test_hashtags_in_order_without_duplicates_case_folded() -> None:
    assert hashtags("#Fashion and #fashion #OOTD") == ["fashion", "ootd"]


def test_hashtag_needs_a_word_boundary_before_it() -> None:
    assert hashtags("a#b") == []
    assert hashtags("a#b #c") == ["c"]
    assert hashtags("email#tag") == []


def test_html_entities_are_not_hashtags() -> None:
    assert hashtags("Tom&#39;s bag #x") == ["x"]


def test_hashtags_at_line_start_and_after_punctuation() -> None:
    assert hashtags("#first\n#second (#third) ,#fourth") == ["first", "second", "third", "fourth"]


def test_hashtags_stop_at_punctuation_and_keep_letters_of_any_script() -> None:
    assert hashtags("#ad. #café #über") == ["ad", "café", "über"]


def test_weibo_topics_between_two_hashes() -> None:
    assert hashtags("新品上市 #双十一# 快来") == ["双十一"]
    assert hashtags("#话题##另一个话题#") == ["话题", "另一个话题"]


def test_weibo_topic_and_plain_hashtag_are_not_counted_twice() -> None:
    # "#话题#" is read as the topic 话题; the trailing hash starts no second tag
    assert hashtags("#话题# and #ad") == ["话题", "ad"]


def test_no_hashtags() -> None:
    assert hashtags("") == []
    assert hashtags("just words # and a lone hash") == []


def test_mentions_case_folded_first_appearance_first() -> None:
    assert find_mentions("@Mia loves @mia and @Tom.") == ["mia", "tom"]


def test_mentions_keep_inner_dots_and_underscores() -> None:
    assert find_mentions("thanks @glow.with.mia and @_fan_one_") == ["glow.with.mia", "_fan_one_"]


def test_email_addresses_are_not_mentions() -> None:
    assert find_mentions("write to hello@brand.com") == []


def test_mention_in_brackets() -> None:
    assert find_mentions("(@paren) [@square]") == ["paren", "square"]


@pytest.mark.parametrize(("text", "language"), [
    ("This is the best serum for dry skin", "en"),
    ("My night routine with @lumiereskin serum #ad #skincare", "en"),
    ("Esta es la mejor crema para la piel seca", "es"),
    ("Adoro este produto para o meu cabelo", "pt"),
    ("Je suis dans le train avec mon chien", "fr"),
    ("Das ist die beste Creme für mich", "de"),
    ("这款面霜真的很好用", "zh"),
    ("这款耳机的降噪效果真的很好 #数码#", "zh"),
    ("今日はとても楽しかったです", "ja"),
    # kana outranks Han, so Japanese written mostly in kanji is still Japanese
    ("新しいカメラを買いました", "ja"),
    ("오늘은 정말 좋은 날이에요", "ko"),
    ("Привет, как дела у тебя", "ru"),
])
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", [
    "",
    "😍😍🔥",
    "hi",
    "Love it!",        # two words: too little to tell
    "好",              # one CJK character
    "123 456 789",
    "#ootd #fashion #style",  # hashtags and mentions are not read as text
    "@a @b @c",
])
def test_too_little_text_has_no_language(text: str) -> None:
    assert detect_language(text) is None


def test_latin_text_without_function_words_has_no_language() -> None:
    assert detect_language("Gorgeous glowy dewy skin vibes") is None


def test_cjk_wins_when_it_is_a_large_enough_share_of_letters() -> None:
    # 8 Han characters of 22 letters (5 + 5 + 8 + 4): 8 >= 0.3 * 22 = 6.6
    assert detect_language("Great serum 真的很好用很喜欢 this") == "zh"
    # 2 Han characters of 17 letters (3 + 2 + 2 + 4 + 3 + 3): 2 < 0.3 * 17 = 5.1, so the
    # English function words decide
    assert detect_language("The 真的 is best for you") == "en"


def test_dominant_language_is_the_most_common_known_one() -> None:
    # unknowns are left out: en has 2 of the 3 known, 2/3 >= 0.4
    assert dominant_language(["en", "en", "zh", None, None]) == "en"


def test_dominant_language_needs_min_share() -> None:
    # five different languages: the top one has 1/5 = 0.2 < 0.4
    assert dominant_language(["en", "zh", "es", "ja", "ko"]) is None
    # en has 2/5 = 0.4: enough at the default 0.4, not at 0.5
    votes = ["en", "zh", "es", "en", "ko"]
    assert dominant_language(votes) == "en"
    assert dominant_language(votes, min_share=0.5) is None


def test_dominant_language_of_nothing_known() -> None:
    assert dominant_language([]) is None
    assert dominant_language([None, None]) is None


def test_method_version() -> None:
    assert LANGUAGE_METHOD_VERSION == "language-1"


def test_latin_handles_and_tags_end_where_chinese_text_begins() -> None:
    # Chinese captions put no space after a mention or tag; a Latin handle cannot contain Han.
    assert find_mentions("感谢 @lumierelab的邀请 和 @小美 一起") == ["lumierelab", "小美"]
    assert hashtags("#ootd今天 #护肤") == ["ootd", "护肤"]


def test_a_trailing_dot_is_not_part_of_a_handle() -> None:
    assert find_mentions("thanks @a.b.") == ["a.b"]

"""Brand safety: keyword sets, matching in English and Chinese, flags and signals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kolscope.core.vetting.brand_safety import (
    BRAND_SAFETY_METHOD_VERSION,
    BUILTIN_SETS,
    SEVERITY,
    Category,
    KeywordSet,
    Matcher,
    PostFlag,
    brand_safety_signal,
    flag_posts,
    snippet,
    value_signals,
)
from kolscope.core.vetting.safety_lexicon import MAX_TERMS
from kolscope.core.vetting.signals import WARN_SEVERITY
from kolscope.errors import InvalidInput

BUILTIN = Matcher(BUILTIN_SETS)
AS_OF = datetime(2024, 6, 1, tzinfo=UTC)


def found(text: str, matcher: Matcher = BUILTIN) -> list[tuple[str, str]]:
    return [(m.category, m.matched) for m in matcher.find(text)]


def test_builtin_sets_cover_every_category_in_both_languages() -> None:
    assert BRAND_SAFETY_METHOD_VERSION == "brand-safety-1"
    names = {s.name for s in BUILTIN_SETS}
    assert names == {f"builtin:{c}:{lang}" for c in Category for lang in ("en", "zh")}
    assert all(s.kind == "safety" and len(s.terms) >= 15 for s in BUILTIN_SETS)
    assert SEVERITY[Category.HATE] == "high" and SEVERITY[Category.GAMBLING] == "medium"
    assert SEVERITY[Category.ALCOHOL] == "low" and set(SEVERITY) == set(Category)


@pytest.mark.parametrize(("text", "expected"), [
    ("Big night at the casino", [("gambling", "casino")]),
    ("#Gambling is not a plan", [("gambling", "Gambling")]),
    ("#sportsbetting tips", [("gambling", "sportsbetting")]),        # spaces optional in tags
    ("an online-casino bonus", [("gambling", "online-casino")]),
    ("GAMBLERS anonymous", [("gambling", "GAMBLERS")]),               # re:gambl[a-z]*
    ("red wine and a winery tour", [("alcohol", "red wine"), ("alcohol", "winery")]),
    ("Stop the gun violence", [("violence", "gun violence")]),
    ("He was shot dead", [("violence", "shot dead")]),
    ("what the f**k", [("profanity", "f**k")]),
    ("Bullshit.", [("profanity", "Bullshit")]),
    ("smoke weed every day", [("drugs", "smoke weed")]),              # longest term wins
    ("Vote! politics again", [("politics", "politics")]),
    ("Kill", [("violence", "Kill")]),                                 # at the very start
])
def test_english_terms_match_whole_words_case_insensitively(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "You are killing it!", "She killed it on stage", "dressed to kill", "killin’ it",
    "I bet you'll love this", "Photo shoot day, one shot", "high waisted jeans",
    "pot of gold, grass is green", "party time", "slay queen", "my glue gun and bath bomb",
    "Drunk Elephant serum, alcohol-free toner", "nude lipstick, sexy look",
    "Baccarat Rouge 540 is my scent", "poker face", "shitake risotto",
    "Maine Coon kitten", "Spic and Span cleaner", "my skincare regime", "Riot Games event",
    "cigarette pants outfit", "#foodporn", "the genetic lottery", "ski passes",
    "Scunthorpe United", "assessment class", "weeds in the garden", "Sex and the City",
    "a chink in the armour", "rifle paper notebook",
])
def test_common_false_positives_do_not_match(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("今晚去赌场", [("gambling", "赌场")]),
    ("网络赌博害人", [("gambling", "赌博")]),
    ("賭場", [("gambling", "賭場")]),                                  # traditional characters
    ("不要殺人", [("violence", "殺人")]),
    ("喝酒不开车", [("alcohol", "喝酒")]),
    ("他妈的", [("profanity", "他妈的")]),
    ("贩毒是重罪", [("drugs", "贩毒")]),
    ("买k粉", [("drugs", "k粉")]),
    ("推荐weed", [("drugs", "weed")]),                                 # Latin next to Chinese
])
def test_chinese_terms_match_as_substrings(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "别赌气了", "我跟你打赌", "秒杀价", "排毒养颜", "住酒店", "笑出酒窝", "跳楼价清仓",
    "去死皮凝胶", "我妈妈的生日", "暴力测试这款手机", "大麻籽油", "热量炸弹", "pink粉色",
    "酒红色口红",
])
def test_chinese_false_positives_do_not_match(text: str) -> None:
    assert found(text) == []


def test_exceptions_only_hide_the_matches_they_cover() -> None:
    assert found("killing it, then a killing") == [("violence", "killing")]
    matches = BUILTIN.find("killing it, then a killing")
    assert (matches[0].start, matches[0].end, matches[0].term) == (19, 26, "killing")
    assert found("跳楼价，有人跳楼") == [("violence", "跳楼")]


def test_a_workspace_set_with_regex_terms_and_exceptions() -> None:
    red = KeywordSet(name="no-fur", kind="red_line", category="animal welfare",
                     terms=("fur coat", "re:mink(?:s| coats?)?", "真皮草"),
                     exceptions=("faux fur coat",), language=None)
    matcher = Matcher([red])
    assert found("My new FUR COAT and minks", matcher) == [
        ("animal welfare", "FUR COAT"), ("animal welfare", "minks")]
    assert found("a faux fur coat", matcher) == []
    assert found("这件真皮草大衣", matcher) == [("animal welfare", "真皮草")]
    assert found("minky blanket", matcher) == []                       # regex on word bounds
    assert matcher.kinds == frozenset({"red_line"})


def test_kinds_are_scanned_apart_and_a_term_in_two_sets_counts_for_both() -> None:
    values = KeywordSet(name="green", kind="value", category="sustainability",
                        terms=("organic wine",))
    extra = KeywordSet(name="more", kind="safety", category="alcohol", terms=("wine",))
    matcher = Matcher([*BUILTIN_SETS, values, extra])
    got = sorted((m.set_name, m.matched) for m in matcher.find("organic wine"))
    assert got == [("builtin:alcohol:en", "wine"), ("green", "organic wine"), ("more", "wine")]


def test_flags_one_per_post_set_and_term_with_counts_and_snippets() -> None:
    posts = [(1, "casino, casino and more casino! Also beer."), (2, "Clean post"),
             (3, "赌场" + "很好玩" * 30)]
    flags = flag_posts(posts, BUILTIN)
    got = [(f.post_id, f.category, f.term, f.matches) for f in flags]
    assert got == [(1, "gambling", "casino", 3), (1, "alcohol", "beer", 1),
                   (3, "gambling", "赌场", 1)]
    assert flags[0].snippet == "casino, casino and more casino! Also beer."
    assert flags[2].snippet.startswith("赌场很好玩") and flags[2].snippet.endswith("…")
    assert len(flags[2].snippet) == 61


def test_snippet_keeps_the_match_and_marks_cuts() -> None:
    text = "x" * 100 + " wager " + "y" * 100
    s = snippet(text, 101, 106, width=20)
    assert "wager" in s and s.startswith("…") and s.endswith("…")
    assert len(s) == 22
    assert snippet("short\n text", 0, 5) == "short text"


@pytest.mark.parametrize(("data", "field"), [
    ({"name": " ", "kind": "value", "category": "x", "terms": ["a"]}, "name"),
    ({"name": "n", "kind": "other", "category": "x", "terms": ["a"]}, "kind"),
    ({"name": "n", "kind": "safety", "category": "sports", "terms": ["a"]}, "category"),
    ({"name": "n", "kind": "competitor", "category": "rivals", "terms": ["a"]}, "category"),
    ({"name": "n", "kind": "value", "category": "x", "terms": ["a"], "language": "fr"},
     "language"),
    ({"name": "n", "kind": "value", "category": "x", "terms": []}, "terms"),
    ({"name": "n", "kind": "value", "category": "x", "terms": "organic"}, "terms"),
    ({"name": "n", "kind": "value", "category": "x", "terms": ["a", "b", "c", " "]}, "terms.3"),
    ({"name": "n", "kind": "value", "category": "x", "terms": ["a", "b" * 101]}, "terms.1"),
    ({"name": "n", "kind": "value", "category": "x", "terms": ["a", "b", "c", "re:(oops"]},
     "terms.3"),
    ({"name": "n", "kind": "value", "category": "x", "terms": ["re:a*"]}, "terms.0"),
    ({"name": "n", "kind": "value", "category": "x", "terms": [r"re:(a)\1"]}, "terms.0"),
    ({"name": "n", "kind": "value", "category": "x", "terms": ["a"], "exceptions": ["re:["]},
     "exceptions.0"),
    ({"name": "n", "kind": "value", "category": "x", "terms": ["t"] * (MAX_TERMS + 1)},
     "terms"),
])
def test_invalid_keyword_sets_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        KeywordSet.model_validate(data)
    assert info.value.field == field


def test_two_sets_of_one_name_are_refused() -> None:
    s = KeywordSet(name="n", kind="value", category="x", terms=("a",))
    with pytest.raises(InvalidInput) as info:
        Matcher([s, s])
    assert info.value.field == "sets.1"


def flag(post_id: int, category: str, kind: str = "safety") -> PostFlag:
    return PostFlag.model_validate({"post_id": post_id, "set_name": f"set-{category}",
                                    "kind": kind, "category": category, "term": "t",
                                    "snippet": "s", "matches": 1})


def test_no_posts_is_unknown() -> None:
    s = brand_safety_signal([], posts_checked=0, data_as_of=None)
    assert (s.status, s.value, s.severity, s.sample_size) == ("unknown", None, 0.0, 0)


def test_clean_feed_is_ok() -> None:
    s = brand_safety_signal([flag(1, "sustainability", kind="value")], posts_checked=30,
                            data_as_of=AS_OF)
    assert (s.status, s.value, s.severity, s.display) == ("ok", 0.0, 0.0, "0 of 30 posts (0%)")
    assert s.data_as_of == AS_OF and s.group == "brand_safety" and s.key == "brand_safety"


@pytest.mark.parametrize(("flags", "checked", "status", "severity"), [
    # high: one post of 20 (5%) warns, halfway to the 10% fail share
    ([flag(1, "hate")], 20, "warn", WARN_SEVERITY + 0.75 * 0.5),
    ([flag(1, "adult")], 10, "fail", 1.0),                       # one post, but 10% of posts
    ([flag(1, "violence"), flag(2, "hate")], 100, "fail", 1.0),  # two posts
    ([flag(1, "hate"), flag(1, "adult")], 100, "warn", WARN_SEVERITY + 0.75 * 0.1),
    # medium: warn at 5%, fail at 20%
    ([flag(i, "gambling") for i in range(4)], 100, "ok", 0.0),
    ([flag(i, "gambling") for i in range(5)], 100, "warn", WARN_SEVERITY),
    ([flag(i, "drugs") for i in range(19)], 100, "warn", WARN_SEVERITY + 0.75 * 14 / 15),
    ([flag(i, "profanity") for i in range(20)], 100, "fail", 1.0),
    # low: warn at 20%, never fail, severity at most 0.5
    ([flag(i, "alcohol") for i in range(19)], 100, "ok", 0.0),
    ([flag(i, "alcohol") for i in range(20)], 100, "warn", WARN_SEVERITY),
    ([flag(i, "politics") for i in range(10)], 10, "warn", 0.5),
    # the worst level decides
    ([flag(1, "alcohol"), flag(2, "alcohol"), flag(3, "gambling")], 10, "warn", 0.5),
])
def test_thresholds_at_their_edges(flags: list[PostFlag], checked: int, status: str,
                                   severity: float) -> None:
    s = brand_safety_signal(flags, posts_checked=checked, data_as_of=None)
    assert s.status == status
    assert s.severity == pytest.approx(severity)
    assert s.value == pytest.approx(len({f.post_id for f in flags}) / checked)


def test_evidence_lists_the_most_severe_first() -> None:
    flags = [PostFlag(post_id=4, set_name="b", kind="safety", category="alcohol", term="beer",
                      snippet="cold beer", matches=1),
             PostFlag(post_id=9, set_name="h", kind="safety", category="hate", term="nazi",
                      snippet="a nazi salute", matches=2)]
    s = brand_safety_signal(flags, posts_checked=40, data_as_of=None)
    assert s.evidence == ["hate: nazi in post 9: a nazi salute",
                          "alcohol: beer in post 4: cold beer"]
    assert s.display == "2 of 40 posts (5%): hate 1, alcohol 1"


def test_more_flagged_posts_than_checked_is_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        brand_safety_signal([flag(1, "hate"), flag(2, "hate")], posts_checked=1, data_as_of=None)
    assert info.value.field == "posts_checked"


def test_red_lines_fail_on_any_post_and_values_warn_on_none() -> None:
    flags = [flag(3, "fur", kind="red_line"), flag(5, "sustainability", kind="value"),
             flag(6, "sustainability", kind="value"), flag(6, "vegan", kind="value")]
    red, values = value_signals(flags, posts_checked=10, data_as_of=AS_OF,
                                configured={"red_line", "value"})
    assert (red.key, red.group, red.status, red.severity, red.value) == (
        "red_lines", "values", "fail", 1.0, 0.1)
    assert red.evidence == ["fur: t in post 3: s"]
    assert (values.key, values.status, values.severity, values.value) == (
        "value_alignment", "ok", 0.0, 0.2)
    assert values.display == "2 of 10 posts (20%): sustainability 2, vegan 1"
    red, values = value_signals([], posts_checked=10, data_as_of=AS_OF,
                                configured={"red_line", "value"})
    assert (red.status, red.severity) == ("ok", 0.0)
    assert (values.status, values.severity, values.value) == ("warn", WARN_SEVERITY, 0.0)


def test_value_signals_are_unknown_without_sets_or_posts() -> None:
    red, values = value_signals([], posts_checked=10, data_as_of=None, configured=set())
    assert red.status == values.status == "unknown"
    assert "no red-line terms" in red.note and "no value terms" in values.note
    red, values = value_signals([], posts_checked=0, data_as_of=None,
                                configured={"red_line", "value"})
    assert red.status == values.status == "unknown"


def test_end_to_end_feed() -> None:
    values = KeywordSet(name="values", kind="value", category="sustainability",
                        terms=("organic", "可持续"))
    matcher = Matcher([*BUILTIN_SETS, values])
    posts = [(1, "Organic cotton tee"), (2, "周末去赌场玩"), (3, "Morning run"),
             (4, "可持续时尚"), (5, "Sunday brunch")]
    flags = flag_posts(posts, matcher)
    safety = brand_safety_signal(flags, posts_checked=5, data_as_of=None)
    assert (safety.status, safety.value) == ("fail", 0.2)              # gambling on 20%
    assert safety.evidence == ["gambling: 赌场 in post 2: 周末去赌场玩"]
    _, alignment = value_signals(flags, posts_checked=5, data_as_of=None,
                                 configured=matcher.kinds)
    assert (alignment.status, alignment.value) == ("ok", 0.4)

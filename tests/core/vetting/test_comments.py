"""Comment quality: generic, emoji-only and spam comments, duplicates and concentration."""

from __future__ import annotations

import pytest

from kolscope.core.vetting.comments import (
    COMMENT_QUALITY_METHOD_VERSION,
    LOW_QUALITY,
    CommentItem,
    comment_quality,
    comment_signals,
    core_text,
    duplicate_key,
    is_emoji_only,
    is_generic,
    is_spam,
)
from kolscope.errors import InvalidInput


def c(post: int, author: str, text: str) -> CommentItem:
    return CommentItem(post_id=post, author=author, text=text, created_at=None)


def test_version() -> None:
    assert COMMENT_QUALITY_METHOD_VERSION == "comments-1"


@pytest.mark.parametrize("text", [
    "Nice pic 🔥", "nice", "Great post!", "Love it 💕", "AMAZING", "so cute", "wow", "Beautiful",
    "awesome!!", "cool", "niiiice", "This is stunning", "好看", "好美", "赞", "赞赞赞", "支持一下",
    "沙发", "互关", "太好看了吧 😍", "来了来了", "666", "[赞]", "[心][心]", "nice 好看",
])
def test_generic(text: str) -> None:
    assert is_generic(text)


@pytest.mark.parametrize("text", [
    "Where did you get the serum?", "Great tip, thanks!", "Love your take on this",
    "学到了！", "干货满满，支持！", "哈哈哈", "😍😍😍", "@anna", "",
    "so so so so so so nice",  # seven words is no longer a one-liner
])
def test_not_generic(text: str) -> None:
    assert not is_generic(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("😍😍😍", True), ("🔥🔥", True), ("❤️ @mia", True), ("[赞][赞][赞]", True), ("!!! 👏", True),
    ("@anna", False), ("nice 😍", False), ("好看👍", False), ("", False),
])
def test_emoji_only(text: str, expected: bool) -> None:
    assert is_emoji_only(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Follow back?", True), ("follow me", True), ("f4f", True), ("Check out my page!", True),
    ("DM us for a collab 💰", True), ("dm for promo", True), ("free followers here", True),
    ("link in my bio", True), ("see https://x.example", True), ("加我", True), ("私信我", True),
    ("互关", True), ("看我主页", True), ("加v信", True), ("微信号123", True),
    ("I followed the recipe", False), ("好看", False), ("Nice pic", False),
])
def test_spam(text: str, expected: bool) -> None:
    assert is_spam(text) is expected


def test_normalisation() -> None:
    assert core_text("Nice pic 🔥 @mia!") == "nice pic"
    assert duplicate_key("Sooooo   GOOD 😍😍😍 @mia") == "soo good 😍😍"


def sample() -> list[CommentItem]:
    texts = ["Nice pic", "so cute", "好看", "太美了", "😍😍😍", "🔥🔥", "👏", "[赞][赞]",
             "follow back?", "看我主页"]
    texts += [f"Where did you buy item number {i}?" for i in range(10)]
    return [c(i % 5, f"fan{i}", t) for i, t in enumerate(texts)]


def test_shares_by_hand() -> None:
    q = comment_quality(sample())
    assert (q.comments, q.posts, q.authors) == (20, 5, 20)
    assert q.generic_share == 5 / 20  # four texts and the [赞] code
    assert q.emoji_only_share == 4 / 20  # three emoji strings and the code
    assert q.spam_share == 2 / 20
    assert q.low_quality_share == 10 / 20  # [赞][赞] counted once
    assert q.duplicate_share == 0.0
    assert q.examples["spam"] == ["follow back?", "看我主页"]
    low = comment_signals(q, data_as_of=None)[0]
    assert low.key == "low_quality_comments" and low.group == "comments"
    assert low.status == "ok" and LOW_QUALITY[0] == 0.55  # 50% is just under the warn edge
    more = [*sample(), c(0, "x1", "wow"), c(1, "x2", "好棒")]  # 12 / 22 = 54.5%
    assert comment_signals(comment_quality(more), data_as_of=None)[0].status == "ok"
    edge = [*more, c(2, "x3", "❤️"), c(3, "x4", "real question about the fit")]  # 13 / 24
    sig = comment_signals(comment_quality(edge), data_as_of=None)[0]
    assert (sig.status, sig.severity) == ("ok", 0.0)
    over = [*more, c(2, "x3", "❤️")]  # 13 / 23 = 56.5%
    sig = comment_signals(comment_quality(over), data_as_of=None)[0]
    assert sig.status == "warn" and sig.severity == pytest.approx(
        0.25 + 0.75 * (13 / 23 - 0.55) / 0.2)


def test_duplicates_across_authors_and_repeats() -> None:
    base = [c(i % 5, f"fan{i}", f"Honest question number {i} about sizes") for i in range(14)]
    copied = [c(0, "bot1", "Great content! Check my page 💯"),
              c(1, "bot2", "great  CONTENT! check my page 💯")]  # same after normalising
    repeats = [c(p, "regular", "Keep it up, love the colours") for p in (0, 1, 2)]
    short = [c(0, "a1", "Nice pic"), c(1, "a2", "Nice pic"), c(2, "a3", "nice pic")]
    q = comment_quality(base + copied + repeats + short)
    assert q.comments == 22
    assert q.duplicate_share == pytest.approx(5 / 22)  # 2 copies + 3 repeats; short praise no
    assert set(q.examples["duplicate"]) >= {"Great content! Check my page 💯"}
    sig = comment_signals(q, data_as_of=None)[1]
    assert sig.key == "duplicate_comments" and sig.status == "warn"
    twice = comment_quality(base + [c(p, "regular", "Keep it up, love the colours")
                                    for p in (0, 1)] + short + copied[:1] + short)
    assert twice.duplicate_share == 0.0  # one author twice, one copy only


def test_pod_concentration_by_hand() -> None:
    pod = [c(p, author, f"{author} on post {p}: thoughtful words") for p in range(5)
           for author in ("pod1", "pod2")]
    singles = [c(i % 5, f"fan{i}", f"first time here, comment {i}") for i in range(10)]
    q = comment_quality(pod + singles)
    assert (q.comments, q.authors, q.posts) == (20, 12, 5)
    assert q.top_commenter_share == pytest.approx(13 / 20)  # top 5: 5 + 5 + 1 + 1 + 1
    assert q.regulars_share == pytest.approx(10 / 20)  # on >= 3 of 5 posts
    assert q.hhi == pytest.approx(2 * 0.25 ** 2 + 10 * 0.05 ** 2)
    sig = comment_signals(q, data_as_of=None)[2]
    assert (sig.key, sig.status, sig.severity) == ("commenter_concentration", "fail", 1.0)
    assert sig.value == pytest.approx(0.5)


def test_ordinary_spread_is_ok_and_owner_left_out() -> None:
    items = [c(i % 6, f"fan{i}", f"question {i} about the recipe") for i in range(24)]
    items += [c(p, "Chef_Mia", "thank you all") for p in range(6)]
    q = comment_quality(items, owner="chef_mia")
    assert q.comments == 24 and q.regulars_share == 0.0
    assert q.top_commenter_share == pytest.approx(5 / 24)
    assert [s.status for s in comment_signals(q, data_as_of=None)] == ["ok", "ok", "ok"]
    with_owner = comment_quality(items)
    assert with_owner.regulars_share == pytest.approx(6 / 30)


def test_unknown_below_minimum_samples() -> None:
    nineteen = [c(i % 5, f"fan{i}", "Nice pic") for i in range(19)]
    assert [s.status for s in comment_signals(comment_quality(nineteen), data_as_of=None)] == [
        "unknown"] * 3
    four_posts = [c(i % 4, f"fan{i}", "Nice pic") for i in range(20)]
    statuses = [s.status for s in comment_signals(comment_quality(four_posts), data_as_of=None)]
    assert statuses == ["fail", "ok", "unknown"]


def test_no_comments_and_bad_author() -> None:
    q = comment_quality([])
    assert q.comments == 0 and q.low_quality_share is None and q.hhi is None
    assert all(s.status == "unknown" for s in comment_signals(q, data_as_of=None))
    with pytest.raises(InvalidInput):
        comment_quality([c(0, " ", "hi")])

"""Comment quality: are an account's comments written by an engaged audience?

One versioned method (``docs/methods/engagement-authenticity.md``). Over the comments carried on
an account's posts it measures low-effort comments (generic praise, emoji only, spam), copy-pasted
comments, and how concentrated commenting is in a few authors (pods, regulars), in English and
Chinese, and turns them into three signals: ``low_quality_comments``, ``duplicate_comments`` and
``commenter_concentration``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from kolscope.core.vetting.signals import Signal, graded, unknown
from kolscope.errors import InvalidInput

COMMENT_QUALITY_METHOD_VERSION = "comments-1"

MIN_COMMENTS = 20
MIN_POSTS_CONCENTRATION = 5
LOW_QUALITY = (0.55, 0.75)  # warn, fail: share of generic, emoji-only or spam comments
DUPLICATES = (0.15, 0.3)  # warn, fail: share of copy-pasted comments
REGULARS = (0.3, 0.5)  # warn, fail: share of comments by authors on half the posts or more
TOP_SHARE = (0.6, 0.8)  # warn, fail: share of comments by the top 10% (at least 5) authors
REGULAR_POST_SHARE, REGULAR_MIN_POSTS = 0.5, 3
SAME_AUTHOR_POSTS = 3  # one author, one text, on this many posts: a copy-paster
DUPLICATE_MIN_WEIGHT = 10  # letters (a CJK character weighs 2) a cross-author duplicate needs
MAX_GENERIC_WORDS = 6
EXAMPLES = 3

_MENTION = re.compile(r"@[\w.]+")
_CODE = re.compile(r"\[([^\[\]\s]{1,8})\]")  # Weibo / Douyin emoticon codes: [赞] [good]
_CJK_CHAR = "\u3400-\u4dbf\u4e00-\u9fff"
_TOKEN = re.compile(f"[{_CJK_CHAR}]+|[^\\s{_CJK_CHAR}]+")
_REPEATS = re.compile(r"(.)\1+")
_ELONGATION = re.compile(r"(.)\1{2,}")
_SPACE = re.compile(r"\s+")

# Generic praise: a comment whose every word is one of these (at least one praise word), or whose
# Chinese text is made up entirely of these units (at least one that is not filler).
EN_PRAISE = frozenset(
    "nice great love loved loving lovely amazing awesome beautiful beauty gorgeous stunning cute "
    "cool wow omg perfect pretty fab fabulous fantastic excellent super good best fire lit dope "
    "sweet goals yes yay wonderful incredible brilliant adorable queen slay bravo congrats like "
    "6".split())
EN_FILLER = frozenset(
    "so very really this that it is its the a an such what my you your look looks looking and "
    "too just pic pics picture photo shot post content one oh ah u ur girl babe dear man bro "
    "dude all of".split())
ZH_PRAISE = frozenset(
    "好看 好美 好棒 好帅 好可爱 可爱 漂亮 美 帅 棒 赞 点赞 支持 沙发 前排 互关 互粉 "
    "回关 喜欢 爱了 爱 绝了 绝绝子 哇 哇塞 顶 牛 厉害 冲 打卡 来了 美哭 羡慕 美美哒 6".split())
ZH_FILLER = frozenset(
    "真 太 好 很 超 了 啊 呀 哦 的 吧 呢 哈 嘛 啦 哒 一下 必须 大大 博主 姐姐 宝 这 个".split())
PRAISE_CODES = frozenset("赞 心 good 强 鼓掌 爱你 给力 色 酷 ok 哇 棒".split())
# Spam or off-topic: self-promotion, follow-for-follow, contact details and links.
SPAM = re.compile(
    r"\bfollow ?(me|back|for ?follow|4 ?follow)\b|\b(f4f|l4l|s4s|sub4sub)\b"
    r"|\bcheck (out )?(my|our) (page|profile|account|bio|feed|ig|insta|channel)\b"
    r"|\b(dm|message|inbox) (me |us )?(for|to) (a )?(collab|collaboration|promo|promotion|"
    r"feature|shoutout|partnership)\b|\bpromo(tion)?\b|\bfree (followers|likes)\b"
    r"|\b(get|gain|buy) (real |more |free )?(followers|likes)\b|\blink in (my |the )?bio\b"
    r"|\bvisit my (page|profile)\b|\bclick (the )?link\b|\b(whatsapp|telegram)\b"
    r"|https?://|www\.|加我|私信|私我|互关|互粉|回关|看我主页|来我主页|主页有|v信|薇信|微信号|加v|加微"
    r"|\bvx\b|兼职|赚钱|刷粉|涨粉|求关注|关注我|代购")


def _squash(word: str) -> str:
    """Runs of one character cut to one, so that ``niiice`` and ``赞赞赞`` match their word."""
    return _REPEATS.sub(r"\1", word)


_EN_PRAISE, _EN_FILLER = {_squash(w) for w in EN_PRAISE}, {_squash(w) for w in EN_FILLER}


class CommentItem(BaseModel):
    """One comment on one of the account's posts."""

    model_config = ConfigDict(frozen=True)

    post_id: int
    author: str
    text: str
    created_at: datetime | None


class CommentQuality(BaseModel):
    """How an account's comments measure up; shares are of all comments (``None`` without any)."""

    model_config = ConfigDict(frozen=True)

    method_version: str = COMMENT_QUALITY_METHOD_VERSION
    comments: int
    posts: int
    authors: int
    generic_share: float | None
    emoji_only_share: float | None
    spam_share: float | None
    low_quality_share: float | None
    duplicate_share: float | None
    top_commenter_share: float | None
    regulars_share: float | None
    hhi: float | None
    examples: dict[str, list[str]]


def _clean(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def core_text(text: str) -> str:
    """The words of a comment: no @mentions, emoticon codes, emoji or punctuation, lower case.

    Examples
    --------
    >>> core_text("Nice pic 🔥 @mia!")
    'nice pic'
    >>> core_text("[赞][赞] 好看！")
    '好看'
    """
    stripped = _CODE.sub(" ", _MENTION.sub(" ", _clean(text)))
    kept = "".join(ch if ch.isalnum() else " " for ch in stripped)
    return _SPACE.sub(" ", kept).strip()


def _covered(run: str) -> bool:
    """Whether a Chinese run splits into generic units, at least one of them praise."""
    run = _squash(run)
    units = ZH_PRAISE | ZH_FILLER
    # reach[i]: the run's first i characters split into units; praise[i]: with a praise unit.
    reach, praise = [True] + [False] * len(run), [False] * (len(run) + 1)
    for end in range(1, len(run) + 1):
        for size in range(1, min(4, end) + 1):
            unit = run[end - size:end]
            if reach[end - size] and unit in units:
                reach[end] = True
                praise[end] = praise[end] or praise[end - size] or unit in ZH_PRAISE
    return reach[-1] and praise[-1]


def is_generic(text: str) -> bool:
    """Low-effort praise ("Nice pic", "so cute", "太好看了吧", "[赞]"), whatever the emoji."""
    core = core_text(text)
    if not core:
        return any(code in PRAISE_CODES for code in _CODE.findall(_clean(text)))
    tokens = _TOKEN.findall(core)
    words = [_squash(t) for t in tokens if not re.match(f"[{_CJK_CHAR}]", t)]
    if len(words) > MAX_GENERIC_WORDS or any(w not in _EN_PRAISE | _EN_FILLER for w in words):
        return False
    runs = [t for t in tokens if re.match(f"[{_CJK_CHAR}]", t)]
    if not all(_covered(run) for run in runs):
        return False
    return bool(runs) or any(w in _EN_PRAISE for w in words)


def is_emoji_only(text: str) -> bool:
    """No words left once mentions, emoticon codes, emoji and punctuation are removed, and at
    least one emoji or code was there (a bare @mention is a tag, not an emoji comment)."""
    cleaned = _clean(text)
    if core_text(text):
        return False
    return bool(_CODE.search(cleaned)) or any(
        unicodedata.category(ch) == "So" for ch in _MENTION.sub("", cleaned))


def is_spam(text: str) -> bool:
    """Self-promotion, follow-for-follow, contact details or links ("follow back?", "看我主页")."""
    return bool(SPAM.search(_clean(text)))


def duplicate_key(text: str) -> str:
    """A comment's text for copy-paste detection: lower case, spaces collapsed, mentions removed,
    elongations cut to two characters, emoji kept."""
    return _ELONGATION.sub(r"\1\1", _MENTION.sub("", _clean(text))).strip()


def _weight(text: str) -> int:
    return sum(2 if re.match(f"[{_CJK_CHAR}]", ch) else 1 for ch in core_text(text)
               if not ch.isspace())


def _duplicates(comments: Sequence[CommentItem], short: set[int]) -> set[int]:
    """Indices of copy-pasted comments: a text that is not short praise or emoji only, and
    long enough, by two or more authors; or one author's same text on
    :data:`SAME_AUTHOR_POSTS` posts or more."""
    by_text: dict[str, list[int]] = defaultdict(list)
    by_author: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(comments):
        key = duplicate_key(c.text)
        if key:
            by_author[c.author, key].append(i)
            if i not in short and _weight(c.text) >= DUPLICATE_MIN_WEIGHT:
                by_text[key].append(i)
    found = {i for group in by_text.values()
             if len({comments[i].author for i in group}) >= 2 for i in group}
    found |= {i for group in by_author.values()
              if len({comments[i].post_id for i in group}) >= SAME_AUTHOR_POSTS for i in group}
    return found


def _concentration(comments: Sequence[CommentItem], posts: int
                   ) -> tuple[float, float, float]:
    """Top-commenter share, regulars' share and HHI of comments by author."""
    counts = Counter(c.author for c in comments)
    total = len(comments)
    top = max(5, math.ceil(0.1 * len(counts)))
    top_share = sum(n for _, n in counts.most_common(top)) / total
    on_posts: dict[str, set[int]] = defaultdict(set)
    for c in comments:
        on_posts[c.author].add(c.post_id)
    needed = max(REGULAR_MIN_POSTS, math.ceil(REGULAR_POST_SHARE * posts))
    regulars = sum(counts[a] for a, ids in on_posts.items() if len(ids) >= needed)
    return top_share, regulars / total, sum((n / total) ** 2 for n in counts.values())


def comment_quality(comments: Sequence[CommentItem], *, owner: str | None = None
                    ) -> CommentQuality:
    """Measure the comments on an account's posts.

    Parameters
    ----------
    comments
        The comments carried on the account's posts, any order.
    owner
        The account's own handle; its comments (replies to fans) are left out. Compared
        case-insensitively.
    """
    if owner is not None:
        comments = [c for c in comments if c.author.casefold() != owner.casefold()]
    if any(not c.author.strip() for c in comments):
        raise InvalidInput("every comment needs an author", field="author")
    kinds = {"generic": is_generic, "emoji_only": is_emoji_only, "spam": is_spam}
    flagged = {kind: {i for i, c in enumerate(comments) if test(c.text)}
               for kind, test in kinds.items()}
    low = set().union(*flagged.values())
    # Spam stays eligible: copy-pasted self-promotion is what the duplicate rule is for.
    flagged["duplicate"] = _duplicates(comments, flagged["generic"] | flagged["emoji_only"])
    examples = {kind: list(dict.fromkeys(comments[i].text for i in sorted(found)))[:EXAMPLES]
                for kind, found in flagged.items()}
    n, posts = len(comments), len({c.post_id for c in comments})
    if not n:
        return CommentQuality(comments=0, posts=0, authors=0, generic_share=None,
                              emoji_only_share=None, spam_share=None, low_quality_share=None,
                              duplicate_share=None, top_commenter_share=None,
                              regulars_share=None, hhi=None, examples=examples)
    top, regulars, hhi = _concentration(comments, posts)
    return CommentQuality(
        comments=n, posts=posts, authors=len({c.author for c in comments}),
        generic_share=len(flagged["generic"]) / n, emoji_only_share=len(flagged["emoji_only"]) / n,
        spam_share=len(flagged["spam"]) / n, low_quality_share=len(low) / n,
        duplicate_share=len(flagged["duplicate"]) / n, top_commenter_share=top,
        regulars_share=regulars, hhi=hhi, examples=examples)


def _share_signal(key: str, label: str, value: float | None, limits: tuple[float, float],
                  q: CommentQuality, data_as_of: datetime | None, evidence: list[str],
                  ) -> Signal:
    threshold = f"warn at {limits[0]:.0%} of comments, fail at {limits[1]:.0%}"
    if q.comments < MIN_COMMENTS or value is None:
        return unknown(key, "comments", label, threshold=threshold, sample_size=q.comments,
                       note=f"needs at least {MIN_COMMENTS} comments")
    status, severity = graded(value, warn=limits[0], fail=limits[1])
    return Signal(key=key, group="comments", label=label, value=value,
                  display=f"{value:.0%} of {q.comments} comments", threshold=threshold,
                  status=status, severity=severity, sample_size=q.comments,
                  data_as_of=data_as_of, evidence=evidence)


def _concentration_signal(q: CommentQuality, data_as_of: datetime | None) -> Signal:
    key, label = "commenter_concentration", "Comments concentrated in a few regular authors"
    threshold = (f"regulars' share warn at {REGULARS[0]:.0%} (fail {REGULARS[1]:.0%}); "
                 f"top commenters' share warn at {TOP_SHARE[0]:.0%} (fail {TOP_SHARE[1]:.0%})")
    if (q.comments < MIN_COMMENTS or q.posts < MIN_POSTS_CONCENTRATION
            or q.regulars_share is None or q.top_commenter_share is None):
        return unknown(key, "comments", label, threshold=threshold, sample_size=q.comments,
                       note=f"needs {MIN_COMMENTS} comments on {MIN_POSTS_CONCENTRATION} posts")
    status, severity = max(graded(q.regulars_share, warn=REGULARS[0], fail=REGULARS[1]),
                           graded(q.top_commenter_share, warn=TOP_SHARE[0], fail=TOP_SHARE[1]),
                           key=lambda g: g[1])
    return Signal(key=key, group="comments", label=label, value=q.regulars_share,
                  display=f"regulars {q.regulars_share:.0%}, top commenters "
                          f"{q.top_commenter_share:.0%}, HHI {q.hhi or 0:.3f}",
                  threshold=threshold, status=status, severity=severity, sample_size=q.comments,
                  data_as_of=data_as_of,
                  note=f"{q.authors} authors on {q.posts} posts; regulars comment on half the "
                       "posts or more")


def comment_signals(quality: CommentQuality, *, data_as_of: datetime | None) -> list[Signal]:
    """The three comment signals: low quality, duplicates and concentration."""
    ex = quality.examples
    low_examples = [f"{kind}: {text}" for kind in ("generic", "emoji_only", "spam")
                    for text in ex.get(kind, [])]
    return [
        _share_signal("low_quality_comments", "Generic, emoji-only or spam comments",
                      quality.low_quality_share, LOW_QUALITY, quality, data_as_of, low_examples),
        _share_signal("duplicate_comments", "Copy-pasted comments", quality.duplicate_share,
                      DUPLICATES, quality, data_as_of, list(ex.get("duplicate", []))),
        _concentration_signal(quality, data_as_of),
    ]

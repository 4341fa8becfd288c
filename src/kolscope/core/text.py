"""Text signals shared by every score: hashtags, @mentions and the language of a text.

Language identification is deliberately simple and offline: Unicode script decides CJK, Korean,
Cyrillic, Arabic and the rest; Latin-script text is told apart by common function words. The method
is documented in ``docs/methods/language.md``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

LANGUAGE_METHOD_VERSION = "language-1"

# Chinese text runs on without spaces ("新品#广告"), so a Han character may precede a tag.
_HASHTAG = re.compile(r"(?:^|(?<=[^\w&])|(?<=[\u3400-\u9fff]))#(\w+)", re.UNICODE)
# Weibo-style topics are wrapped in a pair of hashes: #话题#
_TOPIC = re.compile(r"#([^#\s]{1,40})#")
_MENTION = re.compile(r"(?:^|(?<=[^\w.]))@([\w](?:[\w.]{0,28}[\w])?)", re.UNICODE)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _own_script(token: str) -> str:
    """A Latin-script tag or handle ends where CJK text begins (``@mia的邀请`` names ``mia``);
    one that starts in CJK runs on, as Chinese captions write no space after it."""
    cjk = _CJK.search(token)
    return token[: cjk.start()] if cjk and cjk.start() > 0 else token


def hashtags(text: str) -> list[str]:
    """Hashtags in ``text``, case-folded, in order of first appearance, without duplicates."""
    found = [m.casefold() for m in _TOPIC.findall(text)]
    found += [_own_script(m).casefold() for m in _HASHTAG.findall(text)]
    return list(dict.fromkeys(found))


def mentions(text: str) -> list[str]:
    """``@handles`` mentioned in ``text``, case-folded, first appearance first, no duplicates."""
    found = (_own_script(m).rstrip(".").casefold() for m in _MENTION.findall(text))
    return list(dict.fromkeys(m for m in found if m))


# Script -> language, in priority order: kana outranks Han, since Japanese mixes both.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (lang, re.compile(f"[{ranges}]")) for lang, ranges in (
        ("ja", "\u3040-\u30ff"),
        ("ko", "\uac00-\ud7af\u1100-\u11ff"),
        ("zh", "\u4e00-\u9fff\u3400-\u4dbf"),
        ("ru", "\u0400-\u04ff"),
        ("ar", "\u0600-\u06ff"),
        ("th", "\u0e00-\u0e7f"),
        ("hi", "\u0900-\u097f"),
        ("he", "\u0590-\u05ff"),
        ("el", "\u0370-\u03ff"),
    ))
# Long captions say their language early; the cap keeps the cost per text bounded.
_MAX_CHARS = 600
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and is are you your for with this that to of in on my it we be"
                    " so".split()),
    "es": frozenset("el la los las que de y en es por para con una un mi su del muy".split()),
    "pt": frozenset("o a os as que de e em um uma para com não nao meu minha do da muito".split()),
    "fr": frozenset("le la les et est un une des du pour avec mon ma je dans pas sur".split()),
    "de": frozenset("der die das und ist ein eine ich mit für nicht auf auch zu mein".split()),
    "it": frozenset("il lo la gli le che di e un una per con non sono mio mia".split()),
    "id": frozenset("dan yang di ini itu dengan untuk ada aku kamu saya tidak".split()),
    "nl": frozenset("de het een en van is ik je met voor niet op zijn".split()),
    "tr": frozenset("ve bir bu da de çok için ile ben sen ne".split()),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str | None:
    """Best guess of the ISO 639-1 language of ``text``, or ``None`` when there is too little text.

    Examples
    --------
    >>> detect_language("这款面霜真的很好用")
    'zh'
    >>> detect_language("This is the best serum for dry skin")
    'en'
    """
    cleaned = _MENTION.sub(" ", _HASHTAG.sub(" ", text[:_MAX_CHARS]))
    letters = sum(char.isalpha() for char in cleaned)
    counts = {lang: len(pattern.findall(cleaned)) for lang, pattern in _SCRIPTS}
    if counts["ja"] and counts["zh"]:
        counts["ja"] += counts["zh"]
    lang, n = max(counts.items(), key=lambda item: item[1])
    if n >= 2 and n >= 0.3 * letters:
        return lang
    words = [w.casefold() for w in _WORD.findall(cleaned)]
    if len(words) < 3:
        return None
    scores = {lang: sum(w in stops for w in words) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 1 else None


def dominant_language(languages: Iterable[str | None], *, min_share: float = 0.4) -> str | None:
    """The language most texts are in, given each text's detected language, if it covers at least
    ``min_share`` of those whose language is known."""
    votes = Counter(lang for lang in languages if lang)
    total = sum(votes.values())
    if not total:
        return None
    lang, n = votes.most_common(1)[0]
    return lang if n / total >= min_share else None

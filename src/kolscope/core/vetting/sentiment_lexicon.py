"""Prior knowledge beside the learned sentiment models: emoji valence and a phrase lexicon.

Both learned models of ``docs/methods/sentiment.md`` were fitted on text without social-media
vocabulary: the English one on TweetEval tweets, whose emoji were stripped, the Chinese one on
product reviews, where ``太…了`` is a complaint (``太差了``) and greetings or questions do not
occur. Social comments are short and full of exactly that. This module holds the pure half of two
corrections, applied to the models' class probabilities (``social_adjust``):

* **Emoji** (both languages): each emoji's distribution over negative, neutral and positive, as
  a table the adapter loads (the Emoji Sentiment Ranking), averaged over a text's emoji and
  mixed in by the emoji's share of the text's tokens; an emoji-only text is read from its emoji
  alone.
* **Phrases** (the Chinese route): a small lexicon of evaluative, intensifying, negating and
  non-evaluative (greeting, request, question) phrases read VADER-style; its reading is mixed in
  by the share of the text's characters it accounts for, so it decides short comments and leaves
  long reviews to the model.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

Probs = tuple[float, float, float]  # P(negative), P(neutral), P(positive)

UNIFORM: Probs = (1 / 3, 1 / 3, 1 / 3)  # Laplace estimate of an emoji nobody has counted
NEUTRAL: Probs = (0.0, 1.0, 0.0)
NEGATION = -0.74  # VADER's factor for a negated valence (Hutto and Gilbert 2014)
ALPHA = 4.0  # VADER-style normalisation S / sqrt(S^2 + ALPHA), for valences of about +-2
TERM, MODIFIER, NEGATOR, FILLER = range(4)  # roles of a phrase in a PhraseLexicon

_EMOJI = re.compile("[\U0001F000-\U0001F3FA\U0001F400-\U0001FAFF\u2600-\u27BF\u2300-\u23FF"
                    "\u2B00-\u2BFF\u3030\u303D\u3297\u3299]")
_MODIFIER = re.compile("[\U0001F3FB-\U0001F3FF\uFE0E\uFE0F\u200D\u20E3]")
_LATIN_WORD = re.compile(r"[^\W\u3400-\u9fff_]+")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_MENTION = re.compile(r"@\S+")
_SPACES = re.compile(r"\s+")


def emoji_units(text: str) -> list[str]:
    """The emoji of ``text``, one per pictograph (skin tones, ZWJ and variation selectors dropped).

    Examples
    --------
    >>> emoji_units("nice 👍🏽❤️ 🔥🔥")
    ['👍', '❤', '🔥', '🔥']
    """
    return _EMOJI.findall(text)


def strip_emoji(text: str) -> str:
    """``text`` with emoji and their modifiers replaced by spaces, so that words stay apart.

    Examples
    --------
    >>> strip_emoji("love😍it").split()
    ['love', 'it']
    """
    return _MODIFIER.sub("", _EMOJI.sub(" ", text))


def text_tokens(text: str) -> float:
    """How many words ``text`` has besides its emoji: Latin-script words plus Han characters / 2.

    Two Han characters count as one word, about the mean length of a Chinese word, so that the
    emoji share means the same in both languages.

    Examples
    --------
    >>> text_tokens("so pretty 😍"), text_tokens("太好看了 😍")
    (2.0, 2.0)
    """
    rest = strip_emoji(text)
    return len(_LATIN_WORD.findall(rest)) + len(_HAN.findall(rest)) / 2


def emoji_only(text: str) -> bool:
    """Whether ``text`` is nothing but emoji, punctuation and spaces (and has an emoji).

    Examples
    --------
    >>> emoji_only("🔥🔥!"), emoji_only("ok 👍"), emoji_only("!!")
    (True, False, False)
    """
    return bool(_EMOJI.search(text)) and not any(c.isalnum() for c in strip_emoji(text))


def blend(p: Probs, q: Probs, weight: float) -> Probs:
    """``(1 - weight) * p + weight * q``, a mixture of two class distributions.

    Examples
    --------
    >>> blend((1.0, 0.0, 0.0), (0.0, 0.0, 1.0), 0.25)
    (0.75, 0.0, 0.25)
    """
    w = min(1.0, max(0.0, weight))
    return ((1 - w) * p[0] + w * q[0], (1 - w) * p[1] + w * q[1], (1 - w) * p[2] + w * q[2])


def emoji_probabilities(units: list[str], table: Mapping[str, Probs]) -> Probs | None:
    """Mean class distribution of the emoji ``units`` (unknown emoji: uniform); ``None`` if none.

    Examples
    --------
    >>> emoji_probabilities(["x", "y"], {"x": (0.0, 0.0, 1.0)})
    (0.16666666666666666, 0.16666666666666666, 0.6666666666666666)
    """
    if not units:
        return None
    rows = [table.get(u, UNIFORM) for u in units]
    n = len(rows)
    return (sum(r[0] for r in rows) / n, sum(r[1] for r in rows) / n,
            sum(r[2] for r in rows) / n)


@dataclass(frozen=True)
class PhraseLexicon:
    """Phrases and their roles, for :func:`read_phrases`.

    Parameters
    ----------
    terms
        Phrase -> valence (about -2 to +2); valence 0 marks a non-evaluative phrase (greeting,
        request, question) that says the comment is neutral when nothing evaluative is found.
    modifiers
        Intensifiers (``太``, ``超``) -> factor applied to the next term's valence.
    negators
        Phrases that flip the next term (``不``, ``一点都不``), by :data:`NEGATION`.
    fillers
        Particles and function words (``了``, ``吧``, ``的``) that count neither way.
    """

    terms: Mapping[str, float]
    modifiers: Mapping[str, float] = field(default_factory=dict)
    negators: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()

    @cached_property
    def roles(self) -> dict[str, tuple[int, float]]:
        """Phrase -> (role, value), one table for the scan; a term wins over other roles."""
        roles = dict.fromkeys(self.fillers, (FILLER, 0.0))
        roles |= dict.fromkeys(self.negators, (NEGATOR, NEGATION))
        roles |= {m: (MODIFIER, f) for m, f in self.modifiers.items()}
        return roles | {t: (TERM, v) for t, v in self.terms.items()}

    @cached_property
    def longest(self) -> int:
        """Length of the longest phrase of any role (the scan's look-ahead)."""
        return max(map(len, [*self.roles, "x"]))


@dataclass(frozen=True)
class PhraseReading:
    """What the lexicon found in a text: summed valence, whether any term matched, coverage."""

    valence: float
    matched: bool
    polar: bool
    coverage: float

    def probabilities(self) -> Probs | None:
        """Class distribution of the reading, ``None`` when no term matched.

        Non-evaluative terms alone make it neutral; evaluative ones give a two-class reading
        like the Chinese model's, ``P(positive) = (1 + c) / 2`` of the normalised valence
        ``c = S / sqrt(S^2 + ALPHA)``, so that opposite terms cancel to undecided, not neutral.

        Examples
        --------
        >>> [round(p, 3) for p in PhraseReading(2.0, True, True, 1.0).probabilities()]
        [0.146, 0.0, 0.854]
        """
        if not self.matched:
            return None
        if not self.polar:
            return NEUTRAL
        c = self.valence / math.sqrt(self.valence ** 2 + ALPHA)
        return ((1.0 - c) / 2, 0.0, (1.0 + c) / 2)


def _match(text: str, i: int, roles: Mapping[str, tuple[int, float]], longest: int
           ) -> tuple[int, int, float] | None:
    """(length, role, value) of the longest phrase at ``text[i:]``, if any."""
    for n in range(min(longest, len(text) - i), 0, -1):
        if (found := roles.get(text[i:i + n])) is not None:
            return n, found[0], found[1]
    return None


def normalise(text: str) -> str:
    """NFKC, case folded, @mentions, emoji and spaces removed: what :func:`read_phrases` scans.

    Examples
    --------
    >>> normalise("@小美 ＹＹＤＳ 😍")
    'yyds'
    """
    text = _MENTION.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    return _SPACES.sub("", strip_emoji(text))


def read_phrases(text: str, lexicon: PhraseLexicon) -> PhraseReading:
    """Scan ``text`` left to right, longest phrase first, VADER-style.

    A term takes the factors of the modifiers and negators right before it (fillers and
    non-evaluative terms may stand between; punctuation or an unknown word ends their reach).
    Coverage is the share of the letters and Han characters, fillers left out, that belong to a
    term or to its modifiers and negators.

    Examples
    --------
    >>> lex = PhraseLexicon({"好看": 2.0, "互关": 0.0}, {"太": 1.3}, frozenset({"不"}),
    ...                     frozenset({"了", "吧"}))
    >>> r = read_phrases("太好看了吧", lex)
    >>> round(r.valence, 2), r.coverage
    (2.6, 1.0)
    >>> read_phrases("不好看", lex).valence < 0, read_phrases("互关", lex).probabilities()
    (True, (0.0, 1.0, 0.0))
    """
    s, roles, longest = normalise(text), lexicon.roles, lexicon.longest
    i, covered, uncovered, pending, factor = 0, 0, 0, 0, 1.0
    valence, matched, polar = 0.0, False, False
    while i < len(s):
        found = _match(s, i, roles, longest)
        if found is None:  # a word the lexicon does not know, or punctuation, ends the reach
            uncovered, pending, factor, i = uncovered + pending + s[i].isalnum(), 0, 1.0, i + 1
            continue
        n, role, value = found
        i += n
        if role == TERM:
            v = value * factor
            valence, matched, polar = valence + v, True, polar or v != 0.0
            covered, pending = covered + pending + n, 0
            factor = factor if v == 0.0 else 1.0  # 没什么问题: the negation reaches 问题
        elif role != FILLER:
            factor, pending = factor * value, pending + n
    total = covered + uncovered + pending
    return PhraseReading(valence, matched, polar, covered / total if total else 0.0)


def social_adjust(text: str, model: Probs, *, emoji_table: Mapping[str, Probs],
                  lexicon: PhraseLexicon | None = None) -> Probs:
    """The model's class distribution for ``text`` corrected by the phrase lexicon and emoji.

    First the lexicon's reading is mixed in by its coverage (Chinese route only: ``lexicon``
    given), then the emoji distribution by the emoji's share of tokens, ``e / (e + words)``; an
    emoji-only text therefore gets its emoji's distribution.

    Examples
    --------
    >>> table = {"😍": (0.05, 0.22, 0.73)}
    >>> social_adjust("😍😍", (0.6, 0.3, 0.1), emoji_table=table)
    (0.05, 0.22, 0.73)
    >>> social_adjust("nice one", (0.1, 0.3, 0.6), emoji_table=table)
    (0.1, 0.3, 0.6)
    """
    probs = model
    if lexicon is not None:
        reading = read_phrases(text, lexicon)
        phrase_probs = reading.probabilities()
        if phrase_probs is not None:
            probs = blend(probs, phrase_probs, reading.coverage)
    units = emoji_units(text)
    emoji_probs = emoji_probabilities(units, emoji_table)
    if emoji_probs is not None:
        probs = blend(probs, emoji_probs, len(units) / (len(units) + text_tokens(text)))
    return probs

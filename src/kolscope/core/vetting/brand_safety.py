"""Brand safety, brand values and red lines: keyword sets matched in captions, and their signals.

A :class:`KeywordSet` is a named list of terms of one kind: built-in ``safety`` sets per
:class:`Category` and language (:data:`BUILTIN_SETS`), and a workspace's own ``safety``,
``value``, ``red_line`` and ``competitor`` sets. A :class:`Matcher` compiles any sets once and
finds their terms in a text; :func:`flag_posts` turns the matches into one :class:`PostFlag`
per post, set and term; :func:`brand_safety_signal` and :func:`value_signals` sum the flags up.
The method is documented in ``docs/methods/brand-safety.md``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from kolscope.core.vetting.safety_lexicon import (
    GAPS,
    LEXICON,
    REGEX_PREFIX,
    check_terms,
    compile_terms,
    fold,
    regex_pattern,
    term_word,
    trie_pattern,
)
from kolscope.core.vetting.signals import WARN_SEVERITY, Signal, Status, graded, unknown
from kolscope.errors import InvalidInput

BRAND_SAFETY_METHOD_VERSION = "brand-safety-1"

Kind = Literal["safety", "value", "red_line", "competitor"]
KINDS: tuple[Kind, ...] = ("safety", "value", "red_line", "competitor")
Level = Literal["low", "medium", "high"]
LANGUAGES = ("en", "zh")
SNIPPET_CHARS = 60
EVIDENCE = 5


class Category(StrEnum):
    """A brand-safety category, after the GARM Brand Safety Floor and Suitability Framework."""

    PROFANITY = "profanity"
    VIOLENCE = "violence"
    DRUGS = "drugs"
    ALCOHOL = "alcohol"
    GAMBLING = "gambling"
    ADULT = "adult"
    POLITICS = "politics"
    HATE = "hate"


# High: content most brands never appear next to (GARM's floor: hate speech, explicit sexual
# content, graphic violence). Medium: content many brands avoid and some target (profanity,
# drugs and tobacco, gambling). Low: legal, common, and only a concern for some brands (alcohol,
# news and politics).
SEVERITY: Mapping[Category, Level] = MappingProxyType({
    Category.HATE: "high", Category.ADULT: "high", Category.VIOLENCE: "high",
    Category.DRUGS: "medium", Category.GAMBLING: "medium", Category.PROFANITY: "medium",
    Category.ALCOHOL: "low", Category.POLITICS: "low",
})


class KeywordSet(BaseModel):
    """A named list of terms of one kind; ``re:`` starts a regular-expression term.

    ``exceptions`` are phrases (or ``re:`` patterns) whose match hides the set's own matches
    inside it, e.g. ``killing it`` for a set that lists ``killing``.

    Examples
    --------
    >>> KeywordSet(name="values", kind="value", category="sustainability",
    ...            terms=(" organic ", "re:recycl[a-z]*")).terms
    ('organic', 're:recycl[a-z]*')
    """

    model_config = ConfigDict(frozen=True)

    name: str
    kind: Kind
    category: str
    terms: tuple[str, ...]
    language: str | None = None
    exceptions: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        # Errors are InvalidInput naming the field (terms.3), not pydantic's own.
        if not isinstance(data, Mapping):
            return data
        clean = dict(data)
        name = clean.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("a keyword set needs a name", field="name")
        clean["name"] = name.strip()
        kind = clean.get("kind")
        if kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
        clean["category"] = _check_category(kind, clean.get("category"))
        if clean.get("language") not in (None, *LANGUAGES):
            raise InvalidInput("language must be en, zh or empty (any)", field="language")
        clean["terms"] = check_terms(clean.get("terms"), "terms", required=True)
        clean["exceptions"] = check_terms(clean.get("exceptions", ()), "exceptions")
        return clean


def _check_category(kind: str, category: object) -> str:
    if not isinstance(category, str) or not category.strip():
        raise InvalidInput("a keyword set needs a category", field="category")
    category = category.strip()
    if kind == "safety" and category not in set(Category):
        raise InvalidInput(f"a safety set's category must be one of {', '.join(Category)}",
                           field="category")
    if kind == "competitor" and category != "competitor":
        raise InvalidInput("a competitor set's category is 'competitor'", field="category")
    return category


def _split(terms: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in terms.split(";") if t.strip())


BUILTIN_SETS: tuple[KeywordSet, ...] = tuple(
    KeywordSet(name=f"builtin:{category}:{language}", kind="safety", category=category,
               terms=_split(terms), exceptions=_split(exceptions), language=language)
    for (category, language), (terms, exceptions) in LEXICON.items())


class Match(BaseModel):
    """One term found in a text: which set and term, the text matched and where."""

    model_config = ConfigDict(frozen=True)

    set_name: str
    kind: Kind
    category: str
    term: str
    matched: str
    start: int
    end: int


_Entry = tuple[int, str]  # (set index, term)


class _Scanner:
    """The compiled terms of the sets of one kind. Kinds are scanned apart so that a value
    term never hides a safety term it overlaps."""

    def __init__(self, entries: Sequence[_Entry]) -> None:
        self.literals: dict[str, list[_Entry]] = {}
        regexes: dict[str, list[_Entry]] = {}
        for index, term in entries:
            if term.startswith(REGEX_PREFIX):
                regexes.setdefault(term, []).append((index, term))
                continue
            owners = self.literals.setdefault(term_word(term).replace(" ", ""), [])
            if all(i != index for i, _ in owners):
                owners.append((index, term))
        words = {term_word(t) for _, t in entries if not t.startswith(REGEX_PREFIX)}
        self.literal = re.compile(trie_pattern(words)) if words else None
        self.groups = list(regexes.values())  # group t{i} is the i-th regex term
        self.regex = re.compile(regex_pattern([t[len(REGEX_PREFIX):] for t in regexes], named=True),
                                re.IGNORECASE) if regexes else None

    def spans(self, folded: str) -> list[tuple[int, int, list[_Entry]]]:
        """Non-overlapping matches, leftmost first and longest at the same start."""
        found = []
        if self.literal is not None:
            found += [(m.start(), m.end(), self.literals.get(GAPS.sub("", m.group()), []))
                      for m in self.literal.finditer(folded)]
        if self.regex is not None:
            found += [(m.start(), m.end(), self.groups[int(str(m.lastgroup)[1:])])
                      for m in self.regex.finditer(folded)]
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        kept: list[tuple[int, int, list[_Entry]]] = []
        for item in found:
            if item[1] > item[0] and (not kept or item[0] >= kept[-1][1]):
                kept.append(item)
        return kept


def _spans(patterns: tuple[re.Pattern[str] | None, re.Pattern[str] | None],
           folded: str) -> list[tuple[int, int]]:
    return [m.span() for p in patterns if p is not None for m in p.finditer(folded)]


class Matcher:
    """Finds the terms of keyword sets in texts; compiles the sets once.

    Examples
    --------
    >>> matcher = Matcher(BUILTIN_SETS)
    >>> [(m.category, m.matched) for m in matcher.find("New #Gambling app! Killing it 赌场")]
    [('gambling', 'Gambling'), ('gambling', '赌场')]
    """

    def __init__(self, sets: Sequence[KeywordSet]) -> None:
        self.sets: tuple[KeywordSet, ...] = tuple(sets)
        names: set[str] = set()
        for i, s in enumerate(self.sets):
            if s.name in names:
                raise InvalidInput(f"two keyword sets are named {s.name!r}", field=f"sets.{i}")
            names.add(s.name)
        self.kinds: frozenset[Kind] = frozenset(s.kind for s in self.sets)
        self._scanners = [
            _Scanner([(i, t) for i, s in enumerate(self.sets) if s.kind == kind for t in s.terms])
            for kind in KINDS if kind in self.kinds]
        self._exceptions = {i: compile_terms(s.exceptions)
                            for i, s in enumerate(self.sets) if s.exceptions}

    def find(self, text: str) -> list[Match]:
        """Every match in ``text``, by position; one per set for a term several sets list."""
        folded = fold(text)
        excepted: dict[int, list[tuple[int, int]]] = {}
        found = []
        for scanner in self._scanners:
            for start, end, entries in scanner.spans(folded):
                for index, term in entries:
                    if index in self._exceptions:
                        if index not in excepted:
                            excepted[index] = _spans(self._exceptions[index], folded)
                        if any(a <= start and end <= b for a, b in excepted[index]):
                            continue
                    s = self.sets[index]
                    found.append(Match(set_name=s.name, kind=s.kind, category=s.category,
                                       term=term, matched=text[start:end], start=start, end=end))
        return sorted(found, key=lambda m: (m.start, m.end))


class PostFlag(BaseModel):
    """A term of a keyword set found in a post, with the context of its first match."""

    model_config = ConfigDict(frozen=True)

    post_id: int
    set_name: str
    kind: Kind
    category: str
    term: str
    snippet: str
    matches: int


def snippet(text: str, start: int, end: int, *, width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around ``start:end``, whitespace collapsed.

    Examples
    --------
    >>> snippet("a" * 50 + " casino " + "b" * 50, 51, 57, width=20)
    '…aaaaaa casino bbbbbb…'
    """
    span = max(width, end - start)
    left = max(0, min(start - (span - (end - start)) // 2, len(text) - span))
    right = min(len(text), left + span)
    piece = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + piece + ("…" if right < len(text) else "")


def flag_posts(posts: Iterable[tuple[int, str]], matcher: Matcher) -> list[PostFlag]:
    """One flag per post, set and term found, counting the term's matches in the post."""
    flags = []
    for post_id, text in posts:
        grouped: dict[tuple[str, str], list[Match]] = {}
        for m in matcher.find(text):
            grouped.setdefault((m.set_name, m.term), []).append(m)
        flags += [PostFlag(post_id=post_id, set_name=ms[0].set_name, kind=ms[0].kind,
                           category=ms[0].category, term=ms[0].term,
                           snippet=snippet(text, ms[0].start, ms[0].end), matches=len(ms))
                  for ms in grouped.values()]
    return flags


# Thresholds of the brand_safety signal, per severity level, on the share of checked posts
# with a flag of that level. One post with hate speech or explicit content is already worth a
# look; two, or one in a short feed, is a pattern. Medium categories are tolerated now and then.
# Low ones (a glass of wine, a news comment) only matter to some brands: they never fail alone.
HIGH_FAIL_POSTS = 2
HIGH_FAIL_SHARE = 0.10
MEDIUM_WARN, MEDIUM_FAIL = 0.05, 0.20
LOW_WARN = 0.20
LOW_MAX_SEVERITY = 0.5
_RANK: Mapping[str, int] = MappingProxyType({"ok": 0, "unknown": 0, "warn": 1, "fail": 2})
_LEVEL_RANK: Mapping[Level, int] = MappingProxyType({"high": 0, "medium": 1, "low": 2})
SAFETY_THRESHOLD = (
    "high (hate, adult, violence): warn at 1 post, fail at 2 posts or 10% of posts; "
    "medium (drugs, gambling, profanity): warn at 5%, fail at 20%; "
    "low (alcohol, politics): warn at 20%, never fail")


def _level(category: str) -> Level:
    if category not in set(Category):
        raise InvalidInput(f"unknown brand-safety category {category!r}", field="category")
    return SEVERITY[Category(category)]


def _grade(level: Level, posts: int, checked: int) -> tuple[Status, float]:
    """Status and severity of ``posts`` flagged posts of one level out of ``checked``."""
    share = posts / checked
    if level == "high":
        if posts == 0:
            return "ok", 0.0
        if posts >= HIGH_FAIL_POSTS:
            return "fail", 1.0
        return graded(share, warn=0.0, fail=HIGH_FAIL_SHARE)
    if level == "medium":
        return graded(share, warn=MEDIUM_WARN, fail=MEDIUM_FAIL)
    status, severity = graded(share, warn=LOW_WARN, fail=1.0)
    return ("ok", 0.0) if status == "ok" else ("warn", min(severity, LOW_MAX_SEVERITY))


def _checked(flags: Sequence[PostFlag], posts_checked: int) -> set[int]:
    if posts_checked < 0:
        raise InvalidInput("posts_checked must be >= 0", field="posts_checked")
    posts = {f.post_id for f in flags}
    if len(posts) > posts_checked:
        raise InvalidInput("more posts are flagged than were checked", field="posts_checked")
    return posts


def _display(flags: Sequence[PostFlag], posts: int, checked: int) -> str:
    """"3 of 40 posts (8%): hate 1, alcohol 2": posts per category, most severe first."""
    per = Counter(c for c, _ in {(f.category, f.post_id) for f in flags})
    rank = {c: _LEVEL_RANK[_level(c)] if flags[0].kind == "safety" else 0 for c in per}
    counts = ", ".join(f"{c} {n}" for c, n in sorted(per.items(),
                                                     key=lambda i: (rank[i[0]], -i[1], i[0])))
    return f"{posts} of {checked} posts ({posts / checked:.0%})" + (f": {counts}" if counts else "")


def _evidence(flags: Iterable[PostFlag]) -> list[str]:
    return [f"{f.category}: {f.term} in post {f.post_id}: {f.snippet}" for f in flags][:EVIDENCE]


def brand_safety_signal(flags: Sequence[PostFlag], *, posts_checked: int,
                        data_as_of: datetime | None) -> Signal:
    """Share of checked posts with a brand-safety flag, graded by the categories' severity.

    Flags of other kinds are ignored. The worst level decides the status; see
    :data:`SAFETY_THRESHOLD`.

    Examples
    --------
    >>> flag = PostFlag(post_id=7, set_name="builtin:hate:en", kind="safety", category="hate",
    ...                 term="nazi", snippet="...", matches=1)
    >>> s = brand_safety_signal([flag], posts_checked=20, data_as_of=None)
    >>> s.status, s.value, s.display
    ('warn', 0.05, '1 of 20 posts (5%): hate 1')
    """
    label = "Posts with brand-safety terms"
    safety = [f for f in flags if f.kind == "safety"]
    posts = _checked(safety, posts_checked)
    if posts_checked == 0:
        return unknown("brand_safety", "brand_safety", label, threshold=SAFETY_THRESHOLD,
                       note="no posts to check", sample_size=0)
    by_level: dict[Level, set[int]] = {"high": set(), "medium": set(), "low": set()}
    for f in safety:
        by_level[_level(f.category)].add(f.post_id)
    grades = [_grade(level, len(ids), posts_checked) for level, ids in by_level.items()]
    status = max((g[0] for g in grades), key=lambda s: _RANK[s])
    ranked = sorted(safety, key=lambda f: (_LEVEL_RANK[_level(f.category)], f.post_id))
    return Signal(key="brand_safety", group="brand_safety", label=label,
                  value=len(posts) / posts_checked,
                  display=_display(safety, len(posts), posts_checked),
                  threshold=SAFETY_THRESHOLD, status=status,
                  severity=max(g[1] for g in grades), sample_size=posts_checked,
                  data_as_of=data_as_of, evidence=_evidence(ranked),
                  note="keyword matching on captions; images, audio and irony are not read")


def value_signals(flags: Sequence[PostFlag], *, posts_checked: int, data_as_of: datetime | None,
                  configured: Collection[str]) -> list[Signal]:
    """The ``red_lines`` and ``value_alignment`` signals of a brand's own keyword sets.

    ``configured`` holds the kinds of set the brand has (:attr:`Matcher.kinds`): a signal whose
    kind has no set is unknown rather than clean.

    Examples
    --------
    >>> red, values = value_signals([], posts_checked=10, data_as_of=None,
    ...                             configured={"red_line"})
    >>> red.status, values.status
    ('ok', 'unknown')
    """
    return [_own_signal(kind, flags, posts_checked, data_as_of, configured=kind in configured)
            for kind in ("red_line", "value")]


_OWN: Mapping[str, tuple[str, str, str, str]] = MappingProxyType({  # key, label, threshold, note
    "red_line": ("red_lines", "Posts crossing the brand's red lines", "fail at 1 post",
                 "the brand has no red-line terms"),
    "value": ("value_alignment", "Posts mentioning the brand's values",
              "warn when no post mentions any", "the brand has no value terms"),
})


def _own_signal(kind: str, flags: Sequence[PostFlag], checked: int,
                data_as_of: datetime | None, *, configured: bool) -> Signal:
    key, label, threshold, missing = _OWN[kind]
    mine = sorted((f for f in flags if f.kind == kind), key=lambda f: f.post_id)
    posts = _checked(mine, checked)
    if not configured or checked == 0:
        return unknown(key, "values", label, threshold=threshold, sample_size=checked,
                       note=missing if not configured else "no posts to check")
    # A red line fails on any post; brand values are the other way round: none is the warning.
    status, severity = ((("fail", 1.0) if posts else ("ok", 0.0)) if kind == "red_line" else
                        (("ok", 0.0) if posts else ("warn", WARN_SEVERITY)))
    return Signal(key=key, group="values", label=label, value=len(posts) / checked,
                  display=_display(mine, len(posts), checked), threshold=threshold,
                  status=status, severity=severity, sample_size=checked, data_as_of=data_as_of,
                  evidence=_evidence(mine))

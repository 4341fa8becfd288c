"""Professions and credentials named in a creator's bio, display name or captions.

A small bilingual lexicon (English and Chinese) maps what a text says ("Board-certified
dermatologist", "皮肤科医生", "Dr. Lee", "MD") to canonical keys (``dermatologist``,
``doctor``, ``certified``). English words match as whole words, case-insensitively; abbreviations
(``MD``, ``RN``, ``CPA`` ...) match as whole words in capitals only; Chinese terms match as
substrings, as Chinese writes no spaces. Known false friends ("Doctor Who", "Dr Pepper", "Dr.Jart+",
博士伦, 微博认证 ...) are blanked out before matching. The method and its limits are documented in
``docs/methods/kol-types.md``.
"""

from __future__ import annotations

import re

# key -> English words or phrases (regex fragments, matched case-insensitively as whole words)
# and Chinese terms (matched as substrings). Order matters only for ties in position.
_WORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("dermatologist", ("dermatologist", "dermatology resident"), ("皮肤科",)),
    ("pediatrician", ("pa?ediatrician",), ("儿科医",)),
    ("dentist", ("dentist", "orthodontist"), ("牙医", "口腔医")),
    ("doctor", ("doctor", "physician", "surgeon", "general practitioner"),
     ("医生", "医师", "大夫", "主治医")),
    ("nurse", ("nurse",), ("护士", "护理师")),
    ("pharmacist", ("pharmacist",), ("药剂师", "药师")),
    ("nutritionist", ("nutritionist", "dietitian", "dietician"), ("营养师",)),
    ("physiotherapist", ("physiotherapist", "physical therapist"), ("康复治疗师", "理疗师")),
    ("midwife", ("midwife",), ("助产士",)),
    ("psychologist", ("psychologist", "psychiatrist"), ("心理咨询师", "心理医生")),
    ("veterinarian", ("veterinarian", "veterinary surgeon"), ("兽医",)),
    ("engineer", ("engineer",), ("工程师",)),
    ("developer", ("developer", "programmer"), ("开发者", "程序员")),
    ("chemist", ("chemist",), ("配方师", "化学家")),
    ("researcher", ("researcher", "scientist"), ("研究员", "科学家")),
    ("phd", (r"ph\.?\s?d\.?",), ("博士",)),
    ("professor", ("professor",), ("教授",)),
    ("lecturer", ("lecturer",), ("讲师",)),
    ("teacher", ("teacher",), ("教师",)),
    ("lawyer", ("lawyer", "attorney", "solicitor", "barrister"), ("律师",)),
    ("accountant", ("accountant",), ("会计师",)),
    ("financial_advisor", ("financial advis[eo]r", "financial planner", "financial analyst",
                           "charterholder"), ("理财师", "理财规划师", "金融分析师")),
    ("chef", ("chef",), ("厨师", "主厨", "甜点师")),
    ("sommelier", ("sommelier",), ("侍酒师",)),
    ("certified_trainer", ("certified (?:personal )?trainer", "personal trainer",
                           "certified coach", "certified (?:yoga|fitness) instructor"),
     ("健身教练", "私教", "瑜伽教练")),
    ("architect", ("architect",), ("建筑师",)),
    ("designer", ("(?:fashion|interior|graphic|product|industrial|jewe?l(?:le)?ry|ux|ui|game)"
                  " designer",), ("设计师",)),
    ("journalist", ("journalist",), ("记者",)),
    ("watchmaker", ("watchmaker",), ("制表师",)),
    ("certified", ("board[- ]certified",), ("认证", "执业", "持证")),
)

# Abbreviations: matched case-sensitively, not inside a word; each pattern guards its own end.
_END = r"(?!\w)"
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    # "Dr" / "Dr." only before a capitalised name or a Chinese one: "Dr. Lee", "Dr.Lee", "Dr 李".
    ("doctor", r"Dr(?:\.\s*|\s+)(?=[A-Z\u4e00-\u9fff])"),
    # "MD", "M.D."; not before a ZIP code or "USA" (Maryland in an address).
    ("doctor", r"(?:M\.D\.|MD" + _END + r")(?!,?\s*(?:\d{5}|USA?\b))"),
    *((key, f"(?:{pattern}){_END}") for key, pattern in (
        ("doctor", "MBBS"),
        ("nurse", "RN"),
        ("pharmacist", "PharmD"),
        ("dentist", "DDS|DMD"),
        ("nutritionist", "RDN"),
        ("physiotherapist", "DPT"),
        ("veterinarian", "DVM"),
        ("accountant", "CPA"),
        ("financial_advisor", "CFA|CFP"),
        ("lawyer", r"Esq\.?"),
    )),
)

# False friends, blanked out before matching (case-insensitive for the Latin ones).
_FALSE_FRIENDS = re.compile(
    r"(?<!\w)(?:doctor|dr\.?)\s*(?:who|strange|pepper|martens|jart\+?|dre|seuss|oetker|bronner'?s?)"
    r"(?!\w)"
    # a street address: "123 Ocean Dr." is a drive
    r"|(?<!\w)\d+\s+(?:[a-z]+\s+){1,3}dr(?!\w)",
    re.IGNORECASE)
_FALSE_FRIENDS_ZH: tuple[str, ...] = (
    "博士伦", "微博认证", "官方认证", "实名认证", "认证博主", "认证用户", "认证账号", "蓝V认证",
    "黄V认证", "企业认证",
)

_WORD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE))
    for key, words, _ in _WORDS)
_ABBREVIATION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(rf"(?<!\w)(?:{pattern})")) for key, pattern in _ABBREVIATIONS)
_CHINESE_TERMS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (key, terms) for key, _, terms in _WORDS if terms)

# A first-person claim in a caption: "As a dermatologist, ...", "I'm an engineer", "作为一名医生".
_CLAIM_EN = re.compile(r"(?<!\w)(?:as an?|i'?m an?|i am an?)\s+((?:[\w.+-]+\s+){0,2}[\w.+-]+)",
                       re.IGNORECASE)
_CLAIM_ZH = re.compile(r"(?:作为|我是)(?:一名|一位|一个|个)?([\u4e00-\u9fff]{1,8})")


def _blank_false_friends(text: str) -> str:
    cleaned = _FALSE_FRIENDS.sub(" ", text)
    for phrase in _FALSE_FRIENDS_ZH:
        cleaned = cleaned.replace(phrase, " ")
    return cleaned


def detect_credentials(text: str) -> list[str]:
    """Canonical keys of the professions and credentials ``text`` names, in order of appearance.

    Parameters
    ----------
    text
        A bio, display name or caption, in English, Chinese or both.

    Returns
    -------
    list of str
        Keys such as ``dermatologist``, ``doctor``, ``engineer``, ``certified``, without
        duplicates. A specific term may imply a general one too (皮肤科医生 gives
        ``dermatologist`` and ``doctor``).

    Examples
    --------
    >>> detect_credentials("Board-certified dermatologist | skincare science")
    ['certified', 'dermatologist']
    >>> detect_credentials("Dr. Lee, MD")
    ['doctor']
    >>> detect_credentials("皮肤科医生 · 护肤科普")
    ['dermatologist', 'doctor']
    >>> detect_credentials("doctor who fan, markdown nerd")
    []
    """
    cleaned = _blank_false_friends(text)
    found: list[tuple[int, str]] = []
    for key, pattern in (*_WORD_PATTERNS, *_ABBREVIATION_PATTERNS):
        if match := pattern.search(cleaned):
            found.append((match.start(), key))
    for key, terms in _CHINESE_TERMS:
        positions = [p for p in (cleaned.find(term) for term in terms) if p >= 0]
        if positions:
            found.append((min(positions), key))
    return list(dict.fromkeys(key for _, key in sorted(found, key=lambda item: item[0])))


def claimed_credentials(text: str) -> list[str]:
    """Credentials a caption claims in the first person ("As a dermatologist", "我是医生").

    Captions mention professions they do not claim ("ask your doctor", "医生说"), so in
    captions only a profession right after "as a", "I'm a", "I am a", 作为 or 我是 counts.

    Examples
    --------
    >>> claimed_credentials("As a board-certified dermatologist, I use SPF daily")
    ['certified', 'dermatologist']
    >>> claimed_credentials("My doctor said to drink more water")
    []
    >>> claimed_credentials("作为一名营养师，我每天吃早餐")
    ['nutritionist']
    """
    claims = [m.group(1) for m in _CLAIM_EN.finditer(text)]
    claims += [m.group(1) for m in _CLAIM_ZH.finditer(text)]
    return list(dict.fromkeys(key for claim in claims for key in detect_credentials(claim)))

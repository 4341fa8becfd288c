"""The draft check run before a deliverable is approved: does the post say it is paid?

Each required disclosure must be present: a hashtag such as ``#ad`` as a whole tag (``#adventure``
is not ``#ad``), a Chinese label such as 广告 as a tag, a Weibo topic (#广告#) or a bracketed
Chinese label (【广告】), and ``paid_partnership`` as the platform's paid-partnership label.
Missing disclosures block approval; missing campaign hashtags and links are reported as warnings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from kolscope.core.text import hashtags

DISCLOSURE_CHECK_VERSION = "disclosure-1"
PAID_PARTNERSHIP = "paid_partnership"
_CJK = re.compile(r"[\u3400-\u9fff]")
_LABEL = re.compile(r"[【\[（(]\s*([^】\]）)\s]{1,10})\s*[】\]）)]")


@dataclass(frozen=True)
class CheckItem:
    requirement: str
    kind: str  # disclosure, hashtag or link
    present: bool
    blocking: bool


@dataclass(frozen=True)
class DraftCheck:
    items: tuple[CheckItem, ...]
    version: str = DISCLOSURE_CHECK_VERSION

    @property
    def passed(self) -> bool:
        """True when every blocking requirement is present."""
        return all(item.present for item in self.items if item.blocking)

    @property
    def missing(self) -> list[str]:
        return [item.requirement for item in self.items if not item.present]

    def summary(self) -> str:
        if not self.missing:
            return "every required disclosure, hashtag and link is present"
        blocking = [i.requirement for i in self.items if i.blocking and not i.present]
        if blocking:
            return f"missing required disclosure: {', '.join(blocking)}"
        return f"disclosure present; missing {', '.join(self.missing)}"


def _tag(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().lstrip("#").rstrip("#").casefold()


def _tags_in(caption: str) -> set[str]:
    text = unicodedata.normalize("NFKC", caption)
    found = {t.casefold() for t in hashtags(text)}
    # Bracketed labels are the Chinese convention (【广告】); "(ad)" in English text is not one.
    found |= {m.casefold() for m in _LABEL.findall(text) if _CJK.search(m)}
    return found


def check_draft(caption: str, *, paid_partnership: bool, disclosures: Sequence[str],
                hashtags_required: Sequence[str] = (), links: Sequence[str] = ()) -> DraftCheck:
    """Check a draft's caption (and its paid-partnership label) against a deliverable's terms.

    >>> check_draft("New serum! #AD #glow", paid_partnership=False, disclosures=["#ad"]).passed
    True
    >>> check_draft("#adventure time", paid_partnership=False, disclosures=["#ad"]).passed
    False
    """
    tags = _tags_in(caption)
    items: list[CheckItem] = []
    for required in disclosures:
        key = _tag(required)
        present = paid_partnership if key == PAID_PARTNERSHIP else key in tags
        items.append(CheckItem(required, "disclosure", present, blocking=True))
    for tag in hashtags_required:
        items.append(CheckItem(tag, "hashtag", _tag(tag) in tags, blocking=False))
    for link in links:
        items.append(CheckItem(link, "link", link in caption, blocking=False))
    return DraftCheck(tuple(items))

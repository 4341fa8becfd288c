"""Sponsorship disclosure: is a post marked as paid, and how.

A post counts as sponsored when it carries the platform's paid-partnership tag or a disclosure
tag in its caption. Tags are matched as whole hashtags (``#ad``, not ``#adventure``), and the
Chinese disclosures 广告 and 合作 also as Weibo-style topics or bracketed labels (【广告】).
"""

from __future__ import annotations

import re
from enum import StrEnum

from kolscope.core.text import hashtags

SPONSORSHIP_METHOD_VERSION = "sponsorship-1"

DISCLOSURE_TAGS: frozenset[str] = frozenset({
    "ad", "ads", "advert", "advertisement", "sponsored", "sponsor", "spon", "paidpartnership",
    "paidpost", "brandpartner", "gifted", "werbung", "anzeige", "publicidad", "publicidade",
    "sponsorisé", "sponsorise", "reklame", "reklama", "广告", "合作", "推广", "赞助",
})
_ZH_LABEL = re.compile(r"[【\[（(]\s*(广告|合作|推广|赞助)\s*[】\]）)]")


class Disclosure(StrEnum):
    """How a sponsored post says so."""

    PAID_PARTNERSHIP = "paid_partnership"
    DISCLOSURE_TAG = "disclosure_tag"


def disclosure_tags(caption: str) -> list[str]:
    """The disclosure tags present in ``caption``, case-folded, in order of appearance."""
    found = [tag for tag in hashtags(caption) if tag in DISCLOSURE_TAGS]
    found += [m for m in _ZH_LABEL.findall(caption) if m not in found]
    return found


def disclosures(caption: str, *, paid_partnership: bool) -> list[Disclosure]:
    """Every way a post discloses sponsorship; empty when it does not."""
    found: list[Disclosure] = []
    if paid_partnership:
        found.append(Disclosure.PAID_PARTNERSHIP)
    if disclosure_tags(caption):
        found.append(Disclosure.DISCLOSURE_TAG)
    return found


def is_sponsored(caption: str, *, paid_partnership: bool) -> bool:
    """Whether a post is disclosed as sponsored by tag or paid-partnership label."""
    return bool(disclosures(caption, paid_partnership=paid_partnership))

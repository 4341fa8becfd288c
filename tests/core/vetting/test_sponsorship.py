"""Sponsorship disclosure: paid-partnership labels and disclosure tags in captions."""

from __future__ import annotations

import pytest

from kolscope.core.vetting.sponsorship import (
    DISCLOSURE_TAGS,
    SPONSORSHIP_METHOD_VERSION,
    Disclosure,
    disclosure_tags,
    disclosures,
    is_sponsored,
)


@pytest.mark.parametrize(("caption", "tags"), [
    ("My night routine #ad #skincare", ["ad"]),
    ("#AD", ["ad"]),
    ("#Ad.", ["ad"]),
    ("#sponsored by my favourite brand", ["sponsored"]),
    ("#gifted #PR", ["gifted"]),
    ("Neue Creme #Werbung", ["werbung"]),
    ("#ANZEIGE unbezahlt", ["anzeige"]),
    ("nouveau #sponsorisé", ["sponsorisé"]),
    ("#publicidad #publicidade", ["publicidad", "publicidade"]),
    ("#广告", ["广告"]),
    ("新品 #广告# 快来", ["广告"]),
    ("【广告】 新品上市", ["广告"]),
    ("【 广告 】", ["广告"]),
    ("（合作）好物分享", ["合作"]),
    ("[推广] 好物", ["推广"]),
    ("(赞助) 感谢", ["赞助"]),
    ("【广告】#广告#", ["广告"]),
    ("#ad #werbung 【广告】", ["ad", "werbung", "广告"]),
])
def test_disclosure_tags(caption: str, tags: list[str]) -> None:
    assert disclosure_tags(caption) == tags


@pytest.mark.parametrize("caption", [
    "#adventure time",          # a tag that starts with "ad" is not "#ad"
    "#adidas #admin",
    "bad#ad",                   # no hashtag inside a word
    "Ad for nothing",           # the word, not the tag
    "(ad)",
    "这不是广告",                # a bare 广告 in running text is not a label
    "#广告位招租",               # a longer tag that only starts with 广告
    "",
])
def test_no_disclosure(caption: str) -> None:
    assert disclosure_tags(caption) == []
    assert not is_sponsored(caption, paid_partnership=False)


def test_paid_partnership_label_alone_is_a_disclosure() -> None:
    assert disclosures("Sunday brunch", paid_partnership=True) == [Disclosure.PAID_PARTNERSHIP]
    assert is_sponsored("Sunday brunch", paid_partnership=True)


def test_both_ways_are_reported() -> None:
    assert disclosures("#ad", paid_partnership=True) == [
        Disclosure.PAID_PARTNERSHIP, Disclosure.DISCLOSURE_TAG]


def test_tag_alone() -> None:
    assert disclosures("#werbung", paid_partnership=False) == [Disclosure.DISCLOSURE_TAG]


def test_no_disclosure_at_all() -> None:
    assert disclosures("Sunday brunch #food", paid_partnership=False) == []


def test_tags_are_stored_case_folded() -> None:
    assert all(tag == tag.casefold() for tag in DISCLOSURE_TAGS)


def test_method_version() -> None:
    assert SPONSORSHIP_METHOD_VERSION == "sponsorship-1"

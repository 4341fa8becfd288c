"""The draft check: required disclosures block approval, hashtags and links only warn."""

from __future__ import annotations

import pytest

from kolscope.core.campaigns.disclosure import (
    DISCLOSURE_CHECK_VERSION,
    CheckItem,
    check_draft,
)


@pytest.mark.parametrize(("caption", "required"), [
    ("New serum! #ad #glow", "#ad"),
    ("New serum! #AD", "#ad"),
    ("New serum! #Ad.", "#ad"),
    ("全新精华 ＃ad", "#ad"),
    ("New serum! #ad", "#AD"),
    ("New serum! #ad", "ad"),
    ("新品上市 #广告", "广告"),
    ("新品上市 #广告", "#广告"),
    ("新品 #广告# 快来", "广告"),
    ("新品 #广告# 快来", "#广告#"),
    ("【广告】 新品上市", "广告"),
    ("【 广告 】新品上市", "广告"),
    ("[广告] 新品上市", "广告"),
])
def test_disclosure_present(caption: str, required: str) -> None:
    check = check_draft(caption, paid_partnership=False, disclosures=[required])
    assert check.passed is True
    assert check.missing == []
    assert check.items == (CheckItem(required, "disclosure", True, blocking=True),)


@pytest.mark.parametrize("caption", [
    "#adventure time",
    "no tag at all",
    "",
    "read#ad",
    "ad",
    "#ads",
    "广告 without a tag mark",
])
def test_disclosure_missing(caption: str) -> None:
    check = check_draft(caption, paid_partnership=False, disclosures=["#ad", "广告"])
    assert check.passed is False
    assert check.missing == ["#ad", "广告"]
    assert check.summary() == "missing required disclosure: #ad, 广告"


def test_every_required_disclosure_must_be_present() -> None:
    check = check_draft("#ad only", paid_partnership=False, disclosures=["#ad", "#sponsored"])
    assert check.passed is False
    assert check.missing == ["#sponsored"]
    assert [item.present for item in check.items] == [True, False]


@pytest.mark.parametrize(("flag", "passed"), [(True, True), (False, False)])
def test_paid_partnership_uses_the_flag(flag: bool, passed: bool) -> None:
    check = check_draft("New serum #paid_partnership", paid_partnership=flag,
                        disclosures=["paid_partnership"])
    assert check.passed is passed
    assert check.items[0].kind == "disclosure"


def test_paid_partnership_flag_ignores_caption() -> None:
    check = check_draft("no tags here", paid_partnership=True, disclosures=["#paid_partnership"])
    assert check.passed is True
    assert check_draft("#ad", paid_partnership=True, disclosures=["#ad"]).passed is True
    assert check_draft("plain", paid_partnership=True, disclosures=["#ad"]).passed is False


def test_missing_hashtag_and_link_only_warn() -> None:
    check = check_draft("Morning routine #ad", paid_partnership=False, disclosures=["#ad"],
                        hashtags_required=["#GlowUp", "#morning"],
                        links=["https://brand.example/s"])
    assert check.passed is True
    assert check.missing == ["#GlowUp", "#morning", "https://brand.example/s"]
    assert check.items[1] == CheckItem("#GlowUp", "hashtag", False, blocking=False)
    assert check.items[3] == CheckItem("https://brand.example/s", "link", False, blocking=False)
    assert check.summary() == ("disclosure present; missing #GlowUp, #morning, "
                               "https://brand.example/s")


def test_hashtags_and_links_present() -> None:
    check = check_draft("Morning #glowup #ad see https://brand.example/s",
                        paid_partnership=False, disclosures=["#ad"],
                        hashtags_required=["#GlowUp"], links=["https://brand.example/s"])
    assert check.passed is True
    assert check.missing == []
    assert [(i.kind, i.present, i.blocking) for i in check.items] == [
        ("disclosure", True, True), ("hashtag", True, False), ("link", True, False)]
    assert check.summary() == "every required disclosure, hashtag and link is present"


def test_blocking_summary_lists_only_blocking() -> None:
    check = check_draft("nothing", paid_partnership=False, disclosures=["#ad"],
                        hashtags_required=["#glow"])
    assert check.missing == ["#ad", "#glow"]
    assert check.summary() == "missing required disclosure: #ad"


def test_no_requirements_passes() -> None:
    check = check_draft("anything", paid_partnership=False, disclosures=[])
    assert check.items == ()
    assert check.passed is True
    assert check.summary() == "every required disclosure, hashtag and link is present"
    assert check.version == DISCLOSURE_CHECK_VERSION == "disclosure-1"


def test_full_width_hash_before_chinese_label() -> None:
    check = check_draft("＃广告 新品上市", paid_partnership=False, disclosures=["#ad", "广告"])
    assert check.missing == ["#ad"]
    assert check.passed is False
    assert check.summary() == "missing required disclosure: #ad"


def test_bracketed_latin_text_is_not_a_disclosure() -> None:
    assert not check_draft("New serum (ad) [ad]", paid_partnership=False,
                           disclosures=["#ad"]).passed
    assert check_draft("新品【广告】", paid_partnership=False, disclosures=["广告"]).passed


def test_a_chinese_tag_right_after_han_text_counts() -> None:
    assert check_draft("新品#广告", paid_partnership=False, disclosures=["广告"]).passed

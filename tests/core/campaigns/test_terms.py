"""Collaboration terms: parsing, defaults and the refusals with their locations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from kolscope.core.campaigns.terms import (
    DeliverableSpec,
    PerformancePay,
    Terms,
    deliverable_slots,
)
from kolscope.core.platforms import Platform, PostFormat


def _terms(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "fee": "1500",
        "currency": "eur",
        "deliverables": [{"platform": "instagram", "format": "reel"}],
    }
    base.update(overrides)
    return base


def _locs(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[int | str, ...]]:
    return [tuple(e["loc"]) for e in exc.value.errors()]


def test_valid_terms_parse() -> None:
    terms = Terms(**_terms(
        deliverables=[{"platform": "RED", "format": "reel", "count": 2, "due": "2025-03-01",
                       "hashtags": ["#glow"], "links": ["https://brand.example/x"]},
                      {"platform": "ig", "format": "photo"}],
        usage={"channels": ["website", "paid social"], "duration_days": 90},
        exclusivity={"categories": ["skincare"], "days_before": 7, "days_after": 30},
        seeding={"product": "Serum kit", "value": "49.90"},
        performance={"per_click": "0.05", "revenue_share": "0.1", "cap": 500},
        payment_due_days=45, notes="Two rounds of revisions."))
    first, second = terms.deliverables
    assert first.platform is Platform.XIAOHONGSHU
    assert first.format is PostFormat.SHORT_VIDEO
    assert first.due == date(2025, 3, 1)
    assert first.count == 2
    assert second.platform is Platform.INSTAGRAM
    assert second.format is PostFormat.IMAGE
    assert terms.fee == Decimal("1500")
    assert terms.currency == "EUR"
    assert terms.seeding is not None and terms.seeding.value == Decimal("49.90")
    assert terms.performance is not None
    assert terms.performance.per_click == Decimal("0.05")
    assert terms.performance.revenue_share == Decimal("0.1")
    assert terms.performance.cap == Decimal("500")
    assert terms.payment_due_days == 45
    assert terms.deliverable_count == 3


def test_defaults() -> None:
    terms = Terms(**_terms())
    assert terms.payment_due_days == 30
    assert terms.usage is None and terms.exclusivity is None
    assert terms.deliverables[0].count == 1
    assert terms.deliverable_count == 1


@pytest.mark.parametrize(("platform", "tag"), [
    ("weibo", "广告"), ("wechat", "广告"), ("douyin", "广告"), ("RED", "广告"),
    ("bilibili", "广告"), ("小红书", "广告"),
    ("instagram", "#ad"), ("tiktok", "#ad"), ("youtube", "#ad"), ("twitter", "#ad"),
])
def test_default_disclosure(platform: str, tag: str) -> None:
    spec = DeliverableSpec(platform=platform, format="video")
    assert spec.disclosures == (tag,)


def test_given_disclosure_is_kept() -> None:
    spec = DeliverableSpec(platform="weibo", format="image",
                           disclosures=["#ad", "paid_partnership"])
    assert spec.disclosures == ("#ad", "paid_partnership")


def test_terms_are_frozen() -> None:
    terms = Terms(**_terms())
    with pytest.raises(ValidationError):
        terms.fee = Decimal(1)  # type: ignore[misc]


@pytest.mark.parametrize(("overrides", "loc", "message"), [
    ({"deliverables": []}, ("deliverables",), "at least 1 item"),
    ({"fee": 1.5}, ("fee",), "not floats"),
    ({"fee": "-1"}, ("fee",), "must not be negative"),
    ({"fee": "1e13"}, ("fee",), "at most 1,000,000,000,000"),
    ({"fee": "NaN"}, ("fee",), "not a finite amount"),
    ({"fee": "10.00001"}, ("fee",), "at most 4 decimals"),
    ({"fee": "lots"}, ("fee",), "not a decimal amount"),
    ({"currency": "EURO"}, ("currency",), "three-letter ISO 4217"),
    ({"currency": "E1R"}, ("currency",), "three-letter ISO 4217"),
    ({"performance": {"revenue_share": "1.5"}}, ("performance", "revenue_share"),
     "fraction between 0 and 1"),
    ({"performance": {"per_click": 0, "per_conversion": "0", "revenue_share": "0"}},
     ("performance",), "needs per_click, per_conversion or revenue_share"),
    ({"usage": {"channels": ["website"]}}, ("usage",), "need duration_days"),
    ({"exclusivity": {"days_before": 5}}, ("exclusivity",), "needs categories or competitors"),
    ({"fee": "0"}, (), "need a fee, product seeding or performance pay"),
    ({"bogus": 1}, ("bogus",), "Extra inputs are not permitted"),
    ({"payment_due_days": 366}, ("payment_due_days",), "less than or equal to 365"),
    ({"seeding": {"product": ""}}, ("seeding", "product"), "at least 1 character"),
])
def test_refusals(overrides: dict[str, Any], loc: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        Terms(**_terms(**overrides))
    assert _locs(info) == [loc]
    assert message in info.value.errors()[0]["msg"]


def test_terms_without_fee_seeding_or_performance() -> None:
    data = _terms()
    del data["fee"]
    with pytest.raises(ValidationError, match="terms need a fee") as info:
        Terms(**data)
    assert _locs(info) == [()]


@pytest.mark.parametrize("link", ["ftp://brand.example", "brand.example/x",
                                  "https://brand.example/a b", "javascript:alert(1)"])
def test_links_must_be_http(link: str) -> None:
    with pytest.raises(ValidationError) as info:
        Terms(**_terms(deliverables=[{"platform": "ig", "format": "image", "links": [link]}]))
    assert ("deliverables", 0, "links") in _locs(info)
    assert "links must be http(s) URLs" in str(info.value)


@pytest.mark.parametrize(("field", "value", "loc"), [
    ("platform", "myspace", ("deliverables", 0, "platform")),
    ("format", "hologram", ("deliverables", 0, "format")),
    ("count", 0, ("deliverables", 0, "count")),
    ("count", 101, ("deliverables", 0, "count")),
    ("colour", "red", ("deliverables", 0, "colour")),
])
def test_deliverable_refusals(field: str, value: object, loc: tuple[object, ...]) -> None:
    spec: dict[str, object] = {"platform": "ig", "format": "image", field: value}
    with pytest.raises(ValidationError) as info:
        Terms(**_terms(deliverables=[spec]))
    assert loc in _locs(info)


def test_seeding_or_performance_alone_is_of_value() -> None:
    seeded = Terms(**_terms(fee="0", seeding={"product": "Serum"}))
    assert seeded.fee == 0 and seeded.seeding is not None
    assert seeded.seeding.value == Decimal(0)
    paid_by_results = Terms(**_terms(fee=0, performance={"per_conversion": "2.50"}))
    assert paid_by_results.performance is not None
    assert paid_by_results.performance.per_conversion == Decimal("2.50")
    assert paid_by_results.performance.cap is None


def test_performance_pay_amounts() -> None:
    pay = PerformancePay(per_click=1, revenue_share="1", cap=None)
    assert pay.per_click == Decimal(1)
    assert pay.revenue_share == Decimal(1)
    with pytest.raises(ValidationError) as info:
        PerformancePay(per_click=0.05)
    assert [tuple(e["loc"]) for e in info.value.errors()] == [("per_click",)]


def test_usage_with_duration_and_no_channels() -> None:
    terms = Terms(**_terms(usage={"channels": ["website"], "duration_days": 30}))
    assert terms.usage is not None and terms.usage.duration_days == 30
    assert Terms(**_terms(usage={})).usage is not None


def test_deliverable_slots_expand_counts() -> None:
    terms = Terms(**_terms(deliverables=[
        {"platform": "ig", "format": "story", "count": 3},
        {"platform": "tiktok", "format": "video"},
        {"platform": "weibo", "format": "image", "count": 2},
    ]))
    slots = deliverable_slots(terms)
    assert [(i, n) for i, n, _ in slots] == [(0, 1), (0, 2), (0, 3), (1, 1), (2, 1), (2, 2)]
    assert [spec.platform for _, _, spec in slots] == [
        Platform.INSTAGRAM, Platform.INSTAGRAM, Platform.INSTAGRAM, Platform.TIKTOK,
        Platform.WEIBO, Platform.WEIBO]
    assert slots[0][2] is terms.deliverables[0]
    assert len(slots) == terms.deliverable_count == 6

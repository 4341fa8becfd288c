"""The contract document built from terms: sections in order and the wording of each."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kolscope.core.campaigns.contract import CONTRACT_VERSION, ContractDocument, build_contract
from kolscope.core.campaigns.terms import Terms

FULL: dict[str, Any] = {
    "fee": "12500", "currency": "EUR", "payment_due_days": 45,
    "deliverables": [
        {"platform": "instagram", "format": "reel", "count": 2, "due": "2025-05-01",
         "hashtags": ["#glow", "#serum"], "links": ["https://brand.example/s"],
         "brief": "Show the morning routine."},
        {"platform": "weibo", "format": "live"},
    ],
    "usage": {"channels": ["website", "newsletter"], "duration_days": 90},
    "exclusivity": {"categories": ["skincare", "haircare"], "competitors": ["Rival Co"],
                    "days_before": 14, "days_after": 30},
    "seeding": {"product": "Serum kit", "value": "49.9"},
    "performance": {"per_click": "0.05", "per_conversion": "2.5", "revenue_share": "0.125",
                    "cap": "1000"},
    "notes": "Two rounds of revisions are included.",
}
MINIMAL: dict[str, Any] = {
    "fee": "800", "currency": "usd",
    "deliverables": [{"platform": "tiktok", "format": "video"}],
}


def _doc(data: dict[str, Any], **overrides: Any) -> ContractDocument:
    terms = Terms.model_validate({**data, **overrides})
    return build_contract(terms=terms, reference="spring-7-r1", issued_on=date(2025, 4, 1),
                          brand="Glow Labs", campaign="Spring Glow", kol="Mia (@mia)")


def _section(doc: ContractDocument, heading: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    [section] = [s for s in doc.sections if s.heading == heading]
    return section.paragraphs, section.items


def test_document_header() -> None:
    doc = _doc(FULL)
    assert doc.title == "Collaboration agreement: Spring Glow"
    assert doc.reference == "spring-7-r1"
    assert doc.issued_on == date(2025, 4, 1)
    assert (doc.brand, doc.kol) == ("Glow Labs", "Mia (@mia)")
    assert doc.signatories == ("For Glow Labs", "Mia (@mia)")
    assert doc.version == CONTRACT_VERSION == "contract-1"


def test_sections_in_order_with_notes() -> None:
    assert [s.heading for s in _doc(FULL).sections] == [
        "Parties", "1. Deliverables", "2. Usage rights", "3. Exclusivity", "4. Compensation",
        "5. Disclosure and conduct", "6. Other terms"]
    assert _section(_doc(FULL), "6. Other terms") == (
        ("Two rounds of revisions are included.",), ())


def test_no_notes_section_without_notes() -> None:
    assert [s.heading for s in _doc(MINIMAL).sections] == [
        "Parties", "1. Deliverables", "2. Usage rights", "3. Exclusivity", "4. Compensation",
        "5. Disclosure and conduct"]


def test_parties() -> None:
    paragraphs, items = _section(_doc(FULL), "Parties")
    assert paragraphs == ("Glow Labs (the Brand) and Mia (@mia) (the Creator) agree to the "
                          "following for the campaign Spring Glow.",)
    assert items == ()


def test_deliverable_lines() -> None:
    paragraphs, items = _section(_doc(FULL), "1. Deliverables")
    assert len(paragraphs) == 1 and "drafts are submitted for review" in paragraphs[0]
    assert items == (
        "2 × short video on instagram, due 2025-05-01; disclosure: #ad; hashtags: #glow "
        "#serum; links: https://brand.example/s. Show the morning routine.",
        "1 × live stream on weibo; disclosure: 广告",
    )


def test_usage_rights() -> None:
    assert _section(_doc(FULL), "2. Usage rights")[0] == (
        "The Brand may reuse the content on website, newsletter for 90 days from publication.",)
    native = ("The Brand may share the published posts natively on the platform. No other "
              "usage rights are granted.",)
    assert _section(_doc(MINIMAL), "2. Usage rights")[0] == native
    assert _section(_doc(MINIMAL, usage={"duration_days": 30}), "2. Usage rights")[0] == native


def test_exclusivity_wording() -> None:
    assert _section(_doc(FULL), "3. Exclusivity")[0] == (
        "The Creator will not publish paid content for the skincare category, the haircare "
        "category, Rival Co from 14 days before the first deliverable until 30 days after the "
        "last.",)
    assert _section(_doc(MINIMAL), "3. Exclusivity")[0] == ("No exclusivity is agreed.",)
    competitors_only = _doc(MINIMAL, exclusivity={"competitors": ["Rival Co", "Other Inc"]})
    assert _section(competitors_only, "3. Exclusivity")[0] == (
        "The Creator will not publish paid content for Rival Co, Other Inc from 0 days before "
        "the first deliverable until 0 days after the last.",)


def test_compensation_lines() -> None:
    paragraphs, items = _section(_doc(FULL), "4. Compensation")
    assert paragraphs == ()
    assert items == (
        "Fee: 12,500.00 EUR, payable within 45 days of completion.",
        "Product seeding: Serum kit (value 49.90 EUR).",
        "Performance pay: 0.05 EUR per tracked click; 2.50 EUR per attributed order; "
        "12.5 % of attributed revenue, capped at 1,000.00 EUR, measured by the Brand's "
        "tracking links and promo codes.",
    )


def test_compensation_fee_only() -> None:
    assert _section(_doc(MINIMAL), "4. Compensation")[1] == (
        "Fee: 800.00 USD, payable within 30 days of completion.",)


def test_compensation_without_fee() -> None:
    doc = _doc(MINIMAL, fee="0", seeding={"product": "Serum kit"},
               performance={"revenue_share": "0.1"})
    assert _section(doc, "4. Compensation")[1] == (
        "Product seeding: Serum kit.",
        "Performance pay: 10.0 % of attributed revenue, measured by the Brand's tracking "
        "links and promo codes.",
    )


def test_amounts_are_never_misstated() -> None:
    doc = _doc(MINIMAL, fee="1000.125",
               performance={"per_click": "0.005", "revenue_share": "0.0125", "cap": "2500.5"})
    assert _section(doc, "4. Compensation")[1] == (
        "Fee: 1,000.125 USD, payable within 30 days of completion.",
        "Performance pay: 0.005 USD per tracked click; 1.25 % of attributed revenue, "
        "capped at 2,500.50 USD, measured by the Brand's tracking links and promo codes.",
    )


def test_disclosure_section() -> None:
    paragraphs, _ = _section(_doc(MINIMAL), "5. Disclosure and conduct")
    assert paragraphs == ("The Creator discloses the partnership clearly in every post as "
                          "required by the platform and applicable advertising rules, and "
                          "shares honest opinions.",)


@pytest.mark.parametrize(("fee", "text"), [
    ("1E+3", "1,000.00"),           # exponent form: still two decimals, no "1E+3"
    ("1000000.5", "1,000,000.50"),
    ("0.10", "0.10"),
    ("7", "7.00"),
])
def test_fee_text(fee: str, text: str) -> None:
    assert _section(_doc(MINIMAL, fee=fee), "4. Compensation")[1] == (
        f"Fee: {text} USD, payable within 30 days of completion.",)

"""The contract rendered as HTML and PDF: same content, escaped, readable back from the PDF."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from kolscope.adapters.documents import render_contract_html, render_contract_pdf
from kolscope.adapters.documents.pdf import FALLBACK_NOTICE, choose_fonts
from kolscope.core.campaigns.contract import ContractDocument, build_contract
from kolscope.core.campaigns.terms import Terms

TERMS = Terms.model_validate({
    "fee": "1500", "currency": "EUR", "payment_due_days": 21,
    "deliverables": [
        {"platform": "instagram", "format": "reel", "count": 2, "due": "2026-03-01",
         "hashtags": ["#glowup"]},
        {"platform": "xiaohongshu", "format": "image", "count": 1},
    ],
    "usage": {"channels": ["paid social"], "duration_days": 90},
    "exclusivity": {"competitors": ["rivalco"], "days_before": 7, "days_after": 30},
    "seeding": {"product": "Serum 50 ml", "value": "45"},
    "performance": {"per_click": "0.05", "revenue_share": "0.1", "cap": "500"},
})


def _doc(brand: str = "Acme <b>Beauty</b>", kol: str = "Mia (@mia on instagram)"
         ) -> ContractDocument:
    return build_contract(terms=TERMS, reference="spring-7-r2", issued_on=date(2026, 2, 1),
                          brand=brand, campaign="Spring glow", kol=kol)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_html_has_every_section_escaped() -> None:
    html = render_contract_html(_doc())
    for heading in ("Parties", "1. Deliverables", "2. Usage rights", "3. Exclusivity",
                    "4. Compensation", "5. Disclosure and conduct"):
        assert f"<h2>{heading}</h2>" in html
    assert "Fee: 1,500.00 EUR, payable within 21 days of completion." in html
    assert "Acme &lt;b&gt;Beauty&lt;/b&gt;" in html and "<b>Beauty</b>" not in html
    assert "1 × image on xiaohongshu; disclosure: 广告" in html
    assert "Reference spring-7-r2" in html and "contract version contract-1" in html


def test_pdf_reads_back_the_terms() -> None:
    data = render_contract_pdf(_doc(brand="Acme Beauty"))
    assert data.startswith(b"%PDF")
    reader = PdfReader(BytesIO(data))
    assert reader.metadata is not None and reader.metadata.subject == "spring-7-r2"
    text = _pdf_text(data)
    assert "spring-7-r2" in text
    assert "1,500.00 EUR" in text
    assert "2 × short video on instagram, due 2026-03-01" in text


def test_pdf_without_any_unicode_font_still_renders_with_a_notice(tmp_path: Path) -> None:
    doc = _doc(brand="Acme Beauty")
    data = render_contract_pdf(doc, font_path=tmp_path / "missing.ttf", font_candidates=())
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert FALLBACK_NOTICE[:40] in text.replace("\n", " ")
    assert "1,500.00 EUR" in text


def test_latin_only_fallback_has_no_notice() -> None:
    doc = build_contract(terms=Terms.model_validate({
        "fee": "10", "currency": "USD",
        "deliverables": [{"platform": "x", "format": "image", "disclosures": ["#ad"]}]}),
        reference="r-1", issued_on=date(2026, 1, 1), brand="Acme", campaign="C", kol="@kol")
    text = _pdf_text(render_contract_pdf(doc, font_candidates=()))
    assert FALLBACK_NOTICE[:20] not in text and "10.00 USD" in text


def test_chinese_text_survives_with_a_cjk_font() -> None:
    doc = _doc(brand="Acme", kol="小美 (@xiaomei on xiaohongshu)")
    body, fallback = choose_fonts(doc)
    if body is None or fallback is None:
        pytest.skip("no CJK font on this machine (install fonts-droid-fallback or "
                    "fonts-noto-cjk); the fallback path is tested above")
    text = _pdf_text(render_contract_pdf(doc))
    assert "广告" in text and "小美" in text and "1,500.00 EUR" in text
    assert FALLBACK_NOTICE[:20] not in text


def test_chinese_text_without_a_cjk_font_says_so() -> None:
    doc = _doc(brand="Acme", kol="小美 (@xiaomei on xiaohongshu)")
    latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not Path(latin).is_file():
        pytest.skip("DejaVu Sans is not installed")
    text = _pdf_text(render_contract_pdf(doc, font_candidates=(latin,)))
    assert FALLBACK_NOTICE[:40] in text.replace("\n", " ")

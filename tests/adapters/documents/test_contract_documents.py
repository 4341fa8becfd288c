"""The contract rendered as HTML and PDF: same content, escaped, readable back from the PDF."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from kolscope.adapters.documents import render_contract_html, render_contract_pdf
from kolscope.adapters.documents.pdf import FALLBACK_NOTICE, LATIN_FONTS, choose_fonts
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
    "notes": "Drafts go to <review@acme.example> & legal.",
})
HEADINGS = ("Parties", "1. Deliverables", "2. Usage rights", "3. Exclusivity", "4. Compensation",
            "5. Disclosure and conduct", "6. Other terms")
DEJAVU = next((p for p in LATIN_FONTS if "DejaVuSans" in p and Path(p).is_file()), None)


def _doc(brand: str = "Acme <b>Beauty</b>", kol: str = "Mia (@mia on instagram)"
         ) -> ContractDocument:
    return build_contract(terms=TERMS, reference="spring-7-r2", issued_on=date(2026, 2, 1),
                          brand=brand, campaign="Spring glow", kol=kol)


def _pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks folded, since wrapping depends on the font."""
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.split())


def test_html_has_every_section_and_escapes_user_text() -> None:
    html = render_contract_html(_doc())
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in html
    assert "Fee: 1,500.00 EUR, payable within 21 days of completion." in html
    assert "Acme &lt;b&gt;Beauty&lt;/b&gt;" in html and "<b>" not in html
    assert "&lt;review@acme.example&gt; &amp; legal" in html
    assert "1 × image on xiaohongshu; disclosure: 广告" in html
    assert "Reference spring-7-r2" in html and 'datetime="2026-02-01"' in html
    assert "Generated from terms version contract-1" in html


def test_html_is_self_contained_with_a_signature_block_per_signatory() -> None:
    doc = _doc(brand="Acme")
    html = render_contract_html(doc)
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert "src=" not in html and "url(" not in html
    assert html.count('class="signature"') == len(doc.signatories) == 2
    for who in doc.signatories:
        assert f"<h3>{who}</h3>" in html
    for label in ("Signature", "Name", "Date"):
        assert html.count(f'<p class="label">{label}</p>') == 2
    order = [html.index(f"<h2>{h}</h2>") for h in HEADINGS]
    assert order == sorted(order) and order[-1] < html.index('class="signatures"')


def test_pdf_reads_back_the_terms_and_metadata() -> None:
    data = render_contract_pdf(_doc(brand="Acme Beauty"))
    meta = PdfReader(BytesIO(data)).metadata
    assert meta is not None
    assert meta.title == "Collaboration agreement: Spring glow"
    assert meta.subject == "spring-7-r2" and meta.creator == "kolscope"
    text = _pdf_text(data)
    assert "spring-7-r2" in text and "1,500.00 EUR" in text
    assert "2 × short video on instagram, due 2026-03-01" in text
    assert "Generated from terms version contract-1" in text
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)


def test_pdf_is_deterministic() -> None:
    assert render_contract_pdf(_doc()) == render_contract_pdf(_doc())


def test_pdf_without_any_unicode_font_falls_back_with_a_notice(tmp_path: Path) -> None:
    choice = choose_fonts(_doc(), tmp_path / "missing.ttf", ())
    assert choice.body is None and not choice.fallbacks
    data = render_contract_pdf(_doc(), font_path=tmp_path / "missing.ttf", font_candidates=())
    text = _pdf_text(data)
    assert text.startswith(FALLBACK_NOTICE)
    assert "1,500.00 EUR" in text and "disclosure: ??" in text
    assert "Acme <b>Beauty</b>" in text


def test_unreadable_font_file_is_skipped(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"not a font at all")
    text = _pdf_text(render_contract_pdf(_doc(), font_path=bad, font_candidates=()))
    assert text.startswith(FALLBACK_NOTICE) and "1,500.00 EUR" in text


def test_latin_text_in_helvetica_needs_no_notice() -> None:
    doc = build_contract(terms=Terms.model_validate({
        "fee": "10", "currency": "USD",
        "deliverables": [{"platform": "x", "format": "image", "disclosures": ["#ad"]}]}),
        reference="r-1", issued_on=date(2026, 1, 1), brand="Café Müller €", campaign="C",
        kol="@kol")
    text = _pdf_text(render_contract_pdf(doc, font_candidates=()))
    assert FALLBACK_NOTICE not in text
    assert "10.00 USD" in text and "Café Müller €" in text


@pytest.mark.parametrize("awkward", [
    "bad \ud800 surrogate", "ctrl\x00\x07\x1b chars", "Mia ✨💄 👩‍🎤", "مرحبا שלום",
    "e\u0301 zero\u200bwidth\u2028line", "𠀀𪚥 𝔘𝔫𝔦", "x" * 3000,
])
def test_any_text_renders(awkward: str) -> None:
    doc = _doc(brand=awkward, kol=awkward)
    for candidates in (None, ()):
        assert render_contract_pdf(doc, font_candidates=candidates).startswith(b"%PDF")
    assert "<h2>Parties</h2>" in render_contract_html(doc)


def test_one_emoji_keeps_the_unicode_font_for_the_rest() -> None:
    if DEJAVU is None:
        pytest.skip("DejaVu Sans is not installed")
    text = _pdf_text(render_contract_pdf(_doc(brand="Маша 💄"), font_candidates=(DEJAVU,)))
    assert text.startswith(FALLBACK_NOTICE) and "Маша ?" in text


def test_chinese_text_survives_with_a_cjk_font() -> None:
    doc = _doc(brand="Acme", kol="小美 (@xiaomei on xiaohongshu)")
    choice = choose_fonts(doc)
    if choice.body is None or not {ord(c) for c in "广告小美"} <= choice.covered:
        pytest.skip("no CJK font on this machine (install fonts-noto-cjk, fonts-wqy-microhei "
                    "or fonts-droid-fallback); the Helvetica fallback is tested above")
    text = _pdf_text(render_contract_pdf(doc))
    assert "广告" in text and "小美" in text and "1,500.00 EUR" in text
    assert FALLBACK_NOTICE not in text


def test_chinese_text_without_a_cjk_font_says_so() -> None:
    if DEJAVU is None:
        pytest.skip("DejaVu Sans is not installed")
    doc = _doc(brand="Acme", kol="小美 (@xiaomei on xiaohongshu)")
    text = _pdf_text(render_contract_pdf(doc, font_candidates=(DEJAVU,)))
    assert text.startswith(FALLBACK_NOTICE) and "?? (@xiaomei on xiaohongshu)" in text

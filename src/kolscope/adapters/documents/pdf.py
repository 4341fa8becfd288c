"""The contract as a PDF for signing, drawn with fpdf2 (pure Python) in the same order as the HTML.

Text needs a Unicode TrueType font: the one given, else the first system font found that covers
the document (a CJK font for Chinese names and 广告). Without one the PDF falls back to the core
Helvetica font, shows what it cannot encode as "?" and says so at the top, so a missing font
never stops a contract from being produced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, time
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kolscope.core.campaigns.contract import ContractDocument

FALLBACK_NOTICE = ("Some characters could not be shown in this PDF; the HTML contract has the "
                   "full text.")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
LATIN_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
CJK_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


def _text_of(doc: ContractDocument) -> str:
    parts = [doc.title, doc.reference, doc.brand, doc.kol, *doc.signatories]
    for s in doc.sections:
        parts += [s.heading, *s.paragraphs, *s.items]
    return "\n".join(parts)


def _covers(font: Path, chars: set[str]) -> bool:
    try:
        with TTFont(str(font), fontNumber=0, lazy=True) as tt:
            cmap = tt.getBestCmap() or {}
    except (OSError, TTLibError):
        return False
    return all(ord(c) in cmap for c in chars)


def choose_fonts(doc: ContractDocument, font_path: Path | None = None,
                 candidates: Sequence[str] | None = None) -> tuple[Path | None, Path | None]:
    """The body font and, for Chinese, Japanese or Korean text, a fallback font.

    ``font_path`` wins when it exists. Otherwise the first candidate with a glyph for every
    non-CJK character is the body font, and the first with every CJK character the fallback.
    """
    found = [Path(p) for p in (candidates if candidates is not None
                               else (*LATIN_FONTS, *CJK_FONTS)) if Path(p).is_file()]
    chars = {c for c in _text_of(doc) + FALLBACK_NOTICE + "•·×%" if not c.isspace()}
    cjk = {c for c in chars if _CJK.match(c)}
    body = font_path if font_path is not None and font_path.is_file() else next(
        (f for f in found if _covers(f, chars - cjk)), None)
    fallback = next((f for f in found if _covers(f, cjk)), None) if cjk and body else None
    if body is not None and cjk and _covers(body, cjk):
        fallback = None
    return body, fallback


class _Pdf(FPDF):
    def __init__(self, font: Path | None, fallback: Path | None = None) -> None:
        super().__init__(format="A4")
        self.unicode = font is not None
        self.lost = False
        if font is not None:
            self.add_font("body", "", str(font))
            self.family = "body"
            if fallback is not None:
                self.add_font("fallback", "", str(fallback))
                self.set_fallback_fonts(["fallback"])
        else:
            self.family = "helvetica"

    def clean(self, text: str) -> str:
        if self.unicode:
            return text
        encoded = text.encode("latin-1", "replace").decode("latin-1")
        self.lost |= encoded != text
        return encoded

    def para(self, text: str, size: float = 11, *, indent: float = 0) -> None:
        self.set_font(self.family, size=size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.55, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _complete(doc: ContractDocument, font: Path | None, fallback: Path | None) -> bool:
    """Whether every character of the document has a glyph in the fonts chosen."""
    text = _text_of(doc)
    if font is None:
        probe = _Pdf(None)
        probe.clean(text)
        return not probe.lost
    chars = {c for c in text if not c.isspace()}
    cjk = {c for c in chars if _CJK.match(c)}
    return _covers(font, chars - cjk) and (
        not cjk or _covers(font, cjk) or (fallback is not None and _covers(fallback, cjk)))


def render_contract_pdf(doc: ContractDocument, *, font_path: Path | None = None,
                        font_candidates: Sequence[str] | None = None) -> bytes:
    """The contract as PDF bytes; ``font_candidates`` replaces the system font search."""
    font, fallback = choose_fonts(doc, font_path, font_candidates)
    pdf = _Pdf(font, fallback)
    pdf.set_title(doc.title)
    pdf.set_subject(doc.reference)
    pdf.set_creator("kolscope")
    pdf.set_creation_date(datetime.combine(doc.issued_on, time(), tzinfo=UTC))
    pdf.add_page()
    if not _complete(doc, font, fallback):
        pdf.para(FALLBACK_NOTICE, 9)
        pdf.ln(2)
    pdf.para(doc.title, 16)
    pdf.para(f"Reference {doc.reference} · issued {doc.issued_on.isoformat()}", 9)
    bullet = "•" if pdf.unicode else "-"
    for section in doc.sections:
        pdf.ln(3)
        pdf.para(section.heading, 13)
        for paragraph in section.paragraphs:
            pdf.para(paragraph)
        for item in section.items:
            pdf.para(f"{bullet} {item}", indent=4)
    pdf.ln(10)
    for who in doc.signatories:
        pdf.ln(6)
        pdf.para(f"Signature ({who}): ______________________________")
        pdf.para("Name: ______________________________   Date: ____________")
    pdf.ln(6)
    pdf.para(f"Generated from terms by kolscope, contract version {doc.version}.", 8)
    return bytes(pdf.output())

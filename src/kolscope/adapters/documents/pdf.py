"""The contract as a PDF for signing, drawn with fpdf2 (pure Python) in the same order as the HTML.

Text needs Unicode TrueType fonts: the one given first, then well-known system fonts, chosen by
which cover the document's characters (a CJK font joins in for Chinese names and 广告). Without
any, the PDF falls back to the core Helvetica font. Whatever no chosen font can draw is shown as
"?" under a notice at the top, so an odd character or a missing font never stops a contract.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kolscope.core.campaigns.contract import ContractDocument

log = logging.getLogger(__name__)

FALLBACK_NOTICE = ("Some characters could not be shown in this PDF; the HTML contract has the "
                   "full text.")
LATIN_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
CJK_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
    "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",
)
SYSTEM_FONTS: tuple[str, ...] = (*LATIN_FONTS, *CJK_FONTS)
CORE_ENCODING = "cp1252"
_FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc"})
_MAX_FALLBACKS = 3
_CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                  "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                  "\U00020000-\U0003ffff]")
_STAND_INS = {"•": "-", "·": "-", "×": "x", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"',
              "”": '"', "…": "...", "\u2028": "\n", "\u2029": "\n"}


@dataclass(frozen=True)
class _Line:
    text: str
    size: float = 11
    indent: float = 0
    space_before: float = 0


@dataclass(frozen=True)
class FontChoice:
    """The body font (None: core Helvetica) and the fonts that fill in what it lacks."""

    body: Path | None
    fallbacks: tuple[Path, ...] = ()
    covered: frozenset[int] = frozenset()


def _plain(text: str) -> str:
    """NFC text without lone surrogates or control characters, which no PDF string can carry."""
    text = unicodedata.normalize("NFC", "".join(
        "?" if "\ud800" <= c <= "\udfff" else c for c in text))
    return "".join(" " if c != "\n" and unicodedata.category(c) == "Cc" else c for c in text)


def _lines(doc: ContractDocument) -> list[_Line]:
    lines = [_Line(doc.title, 16),
             _Line(f"Reference {doc.reference} · issued {doc.issued_on.isoformat()}", 9)]
    for section in doc.sections:
        lines.append(_Line(section.heading, 13, space_before=4))
        lines += [_Line(p) for p in section.paragraphs]
        lines += [_Line(f"• {item}", indent=4) for item in section.items]
    rule = "_" * 30
    for i, who in enumerate(doc.signatories):
        lines += [_Line(who, 12, space_before=14 if i == 0 else 8),
                  _Line(f"Signature: {rule}", space_before=6), _Line(f"Name: {rule}"),
                  _Line(f"Date: {rule}")]
    lines.append(_Line(f"Generated from terms version {doc.version}", 8, space_before=10))
    return [_Line(_plain(ln.text), ln.size, ln.indent, ln.space_before) for ln in lines]


@cache
def _core_coverage() -> frozenset[int]:
    covered = set()
    for cp in range(0x20, 0x3000):
        try:
            chr(cp).encode(CORE_ENCODING)
        except UnicodeEncodeError:
            continue
        covered.add(cp)
    return frozenset(covered)


@lru_cache(maxsize=64)
def _cmap(path: str, _mtime_ns: int, _size: int) -> frozenset[int]:
    try:
        with TTFont(path, fontNumber=0, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # any unreadable or malformed file is simply not a usable font
        return frozenset()


def _coverage(path: Path) -> frozenset[int]:
    """The code points a font file draws; empty when it is missing or not a readable font."""
    if path.suffix.lower() not in _FONT_SUFFIXES:
        return frozenset()
    try:
        stat = path.stat()
    except OSError:
        return frozenset()
    return _cmap(str(path), stat.st_mtime_ns, stat.st_size) if path.is_file() else frozenset()


def _best(fonts: list[tuple[Path, frozenset[int]]], wanted: set[int]
          ) -> tuple[Path, frozenset[int]] | None:
    """The earliest font drawing the most of ``wanted``, or None when none draws any."""
    best = max(fonts, key=lambda f: len(wanted & f[1]), default=None)
    return best if best is not None and wanted & best[1] else None


def choose_fonts(doc: ContractDocument, font_path: Path | None = None,
                 candidates: Sequence[str | Path] | None = None) -> FontChoice:
    """The fonts that draw the most of the document, ``font_path`` first among equals.

    The body font is picked on the non-CJK text so Latin text keeps a Latin face; fallbacks are
    added for what it lacks (CJK above all). Helvetica is used when no TrueType font does better.
    """
    return fonts_for_text("".join(ln.text for ln in _lines(doc)), font_path, candidates)


def fonts_for_text(text: str, font_path: Path | None = None,
                   candidates: Sequence[str | Path] | None = None) -> FontChoice:
    """The fonts that draw the most of ``text`` (any document), chosen as for a contract."""
    paths = [*([font_path] if font_path is not None else []),
             *(Path(p) for p in (SYSTEM_FONTS if candidates is None else candidates))]
    fonts = [(p, cov) for p in dict.fromkeys(paths) if (cov := _coverage(p))]
    needed = {ord(c) for c in text + FALLBACK_NOTICE if not c.isspace()}
    core = FontChoice(None, (), _core_coverage())
    body = _best(fonts, {c for c in needed if not _CJK.match(chr(c))}) or _best(fonts, needed)
    if body is None:
        return core
    covered, fallbacks = set(body[1]), list[Path]()
    while len(fallbacks) < _MAX_FALLBACKS and (extra := _best(fonts, needed - covered)):
        fallbacks.append(extra[0])
        covered |= extra[1]
    if len(needed & covered) < len(needed & core.covered):
        return core
    return FontChoice(body[0], tuple(fallbacks), frozenset(covered))


def core_fonts() -> FontChoice:
    """Helvetica alone: what a PDF falls back to when no TrueType font can be embedded."""
    return FontChoice(None, (), _core_coverage())


def shown_text(text: str, covered: frozenset[int]) -> tuple[str, bool]:
    """``text`` as fonts covering ``covered`` draw it, and whether anything visible was lost."""
    return _shown(_plain(text), covered)


def _shown(text: str, covered: frozenset[int]) -> tuple[str, bool]:
    """The text as the fonts can draw it, and whether anything visible was lost."""
    out, lost = [], False
    for c in text:
        if c == "\n" or ord(c) in covered:
            out.append(c)
        elif (stand_in := _STAND_INS.get(c)) is not None and all(
                s == "\n" or ord(s) in covered for s in stand_in):
            out.append(stand_in)
        elif c.isspace():
            out.append(" ")
        elif (category := unicodedata.category(c)) == "Cf":
            continue
        else:
            lost = True
            if category not in ("Mn", "Me"):
                out.append("?")
    return "".join(out), lost


def _draw(doc: ContractDocument, fonts: FontChoice) -> bytes:
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = CORE_ENCODING
    family = "helvetica"
    if fonts.body is not None:
        family = "body"
        pdf.add_font(family, "", str(fonts.body))
        for i, fallback in enumerate(fonts.fallbacks):
            pdf.add_font(f"fallback{i}", "", str(fallback))
        if fonts.fallbacks:
            pdf.set_fallback_fonts([f"fallback{i}" for i in range(len(fonts.fallbacks))],
                                   exact_match=False)
    pdf.set_title(_plain(doc.title))
    pdf.set_subject(_plain(doc.reference))
    pdf.set_author(_plain(f"{doc.brand} and {doc.kol}"))
    pdf.set_creator("kolscope")
    pdf.set_creation_date(datetime.combine(doc.issued_on, time(), tzinfo=UTC))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    shown = [(_shown(ln.text, fonts.covered), ln) for ln in _lines(doc)]
    if any(lost for (_, lost), _ in shown):
        shown.insert(0, ((FALLBACK_NOTICE, False), _Line(FALLBACK_NOTICE, 9)))
    for (text, _), line in shown:
        if line.space_before:
            pdf.ln(line.space_before)
        pdf.set_font(family, size=line.size)
        pdf.set_x(pdf.l_margin + line.indent)
        pdf.multi_cell(0, line.size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def render_contract_pdf(doc: ContractDocument, *, font_path: Path | None = None,
                        font_candidates: Sequence[str | Path] | None = None) -> bytes:
    """The contract as PDF bytes; ``font_candidates`` replaces the system font search.

    Deterministic for the same document and fonts: the creation date is the issue date.
    """
    fonts = choose_fonts(doc, font_path, font_candidates)
    if fonts.body is None:
        return _draw(doc, fonts)
    try:
        return _draw(doc, fonts)
    except Exception:  # a font fontTools reads but fpdf2 cannot embed must not block a contract
        log.warning("contract %s: could not embed %s, using Helvetica", doc.reference,
                    ", ".join(str(p) for p in (fonts.body, *fonts.fallbacks)), exc_info=True)
        return _draw(doc, FontChoice(None, (), _core_coverage()))

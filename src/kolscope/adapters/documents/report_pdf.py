"""The campaign report as a PDF (fpdf2): the summary, KPIs, charts drawn as vectors and the
report's tables, in A4 landscape.

Fonts are chosen as for contracts (:func:`kolscope.adapters.documents.pdf.fonts_for_text`): a
Unicode TrueType font with CJK fallbacks where the text needs them, else Helvetica; what no font
draws is shown as "?". The appendix of stored rows is in the HTML, CSV and XLSX exports.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import pairwise

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from kolscope.adapters.documents.pdf import (
    CORE_ENCODING,
    FontChoice,
    core_fonts,
    fonts_for_text,
    shown_text,
)
from kolscope.adapters.documents.report_charts import HEIGHT, WIDTH, Chart, layout, report_charts
from kolscope.adapters.documents.report_html import format_number
from kolscope.core.reporting.models import CampaignReport

log = logging.getLogger(__name__)

#: Rows of a table drawn in the PDF; the rest are in the HTML and the exports.
MAX_ROWS = 60
CHART_W = 128.0  # mm


def _hex(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


class _Doc:
    def __init__(self, report: CampaignReport, fonts: FontChoice) -> None:
        self.r, self.fonts = report, fonts
        pdf = FPDF(orientation="landscape", format="A4")
        pdf.core_fonts_encoding = CORE_ENCODING
        self.family = "helvetica"
        if fonts.body is not None:
            self.family = "body"
            pdf.add_font("body", "", str(fonts.body))
            for i, fallback in enumerate(fonts.fallbacks):
                pdf.add_font(f"fallback{i}", "", str(fallback))
            if fonts.fallbacks:
                pdf.set_fallback_fonts([f"fallback{i}" for i in range(len(fonts.fallbacks))],
                                       exact_match=False)
        pdf.set_title(self.t(f"{report.campaign.name}: campaign report"))
        pdf.set_creator("kolscope")
        pdf.set_creation_date(report.generated_at)
        pdf.set_auto_page_break(True, margin=12)
        pdf.add_page()
        self.pdf = pdf

    def t(self, text: str) -> str:
        return shown_text(text, self.fonts.covered)[0]

    def text(self, text: str, size: float = 10, space: float = 0) -> None:
        if space:
            self.pdf.ln(space)
        self.pdf.set_font(self.family, size=size)
        self.pdf.multi_cell(0, size * 0.5, self.t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float] | None = None, size: float = 8) -> None:
        self.text(title, 13, space=4)
        self.pdf.set_font(self.family, size=size)
        self.pdf.set_fill_color(255, 255, 255)
        shown = list(rows)[:MAX_ROWS]
        with self.pdf.table(col_widths=tuple(widths) if widths else None,
                            line_height=size * 0.48,
                            headings_style=FontFace(emphasis=None, fill_color=(242, 244, 247)),
                            text_align="LEFT", padding=0.8) as table:
            for row in [list(columns), *shown]:
                cells = table.row()
                for value in row:
                    cells.cell(self.t(value))
        if len(rows) > MAX_ROWS:
            self.text(f"{len(rows) - MAX_ROWS:,} more rows in the HTML report and the exports.",
                      8)

    def chart(self, chart: Chart, x: float, y: float) -> None:
        """Draw ``chart`` at (x, y) mm as vectors, from the geometry the SVG uses."""
        pdf, lay = self.pdf, layout(chart)
        k = CHART_W / WIDTH
        pdf.set_font(self.family, size=7)
        pdf.set_xy(x, y)
        pdf.cell(CHART_W, 4, self.t(chart.title))
        pdf.set_draw_color(234, 236, 240)
        for ty, label in lay.ticks:
            pdf.line(x + 64 * k, y + ty * k, x + (WIDTH - 16) * k, y + ty * k)
            pdf.set_xy(x, y + ty * k - 1.5)
            pdf.cell(62 * k, 3, label, align="R")
        for m in lay.marks:
            pdf.set_fill_color(*_hex(m.color))
            if chart.kind == "bars":
                pdf.rect(x + m.x * k, y + m.y * k, m.w * k, max(m.h * k, 0.2), style="F")
            else:
                pdf.circle(x + m.x * k, y + m.y * k, 0.9, style="F")
        for name, points in lay.lines.items():
            color = next(s.color for s in chart.series if s.name == name)
            pdf.set_draw_color(*_hex(color))
            for (x1, y1), (x2, y2) in pairwise(points):
                pdf.line(x + x1 * k, y + y1 * k, x + x2 * k, y + y2 * k)
        pdf.set_draw_color(0, 0, 0)
        for lx, label in lay.labels[:15]:
            pdf.set_xy(x + lx * k - 12, y + (HEIGHT - 52) * k)
            pdf.cell(24, 3, self.t(label[:14]), align="C")
        legend = ", ".join(s.name for s in chart.series)
        pdf.set_xy(x, y + (HEIGHT - 40) * k + 4)
        pdf.cell(CHART_W, 3, self.t(legend))


def _draw(report: CampaignReport, fonts: FontChoice) -> bytes:
    d, r, cur = _Doc(report, fonts), report, report.currency
    d.text(r.campaign.name, 18)
    d.text(f"{r.campaign.brand} · goal {r.campaign.goal} · status {r.campaign.status} · "
           f"generated {r.generated_at:%Y-%m-%d %H:%M} UTC · methods {r.method_version}, "
           f"{r.kpi_method_version}, {r.emv_method_version}, {r.rehire_method_version}", 8)
    d.text("Summary", 13, space=3)
    for line in [*r.summary, *r.notes]:
        d.text(f"- {line}", 9)
    d.table("KPIs against targets and forecast", ["KPI", "value", "target", "status",
                                                  "forecast", "note"],
            [[k.label + (" (estimated)" if k.estimated else ""),
              format_number(k.value, k.unit, cur),
              "" if k.target is None else format_number(k.target, k.unit, cur),
              {True: "met", False: "not met"}.get(k.target_met, "") if k.target_met is not None
              else "", "" if k.forecast is None else
              f"{k.forecast.point:,.0f} ({k.forecast.low:,.0f}-{k.forecast.high:,.0f})",
              k.note] for k in r.kpis], widths=(40, 35, 25, 18, 40, 115), size=7.5)
    charts = report_charts(r)
    d.pdf.add_page()
    d.text("Charts", 13)
    top = d.pdf.get_y() + 2
    for i, chart in enumerate(charts):
        d.chart(chart, 12 + (i % 2) * (CHART_W + 12), top + (i // 2) * (HEIGHT * CHART_W /
                                                                        WIDTH + 8))
    d.pdf.set_y(top + ((len(charts) + 1) // 2) * (HEIGHT * CHART_W / WIDTH + 8))
    _tables(d, r)
    return bytes(d.pdf.output())


def _tables(d: _Doc, r: CampaignReport) -> None:
    cur, n = r.currency, format_number
    d.table("Per KOL", ["KOL", "platform", "posts", "engagements", "ER", "impressions",
                        "clicks", "orders", "revenue", "spend", "CPE", "ROI"],
            [["@" + k.handle, k.platform, n(k.posts), n(k.engagements),
              n(k.engagement_rate, "share"), n(k.impressions), n(k.clicks), n(k.orders),
              n(k.revenue, "money"), n(k.spend, "money"), n(k.cpe, "money"),
              n(k.roi, "share")] for k in r.kols])
    d.table("Per platform", ["platform", "KOLs", "posts", "engagements", "ER", "clicks",
                             "orders", "revenue", "spend", "CPE", "ROI"],
            [[p.platform, n(p.kols), n(p.posts), n(p.engagements), n(p.engagement_rate, "share"),
              n(p.clicks), n(p.orders), n(p.revenue, "money"), n(p.spend, "money"),
              n(p.cpe, "money"), n(p.roi, "share")] for p in r.platforms])
    d.table("Best content", ["#", "KOL", "platform", "format", "engagements", "ER", "views",
                             "url"],
            [[str(i), "@" + c.handle, c.platform, c.format, n(c.engagements),
              n(c.engagement_rate, "share"), n(c.views), c.url or ""]
             for i, c in enumerate(r.best_content, start=1)],
            widths=(8, 35, 22, 22, 25, 18, 22, 125))
    d.table("Sentiment by day", ["day", "positive", "neutral", "negative"],
            [[str(s.day), n(s.positive), n(s.neutral), n(s.negative)] for s in r.sentiment])
    for c in r.sample_comments:
        d.text(f"{c.label}: \u201c{c.text}\u201d - {c.author} on @{c.handle}'s post", 8)
    d.table(f"Spend{f' ({cur})' if cur else ''}", ["KOL", "fees", "performance", "adjustments",
                                                  "agreed, not booked", "spend", "paid"],
            [["@" + s.handle, n(s.fees, "money"), n(s.performance, "money"),
              n(s.adjustments, "money"), n(s.committed, "money"), n(s.total, "money"),
              n(s.paid, "money")] for s in r.spend])
    d.table(f"What to rehire ({r.rehire_method_version})", ["#", "KOL", "verdict", "CPE", "ROI",
                                                           "why"],
            [[str(x.rank), "@" + x.handle, x.verdict, n(x.cpe, "money"), n(x.roi, "share"),
              "; ".join(x.reasons)] for x in r.rehire], widths=(8, 35, 20, 22, 18, 170))
    d.text("Every number is computed from stored rows; the HTML report links each one to "
           "them, and the CSV and XLSX exports hold them.", 8, space=4)


def render_report_pdf(report: CampaignReport, *, font_candidates: Sequence[str] | None = None
                      ) -> bytes:
    """The report as PDF bytes; deterministic for the same report and fonts."""
    words = [report.campaign.name, report.campaign.brand, *report.summary,
             *(k.handle for k in report.kols), *(c.text for c in report.sample_comments),
             *(x for line in report.rehire for x in line.reasons)]
    fonts = fonts_for_text(" ".join(words), candidates=font_candidates)
    if fonts.body is None:
        return _draw(report, fonts)
    try:
        return _draw(report, fonts)
    except Exception:  # a font fontTools reads but fpdf2 cannot embed must not block a report
        log.warning("report %s: could not embed %s, using Helvetica", report.campaign.slug,
                    fonts.body, exc_info=True)
        return _draw(report, core_fonts())

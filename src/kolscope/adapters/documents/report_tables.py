"""The campaign report as tables, and its CSV and XLSX exports.

One list of tables serves every tabular format: the report's own tables (KPIs, per KOL, per
platform, best content, sentiment, sample comments, spend, what to rehire) and then the appendix
of stored rows (``rows_<table>``). The last column of a report table, ``sources``, names the rows
each line was computed from as ``table:id,id;table:id``.

CSV is one long file with a ``table`` column: ``table, row, field, value`` with one line per
cell, so a single file carries every table and pivots back to any of them. XLSX has one sheet
per table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from kolscope.core.reporting.facts import RowRef
from kolscope.core.reporting.models import CampaignReport

Cell = str | int | float | Decimal | date | datetime | None
CSV_COLUMNS = ("table", "row", "field", "value")


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


def sources_text(refs: Sequence[RowRef]) -> str:
    """``deliverables:1,2;tracking_links:7``: the rows a number was computed from."""
    return ";".join(f"{r.table}:{','.join(str(i) for i in r.ids)}" for r in refs)


def report_tables(report: CampaignReport) -> list[Table]:
    """Every table of the report, appendix included, with raw (unformatted) values."""
    r = report
    tables = [
        Table("kpis", "KPIs", ["kpi", "label", "unit", "value", "target", "target_met",
                               "forecast", "forecast_low", "forecast_high", "estimated", "note",
                               "sources"],
              [[k.key, k.label, k.unit, k.value, k.target, k.target_met,
                k.forecast.point if k.forecast else None,
                k.forecast.low if k.forecast else None, k.forecast.high if k.forecast else None,
                k.estimated, k.note, sources_text(k.sources)] for k in r.kpis]),
        Table("kols", "Per KOL", ["collaboration_id", "handle", "platform", "followers",
                                  "stage", "posts", "engagements", "engagement_rate",
                                  "impressions", "views", "clicks", "unique_clicks", "orders",
                                  "revenue", "spend", "cpe", "cpc", "cpa", "roas", "roi",
                                  "negative_share", "sources"],
              [[k.collaboration_id, k.handle, k.platform, k.followers, k.stage, k.posts,
                k.engagements, k.engagement_rate, k.impressions, k.views, k.clicks,
                k.unique_clicks, k.orders, k.revenue, k.spend, k.cpe, k.cpc, k.cpa, k.roas,
                k.roi, k.negative_share, sources_text(k.sources)] for k in r.kols]),
        Table("platforms", "Per platform", ["platform", "kols", "posts", "engagements",
                                            "engagement_rate", "impressions", "views", "clicks",
                                            "orders", "revenue", "spend", "cpe", "roi",
                                            "sources"],
              [[p.platform, p.kols, p.posts, p.engagements, p.engagement_rate, p.impressions,
                p.views, p.clicks, p.orders, p.revenue, p.spend, p.cpe, p.roi,
                sources_text(p.sources)] for p in r.platforms]),
        Table("content", "Best content", ["deliverable_id", "handle", "platform", "format",
                                          "posted_at", "engagements", "engagement_rate",
                                          "views", "forecast", "url", "sources"],
              [[c.deliverable_id, c.handle, c.platform, c.format, c.posted_at, c.engagements,
                c.engagement_rate, c.views, c.forecast.point if c.forecast else None, c.url,
                sources_text(c.sources)] for c in r.best_content]),
        Table("sentiment", "Sentiment by day", ["day", "positive", "neutral", "negative",
                                                "sources"],
              [[d.day, d.positive, d.neutral, d.negative, sources_text(d.sources)]
               for d in r.sentiment]),
        Table("sample_comments", "Sample comments", ["comment_id", "post_id", "handle",
                                                     "author", "label", "score", "at", "text"],
              [[c.comment_id, c.post_id, c.handle, c.author, c.label, c.score, c.at, c.text]
               for c in r.sample_comments]),
        Table("spend", "Spend", ["collaboration_id", "handle", "fees", "performance",
                                 "adjustments", "committed", "total", "paid", "sources"],
              [[s.collaboration_id, s.handle, s.fees, s.performance, s.adjustments,
                s.committed, s.total, s.paid, sources_text(s.sources)] for s in r.spend]),
        Table("rehire", "What to rehire", ["rank", "collaboration_id", "handle", "verdict",
                                           "cpe", "roi", "negative_share", "reasons",
                                           "sources"],
              [[x.rank, x.collaboration_id, x.handle, x.verdict, x.cpe, x.roi,
                x.negative_share, "; ".join(x.reasons), sources_text(x.sources)]
               for x in r.rehire]),
    ]
    tables += [Table(f"rows_{t.table}", t.title, list(t.columns), [list(row) for row in t.rows])
               for t in r.evidence]
    return tables


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render_report_csv(report: CampaignReport) -> str:
    """One long CSV: a line per cell (``table, row, field, value``), every table included."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for table in report_tables(report):
        for i, row in enumerate(table.rows, start=1):
            for column, value in zip(table.columns, row, strict=True):
                writer.writerow((table.name, i, column, _text(value)))
    return out.getvalue()


def _cell(value: Cell) -> Cell:
    """A value as openpyxl stores it: times without a zone (they are UTC)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def render_report_xlsx(report: CampaignReport) -> bytes:
    """An XLSX workbook with one sheet per table (sheet names at most 31 characters)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    about = book.create_sheet("about")
    about.append(["campaign", report.campaign.slug])
    about.append(["method", report.method_version])
    about.append(["generated_at", report.generated_at.replace(tzinfo=None)])
    about.append(["currency", report.currency])
    for line in report.summary:
        about.append(["summary", line])
    for table in report_tables(report):
        sheet = book.create_sheet(table.name[:31])
        sheet.append(table.columns)
        for c in sheet[1]:
            c.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

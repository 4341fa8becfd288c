"""One entry point for every report format, shared by the CLI, the API and the web pages."""

from __future__ import annotations

from dataclasses import dataclass

from kolscope.adapters.documents.report_html import RowUrl, render_report_html
from kolscope.adapters.documents.report_pdf import render_report_pdf
from kolscope.adapters.documents.report_tables import render_report_csv, render_report_xlsx
from kolscope.core.reporting.models import CampaignReport
from kolscope.errors import InvalidInput

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str
    extension: str


#: Format name → (media type, file extension).
FORMATS = {"html": ("text/html; charset=utf-8", "html"), "pdf": ("application/pdf", "pdf"),
           "csv": ("text/csv; charset=utf-8", "csv"), "xlsx": (XLSX, "xlsx"),
           "json": ("application/json", "json")}


def parse_formats(text: str) -> list[str]:
    """``html,pdf`` → ["html", "pdf"], each checked."""
    names = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in names if f not in FORMATS]
    if unknown or not names:
        raise InvalidInput(f"format must be one or more of {', '.join(FORMATS)} "
                           "(comma-separated)", field="format")
    return list(dict.fromkeys(names))


def render_report(report: CampaignReport, fmt: str, *, row_url: RowUrl | None = None
                  ) -> Rendered:
    """The report in format ``fmt`` (html, pdf, csv, xlsx or json)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}", field="format")
    media, ext = FORMATS[fmt]
    if fmt == "html":
        body = render_report_html(report, row_url=row_url).encode("utf-8")
    elif fmt == "pdf":
        body = render_report_pdf(report)
    elif fmt == "csv":
        body = render_report_csv(report).encode("utf-8")
    elif fmt == "xlsx":
        body = render_report_xlsx(report)
    else:
        body = report.model_dump_json(indent=2).encode("utf-8")
    return Rendered(body, media, ext)

"""Report pages: a campaign's report (the same document as the HTML export, its numbers linked
to the pages of their rows) with its downloads, and the workspace overview dashboard."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kolscope.adapters.documents.report_html import RowUrl, format_number, render_report_html
from kolscope.adapters.documents.reports import render_report
from kolscope.app.campaigns import list_campaigns
from kolscope.app.reports import campaign_report, kol_leaderboard
from kolscope.web.pages import open_uow, render, runtime_of, workspace_context

router = APIRouter(include_in_schema=False)
#: Tables whose rows are shown on their collaboration's page.
ON_COLLAB_PAGE = frozenset({"collaborations", "deliverables", "tracking_links", "conversions",
                            "live_sessions", "ledger_entries"})


def _row_url(request: Request, slug: str) -> RowUrl:
    def url(table: str, row_id: int | str, collab: int | None) -> str | None:
        if table in ON_COLLAB_PAGE and collab is not None:
            return str(request.url_for("web_collab", slug=slug, cid=collab).path)
        return None

    return url


@router.get("/w/{slug}/campaigns/{cslug}/report", name="web_report",
            response_class=HTMLResponse)
def report(request: Request, slug: str, cslug: str) -> HTMLResponse:
    """The campaign report; each number links to its rows, each row to its page."""
    rt = runtime_of(request)
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        view = campaign_report(uow, workspace=slug, slug=cslug, now=rt.clock())
    body = render_report_html(view, row_url=_row_url(request, slug), fragment=True)
    return render(request, "campaign_report.html", {
        **context, "section": "campaigns", "report": view, "body": body})


@router.get("/w/{slug}/campaigns/{cslug}/report.{fmt}", name="web_report_file",
            response_model=None)
def report_file(request: Request, slug: str, cslug: str,
                fmt: Literal["html", "pdf", "csv", "xlsx"]) -> Response:
    """A download: the standalone HTML file (numbers linked to its appendix), PDF, CSV, XLSX."""
    rt = runtime_of(request)
    with open_uow(request) as uow:
        view = campaign_report(uow, workspace=slug, slug=cslug, now=rt.clock())
    done = render_report(view, fmt)
    return Response(done.body, media_type=done.media_type, headers={
        "content-disposition": f"attachment; filename={cslug}-report.{done.extension}"})


@router.get("/w/{slug}/overview", name="web_overview", response_class=HTMLResponse)
def overview(request: Request, slug: str) -> HTMLResponse:
    """The workspace at a glance: every campaign's headline KPIs and the top KOLs."""
    rt = runtime_of(request)
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        reports = [campaign_report(uow, workspace=slug, slug=c.slug, now=rt.clock())
                   for c in list_campaigns(uow, workspace=slug)]
        top = kol_leaderboard(uow, workspace=slug, by="engagements", now=rt.clock(), limit=10)
    return render(request, "workspace_overview.html", {
        **context, "section": "campaigns", "reports": reports, "top": top,
        "num": format_number})

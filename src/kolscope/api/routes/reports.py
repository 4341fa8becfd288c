"""Campaign reports: the report as JSON or as a file (HTML, PDF, CSV, XLSX), campaigns side by
side and the KOL leaderboard."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from kolscope.adapters.documents.reports import FORMATS, render_report
from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.reports import (
    KolPerformance,
    campaign_comparison,
    campaign_report,
    kol_leaderboard,
    kol_performance,
)
from kolscope.core.reporting.compare import Comparison, Leaderboard
from kolscope.core.reporting.models import CampaignReport

router = APIRouter(tags=["reports"])
FILES: dict[int | str, dict[str, Any]] = {
    200: {"content": {media.split(";")[0]: {} for media, _ in FORMATS.values()}}}


@router.get("/campaigns/{slug}/report", response_model=CampaignReport)
def report(slug: str, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep) -> CampaignReport:
    """The campaign report: KPIs against targets and forecast, tables, spend, what to rehire;
    every number with the rows it was computed from (``sources``)."""
    return campaign_report(uow, workspace=workspace, slug=slug, now=rt.clock())


@router.get("/campaigns/{slug}/report.{fmt}", response_class=Response, responses=FILES)
def report_file(slug: str, fmt: Literal["html", "pdf", "csv", "xlsx", "json"], rt: RuntimeDep,
                uow: UowDep, workspace: WorkspaceDep) -> Response:
    """The report as a self-contained HTML page, a PDF, one long CSV or an XLSX workbook."""
    view = campaign_report(uow, workspace=workspace, slug=slug, now=rt.clock())
    done = render_report(view, fmt)
    return Response(done.body, media_type=done.media_type, headers={
        "Content-Disposition": f'attachment; filename="{slug}-report.{done.extension}"'})


@router.get("/reports/compare", response_model=Comparison)
def compare(campaign: Annotated[list[str], Query(description="Two or more campaign slugs.")],
            rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep) -> Comparison:
    """Campaigns side by side, the same KPIs by the same definitions."""
    return campaign_comparison(uow, workspace=workspace, slugs=campaign, now=rt.clock())


@router.get("/reports/leaderboard", response_model=Leaderboard)
def leaderboard(rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
                by: Annotated[str, Query()] = "engagements",
                limit: Annotated[int, Query(ge=1, le=10_000)] = 50) -> Leaderboard:
    """The workspace's KOLs ranked across its campaigns by one KPI (costs lowest first)."""
    return kol_leaderboard(uow, workspace=workspace, by=by, now=rt.clock(), limit=limit)


@router.get("/accounts/{account_id}/performance", response_model=list[KolPerformance])
def performance(account_id: int, rt: RuntimeDep, uow: UowDep,
                workspace: WorkspaceDep) -> list[KolPerformance]:
    """One KOL's line in the report of every campaign it took part in."""
    return kol_performance(uow, workspace=workspace, account_id=account_id, now=rt.clock())

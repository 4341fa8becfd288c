"""Discovery: score authority in the workspace's interaction graph."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kolscope.adapters.engines import get_engine
from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.audience import AudienceReport, research_audience
from kolscope.app.classification import ClassificationSummary, breakdown, classify_workspace
from kolscope.app.discovery import AuthoritySummary, compute_authority
from kolscope.app.models import BreakdownRow

router = APIRouter(prefix="/discovery", tags=["discovery"])


@router.post("/authority", response_model=AuthoritySummary)
def authority(rt: RuntimeDep, workspace: WorkspaceDep, engine: str | None = None,
              full: bool = False) -> AuthoritySummary:
    """Recompute every KOL's authority (PageRank, per-niche PageRank, HITS, k-core); with
    ``full=true`` the interaction graph is rebuilt rather than updated with new interactions."""
    settings = rt.settings
    return compute_authority(rt.db.uow, workspace=workspace,
                             engine=get_engine(engine or settings.graph_engine), clock=rt.clock,
                             half_life_days=settings.authority_half_life_days,
                             store=rt.graphs, full=full)


@router.post("/classify", response_model=ClassificationSummary)
def classify(rt: RuntimeDep, workspace: WorkspaceDep) -> ClassificationSummary:
    """Predict every KOL's niche and type (expert, celebrity, influencer, KOC), with reasons."""
    return classify_workspace(rt.db.uow, workspace=workspace, clock=rt.clock)


@router.get("/breakdown", response_model=list[BreakdownRow])
def kol_breakdown(uow: UowDep, workspace: WorkspaceDep) -> list[BreakdownRow]:
    """How many KOLs there are per type and niche."""
    return breakdown(uow, workspace=workspace)


@router.get("/audience", response_model=AudienceReport)
def audience(uow: UowDep, workspace: WorkspaceDep,
             seed: Annotated[list[str] | None, Query()] = None,
             word: Annotated[list[str] | None, Query()] = None,
             limit: Annotated[int, Query(ge=1, le=200)] = 20,
             min_support: Annotated[int, Query(ge=1)] = 3) -> AudienceReport:
    """What the audience (commenters on the seeds, or writers of the words) over-engages with."""
    return research_audience(uow, workspace=workspace, seeds=seed or [], words=word or [],
                             limit=limit, min_support=min_support)

"""Discovery: score authority in the workspace's interaction graph."""

from __future__ import annotations

from fastapi import APIRouter

from kolscope.adapters.engines import get_engine
from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.classification import ClassificationSummary, breakdown, classify_workspace
from kolscope.app.discovery import AuthoritySummary, compute_authority
from kolscope.app.models import BreakdownRow

router = APIRouter(prefix="/discovery", tags=["discovery"])


@router.post("/authority", response_model=AuthoritySummary)
def authority(rt: RuntimeDep, workspace: WorkspaceDep,
              engine: str | None = None) -> AuthoritySummary:
    """Recompute every KOL's authority (PageRank, per-niche PageRank, HITS, k-core)."""
    settings = rt.settings
    return compute_authority(rt.db.uow, workspace=workspace,
                             engine=get_engine(engine or settings.graph_engine), clock=rt.clock,
                             half_life_days=settings.authority_half_life_days)


@router.post("/classify", response_model=ClassificationSummary)
def classify(rt: RuntimeDep, workspace: WorkspaceDep) -> ClassificationSummary:
    """Predict every KOL's niche and type (expert, celebrity, influencer, KOC), with reasons."""
    return classify_workspace(rt.db.uow, workspace=workspace, clock=rt.clock)


@router.get("/breakdown", response_model=list[BreakdownRow])
def kol_breakdown(uow: UowDep, workspace: WorkspaceDep) -> list[BreakdownRow]:
    """How many KOLs there are per type and niche."""
    return breakdown(uow, workspace=workspace)

"""Discovery: score authority in the workspace's interaction graph."""

from __future__ import annotations

from fastapi import APIRouter

from kolscope.adapters.engines import get_engine
from kolscope.api.deps import RuntimeDep, WorkspaceDep
from kolscope.app.discovery import AuthoritySummary, compute_authority

router = APIRouter(prefix="/discovery", tags=["discovery"])


@router.post("/authority", response_model=AuthoritySummary)
def authority(rt: RuntimeDep, workspace: WorkspaceDep,
              engine: str | None = None) -> AuthoritySummary:
    """Recompute every KOL's authority (PageRank, per-niche PageRank, HITS, k-core)."""
    settings = rt.settings
    return compute_authority(rt.db.uow, workspace=workspace,
                             engine=get_engine(engine or settings.graph_engine), clock=rt.clock,
                             half_life_days=settings.authority_half_life_days)

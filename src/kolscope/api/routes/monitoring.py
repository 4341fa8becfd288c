"""Campaign monitoring: the watch view of a running campaign, counts recorded by hand."""

from __future__ import annotations

from fastapi import APIRouter

from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.monitoring import CampaignWatch, SnapshotIn, record_snapshot, watch_campaign

router = APIRouter(tags=["monitoring"])


@router.get("/campaigns/{slug}/watch", response_model=CampaignWatch)
def watch(slug: str, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep) -> CampaignWatch:
    """Every published post: latest counts against its forecast, sentiment, alerts."""
    return watch_campaign(uow, workspace=workspace, slug=slug, now=rt.clock())


@router.post("/deliverables/{deliverable_id}/snapshots", status_code=204)
def snapshot(deliverable_id: int, body: SnapshotIn, rt: RuntimeDep, uow: UowDep,
             workspace: WorkspaceDep) -> None:
    """Record a published post's counts as seen at ``at`` (ISO 8601 with a zone, not in the
    future)."""
    record_snapshot(uow, workspace=workspace, deliverable_id=deliverable_id, snapshot=body,
                    now=rt.clock())
    uow.commit()

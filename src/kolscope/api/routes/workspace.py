"""The workspace the API key belongs to, and what it holds."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from kolscope.api.deps import UowDep, WorkspaceDep
from kolscope.app.accounts import workspace_counts
from kolscope.app.workspaces import require_workspace

router = APIRouter(prefix="/workspace", tags=["workspace"])


@router.get("")
def current(uow: UowDep, workspace: WorkspaceDep) -> dict[str, Any]:
    """The key's workspace with its counts of creators, accounts, posts and comments."""
    ws = require_workspace(uow, workspace)
    return {**ws.model_dump(mode="json"), "counts": workspace_counts(uow, workspace=workspace)}

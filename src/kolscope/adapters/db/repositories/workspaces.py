"""Workspaces and their API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kolscope.adapters.db.tables import ApiKey, Workspace
from kolscope.app.models import WorkspaceView


class SqlWorkspaceRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, slug: str) -> WorkspaceView | None:
        row = self.s.scalar(select(Workspace).where(Workspace.slug == slug))
        return WorkspaceView.model_validate(row) if row else None

    def get_by_id(self, workspace_id: int) -> WorkspaceView | None:
        row = self.s.get(Workspace, workspace_id)
        return WorkspaceView.model_validate(row) if row else None

    def add(self, *, slug: str, name: str, kind: str, is_synthetic: bool,
            now: datetime) -> WorkspaceView:
        row = Workspace(slug=slug, name=name, kind=kind, is_synthetic=is_synthetic, created_at=now)
        self.s.add(row)
        self.s.flush()
        return WorkspaceView.model_validate(row)

    def list(self) -> list[WorkspaceView]:
        rows = self.s.scalars(select(Workspace).order_by(Workspace.id))
        return [WorkspaceView.model_validate(r) for r in rows]

    def bump_version(self, workspace_id: int) -> None:
        self.s.execute(update(Workspace).where(Workspace.id == workspace_id)
                       .values(data_version=Workspace.data_version + 1))


class SqlApiKeyRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def add(self, workspace_id: int, *, name: str, prefix: str, key_hash: str,
            now: datetime) -> int:
        row = ApiKey(workspace_id=workspace_id, name=name, prefix=prefix, key_hash=key_hash,
                     created_at=now)
        self.s.add(row)
        self.s.flush()
        return row.id

    def workspace_for(self, key_hash: str) -> int | None:
        return self.s.scalar(select(ApiKey.workspace_id).where(
            ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None)))

    def revoke(self, workspace_id: int, key_id: int, now: datetime) -> bool:
        result = self.s.execute(update(ApiKey).where(
            ApiKey.id == key_id, ApiKey.workspace_id == workspace_id,
            ApiKey.revoked_at.is_(None)).values(revoked_at=now))
        return bool(result.rowcount)  # type: ignore[attr-defined]

"""Campaign briefs, one row per version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kolscope.adapters.db.tables import BriefRow
from kolscope.app.campaign_views import BriefView
from kolscope.core.matching.brief import Brief


def _view(r: BriefRow) -> BriefView:
    return BriefView(slug=r.slug, version=r.version, brief=Brief.model_validate(r.body),
                     created_by=r.created_by, created_at=r.created_at)


class SqlBriefRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, workspace_id: int, slug: str, version: int | None) -> BriefView | None:
        q = select(BriefRow).where(BriefRow.workspace_id == workspace_id, BriefRow.slug == slug)
        q = q.where(BriefRow.version == version) if version is not None else q
        row = self.s.scalars(q.order_by(BriefRow.version.desc()).limit(1)).first()
        return None if row is None else _view(row)

    def add(self, workspace_id: int, slug: str, brief: Brief, actor: str,
            now: datetime) -> BriefView:
        latest = self.s.scalar(select(func.max(BriefRow.version)).where(
            BriefRow.workspace_id == workspace_id, BriefRow.slug == slug)) or 0
        row = BriefRow(workspace_id=workspace_id, slug=slug, version=latest + 1,
                       body=brief.model_dump(mode="json"), created_by=actor, created_at=now)
        self.s.add(row)
        self.s.flush()
        return _view(row)

    def latest(self, workspace_id: int) -> list[BriefView]:
        newest = (select(BriefRow.slug, func.max(BriefRow.version).label("v"))
                  .where(BriefRow.workspace_id == workspace_id).group_by(BriefRow.slug)
                  .subquery())
        rows = self.s.scalars(select(BriefRow).join(
            newest, (newest.c.slug == BriefRow.slug) & (newest.c.v == BriefRow.version))
            .where(BriefRow.workspace_id == workspace_id).order_by(BriefRow.slug))
        return [_view(r) for r in rows]

    def versions(self, workspace_id: int, slug: str) -> list[BriefView]:
        rows = self.s.scalars(select(BriefRow).where(
            BriefRow.workspace_id == workspace_id, BriefRow.slug == slug)
            .order_by(BriefRow.version))
        return [_view(r) for r in rows]

"""Campaign briefs, one row per version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kolscope.adapters.db.tables import BriefRow, PlanRow
from kolscope.app.campaign_views import BriefView, StoredPlan
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

    def save_plan(self, workspace_id: int, slug: str, version: int, body: dict[str, object],
                  now: datetime) -> int:
        row = PlanRow(workspace_id=workspace_id, brief_slug=slug, brief_version=version,
                      body=body, created_at=now)
        self.s.add(row)
        self.s.flush()
        return row.id

    def plan(self, workspace_id: int, plan_id: int) -> StoredPlan | None:
        row = self.s.get(PlanRow, plan_id)
        if row is None or row.workspace_id != workspace_id:
            return None
        return StoredPlan(id=row.id, brief=row.brief_slug, brief_version=row.brief_version,
                          body=row.body, created_at=row.created_at)

"""A campaign to track, shared by the tracking tests of every layer: mia (fee and performance
pay, two deliverables) and leo (fee only) are under contract; zoe is only shortlisted."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kolscope.adapters.db.database import Database
from kolscope.app import campaigns as camp
from kolscope.app.tracking_views import ClickRow
from kolscope.core.campaigns.pipeline import Stage
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, campaign_world, do_import

MIA_TERMS: dict[str, Any] = {
    "fee": "300", "currency": "EUR",
    "deliverables": [{"platform": "instagram", "format": "image", "count": 2}],
    "performance": {"per_conversion": "5", "revenue_share": "0.1"}}
LEO_TERMS: dict[str, Any] = {
    "fee": "200", "currency": "EUR",
    "deliverables": [{"platform": "instagram", "format": "reel", "count": 1}]}
SHOP = "https://shop.example.com/serum?ref=kol"


def tracked_campaign(db: Database, settings: Settings, tmp_path: Path) -> dict[str, int]:
    """The campaign ``spring`` in workspace ``acme``; returns collaboration ids by handle."""
    do_import(db, settings, "generic", campaign_world(tmp_path / "world.jsonl"))
    ids: dict[str, int] = {}
    with db.uow() as uow:
        camp.create_campaign(uow, workspace="acme", now=FIXED_NOW, campaign_in=camp.parse_campaign(
            {"slug": "spring", "name": "Spring", "brand": "Acme"}))
        added, _ = camp.add_kols(uow, workspace="acme", slug="spring",
                                 handles=["mia", "leo", "zoe"], actor="ana", now=FIXED_NOW)
        for collab in added:
            ids[collab.handle] = collab.id
        for handle, terms in (("mia", MIA_TERMS), ("leo", LEO_TERMS)):
            for stage in (Stage.CONTACTED, Stage.NEGOTIATING):
                camp.move(uow, workspace="acme", collab_id=ids[handle], to=stage, actor="ana",
                          now=FIXED_NOW)
            camp.set_terms(uow, workspace="acme", collab_id=ids[handle],
                           terms=camp.parse_terms(terms), actor="ana", now=FIXED_NOW)
            for stage in (Stage.AGREED, Stage.CONTRACTED):  # contracted: deliverables exist
                camp.move(uow, workspace="acme", collab_id=ids[handle], to=stage, actor="ana",
                          now=FIXED_NOW)
        uow.commit()
    return ids


def click(link_id: int, code: str, n: int, *, visitor: str, at: datetime,
          bot: str | None = None, unique: bool = True) -> ClickRow:
    """A stored click as the redirect service writes it."""
    return ClickRow(f"c{link_id}-{n}-{visitor}", link_id, 1, code, at, "Mozilla/5.0", "", "h" * 8,
                    visitor, "DE", bot, unique)


def clicks_on(db: Database, link_id: int, code: str, visitors: list[str], *,
              at: datetime = FIXED_NOW - timedelta(days=2)) -> list[ClickRow]:
    rows = [click(link_id, code, i, visitor=v, at=at + timedelta(minutes=i))
            for i, v in enumerate(visitors)]
    with db.uow() as uow:
        uow.tracking.add_clicks(rows)
        uow.commit()
    return rows

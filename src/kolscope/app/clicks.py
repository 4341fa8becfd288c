"""Use cases of the redirect service: the links it serves and the clicks it records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kolscope.app.ports import UnitOfWork
from kolscope.app.tracking_views import ClickCounts, ClickRow, RedirectTarget
from kolscope.app.workspaces import require_workspace


def links_version(uow: UnitOfWork) -> tuple[int, datetime | None]:
    """How many links exist in all workspaces and when the newest changed."""
    return uow.tracking.links_version()


def redirect_targets(uow: UnitOfWork, *, since: datetime | None) -> list[RedirectTarget]:
    """Links of every workspace changed at or after ``since`` (all of them for None)."""
    return uow.tracking.links_changed_since(since)


def record_clicks(uow: UnitOfWork, *, clicks: Sequence[ClickRow]) -> int:
    """Store a batch of clicks; one already stored (same click id) is skipped."""
    return uow.tracking.add_clicks(clicks)


def link_clicks(uow: UnitOfWork, *, workspace: str, since: datetime | None = None,
                until: datetime | None = None) -> dict[str, ClickCounts]:
    """Clicks per link code of a workspace: people (all, unique) and bots."""
    ws = require_workspace(uow, workspace)
    codes = {link.id: link.code for link in uow.tracking.links(ws.id)}
    counts = uow.tracking.click_counts(ws.id, since=since, until=until)
    return {code: counts.get(link_id, ClickCounts()) for link_id, code in codes.items()}

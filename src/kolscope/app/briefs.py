"""Campaign briefs: validated, versioned and stored; putting an unchanged brief is a no-op."""

from __future__ import annotations

import re
from datetime import datetime

from kolscope.app.campaign_views import BriefView
from kolscope.app.ports import UnitOfWork
from kolscope.app.validation import parse_model
from kolscope.app.workspaces import require_workspace
from kolscope.core.matching.brief import Brief
from kolscope.errors import InvalidInput, NotFound

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def parse_brief(data: object, *, where: str | None = None) -> Brief:
    """A brief from user input (a TOML/JSON document or a request body)."""
    return parse_model(Brief, data, where=where)


def put_brief(uow: UnitOfWork, *, workspace: str, slug: str, brief: Brief, actor: str,
              now: datetime) -> tuple[BriefView, bool]:
    """Store ``brief`` as the next version of ``slug``; (view, False) when nothing changed."""
    if not _SLUG.match(slug):
        raise InvalidInput("a brief's slug is 1-60 lower-case letters, digits and hyphens",
                           field="slug")
    ws = require_workspace(uow, workspace)
    current = uow.briefs.get(ws.id, slug, None)
    if current is not None and current.brief == brief:
        return current, False
    return uow.briefs.add(ws.id, slug, brief, actor, now), True


def get_brief(uow: UnitOfWork, *, workspace: str, slug: str, version: int | None = None
              ) -> BriefView:
    """A brief's latest version, or the version asked for."""
    ws = require_workspace(uow, workspace)
    found = uow.briefs.get(ws.id, slug, version)
    if found is None:
        which = f" version {version}" if version is not None else ""
        raise NotFound(f"no brief {slug!r}{which}", brief=slug, version=version)
    return found


def list_briefs(uow: UnitOfWork, *, workspace: str) -> list[BriefView]:
    """The latest version of every brief."""
    return uow.briefs.latest(require_workspace(uow, workspace).id)


def brief_versions(uow: UnitOfWork, *, workspace: str, slug: str) -> list[BriefView]:
    get_brief(uow, workspace=workspace, slug=slug)
    return uow.briefs.versions(require_workspace(uow, workspace).id, slug)

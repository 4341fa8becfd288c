"""Workspace use cases: a brand's or agency's own space; every stored row belongs to one."""

from __future__ import annotations

import re

from kolscope.app.models import WorkspaceView
from kolscope.app.ports import Clock, UnitOfWork
from kolscope.errors import Conflict, InvalidInput, NotFound

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
KINDS = ("brand", "agency")


def require_workspace(uow: UnitOfWork, slug: str) -> WorkspaceView:
    """The workspace named ``slug``, or NotFound naming the ones that exist."""
    ws = uow.workspaces.get(slug)
    if ws is None:
        known = ", ".join(w.slug for w in uow.workspaces.list()) or "none yet"
        raise NotFound(f"workspace {slug!r} does not exist (known: {known}); "
                       f"create it with `kolscope workspace create {slug}`", workspace=slug)
    return ws


def create_workspace(uow: UnitOfWork, *, slug: str, name: str | None = None, kind: str = "brand",
                     is_synthetic: bool = False, clock: Clock) -> WorkspaceView:
    """Create a workspace; its slug is lower-case letters, digits and hyphens."""
    if not _SLUG.match(slug):
        raise InvalidInput("a workspace slug is 1-60 lower-case letters, digits or hyphens, "
                           "starting with a letter or digit", field="slug", value=slug)
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind", value=kind)
    if uow.workspaces.get(slug) is not None:
        raise Conflict(f"workspace {slug!r} exists already", workspace=slug)
    return uow.workspaces.add(slug=slug, name=name or slug, kind=kind, is_synthetic=is_synthetic,
                              now=clock())


def ensure_workspace(uow: UnitOfWork, *, slug: str, clock: Clock,
                     is_synthetic: bool = False, name: str | None = None) -> WorkspaceView:
    """The workspace ``slug``, created first if it does not exist."""
    return uow.workspaces.get(slug) or create_workspace(
        uow, slug=slug, name=name, is_synthetic=is_synthetic, clock=clock)


def list_workspaces(uow: UnitOfWork) -> list[WorkspaceView]:
    """Every workspace, oldest first."""
    return uow.workspaces.list()

"""The front door: send visitors to a workspace worth looking at, or say how to fill one."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kolscope.app.accounts import workspace_counts
from kolscope.app.ports import UnitOfWork
from kolscope.app.workspaces import list_workspaces
from kolscope.web.pages import open_uow, render, runtime_of

router = APIRouter(include_in_schema=False)


@router.get("/", name="web_home")
def home(request: Request) -> Response:
    """Redirect to the default workspace's search, or explain how to get data in."""
    with open_uow(request) as uow:
        slug = default_workspace(uow, preferred=runtime_of(request).settings.workspace)
    if slug is None:
        return render(request, "welcome.html", {})
    return RedirectResponse(request.url_for("web_search", slug=slug).path, status_code=302)


def default_workspace(uow: UnitOfWork, *, preferred: str) -> str | None:
    """The configured workspace if it exists, else the first with creators, else the first."""
    slugs = [w.slug for w in list_workspaces(uow)]
    if preferred in slugs:
        return preferred
    populated = (s for s in slugs if workspace_counts(uow, workspace=s).get("creators", 0))
    return next(populated, slugs[0] if slugs else None)

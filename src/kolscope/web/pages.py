"""What every page shares: the template environment, the workspace header and the error page."""

from __future__ import annotations

from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from kolscope.app.models import WorkspaceView
from kolscope.app.ports import UnitOfWork
from kolscope.app.workspaces import list_workspaces, require_workspace
from kolscope.errors import KolscopeError
from kolscope.jobs.runtime import Runtime
from kolscope.web.format import FILTERS

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
SYNTHETIC_NOTICE = "Synthetic sample data: generated accounts, not real people"


@pass_context
def path_for(context: Context, name: str, /, **params: Any) -> str:
    """A root-relative link to the route ``name``, so pages work behind any host name."""
    request: Request = context["request"]
    return str(request.url_for(name, **params).path)


@cache
def templates() -> Jinja2Templates:
    """The page templates with the display filters; built on first use, not at import."""
    jinja = Jinja2Templates(directory=TEMPLATES)
    jinja.env.filters.update(FILTERS)
    jinja.env.globals.update(path_for=path_for, synthetic_notice=SYNTHETIC_NOTICE)
    return jinja


def render(request: Request, name: str, context: dict[str, Any], status: int = 200
           ) -> HTMLResponse:
    """The template ``name`` filled with ``context``."""
    return templates().TemplateResponse(request, name, context, status_code=status)


def runtime_of(request: Request) -> Runtime:
    """The runtime ``install_web`` attached to the application."""
    runtime: Runtime = request.app.state.web_runtime
    return runtime


def open_uow(request: Request) -> UnitOfWork:
    """A fresh unit of work for one request (use it in a ``with`` block)."""
    return runtime_of(request).db.uow()


def workspace_context(uow: UnitOfWork, slug: str) -> dict[str, Any]:
    """The header of a workspace's pages: the workspace itself and the switcher's list.

    Raises NotFound for an unknown slug, which the error page turns into a 404.
    """
    workspace: WorkspaceView = require_workspace(uow, slug)
    return {"workspace": workspace, "workspaces": list_workspaces(uow)}


def error_page(request: Request, status: int, message: str) -> Response:
    """A page saying what went wrong, with the status the caller chose and a way home."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return render(request, "error.html", {"status": status, "title": title,
                                          "message": message}, status)


def render_error(request: Request, status: int, error: KolscopeError) -> Response:
    """The HTML face of an error raised on a page; the API decides ``status``."""
    return error_page(request, status, error.message)

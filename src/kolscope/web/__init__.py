"""Server-rendered pages over the same ``app.*`` use cases as the API and the CLI.

``install_web`` adds the pages and ``/static`` to the served application; ``render_error`` is the
HTML face the API's error mapping uses for errors raised on pages.
"""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from kolscope.jobs.runtime import Runtime
from kolscope.web import (
    accounts,
    audience,
    briefs,
    campaigns,
    imports,
    reports,
    tracking,
    vetting,
    workspaces,
)
from kolscope.web.pages import STATIC, error_page, render_error

__all__ = ["install_web", "render_error"]


def install_web(app: FastAPI, runtime: Runtime) -> None:
    """Add the page routes and the static files to ``app``, reading through ``runtime``."""
    app.state.web_runtime = runtime
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (workspaces, accounts, imports, audience, vetting, briefs, campaigns,
                   tracking):
        app.include_router(module.router)
    app.include_router(reports.router)
    _html_for_page_misses(app)


def _is_page(path: str) -> bool:
    return path == "/" or path.startswith("/w/")


def _html_for_page_misses(app: FastAPI) -> None:
    """Unknown page addresses get the HTML error page; every other path keeps its handler."""
    previous = app.exception_handlers.get(HTTPException)

    async def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException) and _is_page(request.url.path):
            return error_page(request, exc.status_code, _miss_message(exc))
        assert previous is not None
        response = previous(request, exc)
        return await response if inspect.isawaitable(response) else response

    if previous is not None:
        app.add_exception_handler(HTTPException, handle)
    _html_for_bad_forms(app)


def _html_for_bad_forms(app: FastAPI) -> None:
    """A page form with a missing or malformed field gets the HTML error page naming it."""
    previous = app.exception_handlers.get(RequestValidationError)

    async def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, RequestValidationError) and _is_page(request.url.path):
            error = exc.errors()[0]
            field = str(error["loc"][-1]) if error.get("loc") else "form"
            return error_page(request, 400, f"{field}: {error['msg']}")
        assert previous is not None
        response = previous(request, exc)
        return await response if inspect.isawaitable(response) else response

    if previous is not None:
        app.add_exception_handler(RequestValidationError, handle)


def _miss_message(exc: HTTPException) -> str:
    if exc.status_code == 404:
        return "There is no page at this address."
    return str(exc.detail)

"""The API application factory."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from kolscope import __version__
from kolscope.api import errors
from kolscope.api.routes import (
    accounts,
    briefs,
    campaigns,
    discovery,
    hooks,
    imports,
    monitoring,
    outreach,
    rates,
    reports,
    tracking,
    vetting,
    workspace,
)
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings

API_PREFIX = "/api/v1"


def create_app(settings: Settings, runtime: Runtime | None = None, *,
               error_page: errors.ErrorPage | None = None) -> FastAPI:
    """The API on ``settings`` (or an already started ``runtime``), OpenAPI at ``/docs``.

    ``error_page`` renders errors of non-API paths (the web pages) with the API's status codes.
    """
    rt = runtime or Runtime.start(settings)
    app = FastAPI(title="kolscope", version=__version__,
                  description="Open KOL marketing platform: discover, vet, plan, run and measure. "
                              "Every route but /health, the shop webhooks (/hooks, "
                              "signed) and the site snippet (/t) needs an API key "
                              "(`kolscope keys create`).")
    app.state.runtime = rt
    errors.install(app, json_paths=(API_PREFIX, "/health", "/docs", "/openapi.json", "/hooks/",
                                    "/t/"), error_page=error_page)
    api = APIRouter(prefix=API_PREFIX)
    for module in (accounts, briefs, campaigns, discovery, imports, monitoring, outreach, rates,
                   tracking, vetting, workspace):
        api.include_router(module.router)
    api.include_router(reports.router)
    app.include_router(api)
    app.include_router(hooks.router)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, Any]:
        """Liveness and readiness: the database answers and its schema is current."""
        rt.db.require_current()
        return {"status": "ok", "version": __version__, "database": rt.db.safe_url}

    return app

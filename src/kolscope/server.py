"""The served application: the API with the web pages mounted beside it."""

from __future__ import annotations

from fastapi import FastAPI

from kolscope.api import create_app
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings
from kolscope.web import install_web, render_error


def create_server(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    """API under ``/api/v1`` and ``/docs``, health at ``/health``, web pages everywhere else."""
    rt = runtime or Runtime.start(settings)
    app = create_app(settings, rt, error_page=render_error)
    install_web(app, rt)
    return app

"""The HTTP API (FastAPI; OpenAPI at /docs). Routes parse, call one app function, respond."""

from kolscope.api.app import create_app

__all__ = ["create_app"]

"""The only place the error tree maps to HTTP status codes. 422 is for payload validation only."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from kolscope.errors import (
    Conflict,
    EngineError,
    InvalidInput,
    InvalidTransition,
    KolscopeError,
    NotFound,
    SourceError,
    Unauthorized,
)

STATUS: tuple[tuple[type[KolscopeError], int], ...] = (
    (NotFound, 404),
    (InvalidTransition, 409),
    (Conflict, 409),
    (InvalidInput, 400),
    (SourceError, 400),
    (Unauthorized, 401),
    (EngineError, 503),
)


def status_for(error: KolscopeError) -> int:
    """The HTTP status of an error: the first matching class above, else 500."""
    for cls, status in STATUS:
        if isinstance(error, cls):
            return status
    return 500


ErrorPage = Callable[[Request, int, KolscopeError], Response]


def install(app: FastAPI, *, json_paths: tuple[str, ...],
            error_page: ErrorPage | None = None) -> None:
    """Map the error tree to responses: JSON under ``json_paths``, ``error_page`` elsewhere."""

    @app.exception_handler(KolscopeError)
    async def _kolscope(request: Request, exc: KolscopeError) -> Response:
        status = status_for(exc)
        if error_page is not None and not request.url.path.startswith(json_paths):
            return error_page(request, status, exc)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(exc.to_dict(), status_code=status, headers=headers)

    @app.exception_handler(ValidationError)
    async def _validation(_request: Request, exc: ValidationError) -> JSONResponse:
        return JSONResponse({"error": "ValidationError", "message": "invalid request",
                             "detail": exc.errors(include_url=False, include_context=False)},
                            status_code=422)

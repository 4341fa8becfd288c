"""The only place the error tree maps to HTTP status codes. 422 is for payload validation only."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from kolscope.core.records import MAX_COUNT
from kolscope.errors import (
    Conflict,
    EngineError,
    InvalidInput,
    InvalidTransition,
    KolscopeError,
    NotFound,
    SourceError,
    Unauthorized,
    error_field,
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
log = logging.getLogger(__name__)
_PLACES = frozenset({"body", "query", "path", "header", "cookie"})


def field_of(error: Any) -> str | None:
    """``body.rates.0.high`` → ``rates.0.high``: where in the request, without the part."""
    return error_field({**error, "loc": [p for p in error.get("loc", ()) if p not in _PLACES]})


def validation_body(errors: Sequence[Any]) -> dict[str, object]:
    """The documented error shape for a request that does not match its schema.

    The offending values are left out: they may not be JSON at all (NaN, Infinity), and the
    client sent them anyway; where and why is what it needs.
    """
    detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
               "type": str(e.get("type", ""))} for e in errors]
    first = detail[0] if detail else {"loc": [], "msg": "invalid request"}
    field = field_of(errors[0]) if errors else None
    message = f"{field}: {first['msg']}" if field else str(first["msg"])
    return {"error": "ValidationError", "message": message, "field": field, "detail": detail}


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
    async def _validation(request: Request, exc: ValidationError) -> Response:
        body = validation_body(exc.errors(include_url=False))
        if error_page is not None and not request.url.path.startswith(json_paths):
            field = body["field"]
            return error_page(request, 400, InvalidInput(str(body["message"]),
                                                         field=str(field) if field else None))
        return JSONResponse(body, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(validation_body(exc.errors()), status_code=422)

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> Response:
        # The net under any integer (an id in a path, a count in a body) too large for the
        # database's 64-bit integers, or a time outside the calendar once made UTC.
        log.info("refused %s %s: %s", request.method, request.url.path, exc)
        error = InvalidInput(f"a number or date is out of range (integers up to {MAX_COUNT:,},"
                             " dates between the years 1 and 9999 in UTC)")
        return await _kolscope(request, error)

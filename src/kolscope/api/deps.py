"""Request dependencies: the runtime, a unit of work and the API key's workspace."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request

from kolscope.app.api_keys import authenticate
from kolscope.app.ports import UnitOfWork
from kolscope.jobs.runtime import Runtime


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def unit_of_work(rt: Annotated[Runtime, Depends(runtime)]) -> Iterator[UnitOfWork]:
    """One unit of work per request; a route that changes data commits it once."""
    with rt.db.uow() as uow:
        yield uow


def workspace(uow: Annotated[UnitOfWork, Depends(unit_of_work)],
              authorization: Annotated[str | None, Header()] = None,
              x_api_key: Annotated[str | None, Header()] = None) -> str:
    """The slug of the workspace the request's API key belongs to."""
    secret = x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        secret = authorization[7:].strip()
    return authenticate(uow, secret=secret)


RuntimeDep = Annotated[Runtime, Depends(runtime)]
UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]
WorkspaceDep = Annotated[str, Depends(workspace)]

"""Keyword sets and the flags they raise: a workspace's own brand-safety terms, brand values,
red lines and competitors beside the built-in sets, and the stored per-post flags."""

from __future__ import annotations

from datetime import datetime

from kolscope.app.models import FlagView, Page
from kolscope.app.ports import UnitOfWork
from kolscope.app.validation import parse_model
from kolscope.app.workspaces import require_workspace
from kolscope.core.vetting.brand_safety import BUILTIN_SETS, KeywordSet
from kolscope.errors import InvalidInput, NotFound

BUILTIN_PREFIX = "builtin:"
KINDS = ("safety", "value", "red_line", "competitor")


def keyword_sets(uow: UnitOfWork, *, workspace: str, builtin: bool = True
                 ) -> list[KeywordSet]:
    """The built-in sets (unless ``builtin`` is False), then the workspace's own, by name."""
    ws = require_workspace(uow, workspace)
    return [*(BUILTIN_SETS if builtin else ()), *uow.keyword_sets.list(ws.id)]


def parse_keyword_set(data: object) -> KeywordSet:
    """A keyword set from user input, with a clear error naming the bad field."""
    keyword_set = parse_model(KeywordSet, data)
    if keyword_set.name.startswith(BUILTIN_PREFIX):
        raise InvalidInput(f"names starting with {BUILTIN_PREFIX!r} are the built-in sets'; "
                           "choose another name", field="name")
    return keyword_set


def put_keyword_set(uow: UnitOfWork, *, workspace: str, keyword_set: KeywordSet,
                    now: datetime) -> bool:
    """Store a workspace's keyword set under its name; True when it replaced one.

    Flags follow on the next vetting run (``kolscope vet run``).
    """
    ws = require_workspace(uow, workspace)
    if keyword_set.name.startswith(BUILTIN_PREFIX):
        raise InvalidInput("the built-in sets cannot be changed", field="name")
    return uow.keyword_sets.put(ws.id, keyword_set, now)


def delete_keyword_set(uow: UnitOfWork, *, workspace: str, name: str) -> None:
    """Remove one of the workspace's keyword sets."""
    ws = require_workspace(uow, workspace)
    if not uow.keyword_sets.delete(ws.id, name):
        raise NotFound(f"no keyword set {name!r} in this workspace", workspace=workspace,
                       name=name)


def list_flags(uow: UnitOfWork, *, workspace: str, account_id: int | None = None,
               kind: str | None = None, category: str | None = None, limit: int = 100,
               offset: int = 0) -> Page[FlagView]:
    """Stored post flags, oldest first, optionally of one account, kind or category."""
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
    if not 1 <= limit <= 10_000 or offset < 0:
        raise InvalidInput("limit must be 1 to 10,000 and offset >= 0", field="limit")
    ws = require_workspace(uow, workspace)
    total, items = uow.vetting.flags(ws.id, account_id=account_id, kind=kind,
                                     category=category, limit=limit, offset=offset)
    return Page[FlagView](items=items, total=total, limit=limit, offset=offset)

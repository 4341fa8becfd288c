"""Account use cases: look at one KOL, find one by handle, count what a workspace holds."""

from __future__ import annotations

from kolscope.app.models import AccountProfile
from kolscope.app.ports import UnitOfWork
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.kol_types import virtual_reason
from kolscope.core.platforms import Platform
from kolscope.core.records import normalise_handle
from kolscope.errors import InvalidInput, NotFound


def get_profile(uow: UnitOfWork, *, workspace: str, account_id: int,
                recent_posts: int = 12) -> AccountProfile:
    """One account with its metrics, recent posts and its creator's other accounts."""
    ws = require_workspace(uow, workspace)
    profile = uow.accounts.profile(ws.id, account_id, recent_posts=recent_posts)
    if profile is None:
        raise NotFound(f"account {account_id} not found", workspace=workspace,
                       account_id=account_id)
    return profile


def resolve_account(uow: UnitOfWork, *, workspace: str, handle: str,
                    platform: Platform | None = None) -> int:
    """The id of the account ``handle`` (optionally on ``platform``); refuses ambiguity."""
    ws = require_workspace(uow, workspace)
    try:
        key = normalise_handle(handle)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="handle") from None
    ids = uow.accounts.find(ws.id, key, platform.value if platform else None)
    if not ids:
        raise NotFound(f"no account {handle!r}" + (f" on {platform.value}" if platform else ""),
                       workspace=workspace, handle=handle)
    if len(ids) > 1:
        raise InvalidInput(f"{handle!r} exists on several platforms; say which with --platform",
                           field="platform")
    return ids[0]


def workspace_counts(uow: UnitOfWork, *, workspace: str) -> dict[str, int]:
    """How many creators, accounts, posts and comments a workspace holds."""
    ws = require_workspace(uow, workspace)
    return uow.accounts.counts(ws.id)


def flag_virtual(uow: UnitOfWork, *, workspace: str, account_id: int, is_virtual: bool) -> None:
    """Flag by hand whether a creator is a virtual (computer-generated) influencer.

    The flag scores no KOL type, so stored typings are updated in place rather than recomputed.
    """
    ws = require_workspace(uow, workspace)
    reason = virtual_reason(is_virtual).model_dump(mode="json")
    if not uow.classification.set_virtual(ws.id, account_id, is_virtual, reason):
        raise NotFound(f"creator account {account_id} not found", workspace=workspace,
                       account_id=account_id)
    uow.workspaces.bump_version(ws.id)

"""Accounts: search KOLs for a brief with filters, lookalikes, and one profile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.accounts import flag_virtual, get_profile
from kolscope.app.models import AccountProfile, AccountQuery, AccountSummary, Page
from kolscope.app.search import find_lookalikes, search_accounts

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("", response_model=Page[AccountSummary])
def search(rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
           query: Annotated[AccountQuery, Query()]) -> Page[AccountSummary]:
    """Search creators' accounts for a free-text brief (``text``) and filters, best first.

    Every filter is optional and ranges are inclusive; each result says ``why`` it matched.
    """
    return search_accounts(uow, rt.indexes, workspace=workspace, query=query, now=rt.clock())


@router.get("/{account_id}/lookalikes", response_model=Page[AccountSummary])
def lookalikes(account_id: int, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
               query: Annotated[AccountQuery, Query()]) -> Page[AccountSummary]:
    """Accounts like this one (content, shared audience, niche, size) passing the filters."""
    return find_lookalikes(uow, rt.indexes, workspace=workspace, account_id=account_id,
                           query=query, now=rt.clock())


class VirtualFlag(BaseModel):
    is_virtual: bool


@router.put("/{account_id}/virtual", response_model=AccountProfile)
def set_virtual(account_id: int, body: VirtualFlag, uow: UowDep,
                workspace: WorkspaceDep) -> AccountProfile:
    """Flag the account's creator by hand as a virtual (computer-generated) influencer, or not."""
    flag_virtual(uow, workspace=workspace, account_id=account_id, is_virtual=body.is_virtual)
    uow.commit()
    return get_profile(uow, workspace=workspace, account_id=account_id)


@router.get("/{account_id}", response_model=AccountProfile)
def profile(account_id: int, uow: UowDep, workspace: WorkspaceDep,
            posts: Annotated[int, Query(ge=0, le=100)] = 12) -> AccountProfile:
    """An account with its profile metrics, recent posts and its creator's other accounts."""
    return get_profile(uow, workspace=workspace, account_id=account_id, recent_posts=posts)

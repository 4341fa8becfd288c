"""Accounts: search KOLs with filters and pagination, and read one profile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kolscope.api.deps import UowDep, WorkspaceDep
from kolscope.app.accounts import get_profile, search_accounts
from kolscope.app.models import AccountProfile, AccountQuery, AccountSummary, Page

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("", response_model=Page[AccountSummary])
def search(uow: UowDep, workspace: WorkspaceDep,
           query: Annotated[AccountQuery, Query()]) -> Page[AccountSummary]:
    """Search creators' accounts; every filter is optional and ranges are inclusive."""
    return search_accounts(uow, workspace=workspace, query=query)


@router.get("/{account_id}", response_model=AccountProfile)
def profile(account_id: int, uow: UowDep, workspace: WorkspaceDep,
            posts: Annotated[int, Query(ge=0, le=100)] = 12) -> AccountProfile:
    """An account with its profile metrics, recent posts and its creator's other accounts."""
    return get_profile(uow, workspace=workspace, account_id=account_id, recent_posts=posts)

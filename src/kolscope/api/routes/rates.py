"""The cost model: rate cards and per-account cost estimates."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.rates import estimate, parse_rates, put_rates, rate_card
from kolscope.core.matching.brief import ContentFormat
from kolscope.core.matching.rates import CostEstimate, Rate

router = APIRouter(tags=["rates"])


@router.get("/rates", response_model=list[Rate])
def rates(uow: UowDep, workspace: WorkspaceDep,
          default: Annotated[bool, Query(description="include the default card")] = True
          ) -> list[Rate]:
    """The workspace's rates, then the default card's."""
    return rate_card(uow, workspace=workspace, include_default=default)


@router.put("/rates")
def put(body: Annotated[list[dict[str, Any]], Body()], rt: RuntimeDep, uow: UowDep,
        workspace: WorkspaceDep) -> dict[str, int]:
    """Add or replace rows of the workspace's card (platform, tier, format, currency, low,
    typical, high; amounts as text)."""
    count = put_rates(uow, workspace=workspace, rates=parse_rates(body, where="rates", first=1),
                      now=rt.clock())
    uow.commit()
    return {"stored": count}


@router.get("/accounts/{account_id}/cost", response_model=CostEstimate)
def cost(account_id: int, uow: UowDep, workspace: WorkspaceDep,
         format: Annotated[ContentFormat, Query()] = ContentFormat.POST,
         currency: Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")] = "USD") -> CostEstimate:
    """What one deliverable by the account is likely to cost, and where the figure comes from."""
    return estimate(uow, workspace=workspace, account_id=account_id, fmt=format,
                    currency=currency)

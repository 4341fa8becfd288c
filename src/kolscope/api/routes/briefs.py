"""Campaign briefs, stored as numbered versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from kolscope.adapters.engines.influence_kernels import KERNELS
from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.briefs import brief_versions, get_brief, list_briefs, parse_brief, put_brief
from kolscope.app.campaign_views import BriefView, CampaignIn, CampaignView
from kolscope.app.forecasts import ForecastView, forecast_for_brief
from kolscope.app.matching import MatchRun, match_brief
from kolscope.app.planning import PlanView, campaign_from_plan, plan_brief, stored_plan
from kolscope.core.matching.brief import ContentFormat
from kolscope.core.money import Amount

router = APIRouter(tags=["briefs"])


@router.put("/briefs/{slug}", response_model=BriefView)
def put(slug: str, body: Annotated[dict[str, Any], Body()], response: Response,
        rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep) -> BriefView:
    """Store a brief: 201 with a new version when it changed, 200 with the current one when not.
    An ``actor`` field says who."""
    actor = str(body.pop("actor", None) or "api")
    view, changed = put_brief(uow, workspace=workspace, slug=slug, brief=parse_brief(body),
                              actor=actor, now=rt.clock())
    uow.commit()
    response.status_code = 201 if changed else 200
    return view


@router.get("/briefs", response_model=list[BriefView])
def briefs(uow: UowDep, workspace: WorkspaceDep) -> list[BriefView]:
    """The latest version of every brief."""
    return list_briefs(uow, workspace=workspace)


@router.get("/briefs/{slug}", response_model=BriefView)
def brief(slug: str, uow: UowDep, workspace: WorkspaceDep,
          version: Annotated[int | None, Query(ge=1)] = None) -> BriefView:
    """A brief's latest version, or ``version``."""
    return get_brief(uow, workspace=workspace, slug=slug, version=version)


@router.get("/briefs/{slug}/versions", response_model=list[BriefView])
def versions(slug: str, uow: UowDep, workspace: WorkspaceDep) -> list[BriefView]:
    """Every stored version of a brief, oldest first."""
    return brief_versions(uow, workspace=workspace, slug=slug)


@router.get("/briefs/{slug}/matches", response_model=MatchRun)
def matches(slug: str, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
            version: Annotated[int | None, Query(ge=1)] = None,
            limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> MatchRun:
    """The KOLs that best fit the brief, each with its 0-100 score, the share of the weight that
    was measured, any exclusion, and every criterion's value, weight, points and reason."""
    return match_brief(uow, rt.indexes, workspace=workspace, slug=slug, version=version,
                       limit=limit, now=rt.clock())


@router.get("/briefs/{slug}/forecast", response_model=ForecastView)
def forecast(slug: str, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
             account_id: Annotated[int, Query()],
             format: Annotated[ContentFormat | None, Query()] = None) -> ForecastView:
    """One deliverable by the account for the brief: impressions, unique reach, engagements,
    clicks, conversions, revenue and ROI, each with an interval, at the cost model's price."""
    return forecast_for_brief(uow, workspace=workspace, slug=slug, account_id=account_id,
                              fmt=format, now=rt.clock())


class PlanIn(BaseModel):
    """A what-if: another budget, objective or constraint than the brief's defaults."""

    model_config = ConfigDict(extra="forbid")

    budget: Amount | None = Field(default=None, gt=0)
    objective: str | None = None
    min_kocs: int = Field(default=0, ge=0)
    max_platform_share: float | None = Field(default=None, gt=0, le=1)
    max_kol_share: float = Field(default=0.5, gt=0, le=1)
    exclude: list[int] = Field(default_factory=list, description="account ids never to pick")
    save: bool = False


@router.post("/briefs/{slug}/plans", response_model=PlanView)
def make_plan(slug: str, body: PlanIn, rt: RuntimeDep, uow: UowDep,
              workspace: WorkspaceDep) -> PlanView:
    """Plan the brief's budget (or ``budget``) over its matched KOLs; ``save`` stores it."""
    view = plan_brief(uow, rt.indexes, workspace=workspace, slug=slug, now=rt.clock(),
                      budget=body.budget, objective=body.objective, min_kocs=body.min_kocs,
                      max_platform_share=body.max_platform_share,
                      max_kol_share=body.max_kol_share, exclude=body.exclude,
                      save=body.save, kernels=KERNELS)
    uow.commit()
    return view


@router.get("/plans/{plan_id}", response_model=PlanView)
def get_plan(plan_id: int, uow: UowDep, workspace: WorkspaceDep) -> PlanView:
    """A stored plan with every pick and its marginal gain."""
    return stored_plan(uow, workspace=workspace, plan_id=plan_id)


@router.post("/plans/{plan_id}/campaign", response_model=CampaignView, status_code=201)
def plan_campaign(plan_id: int, body: CampaignIn, rt: RuntimeDep, uow: UowDep,
                  workspace: WorkspaceDep) -> CampaignView:
    """Create a campaign from a stored plan in one step: its brief, with the picks shortlisted."""
    view, _ = campaign_from_plan(uow, workspace=workspace, plan_id=plan_id, campaign_in=body,
                                 actor="api", now=rt.clock())
    uow.commit()
    return view

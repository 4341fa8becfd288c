"""Plan a brief: spend its budget on the matched KOLs for the most of the goal's objective."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

from kolscope.app.briefs import get_brief
from kolscope.app.campaign_views import CampaignIn, CampaignView, CollaborationView
from kolscope.app.campaigns import add_kols, create_campaign, require_campaign
from kolscope.app.matching import expected_engagements, match_brief
from kolscope.app.ports import SearchIndexStore, UnitOfWork
from kolscope.app.rates import estimate
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.pipeline import Stage
from kolscope.core.matching.brief import ContentFormat, Goal
from kolscope.core.matching.forecast import (
    DEFAULT_CLICK_THROUGH_RATE,
    DEFAULT_CONVERSION_RATE,
    DEFAULT_REACH_SHARE,
    IMAGE_IMPRESSIONS_PER_ENGAGEMENT,
    VIDEO_IMPRESSIONS_PER_ENGAGEMENT,
)
from kolscope.core.planning.portfolio import (
    Additive,
    Constraints,
    CountReach,
    Objective,
    Option,
    Plan,
    plan,
)
from kolscope.core.platforms import parse_platform
from kolscope.errors import InvalidInput, NotFound

OBJECTIVES = ("reach", "conversions", "engagements")
GOAL_OBJECTIVE = {Goal.AWARENESS: "reach", Goal.LAUNCH: "reach", Goal.CONVERSION: "conversions",
                  Goal.EDUCATION: "engagements", Goal.SEEDING: "engagements"}
CANDIDATES = 1000
VIDEO = frozenset({ContentFormat.SHORT_VIDEO, ContentFormat.LIVE_STREAM, ContentFormat.WEBINAR})


class PlanView(BaseModel):
    id: int | None
    brief: str
    brief_version: int
    currency: str
    candidates: int
    plan: Plan


def _per_post(fmt: ContentFormat, engagements: float, objective: str, score: float
              ) -> tuple[float, float]:
    """(unique reach, objective value) of one post from its engagement forecast's point."""
    per = VIDEO_IMPRESSIONS_PER_ENGAGEMENT if fmt in VIDEO else IMAGE_IMPRESSIONS_PER_ENGAGEMENT
    impressions = engagements * per.median
    reach = impressions * DEFAULT_REACH_SHARE.median
    if objective == "conversions":
        value = impressions * DEFAULT_CLICK_THROUGH_RATE.median * DEFAULT_CONVERSION_RATE.median
    else:  # engagements, weighted by how well the KOL matches
        value = engagements * score / 100
    return reach, value


def plan_brief(uow: UnitOfWork, indexes: SearchIndexStore, *, workspace: str, slug: str,
               now: datetime, budget: Decimal | None = None, objective: str | None = None,
               min_kocs: int = 0, max_platform_share: float | None = None,
               max_kol_share: float = 0.5, exclude: Sequence[int] = (), save: bool = False
               ) -> PlanView:
    """The plan for a brief's budget (or ``budget``, for what-ifs), every pick explained."""
    ws = require_workspace(uow, workspace)
    view = get_brief(uow, workspace=workspace, slug=slug)
    brief = view.brief
    goal = objective or GOAL_OBJECTIVE[brief.goal]
    if goal not in OBJECTIVES:
        raise InvalidInput(f"objective must be one of {', '.join(OBJECTIVES)}",
                           field="objective")
    run = match_brief(uow, indexes, workspace=workspace, slug=slug, now=now, limit=CANDIDATES)
    kept = [m for m in run.matches if m.excluded is None and m.account_id not in set(exclude)]
    summaries = uow.accounts.summaries(ws.id, [m.account_id for m in kept])
    found = [summaries[m.account_id] for m in kept if m.account_id in summaries]
    engaged = expected_engagements(uow, ws.id, found, now)
    fmt = brief.formats[0] if brief.formats else ContentFormat.POST
    options = []
    for m in kept:
        a = summaries.get(m.account_id)
        if a is None or m.account_id not in engaged:
            continue
        try:
            cost = estimate(uow, workspace=workspace, account_id=m.account_id, fmt=fmt,
                            currency=brief.currency).amount
        except InvalidInput:
            continue
        reach, value = _per_post(fmt, engaged[m.account_id], goal, m.score)
        options.append(Option(account_id=m.account_id, handle=m.handle, platform=m.platform,
                              tier=a.tier.value if a.tier else None, cost=cost, audience=reach,
                              value=value, is_koc=a.kol_type == "koc"))
    if not options:
        raise NotFound(f"no matched KOL of brief {slug!r} can be priced in {brief.currency}",
                       brief=slug)
    scorer: Objective = CountReach(options) if goal == "reach" else Additive(
        [o.value for o in options])
    share = max_platform_share if max_platform_share is not None else (
        0.6 if len(brief.platforms) > 1 else 1.0)
    constraints = Constraints(budget=budget or brief.budget, max_platform_share=share,
                              max_kol_share=max_kol_share, min_kocs=min_kocs,
                              tier_caps={t.value: s for t, s in brief.tier_mix.items()})
    result = plan(options, scorer, constraints, name=goal)
    plan_id = uow.briefs.save_plan(ws.id, view.slug, view.version, result.model_dump(
        mode="json"), now) if save else None
    return PlanView(id=plan_id, brief=view.slug, brief_version=view.version,
                    currency=brief.currency, candidates=len(options), plan=result)


def stored_plan(uow: UnitOfWork, *, workspace: str, plan_id: int) -> PlanView:
    ws = require_workspace(uow, workspace)
    found = uow.briefs.plan(ws.id, plan_id)
    if found is None:
        raise NotFound(f"no plan {plan_id}", plan=plan_id)
    brief = get_brief(uow, workspace=workspace, slug=found.brief, version=found.brief_version)
    result = Plan.model_validate(found.body)
    return PlanView(id=found.id, brief=found.brief, brief_version=found.brief_version,
                    currency=brief.brief.currency, candidates=len(result.picks), plan=result)


def campaign_from_plan(uow: UnitOfWork, *, workspace: str, plan_id: int,
                       campaign_in: CampaignIn, actor: str, now: datetime
                       ) -> tuple[CampaignView, list[CollaborationView]]:
    """Create a campaign that follows the plan's brief, with every pick shortlisted."""
    stored = stored_plan(uow, workspace=workspace, plan_id=plan_id)
    brief = get_brief(uow, workspace=workspace, slug=stored.brief,
                      version=stored.brief_version).brief
    given = campaign_in.model_fields_set
    data = campaign_in.model_copy(update={"brief": stored.brief} | {
        k: v for k, v in (("goal", brief.goal), ("budget", stored.plan.budget),
                          ("currency", brief.currency), ("starts_on", brief.starts_on),
                          ("ends_on", brief.ends_on)) if k not in given})
    campaign = create_campaign(uow, workspace=workspace, campaign_in=data, now=now)
    added: list[CollaborationView] = []
    for pick in stored.plan.picks:
        new, _ = add_kols(uow, workspace=workspace, slug=campaign.slug, handles=[pick.handle],
                          platform=parse_platform(pick.platform), stage=Stage.SHORTLISTED,
                          actor=actor, now=now)
        added += new
    return require_campaign(uow, workspace=workspace, slug=campaign.slug), added

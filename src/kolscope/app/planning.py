"""Plan a brief: spend its budget on the matched KOLs for the most of the goal's objective."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from kolscope.app.briefs import get_brief
from kolscope.app.campaign_views import CampaignIn, CampaignView, CollaborationView
from kolscope.app.campaigns import add_kols, create_campaign, require_campaign
from kolscope.app.matching import expected_engagements, match_brief
from kolscope.app.ports import SearchIndexStore, UnitOfWork
from kolscope.app.rates import estimate
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.pipeline import Stage
from kolscope.core.discovery.graph import EdgeKind, build_graph
from kolscope.core.matching.brief import ContentFormat, Goal
from kolscope.core.matching.forecast import (
    DEFAULT_CLICK_THROUGH_RATE,
    DEFAULT_CONVERSION_RATE,
    DEFAULT_REACH_SHARE,
    IMAGE_IMPRESSIONS_PER_ENGAGEMENT,
    VIDEO_IMPRESSIONS_PER_ENGAGEMENT,
)
from kolscope.core.planning.influence import (
    Kernels,
    budgeted_sample,
    monte_carlo_spread,
    weighted_cascade,
)
from kolscope.core.planning.objectives import (
    Additive,
    PlatformReach,
    ReachPart,
    SpreadCoverage,
    population_of,
)
from kolscope.core.planning.portfolio import Check, Constraints, Objective, Option, Plan, plan
from kolscope.core.planning.reach import CountReach, EngagerReach, split_sample
from kolscope.core.platforms import parse_platform
from kolscope.errors import InvalidInput, NotFound

OBJECTIVES = ("reach", "influence", "conversions", "engagements")
GOAL_OBJECTIVE = {Goal.AWARENESS: "reach", Goal.LAUNCH: "reach", Goal.CONVERSION: "conversions",
                  Goal.EDUCATION: "engagements", Goal.SEEDING: "engagements"}
CANDIDATES = 1000
VIDEO = frozenset({ContentFormat.SHORT_VIDEO, ContentFormat.LIVE_STREAM, ContentFormat.WEBINAR})
#: Fewest distinct engagers for a KOL's engagers to stand for its audience's overlaps.
MIN_ENGAGERS = 20
#: Simulated cascades that check an influence plan's spread.
CHECK_RUNS = 2000
#: The most RR sets an influence plan draws, to bound its time in a large workspace.
MAX_RR_SETS = 2_000_000

MEASURED = "overlap measured on engager samples"

Checker = Callable[[Plan], Check]


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
               max_kol_share: float = 0.5, exclude: Sequence[int] = (), save: bool = False,
               kernels: Kernels | None = None) -> PlanView:
    """The plan for a brief's budget (or ``budget``, for what-ifs), every pick explained.

    ``kernels`` draw the RR sets and cascades of influence plans (compiled ones from the
    engines adapter; the numpy reference by default)."""
    ws = require_workspace(uow, workspace)
    view = get_brief(uow, workspace=workspace, slug=slug)
    brief = view.brief
    goal = objective or GOAL_OBJECTIVE[brief.goal]
    if goal not in OBJECTIVES:
        raise InvalidInput(f"objective must be one of {', '.join(OBJECTIVES)}",
                           field="objective")
    run = match_brief(uow, indexes, workspace=workspace, slug=slug, now=now, limit=CANDIDATES)
    never = set(exclude)
    kept = [m for m in run.matches if m.excluded is None and m.account_id not in never]
    left_out = sum(1 for m in run.matches if m.account_id in never)
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
    share = max_platform_share if max_platform_share is not None else (
        0.6 if len(brief.platforms) > 1 else 1.0)
    constraints = Constraints(budget=budget or brief.budget, max_platform_share=share,
                              max_kol_share=max_kol_share, min_kocs=min_kocs,
                              tier_caps={t.value: s for t, s in brief.tier_mix.items()})
    scorer: Objective
    checker: Checker | None = None
    seed = zlib.crc32(f"{view.slug}/{view.version}".encode())
    if goal == "reach":
        platform_reach, how, checker = _reach(uow, ws.id, options)
        scorer = platform_reach
    elif goal == "influence":
        scorer, how, checker = _influence(uow, ws.id, options, constraints, seed, kernels)
    else:
        scorer, how = Additive([o.value for o in options]), f"the sum of expected {goal}"
    result = plan(options, scorer, constraints, name=goal)
    if goal == "reach":
        index = {o.account_id: i for i, o in enumerate(options)}
        for pick in result.picks:
            pick.reason = f"{pick.reason}; {platform_reach.how(index[pick.account_id])}"
    if left_out:
        result.skipped.append(f"{left_out} matched account(s) excluded as asked")
    result = result.model_copy(update={"estimate": how,
                                       "check": checker(result) if checker else None})
    plan_id = uow.briefs.save_plan(ws.id, view.slug, view.version, result.model_dump(
        mode="json"), now) if save else None
    return PlanView(id=plan_id, brief=view.slug, brief_version=view.version,
                    currency=brief.currency, candidates=len(options), plan=result)


def _engagers(uow: UnitOfWork, workspace_id: int, ids: set[int]
              ) -> dict[int, npt.NDArray[np.int64]]:
    """Each candidate's distinct engagers (commenters), where there are enough of them."""
    commenters, creators = uow.audience.engagements(workspace_id)
    keep = np.isin(creators, np.fromiter(ids, dtype=np.int64, count=len(ids)))
    commenters, creators = commenters[keep], creators[keep]
    order = np.argsort(creators, kind="stable")
    found, starts = np.unique(creators[order], return_index=True)
    groups = np.split(commenters[order], starts[1:]) if found.size else []
    return {int(a): g for a, g in zip(found, groups, strict=True) if g.size >= MIN_ENGAGERS}


def _reach(uow: UnitOfWork, workspace_id: int, options: list[Option]
           ) -> tuple[PlatformReach, str, Checker]:
    """Unique reach: overlaps from engager samples where a KOL has enough engagers, the
    random-audience model from counts where not. Each sample is split in two halves by a hash
    of the person: the plan is chosen on one and its reach counted again on the other."""
    engaged = _engagers(uow, workspace_id, {o.account_id for o in options})
    halves = {a: split_sample(ids) for a, ids in engaged.items()}
    parts: list[ReachPart] = []
    fresh: list[ReachPart] = []
    for platform in sorted({o.platform for o in options}):
        here = [i for i, o in enumerate(options) if o.platform == platform]
        sampled = [i for i in here if options[i].account_id in halves
                   and min(h.size for h in halves[options[i].account_id]) > 0]
        if len(sampled) < 2:
            sampled = []
        chosen = set(sampled)
        counted = [i for i in here if i not in chosen]
        if sampled:
            counts = [options[i].audience for i in sampled]
            for side, into in ((0, parts), (1, fresh)):
                into.append(ReachPart(platform, EngagerReach(
                    [halves[options[i].account_id][side] for i in sampled], counts), sampled,
                    MEASURED))
        if counted:
            model = ReachPart(platform, CountReach(
                [min(options[i].audience, population_of(platform)) for i in counted],
                population=population_of(platform)), counted, "overlap modelled from counts")
            parts.append(model)
            fresh.append(model)
    measured = sum(len(p.members) for p in parts if p.how == MEASURED)
    estimate = (f"unique reach; {measured} of {len(options)} candidates' overlaps measured on "
                f"half of their engagers, the rest modelled from audience sizes")

    def check(result: Plan) -> Check:
        counter = PlatformReach(fresh, len(options))
        index = {o.account_id: i for i, o in enumerate(options)}
        picked = [index[p.account_id] for p in result.picks]
        for i in picked:
            counter.add(i)
        sampled = sum(1 for i in picked if counter.how(i) == MEASURED)
        return Check(method="the other half of the engagers", value=counter.value(),
                     note=f"{sampled} of {len(picked)} picks' overlaps counted afresh; the "
                          "rest come from the count model, which no list can check")

    return PlatformReach(parts, len(options)), estimate, check


def _influence(uow: UnitOfWork, workspace_id: int, options: list[Option],
               constraints: Constraints, seed: int, kernels: Kernels | None
               ) -> tuple[SpreadCoverage, str, Checker]:
    """Influence spread over the workspace's interaction graph, reversed: an account influences
    whoever comments on its posts or mentions or tags it; weighted-cascade chances. Sponsorship
    edges (a brand paid a creator) carry no influence and are left out."""
    found = uow.graph.interactions(workspace_id)
    social = found.kinds != EdgeKind.SPONSORSHIP
    ids = np.array([o.account_id for o in options], dtype=np.int64)
    graph = build_graph(found.targets[social], found.sources[social],
                        np.ones(int(social.sum())), extra_nodes=ids)
    probs = weighted_cascade(graph)
    positions = graph.index_of(ids)
    costs = np.zeros(graph.node_ids.size)
    costs[positions] = [float(o.cost) for o in options]
    excluded = np.setdiff1d(np.arange(graph.node_ids.size), positions)
    sample = budgeted_sample(graph, probs, costs, float(constraints.budget),
                             np.random.default_rng(seed), excluded=excluded,
                             max_rr_sets=MAX_RR_SETS, kernels=kernels)
    estimate = (f"influence spread over {graph.node_ids.size:,} accounts and {graph.edges:,} "
                f"edges of interaction, on {sample.sets.count:,} RR sets sized for "
                f"{sample.k_max} seeds"
                + ("" if sample.guaranteed else " (capped below the guarantee)"))

    def check(result: Plan) -> Check:
        index = {o.account_id: i for i, o in enumerate(options)}
        seeds = positions[[index[p.account_id] for p in result.picks]]
        measured = monte_carlo_spread(graph, probs, seeds, CHECK_RUNS,
                                      np.random.default_rng(seed + 1), kernels=kernels)
        return Check(method="independent cascades on fresh randomness", value=measured.mean,
                     stderr=measured.stderr, runs=measured.runs)

    return SpreadCoverage(sample, positions, kernels=kernels), estimate, check


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
    # Validated again, not copied: the plan's budget passes the same checks as a typed one.
    data = CampaignIn.model_validate(campaign_in.model_dump() | {"brief": stored.brief} | {
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

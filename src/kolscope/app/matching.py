"""Match a brief: find candidates by search, gather what each criterion reads, score them."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel

from kolscope.app.briefs import get_brief
from kolscope.app.forecasts import peer_prior
from kolscope.app.models import AccountQuery, AccountSummary
from kolscope.app.ports import SearchIndexStore, UnitOfWork, VetPost
from kolscope.app.rates import estimate
from kolscope.app.search import search_accounts
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.relationships import PastCollaboration, rehire
from kolscope.core.discovery.niches import NICHES
from kolscope.core.matching.brief import Brief, ContentFormat
from kolscope.core.matching.forecast import EngagementPrior, engagement_forecast
from kolscope.core.matching.match import MATCH_METHOD_VERSION, Candidate, Match, score_matches
from kolscope.errors import InvalidInput

CANDIDATES = 200  # per platform, from search
RECENT_POSTS = 12
DEFAULT_WINDOW_DAYS = 90  # competitor sponsorships looked back on without an exclusivity window


class MatchRun(BaseModel):
    brief: str
    brief_version: int
    candidates: int
    matches: list[Match]
    method_version: str = MATCH_METHOD_VERSION


def brief_text(brief: Brief) -> str:
    """What search matches the brief by: the product, its keywords and the niche's name."""
    niche = NICHES[brief.niche].label if brief.niche else ""
    return " ".join(x for x in (brief.product, *brief.keywords, niche) if x)


def _candidates(uow: UnitOfWork, indexes: SearchIndexStore, workspace: str, brief: Brief,
                now: datetime) -> list[AccountSummary]:
    """Accounts the brief's text finds, then the rest of its niche (relevance 0: considered,
    not matched), per platform asked for."""
    found: dict[int, AccountSummary] = {}
    for platform in brief.platforms or (None,):
        page = search_accounts(uow, indexes, workspace=workspace, now=now, query=AccountQuery(
            text=brief_text(brief), platform=platform, limit=CANDIDATES))
        found.update((a.id, a) for a in page.items)
        if len(page.items) < CANDIDATES:
            rest = search_accounts(uow, indexes, workspace=workspace, now=now, query=AccountQuery(
                platform=platform, niche=brief.niche, limit=CANDIDATES - len(page.items)))
            for a in rest.items:
                found.setdefault(a.id, a.model_copy(update={"relevance": 0.0}))
    return list(found.values())


def _post_facts(posts: list[VetPost], brief: Brief, now: datetime
                ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Recent formats, brief red lines found, competitors sponsoring inside the window."""
    window = now - timedelta(days=brief.exclusivity_days or DEFAULT_WINDOW_DAYS)
    rivals = {c.lower().lstrip("@") for c in brief.competitors}
    red, conflicts = set(), set()
    for p in posts:
        text = f"{p.caption} {p.image_description or ''}".casefold()
        red |= {r for r in brief.red_lines if r.casefold() in text}
        recent = p.posted_at is None or p.posted_at >= window
        if recent and p.is_sponsored:
            conflicts |= rivals & {h.lower() for h in (*p.sponsor_handles, *p.mentioned_handles)}
    return tuple(p.format for p in posts if p.format), tuple(sorted(red)), tuple(sorted(conflicts))


def _candidate(uow: UnitOfWork, workspace: str, ws_id: int, a: AccountSummary, brief: Brief,
               posts: list[VetPost], now: datetime, engagements: float | None) -> Candidate:
    report = uow.vetting.report(ws_id, a.id)
    _, flags = uow.vetting.flags(ws_id, account_id=a.id, kind=None, category=None, limit=200,
                                 offset=0)
    formats, red, rivals = _post_facts(posts, brief, now)
    fmt = brief.formats[0] if brief.formats else ContentFormat.POST
    try:
        cost = estimate(uow, workspace=workspace, account_id=a.id, fmt=fmt,
                        currency=brief.currency).amount
    except InvalidInput:
        cost = None
    history = [PastCollaboration(h.campaign, h.stage, h.deliverables, h.on_time, h.late,
                                 h.rating) for h in uow.campaigns.history(ws_id, a.id)]
    return Candidate(
        account_id=a.id, handle=a.handle, platform=a.platform.value, relevance=a.relevance,
        authority_percentile=a.authority_percentile, language=a.language, country=a.country,
        vetting_risk=report.report.risk if report else None,
        verdict=report.verdict if report else None,
        flag_categories=frozenset(f.category for f in flags if f.kind != "value"),
        red_lines=red, competitors=rivals, sponsored_share=a.sponsored_share, formats=formats,
        expected_engagements=engagements, cost=cost,
        rehire=rehire(history).suggestion if history else None)


def expected_engagements(uow: UnitOfWork, ws_id: int, found: list[AccountSummary],
                          now: datetime) -> dict[int, float]:
    """The engagement forecast (``forecast-1``) of each candidate's next post."""
    rates = uow.vetting.engagement_rates(ws_id)
    stats = uow.metrics.post_stats([a.id for a in found])
    priors: dict[tuple[str, str | None], EngagementPrior | None] = {}
    out: dict[int, float] = {}
    for a in found:
        tier = a.tier.value if a.tier else None
        key = (a.platform.value, tier)
        if key not in priors:
            priors[key] = peer_prior(rates, *key)
        try:
            f = engagement_forecast(stats.get(a.id, []), followers=a.followers,
                                    prior=priors[key], at=now)
        except InvalidInput:
            continue
        out[a.id] = f.engagements.point
    return out


def match_brief(uow: UnitOfWork, indexes: SearchIndexStore, *, workspace: str, slug: str,
                now: datetime, version: int | None = None, limit: int = 50) -> MatchRun:
    """The best-matching KOLs for a brief, each with its score and per-criterion reasons."""
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit must be 1 to 1,000", field="limit")
    ws = require_workspace(uow, workspace)
    view = get_brief(uow, workspace=workspace, slug=slug, version=version)
    found = _candidates(uow, indexes, workspace, view.brief, now)
    ids = [a.id for a in found]
    posts = uow.vetting.posts(ids, RECENT_POSTS)
    expected = expected_engagements(uow, ws.id, found, now)
    candidates = [_candidate(uow, workspace, ws.id, a, view.brief, posts.get(a.id, []), now,
                             expected.get(a.id)) for a in found]
    matches = score_matches(candidates, view.brief)
    return MatchRun(brief=view.slug, brief_version=view.version, candidates=len(found),
                    matches=matches[:limit])

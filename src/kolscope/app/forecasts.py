"""Forecast a deliverable for a brief: the KOL's next post, its funnel, its cost and ROI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from kolscope.app.briefs import get_brief
from kolscope.app.ports import UnitOfWork
from kolscope.app.rates import estimate
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.tiers import Tier
from kolscope.core.matching.brief import ContentFormat
from kolscope.core.matching.forecast import (
    DeliverableForecast,
    EngagementPrior,
    Factor,
    Funnel,
    deliverable_forecast,
    engagement_forecast,
    engagement_prior,
)
from kolscope.core.matching.rates import CostEstimate
from kolscope.core.platforms import Platform, PostFormat
from kolscope.errors import InvalidInput, NotFound

# The post format that stands for each format a brief asks for.
POST_FORMAT: dict[ContentFormat, PostFormat] = {
    ContentFormat.POST: PostFormat.IMAGE, ContentFormat.SHORT_VIDEO: PostFormat.SHORT_VIDEO,
    ContentFormat.LIVE_STREAM: PostFormat.LIVE_STREAM, ContentFormat.ARTICLE: PostFormat.ARTICLE,
    ContentFormat.WEBINAR: PostFormat.WEBINAR, ContentFormat.PODCAST: PostFormat.PODCAST_EPISODE,
}
MIN_PEERS = 2


class ForecastView(BaseModel):
    account_id: int
    handle: str
    platform: str
    brief: str
    brief_version: int
    format: ContentFormat
    cost: CostEstimate
    forecast: DeliverableForecast


def peer_prior(rates: Sequence[tuple[str, str, float]], platform: str, tier: str | None
               ) -> EngagementPrior | None:
    """The prior from peers: the same platform and tier, else the platform, else everyone."""
    for keep in (lambda p, t: p == platform and t == tier, lambda p, t: p == platform,
                 lambda p, t: True):
        group = [r for p, t, r in rates if keep(p, t) and r > 0]
        if len(group) >= MIN_PEERS:
            return engagement_prior(group, platform=Platform(platform),
                                    tier=Tier(tier) if tier else None)
    return None


def forecast_for_brief(uow: UnitOfWork, *, workspace: str, slug: str, account_id: int,
                       now: datetime, fmt: ContentFormat | None = None) -> ForecastView:
    """One deliverable by ``account_id`` for the brief: reach, engagements, clicks, orders,
    revenue and ROI with intervals, at the cost the cost model gives."""
    ws = require_workspace(uow, workspace)
    view = get_brief(uow, workspace=workspace, slug=slug)
    brief = view.brief
    if brief.average_order_value is None:
        raise InvalidInput(f"brief {slug!r} has no average_order_value; revenue and ROI need "
                           "it", field="average_order_value")
    subject = uow.vetting.subject(ws.id, account_id)
    if subject is None:
        raise NotFound(f"creator account {account_id} not found", account=account_id)
    content = fmt or (brief.formats[0] if brief.formats else ContentFormat.POST)
    cost = estimate(uow, workspace=workspace, account_id=account_id, fmt=content,
                    currency=brief.currency)
    history = uow.metrics.post_stats([account_id]).get(account_id, [])
    prior = peer_prior(uow.vetting.engagement_rates(ws.id), subject.platform, subject.tier)
    engaged = engagement_forecast(history, followers=subject.followers, prior=prior, at=now)
    funnel = Funnel(average_order_value=Factor(median=float(brief.average_order_value)))
    forecast = deliverable_forecast(engaged, post_format=POST_FORMAT[content], funnel=funnel,
                                    cost=cost.amount)
    return ForecastView(account_id=account_id, handle=subject.handle,
                        platform=subject.platform, brief=view.slug, brief_version=view.version,
                        format=content, cost=cost, forecast=forecast)

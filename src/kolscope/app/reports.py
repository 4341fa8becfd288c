"""Campaign reports from stored data: the campaign report, campaigns side by side and the KOL
leaderboard, all through the ports and computed by :mod:`kolscope.core.reporting`.

Counts are each published post's latest snapshot (likes, comments, views) with shares and saves
from the post; clicks are the campaign's tracked links' (people only); orders and revenue come
from attribution (:mod:`kolscope.app.attribution`); spend is the ledger's fees and performance
pay due, plus agreed fees not booked yet. Method: ``docs/methods/reports.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

from kolscope.app.attribution import CampaignAttribution, attribution_details, live_session_of
from kolscope.app.campaign_views import CampaignView, CollaborationView, DeliverableView
from kolscope.app.campaigns import list_campaigns, require_campaign
from kolscope.app.forecasts import peer_prior
from kolscope.app.ports import UnitOfWork
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.pipeline import COMMITTED
from kolscope.core.matching.forecast import EngagementPrior, Interval, engagement_forecast
from kolscope.core.reporting.compare import Comparison, Leaderboard, compare, leaderboard
from kolscope.core.reporting.facts import (
    CampaignFacts,
    CommentFacts,
    EntryFacts,
    KolFacts,
    LinkFacts,
    LiveFacts,
    OrderFacts,
    PostFacts,
    SalesFacts,
)
from kolscope.core.reporting.models import CampaignReport, KolLine
from kolscope.core.reporting.report import ReportInput, build_report
from kolscope.core.vetting.sentiment import SENTIMENT_METHOD_VERSION
from kolscope.errors import InvalidInput, NotFound


def _kol(c: CollaborationView) -> KolFacts:
    terms = c.terms or {}
    fee = Decimal(str(terms["fee"])) if c.stage in COMMITTED and "fee" in terms else None
    return KolFacts(collaboration_id=c.id, account_id=c.account_id, handle=c.handle,
                    platform=c.platform, followers=c.followers, stage=c.stage.value,
                    agreed_fee=fee, currency=terms.get("currency"))


def _forecasts(uow: UnitOfWork, ws_id: int,
               posts: Sequence[tuple[CollaborationView, int, datetime | None]]
               ) -> dict[int, Interval]:
    """Each post's engagement forecast from its KOL's earlier posts (as monitoring does)."""
    rates = uow.vetting.engagement_rates(ws_id)
    history = uow.metrics.post_stats(list({c.account_id for c, _, _ in posts}))
    subjects = {a: uow.vetting.subject(ws_id, a) for a in {c.account_id for c, _, _ in posts}}
    found: dict[int, Interval] = {}
    priors: dict[tuple[str, str | None], EngagementPrior | None] = {}
    for collab, post_id, posted in posts:
        subject = subjects[collab.account_id]
        if subject is None:
            continue
        earlier = [p for p in history.get(collab.account_id, [])
                   if posted is None or (p.posted_at is not None and p.posted_at < posted)]
        peers = (subject.platform, subject.tier)
        if peers not in priors:  # one prior per platform and tier, however many KOLs share it
            priors[peers] = peer_prior(rates, subject.platform, subject.tier)
        prior = priors[peers]
        if earlier or prior is not None:
            found[post_id] = engagement_forecast(earlier, followers=subject.followers,
                                                 prior=prior, at=posted).engagements
    return found


def _posts(uow: UnitOfWork, ws_id: int,
           published: Sequence[tuple[CollaborationView, DeliverableView]]) -> list[PostFacts]:
    ids = [d.post_id for _, d in published if d.post_id is not None]
    counts = uow.metrics.post_counts(ids)
    snapshots = uow.metrics.post_snapshots(ids)
    forecasts = _forecasts(uow, ws_id, [
        (c, d.post_id, counts[d.post_id].posted_at if d.post_id in counts else d.published_at)
        for c, d in published if d.post_id is not None])
    out = []
    for c, d in published:
        post = counts.get(d.post_id) if d.post_id is not None else None
        if post is None:
            out.append(PostFacts(deliverable_id=d.id, collaboration_id=c.id,
                                 platform=d.platform, format=d.format, url=d.published_url,
                                 post_id=None, posted_at=d.published_at))
            continue
        # The latest by time; of equal times the last stored, as monitoring judges it.
        last = max(reversed(snapshots.get(post.post_id, [])), key=lambda s: s.at, default=None)
        out.append(PostFacts(
            deliverable_id=d.id, collaboration_id=c.id, platform=post.platform,
            format=post.format, url=d.published_url or post.url, post_id=post.post_id,
            posted_at=post.posted_at or d.published_at,
            likes=last.likes if last else post.likes,
            comments=last.comments if last else post.comments,
            views=last.views if last and last.views is not None else post.views,
            shares=post.shares, saves=post.saves, forecast=forecasts.get(post.post_id)))
    return out


def _sales(uow: UnitOfWork, ws_id: int, campaign: CampaignView,
           details: CampaignAttribution | str
           ) -> tuple[list[SalesFacts] | None, list[OrderFacts], list[LiveFacts], str | None,
                      list[str]]:
    """Orders and revenue by attribution (last click, 30 days); None when there are none.
    ``details`` is the attribution, or why it could not run."""
    if isinstance(details, str):
        return None, [], [], None, [f"attribution could not run: {details}"]
    credited = [a for a in details.attributions if a.collaboration_id is not None]
    sessions = uow.commerce.live_sessions(ws_id, campaign_id=campaign.id)
    if not credited and not sessions:
        return None, [], [], None, ["no conversion data: no order or live session is credited "
                                    "to the campaign yet"]
    orders = [OrderFacts(a.conversion.order_id, a.collaboration_id, a.conversion.net_revenue,
                         a.rule) for a in credited if a.collaboration_id is not None]
    live = [LiveFacts(s.id, s.collaboration_id, s.orders, live_session_of(s).net_gmv)
            for s in sessions]
    sales = [SalesFacts(
        collaboration_id=cid, orders=t.orders + t.live_orders, revenue=t.attributed_revenue,
        order_ids=tuple(o.order_id for o in orders if o.collaboration_id == cid),
        live_session_ids=tuple(s.session_id for s in live if s.collaboration_id == cid))
        for cid, t in details.report.by_collaboration.items()]
    return sales, orders, live, details.report.currency, [
        f"orders credited by {details.model.replace('_', ' ')} attribution, "
        f"{details.window.days}-day window ({details.report.method_version})"]


def report_input(uow: UnitOfWork, *, workspace: str, slug: str) -> ReportInput:
    """Every stored row a campaign's report reads, as plain facts."""
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    collabs = uow.campaigns.collaborations(campaign.id, None)
    deliverables = uow.campaigns.deliverables_of([c.id for c in collabs])
    published = [(c, d) for c in collabs for d in deliverables[c.id] if d.status == "published"]
    posts = _posts(uow, ws.id, published)
    ledger = uow.campaigns.entry_views_of([c.id for c in collabs])
    entries = [EntryFacts(e.id, c.id, e.kind, e.amount, e.currency)
               for c in collabs for e in ledger[c.id]]
    links = uow.tracking.links(ws.id, campaign_id=campaign.id)
    details: CampaignAttribution | str
    try:
        details = attribution_details(uow, workspace=workspace, slug=slug)
        clicks = details.link_clicks  # the same links, counted once for both
    except InvalidInput as exc:
        details = exc.message
        clicks = uow.tracking.click_counts(ws.id, link_ids=[link.id for link in links])
    link_facts = [LinkFacts(link.id, link.code, link.collaboration_id, link.deliverable_id,
                            clicks[link.id].total if link.id in clicks else 0,
                            clicks[link.id].unique if link.id in clicks else 0)
                  for link in links]
    comments = [CommentFacts(c.comment_id, c.post_id, c.created_at, c.author_handle, c.text,
                             c.label, c.score)
                for c in uow.vetting.comments([p.post_id for p in posts if p.post_id],
                                              SENTIMENT_METHOD_VERSION)]
    sales, orders, live, currency, notes = _sales(uow, ws.id, campaign, details)
    return ReportInput(
        campaign=CampaignFacts(
            slug=campaign.slug, name=campaign.name, brand=campaign.brand,
            goal=campaign.goal.value, status=campaign.status.value,
            currency=campaign.currency, budget=campaign.budget, starts_on=campaign.starts_on,
            ends_on=campaign.ends_on, kpi_targets=campaign.kpi_targets),
        kols=[_kol(c) for c in collabs], posts=posts, links=link_facts, entries=entries,
        comments=comments, sales=sales, orders=orders, live_sessions=live,
        currency=currency or campaign.currency, notes=notes)


def campaign_report(uow: UnitOfWork, *, workspace: str, slug: str,
                    now: datetime) -> CampaignReport:
    """The campaign report: KPIs against targets and forecast, tables, spend, what to rehire."""
    return build_report(report_input(uow, workspace=workspace, slug=slug), generated_at=now)


def campaign_comparison(uow: UnitOfWork, *, workspace: str, slugs: Sequence[str],
                        now: datetime) -> Comparison:
    """Several campaigns side by side, the same KPIs by the same definitions."""
    if len(slugs) < 2 or len(set(slugs)) != len(slugs):
        raise InvalidInput("name at least two different campaigns to compare", field="slugs")
    return compare([campaign_report(uow, workspace=workspace, slug=s, now=now)
                    for s in slugs])


def kol_leaderboard(uow: UnitOfWork, *, workspace: str, by: str, now: datetime,
                    limit: int = 50) -> Leaderboard:
    """The workspace's KOLs ranked across its campaigns by the KPI ``by``."""
    inputs = [report_input(uow, workspace=workspace, slug=c.slug)
              for c in list_campaigns(uow, workspace=workspace)]
    return leaderboard(inputs, by=by, limit=limit, generated_at=now)


class KolPerformance(BaseModel):
    """One KOL's line in the report of each campaign it took part in, newest campaign last."""

    campaign: str
    campaign_name: str
    currency: str | None
    conversion_data: bool
    line: KolLine


def kol_performance(uow: UnitOfWork, *, workspace: str, account_id: int,
                    now: datetime) -> list[KolPerformance]:
    """The account's results across campaigns, by the same report and KPI definitions."""
    ws = require_workspace(uow, workspace)
    if not uow.accounts.summaries(ws.id, [account_id]):
        raise NotFound(f"creator account {account_id} not found", workspace=workspace,
                       account_id=account_id)
    out = []
    for slug in dict.fromkeys(h.campaign for h in uow.campaigns.history(ws.id, account_id)):
        report = campaign_report(uow, workspace=workspace, slug=slug, now=now)
        out += [KolPerformance(campaign=slug, campaign_name=report.campaign.name,
                               currency=report.currency,
                               conversion_data=report.conversion_data, line=line)
                for line in report.kols if line.account_id == account_id]
    return out

"""Attribution from stored data: a campaign's orders, clicks, live sessions and spend, credited
by :mod:`kolscope.core.tracking.attribution`, and performance pay booked into the ledger.

Orders are credited across all the workspace's links and promo codes, then the campaign keeps
those credited to its collaborations: an order another campaign earned is never counted twice.
Spend is :func:`kolscope.core.campaigns.ledger.spend`, as in reports: what the ledger holds as
due plus the agreed fee while none is booked; performance pay counts once booked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from kolscope.app.campaign_views import CampaignView, LedgerView
from kolscope.app.campaigns import require_campaign
from kolscope.app.payments import accrue_performance
from kolscope.app.ports import UnitOfWork
from kolscope.app.tracking_views import ClickCounts, ConversionView, LinkView, LiveSessionView
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.ledger import PerformanceEarned
from kolscope.core.campaigns.ledger import spend as ledger_spend
from kolscope.core.campaigns.pipeline import COMMITTED
from kolscope.core.campaigns.terms import Terms
from kolscope.core.money import Money
from kolscope.core.tracking.attribution import (
    DEFAULT_WINDOW,
    Attribution,
    Clicks,
    Conversion,
    Model,
    Report,
    Totals,
    Touch,
    attribute,
    performance_payouts,
    summarize,
)
from kolscope.core.tracking.live import LivePlatform, LiveSession
from kolscope.errors import InvalidInput


@dataclass(frozen=True)
class CampaignAttribution:
    """The report and what it was computed from: every credited order of the campaign (and
    the period's unattributed ones), who each collaboration is, and the performance pay."""

    campaign: CampaignView
    report: Report
    attributions: list[Attribution]
    handles: dict[int, str]
    payouts: dict[int, PerformanceEarned]
    model: Model
    window: timedelta
    since: datetime | None
    until: datetime | None
    link_clicks: dict[int, ClickCounts]  # the campaign's links' clicks, all time


def conversion_of(row: ConversionView) -> Conversion:
    """An order for attribution; refunds given on the order and on their own describe the same
    money, so the larger of the two counts, never more than the revenue."""
    refunded = min(row.revenue, max(row.refunded, row.refunds))
    return Conversion(row.order_id, row.at, row.revenue, row.currency, refunded, row.promo_code,
                      row.click_id, row.visitor)


def live_session_of(row: LiveSessionView) -> LiveSession:
    return LiveSession(LivePlatform(row.platform), row.session_id, row.started_at, row.viewers,
                       row.peak_viewers, row.watch_seconds, row.orders, row.gmv, row.refunds,
                       row.currency)


def _period(campaign: CampaignView, links: Sequence[LinkView],
            window: timedelta) -> tuple[datetime | None, datetime | None]:
    """Orders from the campaign's start (or its first link) to its end plus the window."""
    since = (datetime.combine(campaign.starts_on, time(), UTC) if campaign.starts_on
             else min((link.created_at for link in links), default=None))
    until = (datetime.combine(campaign.ends_on, time(), UTC) + timedelta(days=1) + window
             if campaign.ends_on else None)
    return since, until


def _window(days: int) -> timedelta:
    if not 1 <= days <= 365:
        raise InvalidInput("the attribution window is 1 to 365 days", field="window_days")
    return timedelta(days=days)


def attribution_details(uow: UnitOfWork, *, workspace: str, slug: str,
                        model: Model = "last_click",
                        window_days: int = DEFAULT_WINDOW.days) -> CampaignAttribution:
    """Credit the period's orders and add up the campaign's totals per KOL and deliverable."""
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    window = _window(window_days)
    collabs = {c.id: c for c in uow.campaigns.collaborations(campaign.id, None)}
    links = uow.tracking.links(ws.id)
    own = [link for link in links if link.campaign_id == campaign.id]
    since, until = _period(campaign, own, window)
    rows = uow.commerce.conversions(ws.id, since=since, until=until)
    conversions = [conversion_of(r) for r in rows]
    by_link = {link.id: (link, link.collaboration_id) for link in links
               if link.collaboration_id is not None}
    # An order can only be credited to a click in the window before it.
    found = uow.tracking.touches(
        ws.id, click_ids=[c.click_id for c in conversions if c.click_id],
        visitors=[c.visitor for c in conversions if c.visitor],
        since=since - window if since else None, until=until)
    touches = [Touch(t.click_id, t.at, link.code, collab_id, link.deliverable_id, t.visitor)
               for t in found if t.link_id in by_link
               for link, collab_id in (by_link[t.link_id],)]
    codes = {p.key: p.collaboration_id for p in uow.commerce.promo_codes(ws.id)}
    credited = [a for a in attribute(conversions, touches, promo_codes=codes, window=window,
                                     model=model)
                if a.collaboration_id is None or a.collaboration_id in collabs]
    counts = uow.tracking.click_counts(ws.id, link_ids=[link.id for link in own])
    clicks: dict[int, Clicks] = {}
    deliverable_clicks: dict[tuple[int, int], Clicks] = {}
    for link in own:
        n = counts.get(link.id)
        if n is None or link.collaboration_id is None:
            continue
        clicks[link.collaboration_id] = _add(clicks.get(link.collaboration_id), n.total,
                                             n.unique)
        if link.deliverable_id is not None:
            key = (link.collaboration_id, link.deliverable_id)
            deliverable_clicks[key] = _add(deliverable_clicks.get(key), n.total, n.unique)
    live: dict[int, list[LiveSession]] = defaultdict(list)
    for session in uow.commerce.live_sessions(ws.id, campaign_id=campaign.id):
        live[session.collaboration_id].append(live_session_of(session))
    terms = {cid: Terms.model_validate(c.terms) for cid, c in collabs.items() if c.terms}
    ledger = uow.campaigns.entries_of(list(terms))
    spend = {cid: Money(amount=ledger_spend(
                 [(e.kind, e.amount) for e in ledger[cid]],
                 t.fee if collabs[cid].stage in COMMITTED else None),
                 currency=t.currency)
             for cid, t in terms.items()}
    report = summarize(credited, clicks=clicks, deliverable_clicks=deliverable_clicks,
                       spend=spend, live=live)
    payouts = performance_payouts(report, terms)
    return CampaignAttribution(campaign, report, credited,
                               {cid: c.handle for cid, c in collabs.items()}, payouts, model,
                               window, since, until, counts)


def _add(clicks: Clicks | None, total: int, unique: int) -> Clicks:
    return Clicks(total, unique) if clicks is None else \
        replace(clicks, total=clicks.total + total, unique=clicks.unique + unique)


def campaign_attribution(uow: UnitOfWork, *, workspace: str, slug: str,
                         model: Model = "last_click",
                         window_days: int = DEFAULT_WINDOW.days) -> Report:
    """The campaign's totals per KOL, per deliverable and overall."""
    return attribution_details(uow, workspace=workspace, slug=slug, model=model,
                               window_days=window_days).report


def book_performance_pay(uow: UnitOfWork, *, workspace: str, slug: str, actor: str,
                         now: datetime, model: Model = "last_click",
                         window_days: int = DEFAULT_WINDOW.days) -> dict[str, LedgerView]:
    """Bring every performance-paid collaboration's ledger up to what attribution says it
    earned (only the difference is booked, so running it again books nothing)."""
    details = attribution_details(uow, workspace=workspace, slug=slug, model=model,
                                  window_days=window_days)
    booked: dict[str, LedgerView] = {}
    for collab_id in sorted(details.payouts):
        totals = details.report.by_collaboration.get(collab_id, Totals())
        booked[details.handles[collab_id]] = accrue_performance(
            uow, workspace=workspace, collab_id=collab_id, clicks=totals.unique_clicks,
            conversions=totals.orders + totals.live_orders, revenue=totals.attributed_revenue,
            actor=actor, now=now)
    return booked


def _totals(t: Totals) -> dict[str, object]:
    return {"clicks": t.clicks, "unique_clicks": t.unique_clicks, "orders": t.orders,
            "revenue": str(t.revenue), "refunded": str(t.refunded),
            "net_revenue": str(t.net_revenue), "live_sessions": t.live_sessions,
            "live_orders": t.live_orders, "live_net_gmv": str(t.live_net_gmv),
            "attributed_revenue": str(t.attributed_revenue),
            "spend": None if t.spend is None else str(t.spend),
            "conversion_rate": t.conversion_rate, "roi": t.roi}


def report_data(details: CampaignAttribution) -> dict[str, object]:
    """The report as plain data for JSON and CSV: totals, and every order with its credit."""
    r = details.report
    return {
        "campaign": details.campaign.slug, "method_version": r.method_version,
        "model": details.model, "window_days": details.window.days,
        "since": details.since.isoformat() if details.since else None,
        "until": details.until.isoformat() if details.until else None,
        "currency": r.currency, "campaign_totals": _totals(r.campaign),
        "unattributed": _totals(r.unattributed),
        "by_kol": [{"collaboration_id": cid, "handle": details.handles.get(cid),
                    **_totals(t),
                    "performance_pay": str(details.payouts[cid].total)
                    if cid in details.payouts else None}
                   for cid, t in r.by_collaboration.items()],
        "by_deliverable": [{"collaboration_id": cid, "deliverable_id": did, **_totals(t)}
                           for (cid, did), t in r.by_deliverable.items()],
        "orders": [{"order_id": a.conversion.order_id, "at": a.conversion.at.isoformat(),
                    "net_revenue": str(a.conversion.net_revenue),
                    "currency": a.conversion.currency, "rule": a.rule,
                    "handle": details.handles.get(a.collaboration_id)
                    if a.collaboration_id is not None else None,
                    "deliverable_id": a.deliverable_id, "reason": a.reason}
                   for a in details.attributions],
    }

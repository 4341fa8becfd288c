"""A campaign report from plain rows: KPIs against targets and forecast, per-KOL and per-platform
tables, best content, sentiment over time, spend and ROI, and what to rehire (``report-1``).

Every KPI is computed by :mod:`kolscope.core.metrics` (its one definition) over totals of the
rows, and carries references to those rows. Impressions and reach are not measured in stored
data: impressions are a post's views where it has them, else its engagements times the forecast
funnel's impressions per engagement; reach is impressions times its reach share (both flagged
``estimated``). Method: ``docs/methods/reports.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from kolscope.core import metrics as m
from kolscope.core.campaigns.ledger import spend as ledger_spend
from kolscope.core.reporting.evidence import evidence_tables
from kolscope.core.reporting.facts import (
    CampaignFacts,
    CommentFacts,
    EntryFacts,
    KolFacts,
    LinkFacts,
    LiveFacts,
    OrderFacts,
    PostFacts,
    RowRef,
    SalesFacts,
)
from kolscope.core.reporting.models import (
    CampaignReport,
    CampaignSummary,
    ContentLine,
    KolLine,
    Kpi,
    PlatformLine,
    SampleComment,
    SentimentDay,
    SpendLine,
)
from kolscope.core.reporting.rehire import REHIRE_METHOD_VERSION, rehire
from kolscope.core.reporting.totals import Totals, campaign_kpis, sum_totals

REPORT_METHOD_VERSION = "report-1"
BEST_CONTENT = 10
SAMPLE_COMMENTS = 3  # of each of the positive and negative labels
ZERO = Decimal(0)


@dataclass(frozen=True)
class ReportInput:
    """Everything a report reads, as plain rows; ``sales`` None means no conversion data."""

    campaign: CampaignFacts
    kols: Sequence[KolFacts]
    posts: Sequence[PostFacts]
    links: Sequence[LinkFacts]
    entries: Sequence[EntryFacts]
    comments: Sequence[CommentFacts]
    sales: Sequence[SalesFacts] | None = None
    orders: Sequence[OrderFacts] = ()
    live_sessions: Sequence[LiveFacts] = ()
    currency: str | None = None
    notes: Sequence[str] = field(default_factory=tuple)


def spend_lines(kols: Sequence[KolFacts], entries: Sequence[EntryFacts]) -> list[SpendLine]:
    """Each collaboration's spend: fees, performance pay and adjustments due on the ledger, and
    the agreed fee while no fee is booked yet."""
    mine: dict[int, list[EntryFacts]] = defaultdict(list)
    for e in entries:
        mine[e.collaboration_id].append(e)
    lines = []
    for k in kols:
        rows = mine.get(k.collaboration_id, [])
        due = {kind: sum((e.amount for e in rows if e.kind == kind), ZERO)
               for kind in ("fee", "performance", "adjustment", "payment")}
        booked = any(e.kind == "fee" for e in rows)
        committed = ZERO if booked or k.agreed_fee is None else k.agreed_fee
        refs = [RowRef(table="ledger_entries", ids=tuple(e.entry_id for e in rows))] if rows \
            else []
        if committed:
            refs.append(RowRef(table="collaborations", ids=(k.collaboration_id,)))
        lines.append(SpendLine(
            collaboration_id=k.collaboration_id, handle=k.handle, fees=due["fee"],
            performance=due["performance"], adjustments=due["adjustment"], committed=committed,
            total=ledger_spend([(e.kind, e.amount) for e in rows], k.agreed_fee),
            paid=due["payment"], sources=refs))
    return lines


def kol_totals(data: ReportInput, spend: Sequence[SpendLine]) -> dict[int, Totals]:
    """Each collaboration's totals: its posts, links, sales, spend and scored comments."""
    totals = {k.collaboration_id: Totals() for k in data.kols}
    followers = {k.collaboration_id: k.followers for k in data.kols}
    for post in data.posts:
        totals[post.collaboration_id].add_post(post, followers.get(post.collaboration_id))
    for link in data.links:
        if link.collaboration_id in totals:
            t = totals[link.collaboration_id]
            t.clicks += link.clicks
            t.unique_clicks += link.unique_clicks
            t.ref("tracking_links", [link.link_id])
    if data.sales is not None:
        for t in totals.values():
            t.add_sales(0, ZERO)
        for sale in data.sales:
            t = totals[sale.collaboration_id]
            t.add_sales(sale.orders, sale.revenue)
            t.ref("conversions", sale.order_ids)
            t.ref("live_sessions", sale.live_session_ids)
    for line in spend:
        t = totals[line.collaboration_id]
        t.spend = line.total
        for ref in line.sources:
            t.ref(ref.table, ref.ids)
    by_post = {p.post_id: p.collaboration_id for p in data.posts if p.post_id is not None}
    for c in data.comments:
        if c.label is not None and c.post_id in by_post:
            totals[by_post[c.post_id]].labels.append(c.label)
            totals[by_post[c.post_id]].ref("comments", [c.comment_id])
    return totals


def kol_line(k: KolFacts, t: Totals) -> KolLine:
    """One row of the per-KOL table, every KPI from ``t``."""
    return KolLine(
        collaboration_id=k.collaboration_id, account_id=k.account_id, handle=k.handle,
        platform=k.platform, followers=k.followers, stage=k.stage, posts=t.posts,
        engagements=t.engagements, engagement_rate=t.engagement_rate,
        impressions=t.impressions, views=t.views, clicks=t.clicks,
        unique_clicks=t.unique_clicks, orders=t.orders, revenue=t.revenue, spend=t.spend,
        cpe=t.cpe, cpc=t.cpc, cpa=t.cpa, roas=t.roas, roi=t.roi,
        negative_share=t.negative_share,
        sources=[RowRef(table="collaborations", ids=(k.collaboration_id,)), *t.sources()])


def _platform_lines(kols: Sequence[KolFacts], totals: dict[int, Totals]) -> list[PlatformLine]:
    groups: dict[str, list[Totals]] = defaultdict(list)
    for k in kols:
        groups[k.platform].append(totals[k.collaboration_id])
    lines = []
    for platform, parts in sorted(groups.items()):
        t = sum_totals(parts)
        lines.append(PlatformLine(
            platform=platform, kols=len(parts), posts=t.posts, engagements=t.engagements,
            engagement_rate=t.engagement_rate, impressions=t.impressions, views=t.views,
            clicks=t.clicks, orders=t.orders, revenue=t.revenue, spend=t.spend, cpe=t.cpe,
            roi=t.roi, sources=t.sources()))
    return lines


def _best_content(data: ReportInput) -> list[ContentLine]:
    kols = {k.collaboration_id: k for k in data.kols}
    ranked = sorted((p for p in data.posts if m.engagements(p.likes, p.comments) is not None),
                    key=lambda p: (-(m.engagements(p.likes, p.comments) or 0), p.deliverable_id))
    return [ContentLine(
        deliverable_id=p.deliverable_id, collaboration_id=p.collaboration_id, post_id=p.post_id,
        handle=kols[p.collaboration_id].handle, platform=p.platform, format=p.format, url=p.url,
        posted_at=p.posted_at, engagements=m.engagements(p.likes, p.comments),
        engagement_rate=m.engagement_rate(p.likes, p.comments,
                                          kols[p.collaboration_id].followers),
        views=p.views, forecast=p.forecast,
        sources=[RowRef(table="deliverables", ids=(p.deliverable_id,))])
        for p in ranked[:BEST_CONTENT]]


def _sentiment(data: ReportInput) -> tuple[list[SentimentDay], list[SampleComment]]:
    posts = {p.post_id: p.collaboration_id for p in data.posts if p.post_id is not None}
    handles = {k.collaboration_id: k.handle for k in data.kols}
    scored = [c for c in data.comments if c.label is not None and c.post_id in posts]
    days: dict[object, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for c in scored:
        if c.at is not None:
            days[c.at.date()][c.label or ""].append(c.comment_id)
    series = [SentimentDay(day=day, negative=len(v["negative"]), neutral=len(v["neutral"]),
                           positive=len(v["positive"]),
                           sources=[RowRef(table="comments", ids=tuple(
                               v["negative"] + v["neutral"] + v["positive"]))])
              for day, v in sorted(days.items(), key=lambda kv: str(kv[0]))]
    samples = []
    for label in ("positive", "negative"):
        picked = sorted((c for c in scored if c.label == label),
                        key=lambda c: (-(c.score or 0.0), c.comment_id))[:SAMPLE_COMMENTS]
        samples += [SampleComment(comment_id=c.comment_id, post_id=c.post_id,
                                  handle=handles[posts[c.post_id]], author=c.author,
                                  text=c.text, label=label, score=c.score, at=c.at)
                    for c in picked]
    return series, samples


def build_report(data: ReportInput, *, generated_at: datetime,
                 emv: m.EmvMethod | None = None) -> CampaignReport:
    """The campaign report of ``data`` (pure: the same rows give the same report)."""
    method = emv or m.EmvMethod()
    spend = spend_lines(data.kols, data.entries)
    totals = kol_totals(data, spend)
    campaign = sum_totals(list(totals.values()))
    conversion_data = data.sales is not None
    kpis = campaign_kpis(campaign, data.campaign.kpi_targets, conversion_data=conversion_data,
                         emv=method)
    kols = [kol_line(k, totals[k.collaboration_id]) for k in data.kols]
    sentiment, samples = _sentiment(data)
    c = data.campaign
    handles = {k.collaboration_id: k.handle for k in data.kols}
    return CampaignReport(
        method_version=REPORT_METHOD_VERSION, kpi_method_version=m.KPI_METHOD_VERSION,
        emv_method_version=method.version, emv_rates=dict(method.values),
        rehire_method_version=REHIRE_METHOD_VERSION, generated_at=generated_at,
        campaign=CampaignSummary(slug=c.slug, name=c.name, brand=c.brand, goal=c.goal,
                                 status=c.status, currency=c.currency, budget=c.budget,
                                 starts_on=c.starts_on, ends_on=c.ends_on),
        currency=data.currency or c.currency, conversion_data=conversion_data,
        summary=summary_lines(kpis, kols=len(data.kols), posts=campaign.posts,
                              currency=data.currency or c.currency),
        notes=list(data.notes), kpis=kpis, kols=kols,
        platforms=_platform_lines(data.kols, totals), best_content=_best_content(data),
        sentiment=sentiment, sample_comments=samples, spend=spend,
        rehire=rehire(kols, conversion_data=conversion_data,
                      currency=data.currency or c.currency),
        evidence=evidence_tables(kols=data.kols, posts=data.posts, links=data.links,
                                 orders=data.orders, live_sessions=data.live_sessions,
                                 entries=data.entries, comments=data.comments,
                                 handles=handles))


def summary_lines(kpis: Sequence[Kpi], *, kols: int, posts: int,
                  currency: str | None) -> list[str]:
    """The report's opening sentences, every figure one of ``kpis``."""
    k = {x.key: x for x in kpis}
    cur = f" {currency}" if currency else ""

    def n(key: str) -> str:
        value = k[key].value
        return "n/a" if value is None else f"{value:,}"

    def share(key: str) -> str:
        value = k[key].value
        return "n/a" if value is None else f"{float(value):.2%}"

    def money(key: str) -> str:
        value = k[key].value
        return "n/a" if value is None else f"{Decimal(str(value)):,.2f}{cur}"

    lines = [f"{kols} KOL(s) in the campaign published {posts} post(s): {n('engagements')} "
             f"engagements at an engagement rate of {share('engagement_rate')}."]
    er = k["engagement_rate"]
    if er.target is not None:
        lines.append(f"Engagement rate target {er.target:.2%}: "
                     f"{'met' if er.target_met else 'not met'}.")
    forecast = k["engagements"].forecast
    if forecast is not None:
        lines.append(f"Forecast engagements {forecast.point:,.0f} "
                     f"({forecast.low:,.0f}–{forecast.high:,.0f}).")
    lines.append(f"{n('clicks')} clicks on tracked links; spend {money('spend')}.")
    if k["orders"].value is None:
        lines.append("No conversion data: orders, revenue and ROI are not known yet.")
    else:
        roas = k["roas"].value
        lines.append(f"{n('orders')} orders worth {money('revenue')}: ROI {share('roi')}, "
                     f"ROAS {'n/a' if roas is None else f'{float(roas):.2f}'}.")
    return lines

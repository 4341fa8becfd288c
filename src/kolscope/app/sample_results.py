"""Results for the sample campaign, so its report has something in every section: a few KOLs
taken through terms, review and publication (linked to their latest imported post), snapshots
over time, tracked links with clicks, promo codes and orders, and fees on the ledger.

Everything is derived from the imported world with fixed rules (no randomness), through the same
use cases a person would use; the numbers are synthetic and the workspace says so.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from kolscope.app import campaigns as camp
from kolscope.app import deliverables as dl
from kolscope.app import tracking as trk
from kolscope.app.attribution import book_performance_pay
from kolscope.app.campaign_views import CampaignStatus, CollaborationView
from kolscope.app.payments import record_payment
from kolscope.app.ports import PostCounts, PostSnapshot, UnitOfWork
from kolscope.app.tracking_views import ClickRow, ConversionIn, LinkView
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.pipeline import Stage
from kolscope.core.reporting.monitoring import accrued_share

PUBLISHED_KOLS = 5
COMPLETED_KOLS = 3
SHOP = "https://shop.sample.example/serum"
ORDER_VALUE = Decimal("42.00")
ACTOR = "sample"


def _fee(followers: int | None) -> Decimal:
    """10 USD per 1,000 followers, at least 150: a round stand-in for a rate card."""
    return max(Decimal(150), Decimal((followers or 0) // 100)).quantize(Decimal("1"))


def _publish(uow: UnitOfWork, workspace: str, collab: CollaborationView, post: PostCounts,
             index: int, at: datetime) -> None:
    terms: dict[str, object] = {"fee": str(_fee(collab.followers)), "currency": "USD",
             "deliverables": [{"platform": post.platform, "format": post.format, "count": 1,
                               "disclosures": ["#ad"]}]}
    if index % 2 == 0:
        terms["performance"] = {"per_conversion": "2"}
    for stage in (Stage.CONTACTED, Stage.NEGOTIATING):
        camp.move(uow, workspace=workspace, collab_id=collab.id, to=stage, actor=ACTOR, now=at)
    camp.set_terms(uow, workspace=workspace, collab_id=collab.id,
                   terms=camp.parse_terms(terms), actor=ACTOR, now=at)
    for stage in (Stage.AGREED, Stage.CONTRACTED):
        camp.move(uow, workspace=workspace, collab_id=collab.id, to=stage, actor=ACTOR, now=at)
    (deliverable,) = dl.deliverables(uow, workspace=workspace, collab_id=collab.id)
    draft = dl.submit_draft(uow, workspace=workspace, deliverable_id=deliverable.id,
                            caption="My new favourite serum #ad", paid_partnership=True,
                            url=f"https://drafts.sample.example/{collab.handle}", actor=ACTOR,
                            now=at)
    dl.review_draft(uow, workspace=workspace, draft_id=draft.id, decision="approve",
                    actor=ACTOR, now=at)
    dl.link_published(uow, workspace=workspace, deliverable_id=deliverable.id,
                      url=post.url or "", actor=ACTOR, now=post.posted_at or at)


def _snapshots(uow: UnitOfWork, ws_id: int, post: PostCounts) -> None:
    """Counts seen 6 h, 1 day and 3 days after posting, accruing towards the imported ones."""
    if post.posted_at is None:
        return
    for hours in (6, 24, 72):
        share = accrued_share(timedelta(hours=hours))
        uow.metrics.add_post_snapshot(ws_id, PostSnapshot(
            post_id=post.post_id, at=post.posted_at + timedelta(hours=hours),
            likes=None if post.likes is None else int(post.likes * share),
            comments=None if post.comments is None else int(post.comments * share),
            views=None if post.views is None else int(post.views * share)), source=ACTOR)


def _clicks(ws_id: int, link: LinkView, followers: int | None, start: datetime
            ) -> list[ClickRow]:
    people = min(1500, 30 + (followers or 0) // 400)
    unique = people * 4 // 5
    rows = [ClickRow(f"sample-{link.id}-{i}", link.id, ws_id, link.code,
                     start + timedelta(minutes=7 * i), "Mozilla/5.0 (sample)", "",
                     f"{i % unique:08x}", f"visitor-{link.id}-{i % unique}", "US", None,
                     i < unique) for i in range(people)]
    rows += [ClickRow(f"sample-{link.id}-bot{i}", link.id, ws_id, link.code,
                      start + timedelta(minutes=11 * i), "Googlebot/2.1", "", "b0000000",
                      f"bot-{i}", None, "crawler", False) for i in range(people // 20)]
    return rows


def _orders(uow: UnitOfWork, ws_id: int, clicks: list[ClickRow], promo: str | None,
            index: int, now: datetime) -> None:
    """One order per 6 to 22 unique clicks; every third one by promo code, without a click."""
    unique = [c for c in clicks if c.is_unique and c.bot is None]
    step = 6 + 4 * index
    for j, c in enumerate(unique[::step]):
        by_code = promo is not None and j % 3 == 2
        uow.commerce.upsert_conversion(ws_id, ConversionIn(
            order_id=f"sample-{c.link_id}-{j}", source=ACTOR, at=c.at + timedelta(minutes=20),
            revenue=ORDER_VALUE * (1 + j % 2), refunded=Decimal(0), currency="USD",
            promo_code=promo if by_code else None, click_id=None if by_code else c.click_id,
            visitor=None if by_code else c.visitor), now)


def seed_sample_results(uow: UnitOfWork, *, workspace: str, slug: str, now: datetime) -> int:
    """Take the campaign's first KOLs through to published posts with clicks and orders; how
    many were published."""
    ws = require_workspace(uow, workspace)
    collabs = uow.campaigns.collaborations(
        camp.require_campaign(uow, workspace=workspace, slug=slug).id, None)
    latest = uow.vetting.posts([c.account_id for c in collabs], 1)
    counts = uow.metrics.post_counts([ps[0].post_id for ps in latest.values() if ps])
    chosen = [(c, counts[latest[c.account_id][0].post_id]) for c in collabs
              if latest.get(c.account_id) and latest[c.account_id][0].post_id in counts
              and counts[latest[c.account_id][0].post_id].url
              and counts[latest[c.account_id][0].post_id].posted_at][:PUBLISHED_KOLS]
    if not chosen:
        return 0
    first = min(p.posted_at for _, p in chosen if p.posted_at is not None)
    start = datetime.combine(first.date() - timedelta(days=3), time(), first.tzinfo)
    uow.campaigns.set_status(collabs[0].campaign_id, CampaignStatus.ACTIVE.value, start)
    for i, (collab, post) in enumerate(chosen):
        _publish(uow, workspace, collab, post, i, start)
        _snapshots(uow, ws.id, post)
    handles = [c.handle for c, _ in chosen]
    links = trk.create_links(uow, workspace=workspace, slug=slug, destination=SHOP, now=start,
                             handles=handles)
    promos = {p.promo.collaboration_id: p.promo.key for p in trk.create_promo_codes(
        uow, workspace=workspace, slug=slug, now=start, handles=handles)}
    for i, ((collab, post), link) in enumerate(zip(chosen, links, strict=True)):
        clicks = _clicks(ws.id, link, collab.followers, post.posted_at or start)
        uow.tracking.add_clicks(clicks)
        _orders(uow, ws.id, clicks, promos.get(collab.id), i, now)
    for collab, _ in chosen[:COMPLETED_KOLS]:
        camp.move(uow, workspace=workspace, collab_id=collab.id, to=Stage.COMPLETED,
                  actor=ACTOR, now=now)
    book_performance_pay(uow, workspace=workspace, slug=slug, actor=ACTOR, now=now)
    record_payment(uow, workspace=workspace, collab_id=chosen[0][0].id,
                   amount=_fee(chosen[0][0].followers), method="bank_transfer",
                   reference="SAMPLE-1", actor=ACTOR, now=now)
    return len(chosen)

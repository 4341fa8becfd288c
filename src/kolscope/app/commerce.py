"""Use cases of what tracking sells: shop redemption exports, live-commerce exports, and the
orders and refunds webhooks and the site snippet report.

Orders are stored one row per order id, so a re-sent order or a re-run import counts once.
Imports keep the readable rows and report every other row by file, line and field; a file
with no readable row stores nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Literal

from kolscope.app.campaigns import require_campaign
from kolscope.app.ports import UnitOfWork
from kolscope.app.tracking import CLOSED_STAGES, tracking_settings
from kolscope.app.tracking_views import ConversionIn, ConversionView, LiveSessionIn, RefundIn
from kolscope.app.workspaces import require_workspace
from kolscope.core.tracking._table import CellError, RowError, parse_currency
from kolscope.core.tracking.live import LivePlatform, parse_live_sessions
from kolscope.core.tracking.promo import parse_redemptions
from kolscope.core.tracking.webhooks import (
    SIGNATURE_HEADER,
    BadSignature,
    OrderEvent,
    RefundEvent,
    parse_generic,
    parse_shopify_order,
    parse_shopify_refund,
    verify_shopify_hmac,
)
from kolscope.errors import InvalidInput, NotFound

log = logging.getLogger(__name__)
Stored = Literal["created", "updated", "unchanged"]
SHOPIFY_ORDER_TOPICS = frozenset({"orders/create", "orders/updated", "orders/paid",
                                  "orders/cancelled"})
SHOPIFY_REFUND_TOPICS = frozenset({"refunds/create"})


@dataclass(frozen=True)
class ImportResult:
    """What an import stored and which rows it could not read."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged


def _order_in(event: OrderEvent) -> ConversionIn:
    return ConversionIn(order_id=event.order_id, source=event.source, at=event.at.astimezone(UTC),
                        revenue=event.revenue, refunded=event.refunded, currency=event.currency,
                        name=event.name, promo_code=event.promo_code, click_id=event.click_id,
                        visitor=event.visitor)


def record_order(uow: UnitOfWork, *, workspace: str, event: OrderEvent, now: datetime) -> Stored:
    """Store an order (or its latest state): created, updated or unchanged."""
    ws = require_workspace(uow, workspace)
    return uow.commerce.upsert_conversion(ws.id, _order_in(event), now)


def record_refund(uow: UnitOfWork, *, workspace: str, event: RefundEvent) -> bool:
    """Keep a refund once (by its id); False when it was stored already."""
    ws = require_workspace(uow, workspace)
    return uow.commerce.add_refund(ws.id, RefundIn(event.order_id, event.refund_id, event.amount,
                                                   event.at.astimezone(UTC)))


def record_event(uow: UnitOfWork, *, workspace: str, data: object, now: datetime) -> str:
    """A generic JSON order or refund event (``docs/methods/tracking.md``): what was stored."""
    event = parse_generic(data)
    if isinstance(event, RefundEvent):
        return "created" if record_refund(uow, workspace=workspace, event=event) else "unchanged"
    return record_order(uow, workspace=workspace, event=event, now=now)


def shopify_webhook(uow: UnitOfWork, *, workspace: str, topic: str | None, body: bytes,
                    signature: str | None, now: datetime) -> str:
    """A Shopify webhook: the signature is checked before anything is read or stored.

    Anyone can post here, so an unknown workspace and one without a secret get the same
    refusal as a bad signature, naming no workspace; the log says which it was.
    """
    ws = uow.workspaces.get(workspace)
    secret = uow.commerce.webhook_secret(ws.id) if ws is not None else None
    if not secret:
        log.warning("Shopify webhook for %r refused: %s", workspace,
                    "no such workspace" if ws is None else "no webhook secret set (`kolscope "
                    "tracking settings --webhook-secret`)")
        raise BadSignature("this webhook address cannot verify signatures: check the "
                           "workspace in the address and its webhook secret",
                           field=SIGNATURE_HEADER)
    verify_shopify_hmac(body, signature, secret)
    if topic in SHOPIFY_ORDER_TOPICS:
        return record_order(uow, workspace=workspace, event=parse_shopify_order(body), now=now)
    if topic in SHOPIFY_REFUND_TOPICS:
        stored = record_refund(uow, workspace=workspace, event=parse_shopify_refund(body))
        return "created" if stored else "unchanged"
    known = ", ".join(sorted(SHOPIFY_ORDER_TOPICS | SHOPIFY_REFUND_TOPICS))
    raise InvalidInput(f"topic {topic!r} is not handled (handled: {known})",
                       field="X-Shopify-Topic")


def collect(uow: UnitOfWork, *, site_key: str, data: object, now: datetime) -> Stored:
    """An order the site snippet reports, in the workspace whose public site key it carries.

    The snippet runs in shoppers' browsers, so only orders are taken, never refunds."""
    ws_id = uow.commerce.workspace_of_site_key(site_key)
    if ws_id is None:
        raise NotFound("unknown site key", site_key=site_key)
    event = parse_generic(data)
    if not isinstance(event, OrderEvent):
        raise InvalidInput("the snippet reports orders only", field="type")
    return uow.commerce.upsert_conversion(ws_id, _order_in(event.with_source("snippet")), now)


def conversions(uow: UnitOfWork, *, workspace: str, since: datetime | None = None,
                until: datetime | None = None) -> list[ConversionView]:
    ws = require_workspace(uow, workspace)
    return uow.commerce.conversions(ws.id, since=since, until=until)


def _currency_option(text: str | None) -> str | None:
    """The currency given for a whole file, checked before any row is read."""
    try:
        return None if text is None else parse_currency(text)
    except CellError as exc:
        raise InvalidInput(exc.message, field="currency") from None


def import_redemptions(uow: UnitOfWork, *, workspace: str, text: str, source_name: str,
                       now: datetime, currency: str | None = None,
                       tz: tzinfo = UTC) -> ImportResult:
    """Orders with a promo code from a Shopify, WooCommerce or generic CSV export."""
    ws = require_workspace(uow, workspace)
    tracking_settings(uow, workspace=workspace)
    redemptions, errors = parse_redemptions(text, source_name=source_name,
                                            currency=_currency_option(currency), tz=tz)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for r in redemptions:
        counts[uow.commerce.upsert_conversion(ws.id, ConversionIn(
            order_id=r.order_id, source="promo_import", at=r.ordered_at.astimezone(UTC),
            revenue=r.revenue, refunded=r.refunded, currency=r.currency, promo_code=r.code), now)
        ] += 1
    return ImportResult(errors=errors, **counts)


def import_live_sessions(uow: UnitOfWork, *, workspace: str, slug: str, handle: str, text: str,
                         source_name: str, now: datetime, platform: str | None = None,
                         currency: str | None = None, tz: tzinfo | None = None) -> ImportResult:
    """A KOL's live streams from a Douyin, Taobao Live or TikTok Shop export."""
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    wanted = handle.casefold().lstrip("@")
    collab = next((c for c in uow.campaigns.collaborations(campaign.id, None)
                   if c.handle.casefold().lstrip("@") == wanted), None)
    if collab is None:
        raise NotFound(f"@{wanted} is not in campaign {campaign.slug}", handle=handle)
    if collab.stage in CLOSED_STAGES:
        raise InvalidInput(f"@{collab.handle}'s collaboration is {collab.stage}", field="handle")
    if platform is not None and platform not in set(LivePlatform):
        raise InvalidInput(f"platform must be one of {', '.join(LivePlatform)}",
                           field="platform")
    sessions, errors = parse_live_sessions(text, source_name=source_name, platform=platform,
                                           currency=_currency_option(currency), tz=tz)
    rows = [LiveSessionIn(campaign.id, collab.id, s.platform.value, s.session_id,
                          s.started_at.astimezone(UTC), s.viewers, s.peak_viewers,
                          s.watch_seconds, s.orders, s.gmv, s.refunds, s.currency, source_name)
            for s in sessions]
    added, replaced = uow.commerce.upsert_live_sessions(ws.id, rows, now)
    return ImportResult(created=added, updated=replaced, errors=errors)


def live_sessions(uow: UnitOfWork, *, workspace: str, slug: str) -> Sequence[LiveSessionIn]:
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    return uow.commerce.live_sessions(ws.id, campaign_id=campaign.id)

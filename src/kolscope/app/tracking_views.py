"""Read models and rows of tracked links and their clicks, as the tracking repository speaks them.

Clicks travel as :class:`ClickRow` tuples rather than models: the redirect service makes tens of
thousands a second and a tuple costs a tenth of a validated object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple


@dataclass(frozen=True)
class LinkIn:
    """A link to store: its code, the checked destination and the URL with UTM parameters."""

    code: str
    destination: str
    url: str
    utm: dict[str, str] = field(default_factory=dict)
    campaign_id: int | None = None
    collaboration_id: int | None = None
    deliverable_id: int | None = None
    enabled: bool = True


@dataclass(frozen=True)
class LinkView:
    id: int
    workspace_id: int
    code: str
    destination: str
    url: str
    utm: dict[str, str]
    campaign_id: int | None
    collaboration_id: int | None
    deliverable_id: int | None
    enabled: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RedirectTarget:
    """What the redirect service keeps in memory of one link."""

    link_id: int
    workspace_id: int
    code: str
    url: str
    enabled: bool
    updated_at: datetime


class ClickRow(NamedTuple):
    """One recorded request to a link; ``bot`` is None for a person's click."""

    click_id: str
    link_id: int
    workspace_id: int
    code: str
    at: datetime
    user_agent: str
    referrer: str
    ip_hash: str
    visitor: str
    country: str | None
    bot: str | None
    is_unique: bool


@dataclass(frozen=True)
class ClickCounts:
    """A link's clicks: ``total`` and ``unique`` count people only; ``bots`` the rest."""

    total: int = 0
    unique: int = 0
    bots: int = 0


@dataclass(frozen=True)
class TrackingSettingsView:
    """A workspace's UTM template and promo format (as stored JSON), whether a shop webhook
    secret is set (never the secret itself) and the snippet's public site key."""

    utm: dict[str, str]
    promo: dict[str, object]
    has_webhook_secret: bool
    site_key: str


@dataclass(frozen=True)
class PromoCodeIn:
    code: str
    key: str
    campaign_id: int
    collaboration_id: int


@dataclass(frozen=True)
class PromoCodeView:
    id: int
    code: str
    key: str
    campaign_id: int
    collaboration_id: int
    created_at: datetime


@dataclass(frozen=True)
class ConversionIn:
    """An order to store; ``promo_code`` is already normalised."""

    order_id: str
    source: str
    at: datetime
    revenue: Decimal
    refunded: Decimal
    currency: str
    name: str | None = None
    promo_code: str | None = None
    click_id: str | None = None
    visitor: str | None = None


@dataclass(frozen=True)
class ConversionView:
    """A stored order; ``refunds`` adds up the refunds reported on their own."""

    id: int
    order_id: str
    name: str | None
    source: str
    at: datetime
    revenue: Decimal
    refunded: Decimal
    refunds: Decimal
    currency: str
    promo_code: str | None
    click_id: str | None
    visitor: str | None
    updated_at: datetime


@dataclass(frozen=True)
class RefundIn:
    order_id: str
    refund_id: str
    amount: Decimal
    at: datetime


@dataclass(frozen=True)
class LiveSessionIn:
    campaign_id: int
    collaboration_id: int
    platform: str
    session_id: str
    started_at: datetime
    viewers: int | None
    peak_viewers: int | None
    watch_seconds: int | None
    orders: int
    gmv: Decimal
    refunds: Decimal
    currency: str
    source_name: str


@dataclass(frozen=True)
class LiveSessionView(LiveSessionIn):
    id: int = 0


class TouchRow(NamedTuple):
    """A person's click as attribution needs it."""

    click_id: str
    at: datetime
    link_id: int
    visitor: str

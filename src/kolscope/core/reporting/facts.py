"""The plain rows a campaign report is computed from, and the references that point back at them.

Use cases read these from storage; :func:`kolscope.core.reporting.report.build_report` turns
them into numbers. Every number keeps :class:`RowRef` references to the rows it came from, so a
reader can check it (``docs/methods/reports.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from kolscope.core.matching.forecast import Interval

#: Tables a report's numbers refer to; each is also an appendix table of the report.
TABLES = ("collaborations", "deliverables", "tracking_links", "conversions", "live_sessions",
          "ledger_entries", "comments")


class RowRef(BaseModel):
    """Rows of one stored table, by id: where a number came from."""

    model_config = ConfigDict(frozen=True)

    table: str
    ids: tuple[int | str, ...]


@dataclass(frozen=True)
class CampaignFacts:
    slug: str
    name: str
    brand: str
    goal: str
    status: str
    currency: str | None
    budget: Decimal | None
    starts_on: date | None
    ends_on: date | None
    kpi_targets: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class KolFacts:
    """One collaboration: the KOL, its stage and the fee its terms agree (None without terms)."""

    collaboration_id: int
    account_id: int
    handle: str
    platform: str
    followers: int | None
    stage: str
    agreed_fee: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class PostFacts:
    """A published deliverable and its post's latest counts (None where not linked or unknown);
    ``forecast`` is the post's engagement forecast (``forecast-1``) where one could be made."""

    deliverable_id: int
    collaboration_id: int
    platform: str
    format: str
    url: str | None
    post_id: int | None
    posted_at: datetime | None
    likes: int | None = None
    comments: int | None = None
    views: int | None = None
    shares: int | None = None
    saves: int | None = None
    forecast: Interval | None = None


@dataclass(frozen=True)
class LinkFacts:
    """A tracked link of the campaign and its people's clicks (bots left out)."""

    link_id: int
    code: str
    collaboration_id: int | None
    deliverable_id: int | None
    clicks: int
    unique_clicks: int


@dataclass(frozen=True)
class SalesFacts:
    """What attribution credits one collaboration with: orders (live orders included) and
    attributed net revenue, with the orders and live sessions behind them."""

    collaboration_id: int
    orders: int
    revenue: Decimal
    order_ids: tuple[str, ...] = ()
    live_session_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class EntryFacts:
    """A ledger line: ``fee``, ``performance`` or ``adjustment`` is due; ``payment`` is paid."""

    entry_id: int
    collaboration_id: int
    kind: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class CommentFacts:
    """A comment on a campaign post with its stored sentiment label (None: not scored)."""

    comment_id: int
    post_id: int
    at: datetime | None
    author: str
    text: str
    label: str | None
    score: float | None


@dataclass(frozen=True)
class OrderFacts:
    """An order attribution credited to one of the campaign's collaborations, and by which rule."""

    order_id: str
    collaboration_id: int
    net_revenue: Decimal
    rule: str


@dataclass(frozen=True)
class LiveFacts:
    session_id: int
    collaboration_id: int
    orders: int
    net_gmv: Decimal

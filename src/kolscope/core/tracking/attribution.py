"""Attribution: which collaboration (KOL) and deliverable each order is credited to, and totals.

An order is credited by the first rule that applies:

1. ``promo_code``: it used a promo code of one of the collaborations;
2. ``click_id``: it carries the id of a click on a tracked link made within the window;
3. ``last_click`` (or ``first_touch``): the same visitor clicked a tracked link within the window;

and is ``unattributed`` otherwise. Net revenue is revenue less refunds, never below zero; an
order refunded in full is not counted as an order. Totals never mix currencies. Method, with
definitions and references: ``docs/methods/attribution.md``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from kolscope.core.campaigns.ledger import PerformanceEarned, performance_earned
from kolscope.core.campaigns.terms import Terms
from kolscope.core.metrics import conversion_rate, roi
from kolscope.core.money import Money
from kolscope.core.tracking.live import LiveSession
from kolscope.core.tracking.promo import Redemption, normalize_code
from kolscope.errors import InvalidInput

ATTRIBUTION_METHOD_VERSION = "attribution-1"
DEFAULT_WINDOW = timedelta(days=30)
Model = Literal["last_click", "first_touch"]
MODELS: tuple[Model, ...] = ("last_click", "first_touch")
ZERO = Decimal(0)


def _aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{name} must be a timezone-aware time", field=name)


@dataclass(frozen=True)
class Touch:
    """A (bot-filtered) click on a tracked link."""

    click_id: str
    at: datetime
    link_code: str
    collaboration_id: int
    deliverable_id: int | None = None
    visitor: str | None = None

    def __post_init__(self) -> None:
        _aware(self.at, "at")


@dataclass(frozen=True)
class Conversion:
    """An order from the shop; ``promo_code`` is stored as its key (:func:`normalize_code`)."""

    order_id: str
    at: datetime
    revenue: Decimal
    currency: str
    refunded: Decimal = ZERO
    promo_code: str | None = None
    click_id: str | None = None
    visitor: str | None = None

    def __post_init__(self) -> None:
        _aware(self.at, "at")
        for name in ("revenue", "refunded"):
            amount = getattr(self, name)
            if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
                raise InvalidInput(f"{name} must be a non-negative Decimal, got {amount!r}",
                                   field=name)
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise InvalidInput(f"currency must be an ISO 4217 code, got {self.currency!r}",
                               field="currency")
        if self.promo_code is not None:
            object.__setattr__(self, "promo_code", normalize_code(self.promo_code))

    @classmethod
    def from_redemption(cls, redemption: Redemption, *, click_id: str | None = None,
                        visitor: str | None = None) -> Conversion:
        return cls(redemption.order_id, redemption.ordered_at, redemption.revenue,
                   redemption.currency, redemption.refunded, redemption.code, click_id, visitor)

    @property
    def net_revenue(self) -> Decimal:
        """Revenue less refunds, never below zero."""
        return max(self.revenue - self.refunded, ZERO)

    @property
    def is_order(self) -> bool:
        """False for an order refunded in full: it sold nothing in the end."""
        return not (self.revenue > 0 and self.refunded >= self.revenue)


@dataclass(frozen=True)
class Attribution:
    """The credit for one conversion: the rule that gave it and why, in words."""

    conversion: Conversion
    rule: Literal["promo_code", "click_id", "last_click", "first_touch", "unattributed"]
    collaboration_id: int | None
    deliverable_id: int | None
    touch: Touch | None
    reason: str


def _age(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins} min" if hours else f"{mins} min"


class _Touches:
    """Touches indexed by click id and, in time order, by visitor."""

    def __init__(self, touches: Iterable[Touch]) -> None:
        self.by_click: dict[str, Touch] = {}
        visits: dict[str, list[Touch]] = defaultdict(list)
        for touch in touches:
            if touch.click_id in self.by_click:
                raise InvalidInput(f"click {touch.click_id} is given twice", field="click_id")
            self.by_click[touch.click_id] = touch
            if touch.visitor is not None:
                visits[touch.visitor].append(touch)
        self.visits = {v: sorted(ts, key=lambda t: (t.at, t.click_id)) for v, ts in visits.items()}
        self.times = {v: [t.at for t in ts] for v, ts in self.visits.items()}

    def history(self, visitor: str, at: datetime, window: timedelta) -> list[Touch]:
        """The visitor's touches in ``[at - window, at]``, oldest first."""
        times = self.times.get(visitor, [])
        return self.visits.get(visitor, [])[bisect_left(times, at - window):bisect_right(times, at)]


def attribute(conversions: Iterable[Conversion], touches: Iterable[Touch], *,
              promo_codes: Mapping[str, int] | None = None, window: timedelta = DEFAULT_WINDOW,
              model: Model = "last_click") -> list[Attribution]:
    """Credit each conversion by the rules above; ``promo_codes`` maps codes to collaborations.

    ``window`` is how long after a click an order still counts (30 days by default); ``model``
    chooses the visitor's last or first click in it. The result is in the conversions' order.
    """
    if model not in MODELS:
        raise InvalidInput(f"model must be one of {', '.join(MODELS)}", field="model")
    if window <= timedelta(0):
        raise InvalidInput("the window must be positive", field="window")
    codes: dict[str, int] = {}
    for code, collab in (promo_codes or {}).items():
        key = normalize_code(code)
        if codes.get(key, collab) != collab:
            raise InvalidInput(f"promo code {key} belongs to two collaborations",
                               field="promo_codes")
        codes[key] = collab
    index = _Touches(touches)
    seen: set[str] = set()
    credited = []
    for conversion in conversions:
        if conversion.order_id in seen:
            raise InvalidInput(f"order {conversion.order_id} is given twice", field="order_id")
        seen.add(conversion.order_id)
        credited.append(_credit(conversion, codes, index, window, model))
    return credited


def _credit(c: Conversion, codes: Mapping[str, int], index: _Touches, window: timedelta,
            model: Model) -> Attribution:
    if c.promo_code is not None and c.promo_code in codes:
        collab = codes[c.promo_code]
        return Attribution(c, "promo_code", collab, None, None,
                           f"promo code {c.promo_code} is collaboration {collab}'s")
    note = f"promo code {c.promo_code} is not the campaign's; " if c.promo_code else ""
    click = index.by_click.get(c.click_id) if c.click_id is not None else None
    if c.click_id is not None and click is None:
        note += f"click {c.click_id} is unknown; "
    elif click is not None and not c.at - window <= click.at <= c.at:
        note += f"click {click.click_id} is outside the {window.days}-day window; "
        click = None
    if click is not None and model == "last_click":
        return _by_click(c, click, note)
    visitor = c.visitor or (click.visitor if click is not None else None)
    history = index.history(visitor, c.at, window) if visitor is not None else []
    if history:
        touch = history[-1] if model == "last_click" else history[0]
        which = "last" if model == "last_click" else "first"
        return Attribution(c, model, touch.collaboration_id, touch.deliverable_id, touch,
                           f"{note}{which} of {len(history)} click(s) by visitor {visitor} in the "
                           f"{window.days}-day window, on link {touch.link_code}, "
                           f"{_age(c.at - touch.at)} before the order")
    if click is not None:
        return _by_click(c, click, note)
    return Attribution(c, "unattributed", None, None, None,
                       f"{note}no promo code of the campaign and no click in the "
                       f"{window.days}-day window")


def _by_click(c: Conversion, click: Touch, note: str) -> Attribution:
    return Attribution(c, "click_id", click.collaboration_id, click.deliverable_id, click,
                       f"{note}the order carries click {click.click_id} on link "
                       f"{click.link_code}, {_age(c.at - click.at)} before the order")


@dataclass(frozen=True)
class Clicks:
    """Clicks on a collaboration's or deliverable's links: all of them and unique visitors."""

    total: int
    unique: int

    def __post_init__(self) -> None:
        if not 0 <= self.unique <= self.total:
            raise InvalidInput("clicks need 0 <= unique <= total", field="clicks")


@dataclass(frozen=True)
class Totals:
    """What one collaboration, deliverable or the whole campaign brought in."""

    clicks: int = 0
    unique_clicks: int = 0
    orders: int = 0
    revenue: Decimal = ZERO
    refunded: Decimal = ZERO  # at most the revenue of each order
    net_revenue: Decimal = ZERO
    live_sessions: int = 0
    live_orders: int = 0
    live_net_gmv: Decimal = ZERO
    spend: Decimal | None = None

    @property
    def attributed_revenue(self) -> Decimal:
        """Net revenue of the orders plus the net GMV of live sessions."""
        return self.net_revenue + self.live_net_gmv

    @property
    def conversion_rate(self) -> float | None:
        """Orders per unique click, by :func:`kolscope.core.metrics.conversion_rate`. Promo-code
        orders count as orders, so a KOL whose audience types the code can exceed 1."""
        return conversion_rate(self.orders, self.unique_clicks)

    @property
    def roi(self) -> float | None:
        """(attributed revenue − spend) / spend, by :func:`kolscope.core.metrics.roi`."""
        return None if self.spend is None else roi(float(self.attributed_revenue),
                                                   float(self.spend))

    def add(self, other: Totals) -> Totals:
        spend = None if self.spend is None and other.spend is None else \
            (self.spend or ZERO) + (other.spend or ZERO)
        return replace(self, spend=spend,
                       **{f: getattr(self, f) + getattr(other, f) for f in _SUMMED})


_SUMMED = ("clicks", "unique_clicks", "orders", "revenue", "refunded", "net_revenue",
           "live_sessions", "live_orders", "live_net_gmv")


@dataclass(frozen=True)
class Report:
    """Totals per collaboration, per (collaboration, deliverable) and for the campaign."""

    currency: str | None
    by_collaboration: Mapping[int, Totals]
    by_deliverable: Mapping[tuple[int, int], Totals]
    campaign: Totals
    unattributed: Totals
    method_version: str = field(default=ATTRIBUTION_METHOD_VERSION)


def _orders(attributions: Iterable[Attribution]) -> Totals:
    totals = Totals()
    for a in attributions:
        c = a.conversion
        totals = replace(totals, orders=totals.orders + c.is_order,
                         revenue=totals.revenue + c.revenue,
                         refunded=totals.refunded + min(c.refunded, c.revenue),
                         net_revenue=totals.net_revenue + c.net_revenue)
    return totals


def _live(sessions: Sequence[LiveSession]) -> Totals:
    return Totals(live_sessions=len(sessions), live_orders=sum(s.orders for s in sessions),
                  live_net_gmv=sum((s.net_gmv for s in sessions), ZERO))


def _one_currency(attributions: Sequence[Attribution], spend: Mapping[int, Money],
                  live: Mapping[int, Sequence[LiveSession]]) -> str | None:
    currencies = ({a.conversion.currency for a in attributions}
                  | {m.currency for m in spend.values()}
                  | {s.currency for sessions in live.values() for s in sessions})
    if len(currencies) > 1:
        raise InvalidInput(f"totals are in one currency; found {', '.join(sorted(currencies))} "
                           "(amounts are never converted)", field="currency")
    return next(iter(currencies), None)


def summarize(attributions: Sequence[Attribution], *, clicks: Mapping[int, Clicks] | None = None,
              deliverable_clicks: Mapping[tuple[int, int], Clicks] | None = None,
              campaign_clicks: Clicks | None = None, spend: Mapping[int, Money] | None = None,
              live: Mapping[int, Sequence[LiveSession]] | None = None) -> Report:
    """Add up attributed orders, clicks, spend and live sessions, keyed by collaboration id.

    ``campaign_clicks`` gives the campaign's unique visitors where one visitor may have
    clicked several KOLs' links; without it the campaign adds up the collaborations' clicks.
    """
    clicks, deliverable_clicks = clicks or {}, deliverable_clicks or {}
    spend, live = spend or {}, live or {}
    currency = _one_currency(attributions, spend, live)
    credited: dict[int, list[Attribution]] = defaultdict(list)
    per_deliverable: dict[tuple[int, int], list[Attribution]] = defaultdict(list)
    for a in attributions:
        if a.collaboration_id is not None:
            credited[a.collaboration_id].append(a)
            if a.deliverable_id is not None:
                per_deliverable[(a.collaboration_id, a.deliverable_id)].append(a)
    collabs = sorted(set(credited) | set(clicks) | set(spend) | set(live))
    by_collaboration = {
        collab: replace(_orders(credited[collab]).add(_live(live.get(collab, ()))),
                        clicks=clicks.get(collab, Clicks(0, 0)).total,
                        unique_clicks=clicks.get(collab, Clicks(0, 0)).unique,
                        spend=spend[collab].amount if collab in spend else None)
        for collab in collabs}
    by_deliverable = {
        key: replace(_orders(per_deliverable[key]),
                     clicks=deliverable_clicks.get(key, Clicks(0, 0)).total,
                     unique_clicks=deliverable_clicks.get(key, Clicks(0, 0)).unique)
        for key in sorted(set(per_deliverable) | set(deliverable_clicks))}
    campaign = Totals()
    for totals in by_collaboration.values():
        campaign = campaign.add(totals)
    if campaign_clicks is not None:
        campaign = replace(campaign, clicks=campaign_clicks.total,
                           unique_clicks=campaign_clicks.unique)
    unattributed = _orders(a for a in attributions if a.collaboration_id is None)
    return Report(currency, by_collaboration, by_deliverable, campaign, unattributed)


def performance_payouts(report: Report, terms: Mapping[int, Terms]) -> dict[int, PerformanceEarned]:
    """Performance pay earned by each collaboration whose terms have it, by the ledger's rule.

    Clicks are unique clicks (repeat clicks by one visitor earn nothing more), conversions are
    orders (live orders included) and revenue is the attributed net revenue.
    """
    earned: dict[int, PerformanceEarned] = {}
    for collab, agreed in sorted(terms.items()):
        if agreed.performance is None:
            continue
        if report.currency is not None and agreed.currency != report.currency:
            raise InvalidInput(f"collaboration {collab} is paid in {agreed.currency}; the "
                               f"report is in {report.currency}", field="currency")
        totals = report.by_collaboration.get(collab, Totals())
        earned[collab] = performance_earned(
            agreed.performance, clicks=totals.unique_clicks,
            conversions=totals.orders + totals.live_orders, revenue=totals.attributed_revenue)
    return earned

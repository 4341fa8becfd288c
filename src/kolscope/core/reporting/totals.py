"""Totals of a set of report rows and the KPIs they give, by :mod:`kolscope.core.metrics`.

One :class:`Totals` adds up a campaign, a KOL or a platform the same way, so the campaign's
KPIs, the per-KOL table and the per-platform table can never disagree on a definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kolscope.core import metrics as m
from kolscope.core.matching.forecast import (
    DEFAULT_REACH_SHARE,
    IMAGE_IMPRESSIONS_PER_ENGAGEMENT,
    VIDEO_FORMATS,
    VIDEO_IMPRESSIONS_PER_ENGAGEMENT,
    Interval,
)
from kolscope.core.platforms import PostFormat, parse_post_format
from kolscope.core.reporting.facts import PostFacts, RowRef
from kolscope.core.reporting.models import Kpi, Unit
from kolscope.errors import InvalidInput

ZERO = Decimal(0)
#: KPI targets where lower is better; every other target is a floor.
LOWER_IS_BETTER = frozenset({"cpm", "cpe", "cpc", "cpa"})
#: Target names of a campaign (``kpi_targets``) by the report's KPI keys.
TARGET_KEYS = {"orders": "conversions"}


def impressions_per_engagement(post_format: str) -> float:
    """The forecast funnel's median impressions per engagement for the format (forecast-1)."""
    try:
        fmt = parse_post_format(post_format)
    except InvalidInput:
        fmt = PostFormat.IMAGE
    factor = (VIDEO_IMPRESSIONS_PER_ENGAGEMENT if fmt in VIDEO_FORMATS
              else IMAGE_IMPRESSIONS_PER_ENGAGEMENT)
    return factor.median


def post_impressions(post: PostFacts) -> tuple[int | None, bool]:
    """A post's impressions and whether they are estimated: its views where stored, else its
    engagements × impressions per engagement of its format, rounded to a whole number."""
    if post.views is not None:
        return post.views, False
    got = m.engagements(post.likes, post.comments)
    if got is None:
        return None, False
    return round(got * impressions_per_engagement(post.format)), True


def post_reach(impressions: int | None) -> int | None:
    """Unique reach, estimated: impressions × the funnel's median reach share."""
    return None if impressions is None else round(impressions * DEFAULT_REACH_SHARE.median)


def _add(total: int | None, value: int | None) -> int | None:
    if value is None:
        return total
    return value if total is None else total + value


@dataclass
class Totals:
    """Counts, money and labels added up over some posts, links, orders and ledger lines."""

    posts: int = 0
    likes: int | None = None
    comments: int | None = None
    views: int | None = None
    shares: int | None = None
    saves: int | None = None
    engagements: int | None = None
    rate_likes: int | None = None  # of posts whose KOL's followers are known
    rate_comments: int | None = None
    followers: int | None = None
    impressions: int | None = None
    reach: int | None = None
    estimated: int = 0  # posts whose impressions are estimated
    forecast: list[Interval] = field(default_factory=list)
    clicks: int = 0
    unique_clicks: int = 0
    orders: int | None = None
    revenue: Decimal | None = None
    spend: Decimal = ZERO
    labels: list[str] = field(default_factory=list)
    refs: dict[str, list[int | str]] = field(default_factory=dict)

    def ref(self, table: str, ids: Iterable[int | str]) -> None:
        self.refs.setdefault(table, []).extend(ids)

    def add_post(self, post: PostFacts, followers: int | None) -> None:
        self.posts += 1
        self.ref("deliverables", [post.deliverable_id])
        for name in ("likes", "comments", "views", "shares", "saves"):
            setattr(self, name, _add(getattr(self, name), getattr(post, name)))
        got = m.engagements(post.likes, post.comments)
        self.engagements = _add(self.engagements, got)
        if got is not None and followers:
            self.rate_likes = _add(self.rate_likes, post.likes or 0)
            self.rate_comments = _add(self.rate_comments, post.comments or 0)
            self.followers = _add(self.followers, followers)
        shown, estimated = post_impressions(post)
        self.impressions = _add(self.impressions, shown)
        self.reach = _add(self.reach, post_reach(shown))
        self.estimated += estimated
        if post.forecast is not None:
            self.forecast.append(post.forecast)

    def add_sales(self, orders: int, revenue: Decimal) -> None:
        self.orders = (self.orders or 0) + orders
        self.revenue = (self.revenue or ZERO) + revenue

    def sources(self, *tables: str) -> list[RowRef]:
        """References to this total's rows of ``tables`` (all of them when none is named)."""
        names = tables or tuple(self.refs)
        return [RowRef(table=t, ids=tuple(dict.fromkeys(self.refs[t]))) for t in names
                if self.refs.get(t)]

    @property
    def engagement_rate(self) -> float | None:
        return m.engagement_rate(self.rate_likes, self.rate_comments, self.followers)

    @property
    def cpe(self) -> Decimal | None:
        return m.cpe(self.spend, self.engagements)

    @property
    def cpc(self) -> Decimal | None:
        return m.cpc(self.spend, self.clicks)

    @property
    def cpa(self) -> Decimal | None:
        return m.cpa(self.spend, self.orders)

    @property
    def roas(self) -> Decimal | None:
        return None if self.revenue is None else m.roas(self.revenue, self.spend)

    @property
    def roi(self) -> float | None:
        return None if self.revenue is None else m.roi(float(self.revenue), float(self.spend))

    @property
    def negative_share(self) -> float | None:
        shares = m.sentiment_shares(self.labels)
        return None if shares is None else shares["negative"]

    def forecast_engagements(self) -> Interval | None:
        """The posts' engagement forecasts added up: points, lows and highs (conservative)."""
        if not self.forecast:
            return None
        return Interval(point=sum(f.point for f in self.forecast),
                        low=sum(f.low for f in self.forecast),
                        high=sum(f.high for f in self.forecast))


def _judge(key: str, value: int | float | Decimal | None, target: float | None
           ) -> bool | None:
    if target is None or value is None:
        return None
    return float(value) <= target if key in LOWER_IS_BETTER else float(value) >= target


@dataclass(frozen=True)
class _Spec:
    key: str
    label: str
    unit: Unit
    tables: tuple[str, ...]
    note: str = ""


_DELIVERABLES = ("deliverables",)
_LINKS = ("tracking_links",)
_SALES = ("conversions", "live_sessions")
_SPEND = ("ledger_entries", "collaborations")
_COMMENTS = ("comments",)


def campaign_kpis(t: Totals, targets: Mapping[str, float], *, conversion_data: bool,
                  emv: m.EmvMethod | None = None) -> list[Kpi]:
    """The report's KPIs over ``t``, each against its target where ``targets`` has one."""
    method = emv or m.EmvMethod()
    shares = m.sentiment_shares(t.labels)
    emv_total, _ = m.earned_media_value(
        {"views": t.views, "likes": t.likes, "comments": t.comments, "shares": t.shares,
         "saves": t.saves, "clicks": t.clicks}, method)
    no_sales = "" if conversion_data else "no conversion data"
    estimated = f"{t.estimated} of {t.posts} posts estimated from engagements" \
        if t.estimated else ""
    rows: list[tuple[_Spec, int | float | Decimal | None, bool]] = [
        (_Spec("engagements", "Engagements", "count", _DELIVERABLES), t.engagements, False),
        (_Spec("engagement_rate", "Engagement rate", "share", _DELIVERABLES,
               "engagements / followers, posts whose KOL's followers are known"),
         t.engagement_rate, False),
        (_Spec("impressions", "Impressions", "count", _DELIVERABLES, estimated),
         t.impressions, t.estimated > 0),
        (_Spec("reach", "Reach", "count", _DELIVERABLES, "impressions × reach share "
               f"{DEFAULT_REACH_SHARE.median:.3f}"), t.reach, t.reach is not None),
        (_Spec("views", "Views", "count", _DELIVERABLES), t.views, False),
        (_Spec("clicks", "Clicks", "count", _LINKS, "people's clicks, bots left out"),
         t.clicks, False),
        (_Spec("unique_clicks", "Unique clicks", "count", _LINKS), t.unique_clicks, False),
        (_Spec("ctr", "CTR", "share", _DELIVERABLES + _LINKS),
         m.click_through_rate(t.clicks, t.impressions), t.estimated > 0),
        (_Spec("orders", "Orders", "count", _SALES, no_sales), t.orders, False),
        (_Spec("conversion_rate", "Conversion rate", "share", _SALES + _LINKS, no_sales),
         m.conversion_rate(t.orders, t.unique_clicks), False),
        (_Spec("revenue", "Revenue", "money", _SALES, no_sales), t.revenue, False),
        (_Spec("spend", "Spend", "money", _SPEND), t.spend, False),
        (_Spec("cpm", "CPM", "money", _SPEND + _DELIVERABLES),
         m.cpm(t.spend, t.impressions), t.estimated > 0),
        (_Spec("cpe", "CPE", "money", _SPEND + _DELIVERABLES), t.cpe, False),
        (_Spec("cpc", "CPC", "money", _SPEND + _LINKS), t.cpc, False),
        (_Spec("cpa", "CPA", "money", _SPEND + _SALES, no_sales), t.cpa, False),
        (_Spec("roas", "ROAS", "ratio", _SPEND + _SALES, no_sales), t.roas, False),
        (_Spec("roi", "ROI", "share", _SPEND + _SALES, no_sales), t.roi, False),
        *[(_Spec(f"sentiment_{label}", f"{label.title()} comments", "share", _COMMENTS,
                 f"of {len(t.labels)} scored comments"),
           shares[label] if shares else None, False)
          for label in ("positive", "neutral", "negative")],
        (_Spec("emv", "Earned media value", "money", _DELIVERABLES + _LINKS,
               f"{method.version}, measured actions only; impressions are not measured"),
         emv_total, False),
    ]
    forecasts = {"engagements": t.forecast_engagements()}
    out = []
    for spec, value, is_estimate in rows:
        target = targets.get(TARGET_KEYS.get(spec.key, spec.key))
        out.append(Kpi(key=spec.key, label=spec.label, unit=spec.unit, value=value,
                       target=target, target_met=_judge(spec.key, value, target),
                       forecast=forecasts.get(spec.key), estimated=is_estimate,
                       note=spec.note, sources=t.sources(*spec.tables)))
    return out


def sum_totals(parts: Sequence[Totals]) -> Totals:
    """Totals of several totals (a platform from its KOLs)."""
    out = Totals()
    for p in parts:
        out.posts += p.posts
        for name in ("likes", "comments", "views", "shares", "saves", "engagements",
                     "rate_likes", "rate_comments", "followers", "impressions", "reach"):
            setattr(out, name, _add(getattr(out, name), getattr(p, name)))
        out.estimated += p.estimated
        out.forecast += p.forecast
        out.clicks += p.clicks
        out.unique_clicks += p.unique_clicks
        if p.orders is not None and p.revenue is not None:
            out.add_sales(p.orders, p.revenue)
        out.spend += p.spend
        out.labels += p.labels
        for table, ids in p.refs.items():
            out.ref(table, ids)
    return out

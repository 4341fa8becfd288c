"""Live-commerce sessions from Douyin (抖音), Taobao Live (淘宝直播) and TikTok Shop exports.

Each console names its columns its own way, and the Chinese ones write large numbers as
``1.2万`` or ``3.4w``. The aliases below are matched case-insensitively, ignoring a unit in
brackets (``观看总时长(分钟)`` is minutes, ``GMV (USD)`` is in dollars); the first alias present
wins. The net GMV of a session (GMV less refunds) joins link and promo-code revenue in
attribution. Columns: ``docs/methods/tracking.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from kolscope.core.records import MAX_COUNT
from kolscope.core.tracking._table import (
    CHINA_TIME,
    MAX_SECONDS,
    CellError,
    RowError,
    Table,
    parse_amount,
    parse_count,
    parse_currency,
    parse_duration,
    parse_time,
    read_table,
)
from kolscope.errors import InvalidInput


class LivePlatform(StrEnum):
    DOUYIN = "douyin"
    TAOBAO_LIVE = "taobao_live"
    TIKTOK_SHOP = "tiktok_shop"


DEFAULT_CURRENCY = {LivePlatform.DOUYIN: "CNY", LivePlatform.TAOBAO_LIVE: "CNY",
                    LivePlatform.TIKTOK_SHOP: "USD"}


@dataclass(frozen=True)
class LiveSession:
    """One live stream and what it sold. Counts the export lacks are None."""

    platform: LivePlatform
    session_id: str
    started_at: datetime
    viewers: int | None
    peak_viewers: int | None
    watch_seconds: int | None  # total viewing time over all viewers
    orders: int
    gmv: Decimal
    refunds: Decimal
    currency: str

    @property
    def net_gmv(self) -> Decimal:
        """GMV less refunds, never below zero."""
        return max(self.gmv - self.refunds, Decimal(0))

    @property
    def average_watch_seconds(self) -> float | None:
        if self.watch_seconds is None or not self.viewers:
            return None
        return self.watch_seconds / self.viewers


# Header aliases per platform; ``room`` names the live room, so a session is the room at a time.
_CHINESE = {
    "session": ("场次ID", "直播场次ID", "直播ID", "场次"),
    "room": ("直播间", "直播间名称", "直播标题", "直播名称"),
    "started_at": ("开播时间", "直播开始时间", "开始时间"),
    "viewers": ("累计观看人数", "观看人数", "场观", "观看人次", "观看次数"),
    "peak_viewers": ("最高在线人数", "最高在线", "在线人数峰值", "峰值在线人数"),
    "average_watch": ("人均观看时长", "平均观看时长"),
    "total_watch": ("观看总时长", "总观看时长", "累计观看时长"),
    "orders": ("成交订单数", "订单数", "成交笔数", "引导成交笔数"),
    "gmv": ("成交金额", "直播间成交金额", "GMV", "引导成交金额", "销售额"),
    "refunds": ("退款金额", "退款"),
    "currency": ("币种", "货币", "currency"),
}
_TIKTOK = {
    "session": ("Session ID", "LIVE ID", "Session"),
    "room": ("LIVE name", "LIVE title", "Title"),
    "started_at": ("Start time", "LIVE start time", "Started at", "Date"),
    "viewers": ("Viewers", "Total viewers", "LIVE viewers", "Views"),
    "peak_viewers": ("Peak concurrent viewers", "PCU", "Peak viewers"),
    "average_watch": ("Avg. viewing duration", "Average viewing duration", "Avg. watch time"),
    "total_watch": ("Total viewing duration", "Total watch time", "Watch time"),
    "orders": ("Orders", "SKU orders", "Paid orders"),
    "gmv": ("GMV", "Gross merchandise value", "Revenue"),
    "refunds": ("Refunds", "Refund amount", "Refunded GMV"),
    "currency": ("Currency",),
}
# A Chinese export is Taobao's when it has one of these and Douyin's when it has one of those.
TAOBAO_MARKERS = ("引导成交金额", "引导成交笔数", "淘宝", "直播标题", "成交笔数")
DOUYIN_MARKERS = ("直播间", "直播间成交金额", "抖音号", "场观", "直播间名称")


def _formats(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[
        Mapping[str, tuple[str, ...]], tuple[str, ...]]]:
    return {"with session id": (aliases, ("session", "started_at", "gmv")),
            "with live room": (aliases, ("room", "started_at", "gmv"))}


def detect_platform(header_line: str) -> LivePlatform:
    """The platform an export comes from, told by its header; InvalidInput when unclear."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in header_line):
        taobao = any(marker in header_line for marker in TAOBAO_MARKERS)
        douyin = any(marker in header_line for marker in DOUYIN_MARKERS)
        if taobao != douyin:
            return LivePlatform.TAOBAO_LIVE if taobao else LivePlatform.DOUYIN
        raise InvalidInput("cannot tell a Douyin from a Taobao Live export by its columns; "
                           "give platform=douyin or platform=taobao_live", field="platform")
    if "gmv" in header_line.casefold() or "live" in header_line.casefold():
        return LivePlatform.TIKTOK_SHOP
    raise InvalidInput("not a live-session export of Douyin, Taobao Live or TikTok Shop",
                       field="platform")


def parse_live_sessions(text: str, *, source_name: str, platform: LivePlatform | str | None = None,
                        currency: str | None = None, tz: tzinfo | None = None,
                        ) -> tuple[list[LiveSession], list[RowError]]:
    """Sessions from a live-commerce export, and a :class:`RowError` for each unreadable row.

    ``platform`` is detected from the header when not given. ``currency`` overrides the
    platform's default (CNY for Douyin and Taobao Live, USD for TikTok Shop) where the export
    has no currency column. Times without an offset are in ``tz``: China time (UTC+8) for the
    Chinese consoles and UTC for TikTok Shop unless told otherwise.
    """
    header = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    where = LivePlatform(platform) if platform is not None else detect_platform(header)
    chinese = where is not LivePlatform.TIKTOK_SHOP
    table = read_table(text, _formats(_CHINESE if chinese else _TIKTOK))
    zone = tz or (CHINA_TIME if chinese else UTC)
    default = parse_currency(currency) if currency is not None else DEFAULT_CURRENCY[where]
    sessions: list[LiveSession] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        try:
            session = _session(table, cells, where, zone, default)
            if session.session_id in seen:
                raise CellError("session", f"session {session.session_id} appears again "
                                           f"(first at line {seen[session.session_id]})")
        except CellError as exc:
            errors.append(RowError(source_name, line, exc.field, exc.message))
        else:
            seen[session.session_id] = line
            sessions.append(session)
    return sessions, errors


def _session(table: Table, cells: Sequence[str], platform: LivePlatform, tz: tzinfo,
             currency: str) -> LiveSession:
    written = table.cell(cells, "started_at")
    if written is None:
        raise CellError("started_at", "the session has no start time")
    started = parse_time(written, "started_at", tz)
    session = table.cell(cells, "session")
    if session is None:
        room = table.cell(cells, "room")
        if room is None:
            raise CellError("session", "the session has neither an id nor a room name")
        session = f"{room} {started:%Y-%m-%dT%H:%MZ}"

    def count(field: str) -> int | None:
        value, scale = table.cell(cells, field), _scale(table.unit(field))
        if value is None:
            return None
        if scale == 1:
            return parse_count(value, field)
        number = int((parse_amount(value, field) * scale).to_integral_value(ROUND_HALF_UP))
        if number > MAX_COUNT:
            raise CellError(field, f"more than {MAX_COUNT:,}: {value!r} {table.unit(field)}")
        return number

    def money(field: str) -> Decimal:
        value = table.cell(cells, field)
        if value is None:
            return Decimal(0)
        return parse_amount(value, field) * _scale(table.unit(field))

    viewers = count("viewers")
    written_currency = table.cell(cells, "currency")
    unit = table.unit("gmv").upper().lstrip("万亿")
    if written_currency is not None:
        currency = parse_currency(written_currency)
    elif re.fullmatch(r"[A-Z]{3}", unit) or unit in ("元", "RMB"):
        currency = parse_currency(unit)
    return LiveSession(platform, session, started, viewers, count("peak_viewers"),
                       _watch(table, cells, viewers), count("orders") or 0, money("gmv"),
                       money("refunds"), currency)


def _scale(unit: str) -> Decimal:
    """The multiplier a header's unit implies: ``成交金额(万元)`` is in tens of thousands."""
    for mark, factor in (("万", 10_000), ("亿", 100_000_000), ("千", 1_000)):
        if unit.startswith(mark):
            return Decimal(factor)
    return Decimal(1)


def _watch(table: Table, cells: Sequence[str], viewers: int | None) -> int | None:
    """Total viewing seconds: the total column, or the average times the viewers."""
    total = table.cell(cells, "total_watch")
    if total is not None:
        return round(parse_duration(total, "total_watch", table.unit("total_watch")))
    average = table.cell(cells, "average_watch")
    if average is None or viewers is None:
        return None
    seconds = round(parse_duration(average, "average_watch", table.unit("average_watch")) * viewers)
    if seconds > MAX_SECONDS:
        raise CellError("average_watch", f"average times viewers is more than {MAX_SECONDS:,} s")
    return seconds

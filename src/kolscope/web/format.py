"""Display formatting for templates: read-model values in, short readable text out.

These only format numbers the read models already hold; no KPI is computed here. Every formatter
turns ``None`` into an em dash so an unknown value never looks like a zero.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

DASH = "—"
PLATFORM_NAMES = {"tiktok": "TikTok", "youtube": "YouTube", "x": "X", "linkedin": "LinkedIn",
                  "wechat": "WeChat", "xiaohongshu": "Xiaohongshu (RED)"}
_SUFFIXES = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K"))


def number(value: float | None, digits: int = 0) -> str:
    """Thousands separated: ``12,345`` (or ``12,345.6`` with ``digits=1``)."""
    if value is None:
        return DASH
    return f"{value:,.{digits}f}"


def compact(value: float | None) -> str:
    """Short for wide tables: ``9,876``, ``12.3K``, ``1.2M``; exact below ten thousand."""
    if value is None:
        return DASH
    if abs(value) < 10_000:
        return number(value)
    for size, suffix in _SUFFIXES:
        if abs(round(value / size, 1)) >= 1:  # 999,999 reads 1M, not 1000.0K
            return f"{value / size:.1f}".removesuffix(".0") + suffix
    return number(value)  # pragma: no cover - every value >= 10,000 has a suffix


def percent(fraction: float | None, digits: int = 2) -> str:
    """A fraction as a percentage: ``0.0345`` becomes ``3.45%``."""
    if fraction is None:
        return DASH
    return f"{fraction * 100:.{digits}f}%"


def decimal(value: float | None, digits: int = 1) -> str:
    """A rate such as posts per week: ``1.5``."""
    return DASH if value is None else f"{value:,.{digits}f}"


def as_utc(moment: datetime) -> datetime:
    """Stored times are UTC; SQLite hands them back naive, so say so explicitly."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def day(moment: datetime | None) -> str:
    """A calendar date, ``2019-01-08``."""
    return DASH if moment is None else as_utc(moment).strftime("%Y-%m-%d")


def timestamp(moment: datetime | None) -> str:
    """A moment to the minute, ``2019-01-08 14:05 UTC``."""
    return DASH if moment is None else as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def yes_no(flag: bool | None) -> str:
    """``Yes``, ``No`` or a dash when the source did not say."""
    return DASH if flag is None else ("Yes" if flag else "No")


def excerpt(text: str | None, length: int = 90) -> str:
    """The start of ``text`` on one line, cut at a word with an ellipsis."""
    if not text:
        return ""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0] if " " in flat[:length] else flat[:length]
    return cut.rstrip(",.;:") + "…"


def web_link(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else ``None``: imported data must not run scripts."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def platform_name(platform: str) -> str:
    """How the platform writes its own name: ``TikTok``, ``YouTube``, ``Weibo``."""
    value = str(platform)
    return PLATFORM_NAMES.get(value, value.capitalize())


def or_dash(value: object) -> object:
    """The value itself, or a dash for ``None`` and empty strings."""
    return DASH if value is None or value == "" else value


FILTERS: dict[str, Callable[..., Any]] = {
    "number": number, "compact": compact, "percent": percent, "decimal": decimal,
    "day": day, "timestamp": timestamp, "yes_no": yes_no, "excerpt": excerpt, "or_dash": or_dash,
    "web_link": web_link, "platform_name": platform_name,
}

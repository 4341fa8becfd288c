"""Display formatting: hand-checked strings for the numbers pages show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kolscope.web import format as fmt


@pytest.mark.parametrize(("value", "expected"), [
    (None, "—"), (0, "0"), (9_999, "9,999"), (12_345, "12.3K"), (40_000, "40K"),
    (999_999, "1M"), (1_234_567, "1.2M"), (2_500_000_000, "2.5B"), (12_000.0, "12K"),
])
def test_compact(value: float | None, expected: str) -> None:
    assert fmt.compact(value) == expected


def test_numbers_and_rates() -> None:
    assert fmt.number(12_345) == "12,345"
    assert fmt.number(1234.56, 1) == "1,234.6"
    assert fmt.percent(0.0345) == "3.45%"
    assert fmt.percent(0.5, 0) == "50%"
    assert fmt.decimal(1.25, 2) == "1.25"
    assert [fmt.number(None), fmt.percent(None), fmt.decimal(None)] == ["—"] * 3


def test_times_are_shown_in_utc() -> None:
    naive = datetime(2019, 1, 8, 14, 5)  # what SQLite hands back for a stored UTC time
    assert fmt.day(naive) == "2019-01-08"
    assert fmt.timestamp(naive) == "2019-01-08 14:05 UTC"
    shanghai = datetime(2019, 1, 9, 1, 30, tzinfo=timezone(timedelta(hours=8)))
    assert fmt.timestamp(shanghai) == "2019-01-08 17:30 UTC"
    assert fmt.day(datetime(2020, 2, 29, tzinfo=UTC)) == "2020-02-29"
    assert fmt.day(None) == fmt.timestamp(None) == "—"


def test_text_helpers() -> None:
    assert fmt.yes_no(True) == "Yes" and fmt.yes_no(False) == "No" and fmt.yes_no(None) == "—"
    assert fmt.excerpt("short\n caption") == "short caption"
    assert fmt.excerpt("one two three four", length=10) == "one two…"
    assert fmt.or_dash("") == "—" and fmt.or_dash("x") == "x"
    assert fmt.platform_name("tiktok") == "TikTok" and fmt.platform_name("weibo") == "Weibo"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.instagram.com/p/AAA1/", "https://www.instagram.com/p/AAA1/"),
    (" http://example.com ", "http://example.com"),
    ("javascript:alert(1)", None), ("JavaScript:alert(1)", None), ("data:text/html,x", None),
    ("", None), (None, None),
])
def test_only_web_addresses_become_links(url: str | None, expected: str | None) -> None:
    assert fmt.web_link(url) == expected

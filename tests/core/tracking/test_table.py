"""Reading export cells: numbers in Chinese and Western forms, durations, times, headers."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kolscope.core.tracking._table import (
    CellError,
    decode_export,
    header_key,
    parse_amount,
    parse_count,
    parse_currency,
    parse_duration,
    parse_time,
)
from kolscope.errors import InvalidInput

D = Decimal


@pytest.mark.parametrize(("text", "amount"), [
    ("1234.50", D("1234.50")), ("1,234.50", D("1234.50")), ("¥12,345", D("12345")),
    ("￥１２.５", D("12.5")), ("1.2万", D("12000.0")), ("3.4w", D("34000.0")),
    ("3.4W", D("34000.0")), ("2亿", D("200000000")), ("USD 9.99", D("9.99")),
    ("9.99 EUR", D("9.99")), ("1 234.00", D("1234.00")), ("12.5元", D("12.5")),
    ("1.5K", D("1500.0")), ("RMB 88", D("88")),
])
def test_amounts(text: str, amount: Decimal) -> None:
    assert parse_amount(text, "gmv") == amount


@pytest.mark.parametrize("text", ["12,5", "1,23,456", "1.234,56", "abc", "-5", "1.2.3", "万",
                                  "1e1000000", "9" * 40, "12.345678"])
def test_ambiguous_or_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(CellError) as err:
        parse_amount(text, "gmv")
    assert err.value.field == "gmv"


def test_counts_round_scaled_values_and_refuse_fractions() -> None:
    assert parse_count("1.23456万", "viewers") == 12346
    assert parse_count("1,000", "viewers") == 1000
    assert parse_count("7.0", "viewers") == 7
    with pytest.raises(CellError, match="whole"):
        parse_count("7.5", "viewers")


@pytest.mark.parametrize(("text", "unit", "seconds"), [
    ("1分30秒", "", 90), ("1小时2分3秒", "", 3723), ("90秒", "", 90), ("1.5分钟", "", 90),
    ("00:01:30", "", 90), ("01:30", "", 90), ("1m 30s", "", 90), ("1h 2m", "", 3720),
    ("90s", "", 90), ("90", "", 90), ("2", "分钟", 120), ("1.5", "小时", 5400),
    ("1,200", "min", 72000),
])
def test_durations(text: str, unit: str, seconds: float) -> None:
    assert parse_duration(text, "average_watch", unit) == seconds


@pytest.mark.parametrize("text", ["soon", "99999999999999999h", "9" * 80])
def test_bad_or_endless_durations(text: str) -> None:
    with pytest.raises(CellError):
        parse_duration(text, "average_watch")


@pytest.mark.parametrize(("text", "moment"), [
    ("2025-03-01 10:00:00 -0500", datetime(2025, 3, 1, 15, 0, tzinfo=UTC)),
    ("2025-03-01T10:00:00+08:00", datetime(2025, 3, 1, 2, 0, tzinfo=UTC)),
    ("2025-03-01T10:00:00.250Z", datetime(2025, 3, 1, 10, 0, 0, 250_000, tzinfo=UTC)),
    ("2025/3/1 10:00", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
    ("2025年3月1日 10:00", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
    ("2025-03-01", datetime(2025, 3, 1, tzinfo=UTC)),
    ("2025-03-01 10:00 UTC", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
])
def test_times(text: str, moment: datetime) -> None:
    assert parse_time(text, "ordered_at") == moment


@pytest.mark.parametrize("text", ["03/01/2025", "2025-02-30", "yesterday", "2025-03-01 25:00",
                                  "9999-12-31 23:59 -05:00", "0001-01-01 00:00 +05:00",
                                  "2025-03-01 10:00 +99:00"])
def test_bad_times(text: str) -> None:
    with pytest.raises(CellError) as err:
        parse_time(text, "ordered_at")
    assert err.value.field == "ordered_at"


def test_currencies() -> None:
    assert parse_currency(" usd ") == "USD"
    assert parse_currency("人民币") == parse_currency("RMB") == "CNY"
    with pytest.raises(CellError):
        parse_currency("EURO")


def test_header_keys() -> None:
    assert header_key("\ufeffOrder  Total") == ("order total", "")
    assert header_key("观看总时长（分钟）") == ("观看总时长", "分钟")
    assert header_key("GMV [USD]") == ("gmv", "usd")


def test_exports_are_read_as_utf8_or_gbk() -> None:
    text = "场次ID,成交金额\nDY1,100\n"
    assert decode_export(b"\xef\xbb\xbf" + text.encode(), "a.csv") == text
    assert decode_export(text.encode("gbk"), "a.csv") == text
    with pytest.raises(InvalidInput, match=r"a\.csv: neither UTF-8 nor GBK"):
        decode_export(b"\x81\x30\xff\xff", "a.csv")

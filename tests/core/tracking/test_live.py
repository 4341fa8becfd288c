"""Live-commerce session exports: Douyin, Taobao Live and TikTok Shop, Chinese number formats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from kolscope.core.tracking.live import (
    LivePlatform,
    LiveSession,
    detect_platform,
    parse_live_sessions,
)
from kolscope.errors import InvalidInput

D = Decimal

DOUYIN = """直播间,开播时间,累计观看人数,最高在线人数,人均观看时长,成交订单数,成交金额(元),退款金额
安娜的直播间,2025-03-01 20:00,1.2万,3.4w,1分30秒,"1,234",¥12.5万,"1,000.00"
安娜的直播间,2025/03/08 20:00:00,"8,000",-,90,12,"5,000",
安娜的直播间,2025-03-15 20:00,很多,100,60,1,10,0
安娜的直播间,,100,10,60,1,10,0
"""


def test_douyin_export_with_wan_and_w_numbers() -> None:
    sessions, errors = parse_live_sessions(DOUYIN, source_name="douyin.csv")
    first, second = sessions
    assert first.platform is LivePlatform.DOUYIN
    assert (first.viewers, first.peak_viewers, first.orders) == (12_000, 34_000, 1_234)
    assert first.gmv == D("125000") and first.refunds == D("1000.00")
    assert first.net_gmv == D("124000.00")
    assert first.watch_seconds == 90 * 12_000 and first.average_watch_seconds == 90
    assert first.currency == "CNY"
    # China time, no offset written: 20:00 in Beijing is 12:00 UTC
    assert first.started_at == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert first.session_id == "安娜的直播间 2025-03-01T12:00Z"
    assert second.peak_viewers is None and second.refunds == D(0)
    assert second.watch_seconds == 90 * 8_000
    assert [(e.line, e.field) for e in errors] == [(4, "viewers"), (5, "started_at")]


TAOBAO = ("场次ID,直播标题,开播时间,观看人数,在线人数峰值,观看总时长(分钟),"
          "成交笔数,引导成交金额(万元),退款金额\n") + """\
tb-1,春季上新,2025年3月1日 19:30,"２，０００",1.5万,500,３０,0.25,0
tb-2,春季上新,2025-03-02 19:30,3000,200,100,10,1,500
tb-1,春季上新,2025-03-03 19:30,1,1,1,1,1,0
"""


def test_taobao_live_export_with_session_ids_units_in_headers_and_full_width_digits() -> None:
    sessions, errors = parse_live_sessions(TAOBAO, source_name="taobao.csv")
    assert [s.session_id for s in sessions] == ["tb-1", "tb-2"]
    assert all(s.platform is LivePlatform.TAOBAO_LIVE for s in sessions)
    first, second = sessions
    assert (first.viewers, first.peak_viewers, first.orders) == (2000, 15_000, 30)
    assert first.gmv == D("2500") and first.watch_seconds == 500 * 60
    assert first.started_at == datetime(2025, 3, 1, 11, 30, tzinfo=UTC)
    assert second.watch_seconds == 100 * 60
    assert second.gmv == D("10000") and second.net_gmv == D("9500")
    assert second.started_at == datetime(2025, 3, 2, 11, 30, tzinfo=UTC)
    assert [(e.line, e.field) for e in errors] == [(4, "session")]
    assert "first at line 2" in errors[0].message


TIKTOK = """LIVE name,Start time,Viewers,PCU,Avg. viewing duration,Orders,GMV,Refunds,Currency
Spring drop,2025-03-01 18:00,"12,400",1.1K,00:01:30,310,"$9,876.50",$120.00,USD
Spring drop 2,2025-03-08T18:00:00+07:00,500,40,1m 5s,3,30.00,0,THB
Spring drop 3,2025-03-09 18:00,500,40,soon,3,30.00,0,USD
"""


def test_tiktok_shop_export() -> None:
    sessions, errors = parse_live_sessions(TIKTOK, source_name="tiktok.csv")
    first, second = sessions
    assert first.platform is LivePlatform.TIKTOK_SHOP
    assert (first.viewers, first.peak_viewers, first.orders) == (12_400, 1_100, 310)
    assert first.gmv == D("9876.50") and first.net_gmv == D("9756.50")
    assert first.watch_seconds == 90 * 12_400
    assert first.started_at == datetime(2025, 3, 1, 18, 0, tzinfo=UTC)
    assert second.currency == "THB" and second.watch_seconds == 65 * 500
    assert second.started_at == datetime(2025, 3, 8, 11, 0, tzinfo=UTC)
    assert [(e.line, e.field) for e in errors] == [(4, "average_watch")]


def test_tiktok_without_currency_column_defaults_to_usd_or_the_given_one() -> None:
    text = "Session ID,Start time,GMV (GBP),Orders\ns1,2025-03-01 18:00,10.00,1\n"
    (session,), _ = parse_live_sessions(text, source_name="t.csv")
    assert session.currency == "GBP"  # the unit in the header says so
    text = "Session ID,Start time,GMV,Orders\ns1,2025-03-01 18:00,10.00,1\n"
    assert parse_live_sessions(text, source_name="t.csv")[0][0].currency == "USD"
    assert parse_live_sessions(text, source_name="t.csv",
                               currency="sgd")[0][0].currency == "SGD"


def test_times_follow_the_given_zone() -> None:
    sessions, _ = parse_live_sessions(TIKTOK, source_name="t.csv",
                                      tz=timezone(timedelta(hours=-5)))
    assert sessions[1].started_at == datetime(2025, 3, 8, 11, 0, tzinfo=UTC)  # its own offset
    assert sessions[0].started_at == datetime(2025, 3, 1, 23, 0, tzinfo=UTC)


def test_platform_detection() -> None:
    assert detect_platform(DOUYIN.splitlines()[0]) is LivePlatform.DOUYIN
    assert detect_platform(TAOBAO.splitlines()[0]) is LivePlatform.TAOBAO_LIVE
    assert detect_platform(TIKTOK.splitlines()[0]) is LivePlatform.TIKTOK_SHOP
    with pytest.raises(InvalidInput) as err:
        detect_platform("场次ID,开播时间,成交金额")
    assert err.value.field == "platform"
    with pytest.raises(InvalidInput):
        detect_platform("foo,bar")


def test_an_ambiguous_chinese_export_reads_with_the_platform_given() -> None:
    text = "场次ID,开播时间,成交金额\ns1,2025-03-01 20:00,1.5万\n"
    (session,), _ = parse_live_sessions(text, source_name="x.csv", platform="taobao_live")
    assert session.platform is LivePlatform.TAOBAO_LIVE and session.gmv == D("15000")
    assert session.orders == 0 and session.viewers is None and session.watch_seconds is None


def test_missing_required_columns_name_what_was_expected() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_live_sessions("直播间,开播时间,观看人数\n安娜,2025-03-01 20:00,1\n",
                            source_name="x.csv")
    assert err.value.field == "header" and "成交金额" in err.value.message


def test_net_gmv_never_below_zero() -> None:
    session = LiveSession(LivePlatform.DOUYIN, "s", datetime(2025, 1, 1, tzinfo=UTC), None, None,
                          None, 0, D("10"), D("25"), "CNY")
    assert session.net_gmv == D(0) and session.average_watch_seconds is None

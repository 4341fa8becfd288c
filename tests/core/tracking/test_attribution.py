"""Attribution: promo code first, then the carried click, then the visitor's clicks in the window;
totals per collaboration, deliverable and campaign; performance pay through the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kolscope.core.campaigns.terms import Terms
from kolscope.core.money import Money
from kolscope.core.tracking.attribution import (
    ATTRIBUTION_METHOD_VERSION,
    Attribution,
    Clicks,
    Conversion,
    Touch,
    attribute,
    performance_payouts,
    summarize,
)
from kolscope.core.tracking.live import LivePlatform, LiveSession
from kolscope.core.tracking.promo import Redemption
from kolscope.errors import InvalidInput

D = Decimal
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ANNA, BEN = 1, 2


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


TOUCHES = [
    Touch("c1", at(0), "AnnaReel", ANNA, 11, "v1"),
    Touch("c2", at(3), "BenPost", BEN, 21, "v1"),
    Touch("c3", at(1), "BenPost", BEN, 21, "v2"),
    Touch("c4", at(2), "AnnaStory", ANNA, 12, None),
]
CODES = {"anna15": ANNA, "BEN-10": BEN}


def conv(order: str, when: datetime, revenue: str = "100", **kw: object) -> Conversion:
    return Conversion(order, when, D(revenue), str(kw.pop("currency", "EUR")), **kw)  # type: ignore[arg-type]


def one(c: Conversion, **kw: object) -> Attribution:
    (result,) = attribute([c], TOUCHES, promo_codes=CODES, **kw)  # type: ignore[arg-type]
    return result


def test_promo_code_comes_first_even_against_a_click() -> None:
    a = one(conv("o1", at(4), promo_code="ａｎｎａ－15", click_id="c2", visitor="v1"))
    assert (a.rule, a.collaboration_id, a.deliverable_id) == ("promo_code", ANNA, None)
    assert a.reason == "promo code ANNA15 is collaboration 1's"


def test_look_alike_promo_code_still_matches() -> None:
    assert one(conv("o1", at(4), promo_code="BEN1O")).collaboration_id == BEN


def test_carried_click_id_beats_a_later_click_by_the_visitor() -> None:
    a = one(conv("o1", at(4), click_id="c1", visitor="v1"))
    assert (a.rule, a.collaboration_id, a.deliverable_id) == ("click_id", ANNA, 11)
    assert a.touch is TOUCHES[0]
    assert "carries click c1 on link AnnaReel, 4 d 0 h before the order" in a.reason


def test_last_click_by_visitor_within_the_window() -> None:
    a = one(conv("o1", at(4), visitor="v1"))
    assert (a.rule, a.collaboration_id, a.deliverable_id) == ("last_click", BEN, 21)
    assert "last of 2 click(s) by visitor v1" in a.reason and "1 d 0 h before" in a.reason


def test_first_touch_model() -> None:
    a = one(conv("o1", at(4), visitor="v1"), model="first_touch")
    assert (a.rule, a.collaboration_id, a.touch) == ("first_touch", ANNA, TOUCHES[0])
    # with a click id, first touch looks through the click's visitor
    b = one(conv("o2", at(4), click_id="c2"), model="first_touch")
    assert (b.rule, b.collaboration_id) == ("first_touch", ANNA)
    # a click without a visitor is the only touch known
    c = one(conv("o3", at(4), click_id="c4"), model="first_touch")
    assert (c.rule, c.collaboration_id, c.deliverable_id) == ("click_id", ANNA, 12)


def test_window_edges() -> None:
    exactly = one(conv("o1", at(31), visitor="v2"))  # c3 at day 1: exactly 30 days before
    assert exactly.collaboration_id == BEN
    late = one(conv("o2", at(31, hours=1), visitor="v2"))
    assert late.rule == "unattributed" and "30-day window" in late.reason
    short = one(conv("o3", at(4), visitor="v2"), window=timedelta(days=2))
    assert short.rule == "unattributed"
    boundary = one(conv("o4", at(3), visitor="v2"), window=timedelta(days=2))
    assert boundary.collaboration_id == BEN  # exactly the window: still in


def test_clicks_after_the_order_do_not_count() -> None:
    a = one(conv("o1", at(0.5), visitor="v1"))
    assert (a.rule, a.touch) == ("last_click", TOUCHES[0])
    assert one(conv("o2", at(-1), visitor="v1")).rule == "unattributed"
    assert "outside" in one(conv("o3", at(-1), click_id="c1")).reason


def test_stale_click_id_falls_back_to_the_visitor() -> None:
    a = one(conv("o1", at(33), click_id="c1", visitor="v1"))
    assert (a.rule, a.collaboration_id) == ("last_click", BEN)
    assert a.reason.startswith("click c1 is outside the 30-day window; last of 1 click(s)")


def test_unknown_code_and_click_are_said_in_the_reason() -> None:
    a = one(conv("o1", at(1), promo_code="WINTER", click_id="zz"))
    assert a.rule == "unattributed" and a.collaboration_id is None
    assert a.reason == ("promo code W1NTER is not the campaign's; click zz is unknown; no promo "
                        "code of the campaign and no click in the 30-day window")


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        attribute([conv("o1", at(1)), conv("o1", at(2))], TOUCHES)
    assert err.value.field == "order_id"
    with pytest.raises(InvalidInput) as err:
        attribute([], [*TOUCHES, TOUCHES[0]])
    assert err.value.field == "click_id"
    with pytest.raises(InvalidInput) as err:
        attribute([], TOUCHES, promo_codes={"GLOW": 1, "gl0w": 2})
    assert err.value.field == "promo_codes"
    with pytest.raises(InvalidInput) as err:
        attribute([], TOUCHES, window=timedelta(0))
    assert err.value.field == "window"
    with pytest.raises(InvalidInput) as err:
        attribute([], TOUCHES, model="linear")  # type: ignore[arg-type]
    assert err.value.field == "model"


def test_conversion_checks_its_values() -> None:
    with pytest.raises(InvalidInput) as err:
        Conversion("o", datetime(2025, 1, 1), D(1), "EUR")
    assert err.value.field == "at"
    with pytest.raises(InvalidInput) as err:
        Conversion("o", T0, 9.99, "EUR")  # type: ignore[arg-type]
    assert err.value.field == "revenue"
    with pytest.raises(InvalidInput) as err:
        Conversion("o", T0, D(1), "EUR", refunded=D(-1))
    assert err.value.field == "refunded"
    with pytest.raises(InvalidInput) as err:
        Conversion("o", T0, D(1), "euro")
    assert err.value.field == "currency"


def test_refunds_reduce_revenue_never_below_zero() -> None:
    assert conv("o", T0, "100", refunded=D("30")).net_revenue == D("70")
    full = conv("o", T0, "100", refunded=D("150"))
    assert full.net_revenue == D(0) and not full.is_order
    assert conv("o", T0, "0").is_order  # a free order (seeding) is still an order


def test_from_redemption_and_idempotence() -> None:
    r = Redemption("#1001", at(4), "ANNA15", D("120"), "EUR", D("20"), ("ANNA15",))
    c = Conversion.from_redemption(r, visitor="v9")
    assert (c.promo_code, c.net_revenue, c.visitor) == ("ANNA15", D("100"), "v9")
    conversions = [c, conv("o2", at(4), visitor="v1")]
    assert attribute(conversions, TOUCHES, promo_codes=CODES) == attribute(
        conversions, TOUCHES, promo_codes=CODES)


def _report_inputs() -> list[Attribution]:
    conversions = [
        conv("o1", at(4), "100", promo_code="anna15"),
        conv("o2", at(4), "50", refunded=D("20"), click_id="c1"),
        conv("o3", at(4), "80", refunded=D("80"), visitor="v1"),  # Ben, refunded in full
        conv("o4", at(5), "40", visitor="v2"),  # Ben
        conv("o5", at(5), "999"),  # nobody
    ]
    return attribute(conversions, TOUCHES, promo_codes=CODES)


def test_summary_hand_computed() -> None:
    report = summarize(_report_inputs(),
                       clicks={ANNA: Clicks(40, 20), BEN: Clicks(10, 8), 3: Clicks(5, 5)},
                       deliverable_clicks={(ANNA, 11): Clicks(30, 15)},
                       spend={ANNA: Money(amount="100", currency="EUR"),
                              BEN: Money(amount="50", currency="EUR")})
    anna, ben = report.by_collaboration[ANNA], report.by_collaboration[BEN]
    assert (anna.orders, anna.revenue, anna.refunded, anna.net_revenue) == (2, D(150), D(20),
                                                                            D(130))
    assert anna.conversion_rate == 0.1  # 2 orders / 20 unique clicks
    assert anna.roi == pytest.approx(0.3)  # (130 - 100) / 100
    assert (ben.orders, ben.net_revenue, ben.refunded) == (1, D(40), D(80))
    assert ben.roi == pytest.approx(-0.2)
    assert report.by_collaboration[3].orders == 0 and report.by_collaboration[3].roi is None
    # promo orders have no deliverable; the click on c1 went to Anna's deliverable 11
    assert report.by_deliverable[(ANNA, 11)].orders == 1
    assert report.by_deliverable[(ANNA, 11)].conversion_rate == pytest.approx(1 / 15)
    assert report.by_deliverable[(BEN, 21)].net_revenue == D(40)
    assert report.by_deliverable[(BEN, 21)].spend is None
    campaign = report.campaign
    assert (campaign.clicks, campaign.unique_clicks, campaign.orders) == (55, 33, 3)
    assert campaign.net_revenue == D(170) and campaign.spend == D(150)
    assert campaign.roi == pytest.approx(20 / 150)
    assert (report.unattributed.orders, report.unattributed.net_revenue) == (1, D(999))
    assert report.currency == "EUR" and report.method_version == ATTRIBUTION_METHOD_VERSION


def test_campaign_unique_clicks_can_be_given() -> None:
    report = summarize(_report_inputs(), clicks={ANNA: Clicks(40, 20), BEN: Clicks(10, 8)},
                       campaign_clicks=Clicks(50, 25))
    assert report.campaign.unique_clicks == 25 and report.campaign.conversion_rate == 3 / 25


def test_live_sessions_join_the_collaboration() -> None:
    session = LiveSession(LivePlatform.DOUYIN, "s1", at(2), 12_000, 3_000, None, 30, D("2000"),
                          D("500"), "EUR")
    report = summarize(_report_inputs(), live={BEN: [session]},
                       spend={BEN: Money(amount="1000", currency="EUR")})
    ben = report.by_collaboration[BEN]
    assert (ben.live_sessions, ben.live_orders, ben.live_net_gmv) == (1, 30, D(1500))
    assert ben.attributed_revenue == D(1540) and ben.roi == pytest.approx(0.54)
    assert ben.conversion_rate is None  # no clicks given; live orders are not click orders


def test_mixed_currencies_are_refused() -> None:
    mixed = attribute([conv("o1", at(4), promo_code="anna15"),
                       conv("o2", at(4), promo_code="ben10", currency="USD")], [],
                      promo_codes=CODES)
    with pytest.raises(InvalidInput, match="EUR, USD") as err:
        summarize(mixed)
    assert err.value.field == "currency"
    with pytest.raises(InvalidInput):
        summarize(_report_inputs(), spend={ANNA: Money(amount="1", currency="USD")})


def test_empty_summary() -> None:
    report = summarize([])
    assert report.currency is None and report.by_collaboration == {}
    assert report.campaign.conversion_rate is None and report.campaign.roi is None


def test_clicks_need_unique_within_total() -> None:
    with pytest.raises(InvalidInput):
        Clicks(5, 6)
    with pytest.raises(InvalidInput):
        Clicks(-1, 0)


def _terms(performance: dict[str, str] | None, currency: str = "EUR") -> Terms:
    data: dict[str, object] = {"fee": "100", "currency": currency,
                               "deliverables": [{"platform": "ig", "format": "reel"}]}
    if performance is not None:
        data["performance"] = performance
    return Terms.model_validate(data)


def test_performance_payouts_through_the_ledger() -> None:
    report = summarize(_report_inputs(), clicks={ANNA: Clicks(40, 20), BEN: Clicks(10, 8)})
    pay = performance_payouts(report, {
        ANNA: _terms({"per_click": "0.10", "per_conversion": "2", "revenue_share": "0.1"}),
        BEN: _terms(None),
        7: _terms({"per_conversion": "5"}),
    })
    assert set(pay) == {ANNA, 7}
    # 20 unique clicks × 0.10 = 2.00; 2 orders × 2 = 4.00; 130 net × 0.1 = 13.00
    assert (pay[ANNA].clicks, pay[ANNA].conversions, pay[ANNA].revenue_share) == (
        D("2.00"), D("4.00"), D("13.00"))
    assert pay[ANNA].total == D("19.00")
    assert pay[7].total == D("0.00")
    capped = performance_payouts(report, {ANNA: _terms({"revenue_share": "0.5", "cap": "50"})})
    assert capped[ANNA].total == D("50.00") and capped[ANNA].capped


def test_performance_payouts_refuse_another_currency() -> None:
    report = summarize(_report_inputs())
    with pytest.raises(InvalidInput) as err:
        performance_payouts(report, {ANNA: _terms({"per_click": "1"}, currency="USD")})
    assert err.value.field == "currency"

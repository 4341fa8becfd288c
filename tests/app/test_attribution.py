"""Attribution from stored clicks, orders, refunds and promo codes, and performance pay booked
into the ledger, on a real SQLite database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app import tracking as tr
from kolscope.app.attribution import attribution_details, book_performance_pay
from kolscope.app.payments import ledger
from kolscope.app.tracking_views import ConversionIn, RefundIn
from kolscope.errors import InvalidInput
from kolscope.settings import Settings
from tests.app.tracking_world import SHOP, click, clicks_on, tracked_campaign
from tests.conftest import FIXED_NOW

DAY = FIXED_NOW - timedelta(days=2)


def _order(order_id: str, revenue: str, **extra: object) -> ConversionIn:
    fields: dict[str, object] = {"order_id": order_id, "source": "generic",
                                 "at": FIXED_NOW, "revenue": Decimal(revenue),
                                 "refunded": Decimal(0), "currency": "EUR"}
    return ConversionIn(**{**fields, **extra})  # type: ignore[arg-type]


@pytest.fixture
def world(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> dict[str, int]:
    ids = tracked_campaign(db, settings, tmp_path)
    with db.uow() as uow:
        tr.update_tracking_settings(uow, workspace="acme", now=FIXED_NOW, promo={"prefix": ""})
        links = tr.create_links(uow, workspace="acme", slug="spring", destination=SHOP,
                                now=FIXED_NOW)
        tr.create_promo_codes(uow, workspace="acme", slug="spring", now=FIXED_NOW)
        uow.commit()
    mia1, mia2, leo = links
    a = clicks_on(db, mia1.id, mia1.code, ["v1", "v2", "v3"], at=DAY)
    clicks_on(db, mia2.id, mia2.code, ["v4"], at=DAY)
    c = clicks_on(db, leo.id, leo.code, ["v5"], at=DAY)
    with db.uow() as uow:
        uow.tracking.add_clicks([
            click(leo.id, leo.code, 7, visitor="v5", at=DAY + timedelta(hours=1), unique=False),
            click(leo.id, leo.code, 8, visitor="bot", at=DAY, bot="crawler")])
        ws = uow.workspaces.get("acme")
        assert ws is not None
        for order in (
                _order("A", "100", click_id=a[0].click_id),  # mia's first post, by click id
                _order("B", "50", refunded=Decimal(10), promo_code="MIA"),  # mia's code
                _order("C", "80", click_id=c[0].click_id),  # leo's, then refunded in full
                _order("D", "30"),  # nobody's
                _order("E", "60", promo_code="LEO", click_id=a[1].click_id),  # code wins
                _order("F", "20", at=FIXED_NOW - timedelta(days=90), promo_code="MIA")):
            uow.commerce.upsert_conversion(ws.id, order, FIXED_NOW)
        uow.commerce.add_refund(ws.id, RefundIn("C", "r1", Decimal(80), FIXED_NOW))
        uow.commit()
    return ids


def test_orders_are_credited_and_totalled_per_kol_deliverable_and_campaign(
        db: Database, world: dict[str, int]) -> None:
    with db.uow() as uow:
        details = attribution_details(uow, workspace="acme", slug="spring")
    rules = {a.conversion.order_id: (a.rule, a.collaboration_id) for a in details.attributions}
    mia, leo = world["mia"], world["leo"]
    # F is older than the campaign's first link, so it falls outside the period.
    assert rules == {"A": ("click_id", mia), "B": ("promo_code", mia), "C": ("click_id", leo),
                     "D": ("unattributed", None), "E": ("promo_code", leo)}
    report = details.report
    m, lo = report.by_collaboration[mia], report.by_collaboration[leo]
    assert (m.orders, m.net_revenue, m.clicks, m.unique_clicks) == (2, Decimal(140), 4, 4)
    # C was refunded in full: no order and no revenue; the bot's request is not a click.
    assert (lo.orders, lo.net_revenue, lo.refunded, lo.clicks, lo.unique_clicks) == (
        1, Decimal(60), Decimal(80), 2, 1)
    # mia earned 5 per order x 2 + 10 % of 140 = 24; until it is booked her spend is the
    # agreed fee (the ledger's rule, as reports count it).
    assert details.payouts[mia].total == Decimal(24) and m.spend == Decimal(300)
    assert lo.spend == Decimal(200) and leo not in details.payouts
    assert m.roi == pytest.approx((140 - 300) / 300)
    assert report.campaign.orders == 3 and report.campaign.spend == Decimal(500)
    assert report.unattributed.orders == 1 and report.currency == "EUR"
    first_post = [k for k in report.by_deliverable if k[0] == mia]
    assert report.by_deliverable[first_post[0]].orders == 1


def test_performance_pay_is_booked_once(db: Database, world: dict[str, int]) -> None:
    for _ in range(2):
        with db.uow() as uow:
            booked = book_performance_pay(uow, workspace="acme", slug="spring", actor="ana",
                                          now=FIXED_NOW)
            uow.commit()
    assert set(booked) == {"mia"}
    with db.uow() as uow:
        view = ledger(uow, workspace="acme", collab_id=world["mia"])
        after = attribution_details(uow, workspace="acme", slug="spring")
    assert after.report.by_collaboration[world["mia"]].spend == Decimal(324)
    performance = [e for e in view.entries if e.kind == "performance"]
    assert [e.amount for e in performance] == [Decimal(24)]


def test_first_touch_and_window_are_options(db: Database, world: dict[str, int]) -> None:
    with db.uow() as uow:
        first = attribution_details(uow, workspace="acme", slug="spring", model="first_touch")
        with pytest.raises(InvalidInput, match="window"):
            attribution_details(uow, workspace="acme", slug="spring", window_days=0)
    assert {a.conversion.order_id: a.rule for a in first.attributions}["A"] == "first_touch"


def test_mixed_currencies_are_refused(db: Database, world: dict[str, int]) -> None:
    with db.uow() as uow:
        ws = uow.workspaces.get("acme")
        assert ws is not None
        uow.commerce.upsert_conversion(ws.id, _order("G", "9", currency="USD",
                                                     promo_code="MIA"), FIXED_NOW)
        with pytest.raises(InvalidInput, match="one currency"):
            attribution_details(uow, workspace="acme", slug="spring")

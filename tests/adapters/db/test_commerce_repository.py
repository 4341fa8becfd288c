"""Orders, refunds, tracking settings and visitors' clicks on SQLite and on the real PostgreSQL
server: the same behaviour."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from kolscope.adapters.db.database import Database
from kolscope.app.tracking_views import ConversionIn, RefundIn
from tests.adapters.db.test_tracking_repository import click, link, store, ws_id
from tests.conftest import FIXED_NOW

__all__ = ["store"]  # the fixture, used by name
ORDER = ConversionIn(order_id="1001", source="shopify", at=FIXED_NOW, revenue=Decimal("199.90"),
                     refunded=Decimal(0), currency="EUR", name="#1001", promo_code="MIA15",
                     click_id="click000001")


def test_an_order_is_one_row_whatever_is_re_sent(store: Database) -> None:
    acme, rival = ws_id(store, "acme"), ws_id(store, "rival")
    with store.uow() as uow:
        assert uow.commerce.upsert_conversion(acme, ORDER, FIXED_NOW) == "created"
        assert uow.commerce.upsert_conversion(acme, ORDER, FIXED_NOW) == "unchanged"
        assert uow.commerce.upsert_conversion(rival, ORDER, FIXED_NOW) == "created"
        changed = replace(ORDER, revenue=Decimal("179.90"))
        assert uow.commerce.upsert_conversion(acme, changed, FIXED_NOW) == "updated"
        for _ in range(2):
            uow.commerce.add_refund(acme, RefundIn("1001", "r1", Decimal("20.05"), FIXED_NOW))
        assert not uow.commerce.add_refund(acme, RefundIn("1001", "r1", Decimal(1), FIXED_NOW))
        assert uow.commerce.add_refund(acme, RefundIn("1001", "r2", Decimal("0.95"), FIXED_NOW))
        assert uow.commerce.add_refund(acme, RefundIn("2002", "r3", Decimal(5), FIXED_NOW))
        uow.commit()
    with store.uow() as uow:
        (order,) = uow.commerce.conversions(acme)
        assert (order.revenue, order.refunds, order.promo_code) == (
            Decimal("179.90"), Decimal("21.00"), "MIA15")
        assert uow.commerce.conversions(acme, since=FIXED_NOW + timedelta(seconds=1)) == []
        assert [r.refund_id for r in uow.commerce.refunds(acme, "1001")] == ["r1", "r2"]
        assert len(uow.commerce.conversions(rival)) == 1


def test_settings_and_site_keys(store: Database) -> None:
    acme = ws_id(store, "acme")
    with store.uow() as uow:
        uow.commerce.save_settings(acme, utm={"medium": "kol"}, promo={"length": 6},
                                   site_key="ks_acme", now=FIXED_NOW, webhook_secret="s" * 20)
        view = uow.commerce.save_settings(acme, utm={"medium": "kol"}, promo={"length": 7},
                                          site_key="ks_acme", now=FIXED_NOW)
        uow.commit()
    assert view.has_webhook_secret and view.promo == {"length": 7}
    with store.uow() as uow:
        assert uow.commerce.webhook_secret(acme) == "s" * 20
        assert uow.commerce.workspace_of_site_key("ks_acme") == acme
        assert uow.commerce.workspace_of_site_key("ks_other") is None


def test_touches_follow_a_visitor_from_the_click_an_order_carries(store: Database) -> None:
    acme = ws_id(store, "acme")
    with store.uow() as uow:
        uow.tracking.upsert_links(acme, [link("abc")], FIXED_NOW)
        (stored,) = uow.tracking.links(acme)
        uow.tracking.add_clicks([
            click(1, stored.id, acme, visitor="v1"),
            click(2, stored.id, acme, visitor="v1", at=FIXED_NOW - timedelta(days=3)),
            click(3, stored.id, acme, visitor="v1", bot="prefetch"),
            click(4, stored.id, acme, visitor="v2")])
        uow.commit()
    with store.uow() as uow:
        touches = uow.tracking.touches(acme, click_ids=["click000001", "nope"])
        assert uow.tracking.code_taken("abc") and not uow.tracking.code_taken("abd")
    assert [t.click_id for t in touches] == ["click000002", "click000001"]

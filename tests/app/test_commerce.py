"""Orders, refunds, redemption and live-commerce imports on a real SQLite database: signed
webhooks, idempotent re-deliveries and re-imports, and their place in attribution."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app import commerce
from kolscope.app import tracking as tr
from kolscope.app.attribution import attribution_details
from kolscope.core.tracking.webhooks import BadSignature, sign_shopify
from kolscope.errors import InvalidInput, NotFound
from kolscope.settings import Settings
from tests.app.tracking_world import tracked_campaign
from tests.conftest import FIXED_NOW
from tests.core.tracking.test_webhooks import SECRET, shopify_order

REDEMPTIONS = """order_id,ordered_at,code,revenue,currency
1001,2026-01-02T10:00:00Z,mia,120.00,EUR
1002,2026-01-02T11:00:00Z,LEO,80.00,EUR
1003,2026-01-02T12:00:00Z,leo,not money,EUR
1004,2026-01-02T13:00:00Z,,15.00,EUR
"""
LIVE = """Session ID,Start time,Viewers,Peak concurrent viewers,Orders,GMV,Refunds,Currency
s1,2026-01-02 20:00,5000,800,40,"2,000.00",100.00,EUR
s2,2026-01-03 20:00,3000,500,10,500.00,0,EUR
"""


@pytest.fixture
def shop(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> dict[str, int]:
    ids = tracked_campaign(db, settings, tmp_path)
    with db.uow() as uow:
        tr.update_tracking_settings(uow, workspace="acme", now=FIXED_NOW, webhook_secret=SECRET,
                                    promo={"prefix": ""})
        tr.create_promo_codes(uow, workspace="acme", slug="spring", now=FIXED_NOW)
        uow.commit()
    return ids


def _deliver(db: Database, topic: str, raw: bytes, signature: str | None) -> str:
    with db.uow() as uow:
        stored = commerce.shopify_webhook(uow, workspace="acme", topic=topic, body=raw,
                                          signature=signature, now=FIXED_NOW)
        uow.commit()
    return stored


def _orders(db: Database) -> list[tuple[str, Decimal, Decimal]]:
    with db.uow() as uow:
        return [(c.order_id, c.revenue, max(c.refunded, c.refunds))
                for c in commerce.conversions(uow, workspace="acme")]


def test_a_bad_signature_stores_nothing_and_the_same_order_twice_counts_once(
        db: Database, shop: dict[str, int]) -> None:
    raw = json.dumps(shopify_order(discount_codes=[{"code": "MIA"}])).encode()
    with pytest.raises(BadSignature):
        _deliver(db, "orders/create", raw, sign_shopify(raw, "wrong-secret-0123456789"))
    with pytest.raises(BadSignature):
        _deliver(db, "orders/create", raw, None)
    assert _orders(db) == []
    assert _deliver(db, "orders/create", raw, sign_shopify(raw, SECRET)) == "created"
    assert _deliver(db, "orders/create", raw, sign_shopify(raw, SECRET)) == "unchanged"
    assert _orders(db) == [("820982911946154508", Decimal("199.00"), Decimal(0))]
    # A refund on its own, delivered twice, reduces the revenue once.
    refund = json.dumps({"id": 5, "order_id": 820982911946154508,
                         "created_at": "2026-11-05T00:00:00Z",
                         "transactions": [{"kind": "refund", "amount": "49.00"}]}).encode()
    assert _deliver(db, "refunds/create", refund, sign_shopify(refund, SECRET)) == "created"
    assert _deliver(db, "refunds/create", refund, sign_shopify(refund, SECRET)) == "unchanged"
    assert _orders(db) == [("820982911946154508", Decimal("199.00"), Decimal("49.00"))]
    with pytest.raises(InvalidInput, match="not handled"):
        _deliver(db, "products/create", raw, sign_shopify(raw, SECRET))


def test_a_workspace_without_a_secret_takes_no_webhook(db: Database, settings: Settings,
                                                       workspace: str, tmp_path: Path) -> None:
    raw = b"{}"
    with pytest.raises(BadSignature, match="cannot verify") as info:
        _deliver(db, "orders/create", raw, sign_shopify(raw, "x"))
    assert workspace not in info.value.message


def test_an_unknown_workspace_gets_the_same_refusal_and_names_none(db: Database,
                                                                  shop: dict[str, int]) -> None:
    raw = b"{}"
    with db.uow() as uow, pytest.raises(BadSignature, match="cannot verify") as info:
        commerce.shopify_webhook(uow, workspace="nobody", topic="orders/create", body=raw,
                                 signature=sign_shopify(raw, SECRET), now=FIXED_NOW)
    assert "acme" not in info.value.message and "known" not in info.value.message


def test_generic_events_and_the_snippet(db: Database, shop: dict[str, int]) -> None:
    event = {"order_id": "W-1", "at": "2026-01-01T09:00:00Z", "revenue": "30.00",
             "currency": "EUR", "promo_code": "leo"}
    with db.uow() as uow:
        assert commerce.record_event(uow, workspace="acme", data=event, now=FIXED_NOW) \
            == "created"
        assert commerce.record_event(uow, workspace="acme", data={**event, "revenue": "35.00"},
                                     now=FIXED_NOW) == "updated"
        site = tr.tracking_settings(uow, workspace="acme").site_key
        assert commerce.collect(uow, site_key=site, now=FIXED_NOW, data={
            "order_id": "S-1", "at": "2026-01-01T10:00:00Z", "revenue": "12.00",
            "currency": "EUR"}) == "created"
        with pytest.raises(NotFound):
            commerce.collect(uow, site_key="ks_nope", data=event, now=FIXED_NOW)
        with pytest.raises(InvalidInput, match="orders only"):
            commerce.collect(uow, site_key=site, now=FIXED_NOW, data={
                "type": "refund", "order_id": "S-1", "amount": "12.00",
                "at": "2026-01-01T10:00:00Z"})
        uow.commit()
        rows = {c.order_id: c for c in commerce.conversions(uow, workspace="acme")}
    assert rows["W-1"].revenue == Decimal("35.00") and rows["S-1"].source == "snippet"


def test_redemptions_import_keeps_good_rows_and_is_idempotent(
        db: Database, shop: dict[str, int]) -> None:
    for attempt in range(2):
        with db.uow() as uow:
            result = commerce.import_redemptions(uow, workspace="acme", text=REDEMPTIONS,
                                                 source_name="orders.csv", now=FIXED_NOW)
            uow.commit()
        assert (result.created, result.unchanged) == ((2, 0) if attempt == 0 else (0, 2))
        assert [(e.source, e.line, e.field) for e in result.errors] == [
            ("orders.csv", 4, "revenue")]
    with db.uow() as uow:
        details = attribution_details(uow, workspace="acme", slug="spring")
    credited = {a.conversion.order_id: details.handles.get(a.collaboration_id or 0)
                for a in details.attributions}
    assert credited == {"1001": "mia", "1002": "leo"}


def test_live_sessions_join_the_kols_totals(db: Database, shop: dict[str, int]) -> None:
    for _ in range(2):
        with db.uow() as uow:
            result = commerce.import_live_sessions(uow, workspace="acme", slug="spring",
                                                   handle="@leo", text=LIVE,
                                                   source_name="live.csv", now=FIXED_NOW)
            uow.commit()
    assert (result.updated, result.errors) == (2, [])
    with db.uow() as uow:
        details = attribution_details(uow, workspace="acme", slug="spring")
        with pytest.raises(NotFound):
            commerce.import_live_sessions(uow, workspace="acme", slug="spring", handle="bob",
                                          text=LIVE, source_name="live.csv", now=FIXED_NOW)
        with pytest.raises(InvalidInput, match="platform"):
            commerce.import_live_sessions(uow, workspace="acme", slug="spring", handle="leo",
                                          text=LIVE, source_name="live.csv", now=FIXED_NOW,
                                          platform="kuaishou")
    leo = details.report.by_collaboration[shop["leo"]]
    assert (leo.live_sessions, leo.live_orders, leo.live_net_gmv) == (2, 50, Decimal("2400.00"))
    assert leo.attributed_revenue == Decimal("2400.00")

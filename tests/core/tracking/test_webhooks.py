"""Shopify's signed webhooks and the generic order and refund events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from kolscope.core.tracking.attribution import attribute
from kolscope.core.tracking.webhooks import (
    MAX_BODY,
    BadSignature,
    OrderEvent,
    RefundEvent,
    parse_generic,
    parse_shopify_order,
    parse_shopify_refund,
    refunded_total,
    sign_shopify,
    verify_shopify_hmac,
)
from kolscope.errors import InvalidInput

SECRET = "shpss_0123456789abcdef0123456789abcdef"


def shopify_order(**changes: Any) -> dict[str, Any]:
    """An orders/create payload in the shape of Shopify's documentation."""
    order: dict[str, Any] = {
        "id": 820982911946154508, "name": "#1001", "created_at": "2026-11-02T10:00:00-05:00",
        "currency": "USD", "total_price": "199.00", "current_total_price": "199.00",
        "financial_status": "paid", "cancelled_at": None,
        "discount_codes": [{"code": "anna-10", "amount": "10.00", "type": "percentage"}],
        "landing_site": "/products/serum?ks_click=0ABCdef123&utm_source=instagram",
        "note_attributes": [], "refunds": []}
    order.update(changes)
    return order


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def test_a_signed_order_is_read() -> None:
    raw = body(shopify_order())
    signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    assert sign_shopify(raw, SECRET) == signature
    verify_shopify_hmac(raw, signature, SECRET)
    order = parse_shopify_order(raw)
    assert order == OrderEvent(order_id="820982911946154508", name="#1001", source="shopify",
                               at=datetime(2026, 11, 2, 15, tzinfo=UTC), revenue=Decimal("199.00"),
                               currency="USD", promo_code="ANNA10", click_id="0ABCdef123")


@pytest.mark.parametrize("header", [None, "", "not base64!", sign_shopify(b"other", SECRET),
                                    sign_shopify(body(shopify_order()), "another-secret")])
def test_bad_signatures_are_refused(header: str | None) -> None:
    with pytest.raises(BadSignature):
        verify_shopify_hmac(body(shopify_order()), header, SECRET)


def test_a_tampered_body_fails_its_signature() -> None:
    raw = body(shopify_order())
    signature = sign_shopify(raw, SECRET)
    with pytest.raises(BadSignature, match="does not match"):
        verify_shopify_hmac(raw.replace(b"199.00", b"1.00"), signature, SECRET)
    with pytest.raises(InvalidInput, match="no webhook secret"):
        verify_shopify_hmac(raw, signature, "")


def test_refunds_on_the_order_and_on_their_own() -> None:
    partly = parse_shopify_order(body(shopify_order(
        current_total_price="149.00", financial_status="partially_refunded",
        refunds=[{"id": 1, "transactions": [{"kind": "refund", "status": "success",
                                             "amount": "50.00"},
                                            {"kind": "refund", "status": "failure",
                                             "amount": "99.00"}]}])))
    assert (partly.revenue, partly.refunded) == (Decimal("199.00"), Decimal("50.00"))
    cancelled = parse_shopify_order(body(shopify_order(cancelled_at="2026-11-03T00:00:00Z")))
    assert cancelled.refunded == cancelled.revenue
    refund = parse_shopify_refund(body({
        "id": 929361465, "order_id": 820982911946154508, "created_at": "2026-11-04T09:00:00Z",
        "transactions": [{"kind": "refund", "status": "success", "amount": "20.00"}]}))
    assert refund == RefundEvent("820982911946154508", "929361465", Decimal("20.00"),
                                 datetime(2026, 11, 4, 9, tzinfo=UTC))
    assert refunded_total(Decimal(10), [Decimal(7), Decimal(7)]) == Decimal(10)


def test_the_click_id_from_note_attributes_first() -> None:
    order = parse_shopify_order(body(shopify_order(
        note_attributes=[{"name": "ks_click", "value": "FROMNOTE"}])))
    assert order.click_id == "FROMNOTE"
    empty = parse_shopify_order(body(shopify_order(
        note_attributes=[{"name": "ks_click", "value": ""}])))
    assert empty.click_id == "0ABCdef123"  # from the landing page, then
    odd = parse_shopify_order(body(shopify_order(financial_status=["paid"])))
    assert odd.refunded == 0
    assert parse_shopify_order(body(shopify_order(landing_site=None))).click_id is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"total_price": 199.0}, "total_price"),
    ({"total_price": "-1"}, "total_price"),
    ({"created_at": "2026-11-02T10:00:00"}, "created_at"),
    ({"currency": "dollars"}, "currency"),
    ({"id": None}, "id"),
])
def test_malformed_shopify_orders_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_shopify_order(body(shopify_order(**changes)))
    assert caught.value.field == field


def test_bodies_that_are_not_json_objects_or_too_big() -> None:
    for raw in (b"{nope", b"[1, 2]", b" " * (MAX_BODY + 1)):
        with pytest.raises(InvalidInput) as caught:
            parse_shopify_order(raw)
        assert caught.value.field == "body"


def test_generic_events() -> None:
    order = parse_generic({"order_id": "A-1", "at": "2026-11-02T10:00:00+08:00",
                           "revenue": "49.90", "currency": "cny", "promo_code": "mia-15",
                           "ks_click": "abc"})
    assert isinstance(order, OrderEvent) and order.currency == "CNY"
    assert order.at == datetime(2026, 11, 2, 10, tzinfo=timezone(timedelta(hours=8)))
    assert (order.promo_code, order.click_id, order.revenue) == ("M1A15", "abc", Decimal("49.90"))
    refund = parse_generic({"type": "refund", "order_id": "A-1", "amount": "9.90",
                            "at": "2026-11-03T10:00:00Z"})
    assert isinstance(refund, RefundEvent) and refund.refund_id.startswith("A-1@")
    (credit,) = attribute([order.to_conversion()], [], promo_codes={"MIA15": 7})
    assert (credit.rule, credit.collaboration_id) == ("promo_code", 7)


@pytest.mark.parametrize(("event", "field"), [
    ({"order_id": "A", "at": "2026-11-02T10:00:00Z", "revenue": 49.9, "currency": "EUR"},
     "revenue"),
    ({"order_id": "A", "at": "2026-11-02T10:00:00", "revenue": "1", "currency": "EUR"}, "at"),
    ({"at": "2026-11-02T10:00:00Z", "revenue": "1", "currency": "EUR"}, "order_id"),
    ({"order_id": "A", "at": "2026-11-02T10:00:00Z", "revenue": "1", "currency": "EU"},
     "currency"),
    ({"order_id": "A", "at": "2026-11-02T10:00:00Z", "revenue": "1", "currency": "EUR",
      "refunded": "2"}, "refunded"),
    ({"order_id": "A", "at": "2026-11-02T10:00:00Z", "revenue": "1", "currency": "EUR",
      "price": "1"}, "price"),
    ({"type": "return", "order_id": "A"}, "type"),
])
def test_bad_generic_events_name_the_field(event: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_generic(event)
    assert caught.value.field == field

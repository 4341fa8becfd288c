"""Orders and refunds as shops report them: Shopify's signed webhooks and a generic JSON event.

Shopify signs each webhook with ``X-Shopify-Hmac-Sha256``: base64 of HMAC-SHA256 over the raw
body with the shop's secret. The signature is checked before the body is read, so a forged or
altered request stores nothing. Money is read from strings only (JSON numbers with a fraction
would pass through a float). Fields read and the generic event's format:
``docs/methods/tracking.md``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kolscope.core.money import check_amount
from kolscope.core.records import to_utc
from kolscope.core.tracking.attribution import Conversion
from kolscope.core.tracking.clicks import CLICK_PARAM
from kolscope.core.tracking.promo import normalize_code
from kolscope.errors import InvalidInput, Unauthorized

MAX_BODY = 1024 * 1024
SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"
ZERO = Decimal(0)
_REFUNDED_STATUSES = frozenset({"refunded", "voided"})
_ID = re.compile(r"[^\x00-\x1f\x7f]{1,100}")


class BadSignature(Unauthorized):
    """A webhook whose signature is missing or does not match its body (HTTP 401)."""


@dataclass(frozen=True)
class OrderEvent:
    """An order as last reported; ``refunded`` is what the order itself says was refunded."""

    order_id: str
    at: datetime
    revenue: Decimal
    currency: str
    refunded: Decimal = ZERO
    promo_code: str | None = None
    click_id: str | None = None
    visitor: str | None = None
    source: str = "generic"
    name: str | None = None

    def with_source(self, source: str) -> OrderEvent:
        return replace(self, source=source)

    def to_conversion(self) -> Conversion:
        return Conversion(self.order_id, self.at, self.revenue, self.currency,
                          refunded_total(self.revenue, [self.refunded]), self.promo_code,
                          self.click_id, self.visitor)


@dataclass(frozen=True)
class RefundEvent:
    order_id: str
    refund_id: str
    amount: Decimal
    at: datetime


def refunded_total(revenue: Decimal, refunds: Iterable[Decimal]) -> Decimal:
    """Refunds added up, never more than the order's revenue."""
    return min(revenue, sum(refunds, ZERO))


def verify_shopify_hmac(body: bytes, header: str | None, secret: str) -> None:
    """Raise :class:`BadSignature` unless ``header`` is the body's signature with ``secret``."""
    if not secret:
        raise InvalidInput("no webhook secret is set, so no webhook can be trusted",
                           field="webhook_secret")
    if not header:
        raise BadSignature(f"the {SIGNATURE_HEADER} header is missing", field=SIGNATURE_HEADER)
    try:
        given = base64.b64decode(header.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise BadSignature(f"the {SIGNATURE_HEADER} header is not base64",
                           field=SIGNATURE_HEADER) from None
    expected = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    if not hmac.compare_digest(given, expected):
        raise BadSignature("the signature does not match the body", field=SIGNATURE_HEADER)


def sign_shopify(body: bytes, secret: str) -> str:
    """The header value Shopify would send for ``body`` (for a shop's own test deliveries)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _json(body: bytes) -> Mapping[str, Any]:
    if len(body) > MAX_BODY:
        raise InvalidInput(f"the body has {len(body):,} bytes; at most {MAX_BODY:,}",
                           field="body")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"the body is not JSON: {exc}", field="body") from None
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object", field="body")
    return data


def _text(data: Mapping[str, Any], name: str, *, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{name} is missing", field=name)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInput(f"{name} must be text, got {value!r}", field=name)
    text = str(value).strip()
    if not _ID.fullmatch(text):
        raise InvalidInput(f"{name} has 1 to 100 printable characters", field=name)
    return text


def _money(value: object, name: str) -> Decimal:
    if isinstance(value, bool | float):
        raise InvalidInput(f"{name} must be a decimal string such as '49.90', got {value!r}",
                           field=name)
    if not isinstance(value, str | int):
        raise InvalidInput(f"{name} must be a decimal string such as '49.90'", field=name)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{name} is not a decimal amount: {value!r}", field=name) from None
    try:
        return check_amount(amount)
    except ValueError as exc:
        raise InvalidInput(f"{name}: {exc}", field=name) from None


def _time(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be an ISO 8601 time with a zone", field=name)
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{name} is not an ISO 8601 time: {value!r}", field=name) from None
    if moment.utcoffset() is None:
        raise InvalidInput(f"{name} needs a time zone, such as 2026-11-02T10:00:00+08:00",
                           field=name)
    try:
        return to_utc(moment)
    except ValueError as exc:
        raise InvalidInput(f"{name}: {exc}", field=name) from None


def _currency(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        raise InvalidInput(f"currency must be an ISO 4217 code such as EUR, got {value!r}",
                           field="currency")
    return value.strip().upper()


def _code(value: object, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text", field=name)
    try:
        return normalize_code(value)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=name) from None


def _click(value: object, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", value.strip()):
        raise InvalidInput(f"{name} must be a click id (letters, digits, - and _)", field=name)
    return value.strip()


# --- Shopify --------------------------------------------------------------------------------


def _shopify_click(data: Mapping[str, Any]) -> str | None:
    """The click id the landing page carried: from the order's note attributes (where the
    storefront snippet puts it) or the landing page's query."""
    for attribute in data.get("note_attributes") or ():
        if isinstance(attribute, dict) and attribute.get("name") == CLICK_PARAM:
            found_note = _click(attribute.get("value"), "note_attributes")
            if found_note is not None:
                return found_note
    landing = data.get("landing_site")
    if isinstance(landing, str):
        found = parse_qs(urlsplit(landing).query).get(CLICK_PARAM)
        if found:
            return _click(found[0], "landing_site")
    return None


def _refund_amount(refund: Mapping[str, Any]) -> Decimal:
    total = ZERO
    for t in refund.get("transactions") or ():
        if isinstance(t, dict) and t.get("kind") == "refund" and \
                t.get("status", "success") == "success":
            total += _money(t.get("amount", "0"), "transactions.amount")
    return total


def parse_shopify_order(body: bytes) -> OrderEvent:
    """An ``orders/create`` (or ``orders/updated``, ``orders/paid``) payload."""
    data = _json(body)
    revenue = _money(data.get("total_price"), "total_price")
    # Refunds show twice: as refund transactions and in the current total, which is net of
    # them (and of edits). Both describe the same money, so the larger counts.
    refunded = sum((_refund_amount(r) for r in data.get("refunds") or ()
                    if isinstance(r, dict)), ZERO)
    if data.get("current_total_price") is not None:
        current = _money(data["current_total_price"], "current_total_price")
        refunded = max(refunded, revenue - current)
    status = data.get("financial_status")
    if (isinstance(status, str) and status in _REFUNDED_STATUSES) or data.get("cancelled_at"):
        refunded = revenue
    refunded = refunded_total(revenue, [refunded])
    codes = [c.get("code") for c in data.get("discount_codes") or () if isinstance(c, dict)]
    return OrderEvent(order_id=_text(data, "id") or "", at=_time(data.get("created_at"),
                                                                   "created_at"),
                      revenue=revenue, currency=_currency(data.get("currency")),
                      refunded=refunded,
                      promo_code=_code(codes[0], "discount_codes") if codes else None,
                      click_id=_shopify_click(data), source="shopify",
                      name=_text(data, "name", required=False))


def parse_shopify_refund(body: bytes) -> RefundEvent:
    """A ``refunds/create`` payload."""
    data = _json(body)
    return RefundEvent(order_id=_text(data, "order_id") or "", refund_id=_text(data, "id") or "",
                       amount=_refund_amount(data), at=_time(data.get("created_at"),
                                                             "created_at"))


# --- the generic event ----------------------------------------------------------------------

_ORDER_FIELDS = frozenset({"type", "order_id", "at", "revenue", "currency", "refunded",
                           "promo_code", "click_id", CLICK_PARAM, "visitor", "name"})
_REFUND_FIELDS = frozenset({"type", "order_id", "refund_id", "amount", "at"})


def _fields(data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(f"unknown field(s) {', '.join(unknown)} (known: "
                           f"{', '.join(sorted(allowed))})", field=unknown[0])


def parse_order_event(data: Mapping[str, Any]) -> OrderEvent:
    _fields(data, _ORDER_FIELDS)
    revenue = _money(data.get("revenue"), "revenue")
    refunded = _money(data.get("refunded", "0"), "refunded")
    if refunded > revenue:
        raise InvalidInput("refunded is more than the revenue", field="refunded")
    return OrderEvent(order_id=_text(data, "order_id") or "", at=_time(data.get("at"), "at"),
                      revenue=revenue, currency=_currency(data.get("currency")),
                      refunded=refunded, promo_code=_code(data.get("promo_code"), "promo_code"),
                      click_id=_click(data.get("click_id", data.get(CLICK_PARAM)), "click_id"),
                      visitor=_text(data, "visitor", required=False),
                      name=_text(data, "name", required=False))


def parse_refund_event(data: Mapping[str, Any]) -> RefundEvent:
    _fields(data, _REFUND_FIELDS)
    order_id = _text(data, "order_id") or ""
    at = _time(data.get("at"), "at")
    amount = _money(data.get("amount"), "amount")
    refund_id = _text(data, "refund_id", required=False) or f"{order_id}@{at.isoformat()}"
    return RefundEvent(order_id, refund_id, amount, at)


def parse_generic(data: object) -> OrderEvent | RefundEvent:
    """A generic event: ``{"type": "order", ...}`` (the default) or ``{"type": "refund", ...}``."""
    if not isinstance(data, dict):
        raise InvalidInput("an event is a JSON object", field="body")
    kind = data.get("type", "order")
    if kind == "order":
        return parse_order_event(data)
    if kind == "refund":
        return parse_refund_event(data)
    raise InvalidInput(f"type must be order or refund, got {kind!r}", field="type")

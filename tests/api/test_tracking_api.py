"""Tracking through the HTTP API: links, promo codes, imports, orders, attribution, and the
Shopify webhook and site snippet that come without an API key."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from kolscope.adapters.db.database import Database
from kolscope.api import create_app
from kolscope.app.api_keys import create_api_key
from kolscope.core.tracking.webhooks import sign_shopify
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings
from tests.api.test_campaigns_api import Api
from tests.app.test_commerce import LIVE, REDEMPTIONS
from tests.app.tracking_world import SHOP, tracked_campaign
from tests.conftest import fixed_clock
from tests.core.tracking.test_webhooks import SECRET, shopify_order


def _raw(runtime: Runtime, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """A request without an API key, outside /api/v1."""
    app = create_app(runtime.settings, runtime)

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://test") as client:
            return await client.request(method, url, **kwargs)
    return asyncio.run(go())


def _api(runtime: Runtime, db: Database, settings: Settings, tmp_path: Path) -> Api:
    tracked_campaign(db, settings, tmp_path)
    runtime.clock = fixed_clock  # the campaign's period starts with its first link
    with db.uow() as uow:
        key = create_api_key(uow, workspace="acme", name="tests", clock=fixed_clock).secret
        uow.commit()
    return Api(runtime, key)


def test_links_codes_orders_and_attribution(runtime: Runtime, db: Database, settings: Settings,
                                            workspace: str, tmp_path: Path) -> None:
    api = _api(runtime, db, settings, tmp_path)
    api.call("PATCH", "/tracking/settings", json={"promo": {"prefix": ""}})
    links = api.call("POST", "/campaigns/spring/links", 201,
                     json={"destination": SHOP}).json()
    assert [(link["handle"], link["deliverable"]) for link in links] == [
        ("mia", "instagram-image-1"), ("mia", "instagram-image-2"),
        ("leo", "instagram-short_video-1")]
    assert links[0]["short_url"] == f"http://127.0.0.1:8080/{links[0]['code']}"
    api.call("POST", "/campaigns/spring/links", 400, json={"destination": "ftp://x.test/"})
    api.call("POST", "/campaigns/spring/links", 422, json={"destination": SHOP, "oops": 1})
    svg = api.call("GET", f"/links/{links[0]['code']}/qr.svg")
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text.startswith("<svg")
    api.call("POST", f"/links/{links[0]['code']}/disable", 204)
    assert api.get("/campaigns/spring/links")[0]["enabled"] is False
    codes = api.call("POST", "/campaigns/spring/promo-codes", 201, json={}).json()
    assert [c["code"] for c in codes] == ["MIA", "LEO"]

    imported = api.call("POST", "/promo-redemptions", files={
        "file": ("orders.csv", REDEMPTIONS.encode(), "text/csv")}).json()
    assert (imported["created"], imported["rejected"][0]["line"]) == (2, 4)
    live = api.call("POST", "/campaigns/spring/live-sessions", data={"handle": "leo"},
                    files={"file": ("live.csv", LIVE.encode(), "text/csv")}).json()
    assert live["created"] == 2
    order = {"order_id": "X-1", "at": "2026-01-02T10:00:00Z", "revenue": "10.00",
             "currency": "EUR", "promo_code": "mia"}
    assert api.post("/conversions", order) == {"stored": "created"}
    assert api.post("/conversions", order) == {"stored": "unchanged"}
    api.call("POST", "/conversions", 400, json={**order, "revenue": 10.5})
    assert len(api.get("/conversions")) == 3

    report = api.get("/campaigns/spring/attribution?model=first_touch&window_days=7")
    by = {row["handle"]: row for row in report["by_kol"]}
    assert by["mia"]["orders"] == 2 and by["mia"]["net_revenue"] == "130.00"
    assert by["leo"]["live_net_gmv"] == "2400.00" and report["model"] == "first_touch"
    assert {o["order_id"]: o["rule"] for o in report["orders"]} == {
        "1001": "promo_code", "1002": "promo_code", "X-1": "promo_code"}
    booked = api.post("/campaigns/spring/attribution/book")
    # mia: 5 per order x 2 + 10 % of 130 = 23.
    assert set(booked) == {"mia"} and booked["mia"]["due"] == "23.00"
    api.get("/campaigns/spring/attribution?window_days=0", 422)


def test_shopify_webhook_and_snippet_without_an_api_key(
        runtime: Runtime, db: Database, settings: Settings, workspace: str,
        tmp_path: Path) -> None:
    api = _api(runtime, db, settings, tmp_path)
    site = api.call("PATCH", "/tracking/settings", json={"webhook_secret": SECRET}).json()
    raw = json.dumps(shopify_order()).encode()
    headers = {"X-Shopify-Topic": "orders/create", "Content-Type": "application/json"}
    bad = _raw(runtime, "POST", "/hooks/acme/shopify", content=raw,
               headers={**headers, "X-Shopify-Hmac-Sha256": sign_shopify(raw, "nope" * 8)})
    assert bad.status_code == 401 and bad.json()["error"] == "BadSignature"
    assert api.get("/conversions") == []
    good = {**headers, "X-Shopify-Hmac-Sha256": sign_shopify(raw, SECRET)}
    for expected in ("created", "unchanged"):
        response = _raw(runtime, "POST", "/hooks/acme/shopify", content=raw, headers=good)
        assert response.status_code == 200 and response.json() == {"stored": expected}
    assert len(api.get("/conversions")) == 1
    unknown = _raw(runtime, "POST", "/hooks/nope/shopify", content=raw, headers=good)
    assert unknown.status_code == 401 and "acme" not in unknown.text  # names no workspace

    script = _raw(runtime, "GET", "/t/snippet.js")
    assert script.headers["content-type"].startswith("application/javascript")
    assert "w.kolscope = { clickId: clickId, conversion: conversion }" in script.text
    sent = _raw(runtime, "POST", f"/t/collect/{site['site_key']}", content=json.dumps(
        {"order_id": "S-9", "at": "2026-01-01T00:00:00Z", "revenue": "5.00",
         "currency": "USD", "click_id": "abc"}), headers={"Content-Type": "text/plain"})
    assert sent.status_code == 204 and sent.headers["access-control-allow-origin"] == "*"
    assert _raw(runtime, "POST", "/t/collect/ks_unknown", content=b"{}").status_code == 404
    assert _raw(runtime, "POST", f"/t/collect/{site['site_key']}",
                content=b"not json").status_code == 400
    assert {c["order_id"]: c["source"] for c in api.get("/conversions")} == {
        "820982911946154508": "shopify", "S-9": "snippet"}

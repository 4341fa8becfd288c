"""What the API answers to values it cannot take: the documented error shape, a 4xx naming
the field, never a 500 (NaN, numbers past 64 bits, times outside the calendar in UTC)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from kolscope.adapters.db.database import Database
from kolscope.app.api_keys import create_api_key
from kolscope.jobs.runtime import Runtime
from kolscope.server import create_server
from kolscope.settings import Settings
from tests.app.tracking_world import tracked_campaign
from tests.conftest import fixed_clock

ORDER = {"type": "order", "order_id": "X-1", "at": "2026-01-02T10:00:00Z", "revenue": "30.00",
         "currency": "EUR"}


@pytest.fixture
def send(runtime: Runtime, db: Database, settings: Settings, workspace: str,
         tmp_path: Path) -> Any:
    tracked_campaign(db, settings, tmp_path)
    with db.uow() as uow:
        key = create_api_key(uow, workspace="acme", name="tests", clock=fixed_clock).secret
        uow.commit()
    app = create_server(runtime.settings, runtime)  # the API and the web pages

    def request(method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://test") as client:
                return await client.request(method, url, headers=headers, **kwargs)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json",
                   **kwargs.pop("headers", {})}
        return asyncio.run(call())
    return request


@pytest.mark.parametrize("body", ['{"is_virtual": NaN}', '{"is_virtual": Infinity}', "1e999"])
def test_values_json_cannot_hold_get_the_documented_422(send: Any, body: str) -> None:
    response = send("PUT", "/api/v1/accounts/1/virtual", content=body)
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "ValidationError" and error["message"]
    assert set(error) == {"error", "message", "field", "detail"}
    assert all("input" not in d for d in error["detail"])


def test_a_validation_error_names_the_field(send: Any) -> None:
    response = send("PUT", "/api/v1/accounts/1/virtual", json={"is_virtual": "maybe"})
    assert response.status_code == 422
    assert response.json()["field"] == "is_virtual"
    assert response.json()["message"].startswith("is_virtual: ")


@pytest.mark.parametrize("url", ["/api/v1/collaborations/9223372036854775808",
                                 "/api/v1/imports/99999999999999999999999",
                                 "/w/acme/accounts/9223372036854775808"])
def test_an_id_past_64_bits_is_refused_not_a_500(send: Any, url: str) -> None:
    response = send("GET", url)
    assert response.status_code == 400, response.text
    assert "9,223,372,036,854,775,807" in response.text and "Traceback" not in response.text


@pytest.mark.parametrize(("change", "field"), [
    ({"revenue": "1e1000000"}, "revenue"), ({"revenue": "0.000001"}, "revenue"),
    ({"at": "9999-12-31T23:59:59-05:00"}, "at"), ({"at": "0001-01-01T00:00:00+05:00"}, "at"),
])
def test_an_order_out_of_range_is_refused_naming_the_field(send: Any, change: dict[str, str],
                                                           field: str) -> None:
    response = send("POST", "/api/v1/conversions", json={**ORDER, **change})
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field
    assert send("GET", "/api/v1/conversions").json() == []


def test_kpi_targets_must_be_finite(send: Any) -> None:
    campaign = {"slug": "nan", "name": "N", "brand": "B", "kpi_targets": {"conversions": "NaN"}}
    response = send("POST", "/api/v1/campaigns", json=campaign)
    assert response.status_code == 422 and response.json()["field"] == "kpi_targets"


def test_a_sender_name_with_a_line_break_is_refused(send: Any) -> None:
    response = send("PUT", "/api/v1/outreach/senders", json={
        "address": "team@acme.test", "display_name": "Sam\r\nBcc: x@evil.example",
        "daily_cap": 2})
    assert response.status_code == 400 and response.json()["field"] == "display_name"
    assert send("GET", "/api/v1/outreach/senders").json() == []


def test_an_unknown_kol_type_is_refused_not_an_empty_page(send: Any) -> None:
    response = send("GET", "/api/v1/accounts", params={"kol_type": "bogus"})
    assert response.status_code == 422 and response.json()["field"] == "kol_type"
    assert send("GET", "/api/v1/accounts", params={"kol_type": "KOC"}).status_code == 200


def test_the_performance_of_an_unknown_account_is_a_404(send: Any) -> None:
    assert send("GET", "/api/v1/accounts/999999999/performance").status_code == 404


@pytest.mark.parametrize(("change", "field"), [
    ({"starts_on": "2026-03-10", "ends_on": "2026-03-01"}, "ends_on"),
    ({"tier_mix": {"micro": 0.5, "mid": 0.2}}, "tier_mix"),
    ({"audience": {"min_age": 40, "max_age": 20}}, "audience.min_age"),
])
def test_a_check_across_fields_names_the_field(send: Any, change: dict[str, Any],
                                               field: str) -> None:
    brief = {"goal": "conversion", "product": "Serum", "niche": "beauty", "budget": "1000",
             "currency": "EUR", **change}
    response = send("PUT", "/api/v1/briefs/glow", json=brief)
    assert response.status_code in (400, 422), response.text
    assert response.json()["field"] == field


def test_a_rate_row_is_numbered_from_one_in_json(send: Any) -> None:
    row = {"platform": "instagram", "tier": "micro", "format": "post", "currency": "EUR",
           "low": "10", "typical": "5", "high": "20"}
    response = send("PUT", "/api/v1/rates", json=[row])
    assert response.status_code == 400 and "rates row 1: " in response.json()["message"]

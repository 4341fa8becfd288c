"""Campaigns and outreach through the HTTP API only, with a real SMTP server on loopback: the
whole collaboration from first email to paid, the refusals that change nothing, and 404s."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from kolscope.adapters.db.database import Database
from kolscope.api import create_app
from kolscope.app.api_keys import create_api_key
from kolscope.app.payments import LEDGER_COLUMNS
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings, load_settings
from tests.conftest import FIXED_NOW, Inbox, campaign_world, fixed_clock

V1 = "/api/v1"
TERMS: dict[str, Any] = {
    "fee": "800", "currency": "EUR", "payment_due_days": 14,
    "deliverables": [{"platform": "instagram", "format": "reel", "count": 1,
                      "due": "2026-01-20", "hashtags": ["#glowup"]}],
}


class Clock:
    """The runtime's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now


class Api:
    """A synchronous face over the ASGI transport; each call checks its status code."""

    def __init__(self, runtime: Runtime, key: str) -> None:
        self.app = create_app(runtime.settings, runtime)
        self.headers = {"Authorization": f"Bearer {key}"}

    def call(self, method: str, url: str, expect: int = 200, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, V1 + url, headers=self.headers, **kwargs)
        response = asyncio.run(go())
        assert response.status_code == expect, response.text
        return response

    def get(self, url: str, expect: int = 200, **kwargs: Any) -> Any:
        return self.call("GET", url, expect, **kwargs).json()

    def post(self, url: str, body: Any = None, expect: int = 200) -> Any:
        return self.call("POST", url, expect, json=body).json()

    def put(self, url: str, body: Any, expect: int = 200) -> Any:
        response = self.call("PUT", url, expect, json=body)
        return response.json() if response.content else None


@pytest.fixture
def settings(tmp_path: Path, smtp_server: tuple[str, int, Inbox]) -> Settings:
    host, port, _ = smtp_server
    return load_settings(data_dir=tmp_path, database_url=None, mail_transport="smtp",
                         smtp_host=host, smtp_port=port, mail_domain="acme.test")


@pytest.fixture
def inbox(smtp_server: tuple[str, int, Inbox]) -> Inbox:
    return smtp_server[2]


@pytest.fixture
def clock(runtime: Runtime) -> Clock:
    moved = Clock()
    runtime.clock = moved
    return moved


@pytest.fixture
def api(runtime: Runtime, db: Database, workspace: str, clock: Clock, tmp_path: Path) -> Api:
    """The API with mia, leo and zoe imported, a campaign, templates, a sender (two a day) and
    a two-step sequence, all made through the API."""
    with db.uow() as uow:
        key = create_api_key(uow, workspace=workspace, name="tests", clock=fixed_clock).secret
        uow.commit()
    client = Api(runtime, key)
    upload = campaign_world(tmp_path / "world.jsonl").read_bytes()
    job = client.call("POST", "/imports", 202, data={"kind": "generic"},
                      files={"file": ("world.jsonl", upload, "application/x-ndjson")}).json()
    runtime.runner.wait(job["id"], timeout=60)
    assert client.get(f"/imports/{job['id']}")["status"] == "succeeded"
    client.post("/campaigns", {"slug": "spring", "name": "Spring glow", "brand": "Acme Beauty",
                               "goal": "conversion", "budget": "5000", "currency": "EUR",
                               "offer": "our new serum and a paid reel",
                               "audience_gain": "a 15% code for your followers"}, 201)
    for handle, account_id in accounts(client).items():
        client.put(f"/accounts/{account_id}/contact",
                   {"email": f"{handle.upper()}@Example.com"}, 204)
    client.put("/outreach/templates/intro", {
        "subject": "{brand} x {name}",
        "body": "Hi {name},\nWe love {why_you}.\nWe offer {offer}; {audience_gain}.\n{sender}"})
    client.put("/outreach/templates/nudge", {"subject": "Re: {brand} x {name}",
                                             "body": "Just checking in, {name}."})
    client.put("/outreach/senders", {"address": "team@acme.test",
                                     "display_name": "Ana at Acme", "daily_cap": 2})
    client.put("/campaigns/spring/sequences/main", {
        "channel": "email", "sender": "team@acme.test", "steps": [["intro", 0], ["nudge", 3]]})
    return client


def accounts(api: Api) -> dict[str, int]:
    found = api.get("/accounts", params={"limit": 10})
    return {a["handle"]: a["id"] for a in found["items"]}


def add(api: Api, *handles: str, slug: str = "spring") -> list[int]:
    body = api.post(f"/campaigns/{slug}/kols", {"handles": list(handles), "actor": "ana"})
    return [c["id"] for c in body["added"]]


def draft_and_approve(api: Api, slug: str = "spring") -> list[dict[str, Any]]:
    drafted = api.post(f"/campaigns/{slug}/outreach/draft", {"sequence": "main"})["drafted"]
    api.post("/outreach/messages/approve", {"ids": [m["id"] for m in drafted], "actor": "ana"})
    return list(drafted)


def move(api: Api, collab: int, to: str, expect: int = 200) -> Any:
    return api.post(f"/collaborations/{collab}/moves", {"to": to, "actor": "ana"}, expect)


def stage(api: Api, collab: int) -> str:
    return str(api.get(f"/collaborations/{collab}")["stage"])


def test_full_collaboration_from_outreach_to_paid(api: Api, inbox: Inbox, clock: Clock) -> None:
    (mia,) = add(api, "mia")
    preview = api.post("/campaigns/spring/outreach/draft", {"sequence": "main"})
    assert preview["skipped"] == []
    (message,) = preview["drafted"]
    assert message["recipient"] == "mia@example.com" and message["status"] == "pending"
    assert message["subject"] == "Acme Beauty x Mia"
    assert "We love your beauty content" in message["body"]
    assert api.post("/outreach/send", {"actor": "ana"})["sent"] == []  # not approved yet
    api.post("/outreach/messages/approve", {"ids": [message["id"]], "actor": "ana"})
    assert api.post("/outreach/send", {"actor": "ana"})["sent"] == [message["id"]]
    (received,) = inbox.messages
    assert received["To"] == "mia@example.com" and received["Subject"] == "Acme Beauty x Mia"
    assert "a 15% code for your followers" in received.get_content()
    assert received["Message-ID"].endswith("@acme.test>")
    assert stage(api, mia) == "contacted"

    clock.now += timedelta(days=3)
    (nudge,) = api.post("/campaigns/spring/outreach/draft", {"sequence": "main"})["drafted"]
    assert nudge["step"] == 2
    webhook = {"from": "Mia <mia@example.com>", "subject": "Re: hi", "text": "Love it",
               "message_id": "<r1@x>", "in_reply_to": received["Message-ID"]}
    reply = api.post("/outreach/inbound", webhook)
    assert reply["message_id"] == message["id"] and reply["collaboration_id"] == mia
    assert api.post("/outreach/inbound", webhook) == {"duplicate": True}
    cancelled = api.get("/outreach/messages", params={"campaign": "spring",
                                                      "status": "cancelled"})
    assert [m["id"] for m in cancelled] == [nudge["id"]]
    assert stage(api, mia) == "negotiating"
    assert [r["body"] for r in api.get(f"/collaborations/{mia}/replies")] == ["Love it"]

    terms = api.put(f"/collaborations/{mia}/terms", {**TERMS, "actor": "ana"})
    assert terms["terms_revision"] == 1 and terms["terms"]["fee"] == "800"
    move(api, mia, "agreed")
    pdf = api.call("GET", f"/collaborations/{mia}/contract", params={"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert f'filename="spring-{mia}-r1.pdf"' in pdf.headers["content-disposition"]
    html = api.call("GET", f"/collaborations/{mia}/contract", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html")
    assert f"spring-{mia}-r1" in html.text and "Acme Beauty" in html.text
    move(api, mia, "contracted")
    _review_and_publish(api, mia)
    assert stage(api, mia) == "published"

    clock.now += timedelta(days=2)
    move(api, mia, "completed")
    ledger = api.get(f"/collaborations/{mia}/ledger")
    assert Decimal(ledger["outstanding"]) == Decimal("800")
    refused = move(api, mia, "paid", 400)
    assert "not settled" in refused["message"]
    paid = api.post(f"/collaborations/{mia}/payments", {
        "amount": ledger["outstanding"], "method": "bank_transfer", "reference": "T1",
        "actor": "ana"}, 201)
    assert Decimal(paid["outstanding"]) == 0
    assert move(api, mia, "paid")["stage"] == "paid"

    export = api.call("GET", "/campaigns/spring/ledger.csv")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert tuple(rows[0]) == LEDGER_COLUMNS
    assert [(r["kind"], r["handle"], Decimal(r["amount"])) for r in rows] == [
        ("fee", "mia", Decimal("800")), ("payment", "mia", Decimal("800"))]
    moves = [(e["from_stage"], e["to_stage"]) for e in api.get(f"/collaborations/{mia}/events")
             if e["kind"] == "stage"]
    assert moves[-3:] == [("content_review", "published"), ("published", "completed"),
                          ("completed", "paid")]
    board = api.get("/campaigns/spring/board")
    assert [c["stage"] for c in board][:3] == ["prospect", "shortlisted", "contacted"]
    assert [c["id"] for col in board if col["stage"] == "paid" for c in col["collaborations"]] \
        == [mia]
    _rate_and_note(api, mia)


def _review_and_publish(api: Api, mia: int) -> None:
    (deliverable,) = api.get(f"/collaborations/{mia}/deliverables")
    first = api.post(f"/deliverables/{deliverable['id']}/drafts", {
        "caption": "My new serum routine #glowup", "url": "https://d.test/1",
        "actor": "mia"}, 201)
    assert first["check"]["passed"] is False
    assert stage(api, mia) == "content_review"
    refused = api.post(f"/drafts/{first['id']}/review", {"decision": "approve"}, 400)
    assert "missing required disclosure: #ad" in refused["message"]
    assert refused["field"] == "caption"
    api.post(f"/drafts/{first['id']}/comments", {"body": "add #ad please"}, 201)
    changes = api.post(f"/drafts/{first['id']}/review",
                       {"decision": "request_changes", "comment": "see above"})
    assert changes["status"] == "changes_requested" and len(changes["comments"]) == 2
    second = api.post(f"/deliverables/{deliverable['id']}/drafts", {
        "caption": "My new serum routine #ad #glowup", "url": "https://d.test/2"}, 201)
    assert second["check"]["passed"] is True and second["version"] == 2
    approved = api.post(f"/drafts/{second['id']}/review", {"decision": "approve"})
    assert approved["status"] == "approved" and approved["decided_by"] == "api"
    live = api.post(f"/deliverables/{deliverable['id']}/published",
                    {"url": "https://instagram.com/p/mia1", "actor": "ana"})
    assert live["status"] == "published" and live["post_id"] is not None


def _rate_and_note(api: Api, mia: int) -> None:
    account = api.get(f"/collaborations/{mia}")["account_id"]
    assert api.put(f"/collaborations/{mia}/rating", {"rating": 5, "actor": "ana"})["rating"] == 5
    api.put(f"/collaborations/{mia}/rating", {"rating": 6}, 400)
    api.post(f"/accounts/{account}/notes", {"body": "fast and honest", "actor": "ana"}, 201)
    rel = api.get(f"/accounts/{account}/relationship")
    assert rel["suggestion"] == "rehire" and rel["notes"][0]["body"] == "fast and honest"
    assert rel["history"][0]["on_time"] == 1


def test_refused_moves_and_terms_change_nothing(api: Api) -> None:
    (mia,) = add(api, "mia")
    refused = move(api, mia, "paid", 409)
    assert refused["error"] == "InvalidTransition"
    assert "allowed from shortlisted: contacted, prospect, declined, cancelled" \
        in refused["message"]
    assert stage(api, mia) == "shortlisted"
    assert len(api.get(f"/collaborations/{mia}/events")) == 1
    float_fee = api.put(f"/collaborations/{mia}/terms", {**TERMS, "fee": 800.0}, 400)
    assert float_fee["field"] == "fee" and "not floats" in float_fee["message"]
    empty = api.put(f"/collaborations/{mia}/terms", {**TERMS, "deliverables": []}, 400)
    assert empty["field"] == "deliverables"
    unknown = api.put(f"/collaborations/{mia}/terms", {**TERMS, "fees": "1"}, 400)
    assert unknown["field"] == "fees"
    assert api.get(f"/collaborations/{mia}")["terms"] is None
    api.put(f"/collaborations/{mia}/terms", TERMS)
    move(api, mia, "contacted")
    move(api, mia, "negotiating")
    move(api, mia, "agreed")
    move(api, mia, "contracted")
    api.call("POST", f"/collaborations/{mia}/payments", 422,
             json={"amount": 10.5, "method": "bank_transfer"})
    assert Decimal(api.get(f"/collaborations/{mia}/ledger")["paid"]) == 0
    fixed = api.put(f"/collaborations/{mia}/terms", TERMS, 409)
    assert "terms are fixed" in fixed["message"]


def test_a_bad_template_keeps_the_old_one(api: Api) -> None:
    bad = api.put("/outreach/templates/intro", {"subject": "Hi {nmae}", "body": "x"}, 400)
    assert "unknown merge field {nmae}" in bad["message"] and bad["field"] == "subject"
    assert api.get("/outreach/templates/intro")["subject"] == "{brand} x {name}"
    names = [t["name"] for t in api.get("/outreach/templates")]
    assert names == ["intro", "nudge"]
    api.put("/outreach/templates/intro", {"subject": "Hi", "body": "x", "extra": 1}, 422)


def test_the_daily_cap_sends_one_of_two(api: Api, inbox: Inbox) -> None:
    api.put("/outreach/senders", {"address": "team@acme.test", "display_name": "Ana at Acme",
                                  "daily_cap": 1})
    add(api, "mia", "leo")
    approved = draft_and_approve(api)
    assert len(approved) == 2
    report = api.post("/outreach/send")
    assert len(report["sent"]) == 1 and len(report["deferred"]) == 1
    assert len(inbox.messages) == 1
    waiting = api.get("/outreach/messages", params={"status": "approved"})
    assert [m["id"] for m in waiting] == report["deferred"]


def test_suppressed_addresses_and_handles_are_not_written_to(api: Api, inbox: Inbox) -> None:
    add(api, "mia", "leo", "zoe")
    assert api.post("/outreach/suppressions", {"value": "instagram:@leo",
                                               "reason": "asked not to"}, 201) \
        == {"value": "instagram:leo"}
    preview = api.post("/campaigns/spring/outreach/draft", {"sequence": "main"})
    assert preview["skipped"] == ["@leo: on the do-not-contact list"]
    api.post("/outreach/messages/approve", {"ids": [m["id"] for m in preview["drafted"]]})
    api.post("/outreach/suppressions", {"value": "ZOE@example.com", "reason": "bounced"}, 201)
    report = api.post("/outreach/send")
    assert len(report["sent"]) == 1
    assert [m["To"] for m in inbox.messages] == ["mia@example.com"]
    listed = {s["value"] for s in api.get("/outreach/suppressions")}
    assert listed == {"instagram:leo", "zoe@example.com"}
    api.call("DELETE", "/outreach/suppressions", 204, params={"value": "instagram:leo"})
    api.call("DELETE", "/outreach/suppressions", 404, params={"value": "instagram:leo"})


def test_dm_tasks_and_manual_replies(api: Api) -> None:
    (mia,) = add(api, "mia")
    api.put("/campaigns/spring/sequences/dm", {"channel": "dm", "steps": [["intro", 0]]})
    assert api.get("/campaigns/spring/sequences/dm")["channel"] == "dm"
    (task,) = api.post("/campaigns/spring/outreach/draft", {"sequence": "dm"})["drafted"]
    assert task["recipient"] == "instagram:mia"
    api.post("/outreach/messages/approve", {"ids": [task["id"]]})
    assert api.post("/outreach/send")["dm_tasks"] == [task["id"]]
    assert api.post(f"/outreach/messages/{task['id']}/done", {"actor": "ana"})["status"] \
        == "sent"
    typed = {"from": "mia@example.com", "subject": "", "text": "yes"}
    assert api.post(f"/collaborations/{mia}/replies", typed)["body"] == "yes"
    assert api.post(f"/collaborations/{mia}/replies", typed) == {"duplicate": True}
    assert stage(api, mia) == "negotiating"
    api.post("/outreach/inbound", {"from": "someone@else.test", "text": "?"}, 404)
    api.post("/outreach/inbound", {"text": "no sender"}, 400)


def test_campaigns_are_listed_and_added_twice_harmlessly(api: Api) -> None:
    add(api, "mia")
    again = api.post("/campaigns/spring/kols", {"handles": ["mia", "leo"]})
    assert [c["handle"] for c in again["added"]] == ["leo"]
    assert [c["handle"] for c in again["existing"]] == ["mia"]
    (listed,) = api.get("/campaigns")
    assert listed["stages"] == {"shortlisted": 2} and listed["budget"] == "5000"
    assert api.put("/campaigns/spring/status", {"status": "active"})["status"] == "active"
    assert [c["handle"] for c in api.get("/campaigns/spring/collaborations",
                                         params={"stage": "shortlisted"})] == ["mia", "leo"]
    api.post("/campaigns", {"slug": "spring", "name": "x", "brand": "y"}, 409)
    api.post("/campaigns", {"slug": "s2", "name": "x", "brand": "y", "budget": 1.5}, 422)
    api.post("/campaigns", {"slug": "s2", "name": "x", "brand": "y", "colour": "red"}, 422)
    api.post("/campaigns/spring/kols", {"handles": ["nobody"]}, 404)


UNKNOWN: list[tuple[str, str, Any]] = [
    ("GET", "/campaigns/nope", None),
    ("GET", "/campaigns/nope/board", None),
    ("GET", "/campaigns/nope/collaborations", None),
    ("GET", "/campaigns/nope/ledger.csv", None),
    ("PUT", "/campaigns/nope/status", {"status": "active"}),
    ("POST", "/campaigns/nope/kols", {"handles": ["mia"]}),
    ("POST", "/campaigns/nope/outreach/draft", {"sequence": "main"}),
    ("GET", "/campaigns/spring/sequences/nope", None),
    ("GET", "/collaborations/999", None),
    ("POST", "/collaborations/999/moves", {"to": "contacted"}),
    ("GET", "/collaborations/999/events", None),
    ("PUT", "/collaborations/999/terms", TERMS),
    ("GET", "/collaborations/999/contract", None),
    ("GET", "/collaborations/999/ledger", None),
    ("GET", "/collaborations/999/deliverables", None),
    ("GET", "/collaborations/999/replies", None),
    ("POST", "/collaborations/999/payments", {"amount": "1", "method": "cash"}),
    ("PUT", "/accounts/999/contact", {"email": "a@b.test"}),
    ("GET", "/accounts/999/relationship", None),
    ("POST", "/deliverables/999/drafts", {"url": "https://d.test/1"}),
    ("POST", "/drafts/999/review", {"decision": "approve"}),
    ("POST", "/outreach/messages/999/cancel", None),
    ("GET", "/outreach/templates/nope", None),
]


def test_unknown_campaigns_collaborations_and_ids_are_404(api: Api) -> None:
    for method, url, body in UNKNOWN:
        response = api.call(method, url, 404, json=body)
        assert response.json()["error"] == "NotFound", url


def test_briefs_are_versioned_over_the_api(api: Api) -> None:
    doc = {"goal": "awareness", "product": "Serum", "budget": "3000", "currency": "EUR",
           "platforms": ["instagram"], "actor": "ana"}
    first = api.put("/briefs/glow", doc, 201)
    assert first["version"] == 1 and first["created_by"] == "ana"
    assert api.put("/briefs/glow", doc, 200)["version"] == 1
    assert api.put("/briefs/glow", {**doc, "budget": "4000"}, 201)["version"] == 2
    assert api.get("/briefs/glow?version=1")["brief"]["budget"] == "3000"
    assert [b["version"] for b in api.get("/briefs/glow/versions")] == [1, 2]
    assert [b["slug"] for b in api.get("/briefs")] == ["glow"]
    refused = api.call("PUT", "/briefs/glow", 400, json={**doc, "tier_mix": {"micro": 0.4}})
    assert "tier_mix: shares must add up to 1" in refused.json()["message"]
    api.get("/briefs/nope", 404)


def test_brief_matches_over_the_api(api: Api) -> None:
    api.put("/briefs/glow", {"goal": "conversion", "product": "beauty serum", "budget": "3000",
                             "currency": "EUR", "niche": "beauty"}, 201)
    found = api.get("/briefs/glow/matches?limit=5")
    assert found["brief_version"] == 1 and found["matches"]
    assert {m["handle"] for m in found["matches"]} <= {"mia", "leo", "zoe"}
    api.get("/briefs/nope/matches", 404)


def test_brief_forecast_over_the_api(api: Api) -> None:
    api.put("/briefs/glow", {"goal": "conversion", "product": "serum", "budget": "3000",
                             "currency": "USD", "average_order_value": "30"}, 201)
    mia = accounts(api)["mia"]
    view = api.get(f"/briefs/glow/forecast?account_id={mia}&format=post")
    assert view["handle"] == "mia" and view["forecast"]["post_format"] == "image"
    assert view["cost"]["currency"] == "USD"
    api.get(f"/briefs/glow/forecast?account_id={mia}&format=hologram", 422)


def test_plans_over_the_api(api: Api) -> None:
    api.put("/briefs/glow", {"goal": "conversion", "product": "beauty serum", "budget": "3000",
                             "currency": "USD", "niche": "beauty"}, 201)
    made = api.post("/briefs/glow/plans", {"budget": "2000", "save": True})
    assert made["id"] and float(made["plan"]["spent"]) <= 2000
    assert api.get(f"/plans/{made['id']}")["plan"] == made["plan"]
    campaign = api.post(f"/plans/{made['id']}/campaign",
                        {"slug": "from-plan", "name": "From plan", "brand": "Acme"}, 201)
    assert campaign["brief"] == "glow" and campaign["goal"] == "conversion"
    assert sum(campaign["stages"].values()) == len(made["plan"]["picks"])
    api.post("/briefs/glow/plans", {"budget": 20.5}, 422)
    first = made["plan"]["picks"][0]["account_id"]
    without = api.post("/briefs/glow/plans", {"budget": "2000", "exclude": [first]})
    assert first not in [k["account_id"] for k in without["plan"]["picks"]]
    api.post("/briefs/glow/plans", {"exclude": ["x"]}, 422)
    api.get("/plans/999", 404)

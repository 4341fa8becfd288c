"""Campaign pages through the served application: the board, refusals shown inline, terms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kolscope.app import campaigns as camp
from kolscope.core.campaigns.pipeline import BOARD_ORDER, parse_stage
from kolscope.jobs.runtime import Runtime
from kolscope.server import create_server
from kolscope.settings import Settings
from tests.app.test_monitoring import POSTED, monitored_world, publish_the_post, vet
from tests.conftest import FIXTURES, do_import, fixed_clock


@pytest.fixture
def client(runtime: Runtime, settings: Settings, workspace: str) -> Iterator[TestClient]:
    do_import(runtime.db, settings, "influencers", FIXTURES / "influencers.tsv")
    do_import(runtime.db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    with TestClient(create_server(settings, runtime)) as test_client:
        yield test_client


def _collab(client: TestClient) -> int:
    page = client.post("/w/acme/campaigns", data={"slug": "glow", "name": "Glow",
                                                 "brand": "Acme"})
    assert page.status_code == 200 and "Glow" in page.text  # followed the redirect
    board = client.post("/w/acme/campaigns/glow/kols", data={"handles": "glowwithmia"})
    found = re.search(r'data-collab="(\d+)"', board.text)
    assert found, board.text
    return int(found.group(1))


def test_board_has_every_stage_in_order_and_the_card(client: TestClient) -> None:
    _collab(client)
    html = client.get("/w/acme/campaigns/glow").text
    assert re.findall(r'data-stage="([a-z_]+)"', html) == [s.value for s in BOARD_ORDER]
    shortlisted = html.split('data-stage="shortlisted"')[1].split("</section>")[0]
    assert "@glowwithmia" in shortlisted
    assert "Campaigns" in client.get("/w/acme/campaigns").text


def test_a_refused_move_says_why_and_changes_nothing(client: TestClient,
                                                     runtime: Runtime) -> None:
    cid = _collab(client)
    page = client.post(f"/w/acme/collaborations/{cid}/move", data={"to": "paid",
                                                                   "back": "board"})
    assert page.status_code == 400
    assert "cannot move from shortlisted to paid" in page.text
    with runtime.db.uow() as uow:
        assert camp.require_collaboration(uow, workspace="acme",
                                          collab_id=cid).stage.value == "shortlisted"
        events = camp.events(uow, workspace="acme", collab_id=cid)
    assert [e.to_stage for e in events] == ["shortlisted"]


def test_terms_errors_name_the_field_and_drafts_show_the_check(client: TestClient,
                                                              runtime: Runtime) -> None:
    cid = _collab(client)
    bad = client.post(f"/w/acme/collaborations/{cid}/terms",
                      data={"terms": '{"fee": 12.5, "currency": "USD", "deliverables": []}'})
    assert bad.status_code == 400 and "terms: fee: amounts must be given as text" in bad.text
    broken = client.post(f"/w/acme/collaborations/{cid}/terms", data={"terms": "{nope"})
    assert broken.status_code == 400 and "not valid JSON" in broken.text
    with runtime.db.uow() as uow:
        camp.set_terms(uow, workspace="acme", collab_id=cid, actor="t", now=fixed_clock(),
                       terms=camp.parse_terms({"fee": "100", "currency": "USD", "deliverables": [
                           {"platform": "instagram", "format": "image"}]}))
        for stage in ("contacted", "negotiating", "agreed", "contracted"):
            camp.move(uow, workspace="acme", collab_id=cid, to=parse_stage(stage), actor="t",
                      now=fixed_clock())
        uow.commit()
    page = client.get(f"/w/acme/collaborations/{cid}")
    found = re.search(r'data-deliverable="(\d+)"', page.text)
    assert found, page.text
    did = int(found.group(1))
    shown = client.post(f"/w/acme/deliverables/{did}/drafts",
                        data={"cid": str(cid), "caption": "new serum", "url": "https://d.test"})
    assert "Disclosure check: missing required disclosure: #ad" in shown.text
    pdf = client.get(f"/w/acme/collaborations/{cid}/contract.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_templates_suppressions_notes_ratings_and_the_ledger_export(client: TestClient) -> None:
    cid = _collab(client)
    bad = client.post("/w/acme/outreach/templates",
                      data={"name": "intro", "subject": "Hi {nmae}", "body": "x"})
    assert bad.status_code == 400 and "unknown merge field {nmae}" in bad.text
    ok = client.post("/w/acme/outreach/templates",
                     data={"name": "intro", "subject": "Hi {name}", "body": "We like {why_you}"})
    assert "Hi {name}" in ok.text and "name, why_you" in ok.text
    listed = client.post("/w/acme/outreach/suppressions",
                         data={"value": "instagram:@glowwithmia", "reason": "asked"})
    assert "instagram:glowwithmia" in listed.text
    rated = client.post(f"/w/acme/collaborations/{cid}/rating", data={"rating": "4"})
    assert '<option selected>4</option>' in rated.text
    noted = client.post(f"/w/acme/collaborations/{cid}/notes", data={"body": "quick replies"})
    assert "quick replies" in noted.text and "Suggestion:" in noted.text
    csv = client.get("/w/acme/campaigns/glow/ledger.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.startswith("id,campaign,handle,kind,amount")


def test_brief_form_matches_and_forecast_pages(client: TestClient) -> None:
    bad = client.post("/w/acme/briefs", data={"slug": "glow", "goal": "conversion",
                                              "product": "serum", "budget": "10.5x",
                                              "currency": "USD", "tier_mix": "micro=0.4"})
    assert bad.status_code == 400 and "budget" in bad.text, bad.text[-3000:]
    assert 'value="serum"' in bad.text  # the form comes back as typed
    made = client.post("/w/acme/briefs", data={
        "slug": "glow", "goal": "conversion", "product": "serum skincare", "budget": "5000",
        "currency": "USD", "niche": "beauty", "average_order_value": "35",
        "platforms": ["instagram"], "formats": ["post"], "languages": "en"})
    assert made.status_code == 200, re.findall(r"alert-error[^<]*<?[^<]*", made.text)
    assert "glow <span class=\"muted\">version 1" in made.text
    found = re.search(r'data-match="(\d+)"', made.text)
    assert found, made.text
    page = client.get(f"/w/acme/briefs/glow/forecast/{found.group(1)}")
    assert page.status_code == 200, re.findall(r'role="alert">([^<]*)', page.text)
    assert "Unique reach" in page.text and "ROI" in page.text
    assert "glow" in client.get("/w/acme/briefs").text


def test_plan_pages_what_ifs_save_and_a_campaign_from_the_plan(client: TestClient) -> None:
    client.post("/w/acme/briefs", data={
        "slug": "glow", "goal": "awareness", "product": "serum skincare", "budget": "5000",
        "currency": "USD", "niche": "beauty", "platforms": ["instagram"]})
    assert "Plan the budget" in client.get("/w/acme/briefs/glow").text
    page = client.get("/w/acme/briefs/glow/plan", params={"budget": ["500", "5000"]})
    assert page.status_code == 200, re.findall(r'role="alert">([^<]*)', page.text)
    assert re.findall(r'data-plan="([0-9.]+)"', page.text) == ["500", "5000"]
    assert "Checked:" in page.text and "the other half of the engagers" in page.text
    bad = client.get("/w/acme/briefs/glow/plan", params={"budget": "-3"})
    assert bad.status_code == 400 and "budget: an amount must not be negative" in bad.text
    saved = client.post("/w/acme/briefs/glow/plans", data={"budget": "5000"})
    found = re.search(r"Saved as plan (\d+)", saved.text)
    assert found, saved.text[-2000:]
    picks = len(re.findall(r"data-pick=", saved.text))
    board = client.post(f"/w/acme/plans/{found.group(1)}/campaign",
                        data={"slug": "glowup", "name": "Glow up", "brand": "Acme"})
    assert board.status_code == 200 and "Glow up" in board.text
    assert len(re.findall(r"data-collab=", board.text)) == picks > 0


def test_campaign_dates_a_clean_title_and_an_empty_reply(client: TestClient) -> None:
    backwards = client.post("/w/acme/campaigns", data={
        "slug": "spring", "name": "Spring", "brand": "Acme", "starts_on": "2026-04-30",
        "ends_on": "2026-04-01"})
    assert backwards.status_code == 400 and "ends_on is before starts_on" in backwards.text
    made = client.post("/w/acme/campaigns", data={
        "slug": "spring", "name": "Spring", "brand": "Acme", "starts_on": "2026-04-01",
        "ends_on": "2026-04-30"})
    assert made.status_code == 200
    listed = client.get("/w/acme/campaigns").text
    assert "2026-04-01 to 2026-04-30" in listed
    title = re.search(r"<title>(.*?)</title>", listed, re.S)
    assert title and "<" not in title.group(1), title
    assert listed.count("Outreach templates") == 1
    cid = _collab(client)
    empty = client.post(f"/w/acme/collaborations/{cid}/replies", data={"text": "hi"})
    assert empty.status_code == 400 and "say who replied" in empty.text


def test_a_malformed_page_form_gets_the_html_error_page(client: TestClient) -> None:
    cid = _collab(client)
    page = client.post(f"/w/acme/collaborations/{cid}/rating", data={"rating": "abc"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "Rating: Input should be a valid integer" in page.text


def test_the_watch_page_shows_each_live_post_and_its_alerts(
        runtime: Runtime, settings: Settings, workspace: str, tmp_path: Path) -> None:
    do_import(runtime.db, settings, "generic",
              monitored_world(tmp_path / "w.jsonl", live_likes=150, angry=25))
    deliverable = publish_the_post(runtime.db)
    vet(runtime.db)
    runtime.clock = lambda: POSTED + timedelta(hours=21)
    with TestClient(create_server(settings, runtime)) as client:
        assert "Watch live posts" in client.get("/w/acme/campaigns/glow").text
        page = client.get("/w/acme/campaigns/glow/watch")
    assert page.status_code == 200
    assert f'data-watch="{deliverable}"' in page.text
    assert re.findall(r'data-alert="([a-z_]+)"', page.text) == ["behind_forecast",
                                                                 "negative_sentiment"]


@pytest.mark.parametrize(("form", "says"), [
    ({"name": "   "}, "must not be empty or only spaces"),
    ({"name": "a\x00b\x1b[31m"}, "control characters"),
    ({"starts_on": "0001-01-01"}, "outside the years 1970 to 2200"),
    ({"ends_on": "9999-12-30"}, "outside the years 1970 to 2200"),
])
def test_a_campaign_form_refuses_blank_names_control_characters_and_edge_dates(
        client: TestClient, form: dict[str, str], says: str) -> None:
    refused = client.post("/w/acme/campaigns", data={"slug": "edge", "name": "Edge",
                                                    "brand": "Acme", **form})
    assert refused.status_code == 400 and says in refused.text, refused.text[-600:]
    assert "Edge" not in client.get("/w/acme/campaigns").text


def test_a_nan_payment_or_terms_nested_past_the_stack_get_the_error_page(
        client: TestClient) -> None:
    cid = _collab(client)
    for amount in ("NaN", "sNaN", "0.000001"):
        paid = client.post(f"/w/acme/collaborations/{cid}/payments",
                           data={"amount": amount, "method": "paypal"})
        assert paid.status_code == 400 and "amount: " in paid.text
        assert paid.headers["content-type"].startswith("text/html")
    deep = client.post(f"/w/acme/collaborations/{cid}/terms", data={"terms": "[" * 5000})
    assert deep.status_code == 400 and "not valid JSON" in deep.text


def test_actions_under_an_unknown_campaign_are_a_404_and_do_nothing(client: TestClient) -> None:
    _collab(client)
    for url, form in (("/w/acme/campaigns/no-such/outreach/send", {}),
                      ("/w/acme/campaigns/no-such/outreach/approve", {"message_id": "1"}),
                      ("/w/acme/links/NOPE123/switch", {"cslug": "no-such"})):
        answer = client.post(url, data=form, follow_redirects=False)
        assert answer.status_code == 404, (url, answer.status_code)


def test_a_payment_reference_past_its_limit_is_refused_and_nothing_paid(
        client: TestClient) -> None:
    cid = _collab(client)
    paid = client.post(f"/w/acme/collaborations/{cid}/payments",
                       data={"amount": "10", "method": "paypal", "reference": "x" * 100_000})
    assert paid.status_code == 400 and "reference: at most 200 characters" in paid.text

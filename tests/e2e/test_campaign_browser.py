"""One collaboration driven from shortlisted to paid through the web UI in headless Chromium."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kolscope.app import campaigns as camp
from kolscope.jobs.runtime import Runtime
from tests.conftest import fixed_clock
from tests.e2e.test_browser import base_url, browser_page

pytestmark = pytest.mark.e2e
__all__ = ["base_url", "browser_page"]

TERMS = {"fee": "600", "currency": "USD", "payment_due_days": 7,
         "deliverables": [{"platform": "instagram", "format": "reel", "count": 1,
                           "disclosures": ["#ad"]}]}


def test_shortlisted_to_paid_on_the_board(base_url: str, runtime: Runtime,
                                          browser_page: tuple[Any, list[str]]) -> None:
    from playwright.sync_api import expect

    with runtime.db.uow() as uow:
        camp.create_campaign(uow, workspace="acme", now=fixed_clock(),
                             campaign_in=camp.parse_campaign(
                                 {"slug": "glow", "name": "Glow launch", "brand": "Acme"}))
        camp.add_kols(uow, workspace="acme", slug="glow", handles=["glowwithmia"], actor="seed",
                      now=fixed_clock())
        uow.commit()
    page, errors = browser_page
    page.goto(base_url + "/w/acme")
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Glow launch").click()
    card = page.locator(".board-column[data-stage=shortlisted] .board-card")
    expect(card).to_contain_text("@glowwithmia")

    def move_on_board(stage: str) -> None:
        page.locator(".board-card select").select_option(stage)
        page.locator(".board-card").get_by_role("button", name="Move").click()
        expect(page.locator(f".board-column[data-stage={stage}] .board-card")).to_have_count(1)

    move_on_board("contacted")
    move_on_board("negotiating")
    page.locator(".board-column[data-stage=negotiating] .board-card a").click()
    page.fill("#terms", json.dumps(TERMS))
    page.get_by_role("button", name="Save terms").click()
    expect(page.get_by_role("link", name="Contract PDF")).to_be_visible()

    def move(stage: str) -> None:
        page.select_option("#to", stage)
        page.get_by_role("button", name="Move", exact=True).click()
        expect(page.locator("#stage")).to_have_text(stage)

    move("agreed")
    move("contracted")
    page.get_by_label("Draft link").fill("https://drafts.example/1")
    page.get_by_label("Caption").fill("My glow routine with the new serum")
    page.get_by_role("button", name="Submit draft").click()
    expect(page.locator(".check-fail")).to_contain_text("missing required disclosure: #ad")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot approve")
    page.get_by_label("Draft link").fill("https://drafts.example/2")
    page.get_by_label("Caption").fill("My glow routine with the new serum #ad")
    page.get_by_role("button", name="Submit draft").click()
    expect(page.locator(".check-pass")).to_contain_text("every required disclosure")
    page.get_by_role("button", name="Approve").click()
    page.get_by_label("Published post").fill("https://instagram.com/p/glow1")
    page.get_by_role("button", name="Link published post").click()
    expect(page.locator("#stage")).to_have_text("published")
    move("completed")
    expect(page.locator("#outstanding")).to_have_text("600.00")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator("#outstanding")).to_have_text("0.00")
    move("paid")
    page.get_by_role("link", name="glow", exact=True).click()
    expect(page.locator(".board-column[data-stage=paid] .board-card")).to_contain_text(
        "@glowwithmia")
    # The refused approval came back as a 400 page, which Chromium logs; nothing else did.
    assert errors == ["console: Failed to load resource: the server responded with a status "
                      "of 400 (Bad Request)"]

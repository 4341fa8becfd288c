"""The whole loop on one database: a campaign's link is clicked through the redirect service,
the shop reports the order with the click id it carried, and attribution credits the KOL's
deliverable that the click came from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kolscope.adapters.db.database import Database
from kolscope.app import commerce
from kolscope.app import tracking as tr
from kolscope.app.attribution import attribution_details
from kolscope.redirect.serve import build_app
from kolscope.settings import Settings
from tests.app.tracking_world import SHOP, tracked_campaign
from tests.conftest import FIXED_NOW
from tests.redirect.test_app import call


def test_a_click_through_the_redirect_credits_the_order(db: Database, settings: Settings,
                                                        workspace: str, tmp_path: Path) -> None:
    ids = tracked_campaign(db, settings, tmp_path)
    with db.uow() as uow:
        links = tr.create_links(uow, workspace="acme", slug="spring", destination=SHOP,
                                now=FIXED_NOW)
        uow.commit()
    second_post = links[1]
    app = build_app(settings, db)
    try:
        app.links.refresh()
        answer = call(app, "GET", "/" + second_post.code)
        assert answer.status_code == 302
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        (click_id,) = query["ks_click"]
        assert query["utm_content"] == ["instagram-image-2"] and query["utm_term"] == ["mia"]
        app.writer.flush()
    finally:
        app.close()
    with db.uow() as uow:
        commerce.record_event(uow, workspace="acme", now=FIXED_NOW, data={
            "order_id": "1001", "at": datetime.now(UTC).isoformat(), "revenue": "59.00",
            "currency": "EUR", "click_id": click_id})
        uow.commit()
    with db.uow() as uow:
        details = attribution_details(uow, workspace="acme", slug="spring")
    (credit,) = details.attributions
    assert (credit.rule, credit.collaboration_id, credit.deliverable_id) == (
        "click_id", ids["mia"], second_post.deliverable_id)
    mia = details.report.by_collaboration[ids["mia"]]
    assert (mia.clicks, mia.unique_clicks, mia.orders) == (1, 1, 1)
    assert details.report.by_deliverable[(ids["mia"], second_post.deliverable_id or 0)].orders == 1

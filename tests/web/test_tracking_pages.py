"""The campaign's tracking page through the served application: links and QR codes, promo
codes, shop and live-commerce uploads, attribution per KOL and booking performance pay."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kolscope.app import payments as pay
from kolscope.jobs.runtime import Runtime
from kolscope.server import create_server
from kolscope.settings import Settings
from tests.app.test_commerce import LIVE, REDEMPTIONS
from tests.app.tracking_world import SHOP, tracked_campaign
from tests.conftest import fixed_clock


@pytest.fixture
def client(runtime: Runtime, settings: Settings, workspace: str,
           tmp_path: Path) -> Iterator[TestClient]:
    ids = tracked_campaign(runtime.db, settings, tmp_path)
    runtime.clock = fixed_clock  # the campaign's period starts with its first link
    with TestClient(create_server(settings, runtime)) as test_client:
        test_client.ids = ids  # type: ignore[attr-defined]
        yield test_client


PAGE = "/w/acme/campaigns/spring/tracking"


def test_links_codes_uploads_and_sales(client: TestClient, runtime: Runtime) -> None:
    assert "Links, codes and sales" in client.get("/w/acme/campaigns/spring").text
    page = client.post(PAGE + "/links", data={"destination": SHOP})
    assert page.status_code == 200 and "3 link(s) ready" in page.text
    codes = re.findall(r'data-link="([^"]+)"', page.text)
    assert len(codes) == 3
    qr = client.get(f"/w/acme/links/{codes[0]}/qr.svg")
    assert qr.headers["content-type"] == "image/svg+xml"
    off = client.post(f"/w/acme/links/{codes[0]}/switch", data={"cslug": "spring"})
    assert "is off" in off.text and "Turn on" in off.text
    bad = client.post(PAGE + "/links", data={"destination": "not a url"})
    assert bad.status_code == 400 and "alert-error" in bad.text

    client.post("/w/acme/campaigns/spring/tracking/promo", data={"suffix": ""})
    page = client.get(PAGE)
    assert re.findall(r'data-code="([^"]+)"', page.text) == ["MIA", "LEO"]
    uploaded = client.post(PAGE + "/redemptions",
                           files={"file": ("orders.csv", REDEMPTIONS.encode(), "text/csv")})
    assert "orders.csv: 2 new, 0 updated, 0 unchanged, 1 rejected" in uploaded.text
    assert "orders.csv:4: revenue" in uploaded.text
    live = client.post(PAGE + "/live", data={"handle": "leo"},
                       files={"file": ("live.csv", LIVE.encode(), "text/csv")})
    assert "live.csv: 2 new" in live.text
    missing = client.post(PAGE + "/live", data={"handle": "leo"})
    assert missing.status_code == 400 and "choose a file" in missing.text

    sales = client.get(PAGE)
    mia = sales.text.split('data-kol="mia"')[1].split("</tr>")[0]
    assert "<td>1</td>" in mia and "120.00" in mia  # one order through her code
    assert 'data-order="1001"' in sales.text and "promo code" in sales.text
    booked = client.post(PAGE + "/book")
    assert "performance pay booked for @mia" in booked.text
    with runtime.db.uow() as uow:
        view = pay.ledger(uow, workspace="acme",
                          collab_id=client.ids["mia"])  # type: ignore[attr-defined]
    # 5 per order + 10 % of 120
    assert [e.amount for e in view.entries if e.kind == "performance"] == [17]
    assert client.get(PAGE + "?window=0").status_code == 400
    assert client.get(PAGE + "?model=first_touch").status_code == 200

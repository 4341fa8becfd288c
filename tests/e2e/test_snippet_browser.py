"""The conversion snippet on a brand's site, in headless Chromium: it keeps the click id the
landing page carried and reports the order with it to a real kolscope server."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from kolscope.app import commerce
from kolscope.app import tracking as tr
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings
from tests.e2e.test_browser import _free_port, browser_page, served

pytestmark = pytest.mark.e2e
__all__ = ["browser_page"]  # the fixture, used by name


@pytest.fixture
def kolscope_url(runtime: Runtime, settings: Settings, workspace: str) -> Iterator[str]:
    with served(settings, runtime) as url:
        yield url


@pytest.fixture
def shop_url(kolscope_url: str, runtime: Runtime) -> Iterator[str]:
    """A brand's site on another origin, every page carrying the snippet."""
    with runtime.db.uow() as uow:
        site = tr.tracking_settings(uow, workspace="acme").site_key
        uow.commit()
    page = (f'<!doctype html><html><head><title>Shop</title><script src="{kolscope_url}'
            f'/t/snippet.js" data-site="{site}"></script></head><body>shop</body></html>')

    class Shop(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page.encode())

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), Shop)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def test_the_snippet_carries_the_click_id_to_the_order(
        shop_url: str, runtime: Runtime, browser_page: tuple[Any, list[str]]) -> None:
    page, errors = browser_page
    page.goto(shop_url + "/products/serum?ks_click=0Kq7ZCLICK&utm_source=instagram")
    page.goto(shop_url + "/checkout/thank-you")  # the id outlives the landing page
    assert page.evaluate("window.kolscope.clickId()") == "0Kq7ZCLICK"
    page.evaluate('window.kolscope.conversion({order_id: "1001", revenue: "49.90", '
                  'currency: "EUR"})')
    deadline = time.monotonic() + 10
    while True:
        with runtime.db.uow() as uow:
            orders = commerce.conversions(uow, workspace="acme")
        if orders or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    (order,) = orders
    assert (order.order_id, order.revenue, order.click_id, order.source) == (
        "1001", Decimal("49.90"), "0Kq7ZCLICK", "snippet")
    with pytest.raises(Exception, match="order_id, revenue and currency"):
        page.evaluate('window.kolscope.conversion({order_id: "1002"})')
    assert errors == []

"""The redirect app over ASGI (httpx) and RSGI (granian's calls, faked): answers and clicks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from kolscope.adapters.db.database import Database
from kolscope.app.tracking_views import ClickRow
from kolscope.redirect.app import MAX_CODE_LENGTH, RedirectApp
from kolscope.redirect.links import LinkTable
from kolscope.redirect.recorder import ClickRecorder
from kolscope.redirect.writer import ClickWriter
from tests.redirect.conftest import DESTINATION, CountingUow

SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari"
MakeApp = Callable[..., RedirectApp]


def call(app: RedirectApp, method: str, path: str, *, client: str = "203.0.113.7",
         **headers: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(client, 40_000))
        async with httpx.AsyncClient(transport=transport, base_url="http://go.test") as c:
            return await c.request(method, path, headers={"user-agent": SAFARI, **headers})
    return asyncio.run(go())


def stored(db: Database, app: RedirectApp) -> list[ClickRow]:
    app.writer.flush()
    with db.uow() as uow:
        ws = uow.workspaces.get("acme")
        assert ws is not None
        return uow.tracking.clicks(ws.id)


def test_a_click_is_redirected_with_its_click_id_and_recorded(linked: Database,
                                                              make_app: MakeApp) -> None:
    app = make_app()
    answer = call(app, "GET", "/serum", referer="https://instagram.com/", **{
        "cf-ipcountry": "de"})
    assert answer.status_code == 302 and answer.headers["cache-control"] == "no-store"
    location = urlsplit(answer.headers["location"])
    query = parse_qs(location.query)
    assert location.fragment == "buy" and query["utm_source"] == ["instagram"]
    [click_id] = query["ks_click"]
    assert answer.headers["location"] == DESTINATION.replace("#", f"&ks_click={click_id}#")
    [row] = stored(linked, app)
    assert (row.click_id, row.code, row.user_agent, row.referrer, row.country, row.bot,
            row.is_unique) == (click_id, "serum", SAFARI, "https://instagram.com/", "DE", None,
                               True)
    assert "203.0.113.7" not in repr(row) and len(row.ip_hash) == 16
    plain = call(app, "GET", "/plain").headers["location"]
    assert plain.startswith("https://shop.example/?ks_click=")


def test_a_visitor_counts_once_and_bots_heads_and_bursts_are_marked(linked: Database,
                                                                    make_app: MakeApp) -> None:
    app = make_app()
    for _ in range(3):
        assert call(app, "GET", "/serum").status_code == 302
    assert call(app, "GET", "/serum", client="198.51.100.1").status_code == 302
    assert call(app, "HEAD", "/serum").status_code == 302
    assert call(app, "GET", "/serum", **{"user-agent": "Slackbot 1.0"}).status_code == 302
    assert call(app, "GET", "/serum", **{"sec-purpose": "prefetch"}).status_code == 302
    for _ in range(12):  # a burst: more than ten clicks in ten seconds from one visitor
        call(app, "GET", "/plain", client="192.0.2.9")
    rows = stored(linked, app)
    assert [r.is_unique for r in rows[:4]] == [True, False, False, True]
    assert [r.bot for r in rows[4:7]] == ["head", "preview:slack", "prefetch"]
    assert [r.bot for r in rows[7:]] == [None] * 10 + ["burst"] * 2
    assert [r.is_unique for r in rows[7:]] == [True] + [False] * 11
    assert not any(r.is_unique for r in rows if r.bot)


@pytest.mark.parametrize(("path", "status"), [
    ("/nope", 404),
    ("/off", 404),  # disabled
    ("/", 404),
    ("/serum/extra", 404),
    ("/" + "a" * (MAX_CODE_LENGTH + 1), 400),
    ("/" + "a" * 500, 400),
    ("/bad$code", 400),
    ("/%00x", 400),
    ("/caf%C3%A9", 400),
    ("/serum?x=<script>", 302),  # a query on the short link is ignored
])
def test_unknown_disabled_and_malformed_paths(linked: Database, path: str, status: int) -> None:
    counting = CountingUow(linked)
    writer = ClickWriter(counting)
    links = LinkTable(counting)
    links.refresh()
    app = RedirectApp(links, ClickRecorder(b"secret", writer.append), writer)
    opened = counting.calls
    answer = call(app, "GET", path)
    assert answer.status_code == status
    assert counting.calls == opened  # answered from memory, the database untouched
    if status == 404:
        assert answer.headers["content-type"].startswith("text/html")
        assert "Link not found" in answer.text
    assert len(writer.pending) == (status == 302)


def test_health_robots_and_methods(make_app: MakeApp) -> None:
    app = make_app()
    assert call(app, "GET", "/healthz").text == "ok\n"
    assert "Disallow: /" in call(app, "GET", "/robots.txt").text
    refused = call(app, "POST", "/serum")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
    head = call(app, "HEAD", "/nope")
    assert head.status_code == 404 and head.content == b""


def test_forwarded_for_is_believed_only_behind_a_trusted_proxy(linked: Database,
                                                               make_app: MakeApp) -> None:
    for trusted in (False, True):
        app = make_app(redirect_trusted_proxy=trusted)
        for ip in ("198.51.100.1", "198.51.100.2"):
            call(app, "GET", "/serum", client="10.0.0.1",
                 **{"x-forwarded-for": f"203.0.113.99, {ip}"})
        app.writer.flush()
    rows = stored(linked, app)
    assert len({r.visitor for r in rows[:2]}) == 1  # both from the proxy's own address
    assert len({r.visitor for r in rows[2:]}) == 2  # the addresses the proxy appended


def test_lifespan_loads_links_and_shutdown_writes_every_click(linked: Database,
                                                              make_app: MakeApp) -> None:
    app = make_app()

    async def serve() -> list[str]:
        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
        sent: list[str] = []

        async def receive() -> dict[str, Any]:
            return next(messages)

        async def send(message: Any) -> None:
            sent.append(message["type"])
            if message["type"] == "lifespan.startup.complete":
                app.recorder.record(app.links.by_path["/serum"], "GET", {}, "192.0.2.1", 1e9)

        await app({"type": "lifespan"}, receive, send)
        return sent

    assert asyncio.run(serve()) == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert app.writer.pending == [] and app.writer.written == 1


class FakeProto:
    """Records what granian's RSGI protocol object is asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, dict[str, str], bytes]] = []

    def response_empty(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.sent.append((status, dict(headers), b""))

    def response_bytes(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.sent.append((status, dict(headers), body))


class FakeScope:
    proto = "http"

    def __init__(self, method: str, path: str, client: str, headers: dict[str, str]) -> None:
        self.method, self.path, self.client, self.headers = method, path, client, headers


def test_rsgi_answers_like_asgi(linked: Database, make_app: MakeApp) -> None:
    app = make_app(redirect_trusted_proxy=True)
    proto = FakeProto()
    requests = [("GET", "/serum", "[2001:db8::7]:40000", {"user-agent": SAFARI}),
                ("GET", "/plain", "10.0.0.1:40000", {"x-forwarded-for": "198.51.100.4"}),
                ("HEAD", "/nope", "10.0.0.1:40000", {}),
                ("GET", "/" + "x" * 100, "10.0.0.1:40000", {})]
    for method, path, client, headers in requests:
        asyncio.run(app.__rsgi__(FakeScope(method, path, client, headers), proto))
    (ok, location, _), plain, missing, too_long = proto.sent
    assert ok == 302 and location["location"].startswith(
        "https://shop.example/serum?utm_source=instagram&utm_medium=influencer&ks_click=")
    assert plain[0] == 302 and (missing[0], missing[2]) == (404, b"")
    assert too_long[0] == 400
    serum, plain_row = stored(linked, app)
    assert serum.user_agent == SAFARI and plain_row.bot == "no-user-agent"
    assert serum.visitor != plain_row.visitor

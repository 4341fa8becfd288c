"""The redirect service as one raw application that speaks both RSGI (granian) and ASGI.

No framework: a request is a dict lookup of its path, one recorded row and a response with
headers built once at start-up, because the redirect answers every click of every campaign
and FastAPI's routing and validation cost several times the work itself
(``benchmarks/redirect.py`` measures both). Nothing a request does touches the database:
links come from :class:`~kolscope.redirect.links.LinkTable` and clicks go to
:class:`~kolscope.redirect.writer.ClickWriter`'s buffer.

Answers: ``GET /{code}`` 302 to the link's URL with ``ks_click=<click id>``; ``HEAD`` the
same redirect, recorded as a bot (``head``) so checkers and unfurlers are visible but never
counted; an unknown or disabled code a small 404 page; a path longer than
``MAX_CODE_LENGTH`` or with characters outside ``[A-Za-z0-9_-]`` 400 and one with more than
one segment 404, both without a lookup (no code is longer than ``MAX_CODE_LENGTH``, 32:
``core.tracking.links``); ``/healthz`` 200, ``/robots.txt`` asks crawlers to stay away; other
methods 405.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from kolscope.core.tracking.links import MAX_CODE_LENGTH
from kolscope.redirect.links import LinkTable
from kolscope.redirect.recorder import ClickRecorder
from kolscope.redirect.writer import ClickWriter

__all__ = ["MAX_CODE_LENGTH", "RedirectApp", "refusal"]
_PATH = re.compile(r"/[A-Za-z0-9_/-]*")
_TEXT = "text/plain; charset=utf-8"
_HTML = "text/html; charset=utf-8"
_NO_STORE = ("cache-control", "no-store")
_PAGE = ("<!doctype html><html lang=en><meta charset=utf-8><title>{title}</title>"
         "<body style='font:16px system-ui;margin:4em auto;max-width:32em;color:#333'>"
         "<h1 style='font-size:1.4em'>{title}</h1><p>{text}</p></body></html>\n")
_Answer = tuple[int, list[tuple[str, str]], bytes]


def _answer(status: int, body: str, content_type: str = _HTML,
            *extra: tuple[str, str]) -> _Answer:
    data = body.encode()
    return status, [("content-type", content_type), _NO_STORE, *extra], data


NOT_FOUND = _answer(404, _PAGE.format(title="Link not found", text="This short link does not "
                                      "exist or has been switched off."))
BAD_REQUEST = _answer(400, _PAGE.format(title="Not a short link", text="This address is not "
                                        "a short link."))
NOT_ALLOWED = _answer(405, "GET or HEAD only\n", _TEXT, ("allow", "GET, HEAD"))
HEALTHY = _answer(200, "ok\n", _TEXT)
ROBOTS = _answer(200, "User-agent: *\nDisallow: /\n", _TEXT)
_FIXED = {"/healthz": HEALTHY, "/robots.txt": ROBOTS}
# Stored for a user agent the server could not read as text (granian's RSGI headers give
# None for a value with non-ASCII bytes): a browser all the same, so a person's click.
UNREADABLE_AGENT = "(user agent with non-ASCII characters)"


def refusal(path: str, method: str) -> _Answer:
    """The answer to a request that is not a redirect (every check is in memory)."""
    if method not in ("GET", "HEAD"):
        return NOT_ALLOWED
    fixed = _FIXED.get(path)
    if fixed is not None:
        return fixed
    if len(path) > MAX_CODE_LENGTH + 1 or _PATH.fullmatch(path) is None:
        return BAD_REQUEST
    return NOT_FOUND  # a well-formed code no link has (or has switched off), or extra segments


def _last_hop(forwarded: str) -> str:
    """The address the trusted proxy appended last to X-Forwarded-For."""
    return forwarded.rpartition(",")[2].strip()


def _rsgi_host(client: str) -> str:
    """``203.0.113.7:54321`` or ``[2001:db8::1]:54321`` without the port."""
    return client.rpartition(":")[0].strip("[]") or client


class RedirectApp:
    """The service: ``__rsgi__`` for granian's RSGI, ``__call__`` for ASGI servers."""

    def __init__(self, links: LinkTable, recorder: ClickRecorder, writer: ClickWriter, *,
                 trusted_proxy: bool = False, clock: Callable[[], float] = time.time,
                 freeze_gc: bool = False) -> None:
        self.links, self.recorder, self.writer = links, recorder, writer
        self.trusted_proxy, self._clock, self._freeze_gc = trusted_proxy, clock, freeze_gc
        self._started = False

    def start(self) -> None:
        """Load the links and start the background threads (in the serving process)."""
        if not self._started:
            self.links.start()
            self.writer.start()
            self._started = True
            if self._freeze_gc:
                # What is alive now (modules, the links) lives as long as the process: keep
                # the collector from walking it again, or each full collection stalls every
                # request for as long as it takes (over 100 ms, measured).
                gc.collect()
                gc.freeze()

    def close(self) -> None:
        """Stop polling and write every buffered click (graceful shutdown)."""
        if self._started:
            self.links.close()
            self.writer.close()
            self._started = False

    # --- RSGI -------------------------------------------------------------------------------

    def __rsgi_init__(self, loop: object) -> None:
        self.start()

    def __rsgi_del__(self, loop: object) -> None:
        self.close()

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        if scope.proto != "http":
            return
        path, method = scope.path, scope.method
        target = self.links.by_path.get(path)
        if target is not None and (method == "GET" or method == "HEAD"):
            headers = scope.headers
            forwarded = headers.get("x-forwarded-for") if self.trusted_proxy else None
            # The socket's address only where no proxy gave one (parsing it costs).
            ip = _last_hop(forwarded) if forwarded else _rsgi_host(scope.client)
            agent = headers.get("user-agent")
            if agent is None and "user-agent" in headers:
                agent = UNREADABLE_AGENT  # granian hands out only ASCII header values
            click_id = self.recorder.record(target, method, headers, ip, self._clock(),
                                            agent or "")
            proto.response_empty(302, [("location", target.head + click_id + target.tail),
                                       _NO_STORE])
            return
        status, headers_out, body = refusal(path, method)
        proto.response_bytes(status, headers_out, b"" if method == "HEAD" else body)

    # --- ASGI -------------------------------------------------------------------------------

    async def __call__(self, scope: MutableMapping[str, Any],
                       receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
                       send: Callable[[MutableMapping[str, Any]], Awaitable[None]]) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._asgi_http(scope, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _asgi_http(self, scope: MutableMapping[str, Any],
                         send: Callable[[MutableMapping[str, Any]], Awaitable[None]]) -> None:
        path, method = scope["path"], scope["method"]
        target = self.links.by_path.get(path)
        if target is not None and (method == "GET" or method == "HEAD"):
            # Names are ASCII; values are mostly UTF-8 now (a phone model in its own script).
            headers = {k.decode("latin-1"): v.decode("utf-8", "replace")
                       for k, v in scope["headers"]}
            client = scope.get("client")
            forwarded = headers.get("x-forwarded-for") if self.trusted_proxy else None
            ip = _last_hop(forwarded) if forwarded else client[0] if client else ""
            click_id = self.recorder.record(target, method, headers, ip, self._clock())
            location = (target.head + click_id + target.tail).encode("latin-1")
            await send({"type": "http.response.start", "status": 302,
                        "headers": [(b"location", location), (b"cache-control", b"no-store"),
                                    (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        status, headers_out, body = refusal(path, method)
        body = b"" if method == "HEAD" else body
        await send({"type": "http.response.start", "status": status,
                    "headers": [(k.encode(), v.encode()) for k, v in headers_out]
                    + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
                        send: Callable[[MutableMapping[str, Any]], Awaitable[None]]) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self.start()
                except Exception as exc:
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

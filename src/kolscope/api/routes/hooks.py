"""What shops and brand sites send without an API key: Shopify's signed webhooks and the
site snippet's orders. Mounted at the root (``/hooks``, ``/t``), outside ``/api/v1``.

A webhook is trusted by its signature alone; the snippet by its public site key, so it can
add orders but never refunds, change or read anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import Response

from kolscope.api.deps import RuntimeDep, UowDep
from kolscope.app import commerce
from kolscope.core.tracking.webhooks import MAX_BODY
from kolscope.errors import InvalidInput

router = APIRouter(tags=["webhooks"])
SNIPPET = (Path(__file__).resolve().parent.parent / "static" / "snippet.js").read_text("utf-8")
_OPEN = {"Access-Control-Allow-Origin": "*"}


async def _body(request: Request) -> bytes:
    """The raw body, refused past :data:`MAX_BODY` without reading it all."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise InvalidInput(f"the body is over {MAX_BODY:,} bytes", field="body")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/hooks/{workspace}/shopify")
async def shopify(workspace: str, request: Request, rt: RuntimeDep, uow: UowDep,
                  x_shopify_topic: Annotated[str | None, Header()] = None,
                  x_shopify_hmac_sha256: Annotated[str | None, Header()] = None
                  ) -> dict[str, str]:
    """Shopify's orders/create, orders/updated, orders/paid, orders/cancelled and
    refunds/create; the signature is checked before anything is read (401 when it fails)."""
    raw = await _body(request)
    stored = commerce.shopify_webhook(uow, workspace=workspace, topic=x_shopify_topic, body=raw,
                                      signature=x_shopify_hmac_sha256, now=rt.clock())
    uow.commit()
    return {"stored": stored}


@router.get("/t/snippet.js", response_class=Response,
            responses={200: {"content": {"application/javascript": {}}}})
def snippet() -> Response:
    """The conversion snippet for a brand's site."""
    return Response(SNIPPET, media_type="application/javascript",
                    headers={**_OPEN, "Cache-Control": "public, max-age=3600"})


@router.post("/t/collect/{site_key}", status_code=204, response_class=Response)
async def collect(site_key: str, request: Request, rt: RuntimeDep, uow: UowDep) -> Response:
    """An order from the snippet (sent as text/plain JSON, so browsers send it without a
    preflight)."""
    raw = await _body(request)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"the body is not JSON: {exc}", field="body") from None
    commerce.collect(uow, site_key=site_key, data=data, now=rt.clock())
    uow.commit()
    return Response(status_code=204, headers=_OPEN)

"""The campaign's tracking page: links with QR codes, promo codes, imports of shop and
live-commerce exports, attribution per KOL with every order's credit, and performance pay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from kolscope.adapters.documents.qr import qr_svg
from kolscope.app import attribution as attr
from kolscope.app import campaigns as camp
from kolscope.app import commerce
from kolscope.app import tracking as tr
from kolscope.app.campaign_views import CampaignView
from kolscope.app.ports import UnitOfWork
from kolscope.core.tracking._table import decode_export
from kolscope.core.tracking.attribution import MODELS
from kolscope.core.tracking.live import LivePlatform
from kolscope.errors import Conflict, InvalidInput, NotFound
from kolscope.web.pages import open_uow, render, runtime_of, workspace_context

router = APIRouter(include_in_schema=False)
MAX_UPLOAD = 50 * 1024 * 1024
Refused = (InvalidInput, Conflict, NotFound)


def _page(request: Request, slug: str, cslug: str, *, model: str = "last_click",
          window: int = 30, message: str | None = None, notice: str | None = None,
          status: int = 200) -> HTMLResponse:
    rt = runtime_of(request)
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        campaign: CampaignView = camp.require_campaign(uow, workspace=slug, slug=cslug)
        settings = tr.tracking_settings(uow, workspace=slug)
        links = tr.campaign_links(uow, workspace=slug, slug=cslug)
        codes = tr.campaign_promo_codes(uow, workspace=slug, slug=cslug)
        collabs = camp.collaborations(uow, workspace=slug, slug=cslug)
        try:
            details = attr.attribution_details(uow, workspace=slug, slug=cslug,
                                               model=model if model in MODELS else "last_click",
                                               window_days=window)
            problem = None
        except InvalidInput as exc:  # mixed currencies: the page still shows links and codes
            details, problem = None, exc.message
        uow.commit()
    public = rt.settings.public_url.rstrip("/")
    return render(request, "campaign_tracking.html", {
        **context, "section": "campaigns", "campaign": campaign, "settings": settings,
        "links": links, "codes": codes, "collabs": collabs, "details": details,
        "problem": problem, "base": rt.settings.short_link_base, "short_url": tr.short_url,
        "webhook_url": f"{public}/hooks/{slug}/shopify", "snippet_url": f"{public}/t/snippet.js",
        "models": MODELS, "model": model, "window": window, "platforms": list(LivePlatform),
        "message": message, "notice": notice}, status)


@router.get("/w/{slug}/campaigns/{cslug}/tracking", name="web_tracking",
            response_class=HTMLResponse)
def tracking(request: Request, slug: str, cslug: str, model: str = "last_click",
             window: int = 30, notice: str | None = None) -> HTMLResponse:
    if not 1 <= window <= 365:
        return _page(request, slug, cslug, message="the window is 1 to 365 days", status=400)
    return _page(request, slug, cslug, model=model, window=window, notice=notice)


def _act(request: Request, slug: str, cslug: str, action: Callable[[], str]) -> Response:
    """Run a form's action and come back to the page saying what happened, or why not."""
    try:
        notice = action()
    except Refused as exc:
        return _page(request, slug, cslug, message=exc.message, status=400)
    url = request.url_for("web_tracking", slug=slug, cslug=cslug).include_query_params(
        notice=notice)
    return RedirectResponse(f"{url.path}?{url.query}", status_code=303)


def _handles(text: str) -> list[str]:
    return [h for h in text.replace(",", " ").split() if h]


@router.post("/w/{slug}/campaigns/{cslug}/tracking/links", name="web_links_create",
             response_model=None)
def create_links(request: Request, slug: str, cslug: str,
                 destination: Annotated[str, Form()], handles: Annotated[str, Form()] = "",
                 code: Annotated[str, Form()] = "",
                 per_collaboration: Annotated[bool, Form()] = False) -> Response:
    def action() -> str:
        with open_uow(request) as uow:
            made = tr.create_links(uow, workspace=slug, slug=cslug, destination=destination,
                                   now=runtime_of(request).clock(), handles=_handles(handles),
                                   code=code.strip() or None,
                                   per_deliverable=not per_collaboration)
            uow.commit()
        return f"{len(made)} link(s) ready"
    return _act(request, slug, cslug, action)


@router.post("/w/{slug}/links/{code}/switch", name="web_link_switch", response_model=None)
def switch_link(request: Request, slug: str, code: str, cslug: Annotated[str, Form()],
                enabled: Annotated[bool, Form()] = False) -> Response:
    def action() -> str:
        with open_uow(request) as uow:
            camp.require_campaign(uow, workspace=slug, slug=cslug)  # 404 before switching
            tr.set_link_enabled(uow, workspace=slug, code=code, enabled=enabled,
                                now=runtime_of(request).clock())
            uow.commit()
        return f"link {code} is {'on' if enabled else 'off'}"
    return _act(request, slug, cslug, action)


@router.get("/w/{slug}/links/{code}/qr.svg", name="web_link_qr")
def link_qr(request: Request, slug: str, code: str) -> Response:
    with open_uow(request) as uow:
        link = tr.require_link(uow, workspace=slug, code=code)
    return Response(qr_svg(tr.short_url(runtime_of(request).settings.short_link_base,
                                        link.code)), media_type="image/svg+xml")


@router.post("/w/{slug}/campaigns/{cslug}/tracking/promo", name="web_promo_create",
             response_model=None)
def create_codes(request: Request, slug: str, cslug: str, handles: Annotated[str, Form()] = "",
                 code: Annotated[str, Form()] = "",
                 suffix: Annotated[str, Form()] = "") -> Response:
    def action() -> str:
        with open_uow(request) as uow:
            rows = tr.create_promo_codes(uow, workspace=slug, slug=cslug,
                                         now=runtime_of(request).clock(),
                                         handles=_handles(handles), code=code.strip() or None,
                                         suffix=suffix.strip())
            uow.commit()
        return f"{len(rows)} promo code(s) ready"
    return _act(request, slug, cslug, action)


async def _upload(request: Request) -> tuple[str, str, dict[str, str]]:
    """The uploaded file's name and text, and the form's other fields."""
    form = await request.form(max_part_size=MAX_UPLOAD)
    file = form.get("file")
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not isinstance(file, UploadFile) or not file.filename:
        raise InvalidInput("choose a file to upload", field="file")
    raw = await file.read()
    return file.filename, decode_export(raw, file.filename), fields


def _imported(result: commerce.ImportResult, what: str) -> str:
    text = (f"{what}: {result.created} new, {result.updated} updated, {result.unchanged} "
            f"unchanged, {len(result.errors)} rejected")
    shown = "; ".join(str(e) for e in result.errors[:5])
    return f"{text} ({shown}{' …' if len(result.errors) > 5 else ''})" if shown else text


Importer = Callable[[UnitOfWork, str, str, dict[str, str]], commerce.ImportResult]


async def _import(request: Request, slug: str, cslug: str, run: Importer) -> Response:
    """Read the uploaded file, import it with ``run(uow, name, text, fields)``, say how it went."""
    try:
        name, text, fields = await _upload(request)
    except InvalidInput as exc:
        return _page(request, slug, cslug, message=exc.message, status=400)

    def action() -> str:
        with open_uow(request) as uow:
            result = run(uow, name, text, fields)
            uow.commit()
        return _imported(result, name)
    return _act(request, slug, cslug, action)


@router.post("/w/{slug}/campaigns/{cslug}/tracking/redemptions", name="web_redemptions",
             response_model=None)
async def redemptions(request: Request, slug: str, cslug: str) -> Response:
    now = runtime_of(request).clock()
    return await _import(request, slug, cslug, lambda uow, name, text, fields: (
        commerce.import_redemptions(uow, workspace=slug, text=text, source_name=name, now=now,
                                    currency=fields.get("currency") or None)))


@router.post("/w/{slug}/campaigns/{cslug}/tracking/live", name="web_live_import",
             response_model=None)
async def live(request: Request, slug: str, cslug: str) -> Response:
    now = runtime_of(request).clock()
    return await _import(request, slug, cslug, lambda uow, name, text, fields: (
        commerce.import_live_sessions(uow, workspace=slug, slug=cslug,
                                      handle=fields.get("handle", ""), text=text,
                                      source_name=name, now=now,
                                      platform=fields.get("platform") or None)))


@router.post("/w/{slug}/campaigns/{cslug}/tracking/book", name="web_book_performance",
             response_model=None)
def book(request: Request, slug: str, cslug: str, by: Annotated[str, Form()] = "web") -> Response:
    def action() -> str:
        with open_uow(request) as uow:
            booked = attr.book_performance_pay(uow, workspace=slug, slug=cslug,
                                               actor=by.strip() or "web",
                                               now=runtime_of(request).clock())
            uow.commit()
        return ("performance pay booked for " + ", ".join(f"@{h}" for h in booked)
                if booked else "no KOL has performance-linked pay")
    return _act(request, slug, cslug, action)

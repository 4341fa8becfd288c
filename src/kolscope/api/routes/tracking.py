"""Tracking over the API: settings, links, promo codes, orders, live sessions, attribution.

Every route here needs the workspace's API key; the shop's webhooks and the site snippet,
which cannot carry one, live in :mod:`kolscope.api.routes.hooks`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kolscope.adapters.documents.qr import qr_svg
from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app import attribution as attr
from kolscope.app import commerce
from kolscope.app import tracking as tr
from kolscope.app.campaign_views import LedgerView
from kolscope.app.tracking_views import ConversionView, LiveSessionView, TrackingSettingsView
from kolscope.core.tracking._table import decode_export
from kolscope.errors import InvalidInput

router = APIRouter(tags=["tracking"])
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class SettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    utm: dict[str, str] = Field(default_factory=dict, description="UTM fields to change.")
    promo: dict[str, Any] = Field(default_factory=dict, description="Promo format fields.")
    webhook_secret: str | None = Field(default=None, description="The shop's signing secret.")
    clear_webhook_secret: bool = False
    new_site_key: bool = False


class LinksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    destination: str
    handles: list[str] = Field(default_factory=list,
                               description="KOLs to link (default: all with agreed terms).")
    code: str | None = Field(default=None, description="A chosen code, for one link.")
    per_deliverable: bool = True
    utm: dict[str, str] = Field(default_factory=dict,
                                description="Template fields overridden for these links.")


class LinkOut(BaseModel):
    code: str
    short_url: str
    url: str
    destination: str
    handle: str | None
    deliverable: str | None
    deliverable_id: int | None
    enabled: bool
    clicks: int
    unique_clicks: int
    bots: int


class PromoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    handles: list[str] = Field(default_factory=list)
    code: str | None = None
    suffix: str = ""


class PromoOut(BaseModel):
    code: str
    key: str
    handle: str


class ImportOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: list[dict[str, Any]]


def _link_out(base: str, row: tr.LinkRow) -> LinkOut:
    link = row.link
    return LinkOut(code=link.code, short_url=tr.short_url(base, link.code), url=link.url,
                   destination=link.destination, handle=row.handle, deliverable=row.deliverable,
                   deliverable_id=link.deliverable_id, enabled=link.enabled,
                   clicks=row.clicks.total, unique_clicks=row.clicks.unique,
                   bots=row.clicks.bots)


def _import_out(result: commerce.ImportResult) -> ImportOut:
    return ImportOut(created=result.created, updated=result.updated,
                     unchanged=result.unchanged,
                     rejected=[{"file": e.source, "line": e.line, "field": e.field,
                                "message": e.message} for e in result.errors])


def _text(file: UploadFile) -> str:
    raw = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise InvalidInput(f"the file is over {MAX_IMPORT_BYTES // 2**20} MiB", field="file")
    return decode_export(raw, file.filename or "upload")


@router.get("/tracking/settings", response_model=TrackingSettingsView)
def get_settings(uow: UowDep, workspace: WorkspaceDep) -> TrackingSettingsView:
    """UTM template, promo format, whether a webhook secret is set, the snippet's site key."""
    view = tr.tracking_settings(uow, workspace=workspace)
    uow.commit()
    return view


@router.patch("/tracking/settings", response_model=TrackingSettingsView)
def change_settings(body: SettingsIn, rt: RuntimeDep, uow: UowDep,
                    workspace: WorkspaceDep) -> TrackingSettingsView:
    view = tr.update_tracking_settings(uow, workspace=workspace, now=rt.clock(), utm=body.utm,
                                       promo=body.promo, webhook_secret=body.webhook_secret,
                                       clear_secret=body.clear_webhook_secret,
                                       new_site_key=body.new_site_key)
    uow.commit()
    return view


@router.post("/campaigns/{slug}/links", response_model=list[LinkOut], status_code=201)
def create_links(slug: str, body: LinksIn, rt: RuntimeDep, uow: UowDep,
                 workspace: WorkspaceDep) -> list[LinkOut]:
    """Links for the campaign's KOLs, one per deliverable; existing ones are returned as is."""
    made = tr.create_links(uow, workspace=workspace, slug=slug, destination=body.destination,
                           now=rt.clock(), handles=body.handles, code=body.code,
                           per_deliverable=body.per_deliverable, utm=body.utm)
    uow.commit()
    codes = {link.code for link in made}
    base = rt.settings.short_link_base
    return [_link_out(base, r) for r in tr.campaign_links(uow, workspace=workspace, slug=slug)
            if r.link.code in codes]


@router.get("/campaigns/{slug}/links", response_model=list[LinkOut])
def links(slug: str, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep) -> list[LinkOut]:
    """The campaign's links and their clicks (people; bot requests apart)."""
    base = rt.settings.short_link_base
    return [_link_out(base, r) for r in tr.campaign_links(uow, workspace=workspace, slug=slug)]


@router.post("/links/{code}/{action}", status_code=204)
def switch_link(code: str, action: Literal["enable", "disable"], rt: RuntimeDep, uow: UowDep,
                workspace: WorkspaceDep) -> None:
    """Switch a link off (404 from the redirect within a second) or on again."""
    tr.set_link_enabled(uow, workspace=workspace, code=code, enabled=action == "enable",
                        now=rt.clock())
    uow.commit()


@router.get("/links/{code}/qr.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}})
def link_qr(code: str, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep) -> Response:
    """The link's QR code."""
    link = tr.require_link(uow, workspace=workspace, code=code)
    return Response(qr_svg(tr.short_url(rt.settings.short_link_base, link.code)),
                    media_type="image/svg+xml")


@router.post("/campaigns/{slug}/promo-codes", response_model=list[PromoOut], status_code=201)
def create_codes(slug: str, body: PromoIn, rt: RuntimeDep, uow: UowDep,
                 workspace: WorkspaceDep) -> list[PromoOut]:
    """A promo code per KOL from its handle; KOLs with one keep it."""
    rows = tr.create_promo_codes(uow, workspace=workspace, slug=slug, now=rt.clock(),
                                 handles=body.handles, code=body.code, suffix=body.suffix)
    uow.commit()
    return [PromoOut(code=r.promo.code, key=r.promo.key, handle=r.handle) for r in rows]


@router.get("/campaigns/{slug}/promo-codes", response_model=list[PromoOut])
def codes(slug: str, uow: UowDep, workspace: WorkspaceDep) -> list[PromoOut]:
    return [PromoOut(code=r.promo.code, key=r.promo.key, handle=r.handle)
            for r in tr.campaign_promo_codes(uow, workspace=workspace, slug=slug)]


@router.post("/promo-redemptions", response_model=ImportOut)
def import_redemptions(rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
                       file: Annotated[UploadFile, File(description="Shopify, WooCommerce or "
                                                                    "generic CSV export")],
                       currency: Annotated[str | None, Form()] = None) -> ImportOut:
    """Orders with promo codes from a shop's export; rows it cannot read are listed."""
    result = commerce.import_redemptions(uow, workspace=workspace, text=_text(file),
                                         source_name=file.filename or "upload", now=rt.clock(),
                                         currency=currency)
    uow.commit()
    return _import_out(result)


@router.post("/conversions")
def add_conversion(rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
                   event: Annotated[dict[str, Any], Body(
                       description="A generic order or refund event (docs/methods/tracking.md)")]
                   ) -> dict[str, str]:
    """Record an order (idempotent by order id) or a refund (by refund id)."""
    stored = commerce.record_event(uow, workspace=workspace, data=event, now=rt.clock())
    uow.commit()
    return {"stored": stored}


@router.get("/conversions", response_model=list[ConversionView])
def list_conversions(uow: UowDep, workspace: WorkspaceDep) -> list[ConversionView]:
    return commerce.conversions(uow, workspace=workspace)


@router.post("/campaigns/{slug}/live-sessions", response_model=ImportOut)
def import_live(slug: str, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
                handle: Annotated[str, Form(description="The KOL who streamed.")],
                file: Annotated[UploadFile, File(description="Douyin, Taobao Live or TikTok "
                                                             "Shop CSV export")],
                platform: Annotated[str | None, Form()] = None,
                currency: Annotated[str | None, Form()] = None) -> ImportOut:
    """A KOL's live-stream sessions; re-importing replaces them by session id."""
    result = commerce.import_live_sessions(uow, workspace=workspace, slug=slug, handle=handle,
                                           text=_text(file),
                                           source_name=file.filename or "upload",
                                           now=rt.clock(), platform=platform, currency=currency)
    uow.commit()
    return _import_out(result)


@router.get("/campaigns/{slug}/live-sessions", response_model=list[LiveSessionView])
def live(slug: str, uow: UowDep, workspace: WorkspaceDep) -> list[Any]:
    return list(commerce.live_sessions(uow, workspace=workspace, slug=slug))


@router.get("/campaigns/{slug}/attribution")
def attribution(slug: str, uow: UowDep, workspace: WorkspaceDep,
                model: Annotated[Literal["last_click", "first_touch"], Query()] = "last_click",
                window_days: Annotated[int, Query(ge=1, le=365)] = 30) -> dict[str, object]:
    """Totals per KOL, deliverable and campaign, and every order with the rule that credited
    it and why."""
    return attr.report_data(attr.attribution_details(uow, workspace=workspace, slug=slug,
                                                     model=model, window_days=window_days))


@router.post("/campaigns/{slug}/attribution/book", response_model=dict[str, LedgerView])
def book(slug: str, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
         model: Annotated[Literal["last_click", "first_touch"], Query()] = "last_click",
         window_days: Annotated[int, Query(ge=1, le=365)] = 30) -> dict[str, LedgerView]:
    """Book the performance pay each KOL earned into its ledger (only the difference)."""
    booked = attr.book_performance_pay(uow, workspace=workspace, slug=slug, actor="api",
                                       now=rt.clock(), model=model, window_days=window_days)
    uow.commit()
    return booked

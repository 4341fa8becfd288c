"""Brief pages: the list, a form that stores a new version, a brief's matches with reasons, a
forecast per KOL, and plans (what-if budgets side by side, saved, turned into a campaign)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kolscope.adapters.engines.influence_kernels import KERNELS
from kolscope.app.briefs import get_brief, list_briefs, parse_brief, put_brief
from kolscope.app.campaigns import parse_campaign
from kolscope.app.forecasts import forecast_for_brief
from kolscope.app.matching import match_brief
from kolscope.app.planning import OBJECTIVES, PlanView, campaign_from_plan, plan_brief
from kolscope.core.discovery.niches import TAXONOMY
from kolscope.core.matching.brief import ContentFormat, Goal
from kolscope.core.money import amount_from_text
from kolscope.core.platforms import Platform
from kolscope.errors import InvalidInput
from kolscope.web.pages import open_uow, render, runtime_of, workspace_context

router = APIRouter(include_in_schema=False)
MATCHES_SHOWN = 20


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]


def _tier_mix(text: str) -> dict[str, str]:
    mix: dict[str, str] = {}
    for part in _split(text):
        tier, sep, share = part.partition("=")
        if not sep:
            raise InvalidInput(f"tier mix: write tier=share, got {part!r}", field="tier_mix")
        mix[tier.strip()] = share.strip()
    return mix


def _options() -> dict[str, Any]:
    return {"goals": list(Goal), "platforms": list(Platform), "formats": list(ContentFormat),
            "niches": TAXONOMY}


@router.get("/w/{slug}/briefs", name="web_briefs", response_class=HTMLResponse)
def briefs(request: Request, slug: str, message: str | None = None,
           values: dict[str, Any] | None = None) -> HTMLResponse:
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        views = list_briefs(uow, workspace=slug)
    return render(request, "briefs.html", {**context, "section": "briefs", "briefs": views,
                                           "message": message, "values": values or {},
                                           **_options()}, 400 if message else 200)


@router.post("/w/{slug}/briefs", name="web_brief_put", response_model=None)
async def put(request: Request, slug: str) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    rt = runtime_of(request)
    try:
        data: dict[str, Any] = {
            "goal": values.get("goal"), "product": values.get("product", ""),
            "niche": values.get("niche") or None, "budget": values.get("budget", ""),
            "currency": values.get("currency", ""),
            "keywords": _split(values.get("keywords", "")),
            "competitors": _split(values.get("competitors", "")),
            "red_lines": _split(values.get("red_lines", "")),
            "platforms": [str(p) for p in form.getlist("platforms")],
            "formats": [str(f) for f in form.getlist("formats")],
            "audience": {"languages": _split(values.get("languages", "")),
                         "markets": _split(values.get("markets", ""))},
            "tier_mix": _tier_mix(values.get("tier_mix", "")),
            "average_order_value": values.get("average_order_value") or None,
            "performance_pay": values.get("performance_pay") == "true"}
        brief = parse_brief(data)
        with open_uow(request) as uow:
            view, _ = put_brief(uow, workspace=slug, slug=values.get("slug", ""), brief=brief,
                                actor="web", now=rt.clock())
            uow.commit()
    except InvalidInput as exc:
        return briefs(request, slug, exc.message, values)
    return RedirectResponse(str(request.url_for("web_brief", slug=slug, bslug=view.slug).path),
                            status_code=303)


@router.get("/w/{slug}/briefs/{bslug}", name="web_brief", response_class=HTMLResponse)
def brief(request: Request, slug: str, bslug: str) -> HTMLResponse:
    rt = runtime_of(request)
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        view = get_brief(uow, workspace=slug, slug=bslug)
        run = match_brief(uow, rt.indexes, workspace=slug, slug=bslug, limit=MATCHES_SHOWN,
                          now=rt.clock())
    return render(request, "brief.html", {**context, "section": "briefs", "view": view,
                                          "run": run})


@router.get("/w/{slug}/briefs/{bslug}/forecast/{account_id:int}", name="web_brief_forecast",
            response_class=HTMLResponse)
def forecast(request: Request, slug: str, bslug: str, account_id: int) -> HTMLResponse:
    rt = runtime_of(request)
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        try:
            view = forecast_for_brief(uow, workspace=slug, slug=bslug, account_id=account_id,
                                      now=rt.clock())
            message = None
        except InvalidInput as exc:
            view, message = None, exc.message
    return render(request, "brief_forecast.html", {**context, "section": "briefs",
                                                   "view": view, "bslug": bslug,
                                                   "message": message},
                  400 if message else 200)


def _budgets(values: list[str]) -> list[Decimal | None]:
    amounts: list[Decimal | None] = []
    for text in (v.strip() for v in values if v.strip()):
        amounts.append(amount_from_text(text, "budget", positive=True))
    return amounts or [None]


def _plans(request: Request, slug: str, bslug: str, values: dict[str, Any], *,
           save: bool) -> list[PlanView]:
    rt = runtime_of(request)
    objective = values.get("objective") or None
    try:
        min_kocs = int(values.get("min_kocs") or 0)
    except ValueError:
        raise InvalidInput("min_kocs: a whole number", field="min_kocs") from None
    if min_kocs < 0:
        raise InvalidInput("min_kocs: cannot be negative", field="min_kocs")
    with open_uow(request) as uow:
        views = [plan_brief(uow, rt.indexes, workspace=slug, slug=bslug, now=rt.clock(),
                            budget=b, objective=objective, min_kocs=min_kocs, save=save,
                            kernels=KERNELS)
                 for b in _budgets(values.get("budget", []))]
        if save:
            uow.commit()
    return views


def _plan_page(request: Request, slug: str, bslug: str, values: dict[str, Any], *,
               save: bool) -> HTMLResponse:
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        view = get_brief(uow, workspace=slug, slug=bslug)
    try:
        plans, message = _plans(request, slug, bslug, values, save=save), None
    except InvalidInput as exc:
        plans, message = [], exc.message
    return render(request, "brief_plan.html", {
        **context, "section": "briefs", "view": view, "plans": plans, "message": message,
        "values": values, "objectives": OBJECTIVES}, 400 if message else 200)


@router.get("/w/{slug}/briefs/{bslug}/plan", name="web_brief_plan", response_class=HTMLResponse)
def plan_page(request: Request, slug: str, bslug: str) -> HTMLResponse:
    """Plans for the brief's budget or for several what-if budgets side by side."""
    q = request.query_params
    return _plan_page(request, slug, bslug, {
        "budget": q.getlist("budget"), "objective": q.get("objective"),
        "min_kocs": q.get("min_kocs")}, save=False)


@router.post("/w/{slug}/briefs/{bslug}/plans", name="web_brief_plan_save",
             response_class=HTMLResponse)
async def save_plan(request: Request, slug: str, bslug: str) -> HTMLResponse:
    """The same plans, stored, each with a form to start a campaign from it."""
    form = await request.form()
    return _plan_page(request, slug, bslug, {
        "budget": [str(b) for b in form.getlist("budget")],
        "objective": str(form.get("objective") or ""),
        "min_kocs": str(form.get("min_kocs") or "")}, save=True)


@router.post("/w/{slug}/plans/{plan_id:int}/campaign", name="web_plan_campaign",
             response_model=None)
async def plan_campaign(request: Request, slug: str, plan_id: int) -> Response:
    """A campaign from a saved plan: its brief's goal, budget and dates, the picks shortlisted."""
    form = await request.form()
    rt = runtime_of(request)
    data = {k: str(form.get(k) or "") for k in ("slug", "name", "brand")}
    with open_uow(request) as uow:
        campaign, _ = campaign_from_plan(uow, workspace=slug, plan_id=plan_id,
                                         campaign_in=parse_campaign(data), actor="web",
                                         now=rt.clock())
        uow.commit()
    return RedirectResponse(str(request.url_for("web_board", slug=slug,
                                                cslug=campaign.slug).path), status_code=303)

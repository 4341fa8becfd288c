"""The vetting report page of a KOL: every signal and the verdict, re-vetting and overrides."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kolscope.app.accounts import get_profile
from kolscope.app.models import VettingView
from kolscope.app.vetting_reports import get_report, override_verdict, vet_account
from kolscope.core.vetting.report import VERDICTS
from kolscope.errors import InvalidInput, NotFound
from kolscope.web.pages import open_uow, render, runtime_of, workspace_context

router = APIRouter(include_in_schema=False)
GROUPS = {"audience": "Audience", "engagement": "Engagement", "growth": "Follower growth",
          "comments": "Comments", "brand_safety": "Brand safety", "values": "Values and rivals",
          "sponsored": "Sponsored posts", "sentiment": "Sentiment"}


@router.get("/w/{slug}/accounts/{account_id:int}/vetting", name="web_vetting",
            response_class=HTMLResponse)
def page(request: Request, slug: str, account_id: int, message: str | None = None
         ) -> HTMLResponse:
    """The stored report, or a prompt to vet the account when it has none yet."""
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        profile = get_profile(uow, workspace=slug, account_id=account_id, recent_posts=0)
        try:
            view: VettingView | None = get_report(uow, workspace=slug, account_id=account_id)
        except NotFound:
            view = None
    return render(request, "vetting.html", {
        **context, "section": "search", "profile": profile, "view": view, "groups": GROUPS,
        "verdicts": VERDICTS, "message": message, "now": runtime_of(request).clock()},
        400 if message else 200)


@router.post("/w/{slug}/accounts/{account_id:int}/vetting", name="web_vet")
def vet(request: Request, slug: str, account_id: int) -> Response:
    """Vet the account now, then show its report."""
    rt = runtime_of(request)
    with open_uow(request) as uow:
        vet_account(uow, workspace=slug, account_id=account_id, model=rt.fake_model,
                    sentiment=rt.sentiment, now=rt.clock())
        uow.commit()
    return RedirectResponse(str(request.url_for("web_vetting", slug=slug,
                                                account_id=account_id).path), status_code=303)


@router.post("/w/{slug}/accounts/{account_id:int}/vetting/override", name="web_override",
             response_model=None)
def override(request: Request, slug: str, account_id: int,
             verdict: Annotated[str, Form()], reason: Annotated[str, Form()] = "",
             author: Annotated[str, Form()] = "web") -> Response:
    """Record a person's verdict; a form with mistakes comes back with its message."""
    rt = runtime_of(request)
    try:
        if verdict not in (*VERDICTS, "none"):
            raise InvalidInput("choose pass, review, fail or withdraw", field="verdict")
        with open_uow(request) as uow:
            override_verdict(uow, workspace=slug, account_id=account_id,
                             verdict=None if verdict == "none" else verdict,  # type: ignore[arg-type]
                             reason=reason, author=author or "web", now=rt.clock())
            uow.commit()
    except InvalidInput as exc:
        return page(request, slug, account_id, message=exc.message)
    return RedirectResponse(str(request.url_for("web_vetting", slug=slug,
                                                account_id=account_id).path), status_code=303)
